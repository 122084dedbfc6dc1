//! The `reuse-cli` binary end to end: exit codes, the one-line error
//! contract, and outputs checked against the engine's own results and the
//! scenario format (never against numbers copied from a run).

mod common;

use common::{cli, cli_with_stdin};
use std::process::Output;

use reuse_sim::presets;
use reuse_sim::scenario::{CongestionControl, Protocol};
use reuse_sim::{DescribeContext, Scenario, SimOutput};
use serde_json::{json, Value};

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).expect("stderr is UTF-8")
}

/// Asserts success and returns stdout.
fn ok(out: &Output) -> String {
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(out));
    assert!(out.stderr.is_empty(), "stderr on success: {}", stderr(out));
    stdout(out)
}

/// Asserts the bad-input contract (exit 2, nothing on stdout, exactly one
/// `error: <field>: <reason>` line on stderr) and returns (field, reason).
fn input_error(out: &Output) -> (String, String) {
    one_line_error(out, 2)
}

fn one_line_error(out: &Output, code: i32) -> (String, String) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(code), "stderr: {err}");
    assert!(out.stdout.is_empty(), "partial output on stdout: {}", stdout(out));
    assert!(err.ends_with('\n') && err.lines().count() == 1, "not one line: {err:?}");
    let message =
        err.trim_end().strip_prefix("error: ").unwrap_or_else(|| panic!("no `error: ` prefix: {err}"));
    let (field, reason) = message.split_once(": ").unwrap_or_else(|| panic!("no `field: reason`: {err}"));
    assert!(!reason.trim().is_empty(), "empty reason: {err}");
    (field.to_string(), reason.to_string())
}

fn preset(id: &str) -> Scenario {
    presets::find(id).unwrap_or_else(|| panic!("preset {id} exists")).scenario()
}

/// The textbook preset as editable JSON.
fn textbook_json() -> Value {
    serde_json::from_str(&preset("textbook").to_json_pretty()).expect("a preset is JSON")
}

fn run_json(scenario: &Value, extra: &[&str]) -> Output {
    let mut args = vec!["run", "-", "--json"];
    args.extend_from_slice(extra);
    cli_with_stdin(&args, &scenario.to_string())
}

fn simulate(scenario: &Scenario) -> SimOutput {
    reuse_sim::simulate(scenario).unwrap_or_else(|e| panic!("{} simulates: {e}", scenario.name))
}

/// The engine's result as the CLI should print it, read back through the
/// same JSON parser as the CLI's output (so float parsing cannot differ).
fn engine_result_json(scenario: &Scenario) -> Value {
    let text = serde_json::to_string(&simulate(scenario).result).expect("results serialize");
    serde_json::from_str(&text).expect("results are JSON")
}

/// A `run --json` result without the CLI's `closed_form` (checked on its
/// own): the engine's result object.
fn result_part(mut v: Value) -> Value {
    let formula = v.as_object_mut().and_then(|o| o.remove("closed_form"));
    assert!(formula.is_some(), "run --json adds closed_form");
    v
}

fn parse_json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

// ---------------------------------------------------------------- bad input

#[test]
fn malformed_json_is_an_input_error_about_the_document() {
    let (field, reason) = input_error(&cli_with_stdin(&["run", "-"], "{ not json"));
    assert_eq!(field, "scenario", "reason: {reason}");
    assert!(reason.contains("line 1"), "says where: {reason}");
}

