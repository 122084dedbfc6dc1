//! What the views draw, read from the engine's output: bars per connection
//! and per request, idle periods, closes, packets, event times. Nothing here
//! re-derives protocol behaviour: every time comes from the engine's results
//! or trace, and every explanation is the engine's own words
//! ([`TraceEvent::describe`], [`PacketInfo::label`]).
//!
//! Pure (no web types), tested natively.

use reuse_sim::time::fixed;
use std::rc::Rc;

use reuse_sim::trace::{CloseReason, ConnId, EventKind, PacketInfo, PauseAt, Side};
use reuse_sim::{
    simulate_each, DescribeContext, Limits, Protocol, RunResult, Scenario, SimError, SimOutput, TraceEvent,
};

use crate::layout::{assign_sublanes, format_ms, sorted_unique};

/// The phases of a request, named and coloured as in Chrome DevTools' Timing
/// tab (plus idle keep-alive time on a connection), and the time a response
/// was held behind a lost packet (head-of-line blocking), which DevTools
/// does not show: it lies within waiting and downloading.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Phase {
    Queueing,
    Dns,
    Connect,
    Tls,
    Waiting,
    Download,
    Held,
    Blocked,
}

impl Phase {
    pub const ALL: [Phase; 8] = [
        Phase::Queueing,
        Phase::Dns,
        Phase::Connect,
        Phase::Tls,
        Phase::Waiting,
        Phase::Download,
        Phase::Held,
        Phase::Blocked,
    ];

    /// DevTools' name for the phase.
    pub fn name(self) -> &'static str {
        match self {
            Phase::Queueing => "Queueing",
            Phase::Dns => "DNS Lookup",
            Phase::Connect => "Initial connection",
            Phase::Tls => "SSL/TLS",
            Phase::Waiting => "Waiting for server response",
            Phase::Download => "Content Download",
            Phase::Held => "Held behind a lost packet",
            Phase::Blocked => "Waiting behind an earlier response",
        }
    }

    /// CSS class (colour and pattern live in the stylesheet).
    pub fn class(self) -> &'static str {
        match self {
            Phase::Queueing => "ph-queue",
            Phase::Dns => "ph-dns",
            Phase::Connect => "ph-connect",
            Phase::Tls => "ph-tls",
            Phase::Waiting => "ph-wait",
            Phase::Download => "ph-download",
            Phase::Held => "ph-held",
            Phase::Blocked => "ph-blocked",
        }
    }
}

/// Something a person can point at and ask "why is this here?".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Item {
    Setup {
        conn: ConnId,
        phase: Phase,
    },
    Request {
        request: u32,
        phase: Phase,
    },
    Idle {
        conn: ConnId,
        index: usize,
    },
    Close {
        conn: ConnId,
    },
    /// A packet, by its index in the trace.
    Packet {
        event: usize,
    },
    /// A request lost to a close (the keep-alive race), by its trace index.
    Lost {
        event: usize,
    },
    /// Any other trace event (a TCP state change on the ladder), by index.
    Event {
        event: usize,
    },
}

impl Item {
    /// A compact key for a `data-item` attribute, so one delegated listener
    /// per view can tell what the pointer or focus is on:
    /// `h2 s 3 2` = HTTP/2, setup of connection 3, phase 2 (connect).
    pub fn key(self, column: impl Into<Column>) -> String {
        let p = column.into().key();
        let phase = |ph: Phase| Phase::ALL.iter().position(|&x| x == ph).unwrap_or(0);
        match self {
            Item::Setup { conn, phase: ph } => format!("{p} s {conn} {}", phase(ph)),
            Item::Request { request, phase: ph } => format!("{p} r {request} {}", phase(ph)),
            Item::Idle { conn, index } => format!("{p} i {conn} {index}"),
            Item::Close { conn } => format!("{p} c {conn} 0"),
            Item::Packet { event } => format!("{p} p {event} 0"),
            Item::Lost { event } => format!("{p} l {event} 0"),
            Item::Event { event } => format!("{p} e {event} 0"),
        }
    }

    pub fn parse_key(key: &str) -> Option<(Column, Item)> {
        let mut parts = key.split(' ');
        let protocol = Column::parse_key(parts.next()?)?;
        let kind = parts.next()?;
        let a: u64 = parts.next()?.parse().ok()?;
        let b: usize = parts.next()?.parse().ok()?;
        let phase = || Phase::ALL.get(b).copied();
        let item = match kind {
            "s" => Item::Setup { conn: a as ConnId, phase: phase()? },
            "r" => Item::Request { request: a as u32, phase: phase()? },
            "i" => Item::Idle { conn: a as ConnId, index: b },
            "c" => Item::Close { conn: a as ConnId },
            "p" => Item::Packet { event: a as usize },
            "l" => Item::Lost { event: a as usize },
            "e" => Item::Event { event: a as usize },
            _ => return None,
        };
        Some((protocol, item))
    }

