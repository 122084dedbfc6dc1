//! The built-in presets and the JSON Schema of the scenario format.
//!
//! The schema is checked against the `Scenario` struct itself (field names,
//! defaults, ranges, enums) so the two cannot drift apart, and every preset
//! is checked against the schema and against the lesson it is meant to show,
//! with expectations derived from the preset's own fields.

use std::collections::{BTreeMap, BTreeSet};

use reuse_sim::presets;
use reuse_sim::scenario::{
    PipelineProcessing, Protocol, RequestSpec, Resumption, Scenario, TlsVersion, MAX_REQUESTS,
};
use reuse_sim::schema::SCENARIO_SCHEMA;
use serde_json::{json, Value};

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

fn schema() -> Value {
    serde_json::from_str(SCENARIO_SCHEMA).expect("scenario.schema.json is valid JSON")
}

fn preset(id: &str) -> Scenario {
    presets::find(id).unwrap_or_else(|| panic!("preset {id:?} exists")).scenario()
}

/// A scenario with every optional field set to a non-default value, so that
/// its serialization shows every key the format has.
fn fully_populated() -> Scenario {
    let mut s = Scenario::new(
        "Every field set",
        80.0,
        vec![
            RequestSpec::new("boot", 2_000),
            RequestSpec {
                host: "api.example.org".into(),
                request_bytes: 900,
                ..RequestSpec::new("data", 8_000).server_ms(12.5).after(&["boot"]).delay_ms(250.0).status(404)
            },
        ],
    );
    s.description = "Used by the schema tests.".into();
    s.seed = 42;
    s.network.downlink_mbps = Some(20.0);
    s.network.uplink_mbps = Some(5.0);
    s.network.loss_rate = 0.01;
    s.network.mss_bytes = 1400;
    s.network.packet_overhead_bytes = 52;
    s.network.queue_packets = Some(64);
    // A packet id no run of this scenario reaches.
    s.network.drop_packet_ids = vec![9_000_000];
    s.tcp.initial_cwnd_segments = 4;
    s.tcp.slow_start_after_idle = false;
    s.tcp.delayed_ack = true;
    // Large enough for any mss_bytes the boundary test tries.
    s.tcp.rwnd_bytes = Some(1_000_000);
    s.tcp.cwnd_unit = reuse_sim::scenario::CwndUnit::Bytes;
    s.tcp.loss_recovery = reuse_sim::scenario::LossRecovery::NewReno;
    s.tcp.frto = false;
    s.tcp.timestamps = false;
    s.tcp.keepalive =
        Some(reuse_sim::scenario::TcpKeepalive { idle_ms: 60_000.0, interval_ms: 10_000.0, probes: 5 });
    s.network.middlebox = Some(reuse_sim::scenario::Middlebox {
        kind: reuse_sim::scenario::MiddleboxKind::LoadBalancer,
        idle_timeout_ms: 120_000.0,
        on_expired: reuse_sim::scenario::OnExpired::Drop,
    });
    s.tls.version = TlsVersion::Tls13;
    s.tls.resumption = Resumption::EarlyData;
    s.tls.certificate_bytes = 3_000;
    s.dns_ms = 15.0;
    s.client.protocol = Protocol::H2;
    s.client.max_connections_per_host = 4;
    s.client.http10_keep_alive = true;
    s.client.pipelining = true;
    s.client.idle_timeout_ms = 60_000.0;
    s.server.processing_ms = 3.0;
    s.server.keep_alive_timeout_ms = 15_000.0;
    s.server.max_requests_per_connection = 500;
    s.server.max_concurrent_streams = 128;
    s.server.pipeline_processing = PipelineProcessing::Parallel;
    s.server.response_header_bytes = 250;
    s.server.close_on_error = true;
    s.quic.max_datagram_size_bytes = 1350;
    s.quic.initial_window_packets = Some(32);
    s.quic.max_ack_delay_ms = 20.0;
    s.quic.client_max_idle_timeout_ms = 45_000.0;
    s.quic.server_max_idle_timeout_ms = 75_000.0;
    s.quic.qpack_max_table_capacity_bytes = 4096;
    s.push = Some(reuse_sim::PushSpec { events_ms: vec![0.0, 900.0], event_bytes: 120 });
    s.requests[1].push = Some(reuse_sim::PushRole::LongPoll);
    s.clients = Some(reuse_sim::scenario::Clients { count: 250, over_ms: 30_000.0 });
    s.validate().expect("the fully populated scenario is valid");
    s
}

/// Follows a local `$ref` (`#/$defs/NAME`), the only kind the schema uses.
fn resolve<'a>(root: &'a Value, schema: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let name = reference.strip_prefix("#/$defs/").expect("only local #/$defs/ references");
            let target = root["$defs"].get(name).unwrap_or_else(|| panic!("$defs/{name} exists"));
            resolve(root, target)
        }
        None => schema,
    }
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_string()
    } else {
        format!("{prefix}.{key}")
    }
}

/// Every property the schema declares, as dotted paths (`requests[].id`),
/// with its (resolved) schema.
fn schema_properties<'a>(root: &'a Value, schema: &'a Value, prefix: &str) -> Vec<(String, &'a Value)> {
    let mut out = Vec::new();
    let schema = resolve(root, schema);
    if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
        for (key, sub) in properties {
            let path = join(prefix, key);
            let sub = resolve(root, sub);
            out.push((path.clone(), sub));
            out.extend(schema_properties(root, sub, &path));
            if let Some(items) = sub.get("items") {
                out.extend(schema_properties(root, items, &format!("{path}[]")));
            }
        }
    }
    out
}

