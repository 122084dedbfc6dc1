//! QUIC loss detection and congestion control (RFC 9002), one endpoint at a
//! time, sans I/O: the caller passes `now`, sends what the answers say and
//! records the events. The pseudocode of RFC 9002 Appendices A and B, in
//! integer nanoseconds.
//!
//! - RTT: latest, smoothed, variation and minimum (§5); rttvar is updated
//!   from the *old* smoothed RTT (Appendix A.7), as quinn and quiche do.
//! - Loss: a packet is lost once a later one is acknowledged and either
//!   three later packets are (packet threshold, §6.1.1) or 9/8 RTT has
//!   passed since it was sent (time threshold, §6.1.2).
//! - Probe timeout: smoothed RTT + max(4 × rttvar, 1 ms) + max_ack_delay
//!   (0 in the Initial and Handshake spaces), doubling with each expiry
//!   (§6.2.1); 333 ms of RTT before any sample (§6.2.2).
//! - NewReno: slow start from the initial window, congestion avoidance, the
//!   window halved once per recovery period, the minimum window after
//!   persistent congestion (§7).

use std::collections::VecDeque;

use crate::engine::TraceIndex;
use crate::scenario::CongestionControl;
use crate::time::{SimDuration, SimTime};
use crate::trace::{CwndCause, PnSpace, QuicLossReason};
use crate::transport::congestion::{BbrAck, BbrChange, Controller, RecoveryStep, SegmentRate, SlowStartStep};

/// §6.1.1 kPacketThreshold.
pub const PACKET_THRESHOLD: u64 = 3;
/// §6.1.2 kTimeThreshold = 9/8, as a fraction.
pub const TIME_THRESHOLD: (u64, u64) = (9, 8);
/// §6.1.2 kGranularity.
pub const GRANULARITY: SimDuration = SimDuration::from_millis(1);
/// §6.2.2 kInitialRtt: the RTT assumed before any sample.
pub const INITIAL_RTT: SimDuration = SimDuration::from_millis(333);
/// §7.6.1 kPersistentCongestionThreshold.
pub const PERSISTENT_CONGESTION_THRESHOLD: u64 = 3;
/// §7.2: the initial window is min(10 × max_datagram_size, max(14 720, 2 ×
/// max_datagram_size)) …
pub const INITIAL_WINDOW_PACKETS: u64 = 10;
pub const INITIAL_WINDOW_CAP_BYTES: u64 = 14_720;
/// … and the window never falls below 2 × max_datagram_size (kMinimumWindow).
pub const MINIMUM_WINDOW_PACKETS: u64 = 2;
/// §6.2.4 allows one or two probes per expiry; like quiche, the first
/// expiry sends one and later ones two.
pub const MAX_PTO_PROBES: u32 = 2;

/// The RFC 9002 §7.2 initial window for a datagram size (`packets`: a
/// stack's own choice instead, such as Chrome's 32).
pub fn initial_window(max_datagram_size: u64, packets: Option<u32>) -> u64 {
    match packets {
        Some(n) => n as u64 * max_datagram_size,
        None => (INITIAL_WINDOW_PACKETS * max_datagram_size)
            .min(INITIAL_WINDOW_CAP_BYTES.max(MINIMUM_WINDOW_PACKETS * max_datagram_size)),
    }
}

/// RFC 9002 §5: the RTT estimates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RttEstimator {
    pub latest: SimDuration,
    pub smoothed: SimDuration,
    pub rttvar: SimDuration,
    pub min: SimDuration,
    /// When the first sample was taken.
    pub first_sample_at: Option<SimTime>,
}

impl Default for RttEstimator {
    fn default() -> Self {
        // §6.2.2 / A.4: smoothed_rtt = kInitialRtt, rttvar = kInitialRtt / 2.
        RttEstimator {
            latest: SimDuration::ZERO,
            smoothed: INITIAL_RTT,
            rttvar: SimDuration(INITIAL_RTT.0 / 2),
            min: SimDuration::ZERO,
            first_sample_at: None,
        }
    }
}

