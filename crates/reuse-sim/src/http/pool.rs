//! The client's connection pool and request queue, per host.
//!
//! The spec's policy for HTTP/1.x: a ready request takes an idle connection
//! to its host (the most recently used: browsers prefer warm sockets); else
//! opens a new one while fewer than `max_connections_per_host` exist; else
//! (pipelining) joins the ready connection with the fewest outstanding; else
//! it queues, and the first connection to become free, new or reused, takes
//! the oldest queued request. HTTP/2 uses one connection per host and queues
//! beyond the server's stream limit.

use crate::engine::{Ev, Net};
use crate::http::{ConnectionUse, DnsState, Http, HttpConn, ServerConn};
use crate::time::SimDuration;
use crate::trace::{CloseReason, ConnId, EventKind, FailureReason, QueueReason, ReqIdx, Side, TlsMode};
use crate::transport::Shutdown;

impl Http<'_> {
    /// A request is ready (or must be sent again): give it a connection, or
    /// queue it.
    pub(crate) fn dispatch(&mut self, net: &mut Net, r: ReqIdx) {
        let host = self.reqs[r].host;
        match self.protocol.connection_use(self.sc) {
            ConnectionUse::Multiplexed => match self.hosts[host].mux_conn {
                Some(c) if self.conns[c].usable() => {
                    let cn = &self.conns[c];
                    if !cn.ready {
                        self.enqueue(net, r, QueueReason::WaitingForConnection);
                    } else if cn.active() < self.sc.server.max_concurrent_streams as usize {
                        self.assign(net, r, c);
                    } else {
                        self.enqueue(net, r, QueueReason::StreamLimit);
                    }
                }
                _ => {
                    self.open_connection(net, host);
                    self.enqueue(net, r, QueueReason::WaitingForConnection);
                }
            },
            ConnectionUse::Serial { pipelining } => {
                if let Some(c) = self.idle_connection(host) {
                    self.assign(net, r, c);
                } else if self.live_connections(host) < self.sc.client.max_connections_per_host as usize {
                    self.open_connection(net, host);
                    self.enqueue(net, r, QueueReason::WaitingForConnection);
                } else if let Some(c) = self.pipeline_candidate(host, pipelining) {
                    self.assign(net, r, c);
                } else {
                    self.enqueue(net, r, QueueReason::ConnectionLimit);
                }
            }
        }
    }

    fn enqueue(&mut self, net: &mut Net, r: ReqIdx, reason: QueueReason) {
        let host = self.reqs[r].host;
        self.hosts[host].queue.push_back(r);
        net.record(EventKind::RequestQueued { request: r, reason });
    }

    /// The most recently idle ready connection (browsers prefer warm sockets).
    fn idle_connection(&self, host: u32) -> Option<ConnId> {
        self.hosts[host]
            .conns
            .iter()
            .map(|&c| &self.conns[c])
            .filter(|cn| cn.usable() && cn.ready && cn.active() == 0)
            .max_by_key(|cn| (cn.idle_since, std::cmp::Reverse(cn.id)))
            .map(|cn| cn.id)
    }

    fn live_connections(&self, host: u32) -> usize {
        self.hosts[host].conns.iter().filter(|&&c| self.conns[c].counted()).count()
    }

    /// HTTP/1.1 pipelining: the ready connection with the fewest requests
    /// outstanding (lowest id on a tie).
    fn pipeline_candidate(&self, host: u32, pipelining: bool) -> Option<ConnId> {
        if !pipelining {
            return None;
        }
        self.hosts[host]
            .conns
            .iter()
            .map(|&c| &self.conns[c])
            .filter(|cn| cn.usable() && cn.ready)
            .min_by_key(|cn| (cn.active(), cn.id))
            .map(|cn| cn.id)
    }

    fn assign(&mut self, net: &mut Net, r: ReqIdx, c: ConnId) {
        let mux = self.protocol.connection_use(self.sc);
        let (_, stream_step) = self.protocol.request_stream_ids();
        let cn = &mut self.conns[c];
        let reused = cn.carried > 0;
        let active = cn.active() as u32;
        cn.carried += 1;
        cn.idle_since = None;
        let (stream, behind) = match mux {
            ConnectionUse::Serial { .. } => (None, active),
            ConnectionUse::Multiplexed => {
                let id = cn.next_stream_id;
                cn.next_stream_id += stream_step;
                (Some(id), 0)
            }
        };
        if let Some(t) = cn.client_idle_timer.take() {
            net.sched.cancel(t);
        }
        self.reqs[r].on_reused = reused;
        net.record(EventKind::RequestAssigned { request: r, conn: c, reused, behind, stream });
        if self.conns[c].ready {
            self.write_request(net, c, r);
        } else {
            self.conns[c].pending.push_back(r);
        }
    }

    pub(crate) fn open_connection(&mut self, net: &mut Net, host: u32) -> ConnId {
        let id = net.open(host, self.protocol.transport());
        debug_assert_eq!(id, self.conns.next_id(), "transport and HTTP number connections alike");
        self.conns.0.push(HttpConn {
            id,
            host,
            waiting_dns: false,
            ready: false,
            released: false,
            client_closed: false,
            last_response: false,
            pending: Default::default(),
            outstanding: Default::default(),
            carried: 0,
            next_stream_id: self.protocol.request_stream_ids().0,
            request_headers_sent: false,
            response_headers_sent: false,
            client_idle_timer: None,
            idle_since: None,
            server: ServerConn::default(),
            closed_by: None,
        });
        self.open_conns += 1;
        let h = &mut self.hosts[host];
        h.conns.push(id);
        match self.protocol.connection_use(self.sc) {
            ConnectionUse::Multiplexed => h.mux_conn = Some(id),
            ConnectionUse::Serial { .. } => {}
        }
        net.record(EventKind::ConnectionOpened { conn: id, host });
        let needs_dns = self.sc.dns_ms > 0.0 && self.hosts[host].dns != DnsState::Resolved;
        if needs_dns {
            self.conns[id].waiting_dns = true;
            if self.hosts[host].dns == DnsState::Unresolved {
                self.hosts[host].dns = DnsState::Resolving;
                net.record(EventKind::DnsStart { host });
                net.sched.after(SimDuration::from_ms_f64(self.sc.dns_ms), Ev::DnsDone { host });
            }
        } else {
            net.connect(id);
        }
        id
    }

    pub(crate) fn on_dns_done(&mut self, net: &mut Net, host: u32) {
        self.hosts[host].dns = DnsState::Resolved;
        net.record(EventKind::DnsDone { host });
        let waiting: Vec<ConnId> = self.hosts[host].conns.clone();
        for c in waiting {
            let cn = &mut self.conns[c];
            if cn.waiting_dns {
                cn.waiting_dns = false;
                net.connect(c);
                if self.conns[c].released {
                    self.hosts[host].conns.retain(|&o| o != c);
                }
            }
        }
    }

    /// After a connection leaves the pool: a queued request may open another.
    fn pump_host(&mut self, net: &mut Net, host: u32) {
        if self.hosts[host].queue.is_empty() {
            return;
        }
        let needs_new = match self.protocol.connection_use(self.sc) {
            ConnectionUse::Multiplexed => self.hosts[host].mux_conn.is_none(),
            ConnectionUse::Serial { .. } => {
                // Connections still being set up will take queued requests
                // when ready; open more only for the requests beyond them.
                let h = &self.hosts[host];
                let connecting =
                    h.conns.iter().filter(|&&c| self.conns[c].usable() && !self.conns[c].ready).count();
                self.idle_connection(host).is_none()
                    && h.queue.len() > connecting
                    && self.live_connections(host) < self.sc.client.max_connections_per_host as usize
            }
        };
        if needs_new {
            self.open_connection(net, host);
        } else if let Some(c) = self.idle_connection(host) {
            self.take_from_queue(net, c);
        }
    }

    /// A connection can carry more: give it the oldest queued requests, or
    /// let it go idle.
    pub(crate) fn take_from_queue(&mut self, net: &mut Net, c: ConnId) {
        let host = self.conns[c].host;
        let connection_use = self.protocol.connection_use(self.sc);
        let limit = match connection_use {
            ConnectionUse::Multiplexed => self.sc.server.max_concurrent_streams as usize,
            ConnectionUse::Serial { .. } => 1,
        };
        while self.conns[c].usable() && self.conns[c].active() < limit {
            let Some(r) = self.hosts[host].queue.pop_front() else { break };
            self.assign(net, r, c);
        }
        if let ConnectionUse::Serial { pipelining: true } = connection_use {
            // Pipelining: the queued requests beyond those the connections
            // still being set up will take go out behind it now (HPBN ch. 11:
            // requests waiting when the connection opens are pipelined).
            let connecting = self.hosts[host]
                .conns
                .iter()
                .filter(|&&o| o != c && self.conns[o].usable() && !self.conns[o].ready)
                .count();
            while self.conns[c].usable() && self.conns[c].ready && self.hosts[host].queue.len() > connecting {
                let Some(r) = self.hosts[host].queue.pop_front() else { break };
                self.assign(net, r, c);
            }
        }
        let now = net.now();
        let client_timeout = SimDuration::from_ms_f64(self.sc.client.idle_timeout_ms);
        let cn = &mut self.conns[c];
        if cn.active() == 0 && cn.usable() && cn.ready && cn.idle_since.is_none() {
            cn.idle_since = Some(now);
            let deadline = now + client_timeout;
            let server_deadline = cn.server.idle_deadline;
            let handle = net.sched.at(deadline, Ev::ClientIdle { conn: c });
            self.conns[c].client_idle_timer = Some(handle);
            net.record(EventKind::ConnectionIdle { conn: c, client_deadline: deadline, server_deadline });
        }
    }

    /// The client stops using a connection; queued work may need another.
    pub(crate) fn release(&mut self, net: &mut Net, c: ConnId) {
        let cn = &mut self.conns[c];
        if cn.released {
            return;
        }
        cn.released = true;
        cn.idle_since = None;
        net.record(EventKind::ConnectionReleased { conn: c });
        if let Some(t) = self.conns[c].client_idle_timer.take() {
            net.sched.cancel(t);
        }
        let host = self.conns[c].host;
        let h = &mut self.hosts[host];
        if h.mux_conn == Some(c) {
            h.mux_conn = None;
        }
        // A connection still waiting for DNS stays until it connects.
        if !self.conns[c].waiting_dns {
            h.conns.retain(|&o| o != c);
        }
        self.pump_host(net, host);
    }

    /// The transport can carry requests: write the ones waiting for it.
    pub(crate) fn client_ready(&mut self, net: &mut Net, c: ConnId, mode: TlsMode) {
        let cn = &mut self.conns[c];
        if cn.ready {
            return;
        }
        cn.ready = true;
        self.connection_preface(net, c);
        net.record(EventKind::ConnectionReady { conn: c, mode });
        while let Some(r) = self.conns[c].pending.pop_front() {
            self.write_request(net, c, r);
        }
        self.take_from_queue(net, c);
        net.flush(c, Side::Client);
    }

    /// Requests on a connection the server closed (or reset) before
    /// answering. As browsers do: requests behind a `Connection: close` the
    /// server announced go again; a request lost to an unannounced close
    /// (the keep-alive race) goes again once, and only if it went out on a
    /// reused connection and none of its response had come; otherwise it
    /// fails. Requests not yet sent go back to the pool.
    pub(crate) fn rescue_requests(&mut self, net: &mut Net, c: ConnId) {
        let closed_by = self.conns[c].closed_by.unwrap_or(CloseReason::Error);
        let announced = self.conns[c].last_response;
        let cn = &mut self.conns[c];
        let lost: Vec<ReqIdx> = cn.outstanding.drain(..).collect();
        let unsent: Vec<ReqIdx> = cn.pending.drain(..).collect();
        let mut again = Vec::with_capacity(lost.len() + unsent.len());
        for r in lost {
            let req = &mut self.reqs[r];
            let verdict = after_close(req.received > 0, announced, req.on_reused, req.retried);
            let sent = req.sent_at.unwrap_or(net.now());
            if verdict == Ok(true) {
                req.retried = true;
            }
            req.sent_at = None;
            req.send_ended = false;
            req.received = 0;
            req.held = 0;
            match verdict {
                Ok(_) => {
                    net.record(EventKind::RequestLost { request: r, conn: c, closed_by, sent });
                    again.push(r);
                }
                Err(reason) => self.fail_request(net, r, c, reason),
            }
        }
        again.extend(unsent);
        for r in again {
            self.dispatch(net, r);
        }
    }

    pub(crate) fn client_close(&mut self, net: &mut Net, c: ConnId, reason: CloseReason) {
        let cn = &mut self.conns[c];
        if cn.client_closed {
            return;
        }
        cn.client_closed = true;
        if cn.closed_by.is_none() {
            cn.closed_by = Some(reason);
            net.record(EventKind::ConnectionClosing { conn: c, side: Side::Client, reason });
        }
        self.release(net, c);
        net.close(self, c, Side::Client, Shutdown::Close);
    }

    pub(crate) fn on_client_idle(&mut self, net: &mut Net, c: ConnId) {
        let cn = &mut self.conns[c];
        cn.client_idle_timer = None;
        if cn.active() == 0 && cn.usable() {
            self.client_close(net, c, CloseReason::ClientIdleTimeout);
        }
    }
}