/// Every key of a JSON value, as dotted paths, arrays of objects merged
/// under `[]`.
fn json_keys(value: &Value, prefix: &str, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (key, sub) in map {
                let path = join(prefix, key);
                out.insert(path.clone());
                json_keys(sub, &path, out);
            }
        }
        Value::Array(items) => {
            for item in items.iter().filter(|item| item.is_object()) {
                json_keys(item, &format!("{prefix}[]"), out);
            }
        }
        _ => {}
    }
}

/// The value at a dotted path; `[]` means the last element of the array.
fn at_path<'a>(value: &'a mut Value, path: &str) -> Option<&'a mut Value> {
    let mut here = value;
    for part in path.split('.') {
        let (key, into_array) = match part.strip_suffix("[]") {
            Some(key) => (key, true),
            None => (part, false),
        };
        here = here.get_mut(key)?;
        if into_array {
            here = here.as_array_mut()?.last_mut()?;
        }
    }
    Some(here)
}

fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

fn is_integer(value: &Value) -> bool {
    value.is_u64() || value.is_i64() || value.as_f64().is_some_and(|v| v.fract() == 0.0)
}

/// A validator for exactly the JSON Schema keywords this schema uses. It
/// panics on any other keyword, so a new keyword cannot be silently ignored.
fn conforms(root: &Value, schema: &Value, value: &Value, at: &str, errors: &mut Vec<String>) {
    let schema = resolve(root, schema);
    let keywords = schema.as_object().unwrap_or_else(|| panic!("schema at {at} is an object"));
    let number = value.as_f64();
    let mut failures: Vec<String> = Vec::new();
    let mut fail = |what: String| failures.push(what);
    for (keyword, argument) in keywords {
        match keyword.as_str() {
            "$schema" | "$id" | "$defs" | "title" | "description" | "default" | "then" => {}
            "type" => {
                let allowed: Vec<&str> = match argument {
                    Value::String(one) => vec![one.as_str()],
                    Value::Array(many) => many.iter().filter_map(Value::as_str).collect(),
                    _ => panic!("type at {at} is a string or an array"),
                };
                let matches = allowed.iter().any(|kind| match *kind {
                    "object" => value.is_object(),
                    "array" => value.is_array(),
                    "string" => value.is_string(),
                    "boolean" => value.is_boolean(),
                    "null" => value.is_null(),
                    "number" => value.is_number(),
                    "integer" => value.is_number() && is_integer(value),
                    other => panic!("unknown type {other:?} at {at}"),
                });
                if !matches {
                    fail(format!("{value} is not of type {allowed:?}"));
                }
            }
            "const" if !same_json(argument, value) => fail(format!("{value} is not {argument}")),
            "const" => {}
            "enum" => {
                let options = argument.as_array().expect("enum is an array");
                if !options.iter().any(|option| same_json(option, value)) {
                    fail(format!("{value} is not one of {argument}"));
                }
            }
            "minimum" | "maximum" | "exclusiveMinimum" => {
                let bound = argument.as_f64().expect("bounds are numbers");
                if let Some(v) = number {
                    let within = match keyword.as_str() {
                        "minimum" => v >= bound,
                        "maximum" => v <= bound,
                        _ => v > bound,
                    };
                    if !within {
                        fail(format!("{v} violates {keyword} {bound}"));
                    }
                }
            }
            "minItems" | "maxItems" => {
                let bound = argument.as_u64().expect("item counts are integers") as usize;
                if let Some(items) = value.as_array() {
                    let within =
                        if keyword == "minItems" { items.len() >= bound } else { items.len() <= bound };
                    if !within {
                        fail(format!("{} items violate {keyword} {bound}", items.len()));
                    }
                }
            }
            "pattern" => {
                assert_eq!(argument, "\\S", "this validator knows only the pattern \\S (not blank)");
                if value.as_str().is_some_and(|text| text.trim().is_empty()) {
                    fail("must not be blank".into());
                }
            }
            "required" => {
                if let Some(object) = value.as_object() {
                    for name in argument.as_array().expect("required is an array") {
                        let name = name.as_str().expect("required names are strings");
                        if !object.contains_key(name) {
                            fail(format!("missing required {name:?}"));
                        }
                    }
                }
            }
            "properties" => {
                if let Some(object) = value.as_object() {
                    for (key, sub_value) in object {
                        if let Some(sub_schema) = argument.get(key) {
                            conforms(root, sub_schema, sub_value, &join(at, key), errors);
                        }
                    }
                }
            }
            "additionalProperties" => {
                assert_eq!(argument, &Value::Bool(false), "additionalProperties is always false");
                let declared = keywords.get("properties").and_then(Value::as_object);
                if let Some(object) = value.as_object() {
                    for key in object.keys() {
                        if !declared.is_some_and(|d| d.contains_key(key)) {
                            fail(format!("unknown field {key:?}"));
                        }
                    }
                }
            }
            "items" => {
                if let Some(items) = value.as_array() {
                    for (i, item) in items.iter().enumerate() {
                        conforms(root, argument, item, &format!("{at}[{i}]"), errors);
                    }
                }
            }
            "if" => {
                let mut condition_errors = Vec::new();
                conforms(root, argument, value, at, &mut condition_errors);
                if condition_errors.is_empty() {
                    if let Some(then) = keywords.get("then") {
                        conforms(root, then, value, at, errors);
                    }
                }
            }
            other => panic!("schema keyword {other:?} at {at} is not known to this test's validator"),
        }
    }
    errors.extend(failures.into_iter().map(|what| format!("{at}: {what}")));
}

fn schema_errors(value: &Value) -> Vec<String> {
    let root = schema();
    let mut errors = Vec::new();
    conforms(&root, &root, value, "", &mut errors);
    errors
}