impl RttEstimator {
    /// Appendix A.7 UpdateRtt.
    pub fn update(&mut self, now: SimTime, latest: SimDuration, ack_delay: SimDuration) {
        self.latest = latest;
        if self.first_sample_at.is_none() {
            self.first_sample_at = Some(now);
            self.min = latest;
            self.smoothed = latest;
            self.rttvar = SimDuration(latest.0 / 2);
            return;
        }
        self.min = self.min.min(latest);
        let adjusted = if latest >= self.min + ack_delay { latest - ack_delay } else { latest };
        let deviation = self.smoothed.0.abs_diff(adjusted.0);
        self.rttvar = SimDuration((3 * self.rttvar.0 + deviation) / 4);
        self.smoothed = SimDuration((7 * self.smoothed.0 + adjusted.0) / 8);
    }

    /// The probe timeout before backoff and ack delay: smoothed_rtt +
    /// max(4 × rttvar, kGranularity) (§6.2.1).
    pub fn pto_base(&self) -> SimDuration {
        self.smoothed + SimDuration(self.rttvar.0.saturating_mul(4)).max(GRANULARITY)
    }

    /// §6.1.2: max(kTimeThreshold × max(smoothed_rtt, latest_rtt), kGranularity).
    pub fn loss_delay(&self) -> SimDuration {
        let rtt = self.latest.max(self.smoothed);
        SimDuration(rtt.0 * TIME_THRESHOLD.0 / TIME_THRESHOLD.1).max(GRANULARITY)
    }
}

/// What the sender keeps of a packet it sent (Appendix A.1.1), and where
/// its frames are: the trace entry of its datagram and its place in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SentPacket {
    pub pn: u64,
    pub time: SimTime,
    pub bytes: u32,
    pub ack_eliciting: bool,
    pub in_flight: bool,
    /// The datagram's `PacketSent` trace entry, and packet id.
    pub trace: TraceIndex,
    pub id: u64,
    /// Which packet of the datagram this is.
    pub index: u8,
    /// The delivery-rate state it left with (BBR's samples; set by
    /// [`Recovery::on_sent`]).
    pub rate: SegmentRate,
}

/// One packet-number space's sending side.
#[derive(Clone, Debug, Default)]
pub struct SpaceSent {
    pub next_pn: u64,
    /// Sent and neither acknowledged nor declared lost, in number order.
    pub sent: VecDeque<SentPacket>,
    pub largest_acked: Option<u64>,
    pub loss_time: Option<SimTime>,
    pub last_ack_eliciting: Option<SimTime>,
    pub ack_eliciting_in_flight: u32,
    /// The keys are gone: nothing more is sent or tracked here.
    pub discarded: bool,
}

/// Congestion control (§7, Appendix B): RFC 9002's NewReno, or CUBIC from
/// the controller TCP uses too (`transport/congestion.rs`).
#[derive(Clone, Debug)]
pub struct Congestion {
    pub max_datagram_size: u64,
    pub cwnd: u64,
    pub ssthresh: u64,
    pub in_flight: u64,
    /// Packets sent before this are in the current recovery period.
    pub recovery_start: Option<SimTime>,
    pub controller: Controller,
    /// When the last in-flight packet left (CUBIC's clock stops while idle).
    last_sent: Option<SimTime>,
    /// BBR: a congestion event since its last ACK (packet conservation
    /// starts), and whether a recovery period is open.
    bbr_entering: bool,
    bbr_in_recovery: bool,
    /// With pacing (BBR): the earliest time the next datagram may leave.
    pub next_send_at: SimTime,
}

impl Congestion {
    pub fn new(max_datagram_size: u64, initial_window: u64) -> Self {
        Congestion {
            max_datagram_size,
            cwnd: initial_window,
            ssthresh: u64::MAX / 4,
            in_flight: 0,
            recovery_start: None,
            controller: Controller::NewReno,
            last_sent: None,
            bbr_entering: false,
            bbr_in_recovery: false,
            next_send_at: SimTime(0),
        }
    }

