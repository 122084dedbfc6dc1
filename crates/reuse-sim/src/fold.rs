//! Results, folded from the run.

use crate::engine::Net;
use crate::http::pool::close_idle_period;
use crate::http::Http;
use crate::result::{ConnectionResult, RequestResult, RunResult, SimOutput, Totals};
use crate::time::{SimDuration, SimTime};
use crate::trace::{CloseReason, EventKind, ReqIdx, Side, TcpState, TlsMode};

/// Sums a finished run into the results of the scenario format.
pub(crate) fn finish(mut net: Net, mut http: Http) -> SimOutput {
    let end = net.now();
    let sc = http.sc;
    let ms = |d: SimDuration| d.as_ms();
    let rtt_ms = sc.network.rtt_ms;
    let mut totals = Totals::default();
    let mut conn_packets = vec![(0u64, 0u64); http.conns.0.len()];
    // Per connection: when its first SYN left, when the client's end was established.
    let mut handshake: Vec<(Option<SimTime>, Option<SimTime>)> = vec![(None, None); http.conns.0.len()];
    for event in &net.trace {
        if let EventKind::TcpStateChanged { conn, side: Side::Client, to: TcpState::Established, .. } =
            event.kind
        {
            handshake[conn as usize - 1].1.get_or_insert(event.time);
        }
        if let EventKind::PacketSent(p) = &event.kind {
            if p.flags.syn && !p.flags.ack {
                handshake[p.conn as usize - 1].0.get_or_insert(event.time);
            }
            totals.packets += 1;
            totals.bytes_on_wire += p.wire_bytes as u64;
            let counts = &mut conn_packets[p.conn as usize - 1];
            counts.0 += 1;
            if p.retransmission {
                totals.retransmissions += 1;
                counts.1 += 1;
            }
            if p.lost {
                totals.packets_lost += 1;
            }
        }
    }
    let mut requests = Vec::with_capacity(http.reqs.0.len());
    for (i, req) in http.reqs.0.iter().enumerate() {
        let spec = &sc.requests[i];
        let c = req.conn.expect("every request completed on a connection");
        let cn = &http.conns[c];
        let tcp = &net.tcp[c];
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
        let (syn, established) = handshake[c as usize - 1];
        let (dns, connect, tls) = if cn.first_request == Some(i as ReqIdx) {
            (
                clip(cn.dns),
                clip(syn.zip(established)),
                clip(established.zip(cn.ready_at).filter(|_| tcp.tls_mode != TlsMode::None)),
            )
        } else {
            (SimDuration::ZERO, SimDuration::ZERO, SimDuration::ZERO)
        };
        let before_send = send_start.since(start);
        let queued = before_send - dns - connect - tls;
        totals.header_bytes += req.header_bytes;
        totals.retried_requests += req.retries;
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
        totals.queued_ms += ms(queued);
    }
    let mut connections = Vec::with_capacity(http.conns.0.len());
    for cn in &mut http.conns.0 {
        if let Some(since) = cn.idle_since.take() {
            close_idle_period(cn, since, end);
        }
        let tcp = &net.tcp[cn.id];
        totals.connections_opened += 1;
        let closed_by = cn.closed_by.unwrap_or(CloseReason::Open);
        if closed_by.is_idle_close() {
            totals.idle_closes += 1;
        }
        let time_wait =
            [Side::Client, Side::Server].into_iter().find(|s| tcp.ep[s.index()].state == TcpState::TimeWait);
        match time_wait {
            Some(Side::Client) => totals.time_wait_client += 1,
            Some(Side::Server) => totals.time_wait_server += 1,
            None => {}
        }
        let (syn, established) = handshake[cn.id as usize - 1];
        let dns = cn.dns.map(|(a, b)| b.since(a)).unwrap_or_default();
        let connect = match (syn, established) {
            (Some(a), Some(b)) => b.since(a),
            _ => SimDuration::ZERO,
        };
        let tls = match (established, cn.ready_at) {
            (Some(a), Some(b)) if tcp.tls_mode != TlsMode::None => b.since(a),
            _ => SimDuration::ZERO,
        };
        if let Some(ready) = cn.ready_at {
            totals.setup_ms += ms(ready.since(cn.opened_at));
        }
        let (packets, retransmissions) = conn_packets[cn.id as usize - 1];
        connections.push(ConnectionResult {
            id: cn.id,
            host: http.hosts[cn.host].name.clone(),
            opened_ms: cn.opened_at.as_ms(),
            ready_ms: cn.ready_at.map(SimTime::as_ms),
            closed_ms: cn.closed_at.map(SimTime::as_ms),
            closed_by,
            requests: cn
                .carried
                .iter()
                .filter(|&&r| http.reqs[r].conn == Some(cn.id))
                .map(|&r| sc.requests[r as usize].id.clone())
                .collect(),
            dns_ms: ms(dns),
            connect_ms: ms(connect),
            tls_ms: ms(tls),
            tls: tcp.tls_mode,
            time_wait,
            idle: std::mem::take(&mut cn.idle_periods),
            packets,
            retransmissions,
        });
    }
    totals.handshake_round_trips = if rtt_ms > 0.0 { totals.setup_ms / rtt_ms } else { 0.0 };
    totals.events = net.sched.processed();
    let page_load_ms = http.page_loaded_at.map(SimTime::as_ms).unwrap_or(0.0);
    SimOutput {
        result: RunResult {
            scenario: sc.name.clone(),
            protocol: http.protocol,
            page_load_ms,
            totals,
            requests,
            connections,
        },
        trace: std::mem::take(&mut net.trace),
        hosts: http.hosts.0.into_iter().map(|h| h.name).collect(),
    }
}