fn to_value(scenario: &Scenario) -> Value {
    serde_json::from_str(&scenario.to_json_pretty()).expect("a scenario serializes to JSON")
}

fn hosts(scenario: &Scenario) -> BTreeSet<&str> {
    scenario.requests.iter().map(|r| r.host.as_str()).collect()
}

fn total_response_bytes(requests: &[&RequestSpec]) -> u64 {
    requests.iter().map(|r| r.response_bytes).sum()
}

// ---------------------------------------------------------------------------
// Presets: every one
// ---------------------------------------------------------------------------

#[test]
fn every_preset_validates() {
    for p in presets::all() {
        if let Err(err) = p.scenario().validate() {
            panic!("preset {}: {err}", p.id);
        }
    }
}

#[test]
fn preset_ids_are_unique_url_safe_and_findable() {
    let ids: Vec<&str> = presets::all().iter().map(|p| p.id).collect();
    let unique: BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len(), "duplicate preset id in {ids:?}");
    for id in &ids {
        // Ids appear in permalinks and on the command line.
        assert!(
            !id.is_empty() && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "preset id {id:?} should be lowercase ASCII with hyphens"
        );
        assert_eq!(presets::find(id).map(|p| p.id), Some(*id));
    }
    for required in [
        "textbook",
        "modern-page",
        "api-polling",
        "image-tiles",
        "large-download",
        "lossy-mobile",
        "head-of-line",
    ] {
        assert!(presets::find(required).is_some(), "preset {required:?} is missing");
    }
    assert!(presets::find("no-such-preset").is_none());
}

#[test]
fn every_preset_is_described_for_people_and_starts_as_http11() {
    for p in presets::all() {
        let s = p.scenario();
        assert_eq!(s.name, p.title, "preset {}: scenario name is the listing title", p.id);
        assert!(!p.title.trim().is_empty() && !p.summary.trim().is_empty(), "preset {}", p.id);
        assert!(s.description.len() > 40, "preset {} needs a description saying what to look at", p.id);
        assert_eq!(s.client.protocol, Protocol::Http11, "preset {}: views replay the other protocols", p.id);
    }
}

#[test]
fn every_preset_round_trips_through_json() {
    for p in presets::all() {
        let s = p.scenario();
        let text = s.to_json_pretty();
        let back = Scenario::from_json(&text).unwrap_or_else(|err| panic!("preset {}: {err}", p.id));
        assert_eq!(back, s, "preset {} changed through JSON", p.id);
        assert_eq!(back.to_json_pretty(), text, "preset {}: JSON is stable", p.id);
    }
}

#[test]
fn every_preset_conforms_to_the_schema() {
    for p in presets::all() {
        let errors = schema_errors(&to_value(&p.scenario()));
        assert!(errors.is_empty(), "preset {}: {errors:#?}", p.id);
    }
}

#[test]
fn every_preset_is_built_the_same_way_twice() {
    for p in presets::all() {
        assert_eq!(p.scenario(), p.scenario(), "preset {}", p.id);
    }
}

#[test]
fn no_preset_is_distorted_by_the_server_request_limit_or_header_size() {
    for p in presets::all() {
        let s = p.scenario();
        let mut per_host: BTreeMap<&str, u32> = BTreeMap::new();
        for r in &s.requests {
            *per_host.entry(r.host.as_str()).or_default() += 1;
            assert!(
                r.response_bytes >= s.server.response_header_bytes as u64,
                "preset {}: {} is smaller than its own headers",
                p.id,
                r.id
            );
        }
        // Even HTTP/2, one connection per host, carries a host's every
        // request without the server closing it for max_requests.
        let busiest = per_host.values().copied().max().unwrap_or(0);
        assert!(
            s.server.max_requests_per_connection >= busiest,
            "preset {}: {busiest} requests to one host but max_requests_per_connection = {}",
            p.id,
            s.server.max_requests_per_connection
        );
    }
}

// ---------------------------------------------------------------------------
// Presets: each lesson
// ---------------------------------------------------------------------------

#[test]
fn textbook_meets_the_conditions_of_the_closed_forms() {
    let s = preset("textbook");
    assert_eq!(s.network.rtt_ms, 100.0);
    assert_eq!((s.network.downlink_mbps, s.network.uplink_mbps), (None, None), "infinite bandwidth");
    assert_eq!(s.network.loss_rate, 0.0);
    assert_eq!(s.tls.version, TlsVersion::None);
    assert_eq!(s.dns_ms, 0.0);
    let (base, objects) = s.requests.split_first().expect("a base file");
    assert!(base.after.is_empty() && base.delay_ms == 0.0);
    assert_eq!(base.response_bytes, 10_000);
    assert_eq!(objects.len(), 10);
    for object in objects {
        assert_eq!(object.response_bytes, 1_000);
        assert_eq!(object.after, vec![base.id.clone()]);
        assert_eq!((object.delay_ms, object.server_ms), (0.0, None));
        assert_eq!(object.host, base.host);
    }
    assert_eq!(s.server.processing_ms, 0.0);
    assert_eq!(base.server_ms, None);
    // The initial window holds every response, even all objects at once on
    // one HTTP/2 connection (with a frame header per response): no
    // slow-start round trips.
    let initial_window = s.tcp.initial_cwnd_segments as u64 * s.network.mss_bytes as u64;
    assert!(base.response_bytes <= initial_window);
    let all_objects: u64 = objects.iter().map(|o| o.response_bytes + 2 * 9).sum();
    assert!(all_objects <= initial_window, "{all_objects} bytes of objects > IW {initial_window}");
}