    /// With pacing (BBR): when the next datagram may leave, if later than
    /// `now`.
    pub fn paced_until(&self, now: SimTime) -> Option<SimTime> {
        (self.controller.owns_window() && self.next_send_at > now).then_some(self.next_send_at)
    }

    /// A datagram of `wire_bytes` with in-flight packets left at `now`: the
    /// pacing clock moves on by its time at the pacing rate.
    pub fn on_paced(&mut self, now: SimTime, wire_bytes: u64, smoothed_rtt: Option<SimDuration>) {
        let cwnd = self.cwnd;
        let Some(bbr) = self.controller.bbr() else { return };
        bbr.init_pacing(cwnd, smoothed_rtt, 1);
        let gap = bbr.pacing_gap(wire_bytes);
        self.next_send_at = self.next_send_at.max(now) + gap;
    }

    /// BBR sets the window (and its pacing rate) after each ACK frame.
    fn bbr_on_ack(&mut self, a: BbrAckParts) -> (Option<BbrChange>, bool) {
        let recovery = if std::mem::take(&mut self.bbr_entering) {
            self.bbr_in_recovery = true;
            RecoveryStep::Entered
        } else if self.bbr_in_recovery && a.recovery_over {
            self.bbr_in_recovery = false;
            RecoveryStep::Exited
        } else {
            RecoveryStep::None
        };
        let (cwnd, in_flight, one) = (self.cwnd, self.in_flight, self.max_datagram_size);
        let Some(bbr) = self.controller.bbr() else { return (None, false) };
        let sample = bbr.sampler.generate(a.min_rtt);
        let (cwnd, change) = bbr.on_ack(BbrAck {
            now: a.now,
            cwnd,
            delivered: a.delivered,
            lost: a.lost,
            prior_in_flight: a.prior_in_flight,
            in_flight,
            rtt: a.rtt,
            sample,
            recovery,
            one,
            bytes_per_unit: 1,
        });
        let pacing = bbr.pacing_report().is_some();
        self.cwnd = cwnd;
        (change, pacing)
    }

    pub fn minimum_window(&self) -> u64 {
        MINIMUM_WINDOW_PACKETS * self.max_datagram_size
    }

    /// May a datagram of up to `bytes` leave now (§7: bytes in flight must
    /// not exceed the window)?
    pub fn allows(&self, bytes: u64) -> bool {
        self.in_flight + bytes <= self.cwnd
    }

    fn in_recovery(&self, sent: SimTime) -> bool {
        self.recovery_start.is_some_and(|start| sent <= start)
    }

    /// B.5 OnPacketsAcked, for one packet. `ack`: what the ACK frame's
    /// growth needs (its RTT sample goes with its newest packet).
    fn on_acked(&mut self, p: &SentPacket, ack: QuicAck) -> Option<CwndCause> {
        if !p.in_flight {
            return None;
        }
        self.in_flight = self.in_flight.saturating_sub(p.bytes as u64);
        if self.in_recovery(p.time) {
            return None;
        }
        let (bytes, mds) = (p.bytes as u64, self.max_datagram_size);
        if self.cwnd < self.ssthresh {
            let initial = self.ssthresh >= u64::MAX / 4;
            let sample = ack.latest_rtt.filter(|_| p.pn == ack.largest);
            match self.controller.slow_start(bytes, mds, sample, p.pn, ack.next_pn, initial) {
                SlowStartStep::Grow(by) => self.cwnd += by,
                SlowStartStep::EnterCss(by) => {
                    self.cwnd += by;
                    return Some(CwndCause::ConservativeSlowStart);
                }
                SlowStartStep::Exit => {
                    self.ssthresh = self.cwnd;
                    return Some(CwndCause::HystartExit);
                }
            }
        } else if let Some(next) =
            self.controller.avoidance(ack.now, self.cwnd, bytes, mds, ack.smoothed_rtt, true)
        {
            self.cwnd = next.max(self.cwnd);
        } else {
            self.cwnd += (mds * bytes / self.cwnd).max(1);
        }
        None
    }

