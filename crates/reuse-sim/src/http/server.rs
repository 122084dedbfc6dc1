//! The server: reads requests, works on each for its `server_ms`, writes
//! responses, and closes connections (after a response without keep-alive
//! or at its request limit, or when its keep-alive timer fires).
//!
//! HTTP/1.x answers in request order: with pipelining, a response that is
//! ready waits behind an earlier one still being processed (head-of-line
//! blocking); serial processing also starts the next request only when the
//! one before is done. HTTP/2 works on every stream at once and writes each
//! response as soon as it is ready.

use crate::engine::{Ev, Net};
use crate::http::{h1, h2, h3, ConnectionUse, Http};
use crate::scenario::{PipelineProcessing, Protocol};
use crate::time::SimDuration;
use crate::trace::{CloseReason, ConnId, Content, EventKind, ReqIdx, Side};
use crate::transport::Shutdown;

/// How long a server waits for the *first* request on a connection (nginx's
/// `client_header_timeout`, Apache's `Timeout`: 60 s). The keep-alive
/// timeout applies between requests, never during the TLS handshake.
pub const FIRST_REQUEST_TIMEOUT: SimDuration = SimDuration::from_millis(60_000);

/// How long the server waits between two reads of a request that has begun
/// to arrive (nginx's `client_header_timeout` and `client_body_timeout`,
/// 60 s each; Apache's `Timeout`, 60 s). It times the gap between reads, so
/// a slow upload is not cut for being slow.
pub const READ_TIMEOUT: SimDuration = SimDuration::from_millis(60_000);

