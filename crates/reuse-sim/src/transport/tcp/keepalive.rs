//! TCP keep-alive on the client's socket (`tcp.keepalive`, `SO_KEEPALIVE`;
//! RFC 1122 §4.2.3.6, RFC 9293 §3.8.4), as Linux's `tcp_keepalive_timer`:
//!
//! - after `idle` with nothing received, and nothing of its own waiting
//!   for an acknowledgment (the retransmission timer watches that), the
//!   client sends a probe: no data, SEG.SEQ = SND.NXT − 1, so the peer,
//!   seeing a segment below its window, answers with an ACK;
//! - anything received starts the idle time over and clears the count;
//! - after `probes` unanswered probes `interval` apart, the client resets
//!   the connection and reports ETIMEDOUT: idle + probes × interval after
//!   the last thing it heard (Linux's defaults: 7200 + 9 × 75 s = 7875 s).
//!
//! The timer runs only while the client's end is ESTABLISHED or CLOSE-WAIT
//! and stops when the connection closes, so probes never outlive it; a run
//! still ends at its drain deadline after the page (see `engine::run`).

use crate::engine::{Ev, Net};
use crate::scenario::TcpKeepalive;
use crate::time::SimDuration;
use crate::trace::ConnId;
#[cfg(feature = "keepalive")]
use crate::{
    scheduler::TimerFire,
    trace::{CloseReason, EventKind, Flags, PacketNote, Side, TcpState, TcpTimeout},
    transport::Application,
};

/// Linux's `tcp_retries2` (15) as the time it allows (`tcp_write_timeout`,
/// `retransmits_timed_out`): the retransmissions of an RTO doubling from
/// TCP_RTO_MIN (200 ms) to TCP_RTO_MAX (120 s), (2^10 − 1) × 0.2 s +
/// (15 − 9) × 120 s = 924.6 s after the segment first left. A segment
/// unacknowledged that long makes the connection give up (ETIMEDOUT).
pub const RETRIES2_TIMEOUT: SimDuration = SimDuration::from_millis(924_600);

/// Linux's `tcp_syn_retries` (6) as the time it allows: SYNs at 0, 1, 3,
/// 7, 15, 31 and 63 s (the RTO doubling from TCP_TIMEOUT_INIT, 1 s); the
/// connect fails at 127 s = (2^7 − 1) × 1 s.
pub const SYN_RETRIES_TIMEOUT: SimDuration = SimDuration::from_millis(127_000);

/// Linux's `tcp_synack_retries` (5): SYN-ACKs at 0, 1, 3, 7, 15 and 31 s;
/// the half-open connection is dropped at 63 s = (2^6 − 1) × 1 s.
pub const SYNACK_RETRIES_TIMEOUT: SimDuration = SimDuration::from_millis(63_000);

/// Keep-alive as the engine uses it. Without the feature `keepalive` it
/// cannot exist (an uninhabited field), so `Net::keepalive` is always `None`
/// and the optimiser drops every path behind it.
#[derive(Clone, Copy, Debug)]
pub struct KeepaliveConfig {
    pub idle: SimDuration,
    pub interval: SimDuration,
    pub probes: u32,
    #[cfg(not(feature = "keepalive"))]
    _never: crate::transport::Never,
}

impl KeepaliveConfig {
    #[cfg(feature = "keepalive")]
    pub fn new(k: &TcpKeepalive) -> Option<Self> {
        Some(KeepaliveConfig {
            idle: SimDuration::from_ms_f64(k.idle_ms),
            interval: SimDuration::from_ms_f64(k.interval_ms),
            probes: k.probes,
        })
    }

    /// Validation refuses `tcp.keepalive` in this build.
    #[cfg(not(feature = "keepalive"))]
    pub fn new(_: &TcpKeepalive) -> Option<Self> {
        None
    }
}

impl Net<'_> {
    /// A segment reached the client: the idle time starts over.
    pub(super) fn keepalive_heard(&mut self, c: ConnId) {
        let Some(ka) = self.keepalive else { return };
        let now = self.now();
        let cn = &mut self.tcp[c];
        cn.probes_out = 0;
        if let Some(at) = cn.keepalive_timer.set(now + ka.idle) {
            self.sched.at(at, Ev::Keepalive { conn: c });
        }
    }

    #[cfg(feature = "keepalive")]
    fn keepalive_arm(&mut self, c: ConnId, after: SimDuration) {
        let at = self.now() + after;
        if let Some(at) = self.tcp[c].keepalive_timer.set(at) {
            self.sched.at(at, Ev::Keepalive { conn: c });
        }
    }

    /// The client's keep-alive timer fires (if it still runs).
    #[cfg(feature = "keepalive")]
    pub(crate) fn on_keepalive<A: Application>(&mut self, app: &mut A, c: ConnId) {
        let Some(ka) = self.keepalive else { return };
        let now = self.now();
        match self.tcp[c].keepalive_timer.fire(now) {
            TimerFire::Fire => {}
            TimerFire::Ignore => return,
            TimerFire::Reschedule(at) => {
                self.sched.at(at, Ev::Keepalive { conn: c });
                return;
            }
        }
        let side = Side::Client;
        let cn = &self.tcp[c];
        let ep = &cn.ep[side.index()];
        if cn.fully_closed || !matches!(ep.state, TcpState::Established | TcpState::CloseWait) {
            return;
        }
        if ep.snd.outstanding() > 0 || cn.streams[side.index()].has_queued() {
            // Data in flight: the retransmission timer watches the path.
            self.keepalive_arm(c, ka.idle);
            return;
        }
        if cn.probes_out >= ka.probes {
            // Linux: `tcp_send_active_reset`, then `tcp_write_err` (ETIMEDOUT).
            let seq = ep.snd.snd_nxt;
            self.record(EventKind::TcpTimedOut { conn: c, side, cause: TcpTimeout::KeepaliveProbes });
            self.transmit(c, side, Flags::RST, seq, 0, false);
            self.abort(app, c, side, Some(CloseReason::TimedOut));
            return;
        }
        let seq = ep.snd.snd_nxt.saturating_sub(1);
        self.tcp[c].probes_out += 1;
        self.transmit_noted(c, side, Flags::ACK, seq, 0, false, Some(PacketNote::KeepaliveProbe));
        self.keepalive_arm(c, ka.interval);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tcp_retries2_allows_924_6_seconds() {
        // Linux's retransmits_timed_out with rto_base = TCP_RTO_MIN:
        // thresh = ilog2(TCP_RTO_MAX / TCP_RTO_MIN) = ilog2(600) = 9.
        let (min_ms, max_ms, boundary) = (200u64, 120_000u64, 15u32);
        let thresh = (max_ms / min_ms).ilog2();
        let ms = ((2u64 << thresh) - 1) * min_ms + (boundary - thresh) as u64 * max_ms;
        assert_eq!(SimDuration::from_millis(ms), RETRIES2_TIMEOUT);
    }
}
