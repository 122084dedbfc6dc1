//! Loss: every byte still arrives, recovery shows in the trace, and a
//! single connection (HTTP/2) stalls all streams behind a lost segment.

use crate::fixtures::*;
use reuse_sim::trace::{EventKind, LossCause, Side};
use reuse_sim::Protocol;

#[test]
fn lossy_transfers_complete_with_retransmissions() {
    let mut s = single(60.0, 400_000);
    s.network.loss_rate = 0.03;
    s.network.downlink_mbps = Some(20.0);
    for seed in 1..=20 {
        s.seed = seed;
        let out = run(&s);
        let r = &out.result.requests[0];
        assert_eq!(r.response_received_bytes, 400_000);
        let dropped = packets(&out).filter(|p| p.lost).count() as u64;
        assert_eq!(dropped, out.result.totals.packets_lost);
        if packets(&out).any(|p| p.lost && p.payload_bytes > 0) {
            assert!(out.result.totals.retransmissions > 0, "seed {seed}: data lost but never resent");
        }
    }
}

#[test]
fn three_duplicate_acks_trigger_fast_retransmit_not_a_timeout() {
    // Find a seed where one mid-window server data segment is the only loss.
    let mut s = single(100.0, 200_000);
    s.network.loss_rate = 0.01;
    for seed in 1..3000u64 {
        s.seed = seed;
        let out = run(&s);
        let lost: Vec<_> = packets(&out).filter(|p| p.lost).collect();
        if lost.len() != 1 || lost[0].from != Side::Server || lost[0].payload_bytes == 0 {
            continue;
        }
        // Enough segments follow it in its window for three duplicate ACKs?
        let after = packets(&out)
            .filter(|p| p.from == Side::Server && p.payload_bytes > 0 && p.seq > lost[0].seq)
            .filter(|p| (p.sent.as_ms() - lost[0].sent.as_ms()).abs() < 1e-9)
            .count();
        if after < 3 {
            continue;
        }
        let fast = out.trace.iter().any(|e| {
            matches!(e.kind, EventKind::Retransmit { cause: LossCause::DuplicateAcks | LossCause::Sack, .. })
        });
        let timeout = out
            .trace
            .iter()
            .any(|e| matches!(e.kind, EventKind::Retransmit { cause: LossCause::Timeout, .. }));
        assert!(fast && !timeout, "seed {seed}: fast retransmit expected");
        return;
    }
    panic!("no seed with a single mid-window loss");
}

#[test]
fn http2_head_of_line_blocking_comes_from_tcp() {
    // With loss, some HTTP/2 response completes only after a retransmission
    // of a segment carrying *another* stream's frame: TCP delivers in order.
    let mut s = textbook(100.0, 20, Protocol::H2);
    for r in s.requests.iter_mut().skip(1) {
        r.response_bytes = 20_000;
    }
    s.network.downlink_mbps = Some(5.0);
    s.network.loss_rate = 0.02;
    let mut seen = false;
    for seed in 1..=40 {
        s.seed = seed;
        let out = run(&s);
        for p in packets(&out).filter(|p| p.lost && p.payload_bytes > 0 && p.from == Side::Server) {
            let blocked_stream = p.content.request();
            // A response from another stream that had all its own bytes sent
            // before the retransmission yet completed after it.
            let retx = out
                .trace
                .iter()
                .find(|e| matches!(&e.kind, EventKind::PacketSent(q) if q.retransmission && q.seq == p.seq && q.from == Side::Server))
                .map(|e| e.time.as_ms());
            if let (Some(blocked), Some(retx_at)) = (blocked_stream, retx) {
                seen |=
                    out.result.requests.iter().enumerate().any(|(i, r)| {
                        i as u32 != blocked && r.end_ms > retx_at && r.start_ms < p.sent.as_ms()
                    });
            }
        }
        if seen {
            break;
        }
    }
    assert!(seen, "a loss on one stream delayed another stream");
}