/// Kinds of resource in the modern page, by id.
fn kind(id: &str) -> &'static str {
    if id.ends_with(".html") {
        "html"
    } else if id.ends_with(".css") {
        "css"
    } else if id.ends_with(".js") {
        "js"
    } else if id.ends_with(".woff2") {
        "font"
    } else if [".jpg", ".png", ".webp", ".ico"].iter().any(|ext| id.ends_with(ext)) {
        "image"
    } else if id.starts_with("api/") {
        "api"
    } else if id.starts_with("collect?") {
        "beacon"
    } else {
        "other"
    }
}

#[test]
fn modern_page_follows_the_http_archive_medians() {
    let s = preset("modern-page");
    assert!((90..=110).contains(&s.requests.len()), "{} requests", s.requests.len());
    assert_eq!(hosts(&s).len(), 4, "hosts: {:?}", hosts(&s));

    let of_kind = |k: &str| s.requests.iter().filter(|r| kind(&r.id) == k).collect::<Vec<_>>();
    let (css, js, fonts, images) = (of_kind("css"), of_kind("js"), of_kind("font"), of_kind("image"));
    // Counts and bytes around the medians the preset cites (±25%).
    assert!((6..=10).contains(&css.len()) && (52_000..=88_000).contains(&total_response_bytes(&css)));
    assert!((20..=30).contains(&js.len()) && (375_000..=625_000).contains(&total_response_bytes(&js)));
    assert!((40..=60).contains(&images.len()));
    assert!((750_000..=1_250_000).contains(&total_response_bytes(&images)));
    assert!(fonts.len() == 4 && (75_000..=125_000).contains(&total_response_bytes(&fonts)));
    let total: u64 = s.requests.iter().map(|r| r.response_bytes).sum();
    assert!((1_500_000..=2_500_000).contains(&total), "page weight {total}");

    // One root: the HTML, which everything else waits for, directly or not.
    let roots: Vec<&RequestSpec> = s.requests.iter().filter(|r| r.after.is_empty()).collect();
    assert_eq!(roots.len(), 1);
    let html = roots[0];
    assert_eq!((kind(&html.id), html.server_ms), ("html", Some(80.0)));

    for r in css.iter().chain(&js) {
        assert!(!r.after.is_empty(), "{} waits for the document that references it", r.id);
    }
    for font in &fonts {
        assert!(font.after.iter().all(|dep| kind(dep) == "css"), "{} is found in a stylesheet", font.id);
    }
    assert!(images.iter().any(|img| img.after.iter().any(|dep| kind(dep) == "js")), "images inserted by JS");
    let api = of_kind("api");
    assert!(!api.is_empty());
    for call in &api {
        assert_eq!(call.server_ms, Some(30.0), "{}", call.id);
        assert!(
            call.after.iter().all(|dep| matches!(kind(dep), "js" | "api")),
            "{} is made by a script",
            call.id
        );
    }
    assert!(!of_kind("beacon").is_empty());
    assert!(of_kind("other").iter().all(|r| r.host == html.host), "favicon and manifest are first-party");

    assert_eq!(s.tls.version, TlsVersion::Tls13);
    assert_eq!(s.network.rtt_ms, 50.0);
    assert_eq!((s.network.downlink_mbps, s.network.uplink_mbps), (Some(20.0), Some(5.0)));
    assert_eq!(s.dns_ms, 20.0);
}

#[test]
fn api_polling_crosses_the_keep_alive_timeout_and_hits_the_race_window() {
    let s = preset("api-polling");
    let timeout = s.server.keep_alive_timeout_ms;
    let rtt = s.network.rtt_ms;
    assert!((8..=12).contains(&s.requests.len()), "{} polls", s.requests.len());
    assert_eq!(hosts(&s).len(), 1, "one API host, one warm connection to lose");
    assert_eq!(s.tls.version, TlsVersion::Tls13);

    let (first, rest) = s.requests.split_first().expect("a first poll");
    assert!(first.after.is_empty() && first.delay_ms == 0.0);
    for (previous, poll) in s.requests.iter().zip(rest) {
        assert_eq!(poll.after, vec![previous.id.clone()], "{} follows {}", poll.id, previous.id);
        assert!(poll.response_bytes <= 4_000, "a small JSON answer");
    }
    // The server, not the client, is the one that closes idle connections.
    let longest_think = rest.iter().map(|r| r.delay_ms).fold(0.0, f64::max);
    assert!(s.client.idle_timeout_ms > longest_think);

    // The server's idle timer starts when it writes a response; the client
    // has it rtt/2 later. Think time d then reuses the connection when the
    // request reaches the server before the timer fires (d < timeout - rtt),
    // finds it closed when the server's FIN arrived first (d > timeout), and
    // races the close in between.
    let delays: Vec<f64> = rest.iter().map(|r| r.delay_ms).collect();
    let reused = delays.iter().filter(|&&d| d < timeout - rtt).count();
    let crossed = delays.iter().filter(|&&d| d > timeout).count();
    let racing: Vec<f64> = delays.iter().copied().filter(|&d| d > timeout - rtt && d < timeout).collect();
    assert!(reused >= 2 && crossed >= 1 && !racing.is_empty(), "delays {delays:?}");

    // The race must not hinge on serialization time: it sits farther from
    // both window edges than a poll and its answer take on the wire.
    let wire_ms =
        |bytes: u64, mbps: Option<f64>| mbps.map_or(0.0, |rate| bytes as f64 * 8.0 / (rate * 1000.0));
    let poll_wire_ms = wire_ms(first.request_bytes as u64, s.network.uplink_mbps)
        + wire_ms(first.response_bytes, s.network.downlink_mbps);
    for d in racing {
        let margin = (d - (timeout - rtt)).min(timeout - d);
        assert!(margin > 10.0 * poll_wire_ms, "race delay {d} is {margin} ms from the window edge");
    }
}

