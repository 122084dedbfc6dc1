//! The simulation: links, TCP endpoints, TLS flights and HTTP on one clock.
//!
//! [`simulate`] builds a [`Sim`], runs its event loop and sums the trace into
//! results. HTTP logic lives here because it is where the layers meet: the
//! client's per-host pool and queue, the HTTP/1.x server (serial or parallel
//! pipelined processing, responses in order), HTTP/2 streams with round-robin
//! frames, keep-alive timers on both sides and the keep-alive race.

use crate::time::decimal;
use std::collections::VecDeque;
use std::fmt;
use std::ops::{Index, IndexMut};

use crate::link::{Link, Loss, Transit};
use crate::result::{ConnectionResult, IdlePeriod, RequestResult, RunResult, SimOutput, Totals};
use crate::scenario::{PipelineProcessing, Protocol, Scenario, ScenarioError};
use crate::scheduler::{LazyTimer, Scheduler, TimerFire, TimerHandle};
use crate::tcp::{TcpConfig, TcpEndpoint, TimerAction, DELAYED_ACK_TIMEOUT};
use crate::time::{SimDuration, SimTime};
use crate::tls;
use crate::trace::{
    CloseReason, ConnId, Content, CwndCause, EventKind, Flags, PacketInfo, QueueReason, ReqIdx, Side,
    TcpState, TlsMode, TraceEvent,
};

/// How long a server waits for the *first* request on a connection (nginx's
/// `client_header_timeout`, Apache's `Timeout`: 60 s). The keep-alive
/// timeout applies between requests, never during the TLS handshake.
pub const FIRST_REQUEST_TIMEOUT: SimDuration = SimDuration::from_millis(60_000);

/// HTTP/2 frame header (RFC 9113 §4.1).
pub const H2_FRAME_HEADER_BYTES: u64 = 9;
/// SETTINGS_MAX_FRAME_SIZE initial value (RFC 9113 §6.5.2): DATA frames are
/// cut at this size, and the server round-robins between streams per frame.
pub const H2_MAX_FRAME_PAYLOAD: u64 = 16_384;
/// Client connection preface (24) + SETTINGS (9 + 3×6) + WINDOW_UPDATE (13).
pub const H2_CLIENT_PREFACE_BYTES: u64 = 64;
/// Server SETTINGS (9 + 3×6) + SETTINGS ack (9).
pub const H2_SERVER_SETTINGS_BYTES: u64 = 36;
/// GOAWAY frame (9 + 8).
pub const H2_GOAWAY_BYTES: u64 = 17;
/// HPACK model: after the first request (or response) on a connection has
/// filled the dynamic table, later header blocks shrink to this fraction
/// (the changed `:path` and a few one-byte indices) …
pub const HPACK_REPEAT_DIVISOR: u64 = 10;
/// … but never below this many bytes.
pub const HPACK_MIN_REPEAT_BYTES: u64 = 16;

/// Caps that end a runaway scenario with an error instead of a hang.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub max_events: u64,
    pub max_time_ms: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_events: 5_000_000, max_time_ms: 4 * 3_600_000 }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum SimError {
    Scenario(ScenarioError),
    EventLimit {
        limit: u64,
        at_ms: f64,
    },
    TimeLimit {
        limit_ms: u64,
    },
    /// Nothing left to do but requests remain: an engine bug, reported
    /// rather than hidden.
    Stalled {
        at_ms: f64,
        unfinished: usize,
    },
}

impl fmt::Display for SimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SimError::Scenario(e) => e.fmt(f),
            SimError::EventLimit { limit, at_ms } => write!(
                f,
                "simulation: stopped after {limit} events at {} ms of simulated time; \
                 the scenario is too large or never settles",
                decimal(*at_ms)
            ),
            SimError::TimeLimit { limit_ms } => {
                write!(f, "simulation: simulated time passed {limit_ms} ms before the page loaded")
            }
            SimError::Stalled { at_ms, unfinished } => write!(
                f,
                "simulation: stalled at {} ms with {unfinished} requests unfinished (engine bug)",
                decimal(*at_ms)
            ),
        }
    }
}

impl std::error::Error for SimError {}

impl From<ScenarioError> for SimError {
    fn from(e: ScenarioError) -> Self {
        SimError::Scenario(e)
    }
}

/// Runs one scenario under `scenario.client.protocol`.
pub fn simulate(scenario: &Scenario) -> Result<SimOutput, SimError> {
    simulate_with_limits(scenario, Limits::default())
}

pub fn simulate_with_limits(scenario: &Scenario, limits: Limits) -> Result<SimOutput, SimError> {
    scenario.validate()?;
    run_validated(scenario, scenario.client.protocol, limits)
}

/// Runs one scenario under each protocol in turn, on the same clock and
/// seed. The scenario is validated once and never copied, which matters when
/// a view re-simulates on every keystroke.
pub fn simulate_each(
    scenario: &Scenario,
    protocols: &[Protocol],
    limits: Limits,
) -> Result<Vec<SimOutput>, SimError> {
    scenario.validate()?;
    protocols.iter().map(|&p| run_validated(scenario, p, limits)).collect()
}

fn run_validated(scenario: &Scenario, protocol: Protocol, limits: Limits) -> Result<SimOutput, SimError> {
    let mut sim = Sim::new(scenario, protocol);
    sim.run(limits)?;
    Ok(sim.finish())
}

// ---------------------------------------------------------------------------
// Events and packets
// ---------------------------------------------------------------------------

/// Index of an event in the trace.
type TraceIndex = u32;

#[derive(Clone, Copy, Debug)]
struct Packet {
    id: u64,
    flags: Flags,
    seq: u64,
    ack: u64,
    len: u32,
}

/// A scheduled event. Packet events name the packet by its `PacketSent`
/// entry in the trace, which holds everything about it: that keeps `Ev` at
/// 12 bytes, moved as scalars rather than copied through memory.
#[derive(Clone, Copy, Debug)]
enum Ev {
    Arrive { sent: TraceIndex },
    Lost { sent: TraceIndex },
    Rto { conn: ConnId, side: Side },
    DelayedAck { conn: ConnId, side: Side },
    ServerIdle { conn: ConnId },
    ClientIdle { conn: ConnId },
    RequestReady { req: ReqIdx },
    DnsDone { host: u32 },
    ServerDone { conn: ConnId, req: ReqIdx },
    End,
}

// ---------------------------------------------------------------------------
// Byte streams: what the application wrote, as tagged chunks
// ---------------------------------------------------------------------------

#[derive(Clone, Copy, Debug)]
struct Chunk {
    start: u64,
    len: u64,
    content: Content,
    ends_message: bool,
}

#[derive(Clone, Copy, Debug)]
struct Message {
    content: Content,
    remaining: u64,
}

/// One direction of a connection. The application queues messages; TCP
/// pulls bytes only when it can send them (so HTTP/2 interleaving and the
/// server's keep-alive timer follow what really left).
#[derive(Default)]
struct Stream {
    chunks: Vec<Chunk>,
    /// Bytes pulled so far (the end of the last chunk).
    written: u64,
    /// Messages in order (TLS flights, HTTP/1 messages, HTTP/2 control).
    fifo: VecDeque<Message>,
    /// HTTP/2 responses, served round-robin one frame at a time.
    round_robin: VecDeque<Message>,
    /// Receiver's cursor: first chunk not fully delivered, bytes delivered.
    rx_chunk: usize,
    rx_delivered: u64,
}

impl Stream {
    fn has_queued(&self) -> bool {
        !self.fifo.is_empty() || !self.round_robin.is_empty()
    }

    /// Pulls at least one byte if any is queued: up to `want` bytes of the
    /// head message, or one whole HTTP/2 frame.
    fn pull(&mut self, want: u64) {
        let (message, frame) = if let Some(m) = self.fifo.front_mut() {
            (m, false)
        } else if let Some(m) = self.round_robin.front_mut() {
            (m, true)
        } else {
            return;
        };
        let n = if frame {
            message.remaining.min(H2_MAX_FRAME_PAYLOAD + H2_FRAME_HEADER_BYTES)
        } else {
            message.remaining.min(want.max(1))
        };
        message.remaining -= n;
        let content = message.content;
        let done = message.remaining == 0;
        match self.chunks.last_mut() {
            Some(last) if last.content == content && !last.ends_message => {
                last.len += n;
                last.ends_message = done;
            }
            _ => self.chunks.push(Chunk { start: self.written, len: n, content, ends_message: done }),
        }
        self.written += n;
        if frame {
            let m = self.round_robin.pop_front().expect("front exists");
            if !done {
                self.round_robin.push_back(m);
            }
        } else if done {
            self.fifo.pop_front();
        }
    }

