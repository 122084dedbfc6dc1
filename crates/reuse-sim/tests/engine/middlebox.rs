//! TCP keep-alive and middleboxes (issue 9 item 8): a NAT or load balancer
//! that silently forgets an idle connection, the reset or the silence a
//! request then meets, and keep-alive probes that keep the mapping alive.
//! Every expected time is derived here from RTT, timeouts and RFC 6298's
//! arithmetic, on an ideal network (infinite bandwidth, no header bytes, no
//! server time), so each exchange is a whole number of round trips.

use crate::fixtures::*;
use reuse_sim::scenario::{Middlebox, MiddleboxKind, OnExpired, TcpKeepalive};
use reuse_sim::trace::{CloseReason, EventKind, PacketNote, TcpTimeout};
use reuse_sim::{RequestSpec, Scenario, SimOutput};

const R: f64 = 100.0;
/// The middlebox's idle timeout (AWS NAT gateway and NLB: 350 s).
const T: f64 = 350_000.0;
/// The think time before the second call: longer than T.
const D: f64 = 400_000.0;

/// Two calls on one connection, the second `gap` ms after the first
/// arrived; HTTP keeps the connection longer than that on both sides.
fn two_calls(gap: f64, middlebox: Option<Middlebox>) -> Scenario {
    let requests =
        vec![RequestSpec::new("one", 1000), RequestSpec::new("two", 1000).after(&["one"]).delay_ms(gap)];
    let mut s = Scenario::new("two calls", R, requests);
    s.network.packet_overhead_bytes = 0;
    s.network.middlebox = middlebox;
    s.client.idle_timeout_ms = 1_000_000.0;
    s.server.keep_alive_timeout_ms = 2_000_000.0;
    s
}

fn middlebox(kind: MiddleboxKind, on_expired: OnExpired) -> Option<Middlebox> {
    Some(Middlebox { kind, idle_timeout_ms: T, on_expired })
}

fn times(out: &SimOutput, pick: impl Fn(&EventKind) -> bool) -> Vec<f64> {
    out.trace.iter().filter(|e| pick(&e.kind)).map(|e| e.time.as_ms()).collect()
}

fn probes(out: &SimOutput) -> usize {
    packets(out).filter(|p| p.note == Some(PacketNote::KeepaliveProbe)).count()
}

#[test]
fn without_a_middlebox_the_second_call_reuses_the_warm_connection() {
    let out = run(&two_calls(D, None));
    let two = &out.result.requests[1];
    assert!(two.reused);
    assert_ms(two.end_ms - two.start_ms, R, "a warm connection: one round trip");
}

#[test]
fn a_forgotten_connection_costs_the_reset_and_a_new_handshake() {
    // A request on a connection the middlebox forgot meets its reset: at
    // once when the box is a NAT next to the client, after a round trip
    // when it is a load balancer next to the server. The browser's retry
    // rule sends it again (it went out on a reused connection): handshake
    // R, request R.
    for (kind, to_reset) in [(MiddleboxKind::Nat, 0.0), (MiddleboxKind::LoadBalancer, R)] {
        let out = run(&two_calls(D, middlebox(kind, OnExpired::Rst)));
        let (one, two) = (&out.result.requests[0], &out.result.requests[1]);
        assert_ms(
            two.end_ms - two.start_ms,
            to_reset + R + R,
            &format!("{kind:?}: reset + handshake + request"),
        );
        assert_eq!(two.retries, 1, "{kind:?}");
        assert_eq!(two.failure, None);
        assert_eq!(out.result.connections[0].closed_by, CloseReason::Middlebox, "{kind:?}");
        assert_eq!(out.result.totals.connections_opened, 2);
        // The box forgets T after the last packet it saw: the client's ACK
        // of the response, which leaves as the response arrives and reaches
        // a load balancer half a round trip later.
        let last_packet = one.end_ms + if kind == MiddleboxKind::Nat { 0.0 } else { R / 2.0 };
        let forgot = times(&out, |k| matches!(k, EventKind::MiddleboxForgot { conn: 1 }));
        assert_eq!(forgot.len(), 1, "{kind:?}: forgotten once");
        assert_ms(forgot[0], last_packet + T, &format!("{kind:?}: forgotten after its idle timeout"));
        let resets = packets(&out).filter(|p| p.note == Some(PacketNote::MiddleboxReset)).count();
        assert!(resets >= 1, "{kind:?}: the reset is a packet in the trace");
    }
}

#[test]
fn a_gap_shorter_than_the_idle_timeout_keeps_the_mapping() {
    let out = run(&two_calls(T - 10_000.0, middlebox(MiddleboxKind::Nat, OnExpired::Rst)));
    let two = &out.result.requests[1];
    assert!(two.reused);
    assert_ms(two.end_ms - two.start_ms, R, "still warm");
}

