//! *(added)* Data the server has for the client at times of its own
//! choosing (`push`), and the requests that fetch it (`requests[].push`):
//! polling, long polling, or one response held open as a stream (server-sent
//! events over HTTP/1.1, a stream of HTTP/2 or HTTP/3).
//!
//! The engine simulates them with the feature `push` (the web app's full
//! build); other builds refuse the fields, as they do TCP keep-alive.

use serde::{Deserialize, Serialize};

/// At most this many events: a scenario is a lecture's example, not a
/// day of traffic.
pub const MAX_EVENTS: usize = 10_000;

/// *(added)* The events the server has to send: when each happens on the
/// server and how many bytes it adds to the response that carries it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PushSpec {
    /// When each event happens on the server, in order, from time zero.
    pub events_ms: Vec<f64>,
    /// Bytes each event adds to a response (its JSON, or its `data:` lines
    /// in a server-sent event stream), framing excluded.
    #[serde(default = "default_event_bytes")]
    pub event_bytes: u64,
}

impl PushSpec {
    /// `count` events, one every `every_ms` from `every_ms` on.
    pub fn every(every_ms: f64, count: usize, event_bytes: u64) -> Self {
        PushSpec { events_ms: (1..=count).map(|k| k as f64 * every_ms).collect(), event_bytes }
    }

    /// When the last event happens (0 without events).
    pub fn last_ms(&self) -> f64 {
        self.events_ms.last().copied().unwrap_or(0.0)
    }
}

fn default_event_bytes() -> u64 {
    200
}

/// *(added)* How a request fetches the server's events.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PushRole {
    /// The server answers at once with every event that happened and was
    /// not yet sent; `response_bytes` alone when there is none ("no news").
    Poll,
    /// The server holds the request until an event happens (or answers at
    /// once with those waiting), then answers with every event waiting.
    /// When every event has been sent it answers at once with
    /// `response_bytes` alone: the feed has ended.
    LongPoll,
    /// The server answers at once with `response_bytes` of headers and keeps
    /// the response open, writing each event into it as it happens; the
    /// response ends with the last event.
    Stream,
}

impl PushRole {
    pub fn label(self) -> &'static str {
        match self {
            PushRole::Poll => "poll",
            PushRole::LongPoll => "long poll",
            PushRole::Stream => "event stream",
        }
    }
}