    /// The connection the item belongs to, when it names one directly.
    pub fn connection(self) -> Option<ConnId> {
        match self {
            Item::Setup { conn, .. } | Item::Idle { conn, .. } | Item::Close { conn } => Some(conn),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub phase: Phase,
    pub start_ms: f64,
    pub end_ms: f64,
    pub item: Item,
}

/// One request on a connection row: waiting then downloading.
#[derive(Clone, Debug, PartialEq)]
pub struct LaneRequest {
    pub request: u32,
    pub sent_ms: f64,
    pub first_byte_ms: f64,
    pub end_ms: f64,
    pub sublane: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub struct IdleView {
    pub from_ms: f64,
    pub to_ms: f64,
    /// When the first of the client's and the server's timers would fire.
    pub deadline_ms: f64,
    /// Which side's timer fires first.
    pub deadline_side: Side,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ConnectionView {
    pub id: ConnId,
    pub host: String,
    pub opened_ms: f64,
    pub setup: Vec<Bar>,
    pub requests: Vec<LaneRequest>,
    pub sublanes: usize,
    pub idle: Vec<IdleView>,
    /// When the closing side closed it (the engine's close time).
    pub closed_ms: Option<f64>,
    /// When the client closed it or learnt that the server had (its TCP
    /// left ESTABLISHED): the lanes are the client's view, so the close mark
    /// goes here. Later than `closed_ms` by the FIN's trip when the server
    /// closed, which is the keep-alive race's window.
    pub client_closed_ms: Option<f64>,
    pub closed_by: CloseReason,
    /// Indices into the trace of this connection's `PacketSent` events.
    pub packets: Vec<usize>,
    /// Requests lost on this connection when it closed under them (each is
    /// retried on another).
    pub lost: Vec<LostAttempt>,
}

/// A request sent on a connection that closed under it (the keep-alive
/// race), on the client's clock.
#[derive(Clone, Debug, PartialEq)]
pub struct LostAttempt {
    /// When it left the client (the lost event's time if the trace has no send).
    pub sent_ms: f64,
    /// When the client learnt it was lost.
    pub lost_ms: f64,
    /// Trace index of the `RequestLost` event.
    pub event: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub struct RequestRow {
    pub request: u32,
    pub connection: ConnId,
    pub reused: bool,
    /// The phases end to end, as the engine's results give them.
    pub bars: Vec<Bar>,
    /// Time held back, drawn over the waiting and download bars it lies
    /// within: behind a lost packet ([`Phase::Held`]) or, at the server,
    /// behind an earlier pipelined response ([`Phase::Blocked`]).
    pub held: Vec<Bar>,
    pub start_ms: f64,
    pub end_ms: f64,
}

/// A column of the views (a group of lanes, a totals column, a waterfall
/// tab): one of the scenario's protocols, or (the full build's variants on
/// one clock, `var=`) its variant number N, which may share a protocol with
/// another variant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Column {
    Protocol(Protocol),
    #[cfg(feature = "variants")]
    Variant(u8),
}

impl From<Protocol> for Column {
    fn from(p: Protocol) -> Column {
        Column::Protocol(p)
    }
}

impl Column {
    /// Its name in the views' `data-` keys: the protocol's ALPN id
    /// (`http/1.1`), or `vN`.
    pub fn key(self) -> std::borrow::Cow<'static, str> {
        match self {
            Column::Protocol(p) => p.as_str().into(),
            #[cfg(feature = "variants")]
            Column::Variant(i) => format!("v{i}").into(),
        }
    }

    /// Reads [`Column::key`] (only the ALPN ids it writes: the first load
    /// carries no other spelling).
    pub fn parse_key(key: &str) -> Option<Column> {
        #[cfg(feature = "variants")]
        if let Some(n) = key.strip_prefix('v') {
            return n.parse().ok().map(Column::Variant);
        }
        Protocol::ALL.into_iter().find(|p| p.as_str() == key).map(Column::Protocol)
    }
}

/// One protocol's (or variant's) run, ready to draw.
#[derive(Clone, Debug, PartialEq)]
pub struct ProtocolRun {
    pub protocol: Protocol,
    pub column: Column,
    /// The column's name: the protocol's ("HTTP/2") or the variant's label.
    pub label: Rc<str>,
    /// The scenario as simulated, shared by the protocols' runs: only
    /// `client.protocol` differed, and nothing read from it here depends on
    /// that field (use [`ProtocolRun::protocol`]). A variant's is its own.
    pub scenario: Rc<Scenario>,
    pub output: SimOutput,
    pub connections: Vec<ConnectionView>,
    pub rows: Vec<RequestRow>,
    /// Sorted, de-duplicated times of every trace event (for stepping).
    pub event_times: Vec<f64>,
    /// The latest close (or last event) on any connection.
    pub last_close_ms: f64,
}

/// Every protocol's run of one scenario (always every one this build
/// simulates, so the saving against HTTP/1.0 exists even when HTTP/1.0 is
/// hidden), or every variant's (the first is the one the others are
/// compared with).
#[derive(Clone, Debug, PartialEq)]
pub struct Run {
    pub scenario: Rc<Scenario>,
    pub protocols: Vec<ProtocolRun>,
}

/// Scheduler events one protocol may take in the browser: about five times
/// the largest preset (a 20 MB download). Beyond it the trace would need
/// hundreds of megabytes and seconds of a frozen page, so the app says the
/// scenario is too large instead (the command line has no such cap).
pub const BROWSER_MAX_EVENTS: u64 = 150_000;

/// The protocols this build simulates: the three over TCP, and HTTP/3 in
/// the HTTP/3 build ([`crate::full_build`]).
pub fn simulated_protocols() -> Vec<Protocol> {
    Protocol::ALL.into_iter().filter(|&p| crate::full_build::simulates(p)).collect()
}

impl Run {
    pub fn simulate(scenario: &Scenario) -> Result<Run, SimError> {
        let limits = Limits { max_events: BROWSER_MAX_EVENTS, ..Limits::default() };
        // Validated once, never copied for the three runs (re-simulating is
        // on the path of every keystroke).
        let simulated = simulated_protocols();
        let outputs = simulate_each(scenario, &simulated, limits)?;
        let shared = Rc::new(scenario.clone());
        let protocols = simulated
            .into_iter()
            .zip(outputs)
            .map(|(p, output)| ProtocolRun::new(p, Rc::clone(&shared), output))
            .collect();
        Ok(Run { scenario: shared, protocols })
    }

    /// Like [`Run::simulate`], but a run stopped at a cap still gives what it
    /// simulated (its trace up to there, the unfinished requests failed as
    /// such), with the reason, so the views can show where it got stuck.
    pub fn simulate_or_partial(scenario: &Scenario) -> Result<(Run, Option<SimError>), SimError> {
        match Run::simulate(scenario) {
            Ok(run) => Ok((run, None)),
            Err(e) if e.partial().is_some() => {
                let limits = Limits { max_events: BROWSER_MAX_EVENTS, ..Limits::default() };
                let shared = Rc::new(scenario.clone());
                let mut protocols = Vec::with_capacity(Protocol::ALL.len());
                for p in simulated_protocols() {
                    let output = match reuse_sim::simulate_with_limits(&scenario.with_protocol(p), limits) {
                        Ok(output) => output,
                        Err(stop) => match stop.partial() {
                            Some(partial) => partial.clone(),
                            None => return Err(stop),
                        },
                    };
                    protocols.push(ProtocolRun::new(p, Rc::clone(&shared), output));
                }
                Ok((Run { scenario: shared, protocols }, Some(e)))
            }
            Err(e) => Err(e),
        }
    }

    pub fn get(&self, column: impl Into<Column>) -> Option<&ProtocolRun> {
        let column = column.into();
        self.protocols.iter().find(|p| p.column == column)
    }

    /// The engine's words for `item` of `column`'s run; a request of a
    /// second or later variant ends with its difference from the first
    /// ("done at 500 ms, 300 ms earlier than non-persistent").
    pub fn explain(&self, column: Column, item: Item) -> Option<Explanation> {
        let run = self.get(column)?;
        #[allow(unused_mut)]
        let mut explanation = run.explain(item);
        #[cfg(feature = "variants")]
        if let (Column::Variant(1..), Item::Request { request, .. }, Some(first)) =
            (column, item, self.baseline())
        {
            let id = run.scenario.requests.get(request as usize).map(|r| r.id.as_str());
            // Only a request both runs finished (a capped run's may not have).
            let done = |r: &ProtocolRun| {
                let i = r.scenario.requests.iter().position(|q| Some(q.id.as_str()) == id)?;
                let request = r.result().requests.get(i).filter(|q| q.failure.is_none())?;
                Some(request.end_ms)
            };
            if let (Some(here), Some(there)) = (done(run), done(first)) {
                let words = reuse_render::earlier_words(there - here, &first.label);
                explanation.lines.push((format_ms(here), format!("Whole response here: {words}.")));
            }
        }
        Some(explanation)
    }

    /// The run the others' savings are counted from: HTTP/1.0, or the first
    /// variant.
    pub fn baseline(&self) -> Option<&ProtocolRun> {
        self.protocols.first()
    }

    /// The scenario under each variant (`LABEL:key=value,…`, as `reuse-cli
    /// run --variant` reads them), side by side on one clock, each its own
    /// column; a run stopped at a cap shows up to there, with the reason.
    /// `Err`: the first variant that does not read or apply, named.
    #[cfg(feature = "variants")]
    pub fn simulate_variants(
        scenario: &Scenario,
        specs: &[String],
    ) -> Result<(Run, Option<SimError>), String> {
        use reuse_sim::variant::Variant;
        let limits = Limits { max_events: BROWSER_MAX_EVENTS, ..Limits::default() };
        let mut stopped = None;
        let mut protocols = Vec::with_capacity(specs.len());
        for (i, spec) in specs.iter().enumerate() {
            let v = Variant::parse(spec).map_err(|e| format!("variant {spec:?}: {e}"))?;
            let named = |e: &dyn std::fmt::Display| format!("variant {:?}: {e}", v.label);
            let s = v.apply(scenario).map_err(|e| named(&e))?;
            let output = match reuse_sim::simulate_with_limits(&s, limits) {
                Ok(output) => output,
                Err(stop) => match stop.partial() {
                    Some(partial) => {
                        let partial = partial.clone();
                        stopped.get_or_insert(stop);
                        partial
                    }
                    None => return Err(named(&stop)),
                },
            };
            let mut run = ProtocolRun::new(s.client.protocol, Rc::new(s), output);
            run.column = Column::Variant(i as u8);
            run.label = v.label.as_str().into();
            protocols.push(run);
        }
        Ok((Run { scenario: Rc::new(scenario.clone()), protocols }, stopped))
    }
}

impl ProtocolRun {
    pub fn new(protocol: Protocol, scenario: Rc<Scenario>, output: SimOutput) -> ProtocolRun {
        let result = &output.result;
        let mut rows: Vec<RequestRow> = result
            .requests
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let request = i as u32;
                let mut bars = Vec::with_capacity(6);
                let mut t = r.start_ms;
                let phases = [
                    (Phase::Queueing, r.queued_ms),
                    (Phase::Dns, r.dns_ms),
                    (Phase::Connect, r.connect_ms),
                    (Phase::Tls, r.tls_ms),
                    // DevTools shows "Request sent" as a sliver; it is folded into waiting.
                    (Phase::Waiting, r.send_ms + r.wait_ms),
                    (Phase::Download, r.download_ms),
                ];
                for (phase, ms) in phases {
                    if ms > 0.0 {
                        bars.push(Bar {
                            phase,
                            start_ms: t,
                            end_ms: t + ms,
                            item: Item::Request { request, phase },
                        });
                    }
                    t += ms;
                }
                RequestRow {
                    request,
                    connection: r.connection,
                    reused: r.reused,
                    bars,
                    held: Vec::new(),
                    start_ms: r.start_ms,
                    end_ms: r.end_ms,
                }
            })
            .collect();
        for (request, phase, start_ms, end_ms) in crate::held::held_spans(&output.trace, rows.len()) {
            let item = Item::Request { request, phase };
            rows[request as usize].held.push(Bar { phase, start_ms, end_ms, item });
        }

        let mut connections: Vec<ConnectionView> = result
            .connections
            .iter()
            .map(|c| {
                let mut setup = Vec::with_capacity(3);
                let mut t = c.opened_ms;
                for (phase, ms) in
                    [(Phase::Dns, c.dns_ms), (Phase::Connect, c.connect_ms), (Phase::Tls, c.tls_ms)]
                {
                    if ms > 0.0 {
                        setup.push(Bar {
                            phase,
                            start_ms: t,
                            end_ms: t + ms,
                            item: Item::Setup { conn: c.id, phase },
                        });
                    }
                    t += ms;
                }
                let idle = c
                    .idle
                    .iter()
                    .filter(|p| p.to_ms > p.from_ms)
                    .map(|p| IdleView {
                        from_ms: p.from_ms,
                        to_ms: p.to_ms,
                        deadline_ms: p.deadline_ms,
                        deadline_side: p.deadline_side,
                    })
                    .collect();
                ConnectionView {
                    id: c.id,
                    host: c.host.clone(),
                    opened_ms: c.opened_ms,
                    setup,
                    requests: Vec::with_capacity(c.requests.len()),
                    sublanes: 1,
                    idle,
                    closed_ms: c.closed_ms,
                    client_closed_ms: c.client_closed_ms,
                    closed_by: c.closed_by,
                    // Filled from the trace below: sized once, from the results.
                    packets: Vec::with_capacity(c.packets as usize),
                    lost: Vec::new(),
                }
            })
            .collect();

        // Connection ids count up from 1 in opening order; look up by position
        // and fall back to a search should that ever change.
        let position_of = |connections: &[ConnectionView], id: ConnId| -> Option<usize> {
            let guess = (id as usize).wrapping_sub(1);
            if connections.get(guess).is_some_and(|c| c.id == id) {
                Some(guess)
            } else {
                connections.iter().position(|c| c.id == id)
            }
        };
        // Requests onto their connection's row, overlapping ones (HTTP/2
        // streams, pipelined requests) on sub-lanes.
        for (i, r) in result.requests.iter().enumerate() {
            if let Some(conn) = position_of(&connections, r.connection).map(|c| &mut connections[c]) {
                conn.requests.push(LaneRequest {
                    request: i as u32,
                    sent_ms: r.sent_ms,
                    first_byte_ms: r.first_byte_ms,
                    end_ms: r.end_ms,
                    sublane: 0,
                });
            }
        }
        for conn in &mut connections {
            let spans: Vec<(f64, f64)> = conn.requests.iter().map(|r| (r.sent_ms, r.end_ms)).collect();
            let (lanes, count) = assign_sublanes(&spans);
            for (r, lane) in conn.requests.iter_mut().zip(lanes) {
                r.sublane = lane;
            }
            conn.sublanes = count.max(1);
        }

        // The trace is in time order (packet arrivals are events of their own).
        let mut times = Vec::with_capacity(output.trace.len());
        let mut last_event_ms: f64 = 0.0;
        for (index, event) in output.trace.iter().enumerate() {
            let t = event.time.as_ms();
            if times.last().is_none_or(|&last: &f64| (t - last).abs() >= 1e-6) {
                times.push(t);
            }
            last_event_ms = last_event_ms.max(t);
            match &event.kind {
                EventKind::PacketSent(p) => {
                    if let Some(i) = position_of(&connections, p.conn) {
                        connections[i].packets.push(index);
                    }
                }
                EventKind::RequestLost { conn, sent, .. } => {
                    if let Some(i) = position_of(&connections, *conn) {
                        connections[i].lost.push(LostAttempt {
                            sent_ms: sent.as_ms(),
                            lost_ms: t,
                            event: index,
                        });
                    }
                }
                _ => {}
            }
        }
        if times.windows(2).any(|w| w[1] < w[0]) {
            times = sorted_unique(times);
        }
        let last_close_ms = connections.iter().filter_map(|c| c.closed_ms).fold(last_event_ms, f64::max);

        ProtocolRun {
            protocol,
            column: Column::Protocol(protocol),
            label: protocol.label().into(),
            scenario,
            event_times: times,
            output,
            connections,
            rows,
            last_close_ms,
        }
    }

    pub fn result(&self) -> &RunResult {
        &self.output.result
    }

    pub fn page_load_ms(&self) -> f64 {
        self.output.result.page_load_ms
    }

    pub fn connection(&self, id: ConnId) -> Option<&ConnectionView> {
        self.connections.iter().find(|c| c.id == id)
    }

    /// The server's congestion window on connection `id` at each data
    /// packet it sent, `(ms, bytes)`: what the chosen connection's lane
    /// draws (the full build), read from the trace as the ladder's chart
    /// reads it.
    #[cfg(feature = "cubic")]
    pub fn server_window(&self, id: ConnId) -> Vec<(f64, u64)> {
        let Some(c) = self.connection(id) else { return Vec::new() };
        c.packets
            .iter()
            .filter_map(|&event| {
                let p = self.packet(event).filter(|p| p.from == Side::Server && p.payload_bytes > 0)?;
                Some((self.output.trace[event].time.as_ms(), p.cwnd_bytes))
            })
            .collect()
    }

    pub fn packet(&self, event: usize) -> Option<&PacketInfo> {
        match self.output.trace.get(event).map(|e| &e.kind) {
            Some(EventKind::PacketSent(p)) => Some(p),
            _ => None,
        }
    }

    /// The first moment of `kind` in `(from, to]` (ms): a breakpoint the
    /// playhead crossed this frame.
    pub fn next_pause(&self, kind: PauseAt, from_ms: f64, to_ms: f64) -> Option<&TraceEvent> {
        let trace = &self.output.trace;
        let start = trace.partition_point(|e| e.time.as_ms() <= from_ms);
        trace[start..].iter().take_while(|e| e.time.as_ms() <= to_ms).find(|e| kind.matches(&e.kind))
    }

    /// "Paused: HTTP/1.1 · a connection opens" (`what`), at the event, in
    /// the engine's words (a lesson's stops and the player's breakpoints).
    pub fn pause_explanation(&self, what: &str, event: &TraceEvent) -> Explanation {
        let t = event.time.as_ms();
        Explanation::new(format!("Paused: {} · {what}", self.label), Some((t, t)), vec![self.line(event)])
    }

    /// An event's time and the engine's words for it.
    fn line(&self, event: &TraceEvent) -> (f64, String) {
        let words = event.describe(DescribeContext { scenario: &self.scenario, hosts: &self.output.hosts });
        (event.time.as_ms(), words)
    }

    /// The request's name in the views: its id in the scenario, with its
    /// HTTP status when that is not 200 ("logo.png 404").
    pub fn request_id(&self, request: u32) -> std::borrow::Cow<'_, str> {
        match self.scenario.requests.get(request as usize) {
            Some(r) if r.status != 200 => format!("{} {}", r.id, r.status).into(),
            Some(r) => r.id.as_str().into(),
            None => "?".into(),
        }
    }