#[test]
fn malformed_key_inside_an_object_names_the_object() {
    let (field, _) = input_error(&cli_with_stdin(&["run", "-"], r#"{"network": {"rtt_ms": 100,, }}"#));
    assert_eq!(field, "network");
}

#[test]
fn json_that_is_not_an_object_is_about_the_document() {
    for text in ["[1]", "null", "42"] {
        let (field, reason) = input_error(&cli_with_stdin(&["run", "-"], text));
        assert_eq!(field, "scenario", "for {text}: {reason}");
    }
}

#[test]
fn section_given_as_an_array_is_rejected() {
    // serde reads a struct from a sequence too; the format is objects only,
    // so `[100]` must not silently become `{"rtt_ms": 100}` plus defaults.
    let mut s = textbook_json();
    s["network"] = json!([100]);
    assert_eq!(input_error(&run_json(&s, &[])).0, "network");
}

#[test]
fn truncated_json_names_the_field_being_read() {
    let (field, _) = input_error(&cli_with_stdin(&["run", "-"], r#"{"network": {"rtt_ms": "#));
    assert_eq!(field, "network.rtt_ms");
}

#[test]
fn empty_input_is_an_input_error() {
    let (field, _) = input_error(&cli_with_stdin(&["run", "-"], ""));
    assert_eq!(field, "scenario");
}

#[test]
fn negative_rtt_names_network_rtt_ms() {
    let mut s = textbook_json();
    s["network"]["rtt_ms"] = json!(-20);
    let (field, reason) = input_error(&run_json(&s, &[]));
    assert_eq!(field, "network.rtt_ms");
    assert!(reason.contains("-20"), "quotes the value: {reason}");
}

#[test]
fn rtt_of_the_wrong_type_names_network_rtt_ms() {
    let mut s = textbook_json();
    s["network"]["rtt_ms"] = json!("100");
    assert_eq!(input_error(&run_json(&s, &[])).0, "network.rtt_ms");
}

#[test]
fn zero_mss_names_network_mss_bytes() {
    let mut s = textbook_json();
    s["network"]["mss_bytes"] = json!(0);
    assert_eq!(input_error(&run_json(&s, &[])).0, "network.mss_bytes");
}

#[test]
fn loss_rate_of_one_names_network_loss_rate() {
    let mut s = textbook_json();
    s["network"]["loss_rate"] = json!(1.0);
    assert_eq!(input_error(&run_json(&s, &[])).0, "network.loss_rate");
}

#[test]
fn unknown_field_is_named_with_its_path() {
    let mut s = textbook_json();
    let network = s["network"].as_object_mut().expect("network is an object");
    let rtt = network.remove("rtt_ms").expect("rtt_ms is set");
    network.insert("rt_ms".into(), rtt);
    let (field, reason) = input_error(&run_json(&s, &[]));
    assert_eq!(field, "network.rt_ms");
    assert!(reason.contains("rtt_ms"), "suggests the right name: {reason}");
}

#[test]
fn unknown_id_in_after_names_the_entry() {
    let mut s = textbook_json();
    s["requests"][1]["after"] = json!(["no-such-request"]);
    let (field, reason) = input_error(&run_json(&s, &[]));
    assert_eq!(field, "requests[1].after[0]");
    assert!(reason.contains("no-such-request"), "{reason}");
}

#[test]
fn dependency_cycle_names_a_request_on_it() {
    let mut s = textbook_json();
    // requests[1] already waits for requests[0]; close the loop.
    let second = s["requests"][1]["id"].clone();
    assert_eq!(s["requests"][1]["after"], json!([s["requests"][0]["id"].clone()]));
    s["requests"][0]["after"] = json!([second]);
    let (field, reason) = input_error(&run_json(&s, &[]));
    assert!(
        field == "requests[0].after" || field == "requests[1].after",
        "names one of the two requests on the cycle: {field}"
    );
    assert!(reason.contains("cycle"), "{reason}");
}

#[test]
fn unknown_protocol_names_the_flag() {
    let (field, reason) = input_error(&cli(&["run", "--preset", "textbook", "--protocol", "h9"]));
    assert_eq!(field, "--protocol");
    assert!(reason.contains("h9"), "{reason}");
}

#[test]
fn a_bad_protocol_after_a_good_one_prints_nothing() {
    input_error(&cli(&["run", "--preset", "textbook", "--protocol", "h2", "--protocol", "h9", "--json"]));
}

#[test]
fn unknown_preset_names_the_flag_and_lists_the_presets() {
    let (field, reason) = input_error(&cli(&["run", "--preset", "no-such-preset"]));
    assert_eq!(field, "--preset");
    for p in presets::all() {
        assert!(reason.contains(p.id), "lists {}: {reason}", p.id);
    }
    assert_eq!(input_error(&cli(&["preset", "no-such-preset"])).0, "preset");
    assert_eq!(input_error(&cli(&["digest", "--preset", "no-such-preset"])).0, "--preset");
}

#[test]
fn unknown_flag_is_named() {
    assert_eq!(input_error(&cli(&["run", "--preset", "textbook", "--fast"])).0, "--fast");
    assert_eq!(input_error(&cli(&["presets", "--json"])).0, "--json");
    assert_eq!(input_error(&cli(&["--frobnicate"])).0, "--frobnicate");
}

#[test]
fn flag_without_its_value_is_named() {
    assert_eq!(input_error(&cli(&["run", "--preset"])).0, "--preset");
    assert_eq!(input_error(&cli(&["run", "--preset", "textbook", "--seed"])).0, "--seed");
}

#[test]
fn bad_seed_is_named() {
    assert_eq!(input_error(&cli(&["run", "--preset", "textbook", "--seed", "-1"])).0, "--seed");
    assert_eq!(input_error(&cli(&["run", "--preset", "textbook", "--seed=x"])).0, "--seed");
}

#[test]
fn missing_file_names_the_file() {
    let path = format!("{}/definitely-missing-scenario.json", env!("CARGO_TARGET_TMPDIR"));
    let (field, reason) = input_error(&cli(&["run", &path]));
    assert_eq!(field, path);
    assert!(reason.contains("cannot read"), "{reason}");
}

#[test]
fn file_that_is_not_text_names_the_file() {
    let path = format!("{}/not-utf8-scenario.json", env!("CARGO_TARGET_TMPDIR"));
    std::fs::write(&path, [0xff, 0xfe, 0x00, 0x7b]).expect("temp file");
    assert_eq!(input_error(&cli(&["run", &path])).0, path);
}

#[test]
fn errors_in_a_file_name_the_field_too() {
    let mut s = textbook_json();
    s["network"]["mss_bytes"] = json!(0);
    let path = format!("{}/zero-mss-scenario.json", env!("CARGO_TARGET_TMPDIR"));
    std::fs::write(&path, s.to_string()).expect("temp file");
    assert_eq!(input_error(&cli(&["run", &path, "--json"])).0, "network.mss_bytes");
    assert_eq!(input_error(&cli(&["trace", &path])).0, "network.mss_bytes");
}

#[test]
fn missing_or_unknown_command_is_an_input_error() {
    assert_eq!(input_error(&cli(&[])).0, "command");
    assert_eq!(input_error(&cli(&["simulate"])).0, "command");
}

#[test]
fn scenario_source_must_be_exactly_one() {
    assert_eq!(input_error(&cli(&["run"])).0, "scenario");
    assert_eq!(input_error(&cli(&["run", "a.json", "--preset", "textbook"])).0, "scenario");
    assert_eq!(input_error(&cli(&["run", "a.json", "b.json"])).0, "scenario");
}

#[test]
fn trace_takes_one_protocol() {
    let out = cli(&["trace", "--preset", "textbook", "--protocol", "h2", "--protocol", "http/1.1"]);
    assert_eq!(input_error(&out).0, "--protocol");
}

#[test]
fn simulation_that_gives_up_exits_1_with_one_line() {
    // Five requests one after another, each an hour of think time (the
    // largest delay the format allows): the page cannot load before five
    // hours of simulated time, past the engine's time limit.
    let mut s = textbook_json();
    let requests: Vec<Value> = (0..5)
        .map(|i| {
            let after: Vec<String> = if i == 0 { vec![] } else { vec![format!("step{}", i - 1)] };
            json!({ "id": format!("step{i}"), "response_bytes": 1000, "after": after, "delay_ms": 3_600_000.0 })
        })
        .collect();
    s["requests"] = Value::Array(requests);
    let limit_hours = reuse_sim::Limits::default().max_time_ms as f64 / 3_600_000.0;
    assert!(limit_hours < 5.0, "the test needs the time limit below five hours");
    // Where it got stuck: the partial result on stdout (the steps done, the
    // rest failed as unfinished), then one line on stderr, exit 1.
    let out = run_json(&s, &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "stderr: {err}");
    assert!(err.starts_with("error: simulation: ") && err.lines().count() == 1, "{err:?}");
    let partial: Value = serde_json::from_str(&stdout(&out)).expect("the partial result is JSON");
    let requests = partial["requests"].as_array().expect("requests");
    let done = requests.iter().filter(|r| r.get("failure").is_none()).count();
    let unfinished = requests.iter().filter(|r| r["failure"] == "unfinished").count();
    assert_eq!(done + unfinished, 5);
    assert_eq!(
        done,
        limit_hours.floor() as usize - 1,
        "one step per hour of think time, the first after an hour"
    );
    assert_eq!(partial["totals"]["failed_requests"], unfinished);
}

// ------------------------------------------------------------ informational

#[test]
fn presets_lists_every_preset() {
    let text = ok(&cli(&["presets"]));
    for p in presets::all() {
        assert!(
            text.lines().any(|line| line.split_whitespace().next() == Some(p.id) && line.contains(p.title)),
            "{} listed with its title:\n{text}",
            p.id
        );
        assert!(text.contains(p.summary), "{} summary listed", p.id);
    }
}

#[test]
fn schema_is_the_engines_json_schema() {
    let printed = parse_json(&ok(&cli(&["schema"])));
    assert_eq!(printed, parse_json(reuse_sim::schema::SCENARIO_SCHEMA));
}

#[test]
fn every_preset_prints_as_a_scenario_that_reads_back() {
    for p in presets::all() {
        let text = ok(&cli(&["preset", p.id]));
        let scenario = Scenario::from_json(&text).unwrap_or_else(|e| panic!("{} reads back: {e}", p.id));
        assert_eq!(scenario, p.scenario(), "{} round-trips", p.id);
    }
}

#[test]
fn help_and_version() {
    let help = ok(&cli(&["--help"]));
    for command in ["run", "trace", "presets", "preset", "schema", "digest"] {
        assert!(help.contains(&format!("reuse-cli {command}")), "help shows {command}");
    }
    assert_eq!(ok(&cli(&["help"])), help);
    assert_eq!(ok(&cli(&["run", "--help"])), help);
    assert_eq!(ok(&cli(&["--version"])).trim(), format!("reuse-cli {}", env!("CARGO_PKG_VERSION")));
}

// ------------------------------------------------------------------ running

#[test]
fn run_json_is_the_engines_result() {
    let out = ok(&cli(&["run", "--preset", "textbook", "--json"]));
    assert_eq!(result_part(parse_json(&out)), engine_result_json(&preset("textbook")));
}

#[test]
fn run_reads_the_scenario_from_stdin_and_files() {
    let scenario_text = ok(&cli(&["preset", "textbook"]));
    let from_preset = ok(&cli(&["run", "--preset", "textbook", "--json"]));
    assert_eq!(ok(&cli_with_stdin(&["run", "-", "--json"], &scenario_text)), from_preset);
    let path = format!("{}/textbook-scenario.json", env!("CARGO_TARGET_TMPDIR"));
    std::fs::write(&path, &scenario_text).expect("temp file");
    assert_eq!(ok(&cli(&["run", &path, "--json"])), from_preset);
}

#[test]
fn run_json_with_two_protocols_is_an_array_in_flag_order() {
    // Not the order of Protocol::ALL, so a sorted output would fail.
    let out =
        ok(&cli(&["run", "--preset", "textbook", "--json", "--protocol", "h2", "--protocol", "http/1.0"]));
    let results = parse_json(&out);
    let results = results.as_array().expect("an array");
    assert_eq!(results.len(), 2);
    assert_eq!(results[0]["protocol"], "h2");
    assert_eq!(results[1]["protocol"], "http/1.0");
    let textbook = preset("textbook");
    assert_eq!(result_part(results[0].clone()), engine_result_json(&textbook.with_protocol(Protocol::H2)));
    assert_eq!(
        result_part(results[1].clone()),
        engine_result_json(&textbook.with_protocol(Protocol::Http10))
    );
}

#[test]
fn run_json_with_one_protocol_is_one_object_under_that_protocol() {
    let out = parse_json(&ok(&cli(&["run", "--preset", "textbook", "--json", "--protocol", "2"])));
    assert!(out.is_object());
    assert_eq!(out["protocol"], "h2");
}

#[test]
fn seed_flag_overrides_the_scenarios_seed() {
    let mut expected = preset("lossy-mobile");
    expected.seed = 7;
    let out = parse_json(&ok(&cli(&["run", "--preset", "lossy-mobile", "--json", "--seed", "7"])));
    assert_eq!(result_part(out), engine_result_json(&expected));
}

/// The spec: start + queued + dns + connect + tls + send + wait + download
/// = end for every request, and the page loads when the last response ends.
#[test]
fn run_json_request_phases_add_up_for_every_preset_and_protocol() {
    for p in presets::all() {
        let out = ok(&cli(&[
            "run",
            "--preset",
            p.id,
            "--json",
            "--protocol",
            "http/1.0",
            "--protocol",
            "http/1.1",
            "--protocol",
            "h2",
        ]));
        let results = parse_json(&out);
        for result in results.as_array().expect("an array") {
            let context = format!("{} under {}", p.id, result["protocol"]);
            let number = |v: &Value, key: &str| {
                v[key].as_f64().unwrap_or_else(|| panic!("{context}: {key} is a number in {v}"))
            };
            let requests = result["requests"].as_array().expect("requests");
            assert_eq!(requests.len(), p.scenario().requests.len(), "{context}: one result per request");
            let mut last_end = 0.0f64;
            for q in requests {
                let sum: f64 =
                    ["start_ms", "queued_ms", "dns_ms", "connect_ms", "tls_ms", "send_ms", "wait_ms"]
                        .iter()
                        .chain(&["download_ms"])
                        .map(|key| number(q, key))
                        .sum();
                let end = number(q, "end_ms");
                assert!(
                    (sum - end).abs() <= 1e-6,
                    "{context}: {} phases sum to {sum}, end is {end}",
                    q["id"]
                );
                last_end = last_end.max(end);
            }
            let page_load = number(result, "page_load_ms");
            assert!(
                (page_load - last_end).abs() <= 1e-6,
                "{context}: page load {page_load} vs last end {last_end}"
            );
        }
    }
}

/// Adds thousands separators to a number printed with one decimal.
fn grouped(ms: f64) -> String {
    let text = format!("{ms:.1}");
    let (int_part, frac) = text.split_once('.').expect("one decimal");
    let digits: Vec<char> = int_part.chars().collect();
    let out =
        digits.rchunks(3).rev().map(|group| group.iter().collect::<String>()).collect::<Vec<_>>().join(",");
    format!("{out}.{frac}")
}

#[test]
fn run_for_people_shows_totals_requests_and_connections() {
    let scenario = preset("textbook");
    let result = simulate(&scenario).result;
    let text = ok(&cli(&["run", "--preset", "textbook"]));
    let page_load_line = text.lines().find(|l| l.starts_with("Page load")).expect("a page load line");
    assert!(page_load_line.contains(&format!("{} ms", grouped(result.page_load_ms))), "{page_load_line}");
    for q in &scenario.requests {
        assert!(text.lines().any(|l| l.trim_start().starts_with(&format!("{} ", q.id))), "row for {}", q.id);
    }
    for c in &result.connections {
        assert!(
            text.lines().any(|l| l.split_whitespace().next() == Some(&c.id.to_string())
                && l.contains(c.closed_by.as_str())),
            "connection {} with closed_by {}:\n{text}",
            c.id,
            c.closed_by.as_str()
        );
    }
}

#[test]
fn run_for_people_with_several_protocols_compares_them_in_flag_order() {
    let args =
        ["run", "--preset", "textbook", "--protocol", "h2", "--protocol", "http/1.0", "--protocol", "1.1"];
    let text = ok(&cli(&args));
    let header = text.lines().find(|l| l.contains("HTTP/2") && l.contains("HTTP/1.0")).expect("a header row");
    let at = |label: &str| header.find(label).unwrap_or_else(|| panic!("{label} in {header}"));
    assert!(at("HTTP/2") < at("HTTP/1.0") && at("HTTP/1.0") < at("HTTP/1.1"), "{header}");
    let textbook = preset("textbook");
    let loads: Vec<String> = [Protocol::H2, Protocol::Http10, Protocol::Http11]
        .iter()
        .map(|&p| grouped(simulate(&textbook.with_protocol(p)).result.page_load_ms))
        .collect();
    let load_row = text.lines().find(|l| l.trim_start().starts_with("page load")).expect("page load row");
    let cells: Vec<&str> = load_row.split_whitespace().skip(3).collect();
    assert_eq!(cells, loads, "{load_row}");
    for label in
        ["connections", "setup", "packets", "header bytes", "retransmissions", "idle closes", "retried"]
    {
        assert!(text.lines().any(|l| l.trim_start().starts_with(label)), "comparison has {label}");
    }
    assert!(text.lines().any(|l| l.trim_start().starts_with("saving vs HTTP/2")), "saving vs the first");
    // Then each run in full.
    assert_eq!(text.lines().filter(|l| l.starts_with("Page load")).count(), 3);
}

// -------------------------------------------------------------------- trace

#[test]
fn trace_prints_one_line_per_event_with_time_and_cause() {
    let scenario = preset("textbook").with_protocol(Protocol::Http10);
    let output = simulate(&scenario);
    let cx = DescribeContext { scenario: &scenario, hosts: &output.hosts };
    let text = ok(&cli(&["trace", "--preset", "textbook", "--protocol", "http/1.0"]));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), output.trace.len());
    let time_width = lines[0].find(" ms  ").expect("time, then ms");
    for (line, event) in lines.iter().zip(&output.trace) {
        let (time, description) = line.split_once(" ms  ").expect("time, then ms");
        assert_eq!(time.len(), time_width, "fixed-width time: {line}");
        assert_eq!(time.trim(), format!("{:.3}", event.time.as_ms()));
        let expected = event.describe(cx).split_whitespace().collect::<Vec<_>>().join(" ");
        assert_eq!(description, expected);
    }
}

#[test]
fn trace_json_is_one_event_object_per_line_with_its_text() {
    let scenario = preset("textbook");
    let output = simulate(&scenario);
    let cx = DescribeContext { scenario: &scenario, hosts: &output.hosts };
    let text = ok(&cli(&["trace", "--preset", "textbook", "--json"]));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), output.trace.len());
    for (line, event) in lines.iter().zip(&output.trace) {
        let mut value = parse_json(line);
        let fields = value.as_object_mut().expect("an object");
        assert_eq!(fields.remove("text"), Some(Value::String(event.describe(cx))));
        let expected: Value =
            serde_json::from_str(&serde_json::to_string(event).expect("events serialize")).expect("JSON");
        assert_eq!(value, expected);
    }
}

