//! Unit tests of the sender: each against its RFC rule.

use super::*;

pub(super) const MSS: u64 = 1000;

pub(super) fn cfg(unit: CwndUnit, recovery: LossRecovery) -> SenderConfig {
    SenderConfig {
        mss: MSS as u32,
        initial_cwnd_segments: 10,
        rwnd_bytes: None,
        slow_start_after_idle: true,
        cwnd_unit: unit,
        recovery,
        frto: true,
        timestamps: true,
        congestion: CongestionControl::NewReno,
        rack_tlp: false,
    }
}

pub(super) fn at_ms(ms: u64) -> SimTime {
    SimTime::ZERO + SimDuration::from_millis(ms)
}

/// Sends `n` full segments from the current end.
pub(super) fn send(s: &mut Sender, n: u64, at: SimTime) {
    for _ in 0..n {
        let seq = s.snd_nxt;
        s.on_data_sent(at, seq, seq + MSS);
    }
}

#[test]
fn packets_slow_start_doubles_the_window_each_round() {
    let mut s = Sender::new(cfg(CwndUnit::Packets, LossRecovery::Sack));
    send(&mut s, 10, at_ms(0));
    for k in 1..=10 {
        s.on_ack(at_ms(100), k * MSS, true, None);
    }
    assert_eq!(s.cwnd, 20, "one packet per packet acknowledged");
}

#[test]
fn a_small_segment_costs_one_packet_and_grows_the_window_by_one() {
    // The HTTP/2 case: a 36-byte SETTINGS frame, then full segments.
    let mut s = Sender::new(cfg(CwndUnit::Packets, LossRecovery::Sack));
    s.on_data_sent(at_ms(0), 0, 36);
    for _ in 0..9 {
        let seq = s.snd_nxt;
        s.on_data_sent(at_ms(0), seq, seq + MSS);
    }
    assert!(!s.window_allows(MSS), "ten packets fill a window of ten");
    let end = s.snd_nxt;
    s.on_ack(at_ms(100), 36, true, None);
    s.on_ack(at_ms(100), end, true, None);
    assert_eq!(s.cwnd, 20);
    // Counting bytes, the small segment grows the window by 36 bytes.
    let mut b = Sender::new(cfg(CwndUnit::Bytes, LossRecovery::Sack));
    b.on_data_sent(at_ms(0), 0, 36);
    for _ in 0..9 {
        let seq = b.snd_nxt;
        b.on_data_sent(at_ms(0), seq, seq + MSS);
    }
    b.on_ack(at_ms(100), 36, true, None);
    for k in 1..=9 {
        b.on_ack(at_ms(100), 36 + k * MSS, true, None);
    }
    assert_eq!(b.cwnd, 10 * MSS + 36 + 9 * MSS);
}

#[test]
fn byte_counting_limits_a_stretch_ack_to_two_segments() {
    let mut s = Sender::new(cfg(CwndUnit::Bytes, LossRecovery::Sack));
    send(&mut s, 10, at_ms(0));
    s.on_ack(at_ms(100), 10 * MSS, true, None);
    assert_eq!(s.cwnd, 10 * MSS + ABC_LIMIT_SEGMENTS * MSS);
}

#[test]
fn slow_start_does_not_grow_a_window_the_application_leaves_unused() {
    let mut s = Sender::new(cfg(CwndUnit::Packets, LossRecovery::Sack));
    for round in 0..30 {
        let seq = s.snd_nxt;
        s.on_data_sent(at_ms(round * 100), seq, seq + MSS);
        s.on_ack(at_ms(round * 100 + 50), seq + MSS, true, None);
    }
    assert_eq!(s.cwnd, 10, "one packet per round never fills ten: no growth");
}

#[test]
fn congestion_avoidance_adds_one_packet_per_window() {
    let mut s = Sender::new(cfg(CwndUnit::Packets, LossRecovery::Sack));
    s.ssthresh = 10;
    send(&mut s, 10, at_ms(0));
    for k in 1..=10 {
        s.on_ack(at_ms(100), k * MSS, true, None);
    }
    assert_eq!(s.cwnd, 11);
}

#[test]
fn with_cubic_a_loss_sets_ssthresh_to_seven_tenths_of_the_window() {
    // RFC 9438 §4.6: ssthresh = β_cubic × cwnd, β_cubic = 0.7 (Linux
    // multiplies snd_cwnd, as here in packets): 20 → 14; W_max = 20.
    let mut s = Sender::new(SenderConfig {
        congestion: CongestionControl::Cubic,
        ..cfg(CwndUnit::Packets, LossRecovery::Sack)
    });
    s.cwnd = 20;
    send(&mut s, 20, at_ms(0));
    for k in 1..=3 {
        s.on_sack(SimTime::ZERO, k * MSS, (k + 1) * MSS);
        s.on_ack(at_ms(100), 0, true, None);
    }
    assert_eq!(s.ssthresh, 14);
    let Controller::Cubic(cubic) = &s.cc else { panic!("cubic") };
    assert_eq!(cubic.w_max, 20);
}