    /// "Why is this here?": a heading, the time span, and the engine's words
    /// for the events behind the item.
    pub fn explain(&self, item: Item) -> Explanation {
        let trace = &self.output.trace;
        let label = &*self.label;
        let words = |pred: &dyn Fn(&EventKind) -> bool| -> Vec<(f64, String)> {
            trace.iter().filter(|e| pred(&e.kind)).map(|e| self.line(e)).collect()
        };
        match item {
            Item::Setup { conn, phase } => {
                let view = self.connection(conn);
                let bar = view.and_then(|c| c.setup.iter().find(|b| b.phase == phase));
                let host = view.map(|c| c.host.as_str()).unwrap_or("");
                let host_index = self.output.hosts.iter().position(|h| h == host).map(|h| h as u32);
                let lines = match phase {
                    Phase::Dns => words(&|k| {
                        matches!(k, EventKind::DnsStart { host } | EventKind::DnsDone { host }
                            if Some(*host) == host_index)
                    }),
                    Phase::Connect => words(&|k| match k {
                        EventKind::ConnectionOpened { conn: c, .. } => *c == conn,
                        EventKind::TcpStateChanged { conn: c, side: Side::Client, .. } => *c == conn,
                        #[cfg(feature = "quic")]
                        EventKind::QuicHandshakeStarted { conn: c, .. }
                        | EventKind::QuicStateChanged { conn: c, side: Side::Client, .. } => *c == conn,
                        _ => false,
                    }),
                    _ => words(&|k| {
                        matches!(k, EventKind::TlsStarted { conn: c, .. } | EventKind::ConnectionReady { conn: c, .. }
                            if *c == conn)
                    }),
                };
                Explanation::new(
                    format!("{label} · connection {conn} · {}", phase.name()),
                    bar.map(|b| (b.start_ms, b.end_ms)),
                    lines,
                )
            }
            Item::Request { request, phase } => {
                let row = self.rows.get(request as usize);
                let bar = row.and_then(|r| r.bars.iter().chain(&r.held).find(|b| b.phase == phase));
                let conn = row.map(|r| r.connection).unwrap_or(0);
                let lines = match phase {
                    Phase::Queueing => words(&|k| {
                        matches!(k, EventKind::RequestReady { request: r } | EventKind::RequestQueued { request: r, .. }
                            if *r == request)
                    }),
                    Phase::Dns | Phase::Connect | Phase::Tls => {
                        return Explanation {
                            title: format!("{label} · {} · {}", self.request_id(request), phase.name()),
                            ..self.explain(Item::Setup { conn, phase })
                        };
                    }
                    Phase::Waiting => words(&|k| match k {
                        EventKind::RequestAssigned { request: r, .. }
                        | EventKind::RequestSent { request: r, .. }
                        | EventKind::ServerQueued { request: r, .. }
                        | EventKind::ServerProcessing { request: r, .. }
                        | EventKind::ResponseReady { request: r, .. }
                        | EventKind::RequestLost { request: r, .. } => *r == request,
                        _ => false,
                    }),
                    Phase::Download => words(&|k| {
                        matches!(k, EventKind::ResponseFirstByte { request: r, .. }
                            | EventKind::ResponseComplete { request: r, .. } if *r == request)
                    }),
                    Phase::Held => words(&|k| {
                        matches!(k, EventKind::ResponseHeld { request: r, .. }
                            | EventKind::ResponseReleased { request: r, .. } if *r == request)
                    }),
                    Phase::Blocked => words(&|k| {
                        matches!(k, EventKind::ServerQueued { request: r, .. }
                            | EventKind::ServerProcessing { request: r, .. }
                            | EventKind::ResponseReady { request: r, .. }
                            | EventKind::ResponseWritten { request: r, .. } if *r == request)
                    }),
                };
                Explanation::new(
                    format!("{label} · {} · {}", self.request_id(request), phase.name()),
                    bar.map(|b| (b.start_ms, b.end_ms)),
                    lines,
                )
            }
            Item::Idle { conn, index } => {
                let idle = self.connection(conn).and_then(|c| c.idle.get(index));
                let lines = trace
                    .iter()
                    .filter(|e| {
                        matches!(e.kind, EventKind::ConnectionIdle { conn: c, .. } if c == conn)
                            && idle.is_some_and(|p| (e.time.as_ms() - p.from_ms).abs() < 1e-6)
                    })
                    .map(|e| self.line(e))
                    .collect();
                Explanation::new(
                    format!("{label} · connection {conn} · idle (keep-alive)"),
                    idle.map(|p| (p.from_ms, p.to_ms)),
                    lines,
                )
            }
            Item::Close { conn } => {
                // From the closing side's decision to when the client learns
                // of it (the lanes draw the close on the client's clock): the
                // words say each side's time, so a keep-alive race shows.
                let view = self.connection(conn);
                let span = view.and_then(|c| Some((c.closed_ms?, c.client_closed_ms?)));
                let lines = words(&|k| match k {
                    EventKind::ConnectionClosing { conn: c, .. }
                    | EventKind::Reset { conn: c, .. }
                    | EventKind::TcpStateChanged { conn: c, .. } => *c == conn,
                    #[cfg(feature = "quic")]
                    EventKind::QuicStateChanged { conn: c, .. } => *c == conn,
                    _ => false,
                });
                let lines = match span {
                    // State changes before the close (the handshake) are not part of it.
                    Some((from, _)) => lines.into_iter().filter(|l| l.0 >= from - 1e-6).collect(),
                    None => lines,
                };
                Explanation::new(format!("{label} · connection {conn} · close"), span, lines)
            }
            Item::Event { event } => {
                let lines = trace.get(event).map(|e| vec![self.line(e)]).unwrap_or_default();
                let at = trace.get(event).map(|e| e.time.as_ms());
                Explanation::new(format!("{label} · event"), at.map(|t| (t, t)), lines)
            }
            Item::Lost { event } => {
                let Some(e) = trace.get(event) else {
                    return Explanation::new(format!("{label} · lost request"), None, Vec::new());
                };
                let EventKind::RequestLost { request, conn, .. } = e.kind else {
                    return Explanation::new(format!("{label} · lost request"), None, Vec::new());
                };
                // From the attempt leaving the client to the client learning it was lost.
                let attempt = self.connections.iter().flat_map(|c| &c.lost).find(|l| l.event == event);
                let sent = attempt.map_or(e.time.as_ms(), |l| l.sent_ms);
                let lines: Vec<(f64, String)> = trace
                    .iter()
                    .enumerate()
                    .filter(|(i, r)| match r.kind {
                        EventKind::ConnectionClosing { conn: c, .. } | EventKind::Reset { conn: c, .. } => {
                            c == conn
                        }
                        EventKind::RequestSent { request: q, conn: c, .. } => q == request && c == conn,
                        _ => *i == event,
                    })
                    .map(|(_, r)| self.line(r))
                    .collect();
                Explanation::new(
                    format!("{label} · {} · lost on connection {conn}, retried", self.request_id(request)),
                    Some((sent, e.time.as_ms())),
                    lines,
                )
            }
            Item::Packet { event } => {
                let Some(p) = self.packet(event) else {
                    return Explanation::new(format!("{label} · packet"), None, Vec::new());
                };
                let mut lines = vec![self.line(&trace[event])];
                lines.extend(
                    trace
                        .iter()
                        .filter(|e| {
                            matches!(e.kind, EventKind::PacketDropped { id, .. }
                                | EventKind::MiddleboxRejected { id, .. } if id == p.id)
                        })
                        .map(|e| self.line(e)),
                );
                // A QUIC datagram: its packets, each in its number space.
                #[cfg(feature = "quic")]
                if let Some(datagram) = &p.quic {
                    lines.extend(
                        datagram.packets.iter().map(|q| (p.sent.as_ms(), crate::quic_words::packet(q))),
                    );
                    lines.push((p.sent.as_ms(), crate::quic_words::window(p, &self.scenario)));
                    return Explanation::new(
                        format!("{label} · connection {} · {}", p.conn, p.label(&self.scenario)),
                        Some((p.sent.as_ms(), p.arrives.as_ms())),
                        lines,
                    );
                }
                // The header fields the engine recorded, for slow-start lessons.
                lines.push((
                    p.sent.as_ms(),
                    format!(
                    "seq {} · ack {} · {} payload bytes · sender's congestion window {} bytes ({} segments)",
                    p.seq,
                    p.ack,
                    p.payload_bytes,
                    p.cwnd_bytes,
                    fixed(p.cwnd_bytes as f64 / self.scenario.network.mss_bytes.max(1) as f64, 1)
                ),
                ));
                Explanation::new(
                    format!("{label} · connection {} · {}", p.conn, p.label(&self.scenario)),
                    Some((p.sent.as_ms(), p.arrives.as_ms())),
                    lines,
                )
            }
        }
    }
}

