//! Results in the shape `reuse-cli run --json` prints (the spec's "Result"
//! section), plus added fields a view needs. Times are milliseconds from time
//! zero as `f64` (exact: every simulated time is a whole nanosecond).

use serde::Serialize;

use crate::scenario::Protocol;
use crate::trace::{CloseReason, ConnId, Side, TlsMode, TraceEvent};

fn is_ok_status(status: &u16) -> bool {
    *status == 200
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RunResult {
    pub scenario: String,
    pub protocol: Protocol,
    pub page_load_ms: f64,
    pub totals: Totals,
    pub requests: Vec<RequestResult>,
    pub connections: Vec<ConnectionResult>,
    /// *(added)* The server's side: what it held open, what it did, and an
    /// estimate of its CPU and memory at `server.costs`.
    pub server: ServerCost,
    /// *(added)* The server's events (`push`): when each happened, when
    /// the client had it, and what fetching them cost. Absent without
    /// `push`.
    #[cfg(feature = "push")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub push: Option<PushResult>,
}

/// *(added)* How the server's events reached the client (`fold::push`).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct PushResult {
    /// How the requests fetched them: "poll", "long poll", "event stream"
    /// (joined with " + " when a scenario mixes them).
    pub fetched_by: String,
    pub events: Vec<PushEventResult>,
    /// Events the client had by the end of the run.
    pub delivered: u32,
    /// From "happens on the server" to "the client has its last byte",
    /// over the delivered events: mean, median, largest.
    pub mean_latency_ms: f64,
    pub median_latency_ms: f64,
    pub max_latency_ms: f64,
    /// Requests that fetched events, and those answered with none.
    pub requests: u32,
    pub empty_responses: u32,
    /// The run's bytes and packets on the wire (both directions, handshakes
    /// and acknowledgments included) per event.
    pub bytes_per_event: f64,
    pub packets_per_event: f64,
    pub connections_opened: u32,
}

/// *(added)* One event of `push.events_ms`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PushEventResult {
    pub happened_ms: f64,
    /// When the server put it into a response (`None`: it never did).
    pub written_ms: Option<f64>,
    /// When the client had its last byte (`None`: it never did).
    pub delivered_ms: Option<f64>,
    pub latency_ms: Option<f64>,
    /// The request whose response carried it, and its connection.
    pub request: Option<String>,
    pub connection: Option<ConnId>,
}