#[test]
fn three_sacked_segments_above_a_hole_start_fast_recovery() {
    let mut s = Sender::new(cfg(CwndUnit::Packets, LossRecovery::Sack));
    send(&mut s, 10, at_ms(0));
    // Segment 0 lost; 1, 2 and 3 arrive and are SACKed.
    for k in 1..=3 {
        s.on_sack(SimTime::ZERO, k * MSS, (k + 1) * MSS);
        let out = s.on_ack(at_ms(100), 0, true, None);
        if k < 3 {
            assert_eq!(out.cwnd_event, None);
        } else {
            assert_eq!(out.cwnd_event, Some(CwndCause::FastRetransmit));
            assert!(out.retransmit_now, "the fast retransmission goes whatever the window");
        }
    }
    assert_eq!(s.ssthresh, 5, "Reno halves the window");
    assert_eq!(s.next_retransmission().map(|g| g.start), Some(0));
    assert_eq!(s.in_flight(), 6, "ten sent, three SACKed, one lost");
}

#[test]
fn prr_sends_about_one_segment_for_two_delivered_then_settles_at_ssthresh() {
    // RFC 6937 §3: while the pipe is above ssthresh, sndcnt =
    // ceil(delivered · ssthresh / RecoverFS) − out, RecoverFS being the
    // window before the cut (Linux's `prior_cwnd`).
    let mut s = Sender::new(cfg(CwndUnit::Packets, LossRecovery::Sack));
    s.cwnd = 20;
    send(&mut s, 20, at_ms(0));
    for k in 1..=3 {
        s.on_sack(SimTime::ZERO, k * MSS, (k + 1) * MSS);
        s.on_ack(at_ms(100), 0, true, None);
    }
    assert_eq!(s.ssthresh, 10);
    s.on_data_sent(at_ms(100), 0, MSS); // the fast retransmission
    let recover_fs = 20;
    for k in 4..=9u64 {
        s.on_sack(SimTime::ZERO, k * MSS, (k + 1) * MSS);
        s.on_ack(at_ms(101), 0, true, None);
        let delivered = k - 3;
        let allowed = (delivered * 10).div_ceil(recover_fs) - 1;
        assert_eq!(
            s.cwnd - s.in_flight(),
            allowed,
            "after {delivered} delivered (cwnd {}, pipe {})",
            s.cwnd,
            s.in_flight()
        );
    }
}

#[test]
fn newreno_retransmits_on_the_third_duplicate_and_inflates() {
    let mut s = Sender::new(cfg(CwndUnit::Bytes, LossRecovery::NewReno));
    send(&mut s, 10, at_ms(0));
    assert_eq!(s.on_ack(at_ms(100), 0, true, None).cwnd_event, None);
    assert_eq!(s.on_ack(at_ms(100), 0, true, None).cwnd_event, None);
    let third = s.on_ack(at_ms(100), 0, true, None);
    assert_eq!(third.cwnd_event, Some(CwndCause::FastRetransmit));
    assert_eq!(s.ssthresh, 5 * MSS);
    assert_eq!(s.cwnd, 5 * MSS + 3 * MSS);
    assert_eq!(s.next_retransmission().map(|g| g.start), Some(0));
    s.on_ack(at_ms(101), 0, true, None);
    assert_eq!(s.cwnd, 9 * MSS, "each further duplicate inflates by one MSS");
    // A partial ACK points at the next hole.
    s.on_data_sent(at_ms(101), 0, MSS);
    let partial = s.on_ack(at_ms(200), 4 * MSS, true, None);
    assert_eq!(partial.cwnd_event, Some(CwndCause::PartialAck));
    assert_eq!(s.next_retransmission().map(|g| g.start), Some(4 * MSS));
    let full = s.on_ack(at_ms(300), 10 * MSS, true, None);
    assert_eq!(full.cwnd_event, Some(CwndCause::RecoveryDone));
    assert_eq!(full.timer, TimerAction::Stop);
}

#[test]
fn a_real_timeout_restarts_from_one_segment_and_resends_everything() {
    let mut s = Sender::new(cfg(CwndUnit::Packets, LossRecovery::Sack));
    s.rtt_sample(SimDuration::from_millis(100));
    send(&mut s, 8, at_ms(0));
    s.on_timeout(false);
    assert_eq!(s.cwnd, 1);
    assert_eq!(s.ssthresh, 5, "half of the window of ten");
    assert_eq!(s.rto, SimDuration::from_millis(600), "3R backed off once");
    // F-RTO: only the first segment is taken for lost so far.
    assert_eq!(s.segments.iter().filter(|g| g.lost).count(), 1);
    s.on_data_sent(at_ms(700), 0, MSS);
    // A duplicate ACK: the timeout was real; everything else is lost.
    s.on_ack(at_ms(800), 0, true, None);
    assert_eq!(s.segments.iter().filter(|g| g.lost).count(), 8);
}

