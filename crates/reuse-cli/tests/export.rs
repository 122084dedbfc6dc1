//! `reuse-cli svg` and `reuse-cli har` end to end: the SVG is well-formed,
//! self-contained XML with one lane per connection of each run, one ladder
//! arrow per packet of the connection, one totals group per protocol; the
//! HAR is JSON with one entry per request; expectations come from `run
//! --json` and `trace --json` (the same scenario through the existing
//! commands), never from copied numbers.

mod common;

use common::{cli, cli_with_stdin, stderr};
use std::process::Output;

use reuse_sim::presets;
use serde_json::Value;

/// Asserts success and returns stdout.
fn ok(out: &Output) -> String {
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(out));
    assert!(out.stderr.is_empty(), "stderr on success: {}", stderr(out));
    String::from_utf8(out.stdout.clone()).expect("stdout is UTF-8")
}

/// Asserts the bad-input contract: exit 2, nothing on stdout, one line
/// `error: field: reason`; returns the field.
fn input_error(out: &Output) -> String {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(2), "stderr: {err}");
    assert!(out.stdout.is_empty(), "partial output on stdout");
    assert!(err.ends_with('\n') && err.lines().count() == 1, "not one line: {err:?}");
    let message = err.trim_end().strip_prefix("error: ").expect("`error: ` prefix");
    let (field, reason) = message.split_once(": ").expect("`field: reason`");
    assert!(!reason.trim().is_empty());
    field.to_string()
}

/// `run --json` for the given protocols: always an array of results.
fn run_results(source: &[&str], protocols: &[&str], stdin: &str) -> Vec<Value> {
    let mut args = vec!["run"];
    args.extend_from_slice(source);
    args.push("--json");
    for p in protocols {
        args.extend_from_slice(&["--protocol", p]);
    }
    let value: Value = serde_json::from_str(&ok(&cli_with_stdin(&args, stdin))).expect("run --json is JSON");
    match value {
        Value::Array(results) => results,
        single => vec![single],
    }
}

/// Parses the SVG and checks the document-level promises: a root `<svg>` in
/// the SVG namespace with a positive size, one inline style at most, no
/// `foreignObject`, nothing fetched from elsewhere.
fn parse_svg(text: &str) -> roxmltree::Document<'_> {
    let doc = roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("SVG is not well-formed XML: {e}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(root.tag_name().namespace(), Some("http://www.w3.org/2000/svg"));
    for attribute in ["width", "height"] {
        let value: f64 = root
            .attribute(attribute)
            .unwrap_or_else(|| panic!("root has {attribute}"))
            .parse()
            .unwrap_or_else(|_| panic!("{attribute} is a number of pixels"));
        assert!(value > 0.0, "{attribute} = {value}");
    }
    let mut styles = 0;
    for node in doc.descendants().filter(|n| n.is_element()) {
        let name = node.tag_name().name();
        assert_ne!(name.to_ascii_lowercase(), "foreignobject", "no foreignObject");
        assert!(!matches!(name, "image" | "use" | "script" | "a"), "no <{name}> (external content)");
        styles += usize::from(name == "style");
        for attribute in node.attributes() {
            assert_ne!(attribute.name(), "href", "no href on <{name}>");
            assert!(!attribute.value().contains("url("), "no url() in {}", attribute.name());
        }
    }
    assert!(styles <= 1, "one inline style sheet at most");
    let style_text: String = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "style")
        .flat_map(|n| n.children().filter_map(|c| c.text()))
        .collect();
    assert!(!style_text.contains("@import") && !style_text.contains("url("), "style sheet fetches nothing");
    doc
}

/// Connection ids drawn as lanes for one protocol, in drawing order.
fn lane_ids(doc: &roxmltree::Document<'_>, protocol: &str) -> Vec<u64> {
    doc.descendants()
        .filter(|n| n.attribute("class") == Some("lane") && n.attribute("data-protocol") == Some(protocol))
        .map(|n| n.attribute("data-conn").expect("data-conn").parse().expect("a connection id"))
        .collect()
}

fn connection_ids(result: &Value) -> Vec<u64> {
    result["connections"]
        .as_array()
        .expect("connections")
        .iter()
        .map(|c| c["id"].as_u64().expect("id"))
        .collect()
}