#[test]
fn keep_alive_probes_shorter_than_the_idle_timeout_keep_the_connection() {
    // Probes after p of silence; each is answered a round trip later, and
    // the idle time starts over from the answer: the k-th probe of a quiet
    // stretch leaves at k·p + (k − 1)·R, so a stretch of W holds
    // ⌊(W + R) / (p + R)⌋ of them (none falls on a boundary here). The NAT
    // never sees more than p < T of silence.
    let p = 300_000.0;
    let client_idle = 1_000_000.0;
    let mut s = two_calls(D, middlebox(MiddleboxKind::Nat, OnExpired::Rst));
    s.tcp.keepalive = Some(TcpKeepalive { idle_ms: p, ..TcpKeepalive::default() });
    s.client.idle_timeout_ms = client_idle;
    let out = run(&s);
    let two = &out.result.requests[1];
    assert!(two.reused, "the connection survived the gap");
    assert_ms(two.end_ms - two.start_ms, R, "a warm connection");
    assert!(times(&out, |k| matches!(k, EventKind::MiddleboxForgot { .. })).is_empty());
    let in_stretch = |w: f64| ((w + R) / (p + R)).floor() as usize;
    // The gap before the second call, then the client's idle time after it.
    assert_eq!(probes(&out), in_stretch(D) + in_stretch(client_idle));
    assert_eq!(out.result.connections[0].closed_by, CloseReason::ClientIdleTimeout);
}

#[test]
fn probes_stop_when_the_connection_closes_and_do_not_stretch_the_run() {
    // The client closes after its idle timeout; the server answers the FIN
    // with its own, and the last ACK reaches it half a round trip later.
    // Probes every 60 s would go on as long as the connection is open; here
    // they stop at the close and the run ends with it.
    let client_idle = 200_000.0;
    let mut s = single(R, 1000);
    s.tcp.keepalive = Some(TcpKeepalive { idle_ms: 60_000.0, interval_ms: 10_000.0, probes: 3 });
    s.client.idle_timeout_ms = client_idle;
    s.server.keep_alive_timeout_ms = 1_000_000.0;
    let out = run(&s);
    let end = out.trace.last().unwrap().time.as_ms();
    let page = out.result.page_load_ms;
    assert_ms(end, page + client_idle + 1.5 * R, "the run ends as the connection closes");
    // One probe per p + R of silence before the close.
    let expected = ((client_idle + R) / (60_000.0 + R)).floor() as usize;
    assert_eq!(probes(&out), expected);
}

#[test]
fn unanswered_probes_reset_the_connection_after_idle_plus_count_intervals() {
    // A NAT that drops packets of a forgotten connection: the probes vanish.
    // After `probes` unanswered probes `interval` apart the client gives up:
    // idle + probes × interval after the last thing it heard (Linux:
    // 7200 + 9 × 75 s). The next call then opens a new connection at once,
    // with no request lost.
    let (idle, interval, count) = (400_000.0, 10_000.0, 3u32);
    let gap = 500_000.0;
    let mut s = two_calls(gap, middlebox(MiddleboxKind::Nat, OnExpired::Drop));
    s.tcp.keepalive = Some(TcpKeepalive { idle_ms: idle, interval_ms: interval, probes: count });
    let out = run(&s);
    let one = &out.result.requests[0];
    let gave_up = times(&out, |k| {
        matches!(k, EventKind::TcpTimedOut { conn: 1, cause: TcpTimeout::KeepaliveProbes, .. })
    });
    assert_eq!(gave_up.len(), 1);
    assert_ms(gave_up[0], one.end_ms + idle + count as f64 * interval, "idle + count × interval");
    let on_first =
        packets(&out).filter(|p| p.conn == 1 && p.note == Some(PacketNote::KeepaliveProbe)).count();
    assert_eq!(on_first, count as usize);
    assert_eq!(out.result.connections[0].closed_by, CloseReason::TimedOut);
    let two = &out.result.requests[1];
    assert_eq!(two.retries, 0, "nothing was lost: the connection was gone before the call");
    assert_ms(two.end_ms - two.start_ms, 2.0 * R, "handshake + request");
}