#[test]
fn frto_undoes_a_spurious_timeout() {
    // A long queue delays the ACKs past the RTO: the originals arrive.
    // Without timestamps, F-RTO alone tells.
    let mut c = cfg(CwndUnit::Packets, LossRecovery::Sack);
    c.timestamps = false;
    let mut s = Sender::new(c);
    s.cwnd = 20;
    s.ssthresh = 30;
    send(&mut s, 8, at_ms(0));
    s.on_timeout(false);
    s.on_data_sent(at_ms(1000), 0, MSS);
    let first = s.on_ack(at_ms(1100), MSS, true, None);
    assert!(first.send_new, "step 2b: two new segments");
    send(&mut s, 2, at_ms(1100));
    let second = s.on_ack(at_ms(1150), 2 * MSS, true, None);
    assert_eq!(second.cwnd_event, Some(CwndCause::SpuriousTimeout));
    assert_eq!((s.cwnd, s.ssthresh), (20, 30), "the window before the timeout");
    assert_eq!(s.next_retransmission(), None, "nothing else is resent");
}

#[test]
fn timestamps_time_retransmitted_segments_and_karn_does_not() {
    let mut ts = Sender::new(cfg(CwndUnit::Packets, LossRecovery::Sack));
    send(&mut ts, 1, at_ms(0));
    ts.on_timeout(false);
    ts.on_data_sent(at_ms(1000), 0, MSS);
    // The receiver echoes the retransmission's send time.
    ts.on_ack(at_ms(1100), MSS, true, Some(at_ms(1000)));
    assert_eq!(ts.srtt, Some(SimDuration::from_millis(100)), "timed from the retransmission");
    let mut c = cfg(CwndUnit::Packets, LossRecovery::Sack);
    c.timestamps = false;
    let mut karn = Sender::new(c);
    send(&mut karn, 1, at_ms(0));
    karn.on_timeout(false);
    karn.on_data_sent(at_ms(1000), 0, MSS);
    karn.on_ack(at_ms(1100), MSS, true, None);
    assert_eq!(karn.srtt, None);
}

#[test]
fn first_sample_sets_rto_to_three_rtt_and_never_below_the_minimum() {
    let mut s = Sender::new(cfg(CwndUnit::Packets, LossRecovery::Sack));
    s.rtt_sample(SimDuration::from_millis(100));
    // RFC 6298 §2.2: SRTT = R, RTTVAR = R/2, RTO = R + 4·R/2 = 3R.
    assert_eq!(s.rto, SimDuration::from_millis(300));
    for _ in 0..50 {
        s.rtt_sample(SimDuration::from_millis(10));
    }
    assert_eq!(s.rto, MIN_RTO);
}

#[test]
fn idle_restart_halves_per_rto_down_to_the_initial_window() {
    let mut s = Sender::new(cfg(CwndUnit::Packets, LossRecovery::Sack));
    s.cwnd = 80;
    s.rtt_sample(SimDuration::from_millis(100)); // RTO 300 ms
    send(&mut s, 1, at_ms(0));
    s.on_ack(at_ms(100), MSS, true, None);
    assert!(!s.restart_after_idle(at_ms(250)), "idle less than the RTO");
    let cwnd = s.cwnd;
    assert!(s.restart_after_idle(at_ms(700)), "idle 700 ms: two RTOs");
    assert_eq!(s.cwnd, cwnd / 4);
    assert!(s.restart_after_idle(at_ms(60_000)));
    assert_eq!(s.cwnd, 10);
}

#[test]
fn receive_window_caps_new_data() {
    let mut c = cfg(CwndUnit::Packets, LossRecovery::Sack);
    c.rwnd_bytes = Some(3 * MSS);
    let mut s = Sender::new(c);
    send(&mut s, 3, at_ms(0));
    assert!(!s.receive_window_allows(MSS));
    s.on_ack(at_ms(100), MSS, true, None);
    assert!(s.receive_window_allows(MSS));
}

#[test]
fn an_ack_echoing_the_original_shows_a_spurious_timeout() {
    // Eifel detection (RFC 3522): after the timeout at 1000 ms the head goes
    // again; an ACK that echoes the original's send time (0 ms) was not for
    // the retransmission.
    let mut s = Sender::new(cfg(CwndUnit::Packets, LossRecovery::Sack));
    s.cwnd = 20;
    s.ssthresh = 30;
    send(&mut s, 8, at_ms(0));
    s.on_timeout(false);
    assert_eq!(s.cwnd, 1);
    s.on_data_sent(at_ms(1000), 0, MSS);
    let out = s.on_ack(at_ms(1050), MSS, true, Some(at_ms(0)));
    assert_eq!(out.cwnd_event, Some(CwndCause::SpuriousTimeout));
    assert_eq!((s.cwnd, s.ssthresh), (20, 30));
    assert_eq!(s.next_retransmission(), None);
}