// ------------------------------------------------------------------- digest

#[test]
fn digest_covers_every_preset_and_protocol_and_matches_the_engine() {
    let text = ok(&cli(&["digest"]));
    let lines: Vec<&str> = text.lines().collect();
    // Every preset, then every preset again with CUBIC and with BBR.
    assert_eq!(lines.len(), 3 * presets::all().len() * Protocol::ALL.len());
    let mut expected = Vec::new();
    for cc in CongestionControl::ALL {
        for p in presets::all() {
            let mut scenario = p.scenario();
            scenario.tcp.congestion_control = cc;
            let label = match cc {
                CongestionControl::NewReno => p.id.to_string(),
                CongestionControl::Cubic => format!("{}+cubic", p.id),
                CongestionControl::Bbr => format!("{}+bbr", p.id),
            };
            for protocol in Protocol::ALL {
                let digest = reuse_sim::digest(&simulate(&scenario.with_protocol(protocol)));
                expected.push(format!("{label} {} {digest:016x}", protocol.as_str()));
            }
        }
    }
    assert_eq!(lines, expected);
}

#[test]
fn digest_of_named_presets_only() {
    let text = ok(&cli(&["digest", "--preset", "textbook", "--protocol", "h2"]));
    let digest = reuse_sim::digest(&simulate(&preset("textbook").with_protocol(Protocol::H2)));
    let mut cubic = preset("textbook");
    cubic.tcp.congestion_control = CongestionControl::Cubic;
    let cubic = reuse_sim::digest(&simulate(&cubic.with_protocol(Protocol::H2)));
    let mut bbr = preset("textbook");
    bbr.tcp.congestion_control = CongestionControl::Bbr;
    let bbr = reuse_sim::digest(&simulate(&bbr.with_protocol(Protocol::H2)));
    assert_eq!(
        text,
        format!("textbook h2 {digest:016x}\ntextbook+cubic h2 {cubic:016x}\ntextbook+bbr h2 {bbr:016x}\n")
    );
}

