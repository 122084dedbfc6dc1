//! The server's events (`push`), folded from the trace: when each happened
//! (`PushEvent`), went into a response (`PushWritten`) and reached the
//! client (`PushDelivered`), and what fetching them cost on the wire.

use crate::result::{PushEventResult, PushResult, Totals};
use crate::scenario::{PushRole, Scenario};
use crate::trace::{EventKind, TraceEvent};

/// The events' results, or `None` for a scenario without `push`.
pub fn push_result(sc: &Scenario, trace: &[TraceEvent], totals: &Totals) -> Option<PushResult> {
    let spec = sc.push.as_ref()?;
    let mut events: Vec<PushEventResult> = spec
        .events_ms
        .iter()
        .map(|&ms| PushEventResult {
            happened_ms: ms,
            written_ms: None,
            delivered_ms: None,
            latency_ms: None,
            request: None,
            connection: None,
        })
        .collect();
    let mut carried = vec![0u32; sc.requests.len()];
    let mut completed = vec![false; sc.requests.len()];
    for event in trace {
        let t = event.time.as_ms();
        match &event.kind {
            EventKind::PushEvent { event } => events[*event as usize].happened_ms = t,
            EventKind::PushWritten { event, request, conn, .. } => {
                let e = &mut events[*event as usize];
                e.written_ms = Some(t);
                e.request = Some(sc.requests[*request as usize].id.clone());
                e.connection = Some(*conn);
                carried[*request as usize] += 1;
            }
            EventKind::PushDelivered { event, .. } => {
                let e = &mut events[*event as usize];
                e.delivered_ms = Some(t);
                e.latency_ms = Some(t - e.happened_ms);
            }
            EventKind::ResponseComplete { request, .. } => completed[*request as usize] = true,
            _ => {}
        }
    }
    let mut roles: Vec<PushRole> = Vec::new();
    let (mut requests, mut empty) = (0, 0);
    for (i, r) in sc.requests.iter().enumerate() {
        if let Some(role) = r.push {
            requests += 1;
            empty += (completed[i] && carried[i] == 0) as u32;
            if !roles.contains(&role) {
                roles.push(role);
            }
        }
    }
    let mut latencies: Vec<f64> = events.iter().filter_map(|e| e.latency_ms).collect();
    latencies.sort_by(f64::total_cmp);
    let n = latencies.len();
    let median = match n {
        0 => 0.0,
        _ if n % 2 == 1 => latencies[n / 2],
        _ => (latencies[n / 2 - 1] + latencies[n / 2]) / 2.0,
    };
    let count = events.len().max(1) as f64;
    Some(PushResult {
        fetched_by: roles.iter().map(|r| r.label()).collect::<Vec<_>>().join(" + "),
        delivered: n as u32,
        mean_latency_ms: if n == 0 { 0.0 } else { latencies.iter().sum::<f64>() / n as f64 },
        median_latency_ms: median,
        max_latency_ms: latencies.last().copied().unwrap_or(0.0),
        requests,
        empty_responses: empty,
        bytes_per_event: totals.bytes_on_wire as f64 / count,
        packets_per_event: totals.packets as f64 / count,
        connections_opened: totals.connections_opened,
        events,
    })
}
