//! RACK-TLP (RFC 8985) on a lost tail, against its closed form and against
//! the retransmission timeout it replaces.

use crate::fixtures::*;
use reuse_sim::trace::{CwndCause, EventKind, LossCause, Side};
use reuse_sim::transport::tcp::MIN_RTO;

const R: f64 = 50.0;
const SEGMENTS: u64 = 20;

/// One response of 20 full segments at RTT 50 ms, infinite bandwidth, an
/// ACK per segment: the initial window's 10, then (their ACKs doubling
/// the window) the other 10 in one flight. `drop_tail` loses that
/// flight's last two data segments.
fn tail(drop_tail: bool, rack_tlp: bool) -> reuse_sim::SimOutput {
    let mut s = single(R, SEGMENTS * 1460);
    s.tcp.rack_tlp = rack_tlp;
    if drop_tail {
        let clean = run(&s);
        let data: Vec<u64> =
            packets(&clean).filter(|p| p.from == Side::Server && p.payload_bytes > 0).map(|p| p.id).collect();
        assert_eq!(data.len() as u64, SEGMENTS);
        s.network.drop_packet_ids = data[data.len() - 2..].to_vec();
    }
    run(&s)
}

fn retransmissions(out: &reuse_sim::SimOutput) -> Vec<(f64, LossCause)> {
    out.trace
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::Retransmit { cause, .. } => Some((e.time.as_ms(), cause)),
            _ => None,
        })
        .collect()
}

#[test]
fn a_lost_tail_costs_a_probe_timeout_and_a_round_trip_not_a_timeout() {
    let clean = tail(false, true).result.page_load_ms;
    let out = tail(true, true);
    // Every RTT sample is R, so SRTT = R. The ACK of the flight's first 8
    // segments reaches the server R/2 after the clean run's last byte
    // reached the client; two segments are still out, so the probe timer
    // is 2·SRTT (RFC 8985 §7.2). The probe (the last segment again) is
    // SACKed a round trip later; RACK then finds the other lost (sent
    // before it, more than RACK.rtt ago, §6.2) and fast-retransmits it,
    // which reaches the client R/2 later:
    // R/2 + 2R + R + R/2 = 4R after the clean run.
    let got = out.result.page_load_ms - clean;
    assert_ms(got, 4.0 * R, "the lost tail's cost with RACK-TLP");
    let causes: Vec<LossCause> = retransmissions(&out).iter().map(|&(_, c)| c).collect();
    assert_eq!(causes, vec![LossCause::TailLossProbe, LossCause::Rack]);
    let repaired = out
        .trace
        .iter()
        .any(|e| matches!(e.kind, EventKind::CongestionWindow { cause: CwndCause::Timeout, .. }));
    assert!(!repaired, "no timeout: the window is not reset to one segment");
}

#[test]
fn without_rack_tlp_the_same_tail_waits_for_the_retransmission_timeout() {
    let clean = tail(false, false).result.page_load_ms;
    let out = tail(true, false);
    // RTO = max(200 ms, SRTT + 4·RTTVAR) = 200 ms here (RTTVAR ≤ R/2 and
    // shrinking: 50 + 4·25 < 200), restarted by the ACK R/2 after the clean
    // run's end. F-RTO resends the first lost segment; its ACK (a round trip
    // later) finds no new data to send, so the other goes then, and
    // reaches the client R/2 later: R/2 + RTO + R + R/2 = RTO + 2R.
    let got = out.result.page_load_ms - clean;
    assert_ms(got, MIN_RTO.as_ms() + 2.0 * R, "the lost tail's cost with the RTO");
    assert_eq!(retransmissions(&out)[0].1, LossCause::Timeout);
    // RACK-TLP saves RTO − 2·SRTT = 100 ms here.
    let with = tail(true, true).result.page_load_ms - clean;
    assert_ms(got - with, MIN_RTO.as_ms() - 2.0 * R, "what the probe saves");
}
