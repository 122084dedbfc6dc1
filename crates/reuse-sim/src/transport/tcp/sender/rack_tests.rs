//! RACK-TLP's rules, each against RFC 8985.

use super::*;
use crate::scenario::{CwndUnit, LossRecovery};
use crate::transport::tcp::sender::tests::{at_ms as at, cfg, send, MSS};

fn sender() -> Sender {
    Sender::new(SenderConfig { rack_tlp: true, ..cfg(CwndUnit::Packets, LossRecovery::Sack) })
}

fn ms(v: u64) -> SimDuration {
    SimDuration::from_millis(v)
}

#[test]
fn the_probe_timeout_is_two_srtt_and_a_delayed_ack_more_with_one_segment_in_flight() {
    // One sample R: SRTT = R, RTTVAR = R/2, RTO = R + 4·R/2 = 3R (RFC 6298 §2.2).
    let mut s = sender();
    s.rtt_sample(ms(100));
    assert_eq!(s.rto, ms(300));
    send(&mut s, 10, at(0));
    // §7.2: PTO = 2·SRTT, from now on an ACK.
    assert_eq!(s.loss_timer(at(0), true), (at(200), LossTimer::Probe));
    // After new data (not an ACK) it may not pass the RTO of the first segment: 50 + 200 < 0 + 300.
    assert_eq!(s.loss_timer(at(50), false), (at(250), LossTimer::Probe));
    assert_eq!(s.loss_timer(at(150), false), (at(300), LossTimer::Probe));

    // One segment in flight: PTO = 2·SRTT + WCDelAckT (200 ms), here capped by the RTO.
    let mut one = sender();
    one.rtt_sample(ms(100));
    send(&mut one, 1, at(0));
    assert_eq!(one.loss_timer(at(0), true), (at(300), LossTimer::Probe), "min(2·100 + 200, 300)");
    let mut slow = sender();
    slow.rtt_sample(ms(1000));
    send(&mut slow, 1, at(0));
    assert_eq!(slow.rto, ms(3000));
    assert_eq!(slow.loss_timer(at(0), true), (at(2200), LossTimer::Probe), "2·1000 + 200 < 3000");
}

#[test]
fn no_probe_before_a_round_trip_sample_nor_once_a_segment_is_sacked() {
    let mut s = sender();
    send(&mut s, 10, at(0));
    assert_eq!(s.loss_timer(at(0), true), (at(1000), LossTimer::Retransmission), "RTO 1 s, RFC 6298 §2.1");
    s.rtt_sample(ms(100));
    s.on_sack(at(100), 9 * MSS, 10 * MSS);
    s.on_ack(at(100), 0, true, None);
    // A SACK hands loss detection to RACK (§7.2: no probe once SACKed).
    assert_ne!(s.loss_timer(at(100), true).1, LossTimer::Probe);
}

#[test]
fn rack_calls_a_segment_lost_a_round_trip_and_a_quarter_min_rtt_after_it_left() {
    // Ten segments leave at 0; only the last arrives (SACKed at 100 ms).
    // The three-SACK rule sees one SACK and waits; RACK (§6.2): segments
    // sent before it are lost at sent + RACK.rtt + min_RTT/4 = 0 + 100 + 25.
    let mut s = sender();
    s.rtt_sample(ms(100));
    send(&mut s, 10, at(0));
    s.on_sack(at(100), 9 * MSS, 10 * MSS);
    let out = s.on_ack(at(100), 0, true, None);
    assert_eq!(out.cwnd_event, None, "not yet: within the reordering window");
    assert!(s.reordering_pending());
    assert_eq!(s.loss_timer(at(100), false), (at(125), LossTimer::Reordering));
    let out = s.on_reordering_timeout(at(125));
    assert_eq!(out.cwnd_event, Some(CwndCause::FastRetransmit));
    assert!(out.retransmit_now);
    let lost: Vec<u64> = s.segments.iter().filter(|g| g.lost).map(|g| g.start / MSS).collect();
    assert_eq!(lost, (0..9).collect::<Vec<_>>());
    assert!(s.segments.iter().filter(|g| g.lost).all(|g| g.lost_cause == LossCause::Rack));
}

#[test]
fn a_lost_retransmission_is_found_a_round_trip_after_it_left() {
    // In recovery the reordering window is 0 (§6.2 step 4): a copy sent at
    // 125 ms is lost once a segment sent after it is SACKed and 100 ms
    // have passed since it left, not after another timeout.
    let mut s = sender();
    s.rtt_sample(ms(100));
    send(&mut s, 10, at(0));
    s.on_sack(at(100), 9 * MSS, 10 * MSS);
    s.on_ack(at(100), 0, true, None);
    s.on_reordering_timeout(at(125));
    s.on_data_sent(at(125), 0, MSS); // segment 0 again
    send(&mut s, 1, at(130)); // new data after it
    s.on_sack(at(230), 10 * MSS, 11 * MSS);
    s.on_ack(at(230), 0, true, None);
    assert!(s.segments[0].lost && !s.segments[0].retransmitted, "sent again at 125, lost by 230");
    assert_eq!(s.next_retransmission().map(|g| g.start), Some(0));
}

#[test]
fn a_probe_that_repaired_a_loss_cuts_the_window_a_duplicate_answer_does_not() {
    // §7.4: the probe resent the last segment. An ACK beyond it means the
    // original was lost (Linux, without DSACK); a duplicate ACK at it
    // means both arrived.
    let probed = |duplicate_first: bool| {
        let mut s = sender();
        s.rtt_sample(ms(100));
        send(&mut s, 10, at(0));
        s.on_ack(at(100), 9 * MSS, true, None);
        assert!(s.start_probe(), "the probe may go");
        assert!(s.window_allows(MSS));
        s.on_data_sent(at(300), 9 * MSS, 10 * MSS);
        s.probe_sent(true);
        assert!(!s.start_probe(), "one probe at a time (§7.3)");
        s.on_ack(at(400), 10 * MSS, true, None);
        if duplicate_first {
            s.on_ack(at(401), 10 * MSS, true, None);
        }
        let before = s.cwnd;
        send(&mut s, 1, at(400));
        (s.on_ack(at(500), 11 * MSS, true, None), before, s)
    };
    let (out, before, s) = probed(false);
    assert_eq!(out.cwnd_event, Some(CwndCause::TailLossProbe));
    assert_eq!((s.ssthresh, s.cwnd), (before / 2, before / 2), "Reno: half, as after fast recovery");
    let (out, _, s) = probed(true);
    assert_eq!(out.cwnd_event, None, "the original arrived too: no loss");
    assert_eq!(s.ssthresh, SSTHRESH_INFINITE);
}