    /// B.6 OnCongestionEvent: halve once per recovery period. Returns
    /// whether the window changed.
    fn on_congestion_event(&mut self, sent: SimTime, now: SimTime) -> bool {
        if self.in_recovery(sent) {
            return false;
        }
        self.recovery_start = Some(now);
        if self.controller.owns_window() {
            // BBR cuts nothing; it conserves packets for a round.
            self.bbr_entering = true;
            return true;
        }
        // B.6: kLossReductionFactor 0.5 for NewReno; CUBIC's β = 0.7.
        self.ssthresh = self.controller.ssthresh_after_loss(self.cwnd, self.cwnd, self.minimum_window());
        self.cwnd = self.ssthresh;
        true
    }
}

/// What an ACK frame tells the window's growth.
#[derive(Clone, Copy, Debug)]
struct QuicAck {
    now: SimTime,
    /// The frame's largest acknowledged packet and the space's next
    /// packet number (HyStart++'s rounds).
    largest: u64,
    next_pn: u64,
    /// The frame's RTT sample, if it gave one.
    latest_rtt: Option<SimDuration>,
    smoothed_rtt: SimDuration,
}

/// What BBR needs of an ACK frame beyond the window's own state.
#[derive(Clone, Copy, Debug)]
struct BbrAckParts {
    now: SimTime,
    delivered: u64,
    lost: u64,
    prior_in_flight: u64,
    rtt: Option<SimDuration>,
    min_rtt: Option<SimDuration>,
    /// A packet sent after the recovery period began was acknowledged.
    recovery_over: bool,
}

/// What an ACK frame did on the sending side.
#[derive(Clone, Debug, Default)]
pub struct AckOutcome {
    pub acked: Vec<SentPacket>,
    pub lost: Vec<(SentPacket, QuicLossReason)>,
    pub cwnd_event: Option<CwndCause>,
    /// BBR changed mode (traced).
    pub bbr: Option<BbrChange>,
    /// BBR's pacing rate moved enough to be shown again (traced).
    pub bbr_pacing: bool,
}

/// One endpoint's recovery state across its three number spaces.
#[derive(Clone, Debug)]
pub struct Recovery {
    pub rtt: RttEstimator,
    pub cc: Congestion,
    pub spaces: [SpaceSent; 3],
    pub pto_count: u32,
    pub max_ack_delay: SimDuration,
}

impl Recovery {
    pub fn new(max_datagram_size: u64, initial_window: u64, max_ack_delay: SimDuration) -> Self {
        Recovery {
            rtt: RttEstimator::default(),
            cc: Congestion::new(max_datagram_size, initial_window),
            spaces: Default::default(),
            pto_count: 0,
            max_ack_delay,
        }
    }

    /// Grows and cuts the window with `algorithm` (NewReno by default), or
    /// lets BBR set it and pace.
    pub fn with_congestion_control(mut self, algorithm: CongestionControl) -> Self {
        self.cc.controller = Controller::new(algorithm, self.cc.cwnd);
        self
    }

    pub fn space(&self, s: PnSpace) -> &SpaceSent {
        &self.spaces[s.index()]
    }

    /// The next packet number of a space, taken.
    pub fn take_pn(&mut self, s: PnSpace) -> u64 {
        let space = &mut self.spaces[s.index()];
        let pn = space.next_pn;
        space.next_pn += 1;
        pn
    }

