//! Requests that cannot complete are results, not errors: a slow upload is
//! not cut for being slow, a request lost to a close is retried as
//! browsers do and otherwise fails with its reason, and a run that reaches
//! its cap returns what it simulated.

use crate::fixtures::*;
use reuse_sim::http::server::READ_TIMEOUT;
use reuse_sim::trace::{EventKind, FailureReason};
use reuse_sim::{simulate_with_limits, Limits, RequestSpec, Scenario, SimError};

/// One request whose `body` bytes go up a `kbps` uplink; the downlink and
/// the network otherwise ideal.
fn upload(body: u32, kbps: f64) -> Scenario {
    let mut r = RequestSpec::new("form", 1000);
    r.request_bytes = body;
    let mut s = Scenario::new("upload", 100.0, vec![r]);
    s.network.packet_overhead_bytes = 0;
    s.network.uplink_mbps = Some(kbps / 1000.0);
    s
}

#[test]
fn a_slow_upload_takes_its_serialization_time_and_is_not_cut() {
    // 30 KB at 10 kbit/s: 24 s on the wire. The server times the gap
    // between reads (nginx's client_body_timeout, 60 s), not the whole
    // body, so nothing closes it. 1 RTT handshake, the body's serialization,
    // ½ RTT for its last byte, ½ RTT for the response; each copy a spurious
    // timeout adds (the first RTO fires before the first ACK of such a long
    // queue) takes one more segment's time on the bottleneck.
    for body in [30_000u32, 200_000] {
        let s = upload(body, 10.0);
        let out = run(&s);
        let bits_per_ms = 10.0;
        let wire = body as f64 * 8.0 / bits_per_ms;
        let segment = s.network.mss_bytes as f64 * 8.0 / bits_per_ms;
        let copies = out.result.totals.retransmissions as f64;
        let page = out.result.page_load_ms;
        let base = 2.0 * 100.0 + wire;
        assert!(
            page >= base - 1e-3 && page <= base + copies * segment + 1e-3,
            "{body} B: {page} ms, base {base} ms, {copies} copies"
        );
        assert!(copies <= 3.0, "{body} B: {copies} retransmissions");
        assert_eq!(out.result.totals.retried_requests, 0);
        assert_eq!(out.result.totals.failed_requests, 0);
        assert!(wire > READ_TIMEOUT.as_ms() || body < 100_000, "the 200 KB body outlasts the read timeout");
    }
}

#[test]
fn a_run_at_its_cap_returns_what_it_simulated() {
    let mut s = single(100.0, 5_000_000);
    s.network.downlink_mbps = Some(1.0);
    let limits = Limits { max_events: 2_000, ..Limits::default() };
    let err = simulate_with_limits(&s, limits).expect_err("stops at the cap");
    assert!(matches!(err, SimError::EventLimit { limit: 2_000, .. }));
    let partial = err.partial().expect("a partial run");
    assert!(partial.trace.len() > 1000, "the trace up to the cap");
    let r = &partial.result.requests[0];
    assert_eq!(r.failure, Some(FailureReason::Unfinished));
    let started = partial.trace.iter().any(|e| matches!(e.kind, EventKind::ResponseFirstByte { .. }));
    assert!(started, "the response had begun: the trace shows where it stopped");
    assert_eq!(partial.result.totals.failed_requests, 1);
    let at = match err {
        SimError::EventLimit { at_ms, .. } => at_ms,
        _ => unreachable!(),
    };
    assert_ms(r.end_ms, partial.trace.last().unwrap().time.as_ms(), "unfinished ends where the run stopped");
    assert!(r.end_ms >= at);
}

#[test]
fn a_failed_request_fails_what_waits_for_it() {
    // The keep-alive race on a 50 ms server timer and 100 ms RTT: every
    // request sent on a reused connection reaches a server that has closed
    // it. A chain of requests each needing the one before: the first is
    // retried (once) on a new connection, which answers; the chain goes on.
    // Whatever fails takes its dependents with it, each with its reason.
    let mut requests = vec![RequestSpec::new("r0", 1000)];
    for i in 1..6 {
        requests.push(RequestSpec::new(format!("r{i}"), 1000).after(&[&format!("r{}", i - 1)]));
    }
    let mut s = Scenario::new("race chain", 100.0, requests);
    s.server.keep_alive_timeout_ms = 50.0;
    s.client.max_connections_per_host = 2;
    let out = run(&s);
    let failed: Vec<_> = out.result.requests.iter().filter(|r| r.failure.is_some()).collect();
    for (i, r) in out.result.requests.iter().enumerate() {
        if let Some(reason) = r.failure {
            if reason == FailureReason::DependencyFailed {
                let before = &out.result.requests[i - 1];
                assert!(before.failure.is_some(), "{} fails only after {}", r.id, before.id);
            }
        }
    }
    let events = out.trace.iter().filter(|e| matches!(e.kind, EventKind::RequestFailed { .. })).count();
    assert_eq!(events, failed.len(), "one RequestFailed event per failed request");
    assert_eq!(out.result.totals.failed_requests as usize, failed.len());
    let last = out.result.requests.iter().map(|r| r.end_ms).fold(0.0, f64::max);
    assert_ms(out.result.page_load_ms, last, "the page ends with its last request, done or failed");
}

#[test]
fn a_page_of_100_000_requests_runs_to_the_end() {
    // The scale limit is 100 000 requests (issue 9); over HTTP/1.0 each one
    // opens its own connection, the worst case for the pool's bookkeeping.
    let mut requests = vec![RequestSpec::new("page", 2000)];
    for i in 1..reuse_sim::scenario::MAX_REQUESTS {
        requests.push(RequestSpec::new(format!("o{i}"), 1000).after(&["page"]));
    }
    let mut s = Scenario::new("100k", 50.0, requests);
    s.client.protocol = reuse_sim::Protocol::Http10;
    let out = run(&s);
    assert_eq!(out.result.requests.len(), reuse_sim::scenario::MAX_REQUESTS);
    assert_eq!(out.result.totals.failed_requests, 0);
    assert_eq!(out.result.totals.connections_opened as usize, reuse_sim::scenario::MAX_REQUESTS);
    // Six at a time, two round trips each (handshake, request), after the
    // page's own two: 2R + 2R·⌈(N − 1)/6⌉.
    let waves = ((reuse_sim::scenario::MAX_REQUESTS - 1) as f64 / 6.0).ceil();
    assert_ms(out.result.page_load_ms, 2.0 * 50.0 + 2.0 * 50.0 * waves, "2R + 2R per wave of six");
}
