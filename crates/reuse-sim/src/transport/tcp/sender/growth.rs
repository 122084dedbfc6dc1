//! The window's growth on an ACK of new data: slow start (RFC 5681 §3.1,
//! Linux's `tcp_slow_start`, HyStart++ for CUBIC) and congestion avoidance
//! (Reno's one segment per round trip, or CUBIC's curve), and the restart
//! after idle (RFC 5681 §4.1), apart from loss recovery (`recovery.rs`),
//! BBR's window (`bbr.rs`) and the sender's bookkeeping (`sender.rs`).

use super::*;
use crate::transport::congestion::SlowStartStep;

/// An ACK of new data, as growth sees it.
#[derive(Clone, Copy, Debug)]
pub(super) struct Acked {
    pub(super) now: SimTime,
    pub(super) ack: u64,
    /// Units newly acknowledged cumulatively.
    pub(super) units: u64,
    pub(super) flight_before: u64,
    pub(super) sample: Option<SimDuration>,
}

impl Sender {
    /// RFC 5681 §4.1 restart window, as Linux does it
    /// (`tcp_cwnd_restart`): before sending new data after an idle period
    /// longer than the RTO, the window halves for every RTO of idleness,
    /// down to the initial window.
    pub fn restart_after_idle(&mut self, now: SimTime) -> bool {
        if !self.cfg.slow_start_after_idle || self.outstanding() > 0 {
            return false;
        }
        let Some(last) = self.last_data_sent else { return false };
        let idle = now.since(last);
        if idle <= self.rto {
            return false;
        }
        let restart = self.cfg.initial_window().min(self.cwnd);
        let before = self.cwnd;
        let mut left = idle.0;
        while left > self.rto.0 && self.cwnd > restart {
            left -= self.rto.0;
            self.cwnd /= 2;
        }
        self.cwnd = self.cwnd.max(restart);
        self.max_flight = 0;
        self.cwnd < before
    }

    /// Slow start and congestion avoidance (Reno, RFC 5681 §3.1; in packets
    /// as Linux's `tcp_slow_start` and `tcp_cong_avoid_ai`; CUBIC's and
    /// HyStart++'s from the [`Controller`]).
    pub(super) fn grow(&mut self, out: &mut AckOutcome, ack: Acked) {
        let acked = ack.units;
        // BBR's window is set after the ACK (`bbr_on_ack`).
        if acked == 0 || self.cc.owns_window() {
            return;
        }
        let mss = self.cfg.mss as u64;
        let one = self.cfg.one_segment();
        // Linux grows the window only while it is used: up to twice the
        // largest flight it carried.
        let used = self.cwnd < 2 * self.max_flight.max(ack.flight_before);
        if self.cwnd < self.ssthresh {
            if !used {
                return;
            }
            let acked = match self.cfg.cwnd_unit {
                CwndUnit::Packets => acked,
                CwndUnit::Bytes => acked.min(ABC_LIMIT_SEGMENTS * mss),
            };
            let initial = !self.slow_start_ended;
            match self.cc.slow_start(acked, one, ack.sample, ack.ack, self.snd_nxt, initial) {
                SlowStartStep::Grow(by) => self.cwnd += by,
                SlowStartStep::EnterCss(by) => {
                    self.cwnd += by;
                    out.cwnd_event = Some(CwndCause::ConservativeSlowStart);
                }
                SlowStartStep::Exit => {
                    // RFC 9406 §4.2: after CSS_ROUNDS rounds, ssthresh = cwnd.
                    self.ssthresh = self.cwnd;
                    self.slow_start_ended = true;
                    out.cwnd_event = Some(CwndCause::HystartExit);
                    return;
                }
            }
            if self.cwnd >= self.ssthresh && !self.slow_start_ended {
                self.slow_start_ended = true;
                out.cwnd_event = Some(CwndCause::SlowStartEnd);
            }
        } else if let Some(next) =
            self.cc.avoidance(ack.now, self.cwnd, acked, one, self.srtt.unwrap_or(SimDuration::ZERO), used)
        {
            self.cwnd = next.max(self.cwnd);
        } else {
            match self.cfg.cwnd_unit {
                CwndUnit::Packets => {
                    self.ca_count += acked;
                    if self.ca_count >= self.cwnd {
                        self.ca_count -= self.cwnd;
                        self.cwnd += 1;
                    }
                }
                // RFC 5681 eq. 3: about one MSS per round trip.
                CwndUnit::Bytes => self.cwnd += (mss * mss / self.cwnd).max(1),
            }
        }
    }
}