    /// A.5 OnPacketSent.
    pub fn on_sent(&mut self, s: PnSpace, mut p: SentPacket) {
        let space = &mut self.spaces[s.index()];
        if space.discarded {
            return;
        }
        if p.ack_eliciting {
            space.last_ack_eliciting = Some(p.time);
            space.ack_eliciting_in_flight += 1;
        }
        if p.in_flight {
            p.rate = self.cc.controller.on_sent(p.time, self.cc.in_flight);
            if let (0, Some(last)) = (self.cc.in_flight, self.cc.last_sent) {
                self.cc.controller.on_idle(p.time.since(last));
            }
            self.cc.last_sent = Some(p.time);
            self.cc.in_flight += p.bytes as u64;
        }
        space.sent.push_back(p);
    }

    fn ack_eliciting_in_flight(&self) -> bool {
        self.spaces.iter().any(|s| s.ack_eliciting_in_flight > 0)
    }

    /// A.7 OnAckReceived: `ranges` are `[smallest, largest]`, largest first.
    /// `ack_delay` counts only in the application space once the handshake
    /// is confirmed, and never above max_ack_delay.
    pub fn on_ack(
        &mut self,
        s: PnSpace,
        ranges: &[(u64, u64)],
        ack_delay: SimDuration,
        now: SimTime,
        handshake_confirmed: bool,
    ) -> AckOutcome {
        let mut out = AckOutcome::default();
        let prior_in_flight = self.cc.in_flight;
        let Some(&(_, largest)) = ranges.first() else { return out };
        let space = &mut self.spaces[s.index()];
        if space.discarded {
            return out;
        }
        space.largest_acked = Some(space.largest_acked.map_or(largest, |l| l.max(largest)));
        // `sent` is in number order: each range is one run of it. Ranges come
        // largest first, so taking one leaves the places of the next intact.
        for &(lo, hi) in ranges {
            let start = space.sent.partition_point(|p| p.pn < lo);
            let end = space.sent.partition_point(|p| p.pn <= hi);
            if start < end {
                out.acked.extend(space.sent.drain(start..end).rev());
            }
        }
        if out.acked.is_empty() {
            return out;
        }
        out.acked.reverse();
        let mut delivered = 0;
        for p in &out.acked {
            if p.ack_eliciting {
                space.ack_eliciting_in_flight -= 1;
            }
            if p.in_flight {
                delivered += p.bytes as u64;
                self.cc.controller.on_delivered(now, p.bytes as u64, p.time, &p.rate);
            }
        }
        let newest = out.acked.last().copied().expect("not empty");
        let next_pn = space.next_pn;
        let sampled = newest.pn == largest && out.acked.iter().any(|p| p.ack_eliciting);
        if sampled {
            let delay = match s {
                PnSpace::Application if handshake_confirmed => ack_delay.min(self.max_ack_delay),
                PnSpace::Application => ack_delay,
                PnSpace::Initial | PnSpace::Handshake => SimDuration::ZERO,
            };
            self.rtt.update(now, now.since(newest.time), delay);
        }
        // A.7: losses first, so packets acknowledged from before a new
        // recovery period do not grow the window it just halved.
        out.lost = self.detect_lost(s, now);
        out.cwnd_event = self.on_lost(&out.lost, now);
        let ack = QuicAck {
            now,
            largest,
            next_pn,
            latest_rtt: sampled.then_some(self.rtt.latest),
            smoothed_rtt: self.rtt.smoothed,
        };
        for p in &out.acked {
            if let Some(cause) = self.cc.on_acked(p, ack) {
                out.cwnd_event = out.cwnd_event.or(Some(cause));
            }
        }
        if self.cc.controller.owns_window() {
            let lost = out.lost.iter().filter(|(p, _)| p.in_flight).map(|(p, _)| p.bytes as u64).sum();
            let recovery_start = self.cc.recovery_start;
            (out.bbr, out.bbr_pacing) = self.cc.bbr_on_ack(BbrAckParts {
                now,
                delivered,
                lost,
                prior_in_flight,
                rtt: sampled.then_some(self.rtt.latest),
                min_rtt: self.rtt.first_sample_at.map(|_| self.rtt.min),
                recovery_over: recovery_start.is_some_and(|start| newest.time > start),
            });
        }
        out
    }