#[test]
fn lanes_of_every_preset_show_one_row_per_connection_of_each_protocol() {
    for preset in presets::all() {
        let svg = ok(&cli(&["svg", "--preset", preset.id]));
        let doc = parse_svg(&svg);
        // Default: all four protocols, compared with `run` over the same four.
        let results = run_results(&["--preset", preset.id], &["http/1.0", "http/1.1", "h2", "h3"], "");
        for result in &results {
            let protocol = result["protocol"].as_str().expect("protocol");
            assert_eq!(
                lane_ids(&doc, protocol),
                connection_ids(result),
                "{} {protocol}: one lane per connection",
                preset.id
            );
        }
        assert_eq!(doc.root_element().attribute("width"), Some("1000"), "default width");
    }
}

#[test]
fn lanes_draw_only_the_protocols_asked_for_in_that_order() {
    let svg = ok(&cli(&["svg", "--preset", "textbook", "--protocol", "h2", "--protocol", "1.0"]));
    let doc = parse_svg(&svg);
    let groups: Vec<&str> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("protocol-group"))
        .map(|n| n.attribute("data-protocol").expect("data-protocol"))
        .collect();
    assert_eq!(groups, ["h2", "http/1.0"]);
    assert!(lane_ids(&doc, "http/1.1").is_empty());
    let results = run_results(&["--preset", "textbook"], &["h2", "http/1.0"], "");
    assert_eq!(lane_ids(&doc, "h2"), connection_ids(&results[0]));
    assert_eq!(lane_ids(&doc, "http/1.0"), connection_ids(&results[1]));
}

#[test]
fn width_sets_the_picture_width_and_the_height_grows_with_rows() {
    let wide = ok(&cli(&["svg", "--preset", "textbook", "--width", "1600"]));
    let doc = parse_svg(&wide);
    assert_eq!(doc.root_element().attribute("width"), Some("1600"));
    let height = |text: &str| -> f64 {
        roxmltree::Document::parse(text)
            .expect("XML")
            .root_element()
            .attribute("height")
            .expect("h")
            .parse()
            .expect("n")
    };
    let one = ok(&cli(&["svg", "--preset", "textbook", "--protocol", "h2"]));
    let three = ok(&cli(&["svg", "--preset", "textbook"]));
    assert!(height(&three) > height(&one), "more rows, taller picture");
    // Nothing is drawn below the bottom edge: every rect fits the height.
    let doc = parse_svg(&three);
    let h = height(&three);
    for rect in doc.descendants().filter(|n| n.tag_name().name() == "rect") {
        let y: f64 = rect.attribute("y").unwrap_or("0").parse().expect("y");
        let rh: f64 = rect.attribute("height").expect("height").parse().expect("height");
        assert!(y + rh <= h + 1e-6, "rect at {y}+{rh} below {h}");
    }
}

#[test]
fn waterfall_has_one_row_per_request_in_scenario_order() {
    for preset in presets::all() {
        let svg = ok(&cli(&["svg", "--preset", preset.id, "--view", "waterfall", "--protocol", "h2"]));
        let doc = parse_svg(&svg);
        let rows: Vec<&str> = doc
            .descendants()
            .filter(|n| n.attribute("class") == Some("request-row"))
            .map(|n| n.attribute("data-request").expect("data-request"))
            .collect();
        let ids: Vec<String> = preset.scenario().requests.iter().map(|r| r.id.clone()).collect();
        assert_eq!(rows, ids, "{}", preset.id);
    }
}

#[test]
fn text_from_the_scenario_is_escaped() {
    let mut scenario: Value =
        serde_json::from_str(&presets::find("textbook").expect("preset").scenario().to_json_pretty())
            .expect("JSON");
    let nasty = "a<b>&\"c\"'d</svg>";
    scenario["name"] = Value::from("<script>alert(1)</script> & \"more\"");
    let requests = scenario["requests"].as_array_mut().expect("requests");
    requests.truncate(1);
    requests[0]["id"] = Value::from(nasty);
    let text = scenario.to_string();
    for view in ["lanes", "waterfall"] {
        let svg = ok(&cli_with_stdin(&["svg", "-", "--view", view], &text));
        let doc = parse_svg(&svg);
        assert!(doc.descendants().all(|n| n.tag_name().name() != "script"), "{view}");
        let requests: Vec<&str> =
            doc.descendants().filter_map(|n| n.attribute("data-request")).collect::<Vec<_>>();
        // Lanes draw the request once per protocol (all four by default).
        let copies = if view == "lanes" { 4 } else { 1 };
        assert_eq!(requests, vec![nasty; copies], "{view}: the id survives escaping intact");
    }
    let har: Value = serde_json::from_str(&ok(&cli_with_stdin(&["har", "-"], &text))).expect("HAR is JSON");
    assert_eq!(har["log"]["entries"].as_array().expect("entries").len(), 1);
}

