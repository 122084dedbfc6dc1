//! The engine core: the clock, the links, the trace and the tables; the run
//! loop and event routing. Nothing here knows a protocol rule.
//!
//! A run is two layers over one `Net`:
//! - `Net` holds everything below HTTP: the scheduler, both links, the loss
//!   stream, the trace and the transport connections (`transport/`).
//! - `Http` holds the client's pool and the server (`http/`). It drives the
//!   transport through `Net`'s seam methods (`open`, `connect`, `write`,
//!   `flush`, `close`) and hears back through
//!   `Application::on_transport`.
//!
//! Each scheduled event goes to the layer that owns it; results are folded
//! from the trace when the run ends ([`crate::fold`]).

use std::fmt;

use crate::http::Http;
#[cfg(feature = "quic")]
use crate::link::Transit;
use crate::link::{Link, Loss};
use crate::result::SimOutput;
use crate::scenario::{Protocol, Scenario, ScenarioError};
use crate::scheduler::Scheduler;
use crate::tables::Conns;
use crate::time::{decimal, SimDuration, SimTime};
use crate::trace::{ConnId, Content, EventKind, PacketInfo, ReqIdx, Side, TraceEvent};
#[cfg(feature = "quic")]
use crate::transport::quic::{QuicConfig, QuicConn, QuicTimer};
use crate::transport::tcp::{KeepaliveConfig, MiddleboxConfig, TcpConfig, TcpConn};
use crate::transport::TransportKind;

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

/// Why a run could not give a whole result. A run that stopped at a cap
/// still returns what it simulated (`partial`: the trace up to there, and
/// results in which the requests not done are failed as `unfinished`), so a
/// view can show where it got stuck.
#[derive(Clone, Debug, PartialEq)]
pub enum SimError {
    Scenario(ScenarioError),
    EventLimit {
        limit: u64,
        at_ms: f64,
        partial: Box<SimOutput>,
    },
    TimeLimit {
        limit_ms: u64,
        partial: Box<SimOutput>,
    },
    /// Nothing left to do but requests remain: an engine bug, reported
    /// rather than hidden.
    Stalled {
        at_ms: f64,
        unfinished: usize,
        partial: Box<SimOutput>,
    },
}

impl SimError {
    /// What the run simulated before it stopped, if it ran at all.
    pub fn partial(&self) -> Option<&SimOutput> {
        match self {
            SimError::Scenario(_) => None,
            SimError::EventLimit { partial, .. }
            | SimError::TimeLimit { partial, .. }
            | SimError::Stalled { partial, .. } => Some(partial),
        }
    }
}

impl fmt::Display for SimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SimError::Scenario(e) => e.fmt(f),
            SimError::EventLimit { limit, at_ms, .. } => write!(
                f,
                "simulation: stopped after {limit} events at {} ms of simulated time; \
                 the scenario is too large or never settles",
                decimal(*at_ms)
            ),
            SimError::TimeLimit { limit_ms, .. } => {
                write!(f, "simulation: simulated time passed {limit_ms} ms before the page loaded")
            }
            SimError::Stalled { at_ms, unfinished, .. } => write!(
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
    if !protocol.in_this_build() {
        return Err(SimError::Scenario(ScenarioError::new(
            "client.protocol",
            "HTTP/3 is not simulated in this build (the reuse-sim feature \"quic\" is off)",
        )));
    }
    let mut net = Net::new(scenario, protocol.transport());
    let mut http = Http::new(scenario, protocol);
    let stop = run(&mut net, &mut http, limits);
    let scheduler_events = net.sched.processed();
    net.record(EventKind::End { scheduler_events });
    let hosts = http.host_names();
    let result = crate::fold::fold(scenario, protocol, &net.trace, &hosts);
    let output = SimOutput { result, trace: net.trace, hosts };
    match stop {
        Ok(()) => Ok(output),
        Err(stop) => {
            let partial = Box::new(output);
            Err(match stop {
                Stop::EventLimit { at_ms } => {
                    SimError::EventLimit { limit: limits.max_events, at_ms, partial }
                }
                Stop::TimeLimit => SimError::TimeLimit { limit_ms: limits.max_time_ms, partial },
                Stop::Stalled { at_ms, unfinished } => SimError::Stalled { at_ms, unfinished, partial },
            })
        }
    }
}

