//! HTTP over the transport seam: the client's pool and queue ([`pool`]),
//! the responses it receives ([`client`]), the server ([`server`]), and what
//! each version does differently ([`h1`], [`h2`], [`h3`]).
//!
//! Every decision that differs by version is an exhaustive `match` on
//! [`Protocol`], here or in a method below that answers one question for
//! every version (how requests share connections, whether a connection
//! persists, which transport carries it). A new version is a compile error at
//! each place that must decide.

pub mod client;
pub mod h1;
pub mod h2;
pub mod h3;
pub mod pool;
#[cfg(feature = "push")]
pub mod push;
pub mod server;

use std::collections::VecDeque;

use crate::engine::{Ev, Net};
use crate::scenario::{Protocol, Scenario};
use crate::scheduler::TimerHandle;
use crate::tables::{Conns, Table};
use crate::time::{SimDuration, SimTime};
use crate::trace::{CloseReason, ConnId, EventKind, FailureReason, ReqIdx, Side};
use crate::transport::{Application, TransportEvent, TransportKind};

/// How a version shares a host's connections between requests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ConnectionUse {
    /// HTTP/1.x: one request at a time per connection (several outstanding
    /// when pipelining), up to the per-host limit of connections.
    Serial { pipelining: bool },
    /// HTTP/2 and HTTP/3: one connection per host, requests as concurrent
    /// streams.
    Multiplexed,
}

impl Protocol {
    /// How requests share connections under this version.
    pub(crate) fn connection_use(self, sc: &Scenario) -> ConnectionUse {
        match self {
            Protocol::Http10 => ConnectionUse::Serial { pipelining: false },
            Protocol::Http11 => ConnectionUse::Serial { pipelining: sc.client.pipelining },
            Protocol::H2 | Protocol::H3 => ConnectionUse::Multiplexed,
        }
    }

    /// Does a connection stay open after a response (keep-alive)?
    pub(crate) fn persistent(self, sc: &Scenario) -> bool {
        match self {
            Protocol::Http10 => sc.client.http10_keep_alive,
            Protocol::Http11 | Protocol::H2 | Protocol::H3 => true,
        }
    }

    /// Whether this build of the engine can run the version: HTTP/3 needs
    /// the `quic` feature, which the web app's first load leaves out.
    pub fn in_this_build(self) -> bool {
        match self {
            Protocol::Http10 | Protocol::Http11 | Protocol::H2 => true,
            Protocol::H3 => cfg!(feature = "quic"),
        }
    }

    /// The transport this version runs on.
    pub(crate) fn transport(self) -> TransportKind {
        match self {
            Protocol::Http10 | Protocol::Http11 | Protocol::H2 => TransportKind::Tcp,
            #[cfg(feature = "quic")]
            Protocol::H3 => TransportKind::Quic,
            // A build without QUIC refuses HTTP/3 before a run starts
            // (`engine::run_validated`); nothing reaches this.
            #[cfg(not(feature = "quic"))]
            Protocol::H3 => TransportKind::Tcp,
        }
    }

    /// A multiplexed version's first request stream id and the step to the
    /// next: HTTP/2's client streams are odd (RFC 9113 §5.1.1), QUIC's
    /// client-initiated bidirectional streams are 0, 4, 8 … (RFC 9000 §2.1).
    /// HTTP/1.x numbers no streams.
    pub(crate) fn request_stream_ids(self) -> (u32, u32) {
        match self {
            Protocol::Http10 | Protocol::Http11 | Protocol::H2 => (1, 2),
            Protocol::H3 => (0, 4),
        }
    }
}

/// One HTTP message's size on the wire and how much of it is headers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Message {
    pub header_bytes: u64,
    pub wire_bytes: u64,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum DnsState {
    Unresolved,
    Resolving,
    Resolved,
}

pub(crate) struct Host {
    pub name: String,
    pub dns: DnsState,
    pub queue: VecDeque<ReqIdx>,
    /// The one connection multiplexed versions use, while usable.
    pub mux_conn: Option<ConnId>,
    /// The connections the client has not released, oldest first (released
    /// ones leave, so a page of 100 000 requests over HTTP/1.0 does not
    /// search through 100 000 closed connections for each request).
    pub conns: Vec<ConnId>,
}

