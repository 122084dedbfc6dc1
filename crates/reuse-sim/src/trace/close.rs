//! Why a connection closed (`connections[].closed_by`): the reasons, their
//! words and the side that decided.

use serde::Serialize;

use super::Side;

/// Why a connection was closed; the values of `connections[].closed_by`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CloseReason {
    /// HTTP/1.0 without keep-alive, or `Connection: close`.
    ServerClose,
    ServerIdleTimeout,
    ClientIdleTimeout,
    MaxRequests,
    Error,
    Open,
    /// *(added)* The server waited too long between reads of a request
    /// (nginx's `client_body_timeout`, 60 s between successive reads).
    ServerReadTimeout,
    /// *(added)* A middlebox (NAT, load balancer) had forgotten the idle
    /// connection and answered a packet with a reset.
    Middlebox,
    /// *(added)* TCP gave up: keep-alive probes went unanswered, or a
    /// segment was retransmitted until `tcp_retries2` (ETIMEDOUT).
    TimedOut,
    /// *(added)* The server closed after an error response
    /// (`server.close_on_error`).
    ErrorResponse,
}

impl CloseReason {
    pub fn as_str(self) -> &'static str {
        match self {
            CloseReason::ServerClose => "server_close",
            CloseReason::ServerIdleTimeout => "server_idle_timeout",
            CloseReason::ClientIdleTimeout => "client_idle_timeout",
            CloseReason::MaxRequests => "max_requests",
            CloseReason::Error => "error",
            CloseReason::Open => "open",
            CloseReason::ServerReadTimeout => "server_read_timeout",
            CloseReason::Middlebox => "middlebox",
            CloseReason::TimedOut => "timed_out",
            CloseReason::ErrorResponse => "error_response",
        }
    }

    /// Short words for the mark at the end of a connection's lane.
    pub fn label(self) -> &'static str {
        match self {
            CloseReason::ServerClose => "closed by server",
            CloseReason::ServerIdleTimeout => "server idle timeout",
            CloseReason::ClientIdleTimeout => "client idle timeout",
            CloseReason::MaxRequests => "max requests",
            CloseReason::Error => "reset",
            CloseReason::Open => "still open",
            CloseReason::ServerReadTimeout => "server read timeout",
            CloseReason::Middlebox => "reset by middlebox",
            CloseReason::TimedOut => "timed out",
            CloseReason::ErrorResponse => "closed after an error",
        }
    }

    /// The side whose decision this close was, if one side decided.
    pub fn side(self) -> Option<Side> {
        match self {
            CloseReason::ServerClose
            | CloseReason::ServerIdleTimeout
            | CloseReason::MaxRequests
            | CloseReason::ServerReadTimeout
            | CloseReason::ErrorResponse => Some(Side::Server),
            CloseReason::ClientIdleTimeout => Some(Side::Client),
            CloseReason::Error | CloseReason::Open | CloseReason::Middlebox | CloseReason::TimedOut => None,
        }
    }

    pub fn is_idle_close(self) -> bool {
        matches!(self, CloseReason::ServerIdleTimeout | CloseReason::ClientIdleTimeout)
    }
}
