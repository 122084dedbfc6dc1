//! The words the server's events say about themselves (`push`; compiled
//! with the `push` feature only).

use super::{request_id, DescribeContext};
use crate::time::decimal;
use crate::trace::{EventKind, TraceEvent};

/// A `push` event in words.
pub(super) fn describe(event: &TraceEvent, cx: DescribeContext<'_>) -> String {
    let s = cx.scenario;
    // How long ago event `e` happened on the server.
    let since = |e: u32| {
        let at = s.push.as_ref().and_then(|p| p.events_ms.get(e as usize)).copied().unwrap_or(0.0);
        decimal(event.time.as_ms() - at)
    };
    match &event.kind {
        EventKind::PushEvent { event } => {
            format!("event {} happens on the server (push.events_ms[{event}])", event + 1)
        }
        EventKind::LongPollHeld { request, conn } => format!(
            "the server holds {} on connection {conn}: no event is waiting, so it answers when the next \
             one happens",
            request_id(s, *request)
        ),
        EventKind::PushWritten { event, request, conn, part_bytes: 0 } => format!(
            "event {} goes into the response to {} on connection {conn}, {} ms after it happened",
            event + 1,
            request_id(s, *request),
            since(*event)
        ),
        EventKind::PushWritten { event, request, conn, part_bytes } => format!(
            "the server writes event {} into the open response {} on connection {conn} as it happens: \
             {part_bytes} bytes with framing, no request needed",
            event + 1,
            request_id(s, *request)
        ),
        EventKind::PushDelivered { event, request, .. } => format!(
            "the client has event {} (in {}): {} ms after it happened on the server",
            event + 1,
            request_id(s, *request),
            since(*event)
        ),
        _ => String::new(),
    }
}
