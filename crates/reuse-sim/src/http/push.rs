//! Events the server sends when it has them (`push`), and the requests that
//! fetch them (`requests[].push`): a poll is answered at once with what is
//! waiting, a long poll is held until something is, and a stream is one
//! response the server keeps open and writes each event into (server-sent
//! events over HTTP/1.1, an HTTP/2 or HTTP/3 stream).
//!
//! The server keeps one queue of events that happened and that no response
//! has carried yet. An event goes to the open stream if there is one, else
//! to the oldest held long poll, else it waits for the next poll.

use std::collections::VecDeque;

use crate::engine::{Ev, Net};
use crate::http::{h2, h3, Http, Message};
use crate::scenario::{Protocol, PushRole};
use crate::time::{SimDuration, SimTime};
use crate::trace::{ConnId, Content, EventKind, ReqIdx, Side};

/// The server's events: which comes next, which wait, and the responses
/// waiting for them.
#[derive(Default)]
pub(crate) struct PushServer {
    /// The next event of `push.events_ms` to happen.
    next: u32,
    /// Happened, not yet in any response, oldest first.
    waiting: VecDeque<u32>,
    /// Long polls held until an event happens, oldest first.
    held: VecDeque<(ConnId, ReqIdx)>,
    /// Responses open as streams, oldest first.
    streams: Vec<(ConnId, ReqIdx)>,
}

/// One event as a part of a streamed response: its bytes and the framing
/// each version puts around them; the last part also ends the response.
pub fn event_part(protocol: Protocol, event_bytes: u64, last: bool) -> Message {
    let wire_bytes = match protocol {
        // HTTP/1.0 has no chunked coding (RFC 1945 §7.2.2): the body runs
        // until the server closes.
        Protocol::Http10 => event_bytes,
        // A chunk: its size in hex, CRLF, the data, CRLF; the last is
        // followed by the last-chunk "0" CRLF CRLF (RFC 9112 §7.1).
        Protocol::Http11 => {
            let size_digits = format!("{event_bytes:x}").len() as u64;
            size_digits + 2 + event_bytes + 2 + if last { 5 } else { 0 }
        }
        // DATA frames (RFC 9113 §6.1); the last carries END_STREAM.
        Protocol::H2 => event_bytes + event_bytes.div_ceil(h2::MAX_FRAME_PAYLOAD) * h2::FRAME_HEADER_BYTES,
        // One DATA frame (RFC 9114 §7.2.1); the stream's FIN ends it.
        Protocol::H3 => h3::frame_bytes(h3::DATA, event_bytes),
    };
    Message { header_bytes: 0, wire_bytes }
}

