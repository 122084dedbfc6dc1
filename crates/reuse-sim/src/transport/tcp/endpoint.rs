//! TCP, one endpoint at a time: the state machine (RFC 9293), NewReno
//! congestion control (RFC 5681, RFC 6582, RFC 3465), the retransmission
//! timer (RFC 6298) and the receive side (cumulative ACKs, out-of-order
//! intervals, optional delayed ACKs).
//!
//! This module decides; it does not move packets. The simulation (`sim`)
//! calls these methods with an explicit `now`, sends what they say to send,
//! and records every state change through [`TcpEndpoint::set_state`], which
//! returns the trace event to record, so no transition goes unrecorded.
//!
//! Sequence space: each direction's data bytes are numbered from 0 (the SYN
//! is accounted for by flags, not by a sequence number); the FIN occupies one
//! number right after the last data byte.

use crate::time::{SimDuration, SimTime};
use crate::trace::{ConnId, CwndCause, EventKind, Side, TcpState};

/// RFC 6298 §2.1: the RTO before any RTT sample.
pub const INITIAL_RTO: SimDuration = SimDuration::from_millis(1000);
/// RFC 6298 §5.7: RTO once data flows if the SYN had to be retransmitted.
pub const RTO_AFTER_SYN_LOSS: SimDuration = SimDuration::from_millis(3000);
/// Lower bound on the RTO. RFC 6298 §2.4 asks for 1 s; Linux (TCP_RTO_MIN)
/// and every browser-facing server use 200 ms, which is what users meet.
pub const MIN_RTO: SimDuration = SimDuration::from_millis(200);
/// RFC 6298 §2.5: an upper bound of at least 60 s may be placed on the RTO.
pub const MAX_RTO: SimDuration = SimDuration::from_millis(60_000);
/// RFC 6298 §2 clock granularity G (1 ms, as Linux with HZ=1000).
pub const CLOCK_GRANULARITY: SimDuration = SimDuration::from_millis(1);
/// RFC 5681 §3.2: fast retransmit on the third duplicate ACK.
pub const DUPACK_THRESHOLD: u32 = 3;
/// Delayed-ACK timer. RFC 1122 §4.2.3.2 allows up to 500 ms; Linux's
/// TCP_DELACK_MIN is 40 ms.
pub const DELAYED_ACK_TIMEOUT: SimDuration = SimDuration::from_millis(40);
/// RFC 3465 §2.2: appropriate byte counting limit L = 2·SMSS in slow start.
pub const ABC_LIMIT_SEGMENTS: u64 = 2;
/// "Infinite" initial ssthresh (RFC 5681 §3.1: arbitrarily high).
pub const SSTHRESH_INFINITE: u64 = u64::MAX / 4;

/// Static parameters of an endpoint.
#[derive(Clone, Copy, Debug)]
pub struct TcpConfig {
    pub mss: u32,
    pub initial_cwnd_segments: u32,
    pub rwnd_bytes: Option<u64>,
    pub delayed_ack: bool,
    pub slow_start_after_idle: bool,
}

impl TcpConfig {
    pub fn initial_window(&self) -> u64 {
        self.initial_cwnd_segments as u64 * self.mss as u64
    }
}

/// What an arriving ACK did on the sending side.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AckOutcome {
    /// Bytes (sequence numbers) newly acknowledged.
    pub newly_acked: u64,
    /// Retransmit the segment at `snd_una` now (fast retransmit or a NewReno
    /// partial ACK).
    pub retransmit_head: bool,
    /// The congestion window changed notably (traced).
    pub cwnd_event: Option<CwndCause>,
    /// Our FIN is now acknowledged.
    pub fin_acked: bool,
    /// The retransmission timer must be stopped (nothing outstanding) or
    /// restarted (new data acknowledged, more outstanding).
    pub timer: TimerAction,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TimerAction {
    #[default]
    Keep,
    Stop,
    Restart,
}

