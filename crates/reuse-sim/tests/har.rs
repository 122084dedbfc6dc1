//! The HAR export against the run it came from, for every preset under every
//! protocol: expectations come from the result and the HAR 1.2 rules, never
//! from numbers copied from a run.

use reuse_sim::har::{self, to_har, HAR_EPOCH, PAGE_ID};
use reuse_sim::scenario::TlsVersion;
use reuse_sim::{presets, Protocol, Scenario, SimOutput};
use serde_json::Value;

fn runs() -> Vec<(String, Scenario, SimOutput)> {
    let mut out = Vec::new();
    for preset in presets::all() {
        for protocol in Protocol::ALL {
            let scenario = preset.scenario().with_protocol(protocol);
            let output = reuse_sim::simulate(&scenario).unwrap_or_else(|e| panic!("{}: {e}", preset.id));
            out.push((format!("{} {}", preset.id, protocol.as_str()), scenario, output));
        }
    }
    out
}

/// The HAR as a viewer would read it: serialized, then parsed back.
fn har_text_round_trip(scenario: &Scenario, output: &SimOutput) -> Value {
    let text = serde_json::to_string_pretty(&to_har(scenario, output)).expect("HAR serializes");
    serde_json::from_str(&text).expect("HAR is JSON")
}

fn num(v: &Value, what: &str) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("{what} is not a number: {v}"))
}

/// Undoes `%XX` escapes (the test's own decoder, independent of the encoder).
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).expect("ASCII escape");
            out.push(u8::from_str_radix(hex, 16).expect("hex escape"));
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).expect("UTF-8 after decoding")
}

#[test]
fn every_run_gives_a_har_1_2_log_with_one_page_and_one_entry_per_request() {
    for (name, scenario, output) in runs() {
        let har = har_text_round_trip(&scenario, &output);
        let log = &har["log"];
        assert_eq!(log["version"], "1.2", "{name}");
        assert_eq!(log["creator"]["name"], "Reuse Lab", "{name}");
        let pages = log["pages"].as_array().expect("pages");
        assert_eq!(pages.len(), 1, "{name}");
        assert_eq!(pages[0]["id"], PAGE_ID);
        assert_eq!(pages[0]["title"], scenario.name.as_str());
        assert_eq!(pages[0]["startedDateTime"], HAR_EPOCH);
        assert_eq!(num(&pages[0]["pageTimings"]["onLoad"], "onLoad"), output.result.page_load_ms, "{name}");
        let entries = log["entries"].as_array().expect("entries");
        assert_eq!(entries.len(), scenario.requests.len(), "{name}");
        assert_eq!(entries.len(), output.result.requests.len(), "{name}");
    }
}

#[test]
fn timings_add_up_to_time_and_match_the_result_phases() {
    for (name, scenario, output) in runs() {
        let har = har_text_round_trip(&scenario, &output);
        let entries = har["log"]["entries"].as_array().expect("entries");
        for (entry, request) in entries.iter().zip(&output.result.requests) {
            let t = &entry["timings"];
            let time = num(&entry["time"], "time");
            let sum: f64 = ["blocked", "dns", "connect", "send", "wait", "receive"]
                .iter()
                .map(|k| {
                    let v = num(&t[*k], k);
                    assert!(v >= 0.0, "{name} {}: {k} = {v} (0 for phases that did not happen)", request.id);
                    v
                })
                .sum();
            assert!((sum - time).abs() < 1e-6, "{name} {}: timings sum {sum} != time {time}", request.id);
            assert!((time - (request.end_ms - request.start_ms)).abs() < 1e-9, "{name} {}", request.id);
            // HAR: `connect` includes `ssl`.
            let ssl = num(&t["ssl"], "ssl");
            assert!((ssl - request.tls_ms).abs() < 1e-9, "{name} {}", request.id);
            assert!(num(&t["connect"], "connect") >= ssl, "{name} {}", request.id);
            for (key, phase_ms) in [
                ("blocked", request.queued_ms),
                ("dns", request.dns_ms),
                ("connect", request.connect_ms + request.tls_ms),
                ("send", request.send_ms),
                ("wait", request.wait_ms),
                ("receive", request.download_ms),
            ] {
                assert!((num(&t[key], key) - phase_ms).abs() < 1e-9, "{name} {}: {key}", request.id);
            }
        }
    }
}

