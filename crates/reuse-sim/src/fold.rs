//! Results as a fold over the trace: what a view shows is what the trace
//! says. Every number of [`RunResult`] comes from one pass over the events
//! of a run, in order, with nothing read from the simulation's state.
//!
//! The rules, for a request: it starts when it is first ready; its
//! connection, reuse and stream are those of its last assignment (a request
//! lost to a close is assigned again); a loss clears its send and receive
//! times, so the phases describe the attempt that succeeded; its header
//! bytes add up over every attempt. For a connection: set-up runs from
//! opening (DNS, if it waited for one) through the first SYN, the client's
//! ESTABLISHED and ready; the first side to decide a close names the
//! reason; an idle period runs from "idle" until a request is assigned, the
//! client releases the connection, or the run ends.

#[cfg(feature = "push")]
pub mod push;
pub mod server;

pub use server::bytes_per_connection;

use crate::result::{ConnectionResult, IdlePeriod, RequestResult, RunResult, Totals};
use crate::scenario::{Protocol, Scenario};
use crate::time::{SimDuration, SimTime};
use crate::trace::{
    CloseReason, ConnId, EventKind, FailureReason, ReqIdx, Side, TcpState, TlsMode, TraceEvent,
};

#[derive(Clone, Default)]
struct RequestFold {
    ready_at: Option<SimTime>,
    conn: Option<ConnId>,
    reused: bool,
    stream: Option<u32>,
    send_start: Option<SimTime>,
    send_end: Option<SimTime>,
    first_byte: Option<SimTime>,
    done_at: Option<SimTime>,
    received: u64,
    retries: u32,
    header_bytes: u64,
    response_wire_bytes: u64,
    failure: Option<FailureReason>,
    held_since: Option<SimTime>,
    held: SimDuration,
    /// Ready at the server while an earlier response on the connection was
    /// not (pipelining sends responses in request order).
    blocked_since: Option<SimTime>,
    blocked: SimDuration,
}

struct ConnFold {
    host: u32,
    opened_at: SimTime,
    waiting_dns: bool,
    dns: Option<(SimTime, SimTime)>,
    syn_at: Option<SimTime>,
    established_at: Option<SimTime>,
    ready_at: Option<SimTime>,
    tls: TlsMode,
    closed_at: Option<SimTime>,
    closed_by: Option<CloseReason>,
    /// When the client's end left ESTABLISHED.
    client_left: Option<SimTime>,
    /// The last state each side reached.
    state: [TcpState; 2],
    carried: Vec<ReqIdx>,
    first_request: Option<ReqIdx>,
    /// The idle period under way: since, the client's deadline, the server's.
    idle: Option<(SimTime, SimTime, Option<SimTime>)>,
    idle_periods: Vec<IdlePeriod>,
    packets: u64,
    retransmissions: u64,
}

impl ConnFold {
    /// Ends the idle period under way (if any) at `until`.
    fn end_idle(&mut self, until: SimTime) {
        if let Some((since, client, server)) = self.idle.take() {
            // The idle timer that closed the connection during the period.
            let closed = self
                .closed_at
                .zip(self.closed_by)
                .filter(|&(at, reason)| reason.is_idle_close() && at >= since && at <= until)
                .and_then(|(at, reason)| reason.side().map(|side| (at, side)));
            self.idle_periods.push(idle_period(since, until, client, server, closed));
        }
    }
}

/// One idle period and the deadline that ends it: the idle close that
/// happened in it, if one did (the side that closed); else the earlier of
/// the client's and the server's timers (the server's on a tie).
fn idle_period(
    since: SimTime,
    until: SimTime,
    client: SimTime,
    server: Option<SimTime>,
    closed: Option<(SimTime, Side)>,
) -> IdlePeriod {
    let (deadline, side) = match (closed, server) {
        (Some((at, side)), _) => (at, side),
        (None, Some(s)) if s <= client => (s, Side::Server),
        (None, _) => (client, Side::Client),
    };
    IdlePeriod {
        from_ms: since.as_ms(),
        to_ms: until.as_ms(),
        server_deadline_ms: server.map(SimTime::as_ms),
        client_deadline_ms: client.as_ms(),
        deadline_ms: deadline.as_ms(),
        deadline_side: side,
    }
}