#[derive(Clone, Debug)]
pub struct TcpEndpoint {
    pub side: Side,
    pub state: TcpState,
    pub cfg: TcpConfig,

    // --- send side ---
    /// Oldest unacknowledged sequence number.
    pub snd_una: u64,
    /// Next sequence number to send (moves back on a timeout: go-back-N).
    pub snd_nxt: u64,
    /// Highest sequence number sent so far + 1.
    pub snd_max: u64,
    pub cwnd: u64,
    pub ssthresh: u64,
    pub dupacks: u32,
    pub in_recovery: bool,
    /// NewReno `recover` (RFC 6582 §3.2).
    pub recover: u64,
    pub srtt: Option<SimDuration>,
    pub rttvar: SimDuration,
    pub rto: SimDuration,
    /// Segment being timed for an RTT sample: (sequence end, send time).
    /// Karn's algorithm: cleared when anything is retransmitted.
    pub rtt_probe: Option<(u64, SimTime)>,
    /// The app will send no more data; the FIN goes after the last byte.
    pub fin_queued: bool,
    /// Our FIN's sequence number, once sent.
    pub fin_seq: Option<u64>,
    pub last_data_sent: Option<SimTime>,
    pub syn_sent_at: Option<SimTime>,
    pub syn_retransmitted: bool,
    pub slow_start_ended: bool,

    // --- receive side ---
    pub rcv_nxt: u64,
    /// Out-of-order data held: sorted, disjoint `[start, end)` intervals.
    pub out_of_order: Vec<(u64, u64)>,
    /// Where the peer's FIN sits, once seen (it may arrive out of order).
    pub peer_fin_at: Option<u64>,
    pub fin_received: bool,
    /// An ACK is owed and goes out with the next packet.
    pub ack_pending: bool,
    /// An ACK is owed *now* (out of order, second segment, FIN…).
    pub ack_now: bool,
    /// Full segments received since the last ACK (delayed ACK counts two).
    pub segments_unacked: u32,
}

impl TcpEndpoint {
    pub fn new(side: Side, cfg: TcpConfig) -> Self {
        TcpEndpoint {
            side,
            state: match side {
                Side::Client => TcpState::Closed,
                Side::Server => TcpState::Listen,
            },
            cfg,
            snd_una: 0,
            snd_nxt: 0,
            snd_max: 0,
            cwnd: cfg.initial_window(),
            ssthresh: SSTHRESH_INFINITE,
            dupacks: 0,
            in_recovery: false,
            recover: 0,
            srtt: None,
            rttvar: SimDuration::ZERO,
            rto: INITIAL_RTO,
            rtt_probe: None,
            fin_queued: false,
            fin_seq: None,
            last_data_sent: None,
            syn_sent_at: None,
            syn_retransmitted: false,
            slow_start_ended: false,
            rcv_nxt: 0,
            out_of_order: Vec::new(),
            peer_fin_at: None,
            fin_received: false,
            ack_pending: false,
            ack_now: false,
            segments_unacked: 0,
        }
    }

    /// The one place a state changes; returns the event to trace.
    #[must_use]
    pub fn set_state(&mut self, conn: ConnId, to: TcpState) -> Option<EventKind> {
        let from = self.state;
        if from == to {
            return None;
        }
        self.state = to;
        Some(EventKind::TcpStateChanged { conn, side: self.side, from, to })
    }

    /// The acknowledgment number we send: next byte expected, plus one for
    /// a received FIN.
    pub fn ack_number(&self) -> u64 {
        self.rcv_nxt + self.fin_received as u64
    }

    /// Bytes in flight for the window check (`snd_nxt` moves back after a
    /// timeout, so go-back-N resends within the collapsed window).
    pub fn flight(&self) -> u64 {
        self.snd_nxt.saturating_sub(self.snd_una)
    }

