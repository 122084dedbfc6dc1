//! The sending half of a TCP endpoint, sans I/O: what is in flight, what is
//! lost, how large the window is, and when the retransmission timer fires.
//!
//! Every segment sent is kept on a scoreboard (RFC 6675 §2) with its bounds,
//! its last transmission time and what is known of it (SACKed, lost,
//! retransmitted), like Linux's retransmission queue. From it:
//!
//! - **Window counting.** Linux counts the congestion window in packets
//!   (`snd_cwnd`): a 36-byte control segment costs one packet like a full
//!   one. RFC 3465 byte counting (the window in bytes, slow start growing by
//!   at most 2·SMSS per ACK) is the other [`CwndUnit`].
//! - **Loss recovery.** With SACK (RFC 2018, RFC 6675; Linux's default) a
//!   segment is lost once three SACKed segments lie above it; recovery sends
//!   lost segments first, then new data, at the pace of Proportional Rate
//!   Reduction (RFC 6937, Linux's since 3.2): about one segment out per two
//!   delivered, easing the window down to ssthresh over one round trip.
//!   Without SACK it is NewReno (RFC 6582): three duplicate ACKs retransmit
//!   the first segment, each partial ACK the next.
//! - **The retransmission timer** (RFC 6298): RTT samples from every ACK of
//!   new data (with TCP timestamps, RFC 7323, from the echoed send time, so
//!   retransmissions are timed too; without, Karn's rule skips them); a
//!   timeout resends the first segment and restarts from one segment. When
//!   the timeout was spurious (the originals were only delayed), Linux
//!   finds out and restores the window before it (`tcp_try_undo_loss`):
//!   from the timestamp an ACK echoes (Eifel detection, RFC 3522) or with
//!   F-RTO (RFC 5682).
//!
//! This file keeps the scoreboard, the windows, RTT and RTO and the ACK's
//! bookkeeping; `sender/recovery.rs` holds loss detection and recovery
//! (fast recovery, PRR, timeouts, F-RTO and undo), `sender/growth.rs` the
//! window's growth (slow start, HyStart++, congestion avoidance, restart
//! after idle), `sender/rack.rs` RACK-TLP and `sender/bbr.rs` BBR's window
//! and pacing clock.

use std::collections::VecDeque;

pub use crate::scenario::{CongestionControl, CwndUnit, LossRecovery};
use crate::time::{SimDuration, SimTime};
use crate::trace::{CwndCause, LossCause};
use crate::transport::congestion::{BbrChange, Controller, SegmentRate};
use growth::Acked;
pub use rack::LossTimer;
use rack::Rack;

mod bbr;
mod growth;
mod rack;
mod recovery;

/// RFC 6298 §2.1: the RTO before any RTT sample.
pub const INITIAL_RTO: SimDuration = SimDuration::from_millis(1000);
/// RFC 6298 §5.7: RTO once data flows if the SYN had to be retransmitted.
pub const RTO_AFTER_SYN_LOSS: SimDuration = SimDuration::from_millis(3000);
/// Lower bound on the RTO. RFC 6298 §2.4 asks for 1 s; Linux (TCP_RTO_MIN)
/// and every browser-facing server use 200 ms, which is what users meet.
pub const MIN_RTO: SimDuration = SimDuration::from_millis(200);
/// RFC 6298 §2.5: an upper bound of at least 60 s may be placed on the RTO
/// (Linux's TCP_RTO_MAX is 120 s; 60 s is the RFC's).
pub const MAX_RTO: SimDuration = SimDuration::from_millis(60_000);
/// RFC 6298 §2 clock granularity G (1 ms, as Linux with HZ=1000).
pub const CLOCK_GRANULARITY: SimDuration = SimDuration::from_millis(1);
/// RFC 5681 §3.2 / RFC 6675 §2: DupThresh, three duplicate ACKs (or three
/// SACKed segments above a hole) mean a loss.
pub const DUPACK_THRESHOLD: u32 = 3;
/// RFC 3465 §2.2: appropriate byte counting limit L = 2·SMSS in slow start.
pub const ABC_LIMIT_SEGMENTS: u64 = 2;
/// "Infinite" initial ssthresh (RFC 5681 §3.1: arbitrarily high).
pub const SSTHRESH_INFINITE: u64 = u64::MAX / 4;