// ------------------------------------------------------------------ HTTP/3

#[test]
fn http3_runs_in_every_command_by_any_of_its_names() {
    for name in ["h3", "3", "http/3", "HTTP/3"] {
        let result = parse_json(&ok(&cli(&["run", "--preset", "textbook", "--protocol", name, "--json"])));
        assert_eq!(result["protocol"], "h3", "--protocol {name}");
        let expected = engine_result_json(&preset("textbook").with_protocol(Protocol::H3));
        assert_eq!(result_part(result), expected);
    }
    let text = ok(&cli(&["run", "--preset", "head-of-line", "--protocol", "h2", "--protocol", "h3"]));
    assert!(text.contains("HTTP/3"), "{text}");
    let trace = ok(&cli(&["trace", "--preset", "textbook", "--protocol", "h3"]));
    assert!(trace.contains("Initial (ClientHello, padded to 1200)"), "the ladder's words");
    assert!(trace.contains("QUIC always uses TLS 1.3"), "textbook has no TLS: the rule is stated");
    let har = parse_json(&ok(&cli(&["har", "--preset", "modern-page", "--protocol", "h3"])));
    for entry in har["log"]["entries"].as_array().expect("entries") {
        assert_eq!(entry["request"]["httpVersion"], "h3");
        assert!(entry["request"]["url"].as_str().expect("url").starts_with("https://"));
    }
    let svg = ok(&cli(&["svg", "--preset", "textbook", "--view", "ladder", "--protocol", "h3"]));
    assert!(svg.contains("Initial (ClientHello, padded to 1200)"));
    let digest = ok(&cli(&["digest", "--preset", "textbook", "--protocol", "3"]));
    let expected = reuse_sim::digest(&simulate(&preset("textbook").with_protocol(Protocol::H3)));
    assert!(digest.starts_with(&format!("textbook h3 {expected:016x}\ntextbook+cubic h3 ")), "{digest}");
}

