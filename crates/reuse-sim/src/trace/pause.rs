//! Kinds of moment the player can stop at ("pause at the next connection
//! opened"): a lesson's pauses and the player's breakpoints. The engine
//! says which trace events are which kind, so the app draws the trace and
//! never decides that itself.

use super::{CloseReason, EventKind, TraceEvent};

/// A kind of trace event worth stopping at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum PauseAt {
    /// A new connection starts its handshake.
    ConnectionOpened,
    /// A request waits for a connection (the per-host limit, or HTTP/1.x's
    /// one request at a time on a connection).
    RequestQueued,
    /// The server has a pipelined request but answers an earlier one first.
    ServerQueued,
    /// Response bytes arrived but wait behind a lost packet.
    ResponseHeld,
    /// A segment or a QUIC packet's data is sent again.
    Retransmission,
    /// A keep-alive timer (the client's or the server's) closes a connection.
    IdleClose,
    /// A request is sent again: the connection closed under it.
    RequestRetried,
}

impl PauseAt {
    pub const ALL: [PauseAt; 7] = [
        PauseAt::ConnectionOpened,
        PauseAt::RequestQueued,
        PauseAt::ServerQueued,
        PauseAt::ResponseHeld,
        PauseAt::Retransmission,
        PauseAt::IdleClose,
        PauseAt::RequestRetried,
    ];

    /// The name in a lesson file and a link.
    pub fn key(self) -> &'static str {
        match self {
            PauseAt::ConnectionOpened => "connection_opened",
            PauseAt::RequestQueued => "request_queued",
            PauseAt::ServerQueued => "server_queued",
            PauseAt::ResponseHeld => "response_held",
            PauseAt::Retransmission => "retransmission",
            PauseAt::IdleClose => "idle_close",
            PauseAt::RequestRetried => "request_retried",
        }
    }

    /// Words for people: "a connection opens".
    pub fn label(self) -> &'static str {
        match self {
            PauseAt::ConnectionOpened => "a connection opens",
            PauseAt::RequestQueued => "a request waits for a connection",
            PauseAt::ServerQueued => "the server answers an earlier request first",
            PauseAt::ResponseHeld => "data waits behind a lost packet",
            PauseAt::Retransmission => "a lost packet is sent again",
            PauseAt::IdleClose => "a keep-alive timeout closes a connection",
            PauseAt::RequestRetried => "a request is sent again",
        }
    }

    /// A short name, for the player's breakpoint choices: "new connection".
    pub fn name(self) -> &'static str {
        match self {
            PauseAt::ConnectionOpened => "new connection",
            PauseAt::RequestQueued => "request queued",
            PauseAt::ServerQueued => "server queued",
            PauseAt::ResponseHeld => "held by loss",
            PauseAt::Retransmission => "retransmission",
            PauseAt::IdleClose => "idle close",
            PauseAt::RequestRetried => "request retried",
        }
    }

    pub fn parse(key: &str) -> Option<PauseAt> {
        PauseAt::ALL.into_iter().find(|p| p.key() == key)
    }

    /// The first moment of this kind after the start (a stop at 0 ms,
    /// before anything is drawn, shows nothing).
    pub fn first_in(self, trace: &[TraceEvent]) -> Option<&TraceEvent> {
        trace.iter().find(|e| e.time > crate::time::SimTime::ZERO && self.matches(&e.kind))
    }

    /// Whether `event` is a moment of this kind.
    pub fn matches(self, event: &EventKind) -> bool {
        match self {
            PauseAt::ConnectionOpened => matches!(event, EventKind::ConnectionOpened { .. }),
            PauseAt::RequestQueued => matches!(event, EventKind::RequestQueued { .. }),
            PauseAt::ServerQueued => matches!(event, EventKind::ServerQueued { .. }),
            PauseAt::ResponseHeld => matches!(event, EventKind::ResponseHeld { .. }),
            PauseAt::Retransmission => {
                matches!(event, EventKind::Retransmit { .. } | EventKind::QuicPacketLost { .. })
            }
            PauseAt::IdleClose => matches!(
                event,
                EventKind::ConnectionClosing {
                    reason: CloseReason::ServerIdleTimeout | CloseReason::ClientIdleTimeout,
                    ..
                }
            ),
            PauseAt::RequestRetried => matches!(event, EventKind::RequestLost { .. }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_reads_back_from_its_key() {
        for p in PauseAt::ALL {
            assert_eq!(PauseAt::parse(p.key()), Some(p));
        }
        assert_eq!(PauseAt::parse("connection_open"), None);
    }
}
