//! What a sweep varies ([`Param`], by the app's rules for its controls)
//! and what it measures ([`Metric`], a total of the run's result).

use std::fmt;

use super::SweepError;
use crate::edits::{self, Bandwidth, Control};
use crate::result::RunResult;
use crate::scenario::Scenario;
use crate::time::decimal;

/// What a sweep varies. Every parameter but `Gap` is a control of the app
/// (same key, same rule).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Param {
    Rtt,
    Bandwidth,
    Loss,
    Objects,
    ObjectSize,
    KeepAlive,
    /// `delay_ms` of every request but the first: the think time between
    /// calls of a chained page (api-polling), or the wait after what a
    /// request depends on.
    Gap,
    InitialWindow,
    ConnectionLimit,
}

impl Param {
    pub const ALL: [Param; 9] = [
        Param::Rtt,
        Param::Bandwidth,
        Param::Loss,
        Param::Objects,
        Param::ObjectSize,
        Param::KeepAlive,
        Param::Gap,
        Param::InitialWindow,
        Param::ConnectionLimit,
    ];

    /// Its name on the command line and in a link (the control's key).
    pub fn key(self) -> &'static str {
        match self.control() {
            Some(c) => c.key(),
            None => "gap",
        }
    }

    /// The app control it is, if any.
    pub fn control(self) -> Option<Control> {
        Some(match self {
            Param::Rtt => Control::Rtt,
            Param::Bandwidth => Control::Bandwidth,
            Param::Loss => Control::Loss,
            Param::Objects => Control::Objects,
            Param::ObjectSize => Control::ObjectSize,
            Param::KeepAlive => Control::KeepAlive,
            Param::Gap => return None,
            Param::InitialWindow => Control::InitialWindow,
            Param::ConnectionLimit => Control::ConnectionLimit,
        })
    }

    /// Reads a key (`rtt`, `bw`, `loss`, `n`, `kb`, `ka`, `gap`, `iw`, `cl`)
    /// or a long name (`bandwidth`, `objects`, `object_size`, `keep_alive`,
    /// `initial_window`, `connections`).
    pub fn parse(name: &str) -> Option<Param> {
        let long = match name {
            "bandwidth" => Some(Param::Bandwidth),
            "objects" => Some(Param::Objects),
            "object_size" => Some(Param::ObjectSize),
            "keep_alive" => Some(Param::KeepAlive),
            "initial_window" => Some(Param::InitialWindow),
            "connections" => Some(Param::ConnectionLimit),
            _ => None,
        };
        long.or_else(|| Param::ALL.into_iter().find(|p| p.key() == name))
    }

    /// In words, for a chart's axis.
    pub fn label(self) -> &'static str {
        match self {
            Param::Rtt => "RTT",
            Param::Bandwidth => "downlink bandwidth",
            Param::Loss => "packet loss",
            Param::Objects => "objects",
            Param::ObjectSize => "object size",
            Param::KeepAlive => "keep-alive timeout",
            Param::Gap => "gap between requests",
            Param::InitialWindow => "initial window",
            Param::ConnectionLimit => "connections per host",
        }
    }

    pub fn unit(self) -> &'static str {
        match self {
            Param::Rtt | Param::KeepAlive | Param::Gap => "ms",
            Param::Bandwidth => "Mbit/s",
            Param::Loss => "%",
            Param::ObjectSize => "KB",
            Param::InitialWindow => "segments",
            Param::Objects | Param::ConnectionLimit => "",
        }
    }

    /// Counts: the grid and the bisection keep to whole numbers.
    pub fn whole(self) -> bool {
        matches!(self, Param::Objects | Param::InitialWindow | Param::ConnectionLimit)
    }

    /// Sets the parameter to `value` by the control's rule.
    pub fn apply(self, s: &mut Scenario, value: f64) -> Result<(), SweepError> {
        let bad = |reason: String| {
            SweepError::new("param", format!("{} = {}: {reason}", self.key(), decimal(value)))
        };
        if !value.is_finite() {
            return Err(bad("not a number".into()));
        }
        let edited = match self {
            Param::Rtt => {
                s.network.rtt_ms = value;
                Ok(())
            }
            Param::Bandwidth => edits::set_bandwidth(s, Bandwidth::Mbps(value)),
            Param::Loss => edits::set_loss_percent(s, value),
            Param::Objects => edits::set_objects(s, value as u64),
            Param::ObjectSize => edits::set_object_size_kb(s, value),
            Param::KeepAlive => {
                s.server.keep_alive_timeout_ms = value;
                Ok(())
            }
            Param::Gap => {
                for r in s.requests.iter_mut().skip(1) {
                    r.delay_ms = value;
                }
                Ok(())
            }
            Param::InitialWindow => {
                s.tcp.initial_cwnd_segments = value as u32;
                Ok(())
            }
            Param::ConnectionLimit => {
                s.client.max_connections_per_host = value as u32;
                Ok(())
            }
        };
        edited.map_err(|e| bad(e.message))?;
        s.validate().map_err(|e| bad(format!("{}: {}", e.field, e.reason)))
    }
}