/// Why the run loop stopped early.
enum Stop {
    EventLimit { at_ms: f64 },
    TimeLimit,
    Stalled { at_ms: f64, unfinished: usize },
}

/// Index of an event in the trace.
pub(crate) type TraceIndex = u32;

/// A scheduled event. Packet events name the packet by its `PacketSent`
/// entry in the trace, which holds everything about it: that keeps `Ev` at
/// 12 bytes, moved as scalars rather than copied through memory.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Ev {
    // The network and the transport.
    /// A packet arrives; an ACK carries how far its sender's SACK log went
    /// and the packet whose timestamp it echoes (see
    /// `transport/tcp/receiver.rs`).
    Arrive {
        sent: TraceIndex,
        sack: u32,
        echo: TraceIndex,
    },
    Lost {
        sent: TraceIndex,
    },
    Rto {
        conn: ConnId,
        side: Side,
    },
    DelayedAck {
        conn: ConnId,
        side: Side,
    },
    /// The pacing clock lets a sender's next segment go (BBR).
    #[cfg_attr(not(feature = "cubic"), allow(dead_code))]
    Pace {
        conn: ConnId,
        side: Side,
    },
    /// The client's TCP keep-alive timer (`tcp.keepalive`). Both timers
    /// are scheduled, never handled, in builds without the feature (where
    /// validation refuses the fields that set them).
    #[cfg_attr(not(feature = "keepalive"), allow(dead_code))]
    Keepalive {
        conn: ConnId,
    },
    /// The middlebox's idle timer for a connection (`network.middlebox`).
    #[cfg_attr(not(feature = "keepalive"), allow(dead_code))]
    MiddleboxIdle {
        conn: ConnId,
    },
    #[cfg(feature = "quic")]
    QuicTimer {
        conn: ConnId,
        side: Side,
        timer: QuicTimer,
    },
    // HTTP.
    ServerIdle {
        conn: ConnId,
    },
    ClientIdle {
        conn: ConnId,
    },
    RequestReady {
        req: ReqIdx,
    },
    DnsDone {
        host: u32,
    },
    ServerDone {
        conn: ConnId,
        req: ReqIdx,
    },
    /// Events of `push.events_ms` happen on the server, from `event` on
    /// (those at the same time together).
    #[cfg_attr(not(feature = "push"), allow(dead_code))]
    PushEvent {
        event: u32,
    },
    // The run itself.
    End,
}

/// Everything below HTTP: the clock, the links, the trace and the transport
/// connections. The transport's methods live in `transport/`.
pub(crate) struct Net<'a> {
    pub sc: &'a Scenario,
    /// The run's transport (its protocol's).
    pub transport: TransportKind,
    /// Lanes 0 and 1: arrivals over the uplink and downlink, which are FIFO
    /// and so already in time order.
    pub sched: Scheduler<Ev, 2>,
    /// Indexed by the sending side: uplink (client→server), downlink.
    pub links: [Link; 2],
    pub loss: Loss,
    pub trace: Vec<TraceEvent>,
    pub next_packet_id: u64,
    pub tcp_cfg: TcpConfig,
    /// The client's TCP keep-alive, when on (`tcp.keepalive`).
    pub keepalive: Option<KeepaliveConfig>,
    /// The middlebox on the path, if any (`network.middlebox`; TCP only).
    pub middlebox: Option<MiddleboxConfig>,
    /// TCP connections by id (the transport of HTTP/1.x and HTTP/2).
    pub tcp: Conns<TcpConn>,
    #[cfg(feature = "quic")]
    pub quic_cfg: QuicConfig,
    /// QUIC connections by id (the transport of HTTP/3).
    #[cfg(feature = "quic")]
    pub quic: Conns<QuicConn>,
    #[cfg(feature = "quic")]
    pub quic_scratch: crate::transport::quic::QuicScratch,
    /// The client's TLS session cache: a ticket per host, once one arrived.
    pub tickets: Vec<bool>,
    /// Reused between deliveries so that delivering allocates nothing.
    pub delivery_scratch: Vec<(Content, u64, bool)>,
    /// Connections (and sides) whose application wrote during this instant
    /// (see `Net::flush`).
    pub flush_pending: Vec<(ConnId, Side)>,
}

