//! Slow start: with per-segment ACKs and infinite bandwidth the window
//! doubles each round trip, so a response of n segments over an initial
//! window of W segments needs the smallest k with W·(2^k − 1) ≥ n rounds.

use crate::fixtures::*;
use reuse_sim::Protocol;

/// Rounds of slow start to deliver `segments` from an initial window `iw`.
fn rounds(segments: u64, iw: u64) -> u64 {
    let mut k = 0;
    while iw * ((1u64 << k) - 1) < segments {
        k += 1;
    }
    k
}

#[test]
fn page_time_follows_slow_start_rounds() {
    let rtt = 80.0;
    let mss = 1460u64;
    for iw in [1u32, 2, 3, 4, 10] {
        for bytes in [500u64, 1460, 1461, 14_600, 15_000, 64_000, 300_000, 1_000_000] {
            let mut s = single(rtt, bytes);
            s.tcp.initial_cwnd_segments = iw;
            s.client.protocol = Protocol::Http11;
            let out = run(&s);
            let k = rounds(bytes.div_ceil(mss), iw as u64) as f64;
            // 1 RTT handshake, ½ RTT request, k−1 RTT of ACK clocking, ½ RTT last flight.
            assert_ms(out.result.page_load_ms, (k + 1.0) * rtt, &format!("IW={iw}, {bytes} bytes"));
        }
    }
}

#[test]
fn the_window_doubles_each_round_in_the_trace() {
    let mut s = single(100.0, 200_000);
    s.tcp.initial_cwnd_segments = 4;
    let out = run(&s);
    // Group the server's data packets by departure time: one burst per round.
    let mut bursts: Vec<(f64, u64)> = Vec::new();
    for p in packets(&out).filter(|p| p.payload_bytes > 0 && p.from == reuse_sim::trace::Side::Server) {
        match bursts.last_mut() {
            Some((t, n)) if (*t - p.sent.as_ms()).abs() < EPS_MS => *n += 1,
            _ => bursts.push((p.sent.as_ms(), 1)),
        }
    }
    let segments = 200_000u64.div_ceil(1460);
    let mut expected = 4;
    let mut sent = 0;
    for (i, &(_, n)) in bursts.iter().enumerate() {
        let want = expected.min(segments - sent);
        assert_eq!(n, want, "round {i}: {n} segments, expected {want}");
        sent += n;
        expected *= 2;
    }
    assert_eq!(sent, segments);
}

#[test]
fn finite_bandwidth_bounds_a_large_download() {
    let rtt = 50.0;
    let mbps = 10.0;
    let bytes = 5_000_000u64;
    let mut s = single(rtt, bytes);
    s.network.downlink_mbps = Some(mbps);
    s.network.uplink_mbps = Some(mbps);
    s.network.packet_overhead_bytes = 40;
    let out = run(&s);
    let mss = 1460u64;
    let wire = bytes + bytes.div_ceil(mss) * 40;
    let serialization_ms = wire as f64 * 8.0 / (mbps * 1000.0);
    let floor = 2.0 * rtt + serialization_ms;
    // Slow start needs about log2(BDP / IW) rounds before the link is full.
    let bdp_segments = (mbps * 1e6 / 8.0 * rtt / 1000.0) / mss as f64;
    let ramp_rounds = (bdp_segments / 10.0).log2().ceil().max(0.0) + 2.0;
    let page = out.result.page_load_ms;
    assert!(page >= floor, "page {page} ms beats the link's floor {floor} ms");
    assert!(page <= floor + ramp_rounds * rtt, "page {page} ms; floor {floor} + {ramp_rounds} RTT");
}

#[test]
fn parallel_connections_share_the_bottleneck() {
    let mbps = 8.0;
    let bytes = 1_000_000u64;
    let mut s = single(20.0, bytes);
    s.requests.push(reuse_sim::RequestSpec::new("file2", bytes));
    s.network.downlink_mbps = Some(mbps);
    let out = run(&s);
    assert_eq!(out.result.totals.connections_opened, 2);
    let both_ms = 2.0 * bytes as f64 * 8.0 / (mbps * 1000.0);
    let first_end = out.result.requests.iter().map(|r| r.end_ms).fold(f64::MAX, f64::min);
    // Sharing: neither finishes in the time one alone would need on an
    // idle link plus a little, and together they need the sum.
    assert!(out.result.page_load_ms >= both_ms, "{} < {both_ms}", out.result.page_load_ms);
    assert!(first_end >= 0.9 * both_ms, "one finished at {first_end}: the link was not shared");
}

#[test]
fn restart_after_idle_falls_back_to_the_initial_window() {
    let rtt = 100.0;
    let big = 300_000u64;
    let mut s = single(rtt, big);
    s.requests.push(reuse_sim::RequestSpec::new("again", big).after(&["file"]).delay_ms(2000.0));
    s.client.max_connections_per_host = 1;
    s.server.keep_alive_timeout_ms = 60_000.0;
    let k = rounds(big.div_ceil(1460), 10) as f64;
    for restart in [true, false] {
        s.tcp.slow_start_after_idle = restart;
        let out = run(&s);
        let second = &out.result.requests[1];
        assert!(second.reused);
        let took = second.end_ms - second.start_ms;
        if restart {
            // Reused connection: no handshake, k rounds of slow start again.
            assert_ms(took, k * rtt, "restart: slow start from IW again");
        } else {
            assert!(took < k * rtt - rtt / 2.0, "no restart: the grown window is kept ({took} ms)");
        }
    }
}

/// The bench's peer page (`benches/scenarios/simpy-tiles.json`) against an
/// independent model of the same thing: `benches/peers/simpy_tiles.py`, a
/// SimPy program with FIFO bottlenecks, IW 10 slow start and an ACK per
/// segment, prints 3,256.0 ms (180 tiles of 5,000 B, six HTTP/1.1
/// connections, RTT 100 ms, 10 Mbit/s). The speed comparison in
/// `scripts/peer-bench.sh` is only fair while both compute the same page.
#[test]
fn the_simpy_peer_page_loads_as_the_simpy_model_says() {
    let text = include_str!("../../benches/scenarios/simpy-tiles.json");
    let s = reuse_sim::Scenario::from_json(text).expect("the peer scenario parses");
    assert_eq!(s.requests.len(), 180);
    let out = run(&s);
    // SimPy prints one decimal; the engine rounds nothing: within 0.5 ms.
    let load = out.result.page_load_ms;
    assert!((load - 3256.0).abs() < 0.5, "page load {load} ms, the SimPy model gives 3,256.0 ms");
    assert_eq!(out.result.totals.connections_opened, 6);
}