/// Static parameters of a sender.
#[derive(Clone, Copy, Debug)]
pub struct SenderConfig {
    pub mss: u32,
    pub initial_cwnd_segments: u32,
    pub rwnd_bytes: Option<u64>,
    pub slow_start_after_idle: bool,
    pub cwnd_unit: CwndUnit,
    pub recovery: LossRecovery,
    /// F-RTO, RFC 5682 (Linux: `tcp_frto = 2`).
    pub frto: bool,
    /// TCP timestamps, RFC 7323 (Linux: `tcp_timestamps = 1`).
    pub timestamps: bool,
    /// How the window grows and falls (`tcp.congestion_control`).
    pub congestion: CongestionControl,
    /// RACK-TLP, RFC 8985 (`tcp.rack_tlp`; with SACK only).
    pub rack_tlp: bool,
}

impl SenderConfig {
    /// The initial window in the unit the window counts.
    pub fn initial_window(&self) -> u64 {
        match self.cwnd_unit {
            CwndUnit::Packets => self.initial_cwnd_segments as u64,
            CwndUnit::Bytes => self.initial_cwnd_segments as u64 * self.mss as u64,
        }
    }

    /// One segment, in the window's unit.
    pub fn one_segment(&self) -> u64 {
        match self.cwnd_unit {
            CwndUnit::Packets => 1,
            CwndUnit::Bytes => self.mss as u64,
        }
    }
}

/// One segment on the scoreboard: `[start, end)` of the sequence space (a
/// FIN counts one), and what the sender knows of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Segment {
    pub start: u64,
    pub end: u64,
    /// When its latest copy left.
    pub sent_at: SimTime,
    /// The receiver holds it (SACK).
    pub sacked: bool,
    /// Taken for lost: it must be sent again.
    pub lost: bool,
    /// Sent again since it was taken for lost (so in flight again).
    pub retransmitted: bool,
    /// Sent more than once, ever (Karn's rule).
    pub ever_retransmitted: bool,
    /// Why it was last taken for lost.
    pub lost_cause: LossCause,
    /// The delivery-rate state its latest copy left with (BBR's samples).
    pub rate: SegmentRate,
}

impl Segment {
    /// Counted in the pipe (RFC 6675 §4): in the network as far as the
    /// sender knows.
    fn in_flight(&self) -> bool {
        !self.sacked && (!self.lost || self.retransmitted)
    }

    /// Taken for lost and not yet sent again (RFC 6675 NextSeg rule 1).
    fn awaits_resend(&self) -> bool {
        self.lost && !self.retransmitted && !self.sacked
    }
}

/// Where loss recovery stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Recovery {
    Open,
    /// Fast recovery until everything sent before the loss is acknowledged.
    Fast {
        recover: u64,
    },
    /// After a retransmission timeout, until `recover` is acknowledged.
    Timeout {
        recover: u64,
    },
}

/// F-RTO's steps after a timeout (RFC 5682 §2.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Frto {
    /// Step 2: the first unacknowledged segment was retransmitted; the next
    /// ACK tells.
    AwaitFirstAck,
    /// Step 3: two new segments went out; the next ACK tells.
    AwaitSecondAck,
}

/// What an arriving ACK did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AckOutcome {
    /// Sequence numbers newly acknowledged cumulatively.
    pub newly_acked: u64,
    /// The congestion window changed notably (traced).
    pub cwnd_event: Option<CwndCause>,
    /// Our FIN is now acknowledged.
    pub fin_acked: bool,
    /// The retransmission timer must be stopped (nothing outstanding) or
    /// restarted (new data acknowledged, more outstanding).
    pub timer: TimerAction,
    /// Send the first lost segment now, whatever the window (the fast
    /// retransmission, RFC 5681 §3.2 step 4; a NewReno partial ACK).
    pub retransmit_now: bool,
    /// F-RTO step 2b: send up to two new segments now, whatever the window.
    pub send_new: bool,
    /// BBR changed mode (traced).
    pub bbr: Option<BbrChange>,
    /// BBR's pacing rate moved enough to be shown again (traced).
    pub bbr_pacing: bool,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TimerAction {
    #[default]
    Keep,
    Stop,
    Restart,
}