#[test]
fn a_scenario_file_saying_h3_without_tls_13_is_an_error_naming_tls_version() {
    let mut scenario = textbook_json();
    scenario["client"]["protocol"] = Value::from("h3");
    let (field, reason) = input_error(&run_json(&scenario, &[]));
    assert_eq!(field, "tls.version");
    assert!(reason.contains("TLS 1.3"), "{reason}");
    scenario["tls"]["version"] = Value::from("tls1.3");
    let result = parse_json(&ok(&run_json(&scenario, &["--json"])));
    assert_eq!(result["protocol"], "h3");
}

#[test]
fn run_puts_the_textbook_formula_beside_the_simulated_time() {
    // Kurose & Ross: base + 8 objects, one connection at a time, RTT 100 ms:
    // non-persistent 2(N + 1)·RTT = 1,800 ms, persistent 2·RTT + N·RTT = 1,000 ms.
    let mut s = preset("textbook");
    s.requests.truncate(9);
    s.client.max_connections_per_host = 1;
    let text = s.to_json_pretty();
    let out = parse_json(&ok(&cli_with_stdin(
        &["run", "-", "--protocol", "1.0", "--protocol", "1.1", "--json"],
        &text,
    )));
    let (h10, h11) = (&out[0]["closed_form"], &out[1]["closed_form"]);
    assert_eq!((h10["formula"].as_str(), h10["expected_ms"].as_f64()), (Some("2(N + 1)·RTT"), Some(1_800.0)));
    assert_eq!(h10["worked"], "2 × (8 + 1) × 100 ms");
    assert_eq!(
        (h11["formula"].as_str(), h11["expected_ms"].as_f64()),
        (Some("2·RTT + N·RTT"), Some(1_000.0))
    );
    assert_eq!((h10["agrees"].as_bool(), h11["agrees"].as_bool()), (Some(true), Some(true)));
    assert_eq!(out[0]["page_load_ms"].as_f64(), Some(1_800.0));
    let report = ok(&cli_with_stdin(&["run", "-", "--protocol", "1.0"], &text));
    assert!(
        report.contains(
            "Closed form        2(N + 1)·RTT = 2 × (8 + 1) × 100 ms = 1,800.0 ms ✓ simulated 1,800.0 ms"
        ),
        "{report}"
    );
    // Where none applies, the reason.
    let lossy = ok(&cli(&["run", "--preset", "lossy-mobile"]));
    assert!(lossy.contains("Closed form        none: with loss there is no closed form"), "{lossy}");
}

