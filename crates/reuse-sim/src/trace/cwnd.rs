//! The congestion window's notable changes and BBR's modes, as the trace
//! names them.

use serde::Serialize;

pub use crate::transport::congestion::BbrMode;

#[cfg(feature = "cubic")]
use super::EventKind;
use super::{ConnId, Side, TraceEvent};

/// Why the congestion window changed (only the notable changes are traced;
/// every packet carries the window it was sent under).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CwndCause {
    /// Three duplicate ACKs: fast retransmit, enter fast recovery (RFC 5681 §3.2).
    FastRetransmit,
    /// Fast recovery ended: the whole window before the loss was acknowledged.
    RecoveryDone,
    /// Retransmission timeout: back to one segment (RFC 5681 §3.1, RFC 6298 §5).
    Timeout,
    /// Restart after idle (RFC 5681 §4.1).
    IdleRestart,
    /// cwnd reached ssthresh: slow start ends, congestion avoidance begins.
    SlowStartEnd,
    /// NewReno: a partial ACK deflates the window during recovery.
    PartialAck,
    /// F-RTO (RFC 5682): the timeout was spurious (the originals arrived);
    /// the window before it comes back.
    SpuriousTimeout,
    /// HyStart++ (RFC 9406): the round trip rose, conservative slow start
    /// grows the window a quarter as fast.
    ConservativeSlowStart,
    /// HyStart++: five rounds of conservative slow start; ssthresh = cwnd,
    /// congestion avoidance begins.
    HystartExit,
    /// A tail loss probe repaired a loss (an ACK went beyond it): the
    /// window is cut as after fast recovery (RFC 8985 §7.4.2).
    TailLossProbe,
    /// QUIC: a packet was declared lost; the window halves once per round
    /// trip (RFC 9002 §7.3.2, NewReno).
    QuicLoss,
    /// QUIC: every packet over more than 3 PTO was lost; the window falls
    /// to its minimum of 2 datagrams (RFC 9002 §7.6).
    PersistentCongestion,
}

impl CwndCause {
    /// A few words for a chart's marker (the trace's full words are
    /// `TraceEvent::describe`).
    pub fn marker(self) -> &'static str {
        match self {
            CwndCause::FastRetransmit => "loss: fast recovery",
            CwndCause::RecoveryDone => "recovery done",
            CwndCause::Timeout => "timeout",
            CwndCause::IdleRestart => "idle restart",
            CwndCause::SlowStartEnd => "slow start ends",
            CwndCause::PartialAck => "partial ACK",
            CwndCause::SpuriousTimeout => "spurious timeout undone",
            CwndCause::ConservativeSlowStart => "HyStart++: RTT rose",
            CwndCause::HystartExit => "HyStart++: slow start ends",
            CwndCause::TailLossProbe => "loss repaired by a probe",
            CwndCause::QuicLoss => "loss",
            CwndCause::PersistentCongestion => "persistent congestion",
        }
    }
}

impl TraceEvent {
    /// BBR's change of mode, as the window chart draws it: the connection,
    /// the sender, the new mode and the window. `None` for any other event,
    /// and always in a build without BBR (the first load).
    pub fn bbr_mode(&self) -> Option<(ConnId, Side, BbrMode, u64)> {
        match self.kind {
            #[cfg(feature = "cubic")]
            EventKind::BbrModeChanged { conn, side, to, cwnd_bytes, .. } => {
                Some((conn, side, to, cwnd_bytes))
            }
            _ => None,
        }
    }

    /// BBR's pacing rate where the trace shows it: the connection, the
    /// sender and bytes per second.
    pub fn bbr_pacing(&self) -> Option<(ConnId, Side, u64)> {
        match self.kind {
            #[cfg(feature = "cubic")]
            EventKind::BbrPacing { conn, side, pacing_bytes_per_s, .. } => {
                Some((conn, side, pacing_bytes_per_s))
            }
            _ => None,
        }
    }
}