#[test]
fn entries_follow_scenario_order_with_urls_versions_and_connections() {
    for (name, scenario, output) in runs() {
        let har = har_text_round_trip(&scenario, &output);
        let entries = har["log"]["entries"].as_array().expect("entries");
        // HTTP/3 always runs TLS 1.3 (QUIC), whatever tls.version says.
        let tls = scenario.tls.version != TlsVersion::None || scenario.client.protocol == Protocol::H3;
        let scheme = if tls { "https://" } else { "http://" };
        let version = har::http_version(scenario.client.protocol);
        for ((entry, spec), request) in entries.iter().zip(&scenario.requests).zip(&output.result.requests) {
            let url = entry["request"]["url"].as_str().expect("url");
            assert!(url.starts_with(&format!("{scheme}{}/", spec.host)), "{name}: {url}");
            let path = url.split_once("://").and_then(|(_, rest)| rest.split_once('/')).expect("a path").1;
            assert_eq!(percent_decode(path), spec.id, "{name}: {url}");
            assert_eq!(entry["pageref"], PAGE_ID);
            assert_eq!(entry["request"]["method"], "GET");
            assert_eq!(entry["request"]["httpVersion"], version);
            assert_eq!(entry["response"]["httpVersion"], version);
            assert_eq!(entry["response"]["status"], 200);
            assert_eq!(entry["request"]["headersSize"], spec.request_bytes);
            let headers = entry["response"]["headersSize"].as_u64().expect("headersSize");
            let body = entry["response"]["bodySize"].as_u64().expect("bodySize");
            assert_eq!(headers + body, spec.response_bytes, "{name} {}", spec.id);
            assert_eq!(entry["response"]["content"]["size"], body);
            assert_eq!(entry["connection"], request.connection.to_string());
        }
    }
}

#[test]
fn started_date_times_are_ordered_like_start_times() {
    for (name, scenario, output) in runs() {
        let har = har_text_round_trip(&scenario, &output);
        let entries = har["log"]["entries"].as_array().expect("entries");
        let mut pairs: Vec<(f64, String)> = entries
            .iter()
            .zip(&output.result.requests)
            .map(|(e, r)| (r.start_ms, e["startedDateTime"].as_str().expect("startedDateTime").to_string()))
            .collect();
        pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
        for pair in pairs.windows(2) {
            // Same-format UTC stamps compare correctly as text.
            assert!(pair[0].1 <= pair[1].1, "{name}: {:?} then {:?}", pair[0], pair[1]);
        }
        for (start_ms, stamp) in &pairs {
            assert_eq!(stamp, &har::date_time(*start_ms));
            assert!(stamp.starts_with("2026-") && stamp.ends_with('Z'), "{stamp}");
        }
    }
}

#[test]
fn the_same_run_gives_the_same_har() {
    let scenario = presets::find("modern-page").expect("preset").scenario();
    let a = reuse_sim::simulate(&scenario).expect("runs");
    let b = reuse_sim::simulate(&scenario).expect("runs");
    assert_eq!(to_har(&scenario, &a).to_string(), to_har(&scenario, &b).to_string());
}

#[test]
fn ids_that_are_not_url_safe_are_percent_encoded() {
    let mut scenario = presets::find("textbook").expect("preset").scenario();
    scenario.requests.truncate(1);
    scenario.requests[0].id = "a <b>&\"c\".html".into();
    let output = reuse_sim::simulate(&scenario).expect("runs");
    let har = har_text_round_trip(&scenario, &output);
    let url = har["log"]["entries"][0]["request"]["url"].as_str().expect("url").to_string();
    assert!(!url.contains([' ', '<', '>', '"']), "{url}");
    assert!(url.ends_with("a%20%3Cb%3E%26%22c%22.html"), "{url}");
    assert_eq!(percent_decode(url.rsplit('/').next().expect("a path")), scenario.requests[0].id);
}