impl Http<'_> {
    /// A whole message from the client is at the server.
    pub(crate) fn server_receives(&mut self, net: &mut Net, c: ConnId, content: Content, complete: bool) {
        if !complete {
            if let Content::Request(_) | Content::EarlyRequest(_) = content {
                self.server_reading(net, c);
            }
            return;
        }
        match content {
            Content::H2Preface => h2::write_server_settings(net, c),
            Content::H3Control => h3::write_control_stream(net, c, Side::Server, self.sc),
            Content::Request(r) | Content::EarlyRequest(r) => self.on_request_at_server(net, c, r),
            _ => {}
        }
    }

    /// Part of a request arrived: the read timer starts over.
    fn server_reading(&mut self, net: &mut Net, c: ConnId) {
        let now = net.now();
        let server = &mut self.conns[c].server;
        if server.closed || server.stop_reading {
            return;
        }
        if let Some(t) = server.idle_timer.take() {
            net.sched.cancel(t);
        }
        server.reading = true;
        server.idle_deadline = Some(now + READ_TIMEOUT);
        server.idle_timer = Some(net.sched.at(now + READ_TIMEOUT, Ev::ServerIdle { conn: c }));
    }

    fn on_request_at_server(&mut self, net: &mut Net, c: ConnId, r: ReqIdx) {
        let persistent = self.protocol.persistent(self.sc);
        let mux = self.protocol.connection_use(self.sc);
        let max_requests = self.sc.server.max_requests_per_connection;
        let error_close = self.sc.server.close_on_error && self.sc.requests[r as usize].is_error();
        let server = &mut self.conns[c].server;
        if server.closed || server.stop_reading {
            return; // never read: the close will tell the client to retry
        }
        if let Some(t) = server.idle_timer.take() {
            net.sched.cancel(t);
        }
        server.idle_deadline = None;
        server.reading = false;
        server.requests += 1;
        let (parallel, closing) = match mux {
            ConnectionUse::Serial { .. } => {
                server.order.push_back((r, false));
                (
                    self.sc.server.pipeline_processing == PipelineProcessing::Parallel,
                    h1::closes_after(persistent, server.requests, max_requests, error_close),
                )
            }
            ConnectionUse::Multiplexed => (true, false),
        };
        if closing {
            server.stop_reading = true;
        }
        self.reqs[r].closes_connection = closing;
        if parallel || !self.conns[c].server.busy {
            self.start_processing(net, c, r);
        } else {
            let server = &mut self.conns[c].server;
            // Serial processing: the one in process is the first not done.
            if let Some(&(behind, _)) = server.order.iter().find(|(_, done)| !done) {
                net.record(EventKind::ServerQueued { request: r, conn: c, behind });
            }
            server.waiting.push_back(r);
        }
    }

    fn start_processing(&mut self, net: &mut Net, c: ConnId, r: ReqIdx) {
        let spec = &self.sc.requests[r as usize];
        let ms = spec.server_ms.unwrap_or(self.sc.server.processing_ms);
        let server = &mut self.conns[c].server;
        server.busy = true;
        server.in_process += 1;
        net.record(EventKind::ServerProcessing { request: r, conn: c, duration_ms: ms });
        net.sched.after(SimDuration::from_ms_f64(ms), Ev::ServerDone { conn: c, req: r });
    }

    pub(crate) fn on_server_done(&mut self, net: &mut Net, c: ConnId, r: ReqIdx) {
        // A long poll with nothing to say yet stays in process.
        #[cfg(feature = "push")]
        if self.holds_long_poll(net, c, r) {
            return;
        }
        let server = &mut self.conns[c].server;
        server.in_process -= 1;
        server.busy = server.in_process > 0;
        if server.closed {
            return;
        }
        match self.protocol.connection_use(self.sc) {
            ConnectionUse::Multiplexed => {
                net.record(EventKind::ResponseReady { request: r, conn: c, blocked_by: None });
                self.write_response(net, c, r);
            }
            ConnectionUse::Serial { .. } => {
                let server = &mut self.conns[c].server;
                if let Some(entry) = server.order.iter_mut().find(|(q, _)| *q == r) {
                    entry.1 = true;
                }
                let head = server.order.front().map(|(q, _)| *q);
                let blocked_by = head.filter(|&h| h != r);
                net.record(EventKind::ResponseReady { request: r, conn: c, blocked_by });
                self.write_in_order(net, c);
                if let Some(next) = self.conns[c].server.waiting.pop_front() {
                    self.start_processing(net, c, next);
                }
            }
        }
        net.flush(c, Side::Server);
    }

    /// HTTP/1.x: writes the responses at the head of the order that are
    /// done, until one closes the connection or stays open as a stream
    /// (what follows waits for its end).
    fn write_in_order(&mut self, net: &mut Net, c: ConnId) {
        while let Some(&(q, true)) = self.conns[c].server.order.front() {
            if self.conns[c].server.streaming() {
                return;
            }
            self.conns[c].server.order.pop_front();
            self.write_response(net, c, q);
            if self.conns[c].server.streaming() {
                return;
            }
            if self.reqs[q].closes_connection {
                self.close_after_response(net, c, q);
                return;
            }
        }
    }

    /// The server closes after response `q`, which said `Connection: close`.
    fn close_after_response(&mut self, net: &mut Net, c: ConnId, q: ReqIdx) {
        let reason = if !self.protocol.persistent(self.sc) {
            CloseReason::ServerClose
        } else if self.sc.server.close_on_error && self.sc.requests[q as usize].is_error() {
            CloseReason::ErrorResponse
        } else {
            CloseReason::MaxRequests
        };
        self.server_close(net, c, reason);
    }

    /// A streamed response has ended: HTTP/1.x goes on with the responses
    /// behind it, or closes.
    #[cfg(feature = "push")]
    pub(crate) fn stream_ended(&mut self, net: &mut Net, c: ConnId, r: ReqIdx) {
        match self.protocol.connection_use(self.sc) {
            ConnectionUse::Multiplexed => {}
            ConnectionUse::Serial { .. } if self.reqs[r].closes_connection => {
                self.close_after_response(net, c, r)
            }
            ConnectionUse::Serial { .. } => self.write_in_order(net, c),
        }
    }

    /// How this version's responses share the connection.
    pub(crate) fn response_interleave(&self) -> crate::transport::Interleave {
        match self.protocol {
            Protocol::Http10 | Protocol::Http11 => crate::transport::Interleave::InOrder,
            Protocol::H2 => h2::RESPONSE_INTERLEAVE,
            Protocol::H3 => h3::RESPONSE_INTERLEAVE,
        }
    }

    fn write_response(&mut self, net: &mut Net, c: ConnId, r: ReqIdx) {
        let spec = &self.sc.requests[r as usize];
        #[cfg_attr(not(feature = "push"), allow(unused_mut))]
        let mut total = spec.response_bytes;
        #[cfg(feature = "push")]
        match spec.push {
            Some(crate::scenario::PushRole::Poll | crate::scenario::PushRole::LongPoll) => {
                total += self.take_waiting_events(net, c, r);
            }
            Some(crate::scenario::PushRole::Stream) | None => {}
        }
        let header = (self.sc.server.response_header_bytes as u64).min(total);
        let interleave = self.response_interleave();
        let cn = &mut self.conns[c];
        let message = match self.protocol {
            Protocol::Http10 | Protocol::Http11 => h1::response(header, total),
            Protocol::H2 => h2::response(&mut cn.response_headers_sent, header, total),
            Protocol::H3 => h3::response(&mut cn.response_headers_sent, header, total, self.sc),
        };
        #[cfg(feature = "push")]
        if self.push_role(r) == Some(crate::scenario::PushRole::Stream) {
            self.open_stream(net, c, r, message);
            return;
        }
        net.record(EventKind::ResponseWritten {
            request: r,
            conn: c,
            header_bytes: message.header_bytes,
            wire_bytes: message.wire_bytes,
        });
        net.write(c, Side::Server, Content::Response(r), message.wire_bytes, interleave);
    }

    pub(crate) fn server_close(&mut self, net: &mut Net, c: ConnId, reason: CloseReason) {
        let cn = &mut self.conns[c];
        if cn.server.closed {
            return;
        }
        cn.server.closed = true;
        // A close announced by `Connection: close` after a response lingers
        // (the response is read first); the others close at once.
        let how = match reason {
            CloseReason::ServerClose | CloseReason::MaxRequests | CloseReason::ErrorResponse => {
                Shutdown::Linger
            }
            CloseReason::ServerIdleTimeout
            | CloseReason::ClientIdleTimeout
            | CloseReason::Error
            | CloseReason::Open
            | CloseReason::ServerReadTimeout
            | CloseReason::Middlebox
            | CloseReason::TimedOut => Shutdown::Close,
        };
        cn.server.idle_deadline = None;
        if let Some(t) = cn.server.idle_timer.take() {
            net.sched.cancel(t);
        }
        if cn.closed_by.is_none() {
            cn.closed_by = Some(reason);
            if reason == CloseReason::ServerIdleTimeout {
                match self.protocol {
                    Protocol::Http10 | Protocol::Http11 => {}
                    Protocol::H2 => h2::write_goaway(net, c),
                    Protocol::H3 => h3::write_goaway(net, c, self.conns[c].next_stream_id),
                }
            }
            net.record(EventKind::ConnectionClosing { conn: c, side: Side::Server, reason });
        }
        net.close(self, c, Side::Server, how);
    }

    pub(crate) fn on_server_idle(&mut self, net: &mut Net, c: ConnId) {
        let server = &mut self.conns[c].server;
        server.idle_timer = None;
        let reason =
            if server.reading { CloseReason::ServerReadTimeout } else { CloseReason::ServerIdleTimeout };
        self.server_close(net, c, reason);
    }

    /// The server's keep-alive timer runs while it has nothing to do and
    /// everything it wrote has left (the transport said so).
    pub(crate) fn maybe_start_server_idle(&mut self, net: &mut Net, c: ConnId) {
        if !self.protocol.persistent(self.sc) {
            return;
        }
        let cn = &self.conns[c];
        let server = &cn.server;
        if server.closed
            || server.idle_timer.is_some()
            || server.in_process > 0
            || !server.order.is_empty()
            || server.streaming()
        {
            return;
        }
        let keep_alive = SimDuration::from_ms_f64(self.sc.server.keep_alive_timeout_ms);
        let timeout = if server.requests == 0 { keep_alive.max(FIRST_REQUEST_TIMEOUT) } else { keep_alive };
        let now = net.now();
        let handle = net.sched.at(now + timeout, Ev::ServerIdle { conn: c });
        let cn = &mut self.conns[c];
        cn.server.idle_timer = Some(handle);
        cn.server.idle_deadline = Some(now + timeout);
        net.record(EventKind::ServerIdleTimerStarted { conn: c, deadline: now + timeout });
    }
}