    /// Index of the chunk holding byte `seq`.
    fn chunk_at(&self, seq: u64) -> usize {
        // New data is in the last chunk; the chunks are contiguous, so no
        // earlier one can hold it.
        match self.chunks.last() {
            Some(last) if last.start <= seq && seq < last.start + last.len => self.chunks.len() - 1,
            _ => self.chunks.partition_point(|c| c.start + c.len <= seq),
        }
    }
}

// ---------------------------------------------------------------------------
// Connections, hosts, requests
// ---------------------------------------------------------------------------

struct Conn {
    id: ConnId,
    host: u32,
    tcp: [TcpEndpoint; 2],
    /// Indexed by the sending side.
    streams: [Stream; 2],
    rto_timer: [LazyTimer; 2],
    delack_timer: [LazyTimer; 2],
    server_idle_timer: Option<TimerHandle>,
    server_idle_deadline: Option<SimTime>,
    client_idle_timer: Option<TimerHandle>,

    opened_at: SimTime,
    dns: Option<(SimTime, SimTime)>,
    waiting_dns: bool,
    syn_at: Option<SimTime>,
    synack_at: Option<SimTime>,
    established_at: Option<SimTime>,
    ready_at: Option<SimTime>,
    tls_mode: TlsMode,
    tls_done: bool,

    // client HTTP
    ready: bool,
    /// The client will put no more requests on it.
    released: bool,
    client_app_closed: bool,
    /// Assigned, waiting for the connection to be ready.
    pending: VecDeque<ReqIdx>,
    /// Written, response not complete (in order for HTTP/1.x).
    outstanding: VecDeque<ReqIdx>,
    carried: Vec<ReqIdx>,
    first_request: Option<ReqIdx>,
    next_stream_id: u32,
    h2_request_headers_sent: bool,
    h2_response_headers_sent: bool,
    idle_since: Option<SimTime>,
    client_idle_deadline: Option<SimTime>,
    /// The server's keep-alive deadline as it stood during the current idle
    /// period (the live value is cleared when the server closes).
    idle_server_deadline: Option<SimTime>,
    idle_periods: Vec<IdlePeriod>,

    // server HTTP
    server_app_closed: bool,
    /// Closed after a response (`Connection: close`): the server shuts its
    /// sending side and keeps reading, discarding (Apache's and nginx's
    /// lingering close), so late client data does not provoke a reset that
    /// could destroy the response in flight.
    server_lingering: bool,
    server_requests: u32,
    /// Stop reading: a response carrying `Connection: close` is on its way.
    server_stop_reading: bool,
    /// HTTP/1.x responses in request order, with "processing done" flags.
    server_order: VecDeque<(ReqIdx, bool)>,
    /// Serial pipelining: received, waiting for the one before to finish.
    server_waiting: VecDeque<ReqIdx>,
    server_busy: bool,
    server_in_process: u32,

    closed_at: Option<SimTime>,
    closed_by: Option<CloseReason>,
    fully_closed: bool,
    packets: u64,
    retransmissions: u64,
}

impl Conn {
    /// Queues a message for `side` to send. Nothing can follow a FIN: a
    /// write after the side closed (a TLS ticket racing the server's close,
    /// say) is dropped, as a closed socket would refuse it.
    fn queue_message(&mut self, side: Side, content: Content, bytes: u64, round_robin: bool) {
        if self.tcp[side.index()].fin_queued || self.tcp[side.index()].state.is_closing() {
            return;
        }
        let stream = &mut self.streams[side.index()];
        let message = Message { content, remaining: bytes };
        if round_robin {
            stream.round_robin.push_back(message);
        } else {
            stream.fifo.push_back(message);
        }
    }

    fn active(&self) -> usize {
        self.pending.len() + self.outstanding.len()
    }

    fn usable(&self) -> bool {
        !self.released && !self.client_app_closed
    }
}

/// Connections by id (ids count from 1). Lookups are on every hot path;
/// inlined, they cost a bounds check instead of a call in size-optimised
/// builds.
struct Conns(Vec<Conn>);

impl Index<ConnId> for Conns {
    type Output = Conn;
    #[inline(always)]
    fn index(&self, c: ConnId) -> &Conn {
        &self.0.as_slice()[c as usize - 1]
    }
}

impl IndexMut<ConnId> for Conns {
    #[inline(always)]
    fn index_mut(&mut self, c: ConnId) -> &mut Conn {
        &mut self.0.as_mut_slice()[c as usize - 1]
    }
}

/// Hosts or requests by index, inlined like [`Conns`].
struct Table<T>(Vec<T>);

impl<T> Index<u32> for Table<T> {
    type Output = T;
    #[inline(always)]
    fn index(&self, i: u32) -> &T {
        &self.0.as_slice()[i as usize]
    }
}

impl<T> IndexMut<u32> for Table<T> {
    #[inline(always)]
    fn index_mut(&mut self, i: u32) -> &mut T {
        &mut self.0.as_mut_slice()[i as usize]
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum DnsState {
    Unresolved,
    Resolving,
    Resolved,
}

struct Host {
    name: String,
    dns: DnsState,
    queue: VecDeque<ReqIdx>,
    ticket: bool,
    h2_conn: Option<ConnId>,
    conns: Vec<ConnId>,
}

#[derive(Default)]
struct Req {
    host: u32,
    deps_left: u32,
    dependents: Vec<ReqIdx>,
    ready_at: Option<SimTime>,
    conn: Option<ConnId>,
    reused: bool,
    stream: Option<u32>,
    send_start: Option<SimTime>,
    send_end: Option<SimTime>,
    first_byte: Option<SimTime>,
    done_at: Option<SimTime>,
    received: u64,
    closes_connection: bool,
    retries: u32,
    header_bytes: u64,
    response_wire_bytes: u64,
}

// ---------------------------------------------------------------------------
// The simulation
// ---------------------------------------------------------------------------

struct Sim<'a> {
    sc: &'a Scenario,
    protocol: Protocol,
    sched: Scheduler<Ev, 2>,
    /// Indexed by the sending side: uplink (client→server), downlink.
    links: [Link; 2],
    loss: Loss,
    tcp_cfg: TcpConfig,
    rtt: SimDuration,
    trace: Vec<TraceEvent>,
    conns: Conns,
    hosts: Table<Host>,
    reqs: Table<Req>,
    next_packet_id: u64,
    unfinished: usize,
    page_loaded_at: Option<SimTime>,
    ended: bool,
    open_conns: usize,
    totals: Totals,
    delivery_scratch: Vec<(Content, u64, bool)>,
}

impl<'a> Sim<'a> {
    fn new(sc: &'a Scenario, protocol: Protocol) -> Self {
        let rtt = sc.rtt();
        let one_way = SimDuration(rtt.0 / 2);
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
                        ticket: false,
                        h2_conn: None,
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
        Sim {
            sc,
            protocol,
            // Lanes 0 and 1: arrivals over the uplink and downlink, which
            // are FIFO and so already in time order.
            sched: Scheduler::new(),
            links: [
                Link::new(sc.network.uplink_mbps, one_way).with_queue_limit(sc.network.queue_packets),
                Link::new(sc.network.downlink_mbps, rtt - one_way).with_queue_limit(sc.network.queue_packets),
            ],
            loss: Loss::new(sc.seed, sc.network.loss_rate),
            tcp_cfg: TcpConfig {
                mss: sc.network.mss_bytes,
                initial_cwnd_segments: sc.tcp.initial_cwnd_segments,
                rwnd_bytes: sc.tcp.rwnd_bytes,
                delayed_ack: sc.tcp.delayed_ack,
                slow_start_after_idle: sc.tcp.slow_start_after_idle,
            },
            rtt,
            // Room for the usual trace (about six entries per segment of payload)
            // so recording never reallocates mid-run.
            trace: Vec::with_capacity(trace_capacity(sc)),
            conns: Conns(Vec::with_capacity(sc.requests.len().min(1024))),
            hosts: Table(hosts),
            unfinished: reqs.len(),
            reqs: Table(reqs),
            next_packet_id: 0,
            page_loaded_at: None,
            ended: false,
            open_conns: 0,
            totals: Totals::default(),
            delivery_scratch: Vec::new(),
        }
    }

    fn now(&self) -> SimTime {
        self.sched.now()
    }

    #[inline(always)]
    fn record(&mut self, kind: EventKind) {
        let time = self.sched.now();
        self.trace.push(TraceEvent { time, kind });
    }

    #[inline(always)]
    fn conn(&mut self, c: ConnId) -> &mut Conn {
        &mut self.conns[c]
    }

    /// The packet a `PacketSent` trace entry describes.
    fn sent_packet(&self, sent: TraceIndex) -> Option<&PacketInfo> {
        match self.trace.as_slice().get(sent as usize).map(|e| &e.kind) {
            Some(EventKind::PacketSent(p)) => Some(p),
            _ => {
                debug_assert!(false, "trace entry {sent} is not a sent packet");
                None
            }
        }
    }

