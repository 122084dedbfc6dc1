//! `reuse-cli sweep` end to end: every point equals `reuse-cli run --link`
//! at that value (and, under loss, the median of `run --seed` over the
//! sweep's seeds), and bad input is exit 2 naming the flag.

mod common;

use common::{cli, stderr};
use std::process::Output;

use serde_json::Value;

fn ok(out: &Output) -> String {
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(out));
    String::from_utf8(out.stdout.clone()).expect("stdout is UTF-8")
}

fn json(args: &[&str]) -> Value {
    serde_json::from_str(&ok(&cli(args))).expect("JSON")
}

/// `run --link` at one value of a control, under one protocol, with a seed.
fn run_at(preset: &str, key: &str, value: f64, protocol: &str, seed: Option<u64>) -> f64 {
    let link = format!("?v=1&p={preset}&{key}={value}");
    let seed = seed.map(|s| s.to_string());
    let mut args = vec!["run", "--link", &link, "--protocol", protocol, "--json"];
    if let Some(s) = &seed {
        args.extend(["--seed", s.as_str()]);
    }
    json(&args)["page_load_ms"].as_f64().expect("page_load_ms")
}

#[test]
fn every_point_equals_run_at_that_value() {
    let out = json(&["sweep", "--preset", "textbook", "--param", "rtt=20..200", "--points", "4", "--json"]);
    assert_eq!(out["param"], "rtt");
    assert_eq!(out["protocols"], serde_json::json!(["http/1.0", "http/1.1", "h2"]), "the default set");
    let points = out["points"].as_array().expect("points");
    assert_eq!(points.len(), 4);
    for p in points {
        let v = p["value"].as_f64().expect("value");
        for proto in ["http/1.0", "http/1.1", "h2"] {
            let median = p["protocols"][proto]["median"].as_f64().expect("median");
            assert_eq!(median, run_at("textbook", "rtt", v, proto, None), "{proto} at rtt {v}");
        }
    }
}

#[test]
fn under_loss_a_point_is_the_median_over_consecutive_seeds() {
    let preset: Value = json(&["preset", "lossy-mobile"]);
    let seed = preset["seed"].as_u64().expect("seed");
    let out = json(&[
        "sweep",
        "--preset",
        "lossy-mobile",
        "--param",
        "loss=1..3",
        "--points",
        "2",
        "--seeds",
        "3",
        "--protocol",
        "h2",
        "--json",
    ]);
    for p in out["points"].as_array().expect("points") {
        let v = p["value"].as_f64().expect("value");
        let mut runs: Vec<f64> =
            (0..3).map(|k| run_at("lossy-mobile", "loss", v, "h2", Some(seed + k))).collect();
        runs.sort_by(f64::total_cmp);
        let stat = &p["protocols"]["h2"];
        assert_eq!(stat["runs"], 3);
        assert_eq!(stat["median"].as_f64(), Some(runs[1]), "median at loss {v}");
        // Nearest rank of three: the 10th percentile is the least, the 90th the most.
        assert_eq!((stat["p10"].as_f64(), stat["p90"].as_f64()), (Some(runs[0]), Some(runs[2])));
    }
}

#[test]
fn a_crossover_is_printed_in_words_and_as_json() {
    let args = [
        "sweep",
        "--preset",
        "lossy-mobile",
        "--param",
        "loss=0..5",
        "--points",
        "6",
        "--seeds",
        "5",
        "--protocol",
        "1.1",
        "--protocol",
        "h2",
    ];
    let text = ok(&cli(&args));
    // The grid: one run without loss, five seeds at each of the five lossy points.
    assert!(
        text.contains("more points after the grid's 26 runs):\n  h2 slower than http/1.1 above"),
        "{text}"
    );
    let mut with_json = args.to_vec();
    with_json.push("--json");
    let out = json(&with_json);
    let c = &out["crossovers"][0];
    assert_eq!(c["higher_above"], "h2");
    let (at, lo, hi) =
        (c["at"].as_f64().unwrap(), c["between"][0].as_f64().unwrap(), c["between"][1].as_f64().unwrap());
    assert!(0.0 < lo && lo < at && at < hi && hi < 5.0, "{c}");
}

