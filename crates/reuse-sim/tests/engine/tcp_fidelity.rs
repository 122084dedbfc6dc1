//! TCP as Linux runs it: the window counted in packets, SACK recovery,
//! spurious timeouts detected and undone. Each test derives its figure from
//! the rule it names.

use crate::fixtures::*;
use reuse_sim::http::h2::{FRAME_HEADER_BYTES, HPACK_REPEAT_DIVISOR, MAX_FRAME_PAYLOAD};
use reuse_sim::scenario::{CwndUnit, LossRecovery};
use reuse_sim::trace::{CwndCause, EventKind, LossCause, Side};
use reuse_sim::{Protocol, RequestSpec, Scenario};

/// Slow-start rounds to send `packets` from an initial window of `iw`
/// packets, doubling each round.
fn rounds(packets: u64, iw: u64) -> u64 {
    let mut k = 0;
    while iw * ((1u64 << k) - 1) < packets {
        k += 1;
    }
    k
}

fn five_large_responses_over_http2(unit: CwndUnit) -> Scenario {
    let requests = (0..5).map(|i| RequestSpec::new(format!("r{i}"), 88_000)).collect();
    let mut s = Scenario::new("5 x 88 KB over HTTP/2", 100.0, requests);
    s.client.protocol = Protocol::H2;
    s.tcp.cwnd_unit = unit;
    s
}

#[test]
fn counting_packets_a_small_control_segment_costs_no_extra_round() {
    // The server's SETTINGS (36 bytes) leaves alone before the responses.
    // Counted in packets (Linux), it takes one of the ten slots of the
    // initial window and its ACK grows the window by one packet like any
    // other, so the data needs the rounds its packet count says.
    let s = five_large_responses_over_http2(CwndUnit::Packets);
    let header = s.server.response_header_bytes as u64;
    let body = 88_000 - header;
    let frames = body.div_ceil(MAX_FRAME_PAYLOAD);
    let first = FRAME_HEADER_BYTES + header + body + frames * FRAME_HEADER_BYTES;
    let repeat = FRAME_HEADER_BYTES + header / HPACK_REPEAT_DIVISOR + body + frames * FRAME_HEADER_BYTES;
    let data_packets = (first + 4 * repeat).div_ceil(s.network.mss_bytes as u64);
    let k = rounds(data_packets + 1, 10);
    let packets = run(&s);
    // 1 RTT handshake, ½ RTT request, k−1 RTT of ACK clocking, ½ RTT last flight.
    assert_ms(packets.result.page_load_ms, (k as f64 + 1.0) * 100.0, "packets: (k + 1)·RTT");
    // Counting bytes, the 36 bytes hold a full segment's room in every
    // round's window and the ACK of them grows it by 36 bytes only: the
    // same data needs at least one more round.
    let bytes = run(&five_large_responses_over_http2(CwndUnit::Bytes));
    assert!(
        bytes.result.page_load_ms >= packets.result.page_load_ms + 100.0 - EPS_MS,
        "bytes {} ms, packets {} ms",
        bytes.result.page_load_ms,
        packets.result.page_load_ms
    );
}

/// Kurose & Ross, persistent HTTP with pipelining at modem speed: a base
/// file and six objects of 6,000 bytes at 56 kbit/s, RTT 100 ms, one
/// connection, an initial window (64 segments) that holds everything.
fn modem_page() -> Scenario {
    let mut requests = vec![RequestSpec::new("base", 6000)];
    for i in 1..=6 {
        requests.push(RequestSpec::new(format!("o{i}"), 6000).after(&["base"]));
    }
    for r in &mut requests {
        r.request_bytes = 1;
    }
    let mut s = Scenario::new("modem page", 100.0, requests);
    s.network.downlink_mbps = Some(0.056);
    s.network.packet_overhead_bytes = 0;
    s.tcp.initial_cwnd_segments = 64;
    s.client.pipelining = true;
    s.client.max_connections_per_host = 1;
    s
}