#[test]
fn image_tiles_is_one_page_of_many_small_tiles() {
    let s = preset("image-tiles");
    assert!(s.requests.len() >= 170, "{} requests", s.requests.len());
    assert_eq!(hosts(&s).len(), 1);
    let (html, tiles) = s.requests.split_first().expect("the page");
    assert!(html.after.is_empty());
    let sizes: BTreeSet<u64> = tiles.iter().map(|t| t.response_bytes).collect();
    for tile in tiles {
        assert_eq!(tile.after, vec![html.id.clone()]);
        assert!(
            (2_000..=4_000).contains(&tile.response_bytes),
            "{} is {} bytes",
            tile.id,
            tile.response_bytes
        );
    }
    assert!(sizes.len() >= 5, "tile sizes vary: {sizes:?}");
    // HTTP/2 may have every tile in flight at once.
    assert!(s.server.max_concurrent_streams as usize >= tiles.len());
    assert_eq!(s.network.rtt_ms, 80.0);
    assert_eq!(s.network.downlink_mbps, Some(10.0));
    assert_eq!(s.tls.version, TlsVersion::Tls13);
}

#[test]
fn large_download_lasts_well_past_slow_start() {
    let s = preset("large-download");
    assert_eq!(s.requests.len(), 1, "one file: nothing to reuse a connection for");
    let file = &s.requests[0];
    let rate = s.network.downlink_mbps.expect("a finite link, or there is nothing to ramp up to");
    assert_eq!((rate, s.network.rtt_ms), (50.0, 60.0));
    assert_eq!(s.network.loss_rate, 0.0);
    assert!(file.response_bytes >= 10_000_000);

    // Slow start doubles the window each RTT from the initial window until
    // it covers the bandwidth-delay product; the file must dwarf what is sent
    // during that ramp, so the transfer shows both phases.
    let mss = s.network.mss_bytes as u64;
    let bdp_bytes = (rate * 1e6 / 8.0 * s.network.rtt_ms / 1000.0) as u64;
    let mut window = s.tcp.initial_cwnd_segments as u64 * mss;
    let mut ramp_bytes = 0;
    while window < bdp_bytes {
        ramp_bytes += window;
        window *= 2;
    }
    assert!(file.response_bytes > 20 * ramp_bytes, "ramp {ramp_bytes} bytes, file {}", file.response_bytes);
    assert!(s.tcp.rwnd_bytes.is_none_or(|rwnd| rwnd >= bdp_bytes), "the receive window must not cap it");
}

#[test]
fn lossy_mobile_is_one_host_on_a_slow_lossy_link() {
    let s = preset("lossy-mobile");
    assert!((25..=35).contains(&s.requests.len()), "{} requests", s.requests.len());
    // One host: HTTP/2 puts everything on one connection, HTTP/1.1 spreads it.
    assert_eq!(hosts(&s).len(), 1);
    assert!(s.client.max_connections_per_host >= 2);
    assert!(s.network.loss_rate > 0.0 && s.network.loss_rate <= 0.05);
    assert_eq!(s.network.rtt_ms, 150.0);
    assert_eq!((s.network.downlink_mbps, s.network.uplink_mbps), (Some(2.0), Some(1.0)));
    assert_eq!(s.tls.version, TlsVersion::Tls13);
    // Enough packets that the loss rate means several losses, not a coin toss.
    let packets: u64 = s.requests.iter().map(|r| r.response_bytes.div_ceil(s.network.mss_bytes as u64)).sum();
    assert!(packets as f64 * s.network.loss_rate >= 5.0, "{packets} data packets");
}

#[test]
fn head_of_line_is_medium_objects_on_one_connection_over_a_lossy_path() {
    let s = preset("head-of-line");
    assert_eq!(hosts(&s).len(), 1, "one connection under HTTP/2 and HTTP/3");
    assert!(s.network.loss_rate > 0.0 && s.network.loss_rate <= 0.05);
    // Medium objects: several packets each, none larger than one HTTP/2
    // frame turn, so each completes in its turn and a stall shows.
    let objects: Vec<&RequestSpec> = s.requests.iter().filter(|r| !r.after.is_empty()).collect();
    assert!(objects.len() >= 24, "{} objects", objects.len());
    for r in &objects {
        assert!((10_000..=16_384).contains(&r.response_bytes), "{}: {} bytes", r.id, r.response_bytes);
    }
    // Half of them wait for another object: a stall delays what it starts.
    let second_level = objects.iter().filter(|r| r.after.iter().all(|a| a != "index.html")).count();
    assert_eq!(second_level * 2, objects.len());
    // The same path for both transports: TCP segments and QUIC datagrams
    // fill one MTU (40 bytes of TCP/IPv4 headers, 28 of UDP/IPv4), and both
    // delay their ACKs, so packet size and ACK rate are not the difference.
    assert_eq!(s.network.mss_bytes + 40, s.quic.max_datagram_size_bytes + 28);
    assert!(s.tcp.delayed_ack);
    // The certificate flight fits QUIC's anti-amplification budget.
    assert!(s.tls.certificate_bytes as u64 + 500 < 3 * s.quic.max_datagram_size_bytes as u64);
}