impl fmt::Display for Param {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// What a sweep measures: a field of the run's result (the names of
/// `reuse-cli run --json`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Metric {
    PageLoad,
    ConnectionsOpened,
    SetupMs,
    HandshakeRoundTrips,
    BytesOnWire,
    Packets,
    Retransmissions,
    PacketsLost,
    QueuedMs,
    HeldMs,
    RetriedRequests,
    FailedRequests,
    ServerPeakConnections,
    ServerCpu,
    ServerMemory,
}

impl Metric {
    pub const ALL: [Metric; 15] = [
        Metric::PageLoad,
        Metric::ConnectionsOpened,
        Metric::SetupMs,
        Metric::HandshakeRoundTrips,
        Metric::BytesOnWire,
        Metric::Packets,
        Metric::Retransmissions,
        Metric::PacketsLost,
        Metric::QueuedMs,
        Metric::HeldMs,
        Metric::RetriedRequests,
        Metric::FailedRequests,
        Metric::ServerPeakConnections,
        Metric::ServerCpu,
        Metric::ServerMemory,
    ];

    /// The result field's name.
    pub fn key(self) -> &'static str {
        match self {
            Metric::PageLoad => "page_load_ms",
            Metric::ConnectionsOpened => "connections_opened",
            Metric::SetupMs => "setup_ms",
            Metric::HandshakeRoundTrips => "handshake_round_trips",
            Metric::BytesOnWire => "bytes_on_wire",
            Metric::Packets => "packets",
            Metric::Retransmissions => "retransmissions",
            Metric::PacketsLost => "packets_lost",
            Metric::QueuedMs => "queued_ms",
            Metric::HeldMs => "held_ms",
            Metric::RetriedRequests => "retried_requests",
            Metric::FailedRequests => "failed_requests",
            Metric::ServerPeakConnections => "server.peak_open_connections",
            Metric::ServerCpu => "server.cpu_ms",
            Metric::ServerMemory => "server.peak_memory_bytes",
        }
    }

    pub fn parse(name: &str) -> Option<Metric> {
        Metric::ALL.into_iter().find(|m| m.key() == name)
    }

    /// In words, for a chart's title and axis.
    pub fn label(self) -> &'static str {
        match self {
            Metric::PageLoad => "page load",
            Metric::ConnectionsOpened => "connections opened",
            Metric::SetupMs => "connection set-up time",
            Metric::HandshakeRoundTrips => "handshake round trips",
            Metric::BytesOnWire => "bytes on the wire",
            Metric::Packets => "packets",
            Metric::Retransmissions => "retransmissions",
            Metric::PacketsLost => "packets lost",
            Metric::QueuedMs => "time queued",
            Metric::HeldMs => "time held behind lost packets",
            Metric::RetriedRequests => "retried requests",
            Metric::FailedRequests => "failed requests",
            Metric::ServerPeakConnections => "connections open on the server at the peak",
            Metric::ServerCpu => "server CPU in ms (estimate)",
            Metric::ServerMemory => "server memory at the peak (estimate, bytes)",
        }
    }

    /// A time (ms): a higher value is slower.
    pub fn is_time(self) -> bool {
        // Server CPU is a cost, not a wait: "higher than", not "slower than".
        matches!(self, Metric::PageLoad | Metric::SetupMs | Metric::QueuedMs | Metric::HeldMs)
    }

    /// Its value in a run's result.
    pub fn of(self, r: &RunResult) -> f64 {
        let t = &r.totals;
        match self {
            Metric::PageLoad => r.page_load_ms,
            Metric::ConnectionsOpened => t.connections_opened as f64,
            Metric::SetupMs => t.setup_ms,
            Metric::HandshakeRoundTrips => t.handshake_round_trips,
            Metric::BytesOnWire => t.bytes_on_wire as f64,
            Metric::Packets => t.packets as f64,
            Metric::Retransmissions => t.retransmissions as f64,
            Metric::PacketsLost => t.packets_lost as f64,
            Metric::QueuedMs => t.queued_ms,
            Metric::HeldMs => t.held_ms,
            Metric::RetriedRequests => t.retried_requests as f64,
            Metric::FailedRequests => t.failed_requests as f64,
            Metric::ServerPeakConnections => r.server.peak_open_connections as f64,
            Metric::ServerCpu => r.server.cpu_ms,
            Metric::ServerMemory => r.server.peak_memory_bytes as f64,
        }
    }
}

impl fmt::Display for Metric {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}