    /// Outstanding sequence numbers, for ssthresh (RFC 5681 eq. 4 FlightSize).
    pub fn outstanding(&self) -> u64 {
        self.snd_max.saturating_sub(self.snd_una)
    }

    /// The send window: congestion window, capped by the peer's receive
    /// window (the peer's application reads at once, so it stays constant).
    pub fn send_window(&self) -> u64 {
        match self.cfg.rwnd_bytes {
            Some(rwnd) => self.cwnd.min(rwnd),
            None => self.cwnd,
        }
    }

    /// May a segment of `len` bytes leave now? Always one segment when
    /// nothing is in flight (a window below one MSS still sends).
    pub fn window_allows(&self, len: u64) -> bool {
        let flight = self.flight();
        flight == 0 || flight + len <= self.send_window()
    }

    /// RFC 5681 §4.1 restart window: before sending new data after an idle
    /// period longer than the RTO, cwnd falls to min(IW, cwnd).
    pub fn restart_after_idle(&mut self, now: SimTime) -> bool {
        if !self.cfg.slow_start_after_idle || self.outstanding() > 0 {
            return false;
        }
        match self.last_data_sent {
            Some(last) if now.since(last) > self.rto => {
                let restart = self.cfg.initial_window().min(self.cwnd);
                let changed = restart < self.cwnd;
                self.cwnd = restart;
                changed
            }
            _ => false,
        }
    }

    /// Records that data `[seq, end)` left at `now`.
    #[inline(always)]
    pub fn on_data_sent(&mut self, now: SimTime, seq: u64, end: u64) {
        let retransmission = seq < self.snd_max;
        if retransmission {
            self.rtt_probe = None; // Karn: no samples across a retransmission
        } else if self.rtt_probe.is_none() {
            self.rtt_probe = Some((end, now));
        }
        self.snd_nxt = self.snd_nxt.max(end);
        self.snd_max = self.snd_max.max(end);
        self.last_data_sent = Some(now);
    }

    /// RFC 6298 §2.2–2.4: feeds one RTT measurement.
    pub fn rtt_sample(&mut self, r: SimDuration) {
        match self.srtt {
            None => {
                self.srtt = Some(r);
                self.rttvar = SimDuration(r.0 / 2);
            }
            Some(srtt) => {
                let delta = srtt.0.abs_diff(r.0);
                self.rttvar = SimDuration((3 * self.rttvar.0 + delta) / 4);
                self.srtt = Some(SimDuration((7 * srtt.0 + r.0) / 8));
            }
        }
        self.rto = self.computed_rto();
    }

    #[inline(always)]
    fn computed_rto(&self) -> SimDuration {
        match self.srtt {
            None => INITIAL_RTO,
            Some(srtt) => {
                let var = SimDuration(self.rttvar.0.saturating_mul(4)).max(CLOCK_GRANULARITY);
                (srtt + var).max(MIN_RTO).min(MAX_RTO)
            }
        }
    }

