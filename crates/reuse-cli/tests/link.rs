//! `reuse-cli … --link LINK` end to end: the CLI runs exactly the scenario
//! a Reuse Lab permalink shows, under the protocols it shows. Expectations
//! come from a direct engine call on the same link
//! (`reuse_sim::permalink::scenario_of`, the function the app's export
//! worker re-simulates a link with, and which the app's own form path is
//! held equal to in `src/export.rs`) and from the textbook closed forms,
//! never from numbers copied from a run.

mod common;

use common::{cli, cli_with_stdin, stderr};
use std::process::Output;

use reuse_sim::scenario::Protocol;
use reuse_sim::Scenario;
use serde_json::Value;

fn ok(out: &Output) -> String {
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(out));
    assert!(out.stderr.is_empty(), "stderr on success: {}", stderr(out));
    String::from_utf8(out.stdout.clone()).expect("stdout is UTF-8")
}

/// The bad-input contract: exit 2, nothing on stdout, one line
/// `error: field: reason`; returns (field, reason).
fn input_error(out: &Output) -> (String, String) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(2), "stderr: {err}");
    assert!(out.stdout.is_empty(), "partial output on stdout");
    assert!(err.ends_with('\n') && err.lines().count() == 1, "not one line: {err:?}");
    let message = err.trim_end().strip_prefix("error: ").expect("`error: ` prefix");
    let (field, reason) = message.split_once(": ").expect("`field: reason`");
    (field.to_string(), reason.to_string())
}

/// Links with edited objects, object sizes, bandwidth, TLS, loss and
/// connection limits, partial links, a whole address and the first
/// release's format (the same kinds as the app's test of its own path).
const LINKS: [&str; 9] = [
    "?v=1&p=textbook&rtt=100&bw=&loss=0&n=25&kb=2&iw=10&tls=none&ka=5000&cl=6&pl=0&show=10-11-2",
    "?v=1&p=modern-page&rtt=50&bw=8&loss=0&n=40&kb=&iw=10&tls=tls1.2&ka=75000&cl=6&pl=0&show=11-2",
    "https://example.org/reuse-lab/?v=1&p=image-tiles&n=30&kb=3.5&bw=%E2%88%9E&pl=1&show=11#lanes",
    "v=1&p=lossy-mobile&loss=5&rtt=12,5&show=2",
    "?v=1&p=api-polling&ka=2500&tls=tls1.2&cl=1&show=10-11",
    "?v=1&p=large-download&bw=100&iw=4&show=2",
    "?v=1&p=textbook&n=0&show=11",
    "?preset=image-tiles",
    "?v=1&p=modern-page&c=11-3&wf=2&t=2017.5&embed=1&autoplay=1",
];

/// The engine's results for a link, as the CLI's `--json` prints them:
/// read back through the same JSON parser, one per shown protocol.
fn engine_results(link: &str) -> (Scenario, Vec<Protocol>, Vec<Value>) {
    let (scenario, protocols) =
        reuse_sim::permalink::scenario_of(link).unwrap_or_else(|e| panic!("{link}: {e}"));
    let results = protocols
        .iter()
        .map(|&p| {
            let output = reuse_sim::simulate(&scenario.with_protocol(p)).expect("simulates");
            serde_json::from_str(&serde_json::to_string(&output.result).expect("serializes")).expect("JSON")
        })
        .collect();
    (scenario, protocols, results)
}

/// A `run --json` result without the CLI's `closed_form` (tested in
/// cli.rs): the engine's result object.
fn result_part(mut v: Value) -> Value {
    assert!(v.as_object_mut().and_then(|o| o.remove("closed_form")).is_some(), "run --json adds closed_form");
    v
}

/// `run --link --json` as a list of results, checking the shape: an array
/// exactly when the link shows several protocols.
fn cli_results(link: &str, shown: usize) -> Vec<Value> {
    let value: Value = serde_json::from_str(&ok(&cli(&["run", "--link", link, "--json"]))).expect("JSON");
    match value {
        Value::Array(results) => {
            assert!(shown > 1, "{link}: an array for {shown} protocol");
            results.into_iter().map(result_part).collect()
        }
        single => {
            assert_eq!(shown, 1, "{link}: one object for {shown} protocols");
            vec![result_part(single)]
        }
    }
}