/// What a browser does with a request whose connection closed under it
/// (Chrome's `HttpNetworkTransaction::HandleIOError`, Firefox likewise):
/// `Ok(counts)` sends it again (`counts`: this uses up its one retry),
/// `Err` fails it. Requests behind an announced `Connection: close` go
/// again freely; a request lost to an unannounced close goes again once,
/// only if it went out on a reused connection (where the close may be the
/// keep-alive race) and none of its response had come.
pub(crate) fn after_close(
    response_started: bool,
    announced: bool,
    on_reused: bool,
    retried: bool,
) -> Result<bool, FailureReason> {
    if response_started {
        Err(FailureReason::ResponseCut)
    } else if announced {
        Ok(false)
    } else if !on_reused {
        Err(FailureReason::LostOnNewConnection)
    } else if retried {
        Err(FailureReason::LostAgain)
    } else {
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_lost_to_a_close_goes_again_once_and_only_from_a_reused_connection() {
        assert_eq!(after_close(false, false, true, false), Ok(true), "the keep-alive race: retry");
        assert_eq!(after_close(false, false, true, true), Err(FailureReason::LostAgain));
        assert_eq!(after_close(false, false, false, false), Err(FailureReason::LostOnNewConnection));
        assert_eq!(after_close(true, false, true, false), Err(FailureReason::ResponseCut));
        assert_eq!(after_close(false, true, false, true), Ok(false), "announced: again, not counted");
    }
}