    /// Processes the acknowledgment field of an arriving segment.
    /// `pure_ack`: the segment carries no data, SYN or FIN (only those count
    /// as duplicate ACKs, RFC 5681 §2).
    pub fn on_ack(&mut self, now: SimTime, ack: u64, pure_ack: bool) -> AckOutcome {
        let mut out = AckOutcome::default();
        let mss = self.cfg.mss as u64;
        if ack > self.snd_una && ack <= self.snd_max {
            let acked = ack - self.snd_una;
            out.newly_acked = acked;
            self.snd_una = ack;
            self.snd_nxt = self.snd_nxt.max(ack);
            self.dupacks = 0;
            if let Some((end, sent)) = self.rtt_probe {
                if ack >= end {
                    self.rtt_sample(now.since(sent));
                    self.rtt_probe = None;
                }
            }
            // A new ACK undoes exponential backoff (RFC 6298 §5.7 keeps the
            // backed-off value only until a new sample; we recompute).
            self.rto = self.computed_rto();
            if self.in_recovery {
                if ack >= self.recover {
                    // RFC 6582 §3.2 step 3: full acknowledgment.
                    self.in_recovery = false;
                    self.cwnd = self.ssthresh.min(self.outstanding().max(mss) + mss);
                    out.cwnd_event = Some(CwndCause::RecoveryDone);
                } else {
                    // Partial acknowledgment: retransmit the next hole and
                    // deflate by the amount acknowledged (RFC 6582 §3.2 step 4).
                    out.retransmit_head = true;
                    self.cwnd = self.cwnd.saturating_sub(acked).max(mss) + mss;
                }
            } else if self.cwnd < self.ssthresh {
                self.cwnd += acked.min(ABC_LIMIT_SEGMENTS * mss);
                if self.cwnd >= self.ssthresh && !self.slow_start_ended {
                    self.slow_start_ended = true;
                    out.cwnd_event = Some(CwndCause::SlowStartEnd);
                }
            } else {
                // RFC 5681 eq. 3: about one MSS per round trip.
                self.cwnd += (mss * mss / self.cwnd).max(1);
            }
            if let Some(fin) = self.fin_seq {
                if ack > fin {
                    out.fin_acked = true;
                }
            }
            out.timer = if self.snd_una >= self.snd_max { TimerAction::Stop } else { TimerAction::Restart };
        } else if ack == self.snd_una && pure_ack && self.outstanding() > 0 {
            self.dupacks += 1;
            if self.dupacks == DUPACK_THRESHOLD && !self.in_recovery && self.snd_una >= self.recover {
                // RFC 5681 §3.2 steps 2–3 with NewReno's `recover` guard.
                self.ssthresh = (self.outstanding() / 2).max(2 * mss);
                self.recover = self.snd_max;
                self.in_recovery = true;
                self.cwnd = self.ssthresh + DUPACK_THRESHOLD as u64 * mss;
                self.rtt_probe = None;
                out.retransmit_head = true;
                out.cwnd_event = Some(CwndCause::FastRetransmit);
            } else if self.in_recovery {
                // Window inflation: each duplicate ACK means a segment left the network.
                self.cwnd += mss;
            }
        }
        out
    }

    /// The retransmission timer fired with data (or SYN/FIN) outstanding:
    /// RFC 5681 §3.1 eq. 4 and RFC 6298 §5.5–5.6.
    pub fn on_timeout(&mut self) {
        let mss = self.cfg.mss as u64;
        if matches!(self.state, TcpState::SynSent | TcpState::SynReceived) {
            self.syn_retransmitted = true;
        } else {
            self.ssthresh = (self.outstanding() / 2).max(2 * mss);
            self.cwnd = mss;
            self.snd_nxt = self.snd_una;
            self.in_recovery = false;
            self.recover = self.snd_max;
            self.dupacks = 0;
            self.slow_start_ended = true;
        }
        self.rtt_probe = None;
        self.rto = SimDuration(self.rto.0.saturating_mul(2)).min(MAX_RTO);
    }

    /// Called when the handshake completes, with the SYN round trip if it
    /// can be measured (Karn: not if the SYN or SYN-ACK was retransmitted).
    pub fn on_established(&mut self, handshake_rtt: Option<SimDuration>) {
        match handshake_rtt {
            Some(r) if !self.syn_retransmitted => self.rtt_sample(r),
            _ if self.syn_retransmitted => {
                self.rto = RTO_AFTER_SYN_LOSS;
                // RFC 5681 §3.1 / RFC 6928: a lost SYN shrinks IW to one segment.
                self.cwnd = self.cfg.mss as u64;
            }
            _ => {}
        }
    }

    // --- receive side ---

