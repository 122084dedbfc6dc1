//! BBR's side of the sender (`transport/congestion/bbr.rs` is BBR itself):
//! the window it sets after each ACK, the pacing clock, and when the
//! application is the limit.

use super::*;
use crate::transport::congestion::{BbrAck, RecoveryStep};

impl Sender {
    /// BBR sets the window (and its pacing rate) from the ACK's delivery
    /// sample, whatever recovery did to it (Linux's `bbr_main`).
    pub(super) fn bbr_on_ack(
        &mut self,
        now: SimTime,
        out: &mut AckOutcome,
        delivered: u64,
        prior_in_flight: u64,
        recovery_before: Recovery,
        rtt: Option<SimDuration>,
    ) {
        let recovery = match (recovery_before, self.recovery) {
            (Recovery::Open, Recovery::Fast { .. }) => RecoveryStep::Entered,
            (Recovery::Fast { .. } | Recovery::Timeout { .. }, Recovery::Open) => RecoveryStep::Exited,
            _ => RecoveryStep::None,
        };
        let min_rtt = self.rack.min_rtt;
        let lost = std::mem::take(&mut self.newly_lost);
        let (one, bytes_per_unit) = (self.cfg.one_segment(), self.bytes_per_unit());
        let (cwnd, in_flight) = (self.cwnd, self.pipe);
        let Some(bbr) = self.cc.bbr() else { return };
        let sample = bbr.sampler.generate(min_rtt);
        let ack = BbrAck {
            now,
            cwnd,
            delivered,
            lost,
            prior_in_flight,
            in_flight,
            rtt,
            sample,
            recovery,
            one,
            bytes_per_unit,
        };
        let (cwnd, change) = bbr.on_ack(ack);
        self.cwnd = cwnd;
        out.bbr = change;
        out.bbr_pacing = bbr.pacing_report().is_some();
    }

    /// Bytes in one unit of the window: the MSS when it counts packets.
    pub fn bytes_per_unit(&self) -> u64 {
        match self.cfg.cwnd_unit {
            CwndUnit::Packets => self.cfg.mss as u64,
            CwndUnit::Bytes => 1,
        }
    }

    /// With pacing (BBR): when the next segment may leave, if later than
    /// `now`.
    pub fn paced_until(&self, now: SimTime) -> Option<SimTime> {
        (self.cc.owns_window() && self.next_send_at > now).then_some(self.next_send_at)
    }

    /// A packet of `wire_bytes` left at `now`: the pacing clock moves on by
    /// its time at the pacing rate (Linux's `tcp_update_skb_after_send`).
    pub fn on_paced(&mut self, now: SimTime, wire_bytes: u64) {
        let (cwnd, srtt, bytes_per_unit) = (self.cwnd, self.srtt, self.bytes_per_unit());
        let Some(bbr) = self.cc.bbr() else { return };
        bbr.init_pacing(cwnd, srtt, bytes_per_unit);
        let gap = bbr.pacing_gap(wire_bytes);
        self.next_send_at = self.next_send_at.max(now) + gap;
    }

    /// The application has nothing more to send and the window has room:
    /// rate samples until this flight is delivered are the application's.
    pub fn on_app_limited(&mut self) {
        if self.pipe < self.cwnd {
            self.cc.on_app_limited(self.pipe);
        }
    }
}