#[test]
fn head_of_line_holds_every_stream_over_tcp_and_one_over_quic() {
    // The preset's lesson, in every draw of losses: over HTTP/2 a lost
    // packet holds back the responses of other streams too (several per
    // loss on average); over HTTP/3 a blocked stream is held alone while
    // others continue (RFC 9000 §2.2, RFC 9114 §1.1).
    use reuse_sim::trace::EventKind;
    use std::collections::BTreeMap;
    let base = preset("head-of-line");
    let (mut held_per_loss, mut losses) = (0usize, 0usize);
    let (mut blocks, mut alone) = (0usize, 0usize);
    for seed in 1..=10u64 {
        let mut s = base.clone();
        s.seed = seed;
        let runs = reuse_sim::simulate_protocols(&s, &[Protocol::H2, Protocol::H3]).expect("runs");
        let mut by_loss: BTreeMap<u64, usize> = BTreeMap::new();
        for e in &runs[0].trace {
            if let EventKind::ResponseHeld { behind, .. } = e.kind {
                *by_loss.entry(behind).or_default() += 1;
            }
        }
        losses += by_loss.len();
        held_per_loss += by_loss.values().sum::<usize>();
        for e in &runs[1].trace {
            if let EventKind::QuicStreamBlocked { continuing, .. } = &e.kind {
                blocks += 1;
                alone += !continuing.is_empty() as usize;
            }
            assert!(!matches!(e.kind, EventKind::ResponseHeld { behind, .. } if behind != u64::MAX));
        }
    }
    assert!(held_per_loss * 10 >= losses * 15, "HTTP/2: {held_per_loss} responses held over {losses} losses");
    assert!(alone * 2 > blocks, "HTTP/3: other streams continued in {alone} of {blocks} blocks");
    // In the preset's own draw HTTP/3 also finishes first.
    let runs = reuse_sim::simulate_protocols(&base, &[Protocol::H2, Protocol::H3]).expect("runs");
    assert!(runs[1].result.page_load_ms < runs[0].result.page_load_ms);
}

// ---------------------------------------------------------------------------
// The schema against the struct
// ---------------------------------------------------------------------------

#[test]
fn schema_is_draft_2020_12_and_closed_everywhere() {
    let root = schema();
    assert_eq!(root["$schema"], "https://json-schema.org/draft/2020-12/schema");
    let mut objects = vec![("(root)".to_string(), &root)];
    let definitions = root["$defs"].as_object().expect("$defs");
    objects.extend(definitions.iter().map(|(name, definition)| (format!("$defs/{name}"), definition)));
    assert_eq!(objects.len(), 8, "scenario, network, tcp, tls, client, server, quic, request");
    for (path, object) in objects {
        assert_eq!(object["type"], "object", "{path}");
        assert_eq!(object["additionalProperties"], false, "{path} must reject unknown fields");
    }
    for (path, property) in schema_properties(&root, &root, "") {
        let text = property["description"].as_str().unwrap_or("");
        assert!(text.len() > 10, "{path} needs a description");
    }
}

#[test]
fn schema_properties_are_exactly_the_fields_of_a_scenario() {
    let root = schema();
    let declared: BTreeSet<String> =
        schema_properties(&root, &root, "").into_iter().map(|(path, _)| path).collect();
    let mut serialized = BTreeSet::new();
    json_keys(&to_value(&fully_populated()), "", &mut serialized);
    let missing: Vec<_> = serialized.difference(&declared).collect();
    let extra: Vec<_> = declared.difference(&serialized).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "not in the schema: {missing:?}; not in Scenario: {extra:?}"
    );
}

#[test]
fn schema_requires_what_the_format_requires() {
    let root = schema();
    let required = |schema: &Value| -> BTreeSet<String> {
        schema["required"].as_array().map_or_else(BTreeSet::new, |names| {
            names.iter().map(|n| n.as_str().expect("names").to_string()).collect()
        })
    };
    let mut by_path: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    by_path.insert(String::new(), required(&root));
    for (path, sub) in schema_properties(&root, &root, "") {
        if sub.get("properties").is_some() {
            by_path.insert(path.clone(), required(sub));
        }
        if let Some(items) = sub.get("items").map(|items| resolve(&root, items)) {
            if items.get("properties").is_some() {
                by_path.insert(format!("{path}[]"), required(items));
            }
        }
    }
    // What the struct requires: drop each field in turn from a full scenario
    // and see whether it still parses. (With early_data, tls.version would be
    // needed by a cross-field rule, not by the format.)
    let mut full = to_value(&fully_populated());
    full["tls"]["resumption"] = json!("ticket");
    for (object_path, schema_required) in &by_path {
        let mut object = full.clone();
        let target =
            if object_path.is_empty() { &mut object } else { at_path(&mut object, object_path).unwrap() };
        let keys: Vec<String> = target.as_object().expect("an object").keys().cloned().collect();
        let mut struct_required = BTreeSet::new();
        for key in keys {
            let mut without = full.clone();
            let target = if object_path.is_empty() {
                &mut without
            } else {
                at_path(&mut without, object_path).unwrap()
            };
            target.as_object_mut().unwrap().remove(&key);
            if Scenario::from_json(&without.to_string()).is_err() {
                struct_required.insert(key);
            }
        }
        assert_eq!(&struct_required, schema_required, "required fields of {object_path:?}");
    }
    let spec_required = [
        ("", vec!["network", "client", "requests"]),
        ("network", vec!["rtt_ms"]),
        ("client", vec!["protocol"]),
        ("requests[]", vec!["id", "response_bytes"]),
    ];
    for (path, names) in spec_required {
        let names: BTreeSet<String> = names.into_iter().map(String::from).collect();
        assert_eq!(by_path.get(path), Some(&names), "spec's required fields of {path:?}");
    }
}