#[test]
fn variants_run_side_by_side_with_their_labels() {
    // Kurose & Ross's four answers for base + 8 objects at RTT 100 ms, as
    // variants of one scenario: 2(N + 1)·RTT, 2·RTT + 2⌈N/5⌉·RTT,
    // 2·RTT + N·RTT and 2·RTT + RTT.
    let specs = [
        ("non-persistent serial", "protocol=1.0,cl=1,n=8", 1_800.0),
        ("non-persistent x5", "protocol=1.0,cl=5,n=8", 600.0),
        ("persistent", "protocol=1.1,cl=1,n=8", 1_000.0),
        ("pipelined", "protocol=1.1,cl=1,pl=1,n=8", 300.0),
    ];
    let mut args = vec!["run".to_string(), "--preset".into(), "textbook".into(), "--json".into()];
    for (label, settings, _) in specs {
        args.push("--variant".into());
        args.push(format!("{label}:{settings}"));
    }
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = parse_json(&ok(&cli(&refs)));
    let runs = out.as_array().expect("an array of variants");
    assert_eq!(runs.len(), 4);
    for (run, (label, _, ms)) in runs.iter().zip(specs) {
        assert_eq!(run["variant"], label);
        assert_eq!(run["page_load_ms"].as_f64(), Some(ms), "{label}");
        assert_eq!(run["closed_form"]["agrees"].as_bool(), Some(true), "{label}");
    }
    // The app's link carries them (`var=`, percent-encoded): `run --link` runs them.
    let mut link = "?v=1&p=textbook".to_string();
    for (label, settings, _) in specs {
        link.push_str("&var=");
        link.push_str(
            &format!("{label}:{settings}").replace(' ', "%20").replace('=', "%3D").replace(',', "%2C"),
        );
    }
    let from_link = parse_json(&ok(&cli(&["run", "--link", &link, "--json"])));
    assert_eq!(from_link, out, "the link's variants run as the flags do");
    let text_args: Vec<&str> = refs.iter().copied().filter(|a| *a != "--json").collect();
    let text = ok(&cli(&text_args));
    assert!(
        text.contains("non-persistent x5 (HTTP/1.0)") && text.contains("pipelined (HTTP/1.1 (pipelined))"),
        "{text}"
    );
}

