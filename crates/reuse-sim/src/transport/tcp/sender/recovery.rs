//! Loss recovery of a TCP sender: how losses are found and what the
//! window does about them, apart from the sender's bookkeeping and growth
//! (`sender.rs`). Duplicate ACKs and the SACK scoreboard mark segments lost
//! and enter fast recovery (RFC 5681 §3.2, RFC 6675, NewReno RFC 6582),
//! paced by Proportional Rate Reduction (RFC 6937); a retransmission
//! timeout resets the window (RFC 6298 §5, RFC 5681 §3.1) with F-RTO's
//! steps (RFC 5682); a timeout found spurious (F-RTO or Eifel, RFC 3522) is
//! undone as Linux's `tcp_try_undo_loss`.

use super::*;

impl Sender {
    /// RFC 6937 §3 with slow-start reduction bound (PRR-SSRB, Linux's
    /// `tcp_cwnd_reduction`): during recovery the window follows what the
    /// network delivers, proportionally while the pipe is above ssthresh,
    /// then growing back towards it.
    pub(super) fn prr_update(&mut self, delivered: u64) {
        self.prr.delivered += delivered;
        let pipe = self.in_flight();
        let sndcnt = if pipe > self.ssthresh {
            (self.prr.delivered * self.ssthresh)
                .div_ceil(self.prr.recover_fs.max(1))
                .saturating_sub(self.prr.out)
        } else {
            let limit =
                self.prr.delivered.saturating_sub(self.prr.out).max(delivered) + self.cfg.one_segment();
            (self.ssthresh - pipe).min(limit)
        };
        self.cwnd = pipe + sndcnt;
    }

    /// Eifel detection (RFC 3522), as Linux's `tcp_packet_delayed`: after a
    /// timeout, an ACK of new data that echoes a send time before the first
    /// retransmission was sent for the original: the timeout was spurious.
    pub(super) fn spurious_by_timestamp(&self, echo: Option<SimTime>) -> bool {
        match (self.recovery, self.retrans_stamp, echo) {
            (Recovery::Timeout { .. }, Some(retransmitted), Some(echoed)) => {
                self.cfg.timestamps && self.undo.is_some() && echoed < retransmitted
            }
            _ => false,
        }
    }

    /// A spurious timeout: undo the reduction (Linux's `tcp_try_undo_loss`)
    /// and carry on from where the sender was.
    pub(super) fn undo_timeout(&mut self, out: &mut AckOutcome) {
        if let Some((cwnd, ssthresh)) = self.undo.take() {
            self.cwnd = cwnd;
            self.ssthresh = ssthresh;
        }
        self.frto = None;
        self.retrans_stamp = None;
        self.recovery = Recovery::Open;
        for i in 0..self.segments.len() {
            self.update(i, |s| {
                s.lost = false;
                s.retransmitted = false;
            });
        }
        out.cwnd_event = Some(CwndCause::SpuriousTimeout);
    }

    /// Marks segments lost (SACK: three SACKed segments above; NewReno:
    /// the third duplicate ACK) and enters fast recovery on a new loss.
    pub(super) fn detect_loss(&mut self, out: &mut AckOutcome, now: SimTime) {
        if self.frto.is_some() || matches!(self.recovery, Recovery::Timeout { .. }) {
            if self.cfg.recovery == LossRecovery::Sack && self.frto.is_none() {
                self.mark_sack_losses();
                self.rack_detect_loss(now);
            }
            return;
        }
        let newly_lost = match self.cfg.recovery {
            LossRecovery::Sack => {
                let lost = self.mark_sack_losses() | self.rack_detect_loss(now);
                // RFC 6675 §5: three duplicate ACKs also mean a loss, SACK or not.
                if !lost && self.dupacks >= DUPACK_THRESHOLD && self.recovery == Recovery::Open {
                    self.mark_head_lost(LossCause::DuplicateAcks)
                } else {
                    lost
                }
            }
            LossRecovery::NewReno => {
                self.dupacks == DUPACK_THRESHOLD
                    && self.recovery == Recovery::Open
                    && self.mark_head_lost(LossCause::DuplicateAcks)
            }
        };
        if newly_lost && self.recovery == Recovery::Open {
            let one = self.cfg.one_segment();
            let prior_cwnd = self.cwnd;
            self.ssthresh = self.reduced_ssthresh();
            self.recovery = Recovery::Fast { recover: self.snd_nxt };
            // BBR keeps the window it had: it saves it and conserves
            // packets itself (`bbr_on_ack`), as Linux's `bbr_ssthresh`.
            if !self.cc.owns_window() {
                self.cwnd = match self.cfg.recovery {
                    // PRR takes over from here (`prr_update`); the fast
                    // retransmission itself goes whatever the window.
                    LossRecovery::Sack => {
                        // Linux divides by the window before the cut (`prior_cwnd`).
                        self.prr = Prr { recover_fs: prior_cwnd, delivered: 0, out: 0 };
                        self.in_flight()
                    }
                    LossRecovery::NewReno => self.ssthresh + DUPACK_THRESHOLD as u64 * one,
                };
            }
            self.ca_count = 0;
            self.undo = None;
            self.rack.tlp_end = None;
            out.cwnd_event = Some(CwndCause::FastRetransmit);
            out.retransmit_now = true;
        }
    }