#[test]
fn schema_defaults_are_the_struct_defaults() {
    let root = schema();
    let minimal = r#"{ "network": { "rtt_ms": 100 }, "client": { "protocol": "h2" },
                       "requests": [ { "id": "a", "response_bytes": 1 } ] }"#;
    let mut filled = to_value(&Scenario::from_json(minimal).expect("the minimal scenario parses"));
    // The optional objects (absent by default) given as `{}`: their fields'
    // defaults.
    let empty_objects = r#"{ "network": { "rtt_ms": 100, "middlebox": {} }, "client": { "protocol": "h2" },
                       "tcp": { "keepalive": {} }, "push": { "events_ms": [1] }, "clients": { "count": 1 },
                       "requests": [ { "id": "a", "response_bytes": 1 } ] }"#;
    let mut nested = to_value(&Scenario::from_json(empty_objects).expect("empty optional objects parse"));
    let mut checked = 0;
    for (path, property) in schema_properties(&root, &root, "") {
        let Some(default) = property.get("default") else { continue };
        checked += 1;
        let inside_optional =
            ["tcp.keepalive.", "network.middlebox.", "push.", "clients."].iter().any(|p| path.starts_with(p));
        let source = if inside_optional { &mut nested } else { &mut filled };
        match at_path(source, &path) {
            Some(actual) => {
                assert!(same_json(actual, default), "{path}: schema says {default}, struct gives {actual}")
            }
            // Only empty values are left out when serializing, and a
            // request's status when it is 200, the HTTP default (a scenario
            // lists only its errors).
            None => assert!(
                [json!(""), json!([]), json!(0), json!(null), json!(false)]
                    .iter()
                    .any(|empty| same_json(empty, default))
                    || (path == "requests[].status" && *default == json!(200)),
                "{path}: absent from the serialized defaults, so its default must be empty, not {default}"
            ),
        }
    }
    assert!(checked >= 25, "only {checked} defaults checked");
}

/// The JSON text of `base` with the field at `path` replaced by `literal`.
fn with_field(base: &Value, path: &str, literal: &str) -> String {
    let mut value = base.clone();
    let placeholder = "\u{1}boundary\u{1}";
    *at_path(&mut value, path).unwrap_or_else(|| panic!("{path} is in the base scenario")) =
        json!(placeholder);
    value.to_string().replace(&json!(placeholder).to_string(), literal)
}

#[test]
fn schema_ranges_agree_with_validate() {
    let root = schema();
    let full = to_value(&fully_populated());
    let mut checked = 0;
    for (path, property) in schema_properties(&root, &root, "") {
        let integer = property["type"] == "integer" || property["type"] == json!(["integer", "null"]);
        let mut base = full.clone();
        if path == "tcp.rwnd_bytes" {
            // The one cross-field range: rwnd_bytes >= mss_bytes. Its floor is
            // the floor of mss_bytes.
            *at_path(&mut base, "network.mss_bytes").unwrap() =
                root["$defs"]["network"]["properties"]["mss_bytes"]["minimum"].clone();
        }
        for (keyword, inward) in [("minimum", 1i8), ("maximum", -1), ("exclusiveMinimum", 1)] {
            let Some(bound) = property.get(keyword) else { continue };
            checked += 1;
            let (inside, outside) = if integer {
                let bound =
                    bound.as_u64().map(i128::from).or(bound.as_i64().map(i128::from)).expect("an integer");
                let step = i128::from(inward);
                match keyword {
                    "exclusiveMinimum" => ((bound + 1).to_string(), bound.to_string()),
                    _ => (bound.to_string(), (bound - step).to_string()),
                }
            } else {
                let bound = bound.as_f64().expect("a number");
                let step = f64::from(inward) * (bound.abs() * 1e-6).max(1e-6);
                match keyword {
                    "exclusiveMinimum" => (json!(bound + step).to_string(), json!(bound).to_string()),
                    _ => (json!(bound).to_string(), json!(bound - step).to_string()),
                }
            };
            let accepted = Scenario::from_json(&with_field(&base, &path, &inside));
            assert!(accepted.is_ok(), "{path} = {inside} is inside the schema's {keyword}: {accepted:?}");
            let rejected = Scenario::from_json(&with_field(&base, &path, &outside));
            let err = rejected.expect_err(&format!("{path} = {outside} is outside the schema's {keyword}"));
            // The error names the field, whether serde or validate caught it.
            assert_eq!(err.field, path.replace("[]", "[1]"), "{path} = {outside}: {err}");
        }
        if property["type"].as_array().is_some_and(|types| types.contains(&json!("null"))) {
            assert!(Scenario::from_json(&with_field(&base, &path, "null")).is_ok(), "{path} accepts null");
        }
    }
    assert!(checked >= 30, "only {checked} bounds checked");
}

#[test]
fn schema_enums_are_the_struct_enums() {
    let root = schema();
    let mut full = to_value(&fully_populated());
    // early_data would rule out every tls.version but tls1.3.
    full["tls"]["resumption"] = json!("ticket");
    let mut checked = 0;
    for (path, property) in schema_properties(&root, &root, "") {
        let Some(options) = property.get("enum").and_then(Value::as_array) else { continue };
        checked += 1;
        for option in options {
            let text = with_field(&full, &path, &option.to_string());
            assert!(Scenario::from_json(&text).is_ok(), "{path} = {option} is in the schema's enum");
        }
        let text = with_field(&full, &path, "\"no-such-value\"");
        assert!(Scenario::from_json(&text).is_err(), "{path} rejects values outside its enum");
    }
    assert_eq!(
        checked, 11,
        "tls.version, tls.resumption, client.protocol, server.pipeline_processing, tcp.cwnd_unit, \
         tcp.loss_recovery, tcp.congestion_control, network.middlebox.kind, network.middlebox.on_expired, server.costs.certificate_key, \
         requests[].push"
    );
    let protocols: Vec<Value> = Protocol::ALL.iter().map(|p| json!(p.as_str())).collect();
    assert_eq!(root["$defs"]["client"]["properties"]["protocol"]["enum"], json!(protocols));
}