#[test]
fn a_queue_longer_than_the_rto_costs_one_spurious_retransmission_not_the_page() {
    // The retransmission timer alone (a tail loss probe would go first:
    // below).
    let mut s = modem_page();
    s.tcp.rack_tlp = false;
    let out = run(&s);
    let (r, c) = (100.0, 0.056e6 / 8.0 / 1000.0); // ms, bytes per ms
    let (o, m) = (6000.0, 6.0);
    let textbook = 2.0 * r + o / c + r + m * o / c;
    // The first RTO is 3R after the handshake's sample (RFC 6298 §2.2); the
    // first segment's ACK needs R + S/C > 3R, so the timer fires and the
    // segment goes again. Its ACK echoes the original's timestamp (Eifel,
    // RFC 3522): spurious, the window comes back and nothing else is
    // resent. The copy costs the bottleneck S/C, of which R was idle anyway
    // (the objects' requests cross the network meanwhile).
    let segment = s.network.mss_bytes as f64;
    assert!(r + segment / c > 3.0 * r, "the premise: the first ACK comes after the RTO");
    // Each packet's serialization is rounded up to the nanosecond: allow
    // a microsecond over the page.
    let expected = textbook + segment / c - r;
    let got = out.result.page_load_ms;
    assert!((got - expected).abs() < 1e-3, "K&R + one spurious copy: {got} ms, expected {expected} ms");
    assert_eq!(out.result.totals.retransmissions, 1);
    let undone = out
        .trace
        .iter()
        .any(|e| matches!(e.kind, EventKind::CongestionWindow { cause: CwndCause::SpuriousTimeout, .. }));
    assert!(undone, "the spurious timeout is named in the trace");

    // Without timestamps, F-RTO tells the same (RFC 5682): new data would
    // go first; here there is none before the base has arrived, so it falls
    // back to resending — and without F-RTO too, every timeout resends the
    // whole queue behind the delayed ACKs (go-back-N).
    // With RACK-TLP (RFC 8985, Linux's default) the probe timer, 2·SRTT =
    // 2R after the handshake's sample, fires before the RTO (3R): the
    // probe sends the flight's last segment again (the base's last
    // o − 4·MSS = 160 bytes), which crosses the bottleneck in 160/C =
    // 22.9 ms < R, while it would idle anyway waiting for the objects'
    // requests. No timeout, no cut: the page is K&R's.
    let probed = run(&modem_page());
    let causes: Vec<LossCause> = probed
        .trace
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::Retransmit { cause, .. } => Some(cause),
            _ => None,
        })
        .collect();
    assert_eq!(causes, vec![LossCause::TailLossProbe], "one probe, no timeout");
    let tail = o - 4.0 * segment;
    assert!(tail / c < r, "the premise: the probe's copy fits in the idle round trip");
    let got = probed.result.page_load_ms;
    assert!((got - textbook).abs() < 1e-3, "K&R with a probe: {got} ms, expected {textbook} ms");

    let mut old = modem_page();
    old.tcp.rack_tlp = false;
    old.tcp.timestamps = false;
    old.tcp.frto = false;
    old.tcp.loss_recovery = LossRecovery::NewReno;
    old.tcp.cwnd_unit = CwndUnit::Bytes;
    let old = run(&old);
    assert!(old.result.totals.retransmissions > 10, "{} retransmissions", old.result.totals.retransmissions);
    assert!(old.result.page_load_ms > 1.5 * textbook, "{} ms", old.result.page_load_ms);
}

/// The first run (by seed) in which exactly two of the server's data
/// segments are lost, both in the same flight, far enough from its end for
/// duplicate ACKs: `(output, first lost seq, second lost seq)`.
fn two_losses_in_one_flight(recovery: LossRecovery) -> Option<(reuse_sim::SimOutput, u64, u64)> {
    let mut s = single(100.0, 300_000);
    s.network.loss_rate = 0.01;
    s.tcp.loss_recovery = recovery;
    for seed in 1..4000u64 {
        s.seed = seed;
        let out = run(&s);
        let lost: Vec<_> = packets(&out).filter(|p| p.lost).collect();
        if lost.len() != 2 || lost.iter().any(|p| p.from != Side::Server || p.payload_bytes == 0) {
            continue;
        }
        let same_flight = (lost[0].sent.as_ms() - lost[1].sent.as_ms()).abs() < EPS_MS;
        let behind = packets(&out)
            .filter(|p| p.from == Side::Server && p.payload_bytes > 0 && p.seq > lost[1].seq)
            .filter(|p| (p.sent.as_ms() - lost[1].sent.as_ms()).abs() < EPS_MS)
            .count();
        if same_flight && behind >= 3 && !lost[0].retransmission && !lost[1].retransmission {
            let (a, b) = (lost[0].seq, lost[1].seq);
            return Some((out, a, b));
        }
    }
    None
}

/// When each of two sequence numbers was first resent.
fn resent_at(out: &reuse_sim::SimOutput, seq: u64) -> f64 {
    packets(out).find(|p| p.retransmission && p.seq == seq).map(|p| p.sent.as_ms()).expect("resent")
}

#[test]
fn sack_repairs_two_holes_in_one_round_trip_newreno_in_two() {
    // RFC 6675: both holes are known from the SACK blocks and resent within
    // the same round trip. RFC 6582: the second hole shows only when the
    // first one's retransmission is acknowledged (a partial ACK), one round
    // trip later. Neither needs a timeout.
    let (sack, a, b) = two_losses_in_one_flight(LossRecovery::Sack).expect("a seed with two losses");
    let gap = resent_at(&sack, b) - resent_at(&sack, a);
    assert!(gap < 100.0, "SACK: second hole resent {gap} ms after the first");
    let (newreno, a, b) = two_losses_in_one_flight(LossRecovery::NewReno).expect("a seed with two losses");
    let gap = resent_at(&newreno, b) - resent_at(&newreno, a);
    assert!(gap >= 100.0 - EPS_MS, "NewReno: second hole resent {gap} ms after the first");
    for out in [&sack, &newreno] {
        let timeout = out
            .trace
            .iter()
            .any(|e| matches!(e.kind, EventKind::Retransmit { cause: LossCause::Timeout, .. }));
        assert!(!timeout, "repaired without a timeout");
    }
}