/// The client's view of one request (results come from the trace: see
/// [`crate::fold`]).
#[derive(Default)]
pub(crate) struct Req {
    pub host: u32,
    pub deps_left: u32,
    pub dependents: Vec<ReqIdx>,
    /// Its first and last byte have gone on the wire (this attempt): when
    /// the first left.
    pub sent_at: Option<SimTime>,
    pub send_ended: bool,
    /// Response bytes received (this attempt).
    pub received: u64,
    /// Response bytes that arrived but wait behind a loss, and all that have
    /// in this episode.
    pub held: u64,
    pub held_episode: u64,
    /// The server will close the connection after answering it.
    pub closes_connection: bool,
    /// This attempt went out on a connection that had carried a request.
    pub on_reused: bool,
    /// It was lost to a close once already (browsers retry once).
    pub retried: bool,
    /// Complete or failed: nothing more happens to it.
    pub finished: bool,
    /// Events in its response (`push`), one entry per part written and not
    /// yet delivered: a streamed response's header part carries none.
    #[cfg(feature = "push")]
    pub carried: VecDeque<Option<u32>>,
}

/// HTTP's view of one connection: the client's pool state and the
/// server's. (Packets, windows and handshakes are the transport's.)
pub(crate) struct HttpConn {
    pub id: ConnId,
    pub host: u32,
    pub waiting_dns: bool,

    // The client.
    /// Handshakes done: requests may be written.
    pub ready: bool,
    /// The client will put no more requests on it, and it no longer counts
    /// toward the per-host limit.
    pub released: bool,
    pub client_closed: bool,
    /// The server's response said `Connection: close`: no more requests go
    /// on it, but it holds its place in the per-host limit until that
    /// response has been read (as browsers count a socket).
    pub last_response: bool,
    /// Assigned, waiting for the connection to be ready.
    pub pending: VecDeque<ReqIdx>,
    /// Written, response not complete (in order for HTTP/1.x).
    pub outstanding: VecDeque<ReqIdx>,
    /// Requests assigned to it so far.
    pub carried: u32,
    pub next_stream_id: u32,
    /// HPACK: a header block has gone each way (the tables are warm).
    pub request_headers_sent: bool,
    pub response_headers_sent: bool,
    pub client_idle_timer: Option<TimerHandle>,
    /// Idle (nothing assigned) since then.
    pub idle_since: Option<SimTime>,

    // The server.
    pub server: ServerConn,

    /// The first side's reason to close.
    pub closed_by: Option<CloseReason>,
}

/// The server's side of one connection.
#[derive(Default)]
pub(crate) struct ServerConn {
    pub closed: bool,
    pub requests: u32,
    /// Stop reading: a response carrying `Connection: close` is on its way.
    pub stop_reading: bool,
    /// HTTP/1.x responses in request order, with "processing done" flags.
    pub order: VecDeque<(ReqIdx, bool)>,
    /// Serial pipelining: received, waiting for the one before to finish.
    pub waiting: VecDeque<ReqIdx>,
    pub busy: bool,
    pub in_process: u32,
    pub idle_timer: Option<TimerHandle>,
    pub idle_deadline: Option<SimTime>,
    /// A request has begun to arrive: the timer running is the read timer.
    pub reading: bool,
    /// A response is open as a stream (`push`): the connection is busy,
    /// and HTTP/1.x responses behind it wait for its end.
    #[cfg(feature = "push")]
    pub streaming: bool,
}

impl ServerConn {
    /// A response is open as a stream (never without the feature `push`).
    pub fn streaming(&self) -> bool {
        #[cfg(feature = "push")]
        return self.streaming;
        #[cfg(not(feature = "push"))]
        false
    }
}

impl HttpConn {
    pub fn active(&self) -> usize {
        self.pending.len() + self.outstanding.len()
    }

    /// It takes new requests.
    pub fn usable(&self) -> bool {
        self.counted() && !self.last_response
    }

    /// It holds a place in the per-host connection limit.
    pub fn counted(&self) -> bool {
        !self.released && !self.client_closed
    }
}

/// The HTTP layer of one run: the client's hosts, requests and pool, and
/// the server.
pub(crate) struct Http<'a> {
    pub sc: &'a Scenario,
    pub protocol: Protocol,
    pub conns: Conns<HttpConn>,
    pub hosts: Table<Host>,
    pub reqs: Table<Req>,
    pub unfinished: usize,
    /// Requests that failed so far.
    pub failed: u32,
    pub page_loaded_at: Option<SimTime>,
    pub open_conns: usize,
    /// The server's events (`push`).
    #[cfg(feature = "push")]
    pub push: push::PushServer,
}