    /// The cut on a loss or timeout: Reno halves (Linux's
    /// `tcp_reno_ssthresh` halves cwnd; RFC 5681 eq. 4 halves the flight,
    /// in bytes), CUBIC keeps β = 0.7 of it (RFC 9438 §4.6); never below
    /// two segments.
    pub(super) fn reduced_ssthresh(&mut self) -> u64 {
        let (basis, floor) = match self.cfg.cwnd_unit {
            CwndUnit::Packets => (self.cwnd, 2),
            CwndUnit::Bytes => (self.outstanding(), 2 * self.cfg.mss as u64),
        };
        self.cc.ssthresh_after_loss(self.cwnd, basis, floor)
    }

    pub(super) fn mark_head_lost(&mut self, cause: LossCause) -> bool {
        match self.segments.front() {
            Some(head) if !head.sacked && !head.lost => self.mark_lost(0, cause),
            _ => false,
        }
    }

    /// RFC 6675 §4 IsLost: a segment with at least DupThresh SACKed
    /// segments above it is lost. Returns whether one was newly marked.
    pub(super) fn mark_sack_losses(&mut self) -> bool {
        // Fewer than DupThresh SACKed segments in all: nothing to walk.
        if self.sacked_count < DUPACK_THRESHOLD as usize {
            return false;
        }
        let mut sacked_above = 0;
        let mut newly = false;
        for i in (0..self.segments.len()).rev() {
            let s = self.segments[i];
            if s.sacked {
                sacked_above += 1;
            } else if sacked_above >= DUPACK_THRESHOLD && !s.lost {
                newly |= self.mark_lost(i, LossCause::Sack);
            }
        }
        newly
    }

    /// The retransmission timer fired with data (or SYN/FIN) outstanding:
    /// RFC 5681 §3.1 eq. 4 and RFC 6298 §5.5–5.6, with F-RTO's first step.
    pub fn on_timeout(&mut self, handshake: bool) {
        self.rto = SimDuration(self.rto.0.saturating_mul(2)).min(MAX_RTO);
        if handshake {
            self.syn_retransmitted = true;
            return;
        }
        let first_timeout = !matches!(self.recovery, Recovery::Timeout { .. });
        // Linux's `tcp_retransmit_timer`: a probe's episode ends here.
        self.rack.tlp_end = None;
        self.rack.reorder_at = None;
        let cwnd = self.cwnd;
        if let Some(bbr) = self.cc.bbr() {
            bbr.on_timeout(cwnd);
        }
        if first_timeout {
            self.retrans_stamp = None;
            self.undo = Some((self.cwnd, self.ssthresh));
            self.ssthresh = self.reduced_ssthresh();
        }
        self.cwnd = self.cfg.one_segment();
        self.ca_count = 0;
        self.max_flight = 0;
        self.dupacks = 0;
        self.slow_start_ended = true;
        self.recovery = Recovery::Timeout { recover: self.snd_nxt };
        // F-RTO (RFC 5682) works on the first timeout of a flight: take
        // only the first segment for lost until the next ACKs tell.
        if self.cfg.frto && first_timeout && self.frto.is_none() {
            self.frto = Some(Frto::AwaitFirstAck);
            if !self.segments.is_empty() {
                self.mark_lost(0, LossCause::Timeout);
            }
        } else {
            self.frto = None;
            self.mark_all_lost();
        }
    }

    pub(super) fn mark_all_lost(&mut self) {
        for i in 0..self.segments.len() {
            self.mark_lost(i, LossCause::Timeout);
        }
    }

    /// F-RTO found the timeout real (a duplicate ACK, RFC 5682 steps 2a and
    /// 3a): conventional recovery, every unSACKed segment lost, slow start
    /// from one segment (from three after step 3a).
    pub fn frto_fails(&mut self) {
        if self.frto == Some(Frto::AwaitSecondAck) {
            self.cwnd = 3 * self.cfg.one_segment();
        }
        self.frto = None;
        self.undo = None;
        self.mark_all_lost();
    }

    /// F-RTO step 2b had no new data to send: it cannot tell, so
    /// conventional recovery (RFC 5682 §2.1).
    pub fn frto_no_new_data(&mut self) {
        if self.frto == Some(Frto::AwaitSecondAck) {
            self.frto = None;
            self.cwnd = self.cfg.one_segment();
            self.mark_all_lost();
        }
    }
}
