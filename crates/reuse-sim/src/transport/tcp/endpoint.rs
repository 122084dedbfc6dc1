//! One TCP endpoint, sans I/O: its state (RFC 9293 names), its sending half
//! ([`Sender`]) and its receiving half ([`Receiver`]).
//!
//! This module decides; it does not move packets. The engine calls these
//! methods with an explicit `now`, sends what they say to send, and records
//! every state change through [`TcpEndpoint::set_state`], which returns the
//! trace event to record, so no transition goes unrecorded.
//!
//! Sequence space: each direction's data bytes are numbered from 0 (the SYN
//! is accounted for by flags, not by a sequence number); the FIN occupies one
//! number right after the last data byte.

use super::receiver::Receiver;
use super::sender::{CongestionControl, CwndUnit, LossRecovery, Sender, SenderConfig};
use crate::time::SimDuration;
use crate::trace::{ConnId, EventKind, Side, TcpState};

/// Delayed-ACK timer. RFC 1122 §4.2.3.2 allows up to 500 ms; Linux's
/// TCP_DELACK_MIN is 40 ms.
pub const DELAYED_ACK_TIMEOUT: SimDuration = SimDuration::from_millis(40);

/// Static parameters of an endpoint.
#[derive(Clone, Copy, Debug)]
pub struct TcpConfig {
    pub mss: u32,
    pub initial_cwnd_segments: u32,
    pub rwnd_bytes: Option<u64>,
    pub delayed_ack: bool,
    pub slow_start_after_idle: bool,
    pub cwnd_unit: CwndUnit,
    pub recovery: LossRecovery,
    pub frto: bool,
    pub timestamps: bool,
    pub congestion: CongestionControl,
    pub rack_tlp: bool,
}

impl TcpConfig {
    pub fn sender(&self) -> SenderConfig {
        SenderConfig {
            mss: self.mss,
            initial_cwnd_segments: self.initial_cwnd_segments,
            rwnd_bytes: self.rwnd_bytes,
            slow_start_after_idle: self.slow_start_after_idle,
            cwnd_unit: self.cwnd_unit,
            recovery: self.recovery,
            frto: self.frto,
            timestamps: self.timestamps,
            congestion: self.congestion,
            rack_tlp: self.rack_tlp,
        }
    }
}

#[derive(Clone, Debug)]
pub struct TcpEndpoint {
    pub side: Side,
    pub state: TcpState,
    pub snd: Sender,
    pub rcv: Receiver,
}

impl TcpEndpoint {
    pub fn new(side: Side, cfg: TcpConfig) -> Self {
        TcpEndpoint {
            side,
            state: match side {
                Side::Client => TcpState::Closed,
                Side::Server => TcpState::Listen,
            },
            snd: Sender::new(cfg.sender()),
            rcv: Receiver::new(cfg.delayed_ack),
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_state_reports_each_change_once_with_rfc_names() {
        let cfg = TcpConfig {
            mss: 1000,
            initial_cwnd_segments: 10,
            rwnd_bytes: None,
            delayed_ack: false,
            slow_start_after_idle: true,
            cwnd_unit: CwndUnit::Packets,
            recovery: LossRecovery::Sack,
            frto: true,
            timestamps: true,
            congestion: CongestionControl::NewReno,
            rack_tlp: true,
        };
        let mut ep = TcpEndpoint::new(Side::Client, cfg);
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
