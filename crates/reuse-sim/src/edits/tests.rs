//! Tests of the scenario edits (split from edits.rs to keep it readable).

use super::*;
use crate::presets;
use crate::RequestSpec;

/// A page and `objects` images of 5 KB that wait for it, on one host.
fn page(objects: usize) -> Scenario {
    let mut requests = vec![RequestSpec::new("index.html", 10_000)];
    for i in 1..=objects {
        requests.push(RequestSpec::new(format!("img{i}.png"), 5_000).after(&["index.html"]));
    }
    Scenario::new("Test page: a page and its images", 100.0, requests)
}

fn ids(s: &Scenario) -> Vec<&str> {
    s.requests.iter().map(|r| r.id.as_str()).collect()
}

fn texts_of(s: &Scenario) -> Vec<(Control, String)> {
    Control::ALL.iter().map(|&c| (c, c.text_of(s))).collect()
}

fn apply_all(preset: &Scenario, texts: &[(Control, String)]) -> Result<Scenario, Vec<EditError>> {
    let borrowed: Vec<(Control, &str)> = texts.iter().map(|(c, t)| (*c, t.as_str())).collect();
    apply_texts(preset, &borrowed)
}

fn with_text(preset: &Scenario, control: Control, text: &str) -> Result<Scenario, Vec<EditError>> {
    apply_texts(preset, &[(control, text)])
}

#[test]
fn every_presets_own_texts_give_back_the_preset() {
    for preset in presets::all() {
        let s = preset.scenario();
        assert_eq!(apply_all(&s, &texts_of(&s)).as_ref(), Ok(&s), "{}", preset.id);
    }
}

#[test]
fn rtt_sets_the_network_and_bad_text_names_the_control() {
    let preset = page(2);
    assert_eq!(with_text(&preset, Control::Rtt, " 250 ").unwrap().network.rtt_ms, 250.0);
    assert_eq!(with_text(&preset, Control::Rtt, "12,5").unwrap().network.rtt_ms, 12.5);
    for (bad, says) in [
        ("", "RTT is required: enter a number in ms"),
        ("-5", "RTT must not be negative (got -5)"),
        ("abc", "RTT must be a number in ms (got \"abc\")"),
        ("NaN", "RTT must be a number in ms (got \"NaN\")"),
    ] {
        let errors = with_text(&preset, Control::Rtt, bad).unwrap_err();
        assert_eq!(errors, vec![EditError::new(Control::Rtt, says)], "{bad:?}");
    }
}

#[test]
fn every_bad_control_is_reported_not_just_the_first() {
    let preset = page(2);
    // A read error (RTT), a range error (Loss), a whole-number error (Objects).
    let errors =
        apply_texts(&preset, &[(Control::Rtt, "-1"), (Control::Loss, "80"), (Control::Objects, "2.5")])
            .unwrap_err();
    let controls: Vec<_> = errors.iter().map(|e| e.control).collect();
    assert_eq!(controls, [Some(Control::Rtt), Some(Control::Loss), Some(Control::Objects)]);
}

#[test]
fn validation_errors_land_at_the_control_that_edits_the_field() {
    let preset = page(2);
    let errors = with_text(&preset, Control::ConnectionLimit, "0").unwrap_err();
    assert_eq!(
        errors,
        vec![EditError::new(
            Control::ConnectionLimit,
            "Connections per host must be between 1 and 64 (got 0)"
        )]
    );
    assert_eq!(Control::for_scenario_path("requests[3].response_bytes"), Some(Control::ObjectSize));
    assert_eq!(Control::for_scenario_path("requests[3].after[0]"), Some(Control::Objects));
    assert_eq!(Control::for_scenario_path("tls.resumption"), Some(Control::Tls));
    assert_eq!(Control::for_scenario_path("seed"), None);
    let general = EditError::from_scenario_error(&ScenarioError::new("seed", "bad"));
    assert_eq!(general, EditError { control: None, message: "seed: bad".into() });
}

#[test]
fn loss_is_in_percent_from_0_to_50() {
    let preset = page(1);
    assert_eq!(with_text(&preset, Control::Loss, "2").unwrap().network.loss_rate, 0.02);
    assert_eq!(with_text(&preset, Control::Loss, "50").unwrap().network.loss_rate, 0.5);
    assert_eq!(with_text(&preset, Control::Loss, "0").unwrap().network.loss_rate, 0.0);
    let errors = with_text(&preset, Control::Loss, "50.5").unwrap_err();
    assert_eq!(errors, vec![EditError::new(Control::Loss, "Loss must be between 0 and 50 % (got 50.5)")]);
}