impl<'a> Http<'a> {
    pub fn new(sc: &'a Scenario, protocol: Protocol) -> Self {
        let mut hosts: Vec<Host> = Vec::new();
        let mut reqs: Vec<Req> = Vec::with_capacity(sc.requests.len());
        for spec in &sc.requests {
            let host = match hosts.iter().position(|h| h.name == spec.host) {
                Some(i) => i,
                None => {
                    hosts.push(Host {
                        name: spec.host.clone(),
                        dns: DnsState::Unresolved,
                        queue: VecDeque::new(),
                        mux_conn: None,
                        conns: Vec::new(),
                    });
                    hosts.len() - 1
                }
            };
            reqs.push(Req { host: host as u32, deps_left: spec.after.len() as u32, ..Req::default() });
        }
        for (i, spec) in sc.requests.iter().enumerate() {
            for dep in &spec.after {
                if let Some(j) = sc.requests.iter().position(|r| &r.id == dep) {
                    reqs[j].dependents.push(i as ReqIdx);
                }
            }
        }
        Http {
            sc,
            protocol,
            conns: Conns::new(),
            hosts: Table(hosts),
            unfinished: reqs.len(),
            failed: 0,
            reqs: Table(reqs),
            page_loaded_at: None,
            open_conns: 0,
            #[cfg(feature = "push")]
            push: push::PushServer::default(),
        }
    }

    /// Schedules the requests that wait for nothing.
    pub fn start(&mut self, net: &mut Net) {
        #[cfg(feature = "push")]
        self.start_push(net);
        for (i, spec) in self.sc.requests.iter().enumerate() {
            if spec.after.is_empty() {
                net.sched.at(
                    SimTime::ZERO + SimDuration::from_ms_f64(spec.delay_ms),
                    Ev::RequestReady { req: i as ReqIdx },
                );
            }
        }
    }

    pub fn host_names(&self) -> Vec<String> {
        self.hosts.0.iter().map(|h| h.name.clone()).collect()
    }

    /// The page has loaded and every connection has closed.
    pub fn settled(&self) -> bool {
        self.page_loaded_at.is_some() && self.open_conns == 0
    }

    pub fn on_request_ready(&mut self, net: &mut Net, req: ReqIdx) {
        net.record(EventKind::RequestReady { request: req });
        self.dispatch(net, req);
    }

    /// The peer's FIN is in order at `at`.
    fn peer_closed(&mut self, net: &mut Net, c: ConnId, at: Side) {
        match at {
            Side::Client => {
                // The server closed: whatever it did not answer is retried,
                // and the client closes its end too.
                self.release(net, c);
                self.rescue_requests(net, c);
                let cn = &mut self.conns[c];
                if !cn.client_closed {
                    cn.client_closed = true;
                    net.close(self, c, Side::Client, crate::transport::Shutdown::Close);
                }
            }
            Side::Server => {
                let cn = &mut self.conns[c];
                if !cn.server.closed {
                    cn.server.closed = true;
                    cn.server.idle_deadline = None;
                    if let Some(t) = cn.server.idle_timer.take() {
                        net.sched.cancel(t);
                    }
                    net.close(self, c, Side::Server, crate::transport::Shutdown::Close);
                }
            }
        }
    }

    /// A reset stopped `at`'s end of the connection (`reason`: a middlebox's
    /// reset, or TCP giving up).
    fn reset(&mut self, net: &mut Net, c: ConnId, at: Side, reason: Option<CloseReason>) {
        if let Some(reason) = reason {
            if self.conns[c].closed_by.is_none() {
                self.conns[c].closed_by = Some(reason);
                net.record(EventKind::ConnectionClosing { conn: c, side: at, reason });
            }
        }
        match at {
            Side::Client => {
                self.conns[c].client_closed = true;
                if reason.is_some() && !self.conns[c].ready {
                    // A connection attempt failed (a middlebox's reset, or
                    // the handshake timed out): as a browser fails the
                    // request that waited for it, the oldest request
                    // waiting for a connection to this host fails.
                    let host = self.conns[c].host;
                    if let Some(r) = self.hosts[host].queue.pop_front() {
                        self.fail_request(net, r, c, FailureReason::LostOnNewConnection);
                    }
                }
                self.release(net, c);
                self.rescue_requests(net, c);
            }
            Side::Server => self.conns[c].server.closed = true,
        }
    }

