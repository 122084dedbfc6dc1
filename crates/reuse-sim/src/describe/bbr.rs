//! The words BBR's mode changes say about themselves (compiled with the
//! `cubic` feature only, like BBR).

use crate::time::fixed;
use crate::trace::{BbrMode, EventKind, TraceEvent};

/// A `BbrModeChanged` event in words: the change, why, and the model.
pub(super) fn describe(event: &TraceEvent) -> String {
    let mbit = |bytes: u64| fixed(bytes as f64 * 8.0 / 1e6, 1);
    let (conn, side, from, to, bandwidth_bytes_per_s, min_rtt, pacing_bytes_per_s, cwnd_bytes) = match &event
        .kind
    {
        EventKind::BbrModeChanged {
            conn,
            side,
            from,
            to,
            bandwidth_bytes_per_s,
            min_rtt,
            pacing_bytes_per_s,
            cwnd_bytes,
        } => (conn, side, from, to, bandwidth_bytes_per_s, min_rtt, pacing_bytes_per_s, cwnd_bytes),
        EventKind::BbrPacing { conn, side, mode, pacing_bytes_per_s, bandwidth_bytes_per_s } => {
            let gain = *pacing_bytes_per_s as f64 / (*bandwidth_bytes_per_s).max(1) as f64;
            let why = if *bandwidth_bytes_per_s == 0 {
                "2.885 × the initial window per round trip of the handshake (no delivery measured yet)"
                    .to_string()
            } else if *mode == BbrMode::Startup && gain > 2.9 {
                format!(
                    "Startup keeps its first rate (2.885 × the initial window per round trip of the handshake) \
                     until 2.885 × the bottleneck estimate ({} Mbit/s now) passes it",
                    mbit(*bandwidth_bytes_per_s)
                )
            } else {
                format!(
                    "{} × the bottleneck estimate of {} Mbit/s",
                    fixed(gain, 2),
                    mbit(*bandwidth_bytes_per_s)
                )
            };
            return format!(
                "connection {conn} {} BBR ({}) paces at {} Mbit/s: {why}",
                side.as_str(),
                mode.name(),
                mbit(*pacing_bytes_per_s)
            );
        }
        _ => return String::new(),
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