#[test]
fn bandwidth_keeps_the_uplink_ratio_or_is_symmetric_or_unlimited() {
    let mut preset = page(1);
    preset.network.downlink_mbps = Some(20.0);
    preset.network.uplink_mbps = Some(5.0);
    let net = |s: Scenario| (s.network.downlink_mbps, s.network.uplink_mbps);
    // 20:5 is 4:1, so 8 Mbit/s down is 2 up.
    assert_eq!(net(with_text(&preset, Control::Bandwidth, "8").unwrap()), (Some(8.0), Some(2.0)));
    for unlimited in ["", " ", "∞", "inf", "INF"] {
        assert_eq!(net(with_text(&preset, Control::Bandwidth, unlimited).unwrap()), (None, None));
    }
    // An unlimited preset gets a symmetric link.
    let unlimited = page(1);
    assert_eq!(net(with_text(&unlimited, Control::Bandwidth, "10").unwrap()), (Some(10.0), Some(10.0)));
    // A preset with only an unlimited uplink keeps it unlimited.
    let mut down_only = page(1);
    down_only.network.downlink_mbps = Some(4.0);
    assert_eq!(net(with_text(&down_only, Control::Bandwidth, "10").unwrap()), (Some(10.0), None));
    let errors = with_text(&unlimited, Control::Bandwidth, "0").unwrap_err();
    assert_eq!(
        errors,
        vec![EditError::new(
            Control::Bandwidth,
            "Bandwidth must be above 0 Mbit/s, or empty for unlimited (got 0)"
        )]
    );
}

#[test]
fn objects_keep_the_page_and_repeat_the_objects_in_order() {
    let preset = page(3);
    let s = with_text(&preset, Control::Objects, "7").unwrap();
    assert_eq!(
        ids(&s),
        [
            "index.html",
            "img1.png",
            "img2.png",
            "img3.png",
            "img1.png#2",
            "img2.png#2",
            "img3.png#2",
            "img1.png#3"
        ]
    );
    assert!(s.requests[1..].iter().all(|r| r.after == ["index.html"] && r.response_bytes == 5_000));
    assert_eq!(ids(&with_text(&preset, Control::Objects, "1").unwrap()), ["index.html", "img1.png"]);
    assert_eq!(ids(&with_text(&preset, Control::Objects, "0").unwrap()), ["index.html"]);
    let max = with_text(&preset, Control::Objects, &MAX_OBJECTS.to_string()).unwrap();
    assert_eq!(max.requests.len(), MAX_OBJECTS + 1);
    let errors = with_text(&preset, Control::Objects, "501").unwrap_err();
    assert_eq!(errors, vec![EditError::new(Control::Objects, "Objects must be at most 500 here (got 501)")]);
    let errors = with_text(&preset, Control::Objects, "2.5").unwrap_err();
    assert_eq!(errors, vec![EditError::new(Control::Objects, "Objects must be a whole number (got 2.5)")]);
}

#[test]
fn a_dropped_objects_dependents_wait_for_the_page() {
    let mut preset = page(2);
    preset.requests.push(RequestSpec::new("late.js", 100).after(&["img2.png"]));
    // Keep all three: late.js still waits for img2.
    let mut s = preset.clone();
    set_objects(&mut s, 3).unwrap();
    assert_eq!(s.requests[3].after, ["img2.png"]);
    // late.js first, then keep one object: img2 is gone, late.js waits for the page.
    let mut s = preset;
    s.requests.swap(1, 3);
    set_objects(&mut s, 1).unwrap();
    assert_eq!(ids(&s), ["index.html", "late.js"]);
    assert_eq!(s.requests[1].after, ["index.html"]);
    s.validate().expect("the resized page is still valid");
}

#[test]
fn a_page_without_objects_has_nothing_to_repeat() {
    let preset = page(0);
    assert_eq!(with_text(&preset, Control::Objects, "5").unwrap(), preset);
}

#[test]
fn object_size_sets_every_object_but_not_the_page() {
    let preset = page(3);
    let s = with_text(&preset, Control::ObjectSize, "12.5").unwrap();
    assert_eq!(s.requests[0].response_bytes, 10_000);
    assert!(s.requests[1..].iter().all(|r| r.response_bytes == 12_500));
    assert_eq!(with_text(&preset, Control::ObjectSize, "").unwrap(), preset, "empty keeps the sizes");
    assert_eq!(with_text(&preset, Control::ObjectSize, "0.0014").unwrap().requests[1].response_bytes, 1);
    let errors = with_text(&preset, Control::ObjectSize, "0.0004").unwrap_err();
    assert_eq!(
        errors,
        vec![EditError::new(
            Control::ObjectSize,
            "Object size must be at least 0.001 KB (one byte) (got 0.0004)"
        )]
    );
}

#[test]
fn tls_other_than_13_turns_early_data_into_tickets() {
    let mut preset = page(1);
    preset.tls.version = TlsVersion::Tls13;
    preset.tls.resumption = Resumption::EarlyData;
    let tls = |s: Scenario| (s.tls.version, s.tls.resumption);
    let s = with_text(&preset, Control::Tls, "tls1.2").unwrap();
    assert_eq!(tls(s), (TlsVersion::Tls12, Resumption::Ticket));
    let s = with_text(&preset, Control::Tls, "none").unwrap();
    assert_eq!(tls(s), (TlsVersion::None, Resumption::Ticket));
    let s = with_text(&preset, Control::Tls, "tls1.3").unwrap();
    assert_eq!(tls(s), (TlsVersion::Tls13, Resumption::EarlyData));
    let errors = with_text(&preset, Control::Tls, "ssl3").unwrap_err();
    assert_eq!(errors, vec![EditError::new(Control::Tls, "TLS: unknown version \"ssl3\"")]);
}