/// *(added)* The server's side of a run, folded from the trace
/// (`fold::server`).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ServerCost {
    /// Most connections open on the server at once (accepted, not yet
    /// closed; a socket in TIME-WAIT is counted apart).
    pub peak_open_connections: u32,
    /// Connections open on the server, averaged over the page load.
    pub mean_open_connections: f64,
    pub connections_accepted: u32,
    /// TLS (or QUIC) handshakes with a certificate signature.
    pub full_handshakes: u32,
    /// Resumed handshakes, with or without 0-RTT data: no signature.
    pub resumed_handshakes: u32,
    pub requests_served: u32,
    /// Sockets the server leaves in TIME-WAIT (it closed first).
    pub time_wait_sockets: u32,
    /// CPU time at `server.costs`: accepts, handshakes and requests.
    pub cpu_ms: f64,
    /// Memory at the peak: the connections open then, each with its
    /// socket (or QUIC state), TLS and HTTP/2 state.
    pub peak_memory_bytes: u64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Totals {
    pub connections_opened: u32,
    pub setup_ms: f64,
    pub packets: u64,
    pub bytes_on_wire: u64,
    pub header_bytes: u64,
    pub retransmissions: u64,
    pub idle_closes: u32,
    pub retried_requests: u32,
    pub queued_ms: f64,
    /// *(added)* Packets lost on the way.
    pub packets_lost: u64,
    /// *(added)* Requests that did not complete (see `requests[].failure`).
    pub failed_requests: u32,
    /// *(added)* Time responses waited behind lost packets, summed over
    /// requests (head-of-line blocking; `requests[].held_ms`).
    pub held_ms: f64,
    /// *(added)* Time responses were ready at the server but waited behind
    /// earlier responses on their connection, summed over requests
    /// (HTTP/1.1 pipelining answers in request order; `requests[].blocked_ms`).
    pub blocked_ms: f64,
    /// *(added)* Connections whose TIME-WAIT falls on the client / the server
    /// (the active closer holds it).
    pub time_wait_client: u32,
    pub time_wait_server: u32,
    /// *(added)* Round trips spent in TCP and TLS handshakes, summed over
    /// connections: `setup_ms / rtt_ms` when nothing else delays them.
    pub handshake_round_trips: f64,
    /// *(added)* Scheduler events processed.
    pub events: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RequestResult {
    pub id: String,
    pub host: String,
    /// *(added)* The response's HTTP status (the scenario's; absent when 200).
    #[serde(skip_serializing_if = "is_ok_status")]
    pub status: u16,
    pub connection: ConnId,
    pub reused: bool,
    pub start_ms: f64,
    pub queued_ms: f64,
    pub dns_ms: f64,
    pub connect_ms: f64,
    pub tls_ms: f64,
    pub send_ms: f64,
    pub wait_ms: f64,
    pub download_ms: f64,
    pub end_ms: f64,
    /// *(added)* When the first byte of the request (of the attempt that
    /// succeeded) started to leave the client: `start_ms` plus the phases
    /// before "send".
    pub sent_ms: f64,
    /// *(added)* When the first byte of its response arrived.
    pub first_byte_ms: f64,
    /// *(added)* Times the request was sent again after a close (the keep-alive race).
    pub retries: u32,
    /// *(added)* Time some of its response had arrived but waited behind a
    /// lost packet (head-of-line blocking), within wait and download.
    pub held_ms: f64,
    /// *(added)* Time its response was ready at the server but waited
    /// behind an earlier response on the connection (pipelining's in-order
    /// rule: `ResponseReady` with `blocked_by` to `ResponseWritten`), within
    /// wait.
    pub blocked_ms: f64,
    /// *(added)* Why the request did not complete, if it did not: its phases
    /// then end when it failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failure: Option<crate::trace::FailureReason>,
    /// *(added)* HTTP/2 stream id, when multiplexed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stream: Option<u32>,
    /// *(added)* Header bytes on the wire (request + response, after HPACK).
    pub header_bytes: u64,
    /// *(added)* Response bytes on the wire (HTTP/2 adds frame headers).
    pub response_wire_bytes: u64,
    /// *(added)* Response bytes the client received in order (equals
    /// `response_wire_bytes` once complete).
    pub response_received_bytes: u64,
}

impl RequestResult {
    /// The sum the spec requires to equal `end_ms`.
    pub fn phase_sum_ms(&self) -> f64 {
        self.start_ms
            + self.queued_ms
            + self.dns_ms
            + self.connect_ms
            + self.tls_ms
            + self.send_ms
            + self.wait_ms
            + self.download_ms
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ConnectionResult {
    pub id: ConnId,
    pub host: String,
    pub opened_ms: f64,
    /// `None` if the connection never became ready.
    pub ready_ms: Option<f64>,
    /// When the first side decided to close; `None` while open.
    pub closed_ms: Option<f64>,
    /// *(added)* When the client saw it close: it left ESTABLISHED (the
    /// server's FIN or reset arrived, or it closed itself); the close time
    /// if it was never established.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_closed_ms: Option<f64>,
    pub closed_by: CloseReason,
    pub requests: Vec<String>,
    /// *(added)* Phases of the set-up, for the lane view.
    pub dns_ms: f64,
    pub connect_ms: f64,
    pub tls_ms: f64,
    pub tls: TlsMode,
    /// *(added)* Which side holds TIME-WAIT (the active closer), if closed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_wait: Option<Side>,
    /// *(added)* Periods with nothing outstanding, with the deadlines that
    /// will close the connection if no request comes.
    pub idle: Vec<IdlePeriod>,
    pub packets: u64,
    pub retransmissions: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct IdlePeriod {
    pub from_ms: f64,
    pub to_ms: f64,
    /// When the server's keep-alive timer would fire (if it runs).
    pub server_deadline_ms: Option<f64>,
    pub client_deadline_ms: f64,
    /// *(added)* The deadline that ends the period: the idle close that
    /// happened in it (if one did), else the earlier of the two timers (the
    /// server's on a tie).
    pub deadline_ms: f64,
    /// *(added)* Whose timer that deadline is.
    pub deadline_side: Side,
}

/// One run: results plus the full trace.
#[derive(Clone, Debug, PartialEq)]
pub struct SimOutput {
    pub result: RunResult,
    pub trace: Vec<TraceEvent>,
    /// Host names by index, as trace events refer to them.
    pub hosts: Vec<String>,
}

/// One overhead total as people read it: the result's field name (`key`,
/// as the results JSON spells it), a label and a line of help. The web app's
/// totals table and `reuse-render`'s totals picture both list these, in this
/// order, so they always say the same thing.
pub struct TotalMetric {
    pub key: &'static str,
    pub label: &'static str,
    pub help: &'static str,
    pub value: fn(&RunResult) -> f64,
    /// A duration in ms (else a count).
    pub ms: bool,
}

pub const TOTAL_METRICS: [TotalMetric; 11] = [
    TotalMetric {
        key: "page_load_ms",
        label: "Page load",
        help: "when the last byte of the last response arrives",
        value: |r| r.page_load_ms,
        ms: true,
    },
    TotalMetric {
        key: "connections_opened",
        label: "Connections opened",
        help: "TCP or QUIC connections, each with its own handshake",
        value: |r| r.totals.connections_opened as f64,
        ms: false,
    },
    TotalMetric {
        key: "setup_ms",
        label: "Time in handshakes",
        help: "DNS, TCP and TLS (or QUIC) set-up, summed over connections",
        value: |r| r.totals.setup_ms,
        ms: true,
    },
    TotalMetric {
        key: "packets",
        label: "Packets",
        help: "packets on the wire, both directions",
        value: |r| r.totals.packets as f64,
        ms: false,
    },
    TotalMetric {
        key: "header_bytes",
        label: "Header bytes",
        help: "HTTP headers on the wire (HTTP/2 compresses them)",
        value: |r| r.totals.header_bytes as f64,
        ms: false,
    },
    TotalMetric {
        key: "retransmissions",
        label: "Retransmissions",
        help: "segments sent again after a loss",
        value: |r| r.totals.retransmissions as f64,
        ms: false,
    },
    TotalMetric {
        key: "idle_closes",
        label: "Idle closes",
        help: "connections closed by a keep-alive timeout",
        value: |r| r.totals.idle_closes as f64,
        ms: false,
    },
    TotalMetric {
        key: "retried_requests",
        label: "Retried requests",
        help: "requests sent again after the connection closed under them",
        value: |r| r.totals.retried_requests as f64,
        ms: false,
    },
    TotalMetric {
        key: "server.peak_open_connections",
        label: "Server: peak connections",
        help: "most connections open on the server at once",
        value: |r| r.server.peak_open_connections as f64,
        ms: false,
    },
    TotalMetric {
        key: "server.cpu_ms",
        label: "Server CPU (estimate)",
        help: "accepts, TLS handshakes and requests at server.costs",
        value: |r| r.server.cpu_ms,
        ms: true,
    },
    TotalMetric {
        key: "server.peak_memory_bytes",
        label: "Server memory, bytes (estimate)",
        help: "at the peak: sockets, TLS and HTTP/2 state at server.costs",
        value: |r| r.server.peak_memory_bytes as f64,
        ms: false,
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_total_metric_reads_the_result_field_it_is_named_after() {
        let scenario = crate::presets::find("lossy-mobile").expect("preset").scenario();
        let out = crate::simulate(&scenario).expect("simulates");
        let json = serde_json::to_value(&out.result).expect("serialises");
        for m in &TOTAL_METRICS {
            // A key names a field of the result, of its totals, or a path ("server.cpu_ms").
            let field = match m.key.split_once('.') {
                Some((section, name)) => json[section].get(name),
                None => json.get(m.key).or_else(|| json["totals"].get(m.key)),
            };
            let field = field.and_then(|v| v.as_f64()).unwrap_or_else(|| panic!("no result field {}", m.key));
            assert_eq!((m.value)(&out.result), field, "{}", m.key);
            assert_eq!(m.ms, m.key.ends_with("_ms"), "{}: ms flag and name disagree", m.key);
        }
    }
}