/// Folds a run's trace into its results.
pub fn fold(scenario: &Scenario, protocol: Protocol, trace: &[TraceEvent], hosts: &[String]) -> RunResult {
    let sc = scenario;
    let mut totals = Totals::default();
    let mut reqs = vec![RequestFold::default(); sc.requests.len()];
    let mut conns: Vec<ConnFold> = Vec::new();
    let mut resolved = vec![false; hosts.len()];
    let mut page_loaded_at = None;
    let mut end = SimTime::ZERO;
    for event in trace {
        let t = event.time;
        end = end.max(t);
        match &event.kind {
            EventKind::PacketSent(p) => {
                totals.packets += 1;
                totals.bytes_on_wire += p.wire_bytes as u64;
                totals.packets_lost += p.lost as u64;
                let cn = &mut conns[p.conn as usize - 1];
                cn.packets += 1;
                if p.retransmission {
                    totals.retransmissions += 1;
                    cn.retransmissions += 1;
                }
                if p.flags.syn && !p.flags.ack && p.from == Side::Client {
                    cn.syn_at.get_or_insert(t);
                }
            }
            EventKind::ConnectionOpened { conn, host } => {
                debug_assert_eq!(*conn as usize, conns.len() + 1, "connection ids count from 1");
                conns.push(ConnFold {
                    host: *host,
                    opened_at: t,
                    waiting_dns: sc.dns_ms > 0.0 && !resolved[*host as usize],
                    dns: None,
                    syn_at: None,
                    established_at: None,
                    ready_at: None,
                    tls: TlsMode::None,
                    closed_at: None,
                    closed_by: None,
                    client_left: None,
                    state: [TcpState::Closed, TcpState::Listen],
                    carried: Vec::new(),
                    first_request: None,
                    idle: None,
                    idle_periods: Vec::new(),
                    packets: 0,
                    retransmissions: 0,
                });
            }
            EventKind::DnsDone { host } => {
                resolved[*host as usize] = true;
                for cn in conns.iter_mut().filter(|c| c.host == *host && c.waiting_dns) {
                    cn.waiting_dns = false;
                    cn.dns = Some((cn.opened_at, t));
                }
            }
            EventKind::TcpStateChanged { conn, side, from, to } => {
                let cn = &mut conns[*conn as usize - 1];
                cn.state[side.index()] = *to;
                if *side == Side::Client && *from == TcpState::Established {
                    cn.client_left.get_or_insert(t);
                }
                if *side == Side::Client && *to == TcpState::Established {
                    cn.established_at.get_or_insert(t);
                }
            }
            EventKind::TlsStarted { conn, mode } => conns[*conn as usize - 1].tls = *mode,
            EventKind::QuicHandshakeStarted { conn, mode } => {
                // QUIC has no transport handshake of its own: its connect
                // phase is empty and the whole handshake counts as TLS.
                let cn = &mut conns[*conn as usize - 1];
                cn.tls = *mode;
                cn.syn_at.get_or_insert(t);
                cn.established_at.get_or_insert(t);
            }
            EventKind::QuicIdleTimeout { conn, reason, .. } => {
                let cn = &mut conns[*conn as usize - 1];
                if cn.closed_by.is_none() {
                    cn.closed_by = Some(*reason);
                    cn.closed_at = Some(t);
                }
            }
            EventKind::ConnectionReady { conn, .. } => {
                conns[*conn as usize - 1].ready_at.get_or_insert(t);
            }
            EventKind::ConnectionIdle { conn, client_deadline, server_deadline } => {
                conns[*conn as usize - 1].idle = Some((t, *client_deadline, *server_deadline));
            }
            EventKind::ServerIdleTimerStarted { conn, deadline } => {
                if let Some(idle) = &mut conns[*conn as usize - 1].idle {
                    idle.2 = Some(*deadline);
                }
            }
            EventKind::ConnectionReleased { conn } => conns[*conn as usize - 1].end_idle(t),
            EventKind::ConnectionClosing { conn, reason, .. } => {
                let cn = &mut conns[*conn as usize - 1];
                if cn.closed_by.is_none() {
                    cn.closed_by = Some(*reason);
                    cn.closed_at = Some(t);
                }
            }
            EventKind::RequestReady { request } => {
                reqs[*request as usize].ready_at.get_or_insert(t);
            }
            EventKind::RequestAssigned { request, conn, reused, stream, .. } => {
                let req = &mut reqs[*request as usize];
                req.conn = Some(*conn);
                req.reused = *reused;
                req.stream = *stream;
                let cn = &mut conns[*conn as usize - 1];
                cn.carried.push(*request);
                cn.first_request.get_or_insert(*request);
                cn.end_idle(t);
            }
            EventKind::RequestWritten { request, header_bytes, .. } => {
                reqs[*request as usize].header_bytes += header_bytes;
            }
            EventKind::RequestSent { request, leaves, .. } => {
                reqs[*request as usize].send_start = Some(*leaves)
            }
            EventKind::RequestDeparted { request, departed, .. } => {
                reqs[*request as usize].send_end = Some(*departed)
            }
            // As `holds::hold_spans` reads it: a wait starts at its first event.
            EventKind::ServerQueued { request, .. }
            | EventKind::ResponseReady { request, blocked_by: Some(_), .. } => {
                reqs[*request as usize].blocked_since.get_or_insert(t);
            }
            // The in-order wait ends when the server starts on the request
            // (serial processing) or writes its response (parallel).
            EventKind::ServerProcessing { request, .. } => {
                let req = &mut reqs[*request as usize];
                if let Some(since) = req.blocked_since.take() {
                    req.blocked = req.blocked + t.since(since);
                }
            }
            EventKind::ResponseWritten { request, header_bytes, wire_bytes, .. } => {
                let req = &mut reqs[*request as usize];
                if let Some(since) = req.blocked_since.take() {
                    req.blocked = req.blocked + t.since(since);
                }
                req.header_bytes += header_bytes;
                req.response_wire_bytes = *wire_bytes;
            }
            EventKind::ResponseFirstByte { request, .. } => reqs[*request as usize].first_byte = Some(t),
            EventKind::ResponseHeld { request, .. } => {
                reqs[*request as usize].held_since.get_or_insert(t);
            }
            EventKind::ResponseReleased { request, .. } => {
                let req = &mut reqs[*request as usize];
                if let Some(since) = req.held_since.take() {
                    req.held = req.held + t.since(since);
                }
            }
            EventKind::ResponseComplete { request, bytes, .. } => {
                let req = &mut reqs[*request as usize];
                req.done_at = Some(t);
                req.received = *bytes;
            }
            EventKind::RequestLost { request, .. } => {
                let req = &mut reqs[*request as usize];
                req.conn = None;
                req.send_start = None;
                req.send_end = None;
                req.first_byte = None;
                req.received = 0;
                req.retries += 1;
                req.held_since = None;
                req.blocked_since = None;
            }
            EventKind::RequestFailed { request, conn, reason } => {
                let req = &mut reqs[*request as usize];
                req.failure = Some(*reason);
                req.done_at = Some(t);
                if *conn != 0 {
                    req.conn = Some(*conn);
                }
            }
            // A streamed response's parts after its headers (`push`).
            #[cfg(feature = "push")]
            EventKind::PushWritten { request, part_bytes, .. } => {
                reqs[*request as usize].response_wire_bytes += part_bytes;
            }
            EventKind::PageLoaded { .. } => page_loaded_at = Some(t),
            EventKind::End { scheduler_events } => totals.events = *scheduler_events,
            EventKind::RequestQueued { .. }
            | EventKind::ResponseReady { .. }
            | EventKind::DnsStart { .. }
            | EventKind::PacketDelivered { .. }
            | EventKind::PacketDropped { .. }
            | EventKind::Reset { .. }
            | EventKind::MiddleboxForgot { .. }
            | EventKind::MiddleboxRejected { .. }
            | EventKind::TcpTimedOut { .. }
            | EventKind::Retransmit { .. }
            | EventKind::CongestionWindow { .. }
            | EventKind::QuicStateChanged { .. }
            | EventKind::QuicAmplificationLimit { .. }
            | EventKind::QuicAddressValidated { .. }
            | EventKind::QuicPacketLost { .. }
            | EventKind::QuicProbeTimeout { .. }
            | EventKind::QuicStreamBlocked { .. }
            | EventKind::QuicStreamUnblocked { .. } => {}
            #[cfg(feature = "cubic")]
            EventKind::BbrModeChanged { .. } | EventKind::BbrPacing { .. } => {}
            #[cfg(feature = "push")]
            EventKind::PushEvent { .. }
            | EventKind::LongPollHeld { .. }
            | EventKind::PushDelivered { .. } => {}
        }
    }

    let ms = |d: SimDuration| d.as_ms();
    let mut requests = Vec::with_capacity(reqs.len());
    for (i, req) in reqs.iter_mut().enumerate() {
        let spec = &sc.requests[i];
        // A run stopped by its cap leaves requests unfinished: they end there.
        if req.done_at.is_none() {
            req.failure = Some(FailureReason::Unfinished);
            req.done_at = Some(end);
        }
        if req.failure.is_some() {
            totals.failed_requests += 1;
        }
        let c = req.conn.unwrap_or(0);
        let cn = conns.get((c as usize).wrapping_sub(1));
        let start = req.ready_at.unwrap_or_else(|| req.done_at.unwrap_or(SimTime::ZERO));
        // A failed request's phases stop where it failed (its last attempt
        // may not even have left the client's queue).
        let cap = if req.failure.is_some() { req.done_at.unwrap_or(start) } else { SimTime(u64::MAX) };
        // One that failed before it was sent (its connection never became
        // ready) queued all along.
        let send_start = req.send_start.unwrap_or(if req.failure.is_some() { cap } else { start });
        let send_start = send_start.max(start).min(cap);
        let send_end = req.send_end.unwrap_or(send_start).max(send_start).min(cap);
        let first_byte = req.first_byte.unwrap_or(send_end).max(send_end).min(cap);
        let done = req.done_at.unwrap_or(first_byte).max(first_byte);
        // Set-up phases count for the request that opened the connection,
        // clipped to the time it spent waiting.
        let clip = |span: Option<(SimTime, SimTime)>| -> SimDuration {
            match span {
                Some((a, b)) => b.min(send_start).since(a.max(start)),
                None => SimDuration::ZERO,
            }
        };
        let (dns, connect, tls) = match cn {
            Some(cn) if cn.first_request == Some(i as ReqIdx) => (
                clip(cn.dns),
                clip(cn.syn_at.zip(cn.established_at)),
                clip(cn.established_at.zip(cn.ready_at).filter(|_| cn.tls != TlsMode::None)),
            ),
            _ => (SimDuration::ZERO, SimDuration::ZERO, SimDuration::ZERO),
        };
        let queued = send_start.since(start) - dns - connect - tls;
        totals.header_bytes += req.header_bytes;
        totals.retried_requests += req.retries;
        totals.queued_ms += ms(queued);
        totals.held_ms += ms(req.held);
        totals.blocked_ms += ms(req.blocked);
        requests.push(RequestResult {
            id: spec.id.clone(),
            host: spec.host.clone(),
            status: spec.status,
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
            sent_ms: send_start.as_ms(),
            first_byte_ms: first_byte.as_ms(),
            retries: req.retries,
            held_ms: ms(req.held),
            blocked_ms: ms(req.blocked),
            failure: req.failure,
            stream: req.stream,
            header_bytes: req.header_bytes,
            response_wire_bytes: req.response_wire_bytes,
            response_received_bytes: req.received,
        });
    }

    let mut connections = Vec::with_capacity(conns.len());
    for (index, cn) in conns.iter_mut().enumerate() {
        let id = index as ConnId + 1;
        cn.end_idle(end);
        let closed_by = cn.closed_by.unwrap_or(CloseReason::Open);
        totals.connections_opened += 1;
        if closed_by.is_idle_close() {
            totals.idle_closes += 1;
        }
        let time_wait =
            [Side::Client, Side::Server].into_iter().find(|s| cn.state[s.index()] == TcpState::TimeWait);
        match time_wait {
            Some(Side::Client) => totals.time_wait_client += 1,
            Some(Side::Server) => totals.time_wait_server += 1,
            None => {}
        }
        let dns = cn.dns.map(|(a, b)| b.since(a)).unwrap_or_default();
        let connect = match (cn.syn_at, cn.established_at) {
            (Some(a), Some(b)) => b.since(a),
            _ => SimDuration::ZERO,
        };
        let tls = match (cn.established_at, cn.ready_at) {
            (Some(a), Some(b)) if cn.tls != TlsMode::None => b.since(a),
            _ => SimDuration::ZERO,
        };
        if let Some(ready) = cn.ready_at {
            totals.setup_ms += ms(ready.since(cn.opened_at));
        }
        connections.push(ConnectionResult {
            id,
            host: hosts[cn.host as usize].clone(),
            opened_ms: cn.opened_at.as_ms(),
            ready_ms: cn.ready_at.map(SimTime::as_ms),
            closed_ms: cn.closed_at.map(SimTime::as_ms),
            client_closed_ms: cn.closed_at.map(|closed| cn.client_left.unwrap_or(closed).as_ms()),
            closed_by,
            requests: cn
                .carried
                .iter()
                .filter(|&&r| reqs[r as usize].conn == Some(id))
                .map(|&r| sc.requests[r as usize].id.clone())
                .collect(),
            dns_ms: ms(dns),
            connect_ms: ms(connect),
            tls_ms: ms(tls),
            tls: cn.tls,
            time_wait,
            idle: std::mem::take(&mut cn.idle_periods),
            packets: cn.packets,
            retransmissions: cn.retransmissions,
        });
    }
    let rtt_ms = sc.network.rtt_ms;
    totals.handshake_round_trips = if rtt_ms > 0.0 { totals.setup_ms / rtt_ms } else { 0.0 };
    let server =
        server::server_cost(sc, protocol, trace, page_loaded_at.unwrap_or(end), totals.time_wait_server);
    RunResult {
        #[cfg(feature = "push")]
        push: push::push_result(sc, trace, &totals),
        scenario: sc.name.clone(),
        protocol,
        page_load_ms: page_loaded_at.map(SimTime::as_ms).unwrap_or(0.0),
        totals,
        requests,
        connections,
        server,
    }
}
