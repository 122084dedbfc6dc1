//! Many clients (`clients`): the same page loaded by `count` clients
//! arriving evenly over `over_ms`, each with its own connections and its
//! own path to one server, so the server's figures show what reuse saves at
//! scale: connections accepted and per second, the most open at once,
//! handshakes and their CPU, memory at the peak.
//!
//! Client `k` (from 0) starts at `k × over_ms / count`. Each runs the page
//! as a fresh client (no session ticket from another). Clients do not share
//! a bottleneck: one client's traffic does not slow another's, so without
//! loss every client's run is the same and is simulated once, shifted in
//! time; with loss, [`LOSS_DRAWS`] runs with seeds `seed`, `seed + 1`, …
//! are simulated and client `k` replays draw `k mod LOSS_DRAWS`.
//!
//! The server's figures come from each run's trace as the single-client
//! result's do (`fold::server`): a connection is open on the server from
//! its SYN's arrival to CLOSED or TIME-WAIT.

use serde::Serialize;

use crate::engine::{simulate_with_limits, Limits, SimError};
use crate::fold::server::{bytes_per_connection, connection_spans};
use crate::scenario::{Clients, Protocol, Scenario};
use crate::time::SimTime;

/// Distinct loss draws the clients cycle through when the path loses
/// packets.
pub const LOSS_DRAWS: u32 = 50;

/// Points of [`CrowdResult::open_over_time`] at most: the count's envelope
/// (its largest value in each of this many equal slices of the run).
pub const OPEN_POINTS: usize = 600;

/// The server's side of many clients loading the page.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CrowdResult {
    pub protocol: Protocol,
    pub clients: u32,
    pub over_ms: f64,
    /// Runs simulated: 1 without loss, else up to [`LOSS_DRAWS`].
    pub distinct_runs: u32,
    /// Over the clients: the median, 90th percentile and largest page load.
    pub median_page_load_ms: f64,
    pub p90_page_load_ms: f64,
    pub max_page_load_ms: f64,
    pub connections_accepted: u64,
    /// Most connections accepted in one second (`[k s, (k + 1) s)`).
    pub peak_accepts_per_second: u64,
    pub full_handshakes: u64,
    pub resumed_handshakes: u64,
    pub requests_served: u64,
    pub time_wait_sockets: u64,
    /// Most connections open on the server at once, and when first.
    pub peak_open_connections: u64,
    pub peak_at_ms: f64,
    /// Connections open, averaged from time zero to the last close.
    pub mean_open_connections: f64,
    /// Until the last connection closed on the server.
    pub duration_ms: f64,
    /// CPU at `server.costs`: all of it, and the handshakes' part.
    pub cpu_ms: f64,
    pub handshake_cpu_ms: f64,
    pub peak_memory_bytes: u64,
    /// `(ms, open)`: the largest count in each of up to [`OPEN_POINTS`]
    /// equal slices of `[0, duration_ms]`, at the slice's start.
    pub open_over_time: Vec<(f64, u64)>,
}

/// When client `k` of `clients` starts, in ns: `k × over / count`, exact.
fn start_ns(c: &Clients, k: u32) -> u64 {
    let over_ns = (c.over_ms * 1e6).round() as u128;
    (over_ns * u128::from(k) / u128::from(c.count.max(1))) as u64
}