    /// `at` forgot the connection after the transport's idle timeout (QUIC,
    /// silently): as a close for that side, reported as `reason`.
    #[cfg(feature = "quic")]
    fn idle_expired(&mut self, net: &mut Net, c: ConnId, at: Side, reason: CloseReason) {
        let cn = &mut self.conns[c];
        cn.closed_by.get_or_insert(reason);
        match at {
            Side::Client => {
                cn.client_closed = true;
                if !cn.ready {
                    // A connect that failed: without this, a path too slow
                    // for the handshake opens attempt after attempt.
                    let host = cn.host;
                    if let Some(r) = self.hosts[host].queue.pop_front() {
                        self.fail_request(net, r, c, FailureReason::ConnectFailed);
                    }
                }
                self.release(net, c);
                self.rescue_requests(net, c);
            }
            Side::Server => {
                let server = &mut cn.server;
                server.closed = true;
                server.idle_deadline = None;
                if let Some(t) = server.idle_timer.take() {
                    net.sched.cancel(t);
                }
            }
        }
    }

    /// Nothing is left to happen, yet requests wait on connections a
    /// middlebox forgot (or for such a connection's handshake): they fail
    /// ([`FailureReason::NoResponse`]). Returns whether anything changed.
    #[cfg(feature = "keepalive")]
    pub(crate) fn fail_hung(&mut self, net: &mut Net) -> bool {
        let hung: Vec<ConnId> = self
            .conns
            .0
            .iter()
            .filter(|cn| cn.active() > 0 && net.silently_dead(cn.id))
            .map(|cn| cn.id)
            .collect();
        for &c in &hung {
            let cn = &mut self.conns[c];
            let waiting: Vec<ReqIdx> = cn.outstanding.drain(..).chain(cn.pending.drain(..)).collect();
            for r in waiting {
                if !self.reqs[r].finished {
                    self.fail_request(net, r, c, FailureReason::NoResponse);
                }
            }
            // The client gives up on it: queued requests take another.
            self.release(net, c);
        }
        // A connection still in its handshake that can never finish it: the
        // oldest request waiting for a connection to its host fails with it,
        // as with a connect that failed.
        let stuck: Vec<ConnId> = self
            .conns
            .0
            .iter()
            .filter(|cn| cn.usable() && !cn.ready && !cn.waiting_dns && net.silently_dead(cn.id))
            .map(|cn| cn.id)
            .collect();
        for &c in &stuck {
            let host = self.conns[c].host;
            if let Some(r) = self.hosts[host].queue.pop_front() {
                self.fail_request(net, r, c, FailureReason::NoResponse);
            }
            self.release(net, c);
        }
        !hung.is_empty() || !stuck.is_empty()
    }

    /// Both ends are done: the connection leaves the run.
    fn connection_closed(&mut self, net: &mut Net, c: ConnId) {
        let cn = &mut self.conns[c];
        let idle_timers = [cn.server.idle_timer.take(), cn.client_idle_timer.take()];
        for t in idle_timers.into_iter().flatten() {
            net.sched.cancel(t);
        }
        self.open_conns -= 1;
        self.release(net, c);
    }
}

impl Application for Http<'_> {
    fn on_transport(&mut self, net: &mut Net, c: ConnId, event: TransportEvent) {
        match event {
            TransportEvent::Ready { mode } => self.client_ready(net, c, mode),
            TransportEvent::Delivered { at: Side::Client, content, bytes, complete } => {
                self.client_receives(net, c, content, bytes, complete)
            }
            TransportEvent::Delivered { at: Side::Server, content, complete, .. } => {
                self.server_receives(net, c, content, complete)
            }
            TransportEvent::Sending { side: Side::Client, content, first, last } => {
                self.request_sending(net, c, content, first, last)
            }
            TransportEvent::Sending { side: Side::Server, .. } => {}
            TransportEvent::AllSent { side: Side::Server } => self.maybe_start_server_idle(net, c),
            TransportEvent::AllSent { side: Side::Client } => {}
            TransportEvent::Held { at: Side::Client, content, bytes, behind } => {
                self.response_held(net, c, content, bytes, Some(behind))
            }
            TransportEvent::Released { at: Side::Client, content, bytes } => {
                self.response_held(net, c, content, bytes, None)
            }
            TransportEvent::Held { at: Side::Server, .. }
            | TransportEvent::Released { at: Side::Server, .. } => {}
            TransportEvent::PeerClosed { at } => self.peer_closed(net, c, at),
            TransportEvent::Reset { at, reason } => self.reset(net, c, at, reason),
            #[cfg(feature = "quic")]
            TransportEvent::IdleTimeout { at, reason } => self.idle_expired(net, c, at, reason),
            TransportEvent::Closed => self.connection_closed(net, c),
        }
    }
}