#[test]
fn svg_and_har_are_the_same_on_every_run() {
    let args = ["svg", "--preset", "modern-page"];
    assert_eq!(ok(&cli(&args)), ok(&cli(&args)));
    let args = ["har", "--preset", "modern-page", "--protocol", "h2"];
    assert_eq!(ok(&cli(&args)), ok(&cli(&args)));
}

#[test]
fn har_of_every_preset_and_protocol_has_one_entry_per_request() {
    for preset in presets::all() {
        for protocol in ["http/1.0", "http/1.1", "h2"] {
            let har: Value =
                serde_json::from_str(&ok(&cli(&["har", "--preset", preset.id, "--protocol", protocol])))
                    .expect("HAR is JSON");
            let result = &run_results(&["--preset", preset.id], &[protocol], "")[0];
            let requests = result["requests"].as_array().expect("requests");
            let entries = har["log"]["entries"].as_array().expect("entries");
            assert_eq!(entries.len(), requests.len(), "{} {protocol}", preset.id);
            assert_eq!(har["log"]["version"], "1.2");
            assert_eq!(har["log"]["pages"][0]["pageTimings"]["onLoad"], result["page_load_ms"]);
            for (entry, request) in entries.iter().zip(requests) {
                assert_eq!(
                    entry["connection"],
                    request["connection"].to_string(),
                    "{} {protocol}",
                    preset.id
                );
                let time = entry["time"].as_f64().expect("time");
                let span =
                    request["end_ms"].as_f64().expect("end") - request["start_ms"].as_f64().expect("start");
                assert!((time - span).abs() < 1e-9, "{} {protocol}", preset.id);
            }
        }
    }
}

#[test]
fn har_without_a_protocol_uses_the_scenarios_own() {
    let har: Value = serde_json::from_str(&ok(&cli(&["har", "--preset", "textbook"]))).expect("HAR is JSON");
    let result = &run_results(&["--preset", "textbook"], &[], "")[0];
    let expected = match result["protocol"].as_str().expect("protocol") {
        "http/1.0" => "HTTP/1.0",
        "http/1.1" => "HTTP/1.1",
        other => other,
    };
    assert_eq!(har["log"]["entries"][0]["request"]["httpVersion"], expected);
}

#[test]
fn bad_flags_and_input_exit_2_with_one_line_naming_the_field() {
    assert_eq!(input_error(&cli(&["svg", "--preset", "textbook", "--view", "ladders"])), "--view");
    assert_eq!(input_error(&cli(&["svg", "--preset", "textbook", "--width", "10"])), "--width");
    assert_eq!(input_error(&cli(&["svg", "--preset", "textbook", "--width", "wide"])), "--width");
    assert_eq!(input_error(&cli(&["svg", "--preset", "textbook", "--json"])), "--json");
    assert_eq!(input_error(&cli(&["svg", "--preset", "nope"])), "--preset");
    assert_eq!(input_error(&cli(&["svg", "--preset", "textbook", "--protocol", "h9"])), "--protocol");
    assert_eq!(
        input_error(&cli(&[
            "svg",
            "--preset",
            "textbook",
            "--view",
            "waterfall",
            "--protocol",
            "1.0",
            "--protocol",
            "2"
        ])),
        "--protocol"
    );
    assert_eq!(
        input_error(&cli(&["har", "--preset", "textbook", "--protocol", "1.0", "--protocol", "2"])),
        "--protocol"
    );
    assert_eq!(input_error(&cli(&["har", "--preset", "textbook", "--width", "900"])), "--width");
    assert_eq!(input_error(&cli(&["har"])), "scenario");
    assert_eq!(input_error(&cli_with_stdin(&["har", "-"], "{ not json")), "scenario");
    assert_eq!(input_error(&cli_with_stdin(&["svg", "-"], "{ not json")), "scenario");
    assert_eq!(input_error(&cli(&["svg", "/nonexistent/scenario.json"])), "/nonexistent/scenario.json");
}

#[test]
fn help_documents_the_export_commands() {
    let help = ok(&cli(&["--help"]));
    for needle in [
        "reuse-cli svg",
        "reuse-cli har",
        "--view lanes|waterfall|ladder|totals",
        "--connection N",
        "--width PX",
        "HAR 1.2",
    ] {
        assert!(help.contains(needle), "help mentions {needle}");
    }
}