/// `s` loaded by its `clients` (one client when absent) under `protocol`.
pub fn simulate_crowd(s: &Scenario, protocol: Protocol, limits: Limits) -> Result<CrowdResult, SimError> {
    let clients = s.clients.clone().unwrap_or(Clients { count: 1, over_ms: 0.0 });
    let lossy = s.network.loss_rate > 0.0 || !s.network.drop_packet_ids.is_empty();
    let distinct = if lossy { clients.count.min(LOSS_DRAWS) } else { 1 };
    let mut runs = Vec::with_capacity(distinct as usize);
    for d in 0..distinct {
        let mut one = s.with_protocol(protocol);
        one.clients = None;
        one.seed = s.seed.wrapping_add(u64::from(d));
        runs.push(simulate_with_limits(&one, limits)?);
    }
    let mut out = CrowdResult {
        protocol,
        clients: clients.count,
        over_ms: clients.over_ms,
        distinct_runs: distinct,
        median_page_load_ms: 0.0,
        p90_page_load_ms: 0.0,
        max_page_load_ms: 0.0,
        connections_accepted: 0,
        peak_accepts_per_second: 0,
        full_handshakes: 0,
        resumed_handshakes: 0,
        requests_served: 0,
        time_wait_sockets: 0,
        peak_open_connections: 0,
        peak_at_ms: 0.0,
        mean_open_connections: 0.0,
        duration_ms: 0.0,
        cpu_ms: 0.0,
        handshake_cpu_ms: 0.0,
        peak_memory_bytes: 0,
        open_over_time: Vec::new(),
    };
    // Each run's spans and counts, once.
    let spans: Vec<Vec<(SimTime, SimTime)>> = runs.iter().map(|r| connection_spans(&r.trace)).collect();
    let mut loads: Vec<f64> = Vec::with_capacity(clients.count as usize);
    let mut edges: Vec<(u64, u32)> = Vec::new();
    for k in 0..clients.count {
        let r = (k % distinct) as usize;
        let (run, start) = (&runs[r].result, start_ns(&clients, k));
        loads.push(run.page_load_ms);
        let server = &run.server;
        out.full_handshakes += u64::from(server.full_handshakes);
        out.resumed_handshakes += u64::from(server.resumed_handshakes);
        out.requests_served += u64::from(server.requests_served);
        out.time_wait_sockets += u64::from(server.time_wait_sockets);
        for &(from, to) in &spans[r] {
            edges.push((start + from.0, 1));
            edges.push((start + to.0, 0));
        }
    }
    out.connections_accepted = (edges.len() / 2) as u64;
    // A close before an open at the same instant (`fold::server`'s rule).
    crate::order::sort_pairs(&mut edges);
    let end_ns = edges.last().map_or(0, |e| e.0);
    out.duration_ms = end_ns as f64 / 1e6;
    let slice_ns = (end_ns / OPEN_POINTS as u64).max(1);
    let mut open = 0u64;
    let mut held_ns: u128 = 0;
    let mut last_t = 0u64;
    let mut per_second: Vec<u64> = Vec::new();
    for &(t, opens) in &edges {
        held_ns += u128::from(t - last_t) * u128::from(open);
        last_t = t;
        if opens == 1 {
            open += 1;
            let second = (t / 1_000_000_000) as usize;
            if per_second.len() <= second {
                per_second.resize(second + 1, 0);
            }
            per_second[second] += 1;
        } else {
            open = open.saturating_sub(1);
        }
        if open > out.peak_open_connections {
            out.peak_open_connections = open;
            out.peak_at_ms = t as f64 / 1e6;
        }
        let slice = ((t / slice_ns) as usize).min(OPEN_POINTS - 1);
        let at = (slice as u64 * slice_ns) as f64 / 1e6;
        match out.open_over_time.last_mut() {
            Some(last) if last.0 == at => last.1 = last.1.max(open),
            _ => out.open_over_time.push((at, open)),
        }
    }
    out.peak_accepts_per_second = per_second.into_iter().max().unwrap_or(0);
    out.mean_open_connections = if end_ns > 0 { held_ns as f64 / end_ns as f64 } else { 0.0 };
    let c = &s.server.costs;
    out.handshake_cpu_ms = (out.full_handshakes as f64 * c.full_handshake_us()
        + out.resumed_handshakes as f64 * c.resumed_handshake_us)
        / 1000.0;
    out.cpu_ms = out.handshake_cpu_ms
        + (out.connections_accepted as f64 * c.accept_us + out.requests_served as f64 * c.request_us)
            / 1000.0;
    out.peak_memory_bytes = out.peak_open_connections * bytes_per_connection(s, protocol);
    loads.sort_by(f64::total_cmp);
    let at = |q: f64| loads[((loads.len() as f64 * q).ceil() as usize).clamp(1, loads.len()) - 1];
    if !loads.is_empty() {
        out.median_page_load_ms = at(0.5);
        out.p90_page_load_ms = at(0.9);
        out.max_page_load_ms = at(1.0);
    }
    Ok(out)
}