#[test]
fn variants_draw_their_lanes_on_one_clock_headed_by_their_labels() {
    // K&R's page (base + N = 10 objects, RTT 100 ms, infinite bandwidth):
    // non-persistent 2(N + 1)·RTT over 11 connections; five in parallel
    // 2·RTT + ⌈N/5⌉·2·RTT; persistent (N + 2)·RTT on one; pipelined 3·RTT.
    let svg = ok(&cli(&[
        "svg",
        "--preset",
        "textbook",
        "--variant",
        "non-persistent:protocol=1.0,cl=1",
        "--variant",
        "non-persistent ×5:protocol=1.0,cl=5",
        "--variant",
        "persistent:protocol=1.1,cl=1",
        "--variant",
        "pipelined:protocol=1.1,cl=1,pl=1",
    ]));
    let headings: Vec<&str> = svg
        .split("class=\"group-title\"")
        .skip(1)
        .map(|part| &part[part.find('>').expect("text") + 1..part.find('<').expect("end")])
        .collect();
    assert_eq!(headings.len(), 4, "{headings:?}");
    for (heading, start) in headings.iter().zip([
        "non-persistent: page load 2.2 s, 11 connections",
        "non-persistent ×5: page load 600 ms, 11 connections",
        "persistent: page load 1.2 s, 1 connection",
        "pipelined: page load 300 ms, 1 connection",
    ]) {
        assert!(heading.starts_with(start), "{heading} / {start}");
    }
}