#[derive(Clone, Debug)]
pub struct Sender {
    pub cfg: SenderConfig,
    /// Oldest unacknowledged sequence number.
    pub snd_una: u64,
    /// Next new sequence number to send (one past the highest sent).
    pub snd_nxt: u64,
    /// Sent segments not yet cumulatively acknowledged, in order.
    pub segments: VecDeque<Segment>,
    /// The pipe (RFC 6675 §4) in the window's unit, kept as segments change.
    pipe: u64,
    /// Counts kept as segments change, so that an ACK on a clean path does
    /// not walk the whole window: SACKed segments, and segments waiting to
    /// be sent again.
    sacked_count: usize,
    resend_count: usize,
    /// Congestion window and slow-start threshold, in `cfg.cwnd_unit`.
    pub cwnd: u64,
    pub ssthresh: u64,
    /// Packets acknowledged towards the next congestion-avoidance increase
    /// (Linux's `snd_cwnd_cnt`).
    ca_count: u64,
    /// The largest flight the window has carried (slow start grows only
    /// while the window is used: Linux's `tcp_is_cwnd_limited`).
    max_flight: u64,
    pub dupacks: u32,
    pub recovery: Recovery,
    frto: Option<Frto>,
    /// The window before a timeout, restored if it proves spurious.
    undo: Option<(u64, u64)>,
    /// When the first retransmission after a timeout left (Linux's
    /// `retrans_stamp`): an ACK echoing an earlier time was for an original.
    retrans_stamp: Option<SimTime>,
    pub srtt: Option<SimDuration>,
    pub rttvar: SimDuration,
    pub rto: SimDuration,
    /// The app will send no more data; the FIN goes after the last byte.
    pub fin_queued: bool,
    /// Our FIN's sequence number, once sent.
    pub fin_seq: Option<u64>,
    pub last_data_sent: Option<SimTime>,
    pub syn_sent_at: Option<SimTime>,
    pub syn_retransmitted: bool,
    pub slow_start_ended: bool,
    /// How far into the peer receiver's SACK log this sender has read.
    pub sack_seen: u32,
    /// Units newly SACKed since the last ACK was processed.
    newly_sacked: u64,
    /// PRR (RFC 6937 §3): the flight when recovery began, and units
    /// delivered and sent since.
    prr: Prr,
    /// Reno or CUBIC: the window's growth in congestion avoidance, its cut
    /// on a loss, and HyStart++.
    pub cc: Controller,
    /// RACK-TLP's state (`sender/rack.rs`).
    pub rack: Rack,
    /// Units newly taken for lost since the last ACK (BBR's window).
    newly_lost: u64,
    /// With pacing (BBR): the earliest time the next segment may leave.
    pub next_send_at: SimTime,
}

/// Proportional Rate Reduction's counters (RFC 6937 §3).
#[derive(Clone, Copy, Debug, Default)]
struct Prr {
    /// RecoverFS: the window before the cut.
    recover_fs: u64,
    delivered: u64,
    out: u64,
}

impl Sender {
    pub fn new(cfg: SenderConfig) -> Self {
        Sender {
            cfg,
            snd_una: 0,
            snd_nxt: 0,
            segments: VecDeque::new(),
            pipe: 0,
            sacked_count: 0,
            resend_count: 0,
            cwnd: cfg.initial_window(),
            ssthresh: SSTHRESH_INFINITE,
            ca_count: 0,
            max_flight: 0,
            dupacks: 0,
            recovery: Recovery::Open,
            frto: None,
            undo: None,
            retrans_stamp: None,
            srtt: None,
            rttvar: SimDuration::ZERO,
            rto: INITIAL_RTO,
            fin_queued: false,
            fin_seq: None,
            last_data_sent: None,
            syn_sent_at: None,
            syn_retransmitted: false,
            slow_start_ended: false,
            sack_seen: 0,
            newly_sacked: 0,
            prr: Prr::default(),
            cc: Controller::new(cfg.congestion, cfg.initial_window()),
            rack: Rack::default(),
            newly_lost: 0,
            next_send_at: SimTime(0),
        }
    }

    /// Sequence numbers sent and not yet cumulatively acknowledged.
    pub fn outstanding(&self) -> u64 {
        self.snd_nxt.saturating_sub(self.snd_una)
    }

    /// The pipe (RFC 6675 §4) in the window's unit.
    pub fn in_flight(&self) -> u64 {
        debug_assert_eq!(self.pipe, {
            let unit = self.cfg.cwnd_unit;
            self.segments.iter().filter(|s| s.in_flight()).map(|s| units(unit, s)).sum::<u64>()
        });
        debug_assert_eq!(self.sacked_count, self.segments.iter().filter(|s| s.sacked).count());
        debug_assert_eq!(self.resend_count, self.segments.iter().filter(|s| s.awaits_resend()).count());
        self.pipe
    }

