//! The client's side of a request: writing it, watching it leave, and
//! receiving its response.

use crate::engine::{Ev, Net};
use crate::http::{h1, h2, h3, Http};
use crate::scenario::Protocol;
use crate::time::{SimDuration, SimTime};
use crate::trace::{ConnId, Content, EventKind, FailureReason, ReqIdx, Side};
use crate::transport::Interleave;

impl Http<'_> {
    /// What a version sends first on a new connection, before any request.
    pub(crate) fn connection_preface(&mut self, net: &mut Net, c: ConnId) {
        match self.protocol {
            Protocol::Http10 | Protocol::Http11 => {}
            Protocol::H2 => h2::write_client_preface(net, c),
            Protocol::H3 => h3::write_control_stream(net, c, Side::Client, self.sc),
        }
    }

    /// Writes request `r` on connection `c` and sends what the transport
    /// allows.
    pub(crate) fn write_request(&mut self, net: &mut Net, c: ConnId, r: ReqIdx) {
        let bytes = self.sc.requests[r as usize].request_bytes as u64;
        let cn = &mut self.conns[c];
        let message = match self.protocol {
            Protocol::Http10 | Protocol::Http11 => h1::request(bytes),
            Protocol::H2 => h2::request(&mut cn.request_headers_sent, bytes),
            Protocol::H3 => h3::request(&mut cn.request_headers_sent, bytes, self.sc),
        };
        net.record(EventKind::RequestWritten {
            request: r,
            conn: c,
            header_bytes: message.header_bytes,
            wire_bytes: message.wire_bytes,
        });
        net.write(c, Side::Client, Content::Request(r), message.wire_bytes, Interleave::InOrder);
        cn.outstanding.push_back(r);
        net.flush(c, Side::Client);
    }

    /// Bytes of a message the client wrote go on the wire: a request's
    /// first byte (its send starts) or last byte (its send ends).
    pub(crate) fn request_sending(
        &mut self,
        net: &mut Net,
        c: ConnId,
        content: Content,
        first: Option<SimTime>,
        last: Option<SimTime>,
    ) {
        let (Content::Request(r) | Content::EarlyRequest(r)) = content else { return };
        let req = &mut self.reqs[r];
        if let (Some(at), None) = (first, req.sent_at) {
            req.sent_at = Some(at);
            net.record(EventKind::RequestSent { request: r, conn: c, leaves: at });
        }
        let req = &mut self.reqs[r];
        if let (Some(at), false) = (last, req.send_ended) {
            req.send_ended = true;
            net.record(EventKind::RequestDeparted { request: r, conn: c, departed: at });
        }
    }

    /// Response bytes wait behind a loss (`behind`: the lost packet) or,
    /// with `None`, are released: one event at the start of an episode and
    /// one at its end, per response.
    pub(crate) fn response_held(
        &mut self,
        net: &mut Net,
        c: ConnId,
        content: Content,
        bytes: u64,
        behind: Option<u64>,
    ) {
        let r = match content {
            Content::Response(r) => r,
            #[cfg(feature = "push")]
            Content::ResponsePart(r) => r,
            _ => return,
        };
        let req = &mut self.reqs[r];
        match behind {
            Some(behind) => {
                if req.held == 0 {
                    req.held_episode = 0;
                    net.record(EventKind::ResponseHeld { request: r, conn: c, bytes, behind });
                }
                req.held += bytes;
                req.held_episode += bytes;
            }
            None if req.held > 0 => {
                req.held = req.held.saturating_sub(bytes);
                if req.held == 0 {
                    let bytes = req.held_episode;
                    net.record(EventKind::ResponseReleased { request: r, conn: c, bytes });
                }
            }
            None => {}
        }
    }

    /// Bytes of a message from the server are in order at the client.
    pub(crate) fn client_receives(
        &mut self,
        net: &mut Net,
        c: ConnId,
        content: Content,
        bytes: u64,
        complete: bool,
    ) {
        let (r, last) = match content {
            Content::Response(r) => (r, true),
            // A part of a streamed response (`push`): not its end.
            #[cfg(feature = "push")]
            Content::ResponsePart(r) => (r, false),
            Content::H2GoAway | Content::H3GoAway => {
                if complete {
                    self.release(net, c);
                }
                return;
            }
            _ => return,
        };
        let req = &mut self.reqs[r];
        let first = req.received == 0;
        req.received += bytes;
        if first {
            let closes = req.closes_connection;
            net.record(EventKind::ResponseFirstByte { request: r, conn: c });
            if closes {
                // `Connection: close` in the headers: no more requests
                // here; the connection still counts until it is read.
                self.conns[c].last_response = true;
            }
        }
        #[cfg(feature = "push")]
        if complete {
            self.deliver_events(net, c, r, last);
        }
        if complete && last {
            self.response_complete(net, c, r);
        }
    }

    fn response_complete(&mut self, net: &mut Net, c: ConnId, r: ReqIdx) {
        let bytes = self.reqs[r].received;
        net.record(EventKind::ResponseComplete { request: r, conn: c, bytes });
        let cn = &mut self.conns[c];
        if let Some(pos) = cn.outstanding.iter().position(|&q| q == r) {
            cn.outstanding.remove(pos);
        }
        self.finish_request(net, r, true);
        if self.reqs[r].closes_connection {
            self.release(net, c);
        } else if self.conns[c].usable() {
            self.take_from_queue(net, c);
        }
    }

    /// Request `r` failed: it will not complete, nor will what waits for it.
    pub(crate) fn fail_request(&mut self, net: &mut Net, r: ReqIdx, conn: ConnId, reason: FailureReason) {
        net.record(EventKind::RequestFailed { request: r, conn, reason });
        self.finish_request(net, r, false);
    }

    /// Request `r` is done, complete or failed: its dependents become ready
    /// (or fail with it), and the page is loaded when none is left.
    fn finish_request(&mut self, net: &mut Net, r: ReqIdx, completed: bool) {
        self.reqs[r].finished = true;
        self.failed += !completed as u32;
        self.unfinished -= 1;
        let dependents = std::mem::take(&mut self.reqs[r].dependents);
        for &d in &dependents {
            if completed {
                let dep = &mut self.reqs[d];
                dep.deps_left -= 1;
                if dep.deps_left == 0 {
                    let delay = SimDuration::from_ms_f64(self.sc.requests[d as usize].delay_ms);
                    net.sched.after(delay, Ev::RequestReady { req: d });
                }
            } else if !self.reqs[d].finished {
                self.fail_request(net, d, 0, FailureReason::DependencyFailed);
            }
        }
        self.reqs[r].dependents = dependents;
        if self.unfinished == 0 {
            self.page_loaded_at = Some(net.now());
            let failed = self.failed;
            net.record(EventKind::PageLoaded { failed });
            let drain = SimDuration::from_ms_f64(
                self.sc.server.keep_alive_timeout_ms.min(self.sc.client.idle_timeout_ms),
            ) + self.sc.rtt().saturating_mul(3)
                + SimDuration::from_millis(1000);
            net.sched.after(drain, Ev::End);
        }
    }
}