    /// A.10 DetectAndRemoveLostPackets.
    pub fn detect_lost(&mut self, s: PnSpace, now: SimTime) -> Vec<(SentPacket, QuicLossReason)> {
        let loss_delay = self.rtt.loss_delay();
        let space = &mut self.spaces[s.index()];
        space.loss_time = None;
        let Some(largest) = space.largest_acked else { return Vec::new() };
        // Only packets numbered below the largest acknowledged can be lost.
        let end = space.sent.partition_point(|p| p.pn <= largest);
        if end == 0 {
            return Vec::new();
        }
        let mut lost = Vec::new();
        let mut kept = Vec::new();
        for p in space.sent.drain(..end) {
            if largest >= p.pn + PACKET_THRESHOLD {
                lost.push((p, QuicLossReason::PacketThreshold));
            } else if p.time + loss_delay <= now {
                lost.push((p, QuicLossReason::TimeThreshold));
            } else {
                let at = p.time + loss_delay;
                space.loss_time = Some(space.loss_time.map_or(at, |t| t.min(at)));
                kept.push(p);
            }
        }
        for p in kept.into_iter().rev() {
            space.sent.push_front(p);
        }
        for (p, _) in &lost {
            if p.ack_eliciting {
                space.ack_eliciting_in_flight -= 1;
            }
        }
        lost
    }

    /// B.8 OnPacketsLost: bytes leave the flight; one congestion event per
    /// recovery period; persistent congestion (§7.6) collapses the window.
    pub fn on_lost(&mut self, lost: &[(SentPacket, QuicLossReason)], now: SimTime) -> Option<CwndCause> {
        let mut newest: Option<SimTime> = None;
        for (p, _) in lost {
            if p.in_flight {
                self.cc.in_flight = self.cc.in_flight.saturating_sub(p.bytes as u64);
                newest = Some(newest.map_or(p.time, |t| t.max(p.time)));
            }
        }
        let newest = newest?;
        let mut cause = self.cc.on_congestion_event(newest, now).then_some(CwndCause::QuicLoss);
        if self.persistent_congestion(lost) {
            let cwnd = self.cc.cwnd;
            self.cc.recovery_start = None;
            if let Some(bbr) = self.cc.controller.bbr() {
                // As a TCP timeout: the window is saved now, and comes back
                // when a packet sent after this is acknowledged.
                bbr.on_timeout(cwnd);
                self.cc.bbr_entering = false;
                self.cc.bbr_in_recovery = true;
                self.cc.recovery_start = Some(now);
            }
            self.cc.cwnd = self.cc.minimum_window();
            cause = Some(CwndCause::PersistentCongestion);
        }
        cause
    }

    /// §7.6.2: ack-eliciting packets lost over a stretch longer than
    /// (smoothed_rtt + max(4 × rttvar, kGranularity) + max_ack_delay) × 3,
    /// with no packet in between acknowledged, all sent after the first RTT
    /// sample. (Only the packets declared lost together are looked at.)
    fn persistent_congestion(&self, lost: &[(SentPacket, QuicLossReason)]) -> bool {
        let Some(first_sample) = self.rtt.first_sample_at else { return false };
        let duration =
            (self.rtt.pto_base() + self.max_ack_delay).saturating_mul(PERSISTENT_CONGESTION_THRESHOLD);
        let mut run_start: Option<SentPacket> = None;
        let mut previous_pn: Option<u64> = None;
        for &(p, _) in lost {
            let contiguous = previous_pn.is_some_and(|pn| p.pn == pn + 1);
            previous_pn = Some(p.pn);
            if !contiguous {
                run_start = None;
            }
            if !p.ack_eliciting || p.time <= first_sample {
                continue;
            }
            match run_start {
                None => run_start = Some(p),
                Some(first) if p.time.since(first.time) > duration => return true,
                Some(_) => {}
            }
        }
        false
    }