    /// Changes segment `i` and keeps the pipe in step.
    fn update(&mut self, i: usize, change: impl FnOnce(&mut Segment)) {
        let unit = self.cfg.cwnd_unit;
        let s = &mut self.segments[i];
        let (before, was_sacked, awaited) = (s.in_flight(), s.sacked, s.awaits_resend());
        change(s);
        match (before, s.in_flight()) {
            (true, false) => self.pipe -= units(unit, s),
            (false, true) => self.pipe += units(unit, s),
            _ => {}
        }
        self.sacked_count = self.sacked_count + usize::from(s.sacked) - usize::from(was_sacked);
        self.resend_count = self.resend_count + usize::from(s.awaits_resend()) - usize::from(awaited);
    }

    /// Takes segment `i` for lost (to be sent again), unless SACKed or
    /// already waiting to go again.
    fn mark_lost(&mut self, i: usize, cause: LossCause) -> bool {
        let s = self.segments[i];
        if s.sacked || (s.lost && !s.retransmitted) {
            return false;
        }
        if cfg!(feature = "cubic") {
            self.newly_lost += units(self.cfg.cwnd_unit, &s);
        }
        self.update(i, |s| {
            s.lost = true;
            s.retransmitted = false;
            s.lost_cause = cause;
        });
        true
    }

    /// The congestion window in bytes, for the trace.
    pub fn cwnd_bytes(&self) -> u64 {
        self.to_bytes(self.cwnd)
    }

    pub fn ssthresh_bytes(&self) -> u64 {
        // BBR has no slow-start threshold.
        if self.ssthresh >= SSTHRESH_INFINITE || self.cc.owns_window() {
            return SSTHRESH_INFINITE;
        }
        self.to_bytes(self.ssthresh)
    }

    fn to_bytes(&self, v: u64) -> u64 {
        match self.cfg.cwnd_unit {
            CwndUnit::Packets => v * self.cfg.mss as u64,
            CwndUnit::Bytes => v,
        }
    }

    /// May a segment of `len` bytes (new data or a retransmission) leave
    /// now? Always one segment when nothing is in flight.
    pub fn window_allows(&self, len: u64) -> bool {
        let flight = self.in_flight();
        if flight == 0 || self.rack.probe_quota {
            return true;
        }
        let cost = match self.cfg.cwnd_unit {
            CwndUnit::Packets => 1,
            CwndUnit::Bytes => len,
        };
        flight + cost <= self.cwnd
    }

    /// Does the peer's receive window take `len` more new bytes? (The peer
    /// reads at once, so its window stays `rwnd_bytes`.)
    pub fn receive_window_allows(&self, len: u64) -> bool {
        match self.cfg.rwnd_bytes {
            Some(rwnd) => self.outstanding() == 0 || self.outstanding() + len <= rwnd,
            None => true,
        }
    }

    /// The first segment taken for lost and not yet sent again (RFC 6675
    /// NextSeg rule 1).
    pub fn next_retransmission(&self) -> Option<Segment> {
        if self.resend_count == 0 {
            return None;
        }
        self.segments.iter().find(|s| s.awaits_resend()).copied()
    }

    /// Records that `[seq, end)` left at `now` (new data or a copy).
    pub fn on_data_sent(&mut self, now: SimTime, seq: u64, end: u64) {
        if let (Some(last), true) = (self.last_data_sent, self.segments.is_empty()) {
            // Nothing was in flight: sending starts again after an idle time.
            self.cc.on_idle(now.since(last));
        }
        self.last_data_sent = Some(now);
        self.rack.probe_quota = false;
        // Nothing (`()`) in a build without BBR.
        #[allow(clippy::let_unit_value)]
        let rate = self.cc.on_sent(now, self.pipe);
        if seq >= self.snd_nxt {
            let s = Segment {
                start: seq,
                end,
                sent_at: now,
                sacked: false,
                lost: false,
                retransmitted: false,
                ever_retransmitted: false,
                lost_cause: LossCause::Timeout,
                rate,
            };
            self.pipe += units(self.cfg.cwnd_unit, &s);
            self.segments.push_back(s);
            self.snd_nxt = end;
            self.prr.out += units(self.cfg.cwnd_unit, &s);
        } else if let Some(i) = self.segment_at(seq) {
            self.prr.out += units(self.cfg.cwnd_unit, &self.segments[i]);
            if matches!(self.recovery, Recovery::Timeout { .. }) && self.retrans_stamp.is_none() {
                self.retrans_stamp = Some(now);
            }
            self.update(i, |s| {
                s.sent_at = now;
                s.rate = rate;
                s.ever_retransmitted = true;
                if s.lost {
                    s.retransmitted = true;
                }
            });
        }
        self.max_flight = self.max_flight.max(self.pipe);
    }

