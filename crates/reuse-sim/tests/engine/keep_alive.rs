//! Keep-alive: reuse inside the server's idle timeout, a new handshake after
//! it, the client's own timeout, and the per-connection request limit.

use crate::fixtures::*;
use reuse_sim::trace::{CloseReason, Side};
use reuse_sim::{Protocol, RequestSpec, Scenario};

const RTT: f64 = 100.0;
const KEEP_ALIVE: f64 = 5000.0;

/// Two requests, the second `think_ms` after the first completes.
fn poll_twice(think_ms: f64) -> Scenario {
    let mut s = single(RTT, 1000);
    s.requests.push(RequestSpec::new("poll", 1000).after(&["file"]).delay_ms(think_ms));
    s.client.protocol = Protocol::Http11;
    s.server.keep_alive_timeout_ms = KEEP_ALIVE;
    s
}

#[test]
fn a_request_inside_the_timeout_reuses_the_warm_connection() {
    // The server's timer starts when the response leaves (1.5 RTT) and the
    // request arrives 1 RTT + think later: reuse while 2.5 RTT + think < 1.5 RTT + KA.
    let think = KEEP_ALIVE - 2.0 * RTT;
    let out = run(&poll_twice(think));
    let poll = &out.result.requests[1];
    assert!(poll.reused);
    assert_eq!(out.result.totals.connections_opened, 1);
    assert_ms(poll.end_ms - poll.start_ms, RTT, "a warm connection costs one round trip");
}

#[test]
fn a_request_after_the_timeout_pays_a_new_handshake() {
    let think = KEEP_ALIVE + RTT;
    let out = run(&poll_twice(think));
    let poll = &out.result.requests[1];
    assert!(!poll.reused);
    assert_eq!(out.result.totals.connections_opened, 2);
    assert_eq!(out.result.connections[0].closed_by, CloseReason::ServerIdleTimeout);
    assert_ms(
        out.result.connections[0].closed_ms.unwrap(),
        1.5 * RTT + KEEP_ALIVE,
        "server closes at its deadline",
    );
    assert_ms(poll.end_ms - poll.start_ms, 2.0 * RTT, "handshake + request");
    assert!(out.result.totals.idle_closes >= 1);
    assert_eq!(out.result.connections[0].time_wait, Some(Side::Server), "the active closer holds TIME-WAIT");
}

#[test]
fn the_client_idle_timeout_closes_first_when_shorter() {
    let mut s = poll_twice(3000.0);
    s.client.idle_timeout_ms = 1000.0;
    let out = run(&s);
    let first = &out.result.connections[0];
    assert_eq!(first.closed_by, CloseReason::ClientIdleTimeout);
    assert_ms(first.closed_ms.unwrap(), 2.0 * RTT + 1000.0, "client closes 1000 ms after going idle");
    assert_eq!(first.time_wait, Some(Side::Client));
    assert_eq!(out.result.totals.connections_opened, 2);
}

#[test]
fn idle_periods_carry_both_deadlines() {
    let out = run(&poll_twice(1000.0));
    let idle = &out.result.connections[0].idle[0];
    assert_ms(idle.from_ms, 2.0 * RTT, "idle from the response's arrival");
    assert_ms(idle.to_ms, 2.0 * RTT + 1000.0, "until the next request");
    assert_ms(idle.server_deadline_ms.unwrap(), 1.5 * RTT + KEEP_ALIVE, "server deadline");
    assert_ms(idle.client_deadline_ms, 2.0 * RTT + 300_000.0, "client deadline");
}

#[test]
fn max_requests_per_connection_forces_new_connections() {
    let n = 7usize;
    let mut requests = vec![RequestSpec::new("r0", 1000)];
    for i in 1..n {
        requests.push(RequestSpec::new(format!("r{i}"), 1000).after(&[&format!("r{}", i - 1)]));
    }
    let mut s = Scenario::new("chain", RTT, requests);
    s.network.packet_overhead_bytes = 0;
    s.server.max_requests_per_connection = 3;
    let out = run(&s);
    assert_eq!(out.result.totals.connections_opened as usize, n.div_ceil(3));
    let max_closed =
        out.result.connections.iter().filter(|c| c.closed_by == CloseReason::MaxRequests).count();
    assert_eq!(max_closed, n / 3, "every full connection closes at the limit");
    assert_eq!(out.result.totals.retried_requests, 0);
}

#[test]
fn http10_closes_after_every_response() {
    let out = run(&textbook(RTT, 4, Protocol::Http10));
    assert!(closes(&out).iter().all(|&c| c == CloseReason::ServerClose));
    assert!(out.result.connections.iter().all(|c| c.time_wait == Some(Side::Server)));
    assert_eq!(out.result.totals.time_wait_server, 5);
}

#[test]
fn the_last_idle_period_keeps_the_deadline_that_closed_it() {
    let out = run(&single(RTT, 1000));
    let conn = &out.result.connections[0];
    assert_eq!(conn.closed_by, CloseReason::ServerIdleTimeout);
    let last = conn.idle.last().expect("an idle period");
    let deadline = last.server_deadline_ms.expect("the server's deadline is known");
    assert_ms(deadline, conn.closed_ms.unwrap(), "the deadline is when it closed");
}

#[test]
fn a_keep_alive_timeout_shorter_than_the_rtt_still_loads_the_page() {
    // Every reuse races the server's timer; each retry opens a connection
    // that serves at least its first request, so the page completes.
    for protocol in [Protocol::Http11, Protocol::H2] {
        let mut s = textbook(RTT, 6, protocol);
        s.server.keep_alive_timeout_ms = RTT / 10.0;
        s.client.max_connections_per_host = 1;
        let out = run(&s);
        assert_eq!(out.result.requests.len(), 7);
        assert!(
            out.result.totals.connections_opened >= 2,
            "{protocol}: the short timeout closes connections"
        );
    }
}