/// `trace --json` of one protocol: one JSON object per event.
fn trace_events(preset: &str, protocol: &str) -> Vec<Value> {
    ok(&cli(&["trace", "--preset", preset, "--protocol", protocol, "--json"]))
        .lines()
        .map(|line| serde_json::from_str(line).expect("one JSON object per line"))
        .collect()
}

/// The trace's `packet_sent` events of one connection, in order.
fn packets_of(events: &[Value], conn: u64) -> Vec<&Value> {
    events.iter().filter(|e| e["type"] == "packet_sent" && e["conn"].as_u64() == Some(conn)).collect()
}

fn has_class(node: &roxmltree::Node<'_, '_>, class: &str) -> bool {
    node.attribute("class").is_some_and(|c| c.split_whitespace().any(|w| w == class))
}

/// The packet ids the ladder draws, in drawing order.
fn ladder_packets(doc: &roxmltree::Document<'_>, class: &str) -> Vec<u64> {
    doc.descendants()
        .filter(|n| has_class(n, class))
        .map(|n| n.attribute("data-packet").expect("data-packet").parse().expect("an id"))
        .collect()
}

fn ids(packets: &[&Value]) -> Vec<u64> {
    packets.iter().map(|p| p["id"].as_u64().expect("id")).collect()
}

#[test]
fn ladder_of_the_first_http10_connection_draws_every_packet_of_the_trace() {
    let svg = ok(&cli(&["svg", "--preset", "textbook", "--view", "ladder", "--protocol", "http/1.0"]));
    let doc = parse_svg(&svg);
    assert_eq!(doc.root_element().attribute("data-view"), Some("ladder"));
    let first = connection_ids(&run_results(&["--preset", "textbook"], &["http/1.0"], "")[0])[0];
    let ladder = doc.descendants().find(|n| has_class(n, "ladder")).expect("the ladder group");
    assert_eq!(ladder.attribute("data-conn"), Some(first.to_string().as_str()), "default: the first");
    let events = trace_events("textbook", "http/1.0");
    let packets = packets_of(&events, first);
    assert!(!packets.is_empty());
    assert_eq!(ladder_packets(&doc, "pkt"), ids(&packets), "one arrow per packet_sent, in order");
    let labels: Vec<String> = doc
        .descendants()
        .filter(|n| has_class(n, "pkt-label"))
        .map(|n| n.text().expect("label text").to_string())
        .collect();
    assert!(labels.iter().any(|l| l == "SYN"), "{labels:?}");
    assert!(labels.iter().any(|l| l == "SYN-ACK"), "{labels:?}");
    assert!(labels.iter().any(|l| l.split_whitespace().any(|w| w == "FIN")), "{labels:?}");
}

#[test]
fn ladder_connection_flag_picks_the_connection_and_lost_packets_are_marked() {
    // lossy-mobile over HTTP/1.1: the connection with the most losses, from the trace.
    let events = trace_events("lossy-mobile", "http/1.1");
    let result = &run_results(&["--preset", "lossy-mobile"], &["http/1.1"], "")[0];
    let lost_on = |conn: u64| packets_of(&events, conn).iter().filter(|p| p["lost"] == true).count();
    let conn = connection_ids(result)
        .into_iter()
        .max_by_key(|&c| (lost_on(c), std::cmp::Reverse(c)))
        .expect("a connection");
    assert!(lost_on(conn) > 0, "the preset loses packets at 2 %");
    let svg = ok(&cli(&[
        "svg",
        "--preset",
        "lossy-mobile",
        "--protocol",
        "1.1",
        "--view=ladder",
        "--connection",
        &conn.to_string(),
    ]));
    let doc = parse_svg(&svg);
    let packets = packets_of(&events, conn);
    assert_eq!(ladder_packets(&doc, "pkt"), ids(&packets));
    let lost: Vec<&Value> = packets.iter().copied().filter(|p| p["lost"] == true).collect();
    assert_eq!(ladder_packets(&doc, "pkt-lost"), ids(&lost), "every lost packet marked, no other");
    let retransmitted: Vec<&Value> =
        packets.iter().copied().filter(|p| p["retransmission"] == true).collect();
    assert_eq!(ladder_packets(&doc, "pkt-retx"), ids(&retransmitted));
}