impl<'a> Net<'a> {
    fn new(sc: &'a Scenario, transport: TransportKind) -> Self {
        let rtt = sc.rtt();
        let one_way = SimDuration(rtt.0 / 2);
        Net {
            sc,
            transport,
            sched: Scheduler::new(),
            links: [
                Link::new(sc.network.uplink_mbps, one_way).with_queue_limit(sc.network.queue_packets),
                Link::new(sc.network.downlink_mbps, rtt - one_way).with_queue_limit(sc.network.queue_packets),
            ],
            loss: Loss::new(sc.seed, sc.network.loss_rate).with_forced(&sc.network.drop_packet_ids),
            // Room for the usual trace (about six entries per segment of
            // payload) so recording never reallocates mid-run.
            trace: Vec::with_capacity(trace_capacity(sc)),
            next_packet_id: 0,
            tcp_cfg: TcpConfig {
                mss: sc.network.mss_bytes,
                initial_cwnd_segments: sc.tcp.initial_cwnd_segments,
                rwnd_bytes: sc.tcp.rwnd_bytes,
                delayed_ack: sc.tcp.delayed_ack,
                slow_start_after_idle: sc.tcp.slow_start_after_idle,
                cwnd_unit: sc.tcp.cwnd_unit,
                recovery: sc.tcp.loss_recovery,
                frto: sc.tcp.frto,
                timestamps: sc.tcp.timestamps,
                congestion: sc.tcp.congestion_control,
                // RACK-TLP works from the SACK scoreboard (RFC 8985 §3).
                rack_tlp: sc.tcp.rack_tlp && sc.tcp.loss_recovery == crate::scenario::LossRecovery::Sack,
            },
            keepalive: sc.tcp.keepalive.as_ref().and_then(KeepaliveConfig::new),
            middlebox: sc.network.middlebox.as_ref().and_then(MiddleboxConfig::new),
            tcp: Conns(Vec::with_capacity(sc.requests.len().min(1024))),
            #[cfg(feature = "quic")]
            quic_cfg: QuicConfig::new(sc),
            #[cfg(feature = "quic")]
            quic: Conns(Vec::new()),
            #[cfg(feature = "quic")]
            quic_scratch: Default::default(),
            tickets: Vec::new(),
            delivery_scratch: Vec::new(),
            flush_pending: Vec::new(),
        }
    }

    #[inline(always)]
    pub fn now(&self) -> SimTime {
        self.sched.now()
    }

    /// Appends an event to the trace at the current time.
    #[inline(always)]
    pub fn record(&mut self, kind: EventKind) {
        let time = self.sched.now();
        self.trace.push(TraceEvent { time, kind });
    }

    /// The packet a `PacketSent` trace entry describes.
    pub fn sent_packet(&self, sent: TraceIndex) -> Option<&PacketInfo> {
        match self.trace.as_slice().get(sent as usize).map(|e| &e.kind) {
            Some(EventKind::PacketSent(p)) => Some(p),
            _ => {
                debug_assert!(false, "trace entry {sent} is not a sent packet");
                None
            }
        }
    }

    /// Does the client hold a TLS session ticket for `host`?
    pub fn has_ticket(&self, host: u32) -> bool {
        self.tickets.get(host as usize).copied().unwrap_or(false)
    }

    #[cfg(feature = "quic")]
    /// Hands a packet of `wire_bytes` (id `id`) to `from`'s link now: when
    /// it leaves and arrives, whether it is lost on the way, whether the
    /// bottleneck buffer dropped it.
    pub fn link_send(&mut self, from: Side, id: u64, wire_bytes: u64) -> (Transit, bool, bool) {
        let now = self.now();
        let link = &mut self.links[from.index()];
        if link.buffer_full(now) {
            // Tail drop: the packet never reaches the wire.
            return (Transit { sent: now, departed: now, arrives: now }, true, true);
        }
        let transit = link.transmit(now, wire_bytes);
        (transit, self.loss.drop_next(id), false)
    }

    /// Schedules a recorded packet's arrival, or its loss.
    #[cfg(feature = "quic")]
    pub fn schedule_arrival(
        &mut self,
        sent: TraceIndex,
        from: Side,
        arrives: SimTime,
        lost: bool,
        queue_drop: bool,
    ) {
        if queue_drop {
            // Not in arrival order with the link's packets: through the heap.
            self.sched.at(self.now(), Ev::Lost { sent });
        } else {
            // QUIC carries its acknowledgments in its own frames: no SACK
            // log position, no timestamp to echo.
            let event = if lost {
                Ev::Lost { sent }
            } else {
                Ev::Arrive { sent, sack: 0, echo: crate::transport::tcp::NO_ECHO }
            };
            self.sched.in_lane(from.index(), arrives, event);
        }
    }