#[test]
fn the_plain_fields_are_set_as_typed() {
    let preset = page(1);
    let s = apply_texts(
        &preset,
        &[
            (Control::InitialWindow, "4"),
            (Control::KeepAlive, "2500"),
            (Control::ConnectionLimit, "2"),
            (Control::Pipelining, "1"),
        ],
    )
    .unwrap();
    assert_eq!(s.tcp.initial_cwnd_segments, 4);
    assert_eq!(s.server.keep_alive_timeout_ms, 2500.0);
    assert_eq!(s.client.max_connections_per_host, 2);
    assert!(s.client.pipelining);
    let errors = with_text(&preset, Control::Pipelining, "yes").unwrap_err();
    assert_eq!(errors, vec![EditError::new(Control::Pipelining, "Pipelining must be 0 or 1 (got \"yes\")")]);
}

#[test]
fn the_title_follows_the_object_count_and_size() {
    let textbook = presets::find("textbook").unwrap().scenario();
    assert_eq!(textbook.name, "Textbook page: base HTML + 10 images");
    // 25 objects of the preset's 1 KB on one host.
    let s = with_text(&textbook, Control::Objects, "25").unwrap();
    assert_eq!(s.name, "Textbook page: index.html + 25 objects of 1 KB");
    assert_eq!(
        s.description,
        format!(
            "Edited from the preset “Textbook page: base HTML + 10 images”. About the preset: {}",
            textbook.description
        )
    );
    let s = apply_texts(&textbook, &[(Control::Objects, "1"), (Control::ObjectSize, "2,5")]).unwrap();
    assert_eq!(s.name, "Textbook page: index.html + 1 object of 2.5 KB");
    let s = with_text(&textbook, Control::ObjectSize, "5").unwrap();
    assert_eq!(s.name, "Textbook page: index.html + 10 objects of 5 KB");
    // The same list under other words: nothing to correct.
    for (control, same) in [(Control::Objects, "10"), (Control::ObjectSize, "1"), (Control::Rtt, "250")] {
        let s = with_text(&textbook, control, same).unwrap();
        assert_eq!((s.name.as_str(), &s.description), (textbook.name.as_str(), &textbook.description));
    }
}

#[test]
fn the_title_says_no_size_when_objects_differ_and_keeps_a_topic_without_a_colon() {
    let modern = presets::find("modern-page").unwrap().scenario();
    let sizes_differ =
        modern.requests[1..10].iter().any(|r| r.response_bytes != modern.requests[1].response_bytes);
    assert!(sizes_differ, "the test needs objects of several sizes");
    let s = with_text(&modern, Control::Objects, "9").unwrap();
    assert_eq!(s.name, "Modern web page: index.html + 9 objects");
    let mut untitled = page(2);
    untitled.name = "Polling".into();
    untitled.description.clear();
    let s = with_text(&untitled, Control::Objects, "3").unwrap();
    assert_eq!(s.name, "Polling: index.html + 3 objects of 5 KB");
    assert_eq!(s.description, "Edited from the preset “Polling”.");
    untitled.name.clear();
    assert_eq!(with_text(&untitled, Control::Objects, "0").unwrap().name, "index.html + 0 objects");
}

#[test]
fn reading_a_scenarios_texts_back_changes_nothing() {
    let mut s = page(3);
    s.network.loss_rate = 0.07;
    s.network.downlink_mbps = Some(12.5);
    s.network.uplink_mbps = Some(2.5);
    assert_eq!(Control::Loss.text_of(&s), "7");
    assert_eq!(Control::ObjectSize.text_of(&s), "5");
    assert_eq!(Control::Bandwidth.text_of(&s), "12.5");
    assert_eq!(apply_all(&s, &texts_of(&s)), Ok(s.clone()));
    s.requests[2].response_bytes = 1;
    assert_eq!(Control::ObjectSize.text_of(&s), "", "sizes differ");
}

#[test]
fn a_message_names_the_unit_the_control_is_typed_in() {
    for c in Control::ALL {
        let expected = if c.unit().is_empty() { String::new() } else { format!(" in {}", c.unit()) };
        assert_eq!(in_unit(c), expected, "{c:?}");
    }
}

#[test]
fn keys_and_labels_are_distinct() {
    for (i, a) in Control::ALL.iter().enumerate() {
        for b in &Control::ALL[i + 1..] {
            assert_ne!(a.key(), b.key());
            assert_ne!(a.label(), b.label());
        }
    }
}
