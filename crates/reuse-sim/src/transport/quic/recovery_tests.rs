//! Unit tests of QUIC's recovery: each against its RFC 9002 rule.

use super::*;

const MDS: u64 = 1200;

fn ms(v: u64) -> SimDuration {
    SimDuration::from_millis(v)
}

fn at(v: u64) -> SimTime {
    SimTime::ZERO + ms(v)
}

fn packet(pn: u64, sent_ms: u64) -> SentPacket {
    SentPacket {
        pn,
        time: at(sent_ms),
        bytes: MDS as u32,
        ack_eliciting: true,
        in_flight: true,
        trace: 0,
        id: pn,
        index: 0,
        rate: Default::default(),
    }
}

fn recovery() -> Recovery {
    Recovery::new(MDS, initial_window(MDS, None), ms(25))
}

#[test]
fn the_initial_window_follows_rfc_9002_section_7_2() {
    // min(10 × 1200, max(14 720, 2400)) = 12 000.
    assert_eq!(initial_window(1200, None), 12_000);
    // min(10 × 1472, max(14 720, 2944)) = 14 720.
    assert_eq!(initial_window(1472, None), 14_720);
    assert_eq!(initial_window(1250, Some(32)), 40_000);
}

#[test]
fn before_any_sample_the_pto_is_three_times_333_ms() {
    let r = recovery();
    // 333 + max(4 × 166.5, 1) = 999 ms in the Initial space.
    assert_eq!(r.pto_duration(PnSpace::Initial), ms(999));
    assert_eq!(r.pto_duration(PnSpace::Application), ms(999 + 25));
}

#[test]
fn the_pto_doubles_with_each_expiry() {
    let mut r = recovery();
    r.pto_count = 2;
    assert_eq!(r.pto_duration(PnSpace::Handshake), ms(4 * 999));
}

#[test]
fn the_first_sample_sets_smoothed_rtt_and_half_of_it_as_variation() {
    let mut rtt = RttEstimator::default();
    rtt.update(at(100), ms(100), ms(0));
    assert_eq!((rtt.smoothed, rttvar_ms(&rtt)), (ms(100), 50));
    // A second sample of 120 ms with 10 ms of ack delay: 120 ≥ min_rtt
    // (100) + 10, so the delay comes off: 110 ms; rttvar from the old
    // smoothed RTT: (3 × 50 + |100 − 110|) / 4 = 40.
    rtt.update(at(200), ms(120), ms(10));
    assert_eq!(rttvar_ms(&rtt), 40);
    assert_eq!(rtt.smoothed, SimDuration((7 * ms(100).0 + ms(110).0) / 8));
    // A sample below min_rtt + ack_delay keeps its delay (§5.3).
    let smoothed = rtt.smoothed;
    rtt.update(at(300), ms(105), ms(10));
    assert_eq!(rtt.min, ms(100));
    assert_eq!(rtt.rttvar, SimDuration((3 * ms(40).0 + smoothed.0.abs_diff(ms(105).0)) / 4));
}

fn rttvar_ms(rtt: &RttEstimator) -> u64 {
    rtt.rttvar.0 / 1_000_000
}

#[test]
fn with_cubic_a_loss_keeps_seven_tenths_of_the_window() {
    // RFC 9002 B.6 with CUBIC's β = 0.7 (RFC 9438 §4.6) in place of
    // kLossReductionFactor = 0.5: 12,000 → 8,400 bytes.
    let mut r = recovery().with_congestion_control(CongestionControl::Cubic);
    for pn in 0..5 {
        r.on_sent(PnSpace::Application, packet(pn, 0));
    }
    let out = r.on_ack(PnSpace::Application, &[(1, 3)], SimDuration::ZERO, at(100), true);
    assert_eq!(out.cwnd_event, Some(CwndCause::QuicLoss));
    assert_eq!((r.cc.cwnd, r.cc.ssthresh), (8_400, 8_400));
}

#[test]
fn three_later_acknowledged_packets_declare_a_loss() {
    let mut r = recovery();
    for pn in 0..5 {
        r.on_sent(PnSpace::Application, packet(pn, 0));
    }
    let out = r.on_ack(PnSpace::Application, &[(1, 3)], SimDuration::ZERO, at(100), true);
    assert_eq!(out.acked.len(), 3);
    assert_eq!(out.lost.len(), 1);
    assert_eq!(out.lost[0].0.pn, 0);
    assert_eq!(out.lost[0].1, QuicLossReason::PacketThreshold);
    assert_eq!(out.cwnd_event, Some(CwndCause::QuicLoss));
    // The window halves; the acknowledged packets, sent before the
    // recovery period began, do not grow it again.
    assert_eq!(r.cc.cwnd, 12_000 / 2);
}

#[test]
fn a_packet_behind_fewer_than_three_is_lost_after_nine_eighths_of_an_rtt() {
    let mut r = recovery();
    r.on_sent(PnSpace::Application, packet(0, 0));
    r.on_sent(PnSpace::Application, packet(1, 0));
    let out = r.on_ack(PnSpace::Application, &[(1, 1)], SimDuration::ZERO, at(100), true);
    assert!(out.lost.is_empty());
    // RTT 100 ms: the loss time is 9/8 × 100 ms after packet 0 left.
    assert_eq!(
        r.loss_time_and_space(),
        Some((at(112) + SimDuration::from_micros(500), PnSpace::Application))
    );
    let lost = r.detect_lost(PnSpace::Application, at(113));
    assert_eq!(lost.len(), 1);
    assert_eq!(lost[0].1, QuicLossReason::TimeThreshold);
}

#[test]
fn one_recovery_period_halves_once() {
    let mut r = recovery();
    for pn in 0..10 {
        r.on_sent(PnSpace::Application, packet(pn, 0));
    }
    r.on_ack(PnSpace::Application, &[(4, 4)], SimDuration::ZERO, at(100), true);
    let after_first = r.cc.cwnd;
    r.on_ack(PnSpace::Application, &[(8, 8), (4, 4)], SimDuration::ZERO, at(101), true);
    assert_eq!(r.cc.cwnd, after_first, "packets sent before the recovery began do not halve again");
}

#[test]
fn persistent_congestion_collapses_the_window_to_two_datagrams() {
    let mut r = recovery();
    r.on_sent(PnSpace::Application, packet(0, 0));
    r.on_ack(PnSpace::Application, &[(0, 0)], SimDuration::ZERO, at(100), true);
    // Packets 1..=4 sent over 2 s, all lost; 5 acknowledged.
    for (pn, t) in [(1, 200), (2, 700), (3, 1200), (4, 2200), (5, 2300)] {
        r.on_sent(PnSpace::Application, packet(pn, t));
    }
    let out = r.on_ack(PnSpace::Application, &[(5, 5), (0, 0)], SimDuration::ZERO, at(2400), true);
    assert_eq!(out.lost.len(), 4);
    assert_eq!(out.cwnd_event, Some(CwndCause::PersistentCongestion));
    // The minimum window, then (A.7: losses before acknowledgments) the
    // acknowledged packet 5 grows it in slow start.
    assert_eq!(r.cc.cwnd, 2 * MDS + MDS);
}

#[test]
fn discarding_a_space_takes_its_bytes_out_of_the_flight() {
    let mut r = recovery();
    r.on_sent(PnSpace::Initial, packet(0, 0));
    r.pto_count = 3;
    r.discard(PnSpace::Initial);
    assert_eq!(r.cc.in_flight, 0);
    assert_eq!(r.pto_count, 0);
    assert!(r.loss_time_and_space().is_none());
}