    pub fn store_ticket(&mut self, host: u32) {
        if self.tickets.len() <= host as usize {
            self.tickets.resize(host as usize + 1, false);
        }
        self.tickets[host as usize] = true;
    }
}

/// The run loop: pops events in `(time, seq)` order and routes each to the
/// layer that owns it, until the page has loaded and every connection has
/// closed (or the drain period ends).
fn run(net: &mut Net, http: &mut Http, limits: Limits) -> Result<(), Stop> {
    http.start(net);
    let max_time = SimTime::ZERO + SimDuration::from_millis(limits.max_time_ms);
    let mut ended = false;
    while !ended {
        if net.sched.processed() >= limits.max_events {
            return Err(Stop::EventLimit { at_ms: net.now().as_ms() });
        }
        let Some((time, ev)) = net.sched.pop() else {
            // Nothing more can happen. Requests waiting on a connection a
            // middlebox silently forgot would wait forever: they fail.
            #[cfg(feature = "keepalive")]
            if http.fail_hung(net) {
                continue;
            }
            break;
        };
        if time > max_time {
            return Err(Stop::TimeLimit);
        }
        match ev {
            Ev::Arrive { sent, sack, echo } => net.on_arrive(http, sent, sack, echo),
            Ev::Lost { sent } => net.on_lost(sent),
            Ev::Rto { conn, side } => net.on_rto(http, conn, side),
            Ev::DelayedAck { conn, side } => net.on_delayed_ack(http, conn, side),
            // Only BBR paces (the feature `cubic`; the first load has none).
            #[cfg(feature = "cubic")]
            Ev::Pace { conn, side } => net.on_pace(http, conn, side),
            #[cfg(not(feature = "cubic"))]
            Ev::Pace { .. } => {}
            #[cfg(feature = "keepalive")]
            Ev::Keepalive { conn } => net.on_keepalive(http, conn),
            #[cfg(feature = "keepalive")]
            Ev::MiddleboxIdle { conn } => net.on_middlebox_idle(conn),
            // Scheduled only with `tcp.keepalive` or `network.middlebox`,
            // which validation refuses in builds without the feature.
            #[cfg(not(feature = "keepalive"))]
            Ev::Keepalive { .. } | Ev::MiddleboxIdle { .. } => {}
            #[cfg(feature = "quic")]
            Ev::QuicTimer { conn, side, timer } => net.on_quic_timer(http, conn, side, timer),
            Ev::ServerIdle { conn } => http.on_server_idle(net, conn),
            Ev::ClientIdle { conn } => http.on_client_idle(net, conn),
            Ev::RequestReady { req } => http.on_request_ready(net, req),
            Ev::DnsDone { host } => http.on_dns_done(net, host),
            Ev::ServerDone { conn, req } => http.on_server_done(net, conn, req),
            #[cfg(feature = "push")]
            Ev::PushEvent { event } => http.on_push_event(net, event),
            // Scheduled only with `push`, which validation refuses in builds
            // without the feature.
            #[cfg(not(feature = "push"))]
            Ev::PushEvent { .. } => {}
            Ev::End => ended = true,
        }
        if !net.flush_pending.is_empty() && net.sched.peek_time() != Some(time) {
            net.flush_now(http);
        }
        if http.settled() {
            ended = true;
        }
    }
    if http.unfinished > 0 {
        return Err(Stop::Stalled { at_ms: net.now().as_ms(), unfinished: http.unfinished });
    }
    Ok(())
}

fn trace_capacity(sc: &Scenario) -> usize {
    let bytes: u64 = sc.requests.iter().map(|r| r.response_bytes + r.request_bytes as u64).sum();
    let segments = bytes / sc.network.mss_bytes as u64;
    // The bytes' share is capped (a 1 GB response must not reserve 400 MB
    // at once); the requests' share is bounded by the request limit and
    // saves a 10,000-request page its copies of a trace being outgrown.
    (6 * segments as usize).min(200_000) + 40 * sc.requests.len() + 64
}
