//! Ways a client gets the server's events (`push`), as request lists, and
//! the side-by-side comparison of the classic definition of a persistent
//! connection: polling on a new connection each time, polling over
//! keep-alive, long polling, and one response held open as a stream.
//!
//! A scenario's `push` says when the events happen; [`with_fetch`] gives it
//! the requests of one way to fetch them, replacing any it had.

use crate::scenario::{Protocol, PushRole, PushSpec, RequestSpec, Scenario, ScenarioError};

/// How the client fetches the events.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Fetch {
    /// A poll every `every_ms` from time zero (a timer, not "after the
    /// answer"), until one is sent at or after the last event.
    Poll { every_ms: f64 },
    /// A long poll at time zero, and the next as soon as each answer
    /// arrives: one per event at most.
    LongPoll,
    /// One request at time zero whose response stays open.
    Stream,
}

/// Bytes of a poll's or long poll's answer without events, and of a
/// stream's opening: 300 bytes of headers (`server.response_header_bytes`'
/// default) and a 20-byte empty JSON list.
pub const EMPTY_RESPONSE_BYTES: u64 = 320;

impl Fetch {
    /// Reads `poll`, `poll:MS` (every MS, default 3000), `long` or
    /// `long_poll`, `stream`.
    pub fn parse(text: &str) -> Result<Fetch, String> {
        let text = text.trim();
        match text {
            "long" | "long_poll" | "long-poll" => return Ok(Fetch::LongPoll),
            "stream" | "sse" => return Ok(Fetch::Stream),
            "poll" => return Ok(Fetch::Poll { every_ms: DEFAULT_POLL_MS }),
            _ => {}
        }
        let every = text.strip_prefix("poll:").ok_or_else(|| {
            format!("{text:?} is not a way to fetch events; one of poll, poll:MS, long, stream")
        })?;
        match every.parse::<f64>() {
            Ok(ms) if ms.is_finite() && (100.0..=3_600_000.0).contains(&ms) => {
                Ok(Fetch::Poll { every_ms: ms })
            }
            _ => Err(format!("a poll interval must be from 100 to 3600000 ms (got {every:?})")),
        }
    }

    pub fn role(self) -> PushRole {
        match self {
            Fetch::Poll { .. } => PushRole::Poll,
            Fetch::LongPoll => PushRole::LongPoll,
            Fetch::Stream => PushRole::Stream,
        }
    }
}

/// The poll interval of `Fetch::parse("poll")`.
pub const DEFAULT_POLL_MS: f64 = 3000.0;

/// The requests that fetch `push`'s events this way, from `host`.
pub fn requests(fetch: Fetch, push: &PushSpec, host: &str) -> Vec<RequestSpec> {
    let base = |id: String| RequestSpec::new(id, EMPTY_RESPONSE_BYTES).host(host).push(fetch.role());
    match fetch {
        Fetch::Poll { every_ms } => {
            // The first poll sent at or after the last event picks it up.
            let polls = (push.last_ms() / every_ms).ceil() as usize + 1;
            (0..polls).map(|k| base(format!("poll-{}", k + 1)).delay_ms(k as f64 * every_ms)).collect()
        }
        Fetch::LongPoll => (0..push.events_ms.len())
            .map(|k| {
                let poll = base(format!("long-poll-{}", k + 1));
                if k == 0 {
                    poll
                } else {
                    poll.after(&[format!("long-poll-{k}").as_str()])
                }
            })
            .collect(),
        Fetch::Stream => vec![base("event-stream".into())],
    }
}

/// `s` with its event-fetching requests replaced by those of `fetch` (on
/// the host of the first it had, else the first request's), validated.
pub fn with_fetch(s: &Scenario, fetch: Fetch) -> Result<Scenario, ScenarioError> {
    let push =
        s.push.as_ref().ok_or_else(|| ScenarioError::new("push", "the scenario has no events to fetch"))?;
    let host = s
        .requests
        .iter()
        .find(|r| r.push.is_some())
        .or(s.requests.first())
        .map_or_else(|| "example.com".to_string(), |r| r.host.clone());
    let mut out = s.clone();
    out.requests.retain(|r| r.push.is_none());
    out.requests.extend(requests(fetch, push, &host));
    out.validate()?;
    Ok(out)
}

/// One way of the comparison: a label, how the events are fetched, and
/// over which protocol.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Way {
    pub label: &'static str,
    pub fetch: Fetch,
    pub protocol: Protocol,
}

/// The ways the classic definition of a persistent connection compares,
/// polling every `poll_every_ms`: a new connection per poll (HTTP/1.0), polls
/// over one kept-alive connection (HTTP/1.1), long polling, and a held-open
/// stream over HTTP/1.1 (server-sent events) and over HTTP/2.
pub fn ways(poll_every_ms: f64) -> [Way; 5] {
    let poll = Fetch::Poll { every_ms: poll_every_ms };
    [
        Way { label: "new connection per poll", fetch: poll, protocol: Protocol::Http10 },
        Way { label: "poll over keep-alive", fetch: poll, protocol: Protocol::Http11 },
        Way { label: "long poll", fetch: Fetch::LongPoll, protocol: Protocol::Http11 },
        Way { label: "server-sent events", fetch: Fetch::Stream, protocol: Protocol::Http11 },
        Way { label: "HTTP/2 stream", fetch: Fetch::Stream, protocol: Protocol::H2 },
    ]
}

/// The poll interval `s` uses: the gap between its first two polls, else
/// [`DEFAULT_POLL_MS`].
pub fn poll_interval_ms(s: &Scenario) -> f64 {
    let mut polls = s.requests.iter().filter(|r| r.push == Some(PushRole::Poll) && r.after.is_empty());
    match (polls.next(), polls.next()) {
        (Some(a), Some(b)) if b.delay_ms > a.delay_ms => b.delay_ms - a.delay_ms,
        _ => DEFAULT_POLL_MS,
    }
}

/// `s` under each of [`ways`] (at its own poll interval): the scenarios to
/// run side by side, labelled.
pub fn comparison(s: &Scenario) -> Result<Vec<(Way, Scenario)>, ScenarioError> {
    ways(poll_interval_ms(s))
        .into_iter()
        .map(|way| {
            let mut scenario = with_fetch(s, way.fetch)?;
            scenario.client.protocol = way.protocol;
            Ok((way, scenario))
        })
        .collect()
}
