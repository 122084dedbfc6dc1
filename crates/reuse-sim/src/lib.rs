//! # reuse-sim: a deterministic simulation of HTTP connection reuse
//!
//! Reuse Lab's engine. It replays one request script under HTTP/1.0, HTTP/1.1,
//! HTTP/2 and HTTP/3 on one simulated clock, packet by packet, and returns a trace of
//! everything that happened plus the results of the scenario format
//! (`reuse-lab/scenario@1`). It has no I/O and no web dependencies, and builds
//! for `wasm32-unknown-unknown`.
//!
//! ## The map: one file per layer, bottom up
//!
//! | file | layer |
//! |---|---|
//! | [`time`], [`scheduler`] | integer-nanosecond clock; events ordered by `(time, sequence)`, cancellable timers, in-order lanes |
//! | [`link`] | one bottleneck per direction: FIFO serialization shared by all connections, `rtt/2` propagation, seeded loss, drop-tail buffer |
//! | [`engine`] | the core: `Net` (scheduler, links, trace, transport tables), the run loop and event routing; [`simulate`] |
//! | [`transport`] | the seam HTTP sees: open, connect, write, flush, close; events up (ready, delivered, sending, all sent, peer closed, reset, closed) |
//! | `transport/stream.rs` | a direction's byte stream: messages in order or taking turns (HTTP/2 frames) |
//! | `transport/tcp.rs`, `tcp/{state,output,endpoint,keepalive,middlebox}.rs` | TCP: a connection's endpoints and TLS glue; the state machine on arrival; output, timers and retransmission; one endpoint's arithmetic (windows, RTO, NewReno); keep-alive probes; a middlebox on the path that forgets idle connections |
//! | `transport/tls.rs` | TLS 1.2/1.3 handshakes as flights of bytes (full, ticket, early data) |
//! | `transport/congestion.rs` | the congestion controllers TCP's and QUIC's senders ask (`tcp.congestion_control`): Reno, CUBIC (RFC 9438) with HyStart++ (RFC 9406); a new algorithm is a `Controller` variant |
//! | `transport/quic.rs`, `quic/{wire,recovery,received,streams,output,input}.rs` | QUIC: a connection's endpoints, TLS 1.3 in CRYPTO frames, idle and closing; header and frame sizes; RFC 9002 loss detection, PTO and NewReno; the ACKs a receiver owes; per-stream send and receive state; building datagrams of coalesced packets; a datagram arriving |
//! | [`http`] | version decisions (`Protocol::connection_use`, `persistent`, `transport`) and HTTP's per-connection state |
//! | `http/{pool,client,server}.rs` | the client's pool and queue; writing requests and reading responses; the server |
//! | `http/{h1,h2,h3}.rs` | what differs on the wire: HTTP/1.x messages and `Connection: close`; HTTP/2 frames, HPACK model, SETTINGS, GOAWAY; HTTP/3 varint frames, QPACK model, control stream, GOAWAY |
//! | [`trace`], [`describe`] | the events (structured, cheap to record) and the words each says about itself |
//! | [`fold`], [`result`] | results as a fold over the trace, in the scenario format's shape |
//! | [`scenario`], [`presets`], [`schema`], [`har`] | the input format and its validation, built-in scenarios, JSON Schema, HAR export |
//! | [`edits`], [`permalink`] | the app's controls as scenario edits, and the scenario part of a permalink (the app and `reuse-cli --link` share both) |
//!
//! **Adding a protocol.** A new HTTP version is a variant of
//! [`Protocol`]: the compiler then stops at every decision that differs by
//! version (each is an exhaustive `match` in `http/`), and the new wire
//! format goes in its own `http/` file. A version on a new transport (as
//! HTTP/3 on QUIC) also adds a [`transport`] module and a variant of its
//! `TransportKind`, whose every seam method matches on it.
//!
//! ## Determinism
//!
//! Time is integer nanoseconds; the only randomness is a xoshiro256++ stream
//! seeded from `scenario.seed`; ids come from counters; no hash map is ever
//! iterated. The same scenario and seed give a byte-identical trace natively
//! and in WebAssembly (see `DETERMINISM.md` in the repository).
#![forbid(unsafe_code)]

#[cfg(feature = "clients")]
pub mod crowd;
pub mod describe;
pub mod edits;
pub mod engine;
pub mod fold;
pub mod formula;
pub mod har;
pub mod holds;
pub mod http;
pub mod lesson;
pub mod link;
pub mod order;
pub mod permalink;
pub mod presets;
#[cfg(feature = "push")]
pub mod push;
pub mod result;
pub mod scenario;
pub mod scheduler;
pub mod schema;
pub mod sweep;
mod tables;
pub mod time;
pub mod trace;
pub mod transport;
pub mod variant;

pub use describe::{describe_close, tls_round_trips, DescribeContext};
pub use engine::{simulate, simulate_each, simulate_with_limits, Limits, SimError};
pub use result::{ConnectionResult, IdlePeriod, RequestResult, RunResult, SimOutput, Totals};
pub use scenario::{Protocol, RequestSpec, Scenario, ScenarioError};
#[cfg(feature = "push")]
pub use scenario::{PushRole, PushSpec};
pub use time::{SimDuration, SimTime};
pub use trace::{EventKind, TraceEvent};

/// Runs the scenario once per protocol, on the same clock and seed.
pub fn simulate_protocols(scenario: &Scenario, protocols: &[Protocol]) -> Result<Vec<SimOutput>, SimError> {
    simulate_each(scenario, protocols, Limits::default())
}

/// A 64-bit FNV-1a digest of a run's trace and results, for comparing runs
/// across platforms (native vs WebAssembly) without shipping whole traces.
pub fn digest(output: &SimOutput) -> u64 {
    let mut hash = Fnv1a::new();
    for event in &output.trace {
        hash.write(serde_json::to_string(event).unwrap_or_default().as_bytes());
    }
    hash.write(serde_json::to_string(&output.result).unwrap_or_default().as_bytes());
    hash.finish()
}

/// 64-bit FNV-1a, the one hash of the project: digests of runs, request-id
/// lookups. Not for anything adversarial; chosen because it is a few lines,
/// portable and the same on every platform.
#[derive(Clone, Copy, Debug)]
pub struct Fnv1a(u64);

impl Fnv1a {
    const OFFSET_BASIS: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;

    pub fn new() -> Self {
        Fnv1a(Self::OFFSET_BASIS)
    }

    pub fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ b as u64).wrapping_mul(Self::PRIME);
        }
    }

    pub fn finish(self) -> u64 {
        self.0
    }

    /// The hash of one byte string.
    pub fn hash(bytes: &[u8]) -> u64 {
        let mut h = Fnv1a::new();
        h.write(bytes);
        h.finish()
    }
}

impl Default for Fnv1a {
    fn default() -> Self {
        Self::new()
    }
}
