//! Scenario builders and trace queries shared by the behaviour tests.

#![allow(dead_code)]

use reuse_sim::scenario::CongestionControl;
use reuse_sim::trace::{CloseReason, EventKind, PacketInfo};
use reuse_sim::{simulate, Protocol, RequestSpec, Scenario, SimOutput};

/// Tolerance for comparing milliseconds: results are whole nanoseconds.
pub const EPS_MS: f64 = 1e-6;

/// The textbook network: infinite bandwidth, zero-size headers, a window
/// that holds every response, no server time.
pub fn textbook(rtt_ms: f64, objects: usize, protocol: Protocol) -> Scenario {
    let mut requests = vec![RequestSpec::new("base.html", 1000)];
    for i in 0..objects {
        requests.push(RequestSpec::new(format!("obj{i}"), 1000).after(&["base.html"]));
    }
    let mut s = Scenario::new("textbook", rtt_ms, requests);
    s.network.packet_overhead_bytes = 0;
    s.client.protocol = protocol;
    s
}

/// One request for `bytes` on a fresh connection.
pub fn single(rtt_ms: f64, bytes: u64) -> Scenario {
    let mut s = Scenario::new("single", rtt_ms, vec![RequestSpec::new("file", bytes)]);
    s.network.packet_overhead_bytes = 0;
    s
}

pub fn run(s: &Scenario) -> SimOutput {
    simulate(s).unwrap_or_else(|e| panic!("simulation failed: {e}"))
}

pub fn assert_ms(actual: f64, expected: f64, what: &str) {
    assert!((actual - expected).abs() < EPS_MS, "{what}: got {actual} ms, expected {expected} ms");
}

pub fn packets(out: &SimOutput) -> impl Iterator<Item = &PacketInfo> {
    out.trace.iter().filter_map(|e| match &e.kind {
        EventKind::PacketSent(p) => Some(p),
        _ => None,
    })
}

pub fn closes(out: &SimOutput) -> Vec<CloseReason> {
    out.result.connections.iter().map(|c| c.closed_by).collect()
}

/// Checks the spec's phase identity on every request.
pub fn assert_phase_sums(out: &SimOutput) {
    for r in &out.result.requests {
        assert!(
            (r.phase_sum_ms() - r.end_ms).abs() < EPS_MS,
            "{}: phases sum to {} but end is {}",
            r.id,
            r.phase_sum_ms(),
            r.end_ms
        );
        for (name, v) in [
            ("queued", r.queued_ms),
            ("dns", r.dns_ms),
            ("connect", r.connect_ms),
            ("tls", r.tls_ms),
            ("send", r.send_ms),
            ("wait", r.wait_ms),
            ("download", r.download_ms),
        ] {
            assert!(v >= 0.0, "{}: {name} is negative ({v})", r.id);
        }
    }
}

/// The page of issue 15's Linux measurement: 20 objects of 30 KB over an
/// 80 ms, 20 Mbit/s path, with random loss and a congestion controller.
pub fn twenty_objects(loss: f64, cc: CongestionControl) -> Scenario {
    let mut requests = vec![RequestSpec::new("index.html", 30_000)];
    for i in 0..19 {
        requests.push(RequestSpec::new(format!("o{i}"), 30_000).after(&["index.html"]));
    }
    let mut s = Scenario::new("twenty objects", 80.0, requests);
    s.network.downlink_mbps = Some(20.0);
    s.network.uplink_mbps = Some(20.0);
    s.network.loss_rate = loss;
    s.tcp.congestion_control = cc;
    s
}

/// The median page load of `s` under `protocol` over seeds 1..=`seeds`.
pub fn median_page_load(s: &Scenario, protocol: Protocol, seeds: u64) -> f64 {
    let mut loads: Vec<f64> = (1..=seeds)
        .map(|seed| {
            let mut s = s.clone().with_protocol(protocol);
            s.seed = seed;
            run(&s).result.page_load_ms
        })
        .collect();
    loads.sort_by(f64::total_cmp);
    loads[loads.len() / 2]
}