/// The text of "why is this here?".
#[derive(Clone, Debug, PartialEq)]
pub struct Explanation {
    pub title: String,
    pub when: String,
    /// What the item spans on the time axis ("zoom to this").
    pub span: Option<(f64, f64)>,
    /// Each event's time (the clock of the side it happened on) and the
    /// engine's words for it, in trace order, without repeats.
    pub lines: Vec<(String, String)>,
}

impl Explanation {
    fn new(title: String, span: Option<(f64, f64)>, mut lines: Vec<(f64, String)>) -> Self {
        let when = match span {
            Some((a, b)) if b > a => format!("{} → {} ({})", format_ms(a), format_ms(b), format_ms(b - a)),
            Some((a, _)) => format!("at {}", format_ms(a)),
            None => String::new(),
        };
        // The same event said twice (two filters matching it) is said once.
        lines.dedup();
        let lines = lines.into_iter().map(|(t, text)| (format_ms(t), text)).collect();
        Explanation { title, when, span, lines }
    }
}

/// "closes in 3.2 s" for an idle period seen at `t`.
/// `short` drops the side, for narrow screens.
pub fn countdown(idle: &IdleView, t_ms: f64, short: bool) -> Option<String> {
    if t_ms < idle.from_ms || t_ms > idle.to_ms {
        return None;
    }
    let left = format_ms((idle.deadline_ms - t_ms).max(0.0));
    if short {
        return Some(format!("closes in {left}"));
    }
    let who = match idle.deadline_side {
        Side::Server => "server",
        Side::Client => "client",
    };
    Some(format!("{who} closes in {left}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reuse_sim::scenario::PipelineProcessing;

    /// The chosen lane's window line (the full build's): the first flight
    /// leaves under the initial window, IW × MSS (RFC 6928), and under
    /// HTTP/2's 2 % loss on lossy-mobile the window is cut at least once.
    #[cfg(feature = "cubic")]
    #[test]
    fn the_lanes_window_starts_at_the_initial_window_and_is_cut_by_loss() {
        let scenario = reuse_sim::presets::find("lossy-mobile").unwrap().scenario();
        let run = Run::simulate(&scenario).unwrap();
        let h2 = run.get(Protocol::H2).unwrap();
        let w = h2.server_window(h2.connections[0].id);
        let iw = u64::from(scenario.tcp.initial_cwnd_segments) * u64::from(scenario.network.mss_bytes);
        assert_eq!(w.first().map(|w| w.1), Some(iw));
        assert!(w.windows(2).all(|p| p[0].0 <= p[1].0), "in time order");
        assert!(w.windows(2).any(|p| p[1].1 < p[0].1), "a loss cuts the window");
        assert!(h2.server_window(9_999).is_empty());
    }

    fn every_preset_run() -> Vec<Run> {
        simulated_presets()
            .map(|p| Run::simulate(&p.scenario()).unwrap_or_else(|e| panic!("{}: {e}", p.id)))
            .collect()
    }

    /// The presets this build's engine simulates (the keep-alive presets
    /// need the feature `keepalive`; `cargo test --workspace` has it).
    fn simulated_presets() -> impl Iterator<Item = &'static reuse_sim::presets::Preset> {
        reuse_sim::presets::all().iter().filter(|p| p.scenario().in_this_build())
    }

    #[test]
    fn every_preset_fits_the_browsers_event_budget() {
        for preset in simulated_presets() {
            let run = Run::simulate(&preset.scenario());
            assert!(run.is_ok(), "{}: {:?}", preset.id, run.err());
        }
    }

    #[test]
    fn rows_and_lanes_hold_exactly_what_the_engine_reported() {
        for run in every_preset_run() {
            for p in &run.protocols {
                let result = p.result();
                assert_eq!(p.connections.len(), result.totals.connections_opened as usize, "{}", p.protocol);
                assert_eq!(p.rows.len(), result.requests.len());
                for (row, r) in p.rows.iter().zip(&result.requests) {
                    // Bars are contiguous and end where the engine says the request ends.
                    for pair in row.bars.windows(2) {
                        assert!((pair[0].end_ms - pair[1].start_ms).abs() < 1e-6, "{} gap", r.id);
                    }
                    if let Some(last) = row.bars.last() {
                        assert!(
                            (last.end_ms - r.end_ms).abs() < 1e-6,
                            "{}: {} vs {}",
                            r.id,
                            last.end_ms,
                            r.end_ms
                        );
                    }
                }
                for (view, c) in p.connections.iter().zip(&result.connections) {
                    assert_eq!(view.packets.len() as u64, c.packets, "{} connection {}", p.protocol, c.id);
                    let on_conn = result.requests.iter().filter(|r| r.connection == c.id).count();
                    assert_eq!(view.requests.len(), on_conn);
                    for a in &view.requests {
                        for b in &view.requests {
                            if a.request != b.request && a.sublane == b.sublane {
                                assert!(
                                    a.end_ms <= b.sent_ms + 1e-6 || b.end_ms <= a.sent_ms + 1e-6,
                                    "overlap on a sub-lane"
                                );
                            }
                        }
                    }
                }
                assert!(p.event_times.windows(2).all(|w| w[0] < w[1]), "event times strictly increase");
            }
        }
    }

    #[test]
    fn without_pipelining_an_http11_connection_carries_one_request_at_a_time() {
        for run in every_preset_run() {
            if run.scenario.client.pipelining {
                continue;
            }
            let h11 = run.get(Protocol::Http11).unwrap();
            for c in &h11.connections {
                assert_eq!(
                    c.sublanes, 1,
                    "{}: connection {} draws overlapping requests",
                    run.scenario.name, c.id
                );
            }
        }
    }

    #[test]
    fn every_item_a_view_draws_has_the_engines_words() {
        for run in every_preset_run() {
            for p in &run.protocols {
                let mut items: Vec<Item> = Vec::new();
                for c in &p.connections {
                    items.extend(c.setup.iter().map(|b| b.item));
                    items.extend((0..c.idle.len()).map(|index| Item::Idle { conn: c.id, index }));
                    if c.closed_ms.is_some() {
                        items.push(Item::Close { conn: c.id });
                    }
                    items.extend(c.packets.iter().take(5).map(|&event| Item::Packet { event }));
                    items.extend(c.lost.iter().map(|l| Item::Lost { event: l.event }));
                }
                for row in &p.rows {
                    items.extend(row.bars.iter().chain(&row.held).map(|b| b.item));
                }
                for item in items {
                    let e = p.explain(item);
                    assert!(!e.lines.is_empty(), "{} {item:?}: no words", p.protocol);
                    assert!(!e.title.is_empty());
                }
            }
        }
    }

    #[test]
    fn an_idle_countdown_ends_at_the_idle_close_the_engine_reports() {
        let scenario = reuse_sim::presets::find("textbook").unwrap().scenario();
        let run = Run::simulate(&scenario).unwrap();
        let h11 = run.get(Protocol::Http11).unwrap();
        let mut checked = 0;
        for c in h11.connections.iter().filter(|c| c.closed_by == CloseReason::ServerIdleTimeout) {
            let closed = c.closed_ms.unwrap();
            let last = c.idle.last().expect("an idle period before an idle close");
            assert!(last.deadline_ms <= closed + 1e-6, "countdown runs past the close");
            assert_eq!(last.deadline_side, Side::Server);
            checked += 1;
        }
        assert!(checked > 0, "textbook HTTP/1.1 connections close on the server's idle timeout");
    }

    #[test]
    fn item_keys_round_trip() {
        let items = [
            Item::Setup { conn: 3, phase: Phase::Tls },
            Item::Request { request: 17, phase: Phase::Download },
            Item::Idle { conn: 2, index: 4 },
            Item::Close { conn: 9 },
            Item::Packet { event: 12345 },
            Item::Lost { event: 77 },
            Item::Event { event: 5 },
        ];
        #[cfg(feature = "variants")]
        const VARIANTS: [Column; 2] = [Column::Variant(0), Column::Variant(7)];
        #[cfg(not(feature = "variants"))]
        const VARIANTS: [Column; 0] = [];
        let columns = Protocol::OVER_TCP.map(Column::Protocol).into_iter().chain(VARIANTS);
        for c in columns {
            for item in items {
                assert_eq!(Item::parse_key(&item.key(c)), Some((c, item)));
            }
        }
        assert_eq!(Item::parse_key("vx s 3 1"), None);
        assert_eq!(Item::parse_key("h2 s 3 99"), None);
        assert_eq!(Item::parse_key("bogus"), None);
    }

    #[test]
    fn countdown_runs_down_to_the_first_deadline() {
        let idle =
            IdleView { from_ms: 100.0, to_ms: 5100.0, deadline_ms: 5100.0, deadline_side: Side::Server };
        assert_eq!(countdown(&idle, 100.0, false).as_deref(), Some("server closes in 5 s"));
        assert_eq!(countdown(&idle, 4100.0, false).as_deref(), Some("server closes in 1 s"));
        assert_eq!(countdown(&idle, 4100.0, true).as_deref(), Some("closes in 1 s"));
        assert_eq!(countdown(&idle, 50.0, false), None);
        assert_eq!(countdown(&idle, 6000.0, false), None);
    }

    #[test]
    fn the_client_sees_a_server_close_after_the_last_byte_it_was_sent() {
        // TCP delivers in order: the server's FIN reaches the client after
        // the response's data, so the lanes' close mark (client's clock)
        // never lands on a response bar.
        for run in every_preset_run() {
            for p in &run.protocols {
                for c in &p.connections {
                    let (Some(server), Some(client)) = (c.closed_ms, c.client_closed_ms) else { continue };
                    if matches!(c.closed_by, CloseReason::ServerClose | CloseReason::ServerIdleTimeout) {
                        assert!(client >= server, "{} #{}: {client} < {server}", p.protocol, c.id);
                        for r in &c.requests {
                            assert!(
                                r.end_ms <= client + 1e-6,
                                "{} #{}: a bar ends after the close",
                                p.protocol,
                                c.id
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn the_keep_alive_race_is_explained_on_both_clocks_without_repeats() {
        let run = Run::simulate(&reuse_sim::presets::find("api-polling").unwrap().scenario()).unwrap();
        let h11 = run.get(Protocol::Http11).unwrap();
        let (conn, lost) = h11
            .connections
            .iter()
            .find_map(|c| c.lost.first().map(|l| (c, l.clone())))
            .expect("api-polling's HTTP/1.1 run loses a request to a keep-alive close");
        let (server_close, client_close) = (conn.closed_ms.unwrap(), conn.client_closed_ms.unwrap());
        // The race: the request leaves after the server closed, before the client knew.
        assert!(
            server_close < lost.sent_ms && lost.sent_ms < client_close,
            "{server_close} {lost:?} {client_close}"
        );
        let close = h11.explain(Item::Close { conn: conn.id });
        assert_eq!(close.span, Some((server_close, client_close)));
        let why = h11.explain(Item::Lost { event: lost.event });
        assert_eq!(why.span, Some((lost.sent_ms, lost.lost_ms)));
        for e in [&close, &why] {
            for (i, a) in e.lines.iter().enumerate() {
                assert!(a.0.ends_with(" s") || a.0.ends_with(" ms"), "{a:?}");
                assert!(!e.lines[..i].contains(a), "{} says {a:?} twice", e.title);
            }
        }
        let resets = why.lines.iter().filter(|l| l.1.contains("RST")).count();
        assert!(resets >= 1, "the reset is part of the story: {:?}", why.lines);
    }

    #[test]
    fn held_spans_sum_to_the_engines_held_and_blocked_time_and_lie_within_the_request() {
        // Every preset, and every preset pipelined on one connection with
        // each kind of server processing (where responses wait in order).
        let mut runs = every_preset_run();
        for preset in simulated_presets() {
            for processing in [PipelineProcessing::Serial, PipelineProcessing::Parallel] {
                let mut s = preset.scenario();
                s.client.pipelining = true;
                s.client.max_connections_per_host = 1;
                s.server.pipeline_processing = processing;
                runs.push(Run::simulate(&s).unwrap_or_else(|e| panic!("{}: {e}", preset.id)));
            }
        }
        let (mut seen_held, mut seen_blocked) = (0, 0);
        for run in runs {
            for p in &run.protocols {
                let result = p.result();
                let (mut held_total, mut blocked_total) = (0.0, 0.0);
                for (row, r) in p.rows.iter().zip(&result.requests) {
                    let sum = |phase: Phase| -> f64 {
                        row.held.iter().filter(|b| b.phase == phase).map(|b| b.end_ms - b.start_ms).sum()
                    };
                    let (held, blocked) = (sum(Phase::Held), sum(Phase::Blocked));
                    for (phase, drawn, engine) in
                        [("held", held, r.held_ms), ("blocked", blocked, r.blocked_ms)]
                    {
                        assert!(
                            (drawn - engine).abs() < 1e-6,
                            "{} {} {phase}: {drawn} vs {engine}",
                            p.protocol,
                            r.id
                        );
                    }
                    for b in &row.held {
                        assert!(b.start_ms >= r.sent_ms - 1e-6 && b.end_ms <= r.end_ms + 1e-6, "{}", r.id);
                    }
                    held_total += held;
                    blocked_total += blocked;
                }
                assert!((held_total - result.totals.held_ms).abs() < 1e-6);
                assert!((blocked_total - result.totals.blocked_ms).abs() < 1e-6);
                seen_held += usize::from(held_total > 0.0);
                seen_blocked += usize::from(blocked_total > 0.0);
            }
        }
        assert!(seen_held > 0, "some preset holds a response behind a loss");
        assert!(seen_blocked > 0, "some pipelined preset makes a response wait behind another");
    }

    /// QUIC's handshake is transport and TLS 1.3 in one round trip; TCP's
    /// then TLS 1.3's take two (RFC 9000 §7, RFC 8446 §2).
    #[cfg(feature = "quic")]
    #[test]
    fn an_http3_connection_is_ready_a_round_trip_sooner() {
        // TLS 1.3 and a certificate chain within QUIC's anti-amplification
        // budget (else the server's flight waits a round trip, RFC 9000 §8.1).
        let mut scenario = reuse_sim::presets::find("head-of-line").unwrap().scenario();
        scenario.network.loss_rate = 0.0;
        let rtt = scenario.network.rtt_ms;
        let run = Run::simulate(&scenario).unwrap();
        let handshake = |p: Protocol| -> f64 {
            let c = &run.get(p).unwrap().connections[0];
            c.setup.iter().filter(|b| b.phase != Phase::Dns).map(|b| b.end_ms - b.start_ms).sum()
        };
        let (h2, h3) = (handshake(Protocol::H2), handshake(Protocol::H3));
        assert!(h3 >= rtt && h3 < 1.5 * rtt, "HTTP/3: {h3} ms for RTT {rtt}");
        assert!(h2 >= 2.0 * rtt && h2 < 2.5 * rtt, "HTTP/2: {h2} ms for RTT {rtt}");
        assert!(run.get(Protocol::H3).unwrap().connections[0]
            .packets
            .iter()
            .any(|&e| { run.get(Protocol::H3).unwrap().packet(e).is_some_and(|p| p.quic.is_some()) }));
    }

    #[test]
    fn phases_are_named_as_in_devtools() {
        let names: Vec<&str> = Phase::ALL.iter().map(|p| p.name()).collect();
        assert_eq!(
            names,
            [
                "Queueing",
                "DNS Lookup",
                "Initial connection",
                "SSL/TLS",
                "Waiting for server response",
                "Content Download",
                "Held behind a lost packet",
                "Waiting behind an earlier response"
            ]
        );
    }
}