#[test]
fn run_link_prints_the_engines_totals_for_every_shown_protocol() {
    for link in LINKS {
        let (_, protocols, expected) = engine_results(link);
        let printed = cli_results(link, protocols.len());
        assert_eq!(printed.len(), protocols.len(), "{link}");
        for ((got, want), p) in printed.iter().zip(&expected).zip(&protocols) {
            assert_eq!(got["protocol"], p.as_str(), "{link}");
            assert_eq!(got["totals"], want["totals"], "{link} under {p}");
            assert_eq!(got["page_load_ms"], want["page_load_ms"], "{link} under {p}");
            assert_eq!(got, want, "{link} under {p}: the whole result");
        }
    }
}

#[test]
fn the_link_edits_are_the_controls_rules() {
    // n=25 keeps the page and repeats the ten images; kb=2 sizes every object.
    let (scenario, protocols, _) = engine_results(LINKS[0]);
    assert_eq!(protocols, Protocol::OVER_TCP, "show=10-11-2");
    assert_eq!(scenario.requests.len(), 26);
    assert_eq!(scenario.requests[0].response_bytes, 10_000, "the page keeps its size");
    assert!(scenario.requests[1..].iter().all(|r| r.response_bytes == 2_000));
    assert_eq!(scenario.requests[11].id, "img1.png#2");
    let printed = cli_results(LINKS[0], 3);
    assert_eq!(
        printed[0]["scenario"], "Textbook page: index.html + 25 objects of 2 KB",
        "the title tells the truth"
    );
    assert_eq!(printed[0]["requests"].as_array().unwrap().len(), 26);
    // bw=8 on modern-page (20 down, 5 up): the uplink keeps the 4:1 ratio; TLS 1.2.
    let (scenario, protocols, _) = engine_results(LINKS[1]);
    assert_eq!((scenario.network.downlink_mbps, scenario.network.uplink_mbps), (Some(8.0), Some(2.0)));
    assert_eq!(scenario.tls.version.as_str(), "tls1.2");
    assert_eq!(protocols, [Protocol::Http11, Protocol::H2]);
    // loss=5 is percent; rtt=12,5 takes a decimal comma.
    let (scenario, _, _) = engine_results(LINKS[3]);
    assert_eq!((scenario.network.loss_rate, scenario.network.rtt_ms), (0.05, 12.5));
}

#[test]
fn a_link_of_the_textbook_page_meets_the_closed_forms() {
    // Infinite bandwidth, 25 objects of 400 bytes (10 KB: one window), RTT 50 ms:
    // HTTP/1.0 with 6 parallel connections takes 2 RTT + 2·⌈25/6⌉ RTT = 12 RTT,
    // HTTP/2 takes 3 RTT (handshake, page, every object at once).
    let link = "?v=1&p=textbook&rtt=50&n=25&kb=0.4&show=10-2";
    let printed = cli_results(link, 2);
    let rtt = 50.0;
    assert_eq!(printed[0]["page_load_ms"].as_f64(), Some((2.0 + 2.0 * (25.0f64 / 6.0).ceil()) * rtt));
    assert_eq!(printed[1]["page_load_ms"].as_f64(), Some(3.0 * rtt));
    assert_eq!(printed[0]["totals"]["connections_opened"], 26, "HTTP/1.0: one connection per request");
    assert_eq!(printed[1]["totals"]["connections_opened"], 1);
}

#[test]
fn protocol_flags_override_the_links_show() {
    let link = LINKS[0];
    let out: Value = serde_json::from_str(&ok(&cli(&["run", "--link", link, "--json", "--protocol", "h2"])))
        .expect("JSON");
    let (_, _, expected) = engine_results(link);
    assert_eq!(result_part(out), expected[2], "one object, under HTTP/2");
}

#[test]
fn seed_flag_overrides_the_links_seed() {
    let link = LINKS[3];
    let (mut scenario, _, _) = engine_results(link);
    scenario.seed = 9;
    let output = reuse_sim::simulate(&scenario.with_protocol(Protocol::H2)).expect("simulates");
    let expected: Value = serde_json::from_str(&serde_json::to_string(&output.result).unwrap()).unwrap();
    let out: Value =
        serde_json::from_str(&ok(&cli(&["run", "--link", link, "--json", "--seed", "9"]))).expect("JSON");
    assert_eq!(result_part(out), expected);
}