    /// Accepts the payload `[seq, seq+len)`; returns the old and new
    /// `rcv_nxt` (equal when nothing new is in order).
    pub fn on_data(&mut self, seq: u64, len: u64) -> (u64, u64) {
        let before = self.rcv_nxt;
        let end = seq + len;
        if len == 0 {
            return (before, before);
        }
        if end <= self.rcv_nxt {
            self.ack_now = true; // old duplicate: re-ACK
            return (before, before);
        }
        if seq > self.rcv_nxt {
            insert_interval(&mut self.out_of_order, seq, end);
            self.ack_now = true; // RFC 5681 §4.2: immediate duplicate ACK
            return (before, before);
        }
        self.rcv_nxt = end;
        let filled_hole = !self.out_of_order.is_empty();
        while let Some(&(s, e)) = self.out_of_order.first() {
            if s > self.rcv_nxt {
                break;
            }
            self.rcv_nxt = self.rcv_nxt.max(e);
            self.out_of_order.remove(0);
        }
        self.ack_pending = true;
        if filled_hole || !self.cfg.delayed_ack {
            self.ack_now = true;
        } else {
            // RFC 5681 §4.2: ACK at least every second full-sized segment.
            self.segments_unacked += 1;
            if self.segments_unacked >= 2 {
                self.ack_now = true;
            }
        }
        (before, self.rcv_nxt)
    }

    /// Has the peer's FIN become in-order? Marks it received once.
    pub fn take_fin(&mut self) -> bool {
        if !self.fin_received && self.peer_fin_at == Some(self.rcv_nxt) {
            self.fin_received = true;
            self.ack_pending = true;
            self.ack_now = true;
            return true;
        }
        false
    }

    /// An ACK went out (alone or on data).
    pub fn ack_sent(&mut self) {
        self.ack_pending = false;
        self.ack_now = false;
        self.segments_unacked = 0;
    }
}