#[test]
fn schema_and_validate_agree_on_rules_beyond_ranges() {
    let full = to_value(&fully_populated());
    let cases = [
        ("tls.version", "\"tls1.2\"", "early data needs TLS 1.3"),
        ("requests[].id", "\"  \"", "blank request id"),
        ("requests[].host", "\"\"", "empty host"),
        ("format", "\"reuse-lab/scenario@2\"", "another format version"),
    ];
    for (path, literal, why) in cases {
        let text = with_field(&full, path, literal);
        let value: Value = serde_json::from_str(&text).unwrap();
        assert!(Scenario::from_json(&text).is_err(), "validate rejects {why}");
        assert!(!schema_errors(&value).is_empty(), "the schema rejects {why}");
    }
    // HTTP/3 as the scenario's own protocol needs TLS 1.3 (QUIC always
    // uses it, RFC 9001), in both.
    let mut value = full.clone();
    value["client"]["protocol"] = json!("h3");
    assert!(Scenario::from_json(&value.to_string()).is_ok() && schema_errors(&value).is_empty());
    value["tls"] = json!({ "version": "none" });
    let err = Scenario::from_json(&value.to_string()).expect_err("h3 without TLS 1.3");
    assert_eq!(err.field, "tls.version");
    assert!(!schema_errors(&value).is_empty(), "the schema rejects h3 without TLS 1.3");
    value["tls"] = json!({});
    assert!(Scenario::from_json(&value.to_string()).is_err() && !schema_errors(&value).is_empty());
    // A misspelt field is an error in both.
    let mut value = full.clone();
    value["network"]["rtt"] = json!(100);
    assert!(Scenario::from_json(&value.to_string()).is_err());
    assert!(!schema_errors(&value).is_empty());
    // Request counts.
    let mut value = full.clone();
    value["requests"] = json!([]);
    assert!(Scenario::from_json(&value.to_string()).is_err() && !schema_errors(&value).is_empty());
    let many: Vec<Value> =
        (0..=MAX_REQUESTS).map(|i| json!({ "id": format!("r{i}"), "response_bytes": 1000 })).collect();
    value["requests"] = json!(many[..MAX_REQUESTS]);
    assert!(Scenario::from_json(&value.to_string()).is_ok() && schema_errors(&value).is_empty());
    value["requests"] = json!(many);
    assert!(Scenario::from_json(&value.to_string()).is_err() && !schema_errors(&value).is_empty());
}

#[test]
fn the_fully_populated_scenario_and_the_spec_example_conform() {
    assert_eq!(schema_errors(&to_value(&fully_populated())), Vec::<String>::new());
    // The example of scenario-format.md, verbatim.
    let spec_example = r#"{
      "format": "reuse-lab/scenario@1",
      "name": "Textbook page: base HTML + 10 images",
      "seed": 1,
      "network": {
        "rtt_ms": 100,
        "downlink_mbps": 10,
        "uplink_mbps": 10,
        "loss_rate": 0.0,
        "mss_bytes": 1460,
        "packet_overhead_bytes": 40
      },
      "tcp": {
        "initial_cwnd_segments": 10,
        "slow_start_after_idle": true,
        "delayed_ack": false,
        "rwnd_bytes": null
      },
      "tls": { "version": "none", "resumption": "none" },
      "dns_ms": 0,
      "client": {
        "protocol": "http/1.1",
        "max_connections_per_host": 6,
        "http10_keep_alive": false,
        "pipelining": false,
        "idle_timeout_ms": 300000
      },
      "server": {
        "processing_ms": 0,
        "keep_alive_timeout_ms": 5000,
        "max_requests_per_connection": 100,
        "max_concurrent_streams": 100,
        "pipeline_processing": "serial"
      },
      "requests": [
        { "id": "index.html", "host": "example.com", "request_bytes": 400,
          "response_bytes": 20000, "server_ms": 40, "after": [], "delay_ms": 0 },
        { "id": "style.css", "host": "example.com", "response_bytes": 8000,
          "after": ["index.html"] }
      ]
    }"#;
    Scenario::from_json(spec_example).expect("the spec's example parses");
    let errors = schema_errors(&serde_json::from_str(spec_example).unwrap());
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn nat_presets_space_calls_past_the_nat_but_within_http_keep_alive() {
    let idle = preset("nat-idle");
    let probed = preset("nat-keepalive");
    let nat = idle.network.middlebox.clone().expect("a middlebox");
    assert_eq!(probed.network.middlebox, Some(nat.clone()), "the same NAT");
    assert!(idle.tcp.keepalive.is_none(), "keep-alive is off by default");
    let ka = probed.tcp.keepalive.clone().expect("keep-alive on");
    assert!(ka.idle_ms < nat.idle_timeout_ms, "probes come before the NAT forgets");
    // Titles fit the 360 px picker.
    for id in ["nat-idle", "nat-keepalive"] {
        let title = presets::find(id).unwrap().title;
        assert!(title.chars().count() <= 42, "{id}: {title}");
    }
    for r in idle.requests.iter().skip(1) {
        assert!(r.delay_ms > nat.idle_timeout_ms, "{}: the gap outlasts the NAT", r.id);
        assert!(r.delay_ms < idle.client.idle_timeout_ms.min(idle.server.keep_alive_timeout_ms));
    }
    // The lesson, under HTTP/1.1: without probes every call after the first
    // meets the NAT's reset and is retried on a new connection; with them
    // one connection carries every call.
    let out = reuse_sim::simulate(&idle).expect("runs");
    let calls = idle.requests.len() as u32;
    assert_eq!(out.result.totals.retried_requests, calls - 1);
    assert_eq!(out.result.totals.connections_opened, calls);
    let out = reuse_sim::simulate(&probed).expect("runs");
    assert_eq!(out.result.totals.retried_requests, 0);
    assert_eq!(out.result.totals.connections_opened, 1);
}