    fn keep_alive(&self) -> bool {
        match self.protocol {
            Protocol::Http10 => self.sc.client.http10_keep_alive,
            Protocol::Http11 | Protocol::H2 => true,
        }
    }

    fn run(&mut self, limits: Limits) -> Result<(), SimError> {
        for (i, spec) in self.sc.requests.iter().enumerate() {
            if spec.after.is_empty() {
                self.sched.at(
                    SimTime::ZERO + SimDuration::from_ms_f64(spec.delay_ms),
                    Ev::RequestReady { req: i as ReqIdx },
                );
            }
        }
        let max_time = SimTime::ZERO + SimDuration::from_millis(limits.max_time_ms);
        while !self.ended {
            if self.sched.processed() >= limits.max_events {
                return Err(SimError::EventLimit { limit: limits.max_events, at_ms: self.now().as_ms() });
            }
            let Some((time, ev)) = self.sched.pop() else { break };
            if time > max_time {
                return Err(SimError::TimeLimit { limit_ms: limits.max_time_ms });
            }
            self.handle(ev);
            if self.page_loaded_at.is_some() && self.open_conns == 0 {
                self.ended = true;
            }
        }
        if self.unfinished > 0 {
            return Err(SimError::Stalled { at_ms: self.now().as_ms(), unfinished: self.unfinished });
        }
        self.record(EventKind::End);
        Ok(())
    }

    fn handle(&mut self, ev: Ev) {
        match ev {
            Ev::Arrive { sent } => {
                let Some(p) = self.sent_packet(sent) else { return };
                let pkt = Packet { id: p.id, flags: p.flags, seq: p.seq, ack: p.ack, len: p.payload_bytes };
                let (conn, to) = (p.conn, p.from.peer());
                self.on_arrive(conn, to, pkt);
            }
            Ev::Lost { sent } => {
                let Some(p) = self.sent_packet(sent) else { return };
                let (id, conn, to) = (p.id, p.conn, p.from.peer());
                self.record(EventKind::PacketDropped { id, conn, to });
            }
            Ev::Rto { conn, side } => self.on_rto(conn, side),
            Ev::DelayedAck { conn, side } => {
                let now = self.now();
                match self.conn(conn).delack_timer[side.index()].fire(now) {
                    TimerFire::Ignore => {}
                    TimerFire::Reschedule(at) => {
                        self.sched.at(at, Ev::DelayedAck { conn, side });
                    }
                    TimerFire::Fire => {
                        let ep = &mut self.conn(conn).tcp[side.index()];
                        if ep.ack_pending {
                            ep.ack_now = true;
                            self.output(conn, side);
                        }
                    }
                }
            }
            Ev::ServerIdle { conn } => {
                let cn = self.conn(conn);
                cn.server_idle_timer = None;
                self.server_close(conn, CloseReason::ServerIdleTimeout);
            }
            Ev::ClientIdle { conn } => {
                let cn = self.conn(conn);
                cn.client_idle_timer = None;
                if cn.active() == 0 && cn.usable() {
                    self.client_close(conn, CloseReason::ClientIdleTimeout);
                }
            }
            Ev::RequestReady { req } => {
                let r = &mut self.reqs[req];
                if r.ready_at.is_none() {
                    r.ready_at = Some(self.sched.now());
                }
                self.record(EventKind::RequestReady { request: req });
                self.dispatch(req);
            }
            Ev::DnsDone { host } => self.on_dns_done(host),
            Ev::ServerDone { conn, req } => self.on_server_done(conn, req),
            Ev::End => self.ended = true,
        }
    }

    // -----------------------------------------------------------------------
    // Client: pool, queue, dispatch
    // -----------------------------------------------------------------------

    fn dispatch(&mut self, r: ReqIdx) {
        let host = self.reqs[r].host;
        if self.protocol == Protocol::H2 {
            match self.hosts[host].h2_conn {
                Some(c) if self.conns[c].usable() => {
                    let cn = &self.conns[c];
                    if !cn.ready {
                        self.enqueue(r, QueueReason::WaitingForConnection);
                    } else if cn.active() < self.sc.server.max_concurrent_streams as usize {
                        self.assign(r, c);
                    } else {
                        self.enqueue(r, QueueReason::StreamLimit);
                    }
                }
                _ => {
                    self.open_connection(host);
                    self.enqueue(r, QueueReason::WaitingForConnection);
                }
            }
            return;
        }
        if let Some(c) = self.idle_connection(host) {
            self.assign(r, c);
        } else if self.live_connections(host) < self.sc.client.max_connections_per_host as usize {
            self.open_connection(host);
            self.enqueue(r, QueueReason::WaitingForConnection);
        } else if let Some(c) = self.pipeline_candidate(host) {
            self.assign(r, c);
        } else {
            self.enqueue(r, QueueReason::ConnectionLimit);
        }
    }

    fn enqueue(&mut self, r: ReqIdx, reason: QueueReason) {
        let host = self.reqs[r].host;
        self.hosts[host].queue.push_back(r);
        self.record(EventKind::RequestQueued { request: r, reason });
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
        self.hosts[host].conns.iter().filter(|&&c| self.conns[c].usable()).count()
    }