impl Http<'_> {
    /// The role of request `r` in fetching the server's events.
    pub(crate) fn push_role(&self, r: ReqIdx) -> Option<PushRole> {
        self.sc.requests[r as usize].push
    }

    /// Schedules the first event.
    pub(crate) fn start_push(&mut self, net: &mut Net) {
        if let Some(&ms) = self.sc.push.as_ref().and_then(|p| p.events_ms.first()) {
            net.sched.at(SimTime::ZERO + SimDuration::from_ms_f64(ms), Ev::PushEvent { event: 0 });
        }
    }

    fn events_left(&self) -> bool {
        let total = self.sc.push.as_ref().map_or(0, |p| p.events_ms.len());
        (self.push.next as usize) < total
    }

    /// Events from `event` on happen (those at its time together): the open
    /// stream takes them, or the oldest held long poll is answered.
    pub(crate) fn on_push_event(&mut self, net: &mut Net, event: u32) {
        let Some(spec) = self.sc.push.as_ref() else { return };
        let at = spec.events_ms[event as usize];
        let mut e = event as usize;
        while spec.events_ms.get(e) == Some(&at) {
            net.record(EventKind::PushEvent { event: e as u32 });
            self.push.waiting.push_back(e as u32);
            e += 1;
        }
        self.push.next = e as u32;
        if let Some(&ms) = spec.events_ms.get(e) {
            net.sched.at(SimTime::ZERO + SimDuration::from_ms_f64(ms), Ev::PushEvent { event: e as u32 });
        }
        // A stream whose connection the server has closed takes nothing.
        self.push.streams.retain(|&(c, _)| !self.conns[c].server.closed);
        if let Some(&(c, r)) = self.push.streams.first() {
            self.write_stream_events(net, c, r);
            net.flush(c, Side::Server);
        } else {
            self.push.held.retain(|&(c, _)| !self.conns[c].server.closed);
            if let Some((c, r)) = self.push.held.pop_front() {
                // Its processing is over: the answer goes out now.
                self.on_server_done(net, c, r);
            }
        }
    }

    /// A long poll the server finished processing: held when no event is
    /// waiting and one is still to come. Returns whether it is held.
    pub(crate) fn holds_long_poll(&mut self, net: &mut Net, c: ConnId, r: ReqIdx) -> bool {
        if self.push_role(r) != Some(PushRole::LongPoll)
            || !self.push.waiting.is_empty()
            || !self.events_left()
            || self.conns[c].server.closed
            || self.push.held.contains(&(c, r))
        {
            return false;
        }
        self.push.held.push_back((c, r));
        net.record(EventKind::LongPollHeld { request: r, conn: c });
        true
    }

    /// A poll's or a long poll's body: the events waiting go into it.
    /// Returns their bytes.
    pub(crate) fn take_waiting_events(&mut self, net: &mut Net, c: ConnId, r: ReqIdx) -> u64 {
        let bytes = self.sc.push.as_ref().map_or(0, |p| p.event_bytes);
        let mut total = 0;
        while let Some(event) = self.push.waiting.pop_front() {
            net.record(EventKind::PushWritten { event, request: r, conn: c, part_bytes: 0 });
            self.reqs[r].carried.push_back(Some(event));
            total += bytes;
        }
        total
    }

    /// A stream's response begins: its headers go out, then every event
    /// waiting; it stays open for the rest. With no event left to come it
    /// is an ordinary response.
    pub(crate) fn open_stream(&mut self, net: &mut Net, c: ConnId, r: ReqIdx, head: Message) {
        net.record(EventKind::ResponseWritten {
            request: r,
            conn: c,
            header_bytes: head.header_bytes,
            wire_bytes: head.wire_bytes,
        });
        let interleave = self.response_interleave();
        if self.push.waiting.is_empty() && !self.events_left() {
            net.write(c, Side::Server, Content::Response(r), head.wire_bytes, interleave);
            return;
        }
        net.write(c, Side::Server, Content::ResponsePart(r), head.wire_bytes, interleave);
        self.reqs[r].carried.push_back(None);
        self.conns[c].server.streaming = true;
        self.push.streams.push((c, r));
        self.write_stream_events(net, c, r);
    }

    /// Writes every waiting event into the stream of request `r`, each as
    /// a part; the last event of all ends the response.
    fn write_stream_events(&mut self, net: &mut Net, c: ConnId, r: ReqIdx) {
        let bytes = self.sc.push.as_ref().map_or(0, |p| p.event_bytes);
        let interleave = self.response_interleave();
        while let Some(event) = self.push.waiting.pop_front() {
            let last = self.push.waiting.is_empty() && !self.events_left();
            let part = event_part(self.protocol, bytes, last);
            net.record(EventKind::PushWritten { event, request: r, conn: c, part_bytes: part.wire_bytes });
            let content = if last { Content::Response(r) } else { Content::ResponsePart(r) };
            net.write(c, Side::Server, content, part.wire_bytes, interleave);
            self.reqs[r].carried.push_back(Some(event));
            if last {
                self.push.streams.retain(|&s| s != (c, r));
                self.conns[c].server.streaming = false;
                self.stream_ended(net, c, r);
            }
        }
    }

    /// The client has the whole of a part of `r`'s response (`last`: the
    /// response is complete): the events it carried are delivered.
    pub(crate) fn deliver_events(&mut self, net: &mut Net, c: ConnId, r: ReqIdx, last: bool) {
        let req = &mut self.reqs[r];
        let n = if last { req.carried.len() } else { 1.min(req.carried.len()) };
        for event in req.carried.drain(..n).flatten().collect::<Vec<_>>() {
            net.record(EventKind::PushDelivered { event, request: r, conn: c });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_version_frames_an_event_as_its_rfc_says() {
        // 200 bytes = 0xc8: "c8" CRLF data CRLF (RFC 9112 §7.1).
        assert_eq!(event_part(Protocol::Http11, 200, false).wire_bytes, 2 + 2 + 200 + 2);
        assert_eq!(event_part(Protocol::Http11, 200, true).wire_bytes, 2 + 2 + 200 + 2 + 5);
        assert_eq!(event_part(Protocol::Http10, 200, true).wire_bytes, 200);
        // One 9-byte frame header per DATA frame of at most 16,384 bytes.
        assert_eq!(event_part(Protocol::H2, 200, false).wire_bytes, 209);
        assert_eq!(event_part(Protocol::H2, 16_385, false).wire_bytes, 16_385 + 18);
        // Type (1 byte) and length (a 2-byte varint for 64..16383).
        assert_eq!(event_part(Protocol::H3, 200, false).wire_bytes, 1 + 2 + 200);
    }
}
