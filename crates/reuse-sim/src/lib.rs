//! # reuse-sim: a deterministic simulation of HTTP connection reuse
//!
//! Reuse Lab's engine. It replays one request script under HTTP/1.0, HTTP/1.1
//! and HTTP/2 on one simulated clock, packet by packet, and returns a trace of
//! everything that happened plus the results of the scenario format
//! (`reuse-lab/scenario@1`). It has no I/O and no web dependencies, and builds
//! for `wasm32-unknown-unknown`.
//!
//! ## Layers, bottom up
//!
//! - **Scheduler** ([`scheduler`]): events ordered by `(time, sequence)`, so
//!   equal-time events run in the order they were scheduled; cancellable
//!   timers; caps on events and simulated time.
//! - **Link** ([`link`]): one bottleneck per direction: FIFO serialization at
//!   the configured rate, shared by every connection, then `rtt/2` of
//!   propagation; seeded random loss (ChaCha8).
//! - **TCP** ([`tcp`]): three-way handshake, MSS segmentation, cumulative and
//!   (optionally) delayed ACKs, slow start, congestion avoidance, NewReno fast
//!   retransmit/recovery, RFC 6298 retransmission timer, receive window,
//!   restart after idle, FIN exchange and TIME-WAIT.
//! - **TLS** ([`tls`]): handshakes as flights of bytes on the TCP stream:
//!   TLS 1.2 and 1.3, full, resumed with a ticket, and TLS 1.3 early data.
//! - **HTTP** ([`sim`]): the client's per-host connection pool and queue,
//!   HTTP/1.0 (with or without keep-alive), HTTP/1.1 (keep-alive, pipelining,
//!   idle timeouts, the keep-alive race) and HTTP/2 (one connection,
//!   multiplexed streams, round-robin frames, HPACK-style header savings).
//! - **Trace** ([`trace`]): structured events, each able to say its cause in
//!   words; [`result`] sums them into the per-request and per-connection
//!   results.
//!
//! ## Determinism
//!
//! Time is integer nanoseconds; the only randomness is a ChaCha8 stream
//! seeded from `scenario.seed`; ids come from counters; no hash map is ever
//! iterated. The same scenario and seed give a byte-identical trace natively
//! and in WebAssembly (see `DETERMINISM.md` in the repository).
#![forbid(unsafe_code)]

pub mod edits;
pub mod har;
pub mod link;
pub mod permalink;
pub mod presets;
pub mod result;
pub mod scenario;
pub mod scheduler;
pub mod schema;
pub mod sim;
pub mod tcp;
pub mod time;
pub mod tls;
pub mod trace;

pub use result::{ConnectionResult, IdlePeriod, RequestResult, RunResult, SimOutput, Totals};
pub use scenario::{Protocol, RequestSpec, Scenario, ScenarioError};
pub use sim::{simulate, simulate_each, simulate_with_limits, Limits, SimError};
pub use time::{SimDuration, SimTime};
pub use trace::{DescribeContext, EventKind, TraceEvent};

/// Runs the scenario once per protocol, on the same clock and seed.
pub fn simulate_protocols(scenario: &Scenario, protocols: &[Protocol]) -> Result<Vec<SimOutput>, SimError> {
    simulate_each(scenario, protocols, Limits::default())
}

/// A 64-bit FNV-1a digest of a run's trace and results, for comparing runs
/// across platforms (native vs WebAssembly) without shipping whole traces.
pub fn digest(output: &SimOutput) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for &b in bytes {
            hash ^= b as u64;
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    };
    for event in &output.trace {
        feed(serde_json::to_string(event).unwrap_or_default().as_bytes());
    }
    feed(serde_json::to_string(&output.result).unwrap_or_default().as_bytes());
    hash
}