#[test]
fn a_bad_variant_is_exit_2_naming_the_flag() {
    for args in [
        &["run", "--preset", "textbook", "--variant", "a:speed=3"][..],
        &["run", "--preset", "textbook", "--variant", "a:cl=0"],
        &["run", "--preset", "textbook", "--variant", "a:cl=1", "--protocol", "h2"],
        &["svg", "--preset", "textbook", "--variant", "a:cl=1", "--view", "waterfall"],
        &["svg", "--preset", "textbook", "--variant", "a:cl=1", "--protocol", "h2"],
        &["svg", "--preset", "textbook", "--variant", "a:cl=0"],
    ] {
        let out = cli(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = common::stderr(&out);
        assert!(err.starts_with("error: --variant: ") && err.lines().count() == 1, "{args:?}: {err}");
    }
}

#[test]
fn push_ways_compare_polling_long_polling_and_streams() {
    // Live scores at RTT 100 ms, no serialization time, TLS 1.3: a held-open
    // stream hands each event over RTT/2 after it happens, and a poll on a
    // new connection arrives 2 RTT (TCP + TLS 1.3) later than one over
    // keep-alive, for every event.
    let out = parse_json(&ok(&cli(&["run", "--preset", "live-scores", "--push-ways", "--json"])));
    let runs = out.as_array().expect("an array of ways");
    let labels: Vec<&str> = runs.iter().map(|r| r["variant"].as_str().unwrap()).collect();
    assert_eq!(
        labels,
        [
            "new connection per poll",
            "poll over keep-alive",
            "long poll",
            "server-sent events",
            "HTTP/2 stream"
        ]
    );
    let mean = |i: usize| runs[i]["push"]["mean_latency_ms"].as_f64().unwrap();
    assert_eq!(mean(0) - mean(1), 200.0);
    assert_eq!((mean(3), mean(4)), (50.0, 50.0));
    let polls = (reuse_sim::presets::LIVE_EVENTS_MS[7] / reuse_sim::presets::LIVE_POLL_MS).ceil() + 1.0;
    assert_eq!(runs[0]["totals"]["connections_opened"].as_f64(), Some(polls), "one per poll");
    let text = ok(&cli(&["run", "--preset", "live-scores", "--push-ways"]));
    assert!(text.contains("event latency, mean (ms)") && text.contains("Server's events (ms), fetched by"));
    let svg = ok(&cli(&["svg", "--preset", "live-scores", "--view", "push"]));
    assert_eq!(svg.matches("data-event=").count(), 5 * reuse_sim::presets::LIVE_EVENTS_MS.len());
    let out = cli(&["svg", "--preset", "textbook", "--view", "push"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(common::stderr(&out).starts_with("error: --view: push needs"), "{}", common::stderr(&out));
    // A variant can pick the way itself.
    let one =
        parse_json(&ok(&cli(&["run", "--preset", "live-scores", "--variant", "sse:push=stream", "--json"])));
    assert_eq!(one["push"]["fetched_by"], "event stream", "one variant: one object");
    for (args, flag) in [
        (&["run", "--preset", "textbook", "--push-ways"][..], "--push-ways"),
        (&["run", "--preset", "live-scores", "--push-ways", "--protocol", "h2"], "--push-ways"),
        (&["run", "--preset", "live-scores", "--variant", "a:push=sometimes"], "--variant"),
    ] {
        let out = cli(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(common::stderr(&out).starts_with(&format!("error: {flag}: ")), "{args:?}");
    }
}

#[test]
fn many_clients_show_what_reuse_saves_the_server() {
    // K&R's page, one connection at a time, 1000 clients over 60 s:
    // HTTP/1.0 opens N + 1 = 11 connections per client (each with its full
    // TLS 1.3 handshake), keep-alive one.
    let link = "?v=1&p=textbook&cl=1&tls=tls1.3";
    let out = parse_json(&ok(&cli(&[
        "run",
        "--link",
        link,
        "--protocol",
        "1.0",
        "--protocol",
        "1.1",
        "--clients",
        "1000",
        "--over",
        "60000",
        "--json",
    ])));
    let accepted: Vec<f64> = out
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["clients"]["connections_accepted"].as_f64().unwrap())
        .collect();
    assert_eq!(accepted, [11_000.0, 1000.0]);
    let handshakes: Vec<f64> =
        out.as_array().unwrap().iter().map(|r| r["clients"]["full_handshakes"].as_f64().unwrap()).collect();
    assert_eq!(handshakes, accepted, "every connection a full handshake (no resumption)");
    let text = ok(&cli(&["run", "--link", link, "--clients", "1000", "--over", "60000"]));
    assert!(
        text.contains("Many clients (the server's side)")
            && text.contains("1,000, arriving evenly over 60,000.0 ms"),
        "{text}"
    );
    let svg = ok(&cli(&["svg", "--link", link, "--view", "server", "--clients", "50", "--over", "5000"]));
    assert!(svg.contains("data-view=\"crowd\""));
    for (args, flag) in [
        (&["run", "--preset", "textbook", "--clients", "0"][..], "--clients"),
        (&["run", "--preset", "textbook", "--clients", "10001"], "--clients"),
        (&["run", "--preset", "textbook", "--over", "5"], "--over"),
        (&["run", "--preset", "textbook", "--clients", "5", "--over", "-1"], "--over"),
        (&["svg", "--preset", "textbook", "--clients", "5"], "--clients"),
    ] {
        let out = cli(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            common::stderr(&out).starts_with(&format!("error: {flag}: ")),
            "{args:?}: {}",
            common::stderr(&out)
        );
    }
}

#[test]
fn lesson_lists_checks_and_answers_a_lesson() {
    let list = ok(&cli(&["lesson"]));
    for (id, _) in reuse_sim::lesson::builtin_titles() {
        assert!(list.contains(&id), "{id} listed: {list}");
    }
    // K&R's non-persistent page: base file + N = 10 objects, one connection
    // at a time, 2(N + 1) = 22 round trips at RTT 100 ms.
    let handshake = ok(&cli(&["lesson", "handshake"]));
    assert!(handshake.contains("HTTP/1.0: 22 round trips (2200 ms at RTT 100 ms)"), "{handshake}");
    assert_eq!(handshake.matches("\nStep ").count(), 3, "{handshake}");
    assert!(!handshake.contains('{'), "every figure filled: {handshake}");

    let dir = std::env::temp_dir().join(format!("reuse-cli-lesson-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("broken.json");
    std::fs::write(
        &file,
        r#"{"id":"x","title":"T","steps":[{"link":"?v=1&p=textbook","question":"Q","answer":{"kind":"first"},"pause_at":["nap"],"explain":"E"}]}"#,
    )
    .unwrap();
    let (field, reason) = input_error(&cli(&["lesson", file.to_str().unwrap()]));
    assert!(field.starts_with("lesson.steps[0].pause_at"), "{field}: {reason}");
    assert!(reason.contains("connection_opened"), "the known moments are listed: {reason}");
    let (field, _) = input_error(&cli(&["lesson", "no-such-lesson"]));
    assert_eq!(field, "lesson");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn run_names_the_congestion_controller_of_a_link() {
    for (cc, label) in [("reno", "Reno"), ("cubic", "CUBIC"), ("bbr", "BBR")] {
        let link = format!("?v=1&p=lossy-mobile&show=11-2&cc={cc}");
        let text = ok(&cli(&["run", "--link", &link]));
        assert!(text.contains(&format!("initial cwnd 10 segments, {label} congestion control")), "{text}");
    }
}
