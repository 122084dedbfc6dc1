//! The keep-alive race: a request sent on a connection the server has just
//! closed is lost, and the client retries it on a new connection.
//!
//! Timeline (server time 0 = first SYN): the response leaves the server at
//! 1.5 RTT, so its idle timer fires at 1.5 RTT + KA and the FIN reaches the
//! client at 2 RTT + KA. The client, idle from 2 RTT, sends after `think`.
//! Lost when the request reaches the server after it closed
//! (2.5 RTT + think > 1.5 RTT + KA) and leaves before the FIN arrives
//! (2 RTT + think < 2 RTT + KA): think ∈ (KA − RTT, KA).

use crate::fixtures::*;
use reuse_sim::trace::{CloseReason, EventKind};
use reuse_sim::{Protocol, RequestSpec, Scenario};

const RTT: f64 = 100.0;
const KA: f64 = 5000.0;

fn poll(think: f64, protocol: Protocol) -> Scenario {
    let mut s = single(RTT, 1000);
    s.requests.push(RequestSpec::new("poll", 1000).after(&["file"]).delay_ms(think));
    s.client.protocol = protocol;
    s.server.keep_alive_timeout_ms = KA;
    s
}

#[test]
fn a_request_in_the_race_window_is_lost_and_retried() {
    for protocol in [Protocol::Http11, Protocol::H2] {
        let think = KA - RTT / 2.0;
        let out = run(&poll(think, protocol));
        assert_eq!(out.result.totals.retried_requests, 1, "{protocol}");
        let poll = &out.result.requests[1];
        assert_eq!(poll.retries, 1);
        assert!(!poll.reused, "the retry runs on a fresh connection");
        // The FIN arrives at 2 RTT + KA; the retry needs a handshake and a
        // round trip.
        assert_ms(poll.end_ms, 2.0 * RTT + KA + 2.0 * RTT, &format!("{protocol} retry end"));
        assert_eq!(out.result.connections[0].closed_by, CloseReason::ServerIdleTimeout);
        let lost = out
            .trace
            .iter()
            .filter(|e| matches!(e.kind, EventKind::RequestLost { request: 1, conn: 1, .. }))
            .count();
        assert_eq!(lost, 1);
        let reset = out.trace.iter().any(|e| matches!(e.kind, EventKind::Reset { conn: 1, .. }));
        assert!(reset, "{protocol}: the server answers the late request with RST");
        assert_phase_sums(&out);
    }
}

#[test]
fn just_before_the_window_the_connection_is_reused() {
    let think = KA - RTT - RTT / 2.0;
    let out = run(&poll(think, Protocol::Http11));
    assert_eq!(out.result.totals.retried_requests, 0);
    assert!(out.result.requests[1].reused);
    assert_ms(out.result.requests[1].end_ms, 2.0 * RTT + think + RTT, "reused: one round trip");
}

#[test]
fn just_after_the_window_the_client_already_knows() {
    let think = KA + RTT / 2.0;
    let out = run(&poll(think, Protocol::Http11));
    assert_eq!(out.result.totals.retried_requests, 0);
    assert!(!out.result.requests[1].reused);
    assert_ms(out.result.requests[1].end_ms, 2.0 * RTT + think + 2.0 * RTT, "new connection");
}