fn insert_interval(list: &mut Vec<(u64, u64)>, start: u64, end: u64) {
    let pos = list.partition_point(|&(s, _)| s < start);
    list.insert(pos, (start, end));
    // Merge neighbours that touch or overlap.
    let mut merged: Vec<(u64, u64)> = Vec::with_capacity(list.len());
    for &(s, e) in list.iter() {
        match merged.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    *list = merged;
}

#[cfg(test)]
mod tests {
    use super::*;

    const MSS: u64 = 1000;

    fn cfg() -> TcpConfig {
        TcpConfig {
            mss: MSS as u32,
            initial_cwnd_segments: 10,
            rwnd_bytes: None,
            delayed_ack: false,
            slow_start_after_idle: true,
        }
    }

    fn established(cfg: TcpConfig) -> TcpEndpoint {
        let mut ep = TcpEndpoint::new(Side::Server, cfg);
        let _ = ep.set_state(1, TcpState::Established);
        ep
    }

    fn at_ms(ms: u64) -> SimTime {
        SimTime::ZERO + SimDuration::from_millis(ms)
    }

    mod established_sender {
        use super::*;

        #[test]
        fn slow_start_grows_one_mss_per_acked_segment() {
            let mut ep = established(cfg());
            ep.on_data_sent(at_ms(0), 0, 10 * MSS);
            for k in 1..=10 {
                ep.on_ack(at_ms(100), k * MSS, true);
            }
            assert_eq!(ep.cwnd, 20 * MSS, "cwnd doubles after one window of per-segment ACKs");
        }

        #[test]
        fn byte_counting_limits_a_stretch_ack_to_two_segments() {
            let mut ep = established(cfg());
            ep.on_data_sent(at_ms(0), 0, 10 * MSS);
            ep.on_ack(at_ms(100), 10 * MSS, true);
            assert_eq!(ep.cwnd, 10 * MSS + ABC_LIMIT_SEGMENTS * MSS);
        }

        #[test]
        fn congestion_avoidance_adds_about_one_mss_per_window() {
            let mut ep = established(cfg());
            ep.ssthresh = 10 * MSS;
            ep.on_data_sent(at_ms(0), 0, 10 * MSS);
            for k in 1..=10 {
                ep.on_ack(at_ms(100), k * MSS, true);
            }
            // Ten ACKs of MSS*MSS/cwnd each, cwnd growing slightly meanwhile.
            assert!(ep.cwnd > 10 * MSS + 9 * MSS / 10 && ep.cwnd <= 11 * MSS, "cwnd {}", ep.cwnd);
        }

        #[test]
        fn third_duplicate_ack_halves_the_window_and_retransmits() {
            let mut ep = established(cfg());
            ep.on_data_sent(at_ms(0), 0, 10 * MSS);
            assert!(!ep.on_ack(at_ms(100), 0, true).retransmit_head);
            assert!(!ep.on_ack(at_ms(100), 0, true).retransmit_head);
            let third = ep.on_ack(at_ms(100), 0, true);
            assert!(third.retransmit_head);
            assert_eq!(third.cwnd_event, Some(CwndCause::FastRetransmit));
            assert_eq!(ep.ssthresh, 5 * MSS);
            assert_eq!(ep.cwnd, 5 * MSS + 3 * MSS);
            ep.on_ack(at_ms(101), 0, true);
            assert_eq!(ep.cwnd, 9 * MSS, "each further duplicate inflates by one MSS");
        }

        #[test]
        fn partial_ack_retransmits_the_next_hole_and_full_ack_ends_recovery() {
            let mut ep = established(cfg());
            ep.on_data_sent(at_ms(0), 0, 10 * MSS);
            for _ in 0..3 {
                ep.on_ack(at_ms(100), 0, true);
            }
            let partial = ep.on_ack(at_ms(200), 4 * MSS, true);
            assert!(partial.retransmit_head && ep.in_recovery);
            let full = ep.on_ack(at_ms(300), 10 * MSS, true);
            assert_eq!(full.cwnd_event, Some(CwndCause::RecoveryDone));
            assert!(!ep.in_recovery);
            assert!(ep.cwnd <= ep.ssthresh);
            assert_eq!(full.timer, TimerAction::Stop);
        }

        #[test]
        fn data_carrying_segments_are_not_duplicate_acks() {
            let mut ep = established(cfg());
            ep.on_data_sent(at_ms(0), 0, 10 * MSS);
            for _ in 0..5 {
                ep.on_ack(at_ms(100), 0, false);
            }
            assert_eq!(ep.dupacks, 0);
        }

        #[test]
        fn receive_window_caps_the_send_window() {
            let mut c = cfg();
            c.rwnd_bytes = Some(3 * MSS);
            let mut ep = established(c);
            ep.on_data_sent(at_ms(0), 0, 3 * MSS);
            assert!(!ep.window_allows(MSS));
            ep.on_ack(at_ms(100), MSS, true);
            assert!(ep.window_allows(MSS));
        }
    }

    mod retransmission_timer {
        use super::*;

        #[test]
        fn first_sample_sets_rto_to_srtt_plus_four_rttvar() {
            let mut ep = established(cfg());
            ep.rtt_sample(SimDuration::from_millis(100));
            // RFC 6298 §2.2: SRTT = R, RTTVAR = R/2, RTO = R + 4·R/2 = 3R.
            assert_eq!(ep.rto, SimDuration::from_millis(300));
        }

        #[test]
        fn rto_never_falls_below_the_minimum() {
            let mut ep = established(cfg());
            for _ in 0..50 {
                ep.rtt_sample(SimDuration::from_millis(10));
            }
            assert_eq!(ep.rto, MIN_RTO);
        }

        #[test]
        fn timeout_collapses_the_window_and_backs_off() {
            let mut ep = established(cfg());
            ep.rtt_sample(SimDuration::from_millis(100));
            ep.on_data_sent(at_ms(0), 0, 8 * MSS);
            ep.on_timeout();
            assert_eq!(ep.cwnd, MSS);
            assert_eq!(ep.ssthresh, 4 * MSS);
            assert_eq!(ep.snd_nxt, 0, "go-back-N from the oldest unacknowledged byte");
            assert_eq!(ep.rto, SimDuration::from_millis(600));
        }

        #[test]
        fn karn_no_sample_from_a_retransmitted_segment() {
            let mut ep = established(cfg());
            ep.on_data_sent(at_ms(0), 0, MSS);
            ep.on_timeout();
            ep.on_data_sent(at_ms(1000), 0, MSS);
            ep.on_ack(at_ms(1100), MSS, true);
            assert_eq!(ep.srtt, None);
        }
    }

    mod idle_restart {
        use super::*;

        #[test]
        fn idle_longer_than_rto_restarts_from_the_initial_window() {
            let mut ep = established(cfg());
            ep.cwnd = 40 * MSS;
            ep.rtt_sample(SimDuration::from_millis(100));
            ep.on_data_sent(at_ms(0), 0, MSS);
            ep.on_ack(at_ms(100), MSS, true);
            assert!(!ep.restart_after_idle(at_ms(250)), "idle 250 ms < RTO");
            assert!(ep.restart_after_idle(at_ms(5_000)));
            assert_eq!(ep.cwnd, 10 * MSS);
        }

        #[test]
        fn disabled_restart_keeps_the_window() {
            let mut c = cfg();
            c.slow_start_after_idle = false;
            let mut ep = established(c);
            ep.cwnd = 40 * MSS;
            ep.on_data_sent(at_ms(0), 0, MSS);
            ep.on_ack(at_ms(100), MSS, true);
            let before = ep.cwnd;
            assert!(!ep.restart_after_idle(at_ms(60_000)));
            assert_eq!(ep.cwnd, before);
        }
    }

    mod receiver {
        use super::*;

        #[test]
        fn in_order_data_advances_and_fills_holes() {
            let mut ep = established(cfg());
            assert_eq!(ep.on_data(0, MSS), (0, MSS));
            assert_eq!(ep.on_data(2 * MSS, MSS), (MSS, MSS), "out of order is held");
            assert!(ep.ack_now, "a gap triggers an immediate duplicate ACK");
            ep.ack_sent();
            assert_eq!(ep.on_data(MSS, MSS), (MSS, 3 * MSS), "the hole fills and the held data joins");
            assert!(ep.out_of_order.is_empty());
        }

        #[test]
        fn delayed_ack_waits_for_the_second_segment() {
            let mut c = cfg();
            c.delayed_ack = true;
            let mut ep = established(c);
            ep.on_data(0, MSS);
            assert!(ep.ack_pending && !ep.ack_now);
            ep.on_data(MSS, MSS);
            assert!(ep.ack_now);
        }

        #[test]
        fn fin_counts_once_it_is_in_order() {
            let mut ep = established(cfg());
            ep.peer_fin_at = Some(2 * MSS);
            ep.on_data(MSS, MSS);
            assert!(!ep.take_fin());
            ep.on_data(0, MSS);
            assert!(ep.take_fin());
            assert_eq!(ep.ack_number(), 2 * MSS + 1);
        }

        #[test]
        fn intervals_merge() {
            let mut v = vec![];
            insert_interval(&mut v, 10, 20);
            insert_interval(&mut v, 30, 40);
            insert_interval(&mut v, 20, 30);
            assert_eq!(v, vec![(10, 40)]);
        }
    }

    mod states {
        use super::*;

        #[test]
        fn set_state_reports_each_change_once_with_rfc_names() {
            let mut ep = TcpEndpoint::new(Side::Client, cfg());
            let ev = ep.set_state(3, TcpState::SynSent).expect("a change");
            match ev {
                EventKind::TcpStateChanged { from, to, .. } => {
                    assert_eq!((from.as_str(), to.as_str()), ("CLOSED", "SYN-SENT"));
                }
                other => panic!("unexpected {other:?}"),
            }
            assert!(ep.set_state(3, TcpState::SynSent).is_none());
        }
    }
}