#[test]
fn trace_har_and_svg_take_a_link_as_the_same_scenario_as_a_file() {
    // The link's scenario written as a file must give byte-identical output.
    let link = LINKS[1];
    let (scenario, _, _) = engine_results(link);
    let json = scenario.to_json_pretty();
    let same = |from_link: &[&str], from_file: &[&str]| {
        let mut with_link = from_link.to_vec();
        with_link.extend_from_slice(&["--link", link]);
        let mut with_file = from_file.to_vec();
        with_file.push("-");
        assert_eq!(
            ok(&cli(&with_link)),
            ok(&cli_with_stdin(&with_file, &json)),
            "{from_link:?} against {from_file:?}"
        );
    };
    // One-protocol commands take the link's first shown protocol (HTTP/1.1 here).
    same(&["trace"], &["trace", "--protocol", "http/1.1"]);
    same(&["trace", "--protocol", "h2"], &["trace", "--protocol", "h2"]);
    same(&["har"], &["har", "--protocol", "http/1.1"]);
    same(&["svg", "--view", "waterfall"], &["svg", "--view", "waterfall", "--protocol", "http/1.1"]);
    // Comparing views take every shown protocol.
    same(&["svg"], &["svg", "--protocol", "http/1.1", "--protocol", "h2"]);
    same(
        &["svg", "--view", "totals"],
        &["svg", "--view", "totals", "--protocol", "http/1.1", "--protocol", "h2"],
    );
    same(&["run"], &["run", "--protocol", "http/1.1", "--protocol", "h2"]);
}

#[test]
fn a_bad_link_exits_2_naming_the_links_key() {
    let too_long = format!("?v=1&p=textbook&x={}", "a".repeat(2001));
    // The query, without its `?`, is what is measured.
    let too_long_reason =
        format!("{} characters is longer than any link Reuse Lab writes (2000 at most)", too_long.len() - 1);
    let cases: [(&str, &str, &str); 12] = [
        ("?v=1&p=textbook&rtt=-5", "link.rtt", "RTT must not be negative (got -5)"),
        ("?v=1&p=textbook&loss=80", "link.loss", "Loss must be between 0 and 50 % (got 80)"),
        ("?v=1&p=textbook&n=501", "link.n", "Objects must be at most 500 here (got 501)"),
        ("?v=1&p=textbook&kb=abc", "link.kb", "Object size must be a number in KB (got \"abc\")"),
        ("?v=1&p=textbook&tls=ssl3", "link.tls", "TLS: unknown version \"ssl3\""),
        ("?v=1&p=textbook&cl=0", "link.cl", "Connections per host must be between 1 and 64 (got 0)"),
        ("?v=1&p=textbook&pl=yes", "link.pl", "\"yes\" is neither 0 nor 1"),
        ("?v=1&p=textbook&show=10-9", "link.show", "unknown protocol \"9\" (use 10, 11, 2 or 3)"),
        ("?v=1&p=nowhere", "link.p", "no preset is called \"nowhere\""),
        (
            "?v=7&p=textbook",
            "link.v",
            "format 7 comes from a newer Reuse Lab (this one reads formats 0 to 1)",
        ),
        (
            "https://example.org/reuse-lab/",
            "link",
            "names no scenario (expected ?v=1&p=PRESET… or ?preset=PRESET)",
        ),
        (too_long.as_str(), "link", too_long_reason.as_str()),
    ];
    for (link, field, reason) in cases {
        for command in ["run", "trace", "svg", "har"] {
            let got = input_error(&cli(&[command, "--link", link]));
            assert_eq!(got, (field.to_string(), reason.to_string()), "{command} --link {link}");
        }
    }
}

#[test]
fn a_link_is_one_scenario_source_among_file_and_preset() {
    assert_eq!(input_error(&cli(&["run", "--link", LINKS[0], "--preset", "textbook"])).0, "scenario");
    assert_eq!(input_error(&cli(&["run", "--link"])).0, "--link");
    assert_eq!(
        input_error(&cli(&["trace", "--link", LINKS[0], "--protocol", "h2", "--protocol", "1.0"])).0,
        "--protocol"
    );
}

#[test]
fn help_names_the_link_option_for_every_command_that_takes_it() {
    let help = ok(&cli(&["--help"]));
    for command in ["run", "trace", "svg", "har"] {
        let usage = help
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("reuse-cli {command} ")))
            .unwrap_or_else(|| panic!("a usage line for {command}"));
        assert!(usage.contains("--link LINK"), "{usage}");
    }
    assert!(help.contains("  --link LINK"), "an OPTIONS entry");
}