#[test]
fn csv_has_a_row_per_point_and_protocol() {
    let csv = ok(&cli(&[
        "sweep",
        "--preset",
        "textbook",
        "--param",
        "n=1..4",
        "--points",
        "4",
        "--protocol",
        "1.0",
        "--csv",
    ]));
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "n,protocol,page_load_ms,p10,p90,runs");
    assert_eq!(lines.len(), 1 + 4);
    assert!(lines[1].starts_with("1,http/1.0,"), "{}", lines[1]);
}

#[test]
fn bad_sweeps_exit_2_naming_the_flag() {
    let cases: [(&[&str], &str, &str); 8] = [
        (&["sweep", "--preset", "textbook"], "--param", "missing"),
        (&["sweep", "--preset", "textbook", "--param", "speed=1..2"], "--param", "unknown parameter"),
        (&["sweep", "--preset", "textbook", "--param", "rtt=50"], "--param", "FROM..TO"),
        (&["sweep", "--preset", "textbook", "--param", "rtt=50..10"], "--param", "must rise"),
        (&["sweep", "--preset", "textbook", "--param", "loss=0..90"], "--param", "50 %"),
        (&["sweep", "--preset", "textbook", "--param", "rtt=0..100", "--log"], "--log", "above 0"),
        (&["sweep", "--preset", "textbook", "--param", "rtt=1..100", "--points", "1"], "--points", "from 2"),
        (
            &["sweep", "--preset", "textbook", "--param", "rtt=1..100", "--metric", "speed"],
            "--metric",
            "page_load_ms",
        ),
    ];
    for (args, field, reason) in cases {
        let out = cli(args);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(out.stdout.is_empty(), "{args:?}: partial output");
        assert!(err.starts_with(&format!("error: {field}: ")) && err.contains(reason), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
    }
}

#[test]
fn svg_draws_the_curves_and_width_needs_it() {
    let svg = ok(&cli(&[
        "sweep",
        "--preset",
        "textbook",
        "--param",
        "rtt=10..1000",
        "--points",
        "5",
        "--log",
        "--svg",
        "--width",
        "800",
    ]));
    assert!(
        svg.starts_with("<svg") && svg.contains("data-view=\"curve\"") && svg.contains("width=\"800\""),
        "{}",
        &svg[..200]
    );
    assert_eq!(svg.matches("class=\"series\"").count(), 3, "a series per default protocol");
    let out = cli(&["sweep", "--preset", "textbook", "--param", "rtt=10..100", "--width", "800"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).starts_with("error: --width: "), "{}", stderr(&out));
}

/// The app's curve view writes its sweep into the link (`sweep=`,
/// `points=`, …): `sweep --link` draws the same curve as the flags, and a
/// flag given beside the link wins.
#[test]
fn a_link_carries_the_sweep_and_flags_override_it() {
    let link = "?v=1&p=textbook&show=10-2&sweep=rtt:20..200&points=4";
    let from_link = ok(&cli(&["sweep", "--link", link, "--csv"]));
    let flags = ok(&cli(&[
        "sweep",
        "--preset",
        "textbook",
        "--protocol",
        "1.0",
        "--protocol",
        "2",
        "--param",
        "rtt=20..200",
        "--points",
        "4",
        "--csv",
    ]));
    assert_eq!(from_link, flags);
    assert_eq!(from_link.lines().count(), 1 + 4 * 2, "4 points × the link's 2 protocols");
    let more = ok(&cli(&["sweep", "--link", link, "--points", "3", "--csv"]));
    assert_eq!(more.lines().count(), 1 + 3 * 2, "--points beats points=");

    for (link, field, reason) in [
        ("?v=1&p=textbook", "--param", "sweep=rtt:10..500"),
        ("?v=1&p=textbook&sweep=speed", "--link (sweep)", "unknown parameter"),
        ("?v=1&p=textbook&sweep=rtt&metric=fast", "--link (metric)", "unknown metric"),
        ("?v=1&p=textbook&sweep=rtt&points=1", "--points", "must be 2 to"),
    ] {
        let out = cli(&["sweep", "--link", link]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{link}: {err}");
        assert!(err.starts_with(&format!("error: {field}: ")) && err.contains(reason), "{link}: {err}");
    }
}

#[test]
fn variants_are_curves_and_each_point_equals_run_with_that_variant() {
    let variants =
        ["serial:protocol=1.0,cl=1", "keep-alive:protocol=1.1,cl=1", "pipelined:protocol=1.1,cl=1,pl=1"];
    let mut args = vec!["sweep", "--preset", "textbook", "--param", "rtt=50..150", "--points", "3", "--json"];
    for v in variants {
        args.extend(["--variant", v]);
    }
    let out = json(&args);
    assert_eq!(out["variants"], serde_json::json!(["serial", "keep-alive", "pipelined"]));
    assert_eq!(
        out["protocols"],
        serde_json::json!(["http/1.0", "http/1.1", "http/1.1"]),
        "each variant's own"
    );
    for p in out["points"].as_array().expect("points") {
        let v = p["value"].as_f64().expect("value");
        let link = format!("?v=1&p=textbook&rtt={v}");
        for spec in variants {
            let label = spec.split(':').next().expect("label");
            let median = p["variants"][label]["median"].as_f64().expect("median");
            // `run --variant` prints an array, one result per variant.
            let run = json(&["run", "--link", &link, "--variant", spec, "--json"]);
            assert_eq!(median, run[0]["page_load_ms"].as_f64().expect("page load"), "{label} at rtt {v}");
        }
    }
    // The picture names each curve and tells the two HTTP/1.1 curves apart.
    let mut svg_args = args.clone();
    svg_args.retain(|a| *a != "--json");
    svg_args.push("--svg");
    let svg = ok(&cli(&svg_args));
    assert!(svg.contains("data-series=\"pipelined\"") && svg.contains("stroke-dasharray"), "{svg}");
    let mut csv_args = args;
    csv_args.retain(|a| *a != "--json");
    csv_args.push("--csv");
    let csv = ok(&cli(&csv_args));
    assert!(csv.starts_with("rtt,variant,page_load_ms,") && csv.contains(",\"keep-alive\","), "{csv}");
}

#[test]
fn bad_variant_sweeps_exit_2_naming_the_flag() {
    let cases: [(&[&str], &str, &str); 3] = [
        (
            &["sweep", "--preset", "textbook", "--param", "rtt=10..100", "--variant", "fast:rtt=5"],
            "--variant",
            "the parameter swept",
        ),
        (
            &[
                "sweep",
                "--preset",
                "textbook",
                "--param",
                "rtt=10..100",
                "--protocol",
                "2",
                "--variant",
                "a:cl=1",
            ],
            "--variant",
            "not both",
        ),
        (
            &["sweep", "--preset", "textbook", "--param", "rtt=10..100", "--variant", "a:speed=1"],
            "--variant",
            "speed",
        ),
    ];
    for (args, field, reason) in cases {
        let out = cli(args);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.starts_with(&format!("error: {field}: ")) && err.contains(reason), "{args:?}: {err}");
    }
}

#[test]
fn a_variant_picks_the_congestion_controller_as_the_scenario_field_does() {
    // `cc=cubic` in a variant is `tcp.congestion_control = "cubic"` in the
    // scenario: the sweep's point, `run --variant` and `run` of the edited
    // scenario agree, and CUBIC's cut (0.7, not 0.5) changes the lossy run.
    let args = "sweep --preset lossy-mobile --param loss=1..3 --points 2 --seeds 1 --json \
                --variant reno:protocol=2,cc=reno --variant cubic:protocol=2,cc=cubic";
    let out = json(&args.split_whitespace().collect::<Vec<_>>());
    let point = &out["points"][1];
    let (reno, cubic) = (&point["variants"]["reno"]["median"], &point["variants"]["cubic"]["median"]);
    assert_ne!(reno, cubic, "the controllers differ under 3 % loss");
    let run = json(&[
        "run",
        "--link",
        "?v=1&p=lossy-mobile&loss=3",
        "--variant",
        "cubic:protocol=2,cc=cubic",
        "--json",
    ]);
    assert_eq!(&run[0]["page_load_ms"], cubic);
    let mut scenario = json(&["preset", "lossy-mobile"]);
    scenario["network"]["loss_rate"] = 0.03.into();
    scenario["tcp"]["congestion_control"] = "cubic".into();
    let edited = common::cli_with_stdin(&["run", "-", "--protocol", "2", "--json"], &scenario.to_string());
    let edited: Value = serde_json::from_str(&ok(&edited)).expect("JSON");
    assert_eq!(&edited["page_load_ms"], cubic);
    // A link's `cc=` is the same setting.
    let linked = json(&["run", "--link", "?v=1&p=lossy-mobile&loss=3&cc=cubic", "--protocol", "2", "--json"]);
    assert_eq!(&linked["page_load_ms"], cubic);
}
