//! RACK-TLP loss detection (RFC 8985), as Linux runs it by default
//! (`tcp_recovery = 1`, `tcp_early_retrans = 3`), beside the three-SACK
//! rule of `recovery.rs`:
//!
//! - **RACK** (§6): a segment is lost once a segment sent after it has
//!   arrived (acknowledged or SACKed) and a round trip plus a reordering
//!   window has passed since it left. Time, not counts: one SACKed segment
//!   above a hole is enough, and a lost retransmission is found too.
//! - **TLP** (§7): with data in flight and no SACK yet, a probe timer of
//!   2·SRTT replaces the retransmission timer. When it fires, one segment
//!   goes (new data if there is some, else the last segment again) so that
//!   its ACK (and SACK) lets RACK find a lost tail, in about one round trip
//!   and without the timeout's fall to one segment.
//!
//! Simplifications: no reordering is ever seen (the links keep order), so
//! the reordering window stays min RTT / 4 (§6.2 step 4, `reo_wnd_mult` 1)
//! and is zero in recovery or with three SACKed segments; there are no
//! DSACKs, so a probe that repaired a loss is known as Linux knows it
//! without one: an ACK beyond the probe.

use super::*;

/// RFC 8985 §7.2: WCDelAckT, the worst case of the receiver's delayed-ACK
/// timer, added to the probe timeout when one segment is in flight (its
/// ACK may be delayed that long).
pub const WORST_CASE_DELAYED_ACK: SimDuration = SimDuration::from_millis(200);

/// RFC 8985 §6.2 step 4: the reordering window is min RTT / 4.
const REORDERING_WINDOW_DIVISOR: u64 = 4;

/// What the sender's one loss timer is armed for (Linux's `icsk_pending`:
/// the retransmission timeout, the loss probe and RACK's reordering
/// timeout share one timer).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LossTimer {
    #[default]
    Retransmission,
    /// RFC 8985 §7.2: the probe timeout (PTO).
    Probe,
    /// RFC 8985 §6.3: a segment not yet old enough to be lost will be.
    Reordering,
}

/// RACK's and TLP's variables (RFC 8985 §5.2, §7).
#[derive(Clone, Copy, Debug, Default)]
pub struct Rack {
    /// RACK.xmit_ts and RACK.end_seq: the latest send time of a segment the
    /// receiver has, and its end.
    xmit_ts: Option<SimTime>,
    end_seq: u64,
    /// RACK.rtt: that segment's round trip.
    rtt: SimDuration,
    /// RACK.min_RTT.
    pub(super) min_rtt: Option<SimDuration>,
    /// TLP.end_seq: a probe is out until an ACK reaches here.
    pub(super) tlp_end: Option<u64>,
    /// TLP.is_retrans: the probe sent the last segment again.
    tlp_retrans: bool,
    /// When a segment RACK could not yet call lost will be (§6.3).
    pub(super) reorder_at: Option<SimTime>,
    /// The probe may leave whatever the window (one segment).
    pub(super) probe_quota: bool,
    /// What the loss timer is armed for.
    pub timer: LossTimer,
}

/// RFC 8985 §6.2 RACK_sent_after: was (t1, seq1) sent after (t2, seq2)?
fn sent_after(t1: SimTime, seq1: u64, t2: SimTime, seq2: u64) -> bool {
    t1 > t2 || (t1 == t2 && seq1 > seq2)
}

impl Sender {
    /// RFC 8985 §6.2 steps 1–2 (RACK_update), for a segment newly
    /// acknowledged or SACKed; `echo`: the timestamp the ACK echoes, when
    /// it is this segment's (a cumulative ACK).
    pub(super) fn rack_delivered(&mut self, now: SimTime, s: &Segment, echo: Option<SimTime>) {
        if !self.cfg.rack_tlp {
            return;
        }
        let rtt = now.since(s.sent_at);
        // A retransmitted segment whose ACK echoes an earlier send, or came
        // sooner than any round trip, was for its original: it says
        // nothing of the copy (§6.2 step 2).
        if s.ever_retransmitted
            && ((self.cfg.timestamps && echo.is_some_and(|e| e < s.sent_at))
                || self.rack.min_rtt.is_some_and(|m| rtt < m))
        {
            return;
        }
        self.rack.rtt = rtt;
        let newer = match self.rack.xmit_ts {
            Some(t) => sent_after(s.sent_at, s.end, t, self.rack.end_seq),
            None => true,
        };
        if newer {
            self.rack.xmit_ts = Some(s.sent_at);
            self.rack.end_seq = s.end;
        }
    }

    /// RFC 8985 §6.2 step 4: the reordering window. No reordering is ever
    /// seen here, so it is zero in recovery or with DupThresh segments
    /// SACKed, else min RTT / 4 (at most SRTT).
    fn reordering_window(&self) -> SimDuration {
        if self.recovery != Recovery::Open || self.sacked_count >= DUPACK_THRESHOLD as usize {
            return SimDuration::ZERO;
        }
        let quarter =
            SimDuration(self.rack.min_rtt.unwrap_or(SimDuration::ZERO).0 / REORDERING_WINDOW_DIVISOR);
        self.srtt.map_or(quarter, |srtt| quarter.min(srtt))
    }

