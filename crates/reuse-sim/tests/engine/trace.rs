//! The trace is what views draw: ordered, complete, and each event says why.

use crate::fixtures::*;
use reuse_sim::trace::{EventKind, Side};
use reuse_sim::{presets, simulate, DescribeContext, Protocol};
use std::collections::BTreeMap;

#[test]
fn every_preset_runs_under_every_protocol_with_a_consistent_trace() {
    for preset in presets::all() {
        for protocol in Protocol::ALL {
            let s = preset.scenario().with_protocol(protocol);
            let out = simulate(&s).unwrap_or_else(|e| panic!("{} {protocol}: {e}", preset.id));
            let what = format!("{} {protocol}", preset.id);
            // Time never goes backwards.
            assert!(out.trace.windows(2).all(|w| w[0].time <= w[1].time), "{what}: time order");
            // Every packet sent is delivered, dropped, or stopped by the
            // middlebox exactly once.
            let mut fate: BTreeMap<u64, (u32, u32)> = BTreeMap::new();
            for e in &out.trace {
                match &e.kind {
                    EventKind::PacketSent(p) => {
                        fate.entry(p.id).or_default();
                    }
                    EventKind::PacketDelivered { id, .. } => fate.entry(*id).or_default().0 += 1,
                    EventKind::PacketDropped { id, .. } | EventKind::MiddleboxRejected { id, .. } => {
                        fate.entry(*id).or_default().1 += 1
                    }
                    _ => {}
                }
            }
            // Packets still in flight at the end of the drain have no fate.
            let ended = out.trace.last().unwrap().time;
            for p in packets(&out) {
                let (d, l) = fate[&p.id];
                if p.arrives <= ended {
                    assert_eq!(d + l, 1, "{what}: packet {} fate", p.id);
                    assert_eq!(l == 1, p.lost, "{what}: packet {} lost flag", p.id);
                }
            }
            // Each side's state changes chain: every `from` is the previous `to`.
            let mut last: BTreeMap<(u32, Side), &str> = BTreeMap::new();
            for e in &out.trace {
                if let EventKind::TcpStateChanged { conn, side, from, to } = e.kind {
                    if let Some(prev) = last.get(&(conn, side)) {
                        assert_eq!(*prev, from.as_str(), "{what}: conn {conn} {side:?}");
                    }
                    last.insert((conn, side), to.as_str());
                }
            }
            // Words for every event.
            let cx = DescribeContext { scenario: &s, hosts: &out.hosts };
            assert!(out.trace.iter().all(|e| !e.describe(cx).is_empty()));
            assert_phase_sums(&out);
            let last_end = out.result.requests.iter().map(|r| r.end_ms).fold(0.0, f64::max);
            assert_ms(out.result.page_load_ms, last_end, &format!("{what}: page load = last byte"));
        }
    }
}

#[test]
fn closes_say_why_in_words() {
    let mut s = single(100.0, 1000);
    s.server.keep_alive_timeout_ms = 5000.0;
    let out = run(&s);
    let cx = DescribeContext { scenario: &s, hosts: &out.hosts };
    let text: Vec<String> = out
        .trace
        .iter()
        .filter(|e| matches!(e.kind, EventKind::ConnectionClosing { .. }))
        .map(|e| e.describe(cx))
        .collect();
    assert_eq!(text, vec!["connection 1 closed by the server: server idle timeout 5000 ms".to_string()]);
}

#[test]
fn same_seed_same_trace_different_seed_different_losses() {
    let mut s = presets::find("lossy-mobile").expect("preset").scenario();
    let a = simulate(&s).unwrap();
    let b = simulate(&s).unwrap();
    assert_eq!(a.trace, b.trace);
    assert_eq!(a.result, b.result);
    assert_eq!(reuse_sim::digest(&a), reuse_sim::digest(&b));
    s.seed += 1;
    let c = simulate(&s).unwrap();
    assert_ne!(reuse_sim::digest(&a), reuse_sim::digest(&c));
}

#[test]
fn simulating_each_protocol_at_once_equals_one_run_per_protocol() {
    let s = presets::find("modern-page").expect("preset").scenario();
    let each = reuse_sim::simulate_each(&s, &Protocol::ALL, reuse_sim::Limits::default()).expect("runs");
    for (protocol, out) in Protocol::ALL.into_iter().zip(&each) {
        let alone = simulate(&s.with_protocol(protocol)).expect("runs");
        assert_eq!(out.result, alone.result, "{protocol}");
        assert_eq!(out.trace, alone.trace, "{protocol}");
    }
}

#[test]
fn results_are_the_fold_of_the_trace_alone() {
    for preset in presets::all() {
        for protocol in Protocol::ALL {
            let s = preset.scenario().with_protocol(protocol);
            let out = simulate(&s).expect("runs");
            let refolded = reuse_sim::fold::fold(&s, protocol, &out.trace, &out.hosts);
            assert_eq!(refolded, out.result, "{} {protocol}", preset.id);
        }
    }
}

#[test]
fn each_request_carries_its_send_and_first_byte_times() {
    // DevTools' identities: sent = start + queued + dns + connect + tls;
    // first byte = sent + send + wait.
    for preset in presets::all() {
        for protocol in Protocol::ALL {
            let out = simulate(&preset.scenario().with_protocol(protocol)).expect("runs");
            for r in &out.result.requests {
                let what = format!("{} {protocol} {}", preset.id, r.id);
                let sent = r.start_ms + r.queued_ms + r.dns_ms + r.connect_ms + r.tls_ms;
                assert_ms(r.sent_ms, sent, &format!("{what}: sent"));
                assert_ms(r.first_byte_ms, sent + r.send_ms + r.wait_ms, &format!("{what}: first byte"));
            }
        }
    }
}

#[test]
fn an_idle_period_ends_at_the_timer_that_fires_first() {
    // One request, then nothing: the server's 5 s keep-alive timer closes the
    // connection before the client's 300 s idle timer. The period's deadline
    // is the server's, at the moment the server closed.
    let mut s = single(100.0, 1000);
    s.server.keep_alive_timeout_ms = 5000.0;
    let out = run(&s);
    let conn = &out.result.connections[0];
    let closed = conn.closed_ms.expect("closed");
    let idle = conn.idle.last().expect("an idle period");
    assert_eq!(idle.deadline_side, Side::Server);
    assert_ms(idle.deadline_ms, closed, "deadline = the server's close");
    // The server's timer starts once its response has left: 1 RTT for the
    // handshake, then the response leaves half an RTT later (no bandwidth).
    assert_ms(closed, 100.0 + 50.0 + 5000.0, "server keep-alive from its last byte");
    // With a client timeout shorter than the server's, the client closes.
    s.client.idle_timeout_ms = 1000.0;
    let out = run(&s);
    let conn = &out.result.connections[0];
    let idle = conn.idle.last().expect("an idle period");
    assert_eq!(idle.deadline_side, Side::Client);
    assert_ms(idle.deadline_ms, conn.closed_ms.expect("closed"), "deadline = the client's close");
}