    /// HTTP/1.1 pipelining: the ready connection with the fewest requests
    /// outstanding (lowest id on a tie).
    fn pipeline_candidate(&self, host: u32) -> Option<ConnId> {
        if !(self.protocol == Protocol::Http11 && self.sc.client.pipelining) {
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

    fn assign(&mut self, r: ReqIdx, c: ConnId) {
        let h2 = self.protocol == Protocol::H2;
        let now = self.now();
        let cn = self.conn(c);
        let reused = !cn.carried.is_empty();
        let behind = cn.active() as u32;
        cn.carried.push(r);
        cn.first_request.get_or_insert(r);
        if let Some(since) = cn.idle_since.take() {
            close_idle_period(cn, since, now);
        }
        let stream = if h2 {
            let id = cn.next_stream_id;
            cn.next_stream_id += 2;
            Some(id)
        } else {
            None
        };
        if let Some(t) = cn.client_idle_timer.take() {
            self.sched.cancel(t);
        }
        let req = &mut self.reqs[r];
        req.conn = Some(c);
        req.reused = reused;
        req.stream = stream;
        self.record(EventKind::RequestAssigned {
            request: r,
            conn: c,
            reused,
            behind: if h2 { 0 } else { behind },
            stream,
        });
        if self.conn(c).ready {
            self.write_request(c, r);
        } else {
            self.conn(c).pending.push_back(r);
        }
    }

    fn write_request(&mut self, c: ConnId, r: ReqIdx) {
        let bytes = self.sc.requests[r as usize].request_bytes as u64;
        let h2 = self.protocol == Protocol::H2;
        let cn = &mut self.conns[c];
        let (header_bytes, wire) = if h2 {
            let header = if cn.h2_request_headers_sent { hpack_repeat(bytes) } else { bytes };
            cn.h2_request_headers_sent = true;
            (header, header + H2_FRAME_HEADER_BYTES)
        } else {
            (bytes, bytes)
        };
        let content = if cn.tls_mode == TlsMode::EarlyData && !cn.tls_done {
            Content::EarlyRequest(r)
        } else {
            Content::Request(r)
        };
        cn.queue_message(Side::Client, content, wire, false);
        cn.outstanding.push_back(r);
        self.reqs[r].header_bytes += header_bytes;
        self.totals.header_bytes += header_bytes;
        self.output(c, Side::Client);
    }

    fn open_connection(&mut self, host: u32) -> ConnId {
        let id = self.conns.0.len() as ConnId + 1;
        let now = self.now();
        let cfg = self.tcp_cfg;
        self.conns.0.push(Conn {
            id,
            host,
            tcp: [TcpEndpoint::new(Side::Client, cfg), TcpEndpoint::new(Side::Server, cfg)],
            streams: [Stream::default(), Stream::default()],
            rto_timer: [LazyTimer::default(); 2],
            delack_timer: [LazyTimer::default(); 2],
            server_idle_timer: None,
            server_idle_deadline: None,
            client_idle_timer: None,
            opened_at: now,
            dns: None,
            waiting_dns: false,
            syn_at: None,
            synack_at: None,
            established_at: None,
            ready_at: None,
            tls_mode: TlsMode::None,
            tls_done: false,
            ready: false,
            released: false,
            client_app_closed: false,
            pending: VecDeque::new(),
            outstanding: VecDeque::new(),
            carried: Vec::new(),
            first_request: None,
            next_stream_id: 1,
            h2_request_headers_sent: false,
            h2_response_headers_sent: false,
            idle_since: None,
            client_idle_deadline: None,
            idle_server_deadline: None,
            idle_periods: Vec::new(),
            server_app_closed: false,
            server_lingering: false,
            server_requests: 0,
            server_stop_reading: false,
            server_order: VecDeque::new(),
            server_waiting: VecDeque::new(),
            server_busy: false,
            server_in_process: 0,
            closed_at: None,
            closed_by: None,
            fully_closed: false,
            packets: 0,
            retransmissions: 0,
        });
        self.open_conns += 1;
        self.totals.connections_opened += 1;
        let h = &mut self.hosts[host];
        h.conns.push(id);
        if self.protocol == Protocol::H2 {
            h.h2_conn = Some(id);
        }
        self.record(EventKind::ConnectionOpened { conn: id, host });
        let needs_dns = self.sc.dns_ms > 0.0 && self.hosts[host].dns != DnsState::Resolved;
        if needs_dns {
            self.conn(id).waiting_dns = true;
            if self.hosts[host].dns == DnsState::Unresolved {
                self.hosts[host].dns = DnsState::Resolving;
                self.record(EventKind::DnsStart { host });
                self.sched.after(SimDuration::from_ms_f64(self.sc.dns_ms), Ev::DnsDone { host });
            }
        } else {
            self.send_syn(id);
        }
        id
    }

    fn on_dns_done(&mut self, host: u32) {
        self.hosts[host].dns = DnsState::Resolved;
        self.record(EventKind::DnsDone { host });
        let now = self.now();
        let waiting: Vec<ConnId> = self.hosts[host].conns.clone();
        for c in waiting {
            let cn = self.conn(c);
            if cn.waiting_dns {
                cn.waiting_dns = false;
                cn.dns = Some((cn.opened_at, now));
                self.send_syn(c);
            }
        }
    }

    /// After a connection leaves the pool: a queued request may open another.
    fn pump_host(&mut self, host: u32) {
        if self.hosts[host].queue.is_empty() {
            return;
        }
        let needs_new = match self.protocol {
            Protocol::H2 => self.hosts[host].h2_conn.is_none(),
            _ => {
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
            self.open_connection(host);
        } else if let Some(c) = self.idle_connection(host) {
            self.take_from_queue(c);
        }
    }

    /// A connection can carry more: give it the oldest queued requests, or
    /// let it go idle.
    fn take_from_queue(&mut self, c: ConnId) {
        let host = self.conns[c].host;
        let limit = match self.protocol {
            Protocol::H2 => self.sc.server.max_concurrent_streams as usize,
            _ => 1,
        };
        while self.conns[c].usable() && self.conns[c].active() < limit {
            let Some(r) = self.hosts[host].queue.pop_front() else { break };
            self.assign(r, c);
        }
        let now = self.now();
        let client_timeout = SimDuration::from_ms_f64(self.sc.client.idle_timeout_ms);
        let cn = self.conn(c);
        if cn.active() == 0 && cn.usable() && cn.ready && cn.idle_since.is_none() {
            cn.idle_since = Some(now);
            let deadline = now + client_timeout;
            cn.client_idle_deadline = Some(deadline);
            let server_deadline = cn.server_idle_deadline;
            cn.idle_server_deadline = server_deadline;
            let handle = self.sched.at(deadline, Ev::ClientIdle { conn: c });
            self.conn(c).client_idle_timer = Some(handle);
            self.record(EventKind::ConnectionIdle { conn: c, client_deadline: deadline, server_deadline });
        }
    }

    /// The client stops using a connection; queued work may need another.
    fn release(&mut self, c: ConnId) {
        let now = self.now();
        let cn = self.conn(c);
        if cn.released {
            return;
        }
        cn.released = true;
        if let Some(since) = cn.idle_since.take() {
            close_idle_period(cn, since, now);
        }
        self.record(EventKind::ConnectionReleased { conn: c });
        let cn = self.conn(c);
        if let Some(t) = cn.client_idle_timer.take() {
            self.sched.cancel(t);
        }
        let host = self.conns[c].host;
        if self.hosts[host].h2_conn == Some(c) {
            self.hosts[host].h2_conn = None;
        }
        self.pump_host(host);
    }

    fn client_ready(&mut self, c: ConnId) {
        let now = self.now();
        let h2 = self.protocol == Protocol::H2;
        let cn = self.conn(c);
        if cn.ready {
            return;
        }
        cn.ready = true;
        cn.ready_at = Some(now);
        let mode = cn.tls_mode;
        if h2 {
            cn.queue_message(Side::Client, Content::H2Preface, H2_CLIENT_PREFACE_BYTES, false);
        }
        self.record(EventKind::ConnectionReady { conn: c, mode });
        while let Some(r) = self.conn(c).pending.pop_front() {
            self.write_request(c, r);
        }
        self.take_from_queue(c);
        self.output(c, Side::Client);
    }

    /// Requests on a connection the server closed (or reset) before
    /// answering: the keep-alive race. They go back to the pool.
    fn rescue_requests(&mut self, c: ConnId) {
        let closed_by = self.conns[c].closed_by.unwrap_or(CloseReason::Error);
        let cn = self.conn(c);
        let lost: Vec<ReqIdx> = cn.outstanding.drain(..).collect();
        let unsent: Vec<ReqIdx> = cn.pending.drain(..).collect();
        for r in lost.iter().chain(unsent.iter()) {
            let req = &mut self.reqs[*r];
            req.conn = None;
            req.send_start = None;
            req.send_end = None;
            req.first_byte = None;
            req.received = 0;
        }
        for &r in &lost {
            self.reqs[r].retries += 1;
            self.totals.retried_requests += 1;
            self.record(EventKind::RequestLost { request: r, conn: c, closed_by });
        }
        for r in lost.into_iter().chain(unsent) {
            self.dispatch(r);
        }
    }

    fn client_close(&mut self, c: ConnId, reason: CloseReason) {
        let now = self.now();
        let cn = self.conn(c);
        if cn.client_app_closed {
            return;
        }
        cn.client_app_closed = true;
        if cn.closed_by.is_none() {
            cn.closed_by = Some(reason);
            cn.closed_at = Some(now);
            self.record(EventKind::ConnectionClosing { conn: c, side: Side::Client, reason });
        }
        self.release(c);
        self.close_socket(c, Side::Client);
    }

    /// The application on `side` closes its socket: a FIN follows the data
    /// already written; a connection never established is simply forgotten.
    fn close_socket(&mut self, c: ConnId, side: Side) {
        let ep = &mut self.conn(c).tcp[side.index()];
        match ep.state {
            TcpState::Established | TcpState::CloseWait => {
                ep.fin_queued = true;
                self.output(c, side);
            }
            TcpState::SynSent | TcpState::Listen | TcpState::SynReceived | TcpState::Closed => {
                if let Some(ev) = ep.set_state(c, TcpState::Closed) {
                    self.record(ev);
                }
                self.check_fully_closed(c);
            }
            _ => {}
        }
    }

    // -----------------------------------------------------------------------
    // Server
    // -----------------------------------------------------------------------

    fn on_request_at_server(&mut self, c: ConnId, r: ReqIdx) {
        let keep_alive = self.keep_alive();
        let h2 = self.protocol == Protocol::H2;
        let parallel = h2 || self.sc.server.pipeline_processing == PipelineProcessing::Parallel;
        let max_requests = self.sc.server.max_requests_per_connection;
        let cn = self.conn(c);
        if cn.server_app_closed || cn.server_stop_reading {
            return; // never read: the close will tell the client to retry
        }
        if let Some(t) = cn.server_idle_timer.take() {
            self.sched.cancel(t);
        }
        let cn = self.conn(c);
        cn.server_idle_deadline = None;
        cn.server_requests += 1;
        let closing = !h2 && (!keep_alive || cn.server_requests >= max_requests);
        if closing {
            cn.server_stop_reading = true;
        }
        if !h2 {
            cn.server_order.push_back((r, false));
        }
        self.reqs[r].closes_connection = closing;
        if parallel || !self.conn(c).server_busy {
            self.start_processing(c, r);
        } else {
            self.conn(c).server_waiting.push_back(r);
        }
    }

    fn start_processing(&mut self, c: ConnId, r: ReqIdx) {
        let spec = &self.sc.requests[r as usize];
        let ms = spec.server_ms.unwrap_or(self.sc.server.processing_ms);
        let cn = self.conn(c);
        cn.server_busy = true;
        cn.server_in_process += 1;
        self.record(EventKind::ServerProcessing { request: r, conn: c, duration_ms: ms });
        self.sched.after(SimDuration::from_ms_f64(ms), Ev::ServerDone { conn: c, req: r });
    }

    fn on_server_done(&mut self, c: ConnId, r: ReqIdx) {
        let cn = self.conn(c);
        cn.server_in_process -= 1;
        cn.server_busy = cn.server_in_process > 0;
        if cn.server_app_closed {
            return;
        }
        if self.protocol == Protocol::H2 {
            self.record(EventKind::ResponseReady { request: r, conn: c, blocked_by: None });
            self.write_response(c, r);
        } else {
            let cn = self.conn(c);
            if let Some(entry) = cn.server_order.iter_mut().find(|(q, _)| *q == r) {
                entry.1 = true;
            }
            let head = cn.server_order.front().map(|(q, _)| *q);
            let blocked_by = head.filter(|&h| h != r);
            self.record(EventKind::ResponseReady { request: r, conn: c, blocked_by });
            while let Some(&(q, true)) = self.conn(c).server_order.front() {
                self.conn(c).server_order.pop_front();
                self.write_response(c, q);
                if self.reqs[q].closes_connection {
                    let reason =
                        if self.keep_alive() { CloseReason::MaxRequests } else { CloseReason::ServerClose };
                    self.server_close(c, reason);
                    break;
                }
            }
            if let Some(next) = self.conn(c).server_waiting.pop_front() {
                self.start_processing(c, next);
            }
        }
        self.output(c, Side::Server);
    }

    fn write_response(&mut self, c: ConnId, r: ReqIdx) {
        let spec = &self.sc.requests[r as usize];
        let total = spec.response_bytes;
        let header = (self.sc.server.response_header_bytes as u64).min(total);
        let h2 = self.protocol == Protocol::H2;
        let cn = &mut self.conns[c];
        let (header_wire, wire) = if h2 {
            let header_wire =
                if cn.h2_response_headers_sent { hpack_repeat(header).min(header) } else { header };
            cn.h2_response_headers_sent = true;
            let body = total - header;
            let data_frames = body.div_ceil(H2_MAX_FRAME_PAYLOAD).max(1);
            (header_wire, H2_FRAME_HEADER_BYTES + header_wire + body + data_frames * H2_FRAME_HEADER_BYTES)
        } else {
            (header, total)
        };
        cn.queue_message(Side::Server, Content::Response(r), wire, h2);
        let req = &mut self.reqs[r];
        req.header_bytes += header_wire;
        req.response_wire_bytes = wire;
        self.totals.header_bytes += header_wire;
    }

    fn server_close(&mut self, c: ConnId, reason: CloseReason) {
        let now = self.now();
        let h2 = self.protocol == Protocol::H2;
        let cn = self.conn(c);
        if cn.server_app_closed {
            return;
        }
        cn.server_app_closed = true;
        cn.server_lingering = matches!(reason, CloseReason::ServerClose | CloseReason::MaxRequests);
        cn.server_idle_deadline = None;
        if let Some(t) = cn.server_idle_timer.take() {
            self.sched.cancel(t);
        }
        let cn = self.conn(c);
        if cn.closed_by.is_none() {
            cn.closed_by = Some(reason);
            cn.closed_at = Some(now);
            if h2 && reason == CloseReason::ServerIdleTimeout {
                cn.queue_message(Side::Server, Content::H2GoAway, H2_GOAWAY_BYTES, false);
            }
            self.record(EventKind::ConnectionClosing { conn: c, side: Side::Server, reason });
        }
        self.close_socket(c, Side::Server);
    }

    /// The server's keep-alive timer runs while it has nothing to do and
    /// everything it wrote has left.
    fn maybe_start_server_idle(&mut self, c: ConnId) {
        if !self.keep_alive() {
            return;
        }
        let cn = &self.conns[c];
        let server = &cn.tcp[Side::Server.index()];
        // Checked on every server output: the cheap tests come first.
        if cn.server_app_closed
            || cn.server_idle_timer.is_some()
            || cn.server_in_process > 0
            || !cn.server_order.is_empty()
            || cn.streams[Side::Server.index()].has_queued()
            || server.state != TcpState::Established
            || server.snd_nxt < cn.streams[Side::Server.index()].written
        {
            return;
        }
        let keep_alive = SimDuration::from_ms_f64(self.sc.server.keep_alive_timeout_ms);
        let timeout =
            if cn.server_requests == 0 { keep_alive.max(FIRST_REQUEST_TIMEOUT) } else { keep_alive };
        let now = self.now();
        let handle = self.sched.at(now + timeout, Ev::ServerIdle { conn: c });
        let cn = self.conn(c);
        cn.server_idle_timer = Some(handle);
        cn.server_idle_deadline = Some(now + timeout);
        if cn.idle_since.is_some() {
            cn.idle_server_deadline = Some(now + timeout);
        }
    }

    // -----------------------------------------------------------------------
    // Delivery to the application
    // -----------------------------------------------------------------------

    /// Bytes `[from, to)` of the stream sent by `side.peer()` are now in
    /// order at `side`: hand each message's share to the application.
    fn deliver(&mut self, c: ConnId, at: Side, upto: u64) {
        let mut items = std::mem::take(&mut self.delivery_scratch);
        items.clear();
        {
            let stream = &mut self.conns[c].streams[at.peer().index()];
            while stream.rx_chunk < stream.chunks.len() && stream.rx_delivered < upto {
                let ch = stream.chunks.as_slice()[stream.rx_chunk];
                let end = ch.start + ch.len;
                let from = stream.rx_delivered.max(ch.start);
                let until = end.min(upto);
                stream.rx_delivered = until;
                let complete = until >= end && ch.ends_message;
                items.push((ch.content, until - from, complete));
                if until >= end && (ch.ends_message || stream.rx_chunk + 1 < stream.chunks.len()) {
                    stream.rx_chunk += 1;
                } else {
                    break;
                }
            }
        }
        for &(content, bytes, complete) in &items {
            match at {
                Side::Client => self.client_receives(c, content, bytes, complete),
                Side::Server => self.server_receives(c, content, complete),
            }
        }
        self.delivery_scratch = items;
    }

    fn client_receives(&mut self, c: ConnId, content: Content, bytes: u64, complete: bool) {
        match content {
            Content::Response(r) => {
                let now = self.now();
                let req = &mut self.reqs[r];
                let first = req.received == 0;
                req.received += bytes;
                if first {
                    req.first_byte = Some(now);
                    let closes = req.closes_connection;
                    self.record(EventKind::ResponseFirstByte { request: r, conn: c });
                    if closes {
                        // `Connection: close` in the headers: no more requests here.
                        self.release(c);
                    }
                }
                if complete {
                    self.response_complete(c, r);
                }
            }
            Content::ServerHandshake | Content::ServerFinished | Content::SessionTicket if complete => {
                self.tls_step(c, Side::Client, content);
            }
            Content::H2GoAway if complete => self.release(c),
            _ => {}
        }
    }

    fn server_receives(&mut self, c: ConnId, content: Content, complete: bool) {
        if !complete {
            return;
        }
        match content {
            Content::ClientHello | Content::ClientFinished => self.tls_step(c, Side::Server, content),
            Content::H2Preface => {
                let cn = self.conn(c);
                cn.queue_message(Side::Server, Content::H2Settings, H2_SERVER_SETTINGS_BYTES, false);
            }
            Content::Request(r) | Content::EarlyRequest(r) => self.on_request_at_server(c, r),
            _ => {}
        }
    }

    fn tls_step(&mut self, c: ConnId, at: Side, message: Content) {
        let cn = &self.conns[c];
        let step = tls::on_message(
            self.sc.tls.version,
            cn.tls_mode,
            at,
            message,
            self.sc.tls.certificate_bytes as u64,
        );
        if let Some((content, bytes)) = step.reply {
            self.conn(c).queue_message(at, content, bytes, false);
            if at == Side::Client && content == Content::ClientFinished {
                self.conn(c).tls_done = true;
            }
        }
        if step.ticket {
            let host = self.conns[c].host;
            self.hosts[host].ticket = true;
        }
        if step.client_ready {
            self.client_ready(c);
        }
    }

    fn response_complete(&mut self, c: ConnId, r: ReqIdx) {
        let now = self.now();
        self.reqs[r].done_at = Some(now);
        self.record(EventKind::ResponseComplete { request: r, conn: c });
        let cn = self.conn(c);
        if let Some(pos) = cn.outstanding.iter().position(|&q| q == r) {
            cn.outstanding.remove(pos);
        }
        self.unfinished -= 1;
        let dependents = std::mem::take(&mut self.reqs[r].dependents);
        for &d in &dependents {
            let dep = &mut self.reqs[d];
            dep.deps_left -= 1;
            if dep.deps_left == 0 {
                let delay = SimDuration::from_ms_f64(self.sc.requests[d as usize].delay_ms);
                self.sched.after(delay, Ev::RequestReady { req: d });
            }
        }
        self.reqs[r].dependents = dependents;
        if self.unfinished == 0 {
            self.page_loaded_at = Some(now);
            self.record(EventKind::PageLoaded);
            let drain = SimDuration::from_ms_f64(
                self.sc.server.keep_alive_timeout_ms.min(self.sc.client.idle_timeout_ms),
            ) + self.rtt.saturating_mul(3)
                + SimDuration::from_millis(1000);
            self.sched.after(drain, Ev::End);
        }
        if self.reqs[r].closes_connection {
            self.release(c);
        } else if self.conn(c).usable() {
            self.take_from_queue(c);
        }
    }

    // -----------------------------------------------------------------------
    // TCP: sending
    // -----------------------------------------------------------------------

    fn send_syn(&mut self, c: ConnId) {
        let now = self.now();
        let cn = self.conn(c);
        cn.syn_at.get_or_insert(now);
        let ep = &mut cn.tcp[Side::Client.index()];
        ep.syn_sent_at = Some(now);
        if let Some(ev) = ep.set_state(c, TcpState::SynSent) {
            self.record(ev);
        }
        self.transmit(c, Side::Client, Flags::SYN, 0, 0, false);
        self.arm_rto(c, Side::Client, true);
    }

    fn send_synack(&mut self, c: ConnId, retransmission: bool) {
        let now = self.now();
        let cn = self.conn(c);
        cn.synack_at.get_or_insert(now);
        cn.tcp[Side::Server.index()].syn_sent_at = Some(now);
        self.transmit(c, Side::Server, Flags::SYN_ACK, 0, 0, retransmission);
        self.arm_rto(c, Side::Server, true);
    }

    /// Puts one packet on the link and schedules its arrival (or loss).
    fn transmit(
        &mut self,
        c: ConnId,
        from: Side,
        flags: Flags,
        seq: u64,
        len: u64,
        retransmission: bool,
    ) -> Transit {
        let now = self.now();
        let id = self.next_packet_id;
        self.next_packet_id += 1;
        let wire_bytes = len + self.sc.network.packet_overhead_bytes as u64;
        let link = &mut self.links[from.index()];
        let queue_drop = link.buffer_full(now);
        let (transit, lost) = if queue_drop {
            // Tail drop: the packet never reaches the wire.
            (Transit { sent: now, departed: now, arrives: now }, true)
        } else {
            (link.transmit(now, wire_bytes), self.loss.drop_next())
        };
        let cn = &mut self.conns[c];
        let ep = &mut cn.tcp[from.index()];
        let ack = if flags.ack { ep.ack_number() } else { 0 };
        if flags.ack {
            ep.ack_sent();
            cn.delack_timer[from.index()].stop();
        }
        let cwnd_bytes = ep.cwnd;
        let (content, more_content) = if len > 0 {
            let stream = &cn.streams[from.index()];
            let first = stream.chunk_at(seq);
            let mut last = first;
            let chunks = stream.chunks.as_slice();
            while last + 1 < chunks.len() && chunks[last + 1].start < seq + len {
                last += 1;
            }
            (chunks[first].content, (last - first) as u32)
        } else {
            (Content::None, 0)
        };
        cn.packets += 1;
        if retransmission {
            cn.retransmissions += 1;
            self.totals.retransmissions += 1;
        }
        self.totals.packets += 1;
        self.totals.bytes_on_wire += wire_bytes;
        if lost {
            self.totals.packets_lost += 1;
        }
        let sent = self.trace.len() as TraceIndex;
        self.trace.push(TraceEvent {
            time: now,
            kind: EventKind::PacketSent(PacketInfo {
                id,
                conn: c,
                from,
                flags,
                seq,
                ack,
                payload_bytes: len as u32,
                wire_bytes: wire_bytes as u32,
                queued_at: now,
                sent: transit.sent,
                departed: transit.departed,
                arrives: transit.arrives,
                lost,
                queue_drop,
                retransmission,
                content,
                more_content,
                cwnd_bytes,
            }),
        });
        if queue_drop {
            // Not in arrival order with the link's packets: through the heap.
            self.sched.at(now, Ev::Lost { sent });
        } else {
            let event = if lost { Ev::Lost { sent } } else { Ev::Arrive { sent } };
            self.sched.in_lane(from.index(), transit.arrives, event);
        }
        transit
    }

    /// Sends a data segment `[seq, seq+len)` (with FIN if it ends the
    /// stream) and tracks the request bytes it carries.
    fn send_segment(&mut self, c: ConnId, side: Side, seq: u64, len: u64, fin: bool) {
        let now = self.now();
        let cn = &mut self.conns[c];
        let ep = &mut cn.tcp[side.index()];
        let retransmission = seq < ep.snd_max;
        let first_fin = fin && ep.fin_seq.is_none();
        if fin {
            ep.fin_seq = Some(seq + len);
        }
        ep.on_data_sent(now, seq, seq + len + fin as u64);
        if first_fin {
            let to = match ep.state {
                TcpState::CloseWait => TcpState::LastAck,
                _ => TcpState::FinWait1,
            };
            if let Some(ev) = ep.set_state(c, to) {
                self.record(ev);
            }
        }
        let flags = Flags { syn: false, ack: true, fin, rst: false };
        let transit = self.transmit(c, side, flags, seq, len, retransmission);
        if side == Side::Client && !retransmission && len > 0 {
            self.track_request_bytes(c, seq, len, transit);
        }
        // Usually already running: test here rather than call.
        if self.conns[c].rto_timer[side.index()].deadline().is_none() {
            self.arm_rto(c, side, false);
        }
    }

    fn track_request_bytes(&mut self, c: ConnId, seq: u64, len: u64, transit: Transit) {
        let now = self.sched.now();
        // Field by field (not through `record`): the stream stays borrowed.
        let stream = &self.conns[c].streams[Side::Client.index()];
        let mut i = stream.chunk_at(seq);
        let chunks = stream.chunks.as_slice();
        while i < chunks.len() && chunks[i].start < seq + len {
            let ch = chunks[i];
            if let Some(r) = match ch.content {
                Content::Request(r) | Content::EarlyRequest(r) => Some(r),
                _ => None,
            } {
                let req = &mut self.reqs[r];
                if seq <= ch.start && req.send_start.is_none() {
                    req.send_start = Some(transit.sent);
                    let kind = EventKind::RequestSent { request: r, conn: c };
                    self.trace.push(TraceEvent { time: now, kind });
                }
                if ch.ends_message && seq + len >= ch.start + ch.len && req.send_end.is_none() {
                    req.send_end = Some(transit.departed);
                }
            }
            i += 1;
        }
    }

    /// Sends whatever the window, the data and the owed ACK allow.
    fn output(&mut self, c: ConnId, side: Side) {
        let mss = self.tcp_cfg.mss as u64;
        loop {
            let cn = &mut self.conns[c];
            let ep = &cn.tcp[side.index()];
            if !matches!(
                ep.state,
                TcpState::Established
                    | TcpState::CloseWait
                    | TcpState::FinWait1
                    | TcpState::Closing
                    | TcpState::LastAck
            ) {
                break;
            }
            let stream = &mut cn.streams[side.index()];
            let snd_nxt = ep.snd_nxt;
            while stream.written - snd_nxt.min(stream.written) < mss && stream.has_queued() {
                let want = mss - (stream.written - snd_nxt.min(stream.written));
                stream.pull(want);
            }
            let written = stream.written;
            let more_queued = stream.has_queued();
            if snd_nxt < written {
                let len = mss.min(written - snd_nxt);
                if !ep.window_allows(len) {
                    break;
                }
                if snd_nxt >= ep.snd_max {
                    let now = self.now();
                    let ep = &mut self.conns[c].tcp[side.index()];
                    if ep.restart_after_idle(now) {
                        let (cwnd_bytes, ssthresh_bytes) = (ep.cwnd, ep.ssthresh);
                        self.record(EventKind::CongestionWindow {
                            conn: c,
                            side,
                            cause: CwndCause::IdleRestart,
                            cwnd_bytes,
                            ssthresh_bytes,
                        });
                    }
                }
                let ep = &self.conns[c].tcp[side.index()];
                let fin = ep.fin_queued && !more_queued && snd_nxt + len == written;
                self.send_segment(c, side, snd_nxt, len, fin);
                continue;
            }
            if ep.fin_queued && !more_queued && snd_nxt == written {
                self.send_segment(c, side, written, 0, true);
                continue;
            }
            break;
        }
        let ep = &self.conns[c].tcp[side.index()];
        let state_ok = !matches!(ep.state, TcpState::Closed | TcpState::Listen | TcpState::SynSent);
        if ep.ack_now && state_ok {
            self.transmit(c, side, Flags::ACK, ep.snd_nxt.max(ep.snd_una), 0, false);
        } else if ep.ack_pending && state_ok && self.conns[c].delack_timer[side.index()].deadline().is_none()
        {
            let deadline = self.now() + DELAYED_ACK_TIMEOUT;
            if let Some(at) = self.conn(c).delack_timer[side.index()].set(deadline) {
                self.sched.at(at, Ev::DelayedAck { conn: c, side });
            }
        }
        if side == Side::Server {
            self.maybe_start_server_idle(c);
        }
    }

    /// Starts the retransmission timer (or restarts it, RFC 6298 §5.3).
    fn arm_rto(&mut self, c: ConnId, side: Side, restart: bool) {
        let now = self.now();
        let cn = &mut self.conns[c];
        let timer = &mut cn.rto_timer[side.index()];
        if timer.deadline().is_some() && !restart {
            return;
        }
        if let Some(at) = timer.set(now + cn.tcp[side.index()].rto) {
            self.sched.at(at, Ev::Rto { conn: c, side });
        }
    }

    #[inline(always)]
    fn stop_rto(&mut self, c: ConnId, side: Side) {
        self.conn(c).rto_timer[side.index()].stop();
    }

    fn on_rto(&mut self, c: ConnId, side: Side) {
        let now = self.now();
        match self.conn(c).rto_timer[side.index()].fire(now) {
            TimerFire::Fire => {}
            TimerFire::Ignore => return,
            TimerFire::Reschedule(at) => {
                self.sched.at(at, Ev::Rto { conn: c, side });
                return;
            }
        }
        let ep = &mut self.conn(c).tcp[side.index()];
        match ep.state {
            TcpState::SynSent => {
                ep.on_timeout();
                self.record(EventKind::Retransmit {
                    conn: c,
                    side,
                    seq: 0,
                    timeout: true,
                    partial_ack: false,
                });
                self.transmit(c, side, Flags::SYN, 0, 0, true);
                self.arm_rto(c, side, true);
            }
            TcpState::SynReceived => {
                ep.on_timeout();
                self.record(EventKind::Retransmit {
                    conn: c,
                    side,
                    seq: 0,
                    timeout: true,
                    partial_ack: false,
                });
                self.send_synack(c, true);
            }
            TcpState::Closed | TcpState::TimeWait | TcpState::Listen => {}
            _ if ep.outstanding() > 0 => {
                let seq = ep.snd_una;
                ep.on_timeout();
                let (cwnd_bytes, ssthresh_bytes) = (ep.cwnd, ep.ssthresh);
                self.record(EventKind::Retransmit { conn: c, side, seq, timeout: true, partial_ack: false });
                self.record(EventKind::CongestionWindow {
                    conn: c,
                    side,
                    cause: CwndCause::Timeout,
                    cwnd_bytes,
                    ssthresh_bytes,
                });
                self.output(c, side);
                self.arm_rto(c, side, true);
            }
            _ => {}
        }
    }

    /// Fast retransmit / NewReno partial ACK: resend the oldest segment.
    fn retransmit_head(&mut self, c: ConnId, side: Side, partial_ack: bool) {
        let mss = self.tcp_cfg.mss as u64;
        let cn = &self.conns[c];
        let ep = &cn.tcp[side.index()];
        let written = cn.streams[side.index()].written;
        let seq = ep.snd_una;
        let fin_seq = ep.fin_seq;
        self.record(EventKind::Retransmit { conn: c, side, seq, timeout: false, partial_ack });
        if seq < written {
            let len = mss.min(written - seq);
            let fin = fin_seq == Some(seq + len);
            self.send_segment(c, side, seq, len, fin);
        } else if fin_seq == Some(seq) {
            self.send_segment(c, side, seq, 0, true);
        }
    }

    // -----------------------------------------------------------------------
    // TCP: receiving
    // -----------------------------------------------------------------------

    fn on_arrive(&mut self, c: ConnId, to: Side, pkt: Packet) {
        self.record(EventKind::PacketDelivered { id: pkt.id, conn: c, to });
        let now = self.now();
        let state = self.conns[c].tcp[to.index()].state;
        if pkt.flags.rst {
            if !matches!(state, TcpState::Closed | TcpState::TimeWait) {
                self.abort(c, to);
                if to == Side::Client {
                    self.release(c);
                    self.rescue_requests(c);
                }
            }
            return;
        }
        match state {
            TcpState::TimeWait => {
                if pkt.flags.fin {
                    // RFC 9293 §3.10.7.4: a retransmitted FIN is acknowledged again.
                    self.conn(c).tcp[to.index()].ack_now = true;
                    let ep = &self.conns[c].tcp[to.index()];
                    self.transmit(c, to, Flags::ACK, ep.snd_nxt, 0, false);
                }
                return;
            }
            TcpState::Closed => {
                // RFC 9293 §3.10.7.1: anything but a reset arriving for a
                // closed connection is answered with a reset (the first one
                // may have been lost).
                let ep = &self.conns[c].tcp[to.index()];
                if pkt.len > 0 || pkt.flags.fin {
                    let seq = ep.snd_nxt;
                    self.record(EventKind::Reset { conn: c, side: to });
                    self.transmit(c, to, Flags::RST, seq, 0, false);
                }
                return;
            }
            TcpState::Listen => {
                if pkt.flags.syn {
                    let ep = &mut self.conn(c).tcp[to.index()];
                    if let Some(ev) = ep.set_state(c, TcpState::SynReceived) {
                        self.record(ev);
                    }
                    self.send_synack(c, false);
                }
                return;
            }
            TcpState::SynSent => {
                if pkt.flags.syn && pkt.flags.ack {
                    self.stop_rto(c, to);
                    let cn = self.conn(c);
                    cn.established_at = Some(now);
                    let ep = &mut cn.tcp[to.index()];
                    let rtt = ep.syn_sent_at.map(|t| now.since(t));
                    ep.on_established(rtt);
                    ep.ack_pending = true;
                    ep.ack_now = true;
                    if let Some(ev) = ep.set_state(c, TcpState::Established) {
                        self.record(ev);
                    }
                    self.client_established(c);
                    self.output(c, to);
                }
                return;
            }
            TcpState::SynReceived => {
                if pkt.flags.syn {
                    self.send_synack(c, true);
                    return;
                }
                if !pkt.flags.ack {
                    return;
                }
                self.stop_rto(c, to);
                let ep = &mut self.conn(c).tcp[to.index()];
                let rtt = ep.syn_sent_at.map(|t| now.since(t));
                ep.on_established(rtt);
                if let Some(ev) = ep.set_state(c, TcpState::Established) {
                    self.record(ev);
                }
            }
            _ => {
                if pkt.flags.syn {
                    // Our ACK of the SYN-ACK was lost: acknowledge again.
                    self.conn(c).tcp[to.index()].ack_now = true;
                    self.output(c, to);
                    return;
                }
            }
        }

        if pkt.flags.ack {
            self.process_ack(c, to, pkt);
        }
        let len = pkt.len as u64;
        if len > 0 {
            let cn = &self.conns[c];
            let ep = &cn.tcp[to.index()];
            if to == Side::Server
                && cn.server_app_closed
                && !cn.server_lingering
                && pkt.seq + len > ep.rcv_nxt
            {
                // Data after the server closed its socket: RFC 9293 §3.10.7.4
                // / RFC 1122 §4.2.2.13 — the answer is a reset.
                let seq = ep.snd_nxt;
                self.record(EventKind::Reset { conn: c, side: to });
                self.transmit(c, to, Flags::RST, seq, 0, false);
                self.abort(c, to);
                return;
            }
            let ep = &mut self.conn(c).tcp[to.index()];
            let (before, after) = ep.on_data(pkt.seq, len);
            if after > before {
                self.deliver(c, to, after);
            }
        }
        if pkt.flags.fin {
            self.conn(c).tcp[to.index()].peer_fin_at = Some(pkt.seq + len);
        }
        let ep = &mut self.conn(c).tcp[to.index()];
        if ep.take_fin() {
            let next = match ep.state {
                TcpState::Established => TcpState::CloseWait,
                TcpState::FinWait1 => TcpState::Closing,
                TcpState::FinWait2 => TcpState::TimeWait,
                other => other,
            };
            if let Some(ev) = ep.set_state(c, next) {
                self.record(ev);
            }
            self.fin_received(c, to);
            self.check_fully_closed(c);
        }
        self.output(c, to);
    }

    fn process_ack(&mut self, c: ConnId, side: Side, pkt: Packet) {
        let now = self.now();
        let pure = pkt.len == 0 && !pkt.flags.fin && !pkt.flags.syn;
        let ep = &mut self.conn(c).tcp[side.index()];
        let out = ep.on_ack(now, pkt.ack, pure);
        let (cwnd_bytes, ssthresh_bytes) = (ep.cwnd, ep.ssthresh);
        if let Some(cause) = out.cwnd_event {
            self.record(EventKind::CongestionWindow { conn: c, side, cause, cwnd_bytes, ssthresh_bytes });
        }
        match out.timer {
            TimerAction::Keep => {}
            TimerAction::Stop => self.stop_rto(c, side),
            TimerAction::Restart => self.arm_rto(c, side, true),
        }
        if out.retransmit_head {
            let partial_ack = out.cwnd_event != Some(CwndCause::FastRetransmit);
            self.retransmit_head(c, side, partial_ack);
        }
        if out.fin_acked {
            let ep = &mut self.conn(c).tcp[side.index()];
            let next = match ep.state {
                TcpState::FinWait1 => TcpState::FinWait2,
                TcpState::Closing => TcpState::TimeWait,
                TcpState::LastAck => TcpState::Closed,
                other => other,
            };
            if let Some(ev) = ep.set_state(c, next) {
                self.record(ev);
            }
            self.check_fully_closed(c);
        }
    }

    fn client_established(&mut self, c: ConnId) {
        let host = self.conns[c].host;
        let mode = tls::mode_for(self.sc.tls.version, self.sc.tls.resumption, self.hosts[host].ticket);
        self.conn(c).tls_mode = mode;
        if mode == TlsMode::None {
            self.client_ready(c);
            return;
        }
        self.record(EventKind::TlsStarted { conn: c, mode });
        let (content, bytes) = tls::client_hello(mode);
        self.conn(c).queue_message(Side::Client, content, bytes, false);
        if mode == TlsMode::EarlyData {
            self.client_ready(c);
        }
    }

    /// The peer's FIN is in order at `side`.
    fn fin_received(&mut self, c: ConnId, side: Side) {
        match side {
            Side::Client => {
                // The server closed: whatever it did not answer is retried,
                // and the client closes its end too.
                self.release(c);
                self.rescue_requests(c);
                let cn = self.conn(c);
                if !cn.client_app_closed {
                    cn.client_app_closed = true;
                    cn.tcp[Side::Client.index()].fin_queued = true;
                }
            }
            Side::Server => {
                let cn = self.conn(c);
                if !cn.server_app_closed {
                    cn.server_app_closed = true;
                    cn.server_idle_deadline = None;
                    if let Some(t) = cn.server_idle_timer.take() {
                        self.sched.cancel(t);
                    }
                    self.conn(c).tcp[Side::Server.index()].fin_queued = true;
                }
            }
        }
    }

    fn abort(&mut self, c: ConnId, side: Side) {
        self.stop_rto(c, side);
        let ep = &mut self.conn(c).tcp[side.index()];
        if let Some(ev) = ep.set_state(c, TcpState::Closed) {
            self.record(ev);
        }
        let cn = self.conn(c);
        match side {
            Side::Client => cn.client_app_closed = true,
            Side::Server => cn.server_app_closed = true,
        }
        self.check_fully_closed(c);
    }

    fn check_fully_closed(&mut self, c: ConnId) {
        let cn = self.conn(c);
        let done = |s: TcpState| matches!(s, TcpState::Closed | TcpState::TimeWait);
        if cn.fully_closed || !done(cn.tcp[0].state) || !done(cn.tcp[1].state) {
            return;
        }
        cn.fully_closed = true;
        for timer in cn.rto_timer.iter_mut().chain(cn.delack_timer.iter_mut()) {
            timer.stop();
        }
        let idle_timers = [cn.server_idle_timer.take(), cn.client_idle_timer.take()];
        for t in idle_timers.into_iter().flatten() {
            self.sched.cancel(t);
        }
        self.open_conns -= 1;
        self.release(c);
    }

    // -----------------------------------------------------------------------
    // Results
    // -----------------------------------------------------------------------

    fn finish(mut self) -> SimOutput {
        let end = self.now();
        let ms = |d: SimDuration| d.as_ms();
        let rtt_ms = self.sc.network.rtt_ms;
        let mut requests = Vec::with_capacity(self.reqs.0.len());
        for (i, req) in self.reqs.0.iter().enumerate() {
            let spec = &self.sc.requests[i];
            let c = req.conn.expect("every request completed on a connection");
            let cn = &self.conns[c];
            let start = req.ready_at.unwrap_or(SimTime::ZERO);
            let send_start = req.send_start.unwrap_or(start).max(start);
            let send_end = req.send_end.unwrap_or(send_start).max(send_start);
            let first_byte = req.first_byte.unwrap_or(send_end).max(send_end);
            let done = req.done_at.unwrap_or(first_byte).max(first_byte);
            let clip = |span: Option<(SimTime, SimTime)>| -> SimDuration {
                match span {
                    Some((a, b)) => b.min(send_start).since(a.max(start)),
                    None => SimDuration::ZERO,
                }
            };
            let (dns, connect, tls) = if cn.first_request == Some(i as ReqIdx) {
                let syn = cn.syn_at;
                let established = cn.established_at;
                (
                    clip(cn.dns),
                    clip(syn.zip(established)),
                    clip(established.zip(cn.ready_at).filter(|_| cn.tls_mode != TlsMode::None)),
                )
            } else {
                (SimDuration::ZERO, SimDuration::ZERO, SimDuration::ZERO)
            };
            let before_send = send_start.since(start);
            let queued = before_send - dns - connect - tls;
            requests.push(RequestResult {
                id: spec.id.clone(),
                host: spec.host.clone(),
                connection: c,
                reused: req.reused,
                start_ms: start.as_ms(),
                queued_ms: ms(queued),
                dns_ms: ms(dns),
                connect_ms: ms(connect),
                tls_ms: ms(tls),
                send_ms: ms(send_end.since(send_start)),
                wait_ms: ms(first_byte.since(send_end)),
                download_ms: ms(done.since(first_byte)),
                end_ms: done.as_ms(),
                retries: req.retries,
                stream: req.stream,
                header_bytes: req.header_bytes,
                response_wire_bytes: req.response_wire_bytes,
                response_received_bytes: req.received,
            });
            self.totals.queued_ms += ms(queued);
        }
        let mut connections = Vec::with_capacity(self.conns.0.len());
        for cn in &mut self.conns.0 {
            if let Some(since) = cn.idle_since.take() {
                close_idle_period(cn, since, end);
            }
            let closed_by = cn.closed_by.unwrap_or(CloseReason::Open);
            if closed_by.is_idle_close() {
                self.totals.idle_closes += 1;
            }
            let time_wait = [Side::Client, Side::Server]
                .into_iter()
                .find(|s| cn.tcp[s.index()].state == TcpState::TimeWait);
            match time_wait {
                Some(Side::Client) => self.totals.time_wait_client += 1,
                Some(Side::Server) => self.totals.time_wait_server += 1,
                None => {}
            }
            let dns = cn.dns.map(|(a, b)| b.since(a)).unwrap_or_default();
            let connect = match (cn.syn_at, cn.established_at) {
                (Some(a), Some(b)) => b.since(a),
                _ => SimDuration::ZERO,
            };
            let tls = match (cn.established_at, cn.ready_at) {
                (Some(a), Some(b)) if cn.tls_mode != TlsMode::None => b.since(a),
                _ => SimDuration::ZERO,
            };
            if let Some(ready) = cn.ready_at {
                let setup = ready.since(cn.opened_at);
                self.totals.setup_ms += ms(setup);
            }
            connections.push(ConnectionResult {
                id: cn.id,
                host: self.hosts[cn.host].name.clone(),
                opened_ms: cn.opened_at.as_ms(),
                ready_ms: cn.ready_at.map(SimTime::as_ms),
                closed_ms: cn.closed_at.map(SimTime::as_ms),
                closed_by,
                requests: cn
                    .carried
                    .iter()
                    .filter(|&&r| self.reqs[r].conn == Some(cn.id))
                    .map(|&r| self.sc.requests[r as usize].id.clone())
                    .collect(),
                dns_ms: ms(dns),
                connect_ms: ms(connect),
                tls_ms: ms(tls),
                tls: cn.tls_mode,
                time_wait,
                idle: std::mem::take(&mut cn.idle_periods),
                packets: cn.packets,
                retransmissions: cn.retransmissions,
            });
        }
        self.totals.handshake_round_trips = if rtt_ms > 0.0 { self.totals.setup_ms / rtt_ms } else { 0.0 };
        self.totals.events = self.sched.processed();
        let page_load_ms = self.page_loaded_at.map(SimTime::as_ms).unwrap_or(0.0);
        SimOutput {
            result: RunResult {
                scenario: self.sc.name.clone(),
                protocol: self.protocol,
                page_load_ms,
                totals: self.totals,
                requests,
                connections,
            },
            trace: self.trace,
            hosts: self.hosts.0.into_iter().map(|h| h.name).collect(),
        }
    }
}

fn close_idle_period(cn: &mut Conn, since: SimTime, until: SimTime) {
    cn.idle_periods.push(IdlePeriod {
        from_ms: since.as_ms(),
        to_ms: until.as_ms(),
        server_deadline_ms: cn.idle_server_deadline.map(SimTime::as_ms),
        client_deadline_ms: cn.client_idle_deadline.unwrap_or(until).as_ms(),
    });
}

fn trace_capacity(sc: &Scenario) -> usize {
    let bytes: u64 = sc.requests.iter().map(|r| r.response_bytes + r.request_bytes as u64).sum();
    let segments = bytes / sc.network.mss_bytes as u64;
    (6 * segments as usize + 40 * sc.requests.len() + 64).min(200_000)
}

/// HPACK model for a header block seen before on this connection.
fn hpack_repeat(bytes: u64) -> u64 {
    (bytes / HPACK_REPEAT_DIVISOR).max(HPACK_MIN_REPEAT_BYTES).min(bytes)
}
