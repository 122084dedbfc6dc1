//! The server's side, folded from the trace (issue 14, item 1): when each
//! connection is open on the server, what it accepted, the handshakes it
//! did and the requests it served, and what those cost at the scenario's
//! `server.costs`.
//!
//! A TCP connection is open on the server from its LISTEN → SYN-RECEIVED
//! (the SYN arrives) to CLOSED or TIME-WAIT (a socket in TIME-WAIT keeps a
//! small record, not the connection: it is counted apart); a QUIC one from
//! its idle → handshake to closed (its closing and draining periods keep
//! the connection's state). A handshake counts when the connection is ready
//! (full, or resumed with or without 0-RTT); a request when the server
//! starts processing it.

use crate::result::ServerCost;
use crate::scenario::{Protocol, Scenario};
use crate::time::SimTime;
use crate::trace::{ConnId, EventKind, QuicState, Side, TcpState, TlsMode, TraceEvent};

/// Bytes one connection holds on the server under `protocol`: the TCP
/// socket, or QUIC's connection state in its place; TLS's state (QUIC is
/// always TLS 1.3); HTTP/2's connection state.
pub fn bytes_per_connection(s: &Scenario, protocol: Protocol) -> u64 {
    let c = &s.server.costs;
    let tls = s.tls.version != crate::scenario::TlsVersion::None;
    match protocol {
        Protocol::Http10 | Protocol::Http11 => c.socket_bytes + if tls { c.tls_bytes } else { 0 },
        Protocol::H2 => c.socket_bytes + if tls { c.tls_bytes } else { 0 } + c.http2_bytes,
        Protocol::H3 => c.quic_bytes + c.tls_bytes,
    }
}

/// When a connection opened and closed on the server.
type Span = (Option<SimTime>, Option<SimTime>);

/// The span of `conn`, made when first seen.
fn span(spans: &mut Vec<Span>, conn: ConnId) -> &mut Span {
    let i = conn as usize;
    if spans.len() <= i {
        spans.resize(i + 1, (None, None));
    }
    &mut spans[i]
}

/// Notes `e` if it opens or closes a connection on the server (the rule
/// of the module's first paragraph); returns whether it did.
fn note_span(spans: &mut Vec<Span>, e: &TraceEvent) -> bool {
    match &e.kind {
        EventKind::TcpStateChanged { conn, side: Side::Server, from, to } => {
            if *from == TcpState::Listen && *to == TcpState::SynReceived {
                span(spans, *conn).0.get_or_insert(e.time);
            } else if matches!(to, TcpState::Closed | TcpState::TimeWait) {
                span(spans, *conn).1.get_or_insert(e.time);
            }
            true
        }
        EventKind::QuicStateChanged { conn, side: Side::Server, from, to } => {
            if *from == QuicState::Idle {
                span(spans, *conn).0.get_or_insert(e.time);
            } else if *to == QuicState::Closed {
                span(spans, *conn).1.get_or_insert(e.time);
            }
            true
        }
        _ => false,
    }
}

/// The opens and closes of `spans` as (time in ns, 0 for a close or 1 for
/// an open), sorted: a close comes before an open at the same instant, so
/// a connection that replaces one closing then is not counted twice. One
/// still open at `end` (the run's last event) is open until then.
fn edges(spans: &[Span], end: SimTime) -> Vec<(u64, u32)> {
    let mut edges: Vec<(u64, u32)> = Vec::with_capacity(spans.len() * 2);
    for (from, to) in spans.iter().filter_map(|(a, b)| a.map(|a| (a, b.unwrap_or(end)))) {
        edges.push((from.0, 1));
        edges.push((to.0, 0));
    }
    // (The shared small sort, `crate::order`: the app folds results in its first load.)
    crate::order::sort_pairs(&mut edges);
    edges
}

/// Each connection's span on the server, by id, and the run's last event.
fn spans_of(trace: &[TraceEvent]) -> (Vec<Span>, SimTime) {
    let mut spans: Vec<Span> = Vec::new();
    let mut end = SimTime::ZERO;
    for e in trace {
        end = end.max(e.time);
        note_span(&mut spans, e);
    }
    (spans, end)
}

/// When each connection was open on the server (the module's rule; one
/// still open at the run's last event is open until then), by id.
pub fn connection_spans(trace: &[TraceEvent]) -> Vec<(SimTime, SimTime)> {
    let (spans, end) = spans_of(trace);
    spans.iter().filter_map(|(a, b)| a.map(|a| (a, b.unwrap_or(end)))).collect()
}

/// The connections open on the server over time, from the same spans as
/// [`ServerCost`]'s peak and mean: `(time, open from then on)`, one entry
/// per instant the count changes, from `(0, 0)`. Its largest count is the
/// result's `server.peak_open_connections`.
pub fn open_connections(trace: &[TraceEvent]) -> Vec<(SimTime, u32)> {
    let (spans, end) = spans_of(trace);
    let mut steps = vec![(SimTime::ZERO, 0u32)];
    let mut open = 0u32;
    for (t, opens) in edges(&spans, end) {
        open = if opens == 1 { open + 1 } else { open.saturating_sub(1) };
        match steps.last_mut() {
            Some(last) if last.0 .0 == t => last.1 = open,
            _ => steps.push((SimTime(t), open)),
        }
    }
    steps
}

pub(super) fn server_cost(
    s: &Scenario,
    protocol: Protocol,
    trace: &[TraceEvent],
    page_load: SimTime,
    time_wait_sockets: u32,
) -> ServerCost {
    // Open intervals by connection id (ids come from a counter, from 1).
    let mut spans: Vec<Span> = Vec::new();
    let mut out = ServerCost { time_wait_sockets, ..ServerCost::default() };
    let mut end = SimTime::ZERO;
    for e in trace {
        end = end.max(e.time);
        if note_span(&mut spans, e) {
            continue;
        }
        match &e.kind {
            EventKind::ConnectionReady { mode, .. } => match mode {
                TlsMode::None => {}
                TlsMode::Full => out.full_handshakes += 1,
                TlsMode::Resumed | TlsMode::EarlyData => out.resumed_handshakes += 1,
            },
            EventKind::ServerProcessing { .. } => out.requests_served += 1,
            _ => {}
        }
    }
    // Peak and mean from the intervals' edges.
    let mut held_ns: u128 = 0;
    for (from, to) in spans.iter().filter_map(|(a, b)| a.map(|a| (a, b.unwrap_or(end)))) {
        out.connections_accepted += 1;
        // Time open within the page load, for the mean.
        let (a, b) = (from.min(page_load), to.min(page_load));
        held_ns += u128::from(b.0.saturating_sub(a.0));
    }
    let mut open = 0u32;
    for (_, opens) in edges(&spans, end) {
        open = if opens == 1 { open + 1 } else { open.saturating_sub(1) };
        out.peak_open_connections = out.peak_open_connections.max(open);
    }
    out.mean_open_connections =
        if page_load > SimTime::ZERO { held_ns as f64 / page_load.0 as f64 } else { 0.0 };
    let c = &s.server.costs;
    let cpu_us = f64::from(out.connections_accepted) * c.accept_us
        + f64::from(out.full_handshakes) * c.full_handshake_us()
        + f64::from(out.resumed_handshakes) * c.resumed_handshake_us
        + f64::from(out.requests_served) * c.request_us;
    out.cpu_ms = cpu_us / 1000.0;
    out.peak_memory_bytes = u64::from(out.peak_open_connections) * bytes_per_connection(s, protocol);
    out
}