    /// The scoreboard index of the segment starting at `seq`.
    fn segment_at(&self, seq: u64) -> Option<usize> {
        let i = self.segments.partition_point(|s| s.start < seq);
        (self.segments.get(i)?.start == seq).then_some(i)
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
        self.rack.min_rtt = Some(self.rack.min_rtt.map_or(r, |m| m.min(r)));
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

    /// Marks `[start, end)` as held by the receiver (one SACKed range).
    pub fn on_sack(&mut self, now: SimTime, start: u64, end: u64) {
        if end <= self.snd_una {
            return;
        }
        let unit = self.cfg.cwnd_unit;
        let mut i = self.segments.partition_point(|s| s.start < start);
        while i < self.segments.len() && self.segments[i].end <= end {
            if !self.segments[i].sacked {
                self.newly_sacked += units(unit, &self.segments[i]);
                let s = self.segments[i];
                self.cc.on_delivered(now, units(unit, &s), s.sent_at, &s.rate);
                // An out-of-order arrival's ACK echoes the last in-order
                // segment's time (RFC 7323 §4.3), not this one's.
                self.rack_delivered(now, &s, None);
            }
            self.update(i, |s| s.sacked = true);
            i += 1;
        }
    }

    /// Processes the acknowledgment field of an arriving segment, after its
    /// SACK ranges ([`Sender::on_sack`]). `pure_ack`: the segment carries no
    /// data, SYN or FIN (only those count as duplicates, RFC 5681 §2).
    /// `echo`: the send time its timestamp echoes (TSecr), if any.
    pub fn on_ack(&mut self, now: SimTime, ack: u64, pure_ack: bool, echo: Option<SimTime>) -> AckOutcome {
        let mut out = AckOutcome::default();
        let unit = self.cfg.cwnd_unit;
        let one = self.cfg.one_segment();
        let flight_before = self.in_flight();
        let recovery_before = self.recovery;
        let mut rtt = None;
        let mut delivered = std::mem::take(&mut self.newly_sacked);
        // A probe's answer first, as Linux's `tcp_process_tlp_ack` (before
        // the window grows).
        let duplicate = pure_ack && ack == self.snd_una && delivered == 0;
        self.tlp_on_ack(&mut out, ack, duplicate);
        if ack > self.snd_una && ack <= self.snd_nxt {
            out.newly_acked = ack - self.snd_una;
            self.snd_una = ack;
            self.dupacks = 0;
            let mut acked_units = 0;
            let mut karn_sample = None;
            while let Some(front) = self.segments.front() {
                if front.end > ack {
                    break;
                }
                let s = self.segments.pop_front().expect("front exists");
                if s.in_flight() {
                    self.pipe -= units(unit, &s);
                }
                self.sacked_count -= usize::from(s.sacked);
                self.resend_count -= usize::from(s.awaits_resend());
                if karn_sample.is_none() && !s.ever_retransmitted {
                    karn_sample = Some(now.since(s.sent_at));
                }
                if !s.sacked {
                    acked_units += units(unit, &s);
                    self.rack_delivered(now, &s, echo);
                    self.cc.on_delivered(now, units(unit, &s), s.sent_at, &s.rate);
                }
            }
            delivered += acked_units;
            // RFC 7323 §4.1: with timestamps, every ACK of new data is timed
            // from the send time it echoes; without, Karn's rule.
            let sample = match (self.cfg.timestamps, echo) {
                (true, Some(echoed)) => Some(now.since(echoed)),
                _ => karn_sample,
            };
            rtt = sample;
            if let Some(r) = sample {
                self.rtt_sample(r);
            } else {
                // A new ACK undoes exponential backoff (RFC 6298 §5.7 keeps
                // the backed-off value only until a new sample).
                self.rto = self.computed_rto();
            }
            if let Some(fin) = self.fin_seq {
                if ack > fin {
                    out.fin_acked = true;
                }
            }
            if self.spurious_by_timestamp(echo) {
                self.undo_timeout(&mut out);
            } else {
                let acked = Acked { now, ack, units: acked_units, flight_before, sample };
                self.on_new_ack(&mut out, acked);
            }
            out.timer = if self.snd_una >= self.snd_nxt { TimerAction::Stop } else { TimerAction::Restart };
        } else if ack == self.snd_una && pure_ack && self.outstanding() > 0 {
            self.dupacks += 1;
            if self.frto.is_some() {
                // RFC 5682 step 2a / 3a: a duplicate ACK after the timeout
                // means the timeout was real.
                self.frto_fails();
            } else if matches!(self.recovery, Recovery::Fast { .. })
                && self.cfg.recovery == LossRecovery::NewReno
                && !self.cc.owns_window()
            {
                // Window inflation: each duplicate ACK means a segment left the network.
                self.cwnd += one;
            }
        }
        self.detect_loss(&mut out, now);
        if self.cc.owns_window() {
            self.bbr_on_ack(now, &mut out, delivered, flight_before, recovery_before, rtt);
        } else if let (Recovery::Fast { .. }, LossRecovery::Sack) = (self.recovery, self.cfg.recovery) {
            if out.cwnd_event != Some(CwndCause::FastRetransmit) {
                self.prr_update(delivered);
            }
        }
        out
    }

    fn on_new_ack(&mut self, out: &mut AckOutcome, acked: Acked) {
        let (ack, acked_units) = (acked.ack, acked.units);
        let one = self.cfg.one_segment();
        match self.frto {
            Some(Frto::AwaitFirstAck) => {
                // Step 2b: the ACK advanced. Send two new segments instead of
                // going back; if the next ACK acknowledges new data too, the
                // originals were not lost.
                if ack < self.snd_nxt {
                    self.frto = Some(Frto::AwaitSecondAck);
                    self.cwnd = self.in_flight() + 2 * one;
                    out.send_new = true;
                    return;
                }
                self.frto = None;
                self.undo = None;
            }
            Some(Frto::AwaitSecondAck) => {
                // Step 3b: spurious timeout.
                self.undo_timeout(out);
                return;
            }
            None => {}
        }
        match self.recovery {
            Recovery::Fast { recover } if ack >= recover => {
                // Everything sent before the loss is acknowledged. SACK
                // recovery ends at ssthresh (RFC 6675 §5; Linux's
                // `tcp_end_cwnd_reduction`); NewReno deflates to what is in
                // flight plus one, to avoid a burst (RFC 6582 §3.2 step 3).
                self.recovery = Recovery::Open;
                // BBR restores its own window (`bbr_on_ack`).
                if !self.cc.owns_window() {
                    self.cwnd = match self.cfg.recovery {
                        LossRecovery::Sack => self.ssthresh,
                        LossRecovery::NewReno => self.ssthresh.min(self.in_flight().max(one) + one),
                    }
                    .max(one);
                }
                out.cwnd_event = Some(CwndCause::RecoveryDone);
                return;
            }
            Recovery::Timeout { recover } if ack >= recover => {
                // Repaired after a timeout: slow start carries on.
                self.recovery = Recovery::Open;
                self.undo = None;
                self.retrans_stamp = None;
            }
            Recovery::Fast { .. } => {
                match self.cfg.recovery {
                    LossRecovery::NewReno => {
                        // Partial acknowledgment: retransmit the next hole and
                        // deflate by the amount acknowledged (RFC 6582 §3.2 step 4).
                        if !self.segments.is_empty() && self.mark_lost(0, LossCause::PartialAck) {
                            out.retransmit_now = true;
                        }
                        if !self.cc.owns_window() {
                            self.cwnd = self.cwnd.saturating_sub(acked_units).max(one) + one;
                            out.cwnd_event = Some(CwndCause::PartialAck);
                        }
                    }
                    LossRecovery::Sack => {}
                }
                return;
            }
            Recovery::Timeout { .. } | Recovery::Open => {}
        }
        self.grow(out, acked);
    }

    /// Called when the handshake completes, with the SYN round trip if it
    /// can be measured (Karn: not if the SYN or SYN-ACK was retransmitted).
    pub fn on_established(&mut self, handshake_rtt: Option<SimDuration>) {
        match handshake_rtt {
            Some(r) if !self.syn_retransmitted => self.rtt_sample(r),
            _ if self.syn_retransmitted => {
                self.rto = RTO_AFTER_SYN_LOSS;
                // RFC 5681 §3.1 / RFC 6928: a lost SYN shrinks IW to one segment.
                self.cwnd = self.cfg.one_segment();
            }
            _ => {}
        }
    }
}

fn units(unit: CwndUnit, s: &Segment) -> u64 {
    match unit {
        CwndUnit::Packets => 1,
        CwndUnit::Bytes => s.end - s.start,
    }
}

#[cfg(test)]
#[path = "sender_tests.rs"]
mod tests;
