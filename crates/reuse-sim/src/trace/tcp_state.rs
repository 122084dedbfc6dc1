//! The TCP states of the trace, with their RFC 9293 names.

use serde::Serialize;
use std::fmt;

/// TCP connection states, printed with their RFC 9293 names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum TcpState {
    #[serde(rename = "CLOSED")]
    Closed,
    #[serde(rename = "LISTEN")]
    Listen,
    #[serde(rename = "SYN-SENT")]
    SynSent,
    #[serde(rename = "SYN-RECEIVED")]
    SynReceived,
    #[serde(rename = "ESTABLISHED")]
    Established,
    #[serde(rename = "FIN-WAIT-1")]
    FinWait1,
    #[serde(rename = "FIN-WAIT-2")]
    FinWait2,
    #[serde(rename = "CLOSE-WAIT")]
    CloseWait,
    #[serde(rename = "CLOSING")]
    Closing,
    #[serde(rename = "LAST-ACK")]
    LastAck,
    #[serde(rename = "TIME-WAIT")]
    TimeWait,
}

impl TcpState {
    pub fn as_str(self) -> &'static str {
        match self {
            TcpState::Closed => "CLOSED",
            TcpState::Listen => "LISTEN",
            TcpState::SynSent => "SYN-SENT",
            TcpState::SynReceived => "SYN-RECEIVED",
            TcpState::Established => "ESTABLISHED",
            TcpState::FinWait1 => "FIN-WAIT-1",
            TcpState::FinWait2 => "FIN-WAIT-2",
            TcpState::CloseWait => "CLOSE-WAIT",
            TcpState::Closing => "CLOSING",
            TcpState::LastAck => "LAST-ACK",
            TcpState::TimeWait => "TIME-WAIT",
        }
    }

    /// True once this side has sent or received a FIN or reset.
    pub fn is_closing(self) -> bool {
        !matches!(self, TcpState::Listen | TcpState::SynSent | TcpState::SynReceived | TcpState::Established)
    }
}

impl fmt::Display for TcpState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