    /// A.8 GetLossTimeAndSpace.
    pub fn loss_time_and_space(&self) -> Option<(SimTime, PnSpace)> {
        PnSpace::ALL
            .into_iter()
            .filter_map(|s| self.spaces[s.index()].loss_time.map(|t| (t, s)))
            .min_by_key(|&(t, s)| (t, s))
    }

    /// The probe timeout for a space, backed off (§6.2.1).
    pub fn pto_duration(&self, s: PnSpace) -> SimDuration {
        let ack_delay = match s {
            PnSpace::Application => self.max_ack_delay,
            PnSpace::Initial | PnSpace::Handshake => SimDuration::ZERO,
        };
        (self.rtt.pto_base() + ack_delay).saturating_mul(1u64 << self.pto_count.min(30))
    }

    /// The probe timeout without backoff, as the closing and draining
    /// periods and the idle timeout use it (RFC 9000 §10).
    pub fn current_pto(&self) -> SimDuration {
        self.rtt.pto_base() + self.max_ack_delay
    }

    /// A.8 GetPtoTimeAndSpace. `has_handshake_keys` picks the space of the
    /// client's anti-deadlock probe when nothing is in flight.
    pub fn pto_time_and_space(
        &self,
        now: SimTime,
        handshake_confirmed: bool,
        has_handshake_keys: bool,
    ) -> Option<(SimTime, PnSpace)> {
        if !self.ack_eliciting_in_flight() {
            let s = if has_handshake_keys { PnSpace::Handshake } else { PnSpace::Initial };
            return Some((now + self.pto_duration(s), s));
        }
        let mut best: Option<(SimTime, PnSpace)> = None;
        for s in PnSpace::ALL {
            let space = &self.spaces[s.index()];
            if space.ack_eliciting_in_flight == 0 {
                continue;
            }
            if s == PnSpace::Application && !handshake_confirmed {
                break;
            }
            let Some(last) = space.last_ack_eliciting else { continue };
            let t = last + self.pto_duration(s);
            if best.is_none_or(|(b, _)| t < b) {
                best = Some((t, s));
            }
        }
        best
    }

    /// A.6 SetLossDetectionTimer: when the loss-detection timer should fire
    /// (`None`: not at all). `amplification_blocked`: a server that may not
    /// send; `peer_validated`: PeerCompletedAddressValidation.
    pub fn timer_deadline(
        &self,
        now: SimTime,
        handshake_confirmed: bool,
        has_handshake_keys: bool,
        amplification_blocked: bool,
        peer_validated: bool,
    ) -> Option<(SimTime, PnSpace)> {
        if let Some(loss) = self.loss_time_and_space() {
            return Some(loss);
        }
        if amplification_blocked {
            return None;
        }
        if !self.ack_eliciting_in_flight() && peer_validated {
            return None;
        }
        self.pto_time_and_space(now, handshake_confirmed, has_handshake_keys)
    }

    /// A.10 OnPacketNumberSpaceDiscarded: the space's packets leave the
    /// flight and the timers restart.
    pub fn discard(&mut self, s: PnSpace) {
        let space = &mut self.spaces[s.index()];
        if space.discarded {
            return;
        }
        for p in space.sent.drain(..) {
            if p.in_flight {
                self.cc.in_flight = self.cc.in_flight.saturating_sub(p.bytes as u64);
            }
        }
        space.discarded = true;
        space.ack_eliciting_in_flight = 0;
        space.last_ack_eliciting = None;
        space.loss_time = None;
        self.pto_count = 0;
    }

    /// The oldest unacknowledged ack-eliciting packets of a space, for probes.
    pub fn oldest_unacked(&self, s: PnSpace, n: usize) -> Vec<SentPacket> {
        self.spaces[s.index()].sent.iter().filter(|p| p.ack_eliciting).take(n).copied().collect()
    }
}

#[cfg(test)]
#[path = "recovery_tests.rs"]
mod tests;
