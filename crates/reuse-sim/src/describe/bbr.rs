//! The words BBR's mode changes say about themselves (compiled with the
//! `cubic` feature only, like BBR).

use crate::time::fixed;
use crate::trace::{BbrMode, EventKind, TraceEvent};

/// A `BbrModeChanged` event in words: the change, why, and the model.
pub(super) fn describe(event: &TraceEvent) -> String {
    let EventKind::BbrModeChanged {
        conn,
        side,
        from,
        to,
        bandwidth_bytes_per_s,
        min_rtt,
        pacing_bytes_per_s,
        cwnd_bytes,
    } = &event.kind
    else {
        return String::new();
    };
    let why = match (from, to) {
        (BbrMode::Startup, BbrMode::Drain) => {
            "the bandwidth grew less than 25 % three round trips in a row, so the pipe is full; Drain paces \
             at 1/2.885 of it to empty the queue Startup built"
        }
        (_, BbrMode::ProbeBw) if *from != BbrMode::ProbeRtt => {
            "the flight is down to one BDP; ProbeBW cruises at the bottleneck rate with a window of 2 BDP \
             and probes at 5/4 of it every 8 round trips"
        }
        (_, BbrMode::ProbeRtt) => {
            "the min RTT is 10 s old; ProbeRTT keeps 4 packets in flight for 200 ms to see the empty path"
        }
        (BbrMode::ProbeRtt, _) => "the min RTT is measured again",
        _ => "",
    };
    let mbit = |bytes: u64| fixed(bytes as f64 * 8.0 / 1e6, 1);
    let bdp = *bandwidth_bytes_per_s as u128 * min_rtt.0 as u128 / 1_000_000_000;
    format!(
        "connection {conn} {} BBR {} → {}: {why}. Model: bottleneck {} Mbit/s, min RTT {} ms, BDP {bdp} \
         bytes; pacing {} Mbit/s, cwnd {cwnd_bytes} bytes",
        side.as_str(),
        from.name(),
        to.name(),
        mbit(*bandwidth_bytes_per_s),
        fixed(min_rtt.as_ms(), 1),
        mbit(*pacing_bytes_per_s),
    )
}