    /// RFC 8985 §6.2 step 5 (RACK_detect_loss): marks lost every segment
    /// sent before the latest delivered one, a round trip plus the
    /// reordering window ago; keeps when the next one will be (the
    /// reordering timer). Returns whether one was newly marked.
    pub(super) fn rack_detect_loss(&mut self, now: SimTime) -> bool {
        self.rack.reorder_at = None;
        let Some(xmit_ts) = self.rack.xmit_ts else { return false };
        if !self.cfg.rack_tlp {
            return false;
        }
        // Everything in flight was sent in order after what arrived unless
        // a segment was SACKed or sent again: nothing to walk.
        if self.sacked_count == 0 && self.recovery == Recovery::Open && self.rack.tlp_end.is_none() {
            return false;
        }
        let window = self.rack.rtt + self.reordering_window();
        let mut newly = false;
        let mut later: Option<SimTime> = None;
        for i in 0..self.segments.len() {
            let s = self.segments[i];
            if !sent_after(xmit_ts, self.rack.end_seq, s.sent_at, s.end) {
                // Originals leave in sequence order, and a copy leaves after
                // its original: past the first original sent after RACK's
                // segment, every segment was (Linux walks a time-sorted
                // queue for the same reason).
                if !s.ever_retransmitted {
                    break;
                }
                continue;
            }
            if s.sacked || s.awaits_resend() {
                continue;
            }
            let lost_at = s.sent_at + window;
            if lost_at <= now {
                newly |= self.mark_lost(i, LossCause::Rack);
            } else {
                later = Some(later.map_or(lost_at, |t| t.max(lost_at)));
            }
        }
        self.rack.reorder_at = later;
        newly
    }

    /// May a tail loss probe be scheduled now (RFC 8985 §7.2)? Data in
    /// flight, no recovery, no SACK yet, no probe out, an RTT known.
    fn probe_allowed(&self) -> bool {
        self.cfg.rack_tlp
            && self.recovery == Recovery::Open
            && self.frto.is_none()
            && self.sacked_count == 0
            && self.rack.tlp_end.is_none()
            && self.srtt.is_some()
            && !self.segments.is_empty()
    }

    /// When the retransmission timer would fire if (re)started for the
    /// first unacknowledged segment (Linux's `tcp_rearm_rto`).
    pub fn rto_deadline(&self, now: SimTime) -> SimTime {
        let head = self.segments.front().map_or(now, |s| s.sent_at);
        (head + self.rto).max(now)
    }

    /// The loss timer to arm after new data went out or an ACK came
    /// (`on_ack`), and when: RACK's reordering timeout if a segment is
    /// waiting to be called lost; else the probe timeout (RFC 8985 §7.2:
    /// 2·SRTT, plus WCDelAckT with one segment in flight, never after the
    /// RTO would fire: an RTO from now on an ACK of new data, which
    /// restarts it, else from the first segment's send, as Linux's
    /// `tcp_schedule_loss_probe`); else the retransmission timeout.
    pub fn loss_timer(&self, now: SimTime, on_ack: bool) -> (SimTime, LossTimer) {
        let rto_at = if on_ack { now + self.rto } else { self.rto_deadline(now) };
        if let Some(at) = self.rack.reorder_at {
            return (at.min(rto_at), LossTimer::Reordering);
        }
        if !self.probe_allowed() {
            return (now + self.rto, LossTimer::Retransmission);
        }
        let srtt = self.srtt.unwrap_or(INITIAL_RTO);
        let mut pto = SimDuration(2 * srtt.0);
        if self.segments.len() == 1 {
            pto = pto + WORST_CASE_DELAYED_ACK;
        }
        ((now + pto).min(rto_at), LossTimer::Probe)
    }

    /// A segment RACK could not yet call lost is waiting (its timer must run).
    pub fn reordering_pending(&self) -> bool {
        self.rack.reorder_at.is_some()
    }

    /// RACK's reordering timer fired: what was waiting is lost now; recovery
    /// starts as on an ACK (`detect_loss`).
    pub fn on_reordering_timeout(&mut self, now: SimTime) -> AckOutcome {
        let mut out = AckOutcome::default();
        let (flight, recovery) = (self.pipe, self.recovery);
        self.detect_loss(&mut out, now);
        if self.cc.owns_window() {
            self.bbr_on_ack(now, &mut out, 0, flight, recovery, None);
        }
        out
    }

    /// The probe timer fired: may the probe go? If so the next segment may
    /// leave whatever the window (new data first, RFC 8985 §7.3).
    pub fn start_probe(&mut self) -> bool {
        if !self.probe_allowed() {
            return false;
        }
        self.rack.probe_quota = true;
        true
    }

    /// The probe left: new data (up to `snd_nxt`) or the last segment again.
    pub fn probe_sent(&mut self, retransmission: bool) {
        self.rack.probe_quota = false;
        self.rack.tlp_end = Some(self.snd_nxt);
        self.rack.tlp_retrans = retransmission;
    }

    /// RFC 8985 §7.4 (and Linux's `tcp_process_tlp_ack`, as there are no
    /// DSACKs): an ACK beyond a probe that sent the last segment again
    /// means the original was lost and the probe repaired it: the window is
    /// cut as after a fast recovery. A duplicate ACK at the probe means
    /// both arrived: no loss.
    pub(super) fn tlp_on_ack(&mut self, out: &mut AckOutcome, ack: u64, duplicate: bool) {
        let Some(end) = self.rack.tlp_end else { return };
        if ack < end {
            return;
        }
        if !self.rack.tlp_retrans {
            self.rack.tlp_end = None;
        } else if ack > end {
            self.rack.tlp_end = None;
            if self.recovery == Recovery::Open && !self.cc.owns_window() {
                self.ssthresh = self.reduced_ssthresh();
                self.cwnd = self.ssthresh;
                self.ca_count = 0;
                self.slow_start_ended = true;
                out.cwnd_event = Some(CwndCause::TailLossProbe);
            }
        } else if duplicate {
            self.rack.tlp_end = None;
        }
    }
}

#[cfg(test)]
#[path = "rack_tests.rs"]
mod tests;