#[test]
fn a_small_router_buffer_overflows_in_slow_start_and_tcp_recovers() {
    let mut s = single(50.0, 1_000_000);
    s.network.downlink_mbps = Some(10.0);
    s.network.packet_overhead_bytes = 40;
    let unlimited = run(&s);
    assert_eq!(unlimited.result.totals.packets_lost, 0, "no buffer limit, no loss: no drops");
    // 10 Mbit/s × 50 ms ≈ 42 packets in flight fill the pipe; a 20-packet
    // buffer overflows when slow start overshoots.
    s.network.queue_packets = Some(20);
    let limited = run(&s);
    let drops = packets(&limited).filter(|p| p.queue_drop).count() as u64;
    assert!(drops > 0, "slow start overshoots a 20-packet buffer");
    assert_eq!(drops, limited.result.totals.packets_lost, "no random loss configured");
    assert!(limited.result.totals.retransmissions >= drops.min(1));
    assert_eq!(limited.result.requests[0].response_received_bytes, 1_000_000);
    // Dropped at the buffer: they never reach the wire.
    assert!(packets(&limited).filter(|p| p.queue_drop).all(|p| p.sent == p.departed && p.lost));
}

#[test]
fn head_of_line_blocking_is_named_and_timed() {
    // HTTP/2, twenty 20 KB responses interleaved on one connection: find a
    // run whose only loss is one server data segment. Every response with
    // bytes after the hole waits for it, not only the one the lost packet
    // carried: the trace names the lost packet for each, and the time each
    // waited adds up to the totals.
    let mut s = textbook(100.0, 20, Protocol::H2);
    for r in s.requests.iter_mut().skip(1) {
        r.response_bytes = 20_000;
    }
    s.network.loss_rate = 0.01;
    s.network.downlink_mbps = Some(10.0);
    for seed in 1..3000u64 {
        s.seed = seed;
        let out = run(&s);
        let lost: Vec<_> = packets(&out).filter(|p| p.lost).collect();
        if lost.len() != 1 || lost[0].from != Side::Server || lost[0].payload_bytes == 0 {
            continue;
        }
        let id = lost[0].id;
        let held: Vec<u32> = out
            .trace
            .iter()
            .filter_map(|e| match e.kind {
                EventKind::ResponseHeld { request, behind, .. } if behind == id => Some(request),
                _ => None,
            })
            .collect();
        if held.len() < 2 {
            continue;
        }
        let carried = lost[0].content.request();
        assert!(
            held.iter().any(|&r| Some(r) != carried),
            "seed {seed}: a response it did not carry waits too"
        );
        let released =
            out.trace.iter().filter(|e| matches!(e.kind, EventKind::ResponseReleased { .. })).count();
        assert_eq!(released, held.len(), "each held response is released once");
        let sum: f64 = out.result.requests.iter().map(|r| r.held_ms).sum();
        assert!((sum - out.result.totals.held_ms).abs() < EPS_MS);
        assert!(out.result.totals.held_ms > 0.0);
        return;
    }
    panic!("no seed with a single loss holding two responses");
}

/// A lossy preset shows one draw of losses: its seed must be a typical
/// one, so that what a reader sees is the usual outcome. Over seeds 1 to
/// 51 HTTP/1.1's six connections beat HTTP/2's one in most draws, and the
/// preset's draw is within 10 % of the medians (lossy-mobile: every
/// protocol; head-of-line: HTTP/1.1 and HTTP/2, in a draw where HTTP/3
/// finishes before HTTP/2, as its lesson step shows).
#[test]
fn the_lossy_presets_draws_are_typical_ones() {
    for (id, protocols) in [
        ("lossy-mobile", vec![Protocol::Http11, Protocol::H2, Protocol::H3]),
        ("head-of-line", vec![Protocol::Http11, Protocol::H2]),
    ] {
        let base = reuse_sim::presets::find(id).expect("preset").scenario();
        let load = |seed: u64, protocol: Protocol| {
            let mut s = base.clone().with_protocol(protocol);
            s.seed = seed;
            run(&s).result.page_load_ms
        };
        let median = |protocol: Protocol| {
            let mut v: Vec<f64> = (1..=51).map(|seed| load(seed, protocol)).collect();
            v.sort_by(f64::total_cmp);
            v[25]
        };
        let wins = (1..=51).filter(|&seed| load(seed, Protocol::Http11) < load(seed, Protocol::H2)).count();
        assert!(wins > 35, "{id}: HTTP/1.1 first in {wins} of 51 draws");
        for protocol in protocols {
            let (own, typical) = (load(base.seed, protocol), median(protocol));
            assert!(
                (own / typical - 1.0).abs() < 0.10,
                "{id}, {protocol}: seed {} gives {own} ms, median {typical} ms",
                base.seed
            );
        }
        if id == "head-of-line" {
            assert!(load(base.seed, Protocol::H3) < load(base.seed, Protocol::H2));
        }
    }
}
