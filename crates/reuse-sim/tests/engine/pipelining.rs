//! Pipelining and head-of-line blocking: responses go out in request order,
//! so one slow response holds back every response behind it.

use crate::fixtures::*;
use reuse_sim::scenario::PipelineProcessing;
use reuse_sim::trace::EventKind;
use reuse_sim::{Protocol, RequestSpec, Scenario};

const RTT: f64 = 100.0;
const SLOW: f64 = 500.0;

/// A base file, then `slow` (SLOW ms of server time) and four fast objects.
fn slow_first(protocol: Protocol, pipelining: bool) -> Scenario {
    let mut requests = vec![RequestSpec::new("base", 1000)];
    requests.push(RequestSpec::new("slow", 1000).after(&["base"]).server_ms(SLOW));
    for i in 0..4 {
        requests.push(RequestSpec::new(format!("fast{i}"), 1000).after(&["base"]));
    }
    let mut s = Scenario::new("hol", RTT, requests);
    s.network.packet_overhead_bytes = 0;
    s.client.protocol = protocol;
    s.client.max_connections_per_host = 1;
    s.client.pipelining = pipelining;
    s
}

fn end(out: &reuse_sim::SimOutput, id: &str) -> f64 {
    out.result.requests.iter().find(|r| r.id == id).unwrap().end_ms
}

#[test]
fn pipelined_fast_responses_wait_behind_the_slow_one() {
    // All sent at 2 RTT; the slow one is done at 2.5 RTT + SLOW; the fast
    // ones wait behind it (serial: to be processed; parallel: to be sent).
    for processing in [PipelineProcessing::Serial, PipelineProcessing::Parallel] {
        let mut s = slow_first(Protocol::Http11, true);
        s.server.pipeline_processing = processing;
        let out = run(&s);
        for i in 0..4 {
            assert_ms(end(&out, &format!("fast{i}")), 3.0 * RTT + SLOW, "blocked behind slow");
        }
    }
    let mut s = slow_first(Protocol::Http11, true);
    s.server.pipeline_processing = PipelineProcessing::Parallel;
    let out = run(&s);
    let blocked = out
        .trace
        .iter()
        .filter(|e| matches!(e.kind, EventKind::ResponseReady { blocked_by: Some(1), .. }))
        .count();
    assert_eq!(blocked, 4, "the trace says which response blocked each fast one");
}

#[test]
fn without_pipelining_each_waits_its_turn() {
    let out = run(&slow_first(Protocol::Http11, false));
    assert_ms(out.result.page_load_ms, 2.0 * RTT + (RTT + SLOW) + 4.0 * RTT, "serial requests");
}

#[test]
fn http2_streams_do_not_wait_for_each_other() {
    let out = run(&slow_first(Protocol::H2, false));
    for i in 0..4 {
        assert_ms(end(&out, &format!("fast{i}")), 3.0 * RTT, "independent stream");
    }
    assert_ms(end(&out, "slow"), 3.0 * RTT + SLOW, "the slow stream alone is late");
}

#[test]
fn serial_processing_adds_server_times_parallel_overlaps_them() {
    let mut s = slow_first(Protocol::Http11, true);
    s.requests[2].server_ms = Some(SLOW);
    s.server.pipeline_processing = PipelineProcessing::Serial;
    let serial = run(&s);
    assert_ms(end(&serial, "fast0"), 3.0 * RTT + 2.0 * SLOW, "serial: one after the other");
    s.server.pipeline_processing = PipelineProcessing::Parallel;
    let parallel = run(&s);
    assert_ms(end(&parallel, "fast0"), 3.0 * RTT + SLOW, "parallel: processed together");
}

#[test]
fn requests_waiting_when_the_connection_opens_are_pipelined() {
    // HPBN ch. 11: three requests at t = 0 on one connection, RTT R = 60 ms,
    // server times 30, 10 and 10 ms. All three leave with the handshake's
    // last ACK (R) and reach the server at 1.5R. Serial processing: done at
    // 1.5R + 30, + 10, + 10, each response ½R later: 1.5R + 50 + ½R.
    // Parallel: all done by 1.5R + 30, sent in order: 1.5R + 30 + ½R.
    let r = 60.0;
    for (processing, expected) in
        [(PipelineProcessing::Serial, 2.0 * r + 50.0), (PipelineProcessing::Parallel, 2.0 * r + 30.0)]
    {
        let requests = vec![
            RequestSpec::new("a", 1000).server_ms(30.0),
            RequestSpec::new("b", 1000).server_ms(10.0),
            RequestSpec::new("c", 1000).server_ms(10.0),
        ];
        let mut s = Scenario::new("three at once", r, requests);
        s.network.packet_overhead_bytes = 0;
        s.client.max_connections_per_host = 1;
        s.client.pipelining = true;
        s.server.pipeline_processing = processing;
        let out = run(&s);
        assert_ms(out.result.page_load_ms, expected, &format!("{processing:?}"));
        assert_eq!(out.result.totals.connections_opened, 1);
        // The in-order wait: serial, b waits for a (30) and c for a and b
        // (40); parallel, b and c are ready at +10 and go when a is, at +30.
        let blocked = match processing {
            PipelineProcessing::Serial => 30.0 + 40.0,
            PipelineProcessing::Parallel => 20.0 + 20.0,
        };
        assert_ms(out.result.totals.blocked_ms, blocked, &format!("{processing:?}: in-order wait"));
        for q in &out.result.requests {
            assert_ms(q.sent_ms, r, &format!("{} leaves with the handshake's ACK", q.id));
        }
    }
}

#[test]
fn the_in_order_wait_is_counted_per_request_and_in_the_totals() {
    // Parallel processing: the fast responses are ready at 2.5R + 0 (their
    // server time is 0) and wait for the slow one, ready at 2.5R + SLOW:
    // each waits SLOW, so the totals hold 4 × SLOW.
    let mut s = slow_first(Protocol::Http11, true);
    s.server.pipeline_processing = PipelineProcessing::Parallel;
    let out = run(&s);
    for r in &out.result.requests {
        let expected = if r.id.starts_with("fast") { SLOW } else { 0.0 };
        assert_ms(r.blocked_ms, expected, &format!("{} waits behind slow", r.id));
    }
    assert_ms(out.result.totals.blocked_ms, 4.0 * SLOW, "total in-order wait");
    // Serial processing: the fast ones reach the server while it works on
    // the slow one and wait SLOW to be started (then take 0 ms each).
    s.server.pipeline_processing = PipelineProcessing::Serial;
    let out = run(&s);
    for r in &out.result.requests {
        let expected = if r.id.starts_with("fast") { SLOW } else { 0.0 };
        assert_ms(r.blocked_ms, expected, &format!("serial: {} waits to be processed", r.id));
    }
    let queued =
        out.trace.iter().filter(|e| matches!(e.kind, EventKind::ServerQueued { behind: 1, .. })).count();
    assert_eq!(queued, 4, "the trace says which request each fast one waits behind");
    // HTTP/2 has no in-order rule between streams.
    assert_ms(run(&slow_first(Protocol::H2, false)).result.totals.blocked_ms, 0.0, "HTTP/2");
}