#[test]
fn totals_show_one_group_per_protocol_with_the_runs_numbers() {
    let svg = ok(&cli(&["svg", "--preset", "modern-page", "--view", "totals"]));
    let doc = parse_svg(&svg);
    assert_eq!(doc.root_element().attribute("data-view"), Some("totals"));
    let results = run_results(&["--preset", "modern-page"], &["http/1.0", "http/1.1", "h2", "h3"], "");
    let groups: Vec<roxmltree::Node<'_, '_>> =
        doc.descendants().filter(|n| has_class(n, "protocol-totals")).collect();
    assert_eq!(groups.len(), results.len());
    for (group, result) in groups.iter().zip(&results) {
        assert_eq!(group.attribute("data-protocol"), result["protocol"].as_str());
        let cell = group
            .descendants()
            .find(|n| has_class(n, "total") && n.attribute("data-metric") == Some("page_load_ms"))
            .expect("a page-load cell");
        let page_load = result["page_load_ms"].as_f64().expect("page_load_ms");
        let value: f64 = cell.attribute("data-value").expect("data-value").parse().expect("a number");
        assert_eq!(value, page_load);
        let text = cell.descendants().find(|n| has_class(n, "value")).and_then(|n| n.text()).expect("text");
        assert_eq!(text, reuse_render::layout::format_ms(page_load));
        for metric in ["connections_opened", "packets", "header_bytes", "retransmissions", "idle_closes"] {
            let cell = group
                .descendants()
                .find(|n| has_class(n, "total") && n.attribute("data-metric") == Some(metric))
                .unwrap_or_else(|| panic!("{metric}"));
            let value: f64 = cell.attribute("data-value").expect("data-value").parse().expect("a number");
            assert_eq!(value, result["totals"][metric].as_f64().expect("a total"), "{metric}");
        }
    }
    // Only the protocols asked for, in order.
    let svg = ok(&cli(&[
        "svg",
        "--preset",
        "textbook",
        "--view",
        "totals",
        "--protocol",
        "h2",
        "--protocol",
        "1.0",
    ]));
    let doc = parse_svg(&svg);
    let protocols: Vec<&str> = doc
        .descendants()
        .filter(|n| has_class(n, "protocol-totals"))
        .map(|n| n.attribute("data-protocol").expect("data-protocol"))
        .collect();
    assert_eq!(protocols, ["h2", "http/1.0"]);
}

#[test]
fn every_view_is_named_in_the_file() {
    for view in ["lanes", "waterfall", "ladder", "totals", "cwnd"] {
        let svg = ok(&cli(&["svg", "--preset", "textbook", "--view", view]));
        let doc = parse_svg(&svg);
        assert_eq!(doc.root_element().attribute("data-view"), Some(view));
        let group =
            doc.descendants().find(|n| n.attribute("id") == Some(view)).expect("g with the view's id");
        assert_eq!(group.tag_name().name(), "g");
        assert_eq!(group.attribute("data-view"), Some(view));
    }
}

#[test]
fn bad_ladder_flags_exit_2_naming_the_flag() {
    let connections = connection_ids(&run_results(&["--preset", "textbook"], &["http/1.1"], "")[0]);
    let missing = (connections.iter().max().expect("connections") + 1).to_string();
    let ladder = |extra: &[&str]| {
        let mut args = vec!["svg", "--preset", "textbook", "--protocol", "1.1", "--view", "ladder"];
        args.extend_from_slice(extra);
        cli(&args)
    };
    let unknown = ladder(&["--connection", &missing]);
    assert_eq!(input_error(&unknown), "--connection");
    let message = stderr(&unknown);
    assert!(message.contains(&missing) && message.contains("HTTP/1.1"), "{message}");
    for bad in ["0", "-3", "one", "1.5", ""] {
        assert_eq!(input_error(&ladder(&["--connection", bad])), "--connection", "{bad:?}");
    }
    assert_eq!(input_error(&ladder(&["--connection"])), "--connection");
    assert_eq!(input_error(&ladder(&["--protocol", "h2"])), "--protocol", "two protocols");
    assert_eq!(input_error(&cli(&["svg", "--preset", "textbook", "--connection", "1"])), "--connection");
    assert_eq!(
        input_error(&cli(&["svg", "--preset", "textbook", "--view", "totals", "--connection", "1"])),
        "--connection"
    );
    // The congestion window draws one connection too, named the same way.
    let cwnd = |conn: &str| {
        cli(&["svg", "--preset", "textbook", "--protocol", "1.1", "--view", "cwnd", "--connection", conn])
    };
    let unknown = cwnd(&missing);
    assert_eq!(input_error(&unknown), "--connection");
    assert!(stderr(&unknown).contains(&missing), "{}", stderr(&unknown));
    let first = ok(&cwnd("1"));
    assert!(first.contains("Congestion window · connection 1 · server sending · HTTP/1.1 · Reno"), "{first}");
}