#[test]
fn a_request_the_middlebox_drops_waits_out_tcp_retries2() {
    // With "drop" the request and each retransmission vanish. The RTO
    // after the handshake sample R and one more sample R (RFC 6298 §2.3):
    // RTTVAR = ¾·R/2, RTO = R + 4·RTTVAR = 2.5 R, then doubling up to 60 s
    // (RFC 6298 §2.5). TCP gives up at the first expiry at least 924.6 s
    // (Linux's tcp_retries2 = 15) after the request left; the browser's
    // retry rule sends it again on a new connection: handshake R, request R.
    // First, RACK-TLP's probe (RFC 8985 §7.2): one segment in flight, so
    // PTO = 2·SRTT + WCDelAckT = 4R, capped at the RTO (2.5R); a probe
    // does not back the timer off (§7.3), so the RTOs follow it.
    let out = run(&two_calls(D, middlebox(MiddleboxKind::Nat, OnExpired::Drop)));
    let two = &out.result.requests[1];
    let probe = (2.0 * R + 200.0).min(2.5 * R);
    let (mut rto, mut waited) = (2.5 * R, probe);
    while waited < 924_600.0 {
        waited += rto;
        rto = (2.0 * rto).min(60_000.0);
    }
    let gave_up = times(&out, |k| {
        matches!(k, EventKind::TcpTimedOut { conn: 1, cause: TcpTimeout::Retransmissions, .. })
    });
    assert_eq!(gave_up.len(), 1);
    assert_ms(gave_up[0] - two.start_ms, waited, "the sum of the backed-off RTOs past 924.6 s");
    assert_ms(two.end_ms - two.start_ms, waited + 2.0 * R, "give-up + handshake + request");
    assert_eq!(two.retries, 1);
    assert_eq!(out.result.connections[0].closed_by, CloseReason::TimedOut);
}

#[test]
fn an_empty_keepalive_object_means_linux_defaults() {
    let text = r#"{ "network": { "rtt_ms": 100, "middlebox": {} }, "client": { "protocol": "http/1.1" },
                    "tcp": { "keepalive": {} }, "requests": [ { "id": "a", "response_bytes": 1 } ] }"#;
    let s = Scenario::from_json(text).expect("parses");
    assert_eq!(
        s.tcp.keepalive,
        Some(TcpKeepalive { idle_ms: 7_200_000.0, interval_ms: 75_000.0, probes: 9 })
    );
    assert_eq!(
        s.network.middlebox,
        Some(Middlebox { kind: MiddleboxKind::Nat, idle_timeout_ms: 350_000.0, on_expired: OnExpired::Rst })
    );
    let bad = text.replace(r#""keepalive": {}"#, r#""keepalive": { "probes": 0 }"#);
    let err = Scenario::from_json(&bad).expect_err("0 probes");
    assert_eq!(err.field, "tcp.keepalive.probes");
    let bad = text.replace(r#""keepalive": {}"#, r#""keepalive": [1, 2, 3]"#);
    assert_eq!(Scenario::from_json(&bad).expect_err("an array").field, "tcp.keepalive");
}

#[test]
fn a_long_server_think_behind_a_nat_needs_keep_alive() {
    // The server works on a request longer than the NAT's idle timeout.
    // Nothing crosses the NAT meanwhile: it forgets the connection, and the
    // response meets its reset. The client, its request acknowledged and
    // no probe to send, waits for an answer that can never come: the
    // request fails as `no_response`. With probes every p < T the mapping
    // lives and the call takes handshake R + request R + the server's time.
    let think = 400_000.0;
    let mut s = single(R, 1000);
    s.requests[0].server_ms = Some(think);
    s.network.middlebox = middlebox(MiddleboxKind::Nat, OnExpired::Rst);
    s.server.keep_alive_timeout_ms = 2_000_000.0;
    let out = run(&s);
    assert_eq!(out.result.requests[0].failure, Some(reuse_sim::trace::FailureReason::NoResponse));
    assert_eq!(out.result.totals.failed_requests, 1);
    s.tcp.keepalive = Some(TcpKeepalive { idle_ms: 300_000.0, ..TcpKeepalive::default() });
    let out = run(&s);
    let r = &out.result.requests[0];
    assert_eq!(r.failure, None);
    assert_ms(r.end_ms, 2.0 * R + think, "handshake + request + server time");
}

#[test]
fn a_middlebox_that_forgets_during_the_handshake_fails_the_request_with_a_reason() {
    // A NAT timeout (100 ms) shorter than the round trip (300 ms): the
    // SYN-ACK already finds the connection forgotten. With "rst" the SYN
    // retransmitted after the initial RTO (1 s, RFC 6298 §2.1) meets the
    // reset at once; with "drop" the SYN goes again until tcp_syn_retries
    // (127 s) has passed at an expiry, the RTO doubling from 1 s up to 60 s.
    // Either way the connect fails and the request with it (a browser does
    // not retry a failed new connection), instead of a run at its cap.
    let rtt = 300.0;
    let mut s = single(rtt, 1000);
    for (on_expired, fails_at) in [
        (OnExpired::Rst, 1000.0),
        (OnExpired::Drop, {
            let (mut rto, mut t) = (1000.0f64, 0.0);
            while t < 127_000.0 {
                t += rto;
                rto = (2.0 * rto).min(60_000.0);
            }
            t
        }),
    ] {
        s.network.middlebox =
            Some(Middlebox { kind: MiddleboxKind::Nat, idle_timeout_ms: 100.0, on_expired });
        let out = run(&s);
        let r = &out.result.requests[0];
        assert_eq!(r.failure, Some(reuse_sim::trace::FailureReason::LostOnNewConnection), "{on_expired:?}");
        assert_ms(r.end_ms, fails_at, &format!("{on_expired:?}: the connect fails"));
    }
}
