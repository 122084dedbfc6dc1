//! The scenario format (`reuse-lab/scenario@1`), as fixed by the project's
//! `scenario-format.md`: field names and meanings are a contract. Fields this
//! crate adds are marked *(added)*; every one has a default so a scenario
//! written against the bare spec still reads.

use serde::{Deserialize, Serialize};
use std::fmt;

use crate::time::SimDuration;

mod congestion;
mod keepalive;
#[cfg(feature = "push")]
mod push;
mod request;
mod server_costs;
mod validate;

pub use congestion::CongestionControl;
pub use keepalive::{Middlebox, MiddleboxKind, OnExpired, TcpKeepalive};
#[cfg(feature = "push")]
pub use push::{PushRole, PushSpec, MAX_EVENTS};
pub use request::RequestSpec;
pub use server_costs::{CertificateKey, ServerCosts};

/// The only format id this version reads and writes.
pub const FORMAT_V1: &str = "reuse-lab/scenario@1";

/// Hard limits that keep a hostile or mistaken scenario from running away.
pub const MAX_REQUESTS: usize = 100_000;
pub const MAX_RESPONSE_BYTES: u64 = 1_000_000_000;
pub const MAX_TIME_MS: f64 = 3_600_000.0;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    #[serde(default = "default_format")]
    pub format: String,
    #[serde(default)]
    pub name: String,
    /// *(added)* One or two sentences for people: what the scenario shows.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(default = "default_seed")]
    pub seed: u64,
    pub network: Network,
    #[serde(default)]
    pub tcp: Tcp,
    #[serde(default)]
    pub tls: Tls,
    #[serde(default)]
    pub dns_ms: f64,
    pub client: Client,
    #[serde(default)]
    pub server: Server,
    /// *(added)* QUIC and HTTP/3 settings, used when a run is HTTP/3.
    #[serde(default)]
    pub quic: Quic,
    pub requests: Vec<RequestSpec>,
    /// *(added)* Events the server sends when it has them, to the requests
    /// whose `push` says how they fetch them (polling, long polling, a
    /// stream). Absent = none. Only builds with the feature `push` know
    /// the field (the web app's first load does not).
    #[cfg(feature = "push")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub push: Option<PushSpec>,
    /// *(added)* How many clients load the page, arriving evenly over a
    /// period, each with its own connections and path to the one server
    /// (`reuse_sim::crowd`). Absent = one. The single-client views and
    /// results ignore it. Only builds with the feature `clients` know it.
    #[cfg(feature = "clients")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clients: Option<Clients>,
}

/// *(added)* Many clients loading the page (`clients`).
#[cfg(feature = "clients")]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Clients {
    /// 1 to 10,000.
    pub count: u32,
    /// Client `k` (from 0) starts at `k × over_ms / count`.
    #[serde(default)]
    pub over_ms: f64,
}

/// The most clients a scenario may have.
#[cfg(feature = "clients")]
pub const MAX_CLIENTS: u32 = 10_000;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Network {
    pub rtt_ms: f64,
    #[serde(default)]
    pub downlink_mbps: Option<f64>,
    #[serde(default)]
    pub uplink_mbps: Option<f64>,
    #[serde(default)]
    pub loss_rate: f64,
    #[serde(default = "default_mss")]
    pub mss_bytes: u32,
    #[serde(default = "default_overhead")]
    pub packet_overhead_bytes: u32,
    /// *(added)* Bottleneck buffer in packets, each direction (drop-tail: a
    /// packet arriving to a full buffer is dropped). `null` = unlimited, so
    /// only `loss_rate` loses packets.
    #[serde(default)]
    pub queue_packets: Option<u32>,
    /// *(added)* Packets to lose on purpose, by the id the trace gives them
    /// (`PacketSent.id`, counted from 0 in the order packets are sent), on
    /// top of `loss_rate`: "what if exactly this packet were lost?". The
    /// random draws are unchanged, so every other packet meets the same fate.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub drop_packet_ids: Vec<u64>,
    /// *(added)* A stateful box on the path (a NAT or a load balancer) that
    /// forgets a TCP connection idle for longer than its timeout, without a
    /// packet. Absent = none (the path keeps no state).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub middlebox: Option<Middlebox>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tcp {
    #[serde(default = "default_initial_cwnd")]
    pub initial_cwnd_segments: u32,
    #[serde(default = "default_true")]
    pub slow_start_after_idle: bool,
    #[serde(default)]
    pub delayed_ack: bool,
    #[serde(default)]
    pub rwnd_bytes: Option<u64>,
    /// *(added)* What the congestion window counts: `"packets"` as Linux
    /// (every segment costs one) or `"bytes"` (RFC 3465 byte counting).
    #[serde(default)]
    pub cwnd_unit: CwndUnit,
    /// *(added)* `"sack"` (RFC 6675, Linux's default) or `"newreno"`
    /// (RFC 6582, cumulative ACKs only).
    #[serde(default)]
    pub loss_recovery: LossRecovery,
    /// *(added)* How the window grows and shrinks: `"newreno"` (Reno's
    /// halving and one segment per round trip, RFC 5681) or `"cubic"`
    /// (RFC 9438 with HyStart++, RFC 9406: Linux's default). Absent =
    /// `newreno`, so a scenario written before this field keeps its result.
    #[serde(default)]
    pub congestion_control: CongestionControl,
    /// *(added)* F-RTO, RFC 5682: detect spurious retransmission timeouts
    /// and undo their window cut (Linux's default).
    #[serde(default = "default_true")]
    pub frto: bool,
    /// *(added)* TCP timestamps, RFC 7323: every ACK of new data gives an
    /// RTT sample, retransmissions included (Linux's default). Their 12
    /// option bytes are not added to `packet_overhead_bytes`.
    #[serde(default = "default_true")]
    pub timestamps: bool,
    /// *(added)* RACK-TLP loss detection, RFC 8985 (Linux's default,
    /// `tcp_recovery = 1`, `tcp_early_retrans = 3`), beside the three-SACK
    /// rule: a segment sent a round trip (and a reordering window) before
    /// one that arrived is lost; a tail loss probe after 2·SRTT asks for
    /// the ACK that finds a lost tail, instead of waiting for the RTO.
    /// Needs SACK (`loss_recovery = "sack"`).
    #[serde(default = "default_rack_tlp")]
    pub rack_tlp: bool,
    /// *(added)* TCP keep-alive on the client's socket (`SO_KEEPALIVE`,
    /// RFC 1122 §4.2.3.6): probes after an idle time. Absent = off, as
    /// sockets are by default; `{}` = Linux's defaults.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keepalive: Option<TcpKeepalive>,
}

/// What the congestion window counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum CwndUnit {
    /// Packets, as Linux counts `snd_cwnd`: every segment costs one.
    #[default]
    #[serde(rename = "packets")]
    Packets,
    /// Bytes, with appropriate byte counting (RFC 3465, L = 2).
    #[serde(rename = "bytes")]
    Bytes,
}

/// How a TCP sender finds and repairs losses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum LossRecovery {
    /// SACK-based recovery (RFC 6675), Linux's default.
    #[default]
    #[serde(rename = "sack")]
    Sack,
    /// NewReno (RFC 6582): cumulative ACKs only, one hole per round trip.
    #[serde(rename = "newreno")]
    NewReno,
}

impl Default for Tcp {
    fn default() -> Self {
        Tcp {
            initial_cwnd_segments: default_initial_cwnd(),
            slow_start_after_idle: true,
            delayed_ack: false,
            rwnd_bytes: None,
            cwnd_unit: CwndUnit::Packets,
            loss_recovery: LossRecovery::Sack,
            congestion_control: CongestionControl::NewReno,
            frto: true,
            timestamps: true,
            rack_tlp: default_rack_tlp(),
            keepalive: None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum TlsVersion {
    #[default]
    #[serde(rename = "none")]
    None,
    #[serde(rename = "tls1.2")]
    Tls12,
    #[serde(rename = "tls1.3")]
    Tls13,
}

impl TlsVersion {
    pub fn as_str(self) -> &'static str {
        match self {
            TlsVersion::None => "none",
            TlsVersion::Tls12 => "tls1.2",
            TlsVersion::Tls13 => "tls1.3",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Resumption {
    #[default]
    #[serde(rename = "none")]
    None,
    #[serde(rename = "ticket")]
    Ticket,
    #[serde(rename = "early_data")]
    EarlyData,
}

impl Resumption {
    pub fn as_str(self) -> &'static str {
        match self {
            Resumption::None => "none",
            Resumption::Ticket => "ticket",
            Resumption::EarlyData => "early_data",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tls {
    #[serde(default)]
    pub version: TlsVersion,
    #[serde(default)]
    pub resumption: Resumption,
    /// *(added)* Size of the server's first flight on a full handshake
    /// (ServerHello, Certificate chain, key exchange). 4000 bytes is a typical
    /// two-certificate RSA chain; a flight larger than the congestion window
    /// costs an extra round trip, as on a real connection.
    #[serde(default = "default_certificate_bytes")]
    pub certificate_bytes: u32,
}

impl Default for Tls {
    fn default() -> Self {
        Tls {
            version: TlsVersion::None,
            resumption: Resumption::None,
            certificate_bytes: default_certificate_bytes(),
        }
    }
}

/// Application protocol, by ALPN id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Protocol {
    #[serde(rename = "http/1.0")]
    Http10,
    #[serde(rename = "http/1.1")]
    Http11,
    #[serde(rename = "h2")]
    H2,
    /// HTTP/3 over QUIC (RFC 9114, RFC 9000).
    #[serde(rename = "h3")]
    H3,
}

impl Protocol {
    /// Every version the engine simulates, oldest first.
    pub const ALL: [Protocol; 4] = [Protocol::Http10, Protocol::Http11, Protocol::H2, Protocol::H3];

    /// The versions over TCP: what the web app offers until it shows HTTP/3.
    pub const OVER_TCP: [Protocol; 3] = [Protocol::Http10, Protocol::Http11, Protocol::H2];

    /// The ALPN id used in the scenario format.
    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Http10 => "http/1.0",
            Protocol::Http11 => "http/1.1",
            Protocol::H2 => "h2",
            Protocol::H3 => "h3",
        }
    }

    /// A label for people ("HTTP/2" rather than "h2").
    pub fn label(self) -> &'static str {
        match self {
            Protocol::Http10 => "HTTP/1.0",
            Protocol::Http11 => "HTTP/1.1",
            Protocol::H2 => "HTTP/2",
            Protocol::H3 => "HTTP/3",
        }
    }

    /// Does this version run over QUIC, and so always over TLS 1.3 (RFC 9001)?
    pub fn over_quic(self) -> bool {
        match self {
            Protocol::Http10 | Protocol::Http11 | Protocol::H2 => false,
            Protocol::H3 => true,
        }
    }

    /// Reads an ALPN id or a common spelling (`1.1`, `http2`, `HTTP/2`, `3`).
    pub fn parse(text: &str) -> Result<Protocol, ScenarioError> {
        let t = text.trim().to_ascii_lowercase();
        match t.as_str() {
            "http/1.0" | "http1.0" | "1.0" | "http10" => Ok(Protocol::Http10),
            "http/1.1" | "http1.1" | "1.1" | "http11" => Ok(Protocol::Http11),
            "h2" | "http/2" | "http2" | "2" => Ok(Protocol::H2),
            "h3" | "http/3" | "http3" | "3" => Ok(Protocol::H3),
            _ => Err(ScenarioError::new(
                "client.protocol",
                format!("unknown protocol \"{text}\"; expected http/1.0, http/1.1, h2 or h3"),
            )),
        }
    }
}

impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Client {
    pub protocol: Protocol,
    #[serde(default = "default_max_connections")]
    pub max_connections_per_host: u32,
    #[serde(default)]
    pub http10_keep_alive: bool,
    #[serde(default)]
    pub pipelining: bool,
    #[serde(default = "default_client_idle")]
    pub idle_timeout_ms: f64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum PipelineProcessing {
    #[default]
    #[serde(rename = "serial")]
    Serial,
    #[serde(rename = "parallel")]
    Parallel,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Server {
    #[serde(default)]
    pub processing_ms: f64,
    #[serde(default = "default_keep_alive")]
    pub keep_alive_timeout_ms: f64,
    #[serde(default = "default_max_requests")]
    pub max_requests_per_connection: u32,
    #[serde(default = "default_streams")]
    pub max_concurrent_streams: u32,
    #[serde(default)]
    pub pipeline_processing: PipelineProcessing,
    /// *(added)* How many of each response's `response_bytes` are HTTP
    /// headers. Counted in `header_bytes`; HTTP/2 compresses them (HPACK).
    #[serde(default = "default_response_header_bytes")]
    pub response_header_bytes: u32,
    /// *(added)* What the server spends per connection, handshake and
    /// request, for the estimate of its CPU and memory in the results.
    #[serde(default)]
    pub costs: ServerCosts,
    /// *(added)* Close an HTTP/1.x connection after an error response (4xx,
    /// 5xx), as some servers and proxies do, instead of keeping it.
    #[serde(default, skip_serializing_if = "is_false")]
    pub close_on_error: bool,
}

impl Default for Server {
    fn default() -> Self {
        Server {
            processing_ms: 0.0,
            keep_alive_timeout_ms: default_keep_alive(),
            max_requests_per_connection: default_max_requests(),
            max_concurrent_streams: default_streams(),
            pipeline_processing: PipelineProcessing::Serial,
            response_header_bytes: default_response_header_bytes(),
            costs: ServerCosts::default(),
            close_on_error: false,
        }
    }
}

/// *(added)* QUIC and HTTP/3 settings (RFC 9000, 9002, 9114, 9204). Every
/// default is the RFC's (or, where an RFC leaves it open, what the common
/// stacks use); runs under the other versions ignore this section.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Quic {
    /// Largest UDP payload either endpoint sends (RFC 9000 §14: at least
    /// 1200). Datagrams carrying an Initial packet are padded to it, so it
    /// also sets the server's anti-amplification budget (3× what it received).
    /// Chrome uses 1250, Firefox 1350, msquic 1240.
    #[serde(default = "default_max_datagram_size")]
    pub max_datagram_size_bytes: u32,
    /// Initial congestion window in datagrams; `null` = RFC 9002 §7.2:
    /// min(10 × max_datagram_size, max(14 720, 2 × max_datagram_size)).
    /// Chrome starts at 32.
    #[serde(default)]
    pub initial_window_packets: Option<u32>,
    /// Longest a receiver delays an acknowledgment of 1-RTT packets
    /// (RFC 9000 §18.2 `max_ack_delay`, default 25 ms).
    #[serde(default = "default_max_ack_delay")]
    pub max_ack_delay_ms: f64,
    /// The client's `max_idle_timeout` transport parameter (RFC 9000 §10.1).
    /// The connection closes silently after the smaller of both sides' values
    /// (at least 3 PTO) without a packet.
    #[serde(default = "default_quic_idle")]
    pub client_max_idle_timeout_ms: f64,
    /// The server's `max_idle_timeout` (nginx uses its keepalive_timeout).
    #[serde(default = "default_quic_idle")]
    pub server_max_idle_timeout_ms: f64,
    /// QPACK dynamic table capacity both endpoints allow (RFC 9204 §3.2.3,
    /// SETTINGS_QPACK_MAX_TABLE_CAPACITY). 0, the RFC's default, means header
    /// blocks use the static table and literals only; Chrome allows 65 536.
    #[serde(default)]
    pub qpack_max_table_capacity_bytes: u32,
}

impl Default for Quic {
    fn default() -> Self {
        Quic {
            max_datagram_size_bytes: default_max_datagram_size(),
            initial_window_packets: None,
            max_ack_delay_ms: default_max_ack_delay(),
            client_max_idle_timeout_ms: default_quic_idle(),
            server_max_idle_timeout_ms: default_quic_idle(),
            qpack_max_table_capacity_bytes: 0,
        }
    }
}

fn is_false(v: &bool) -> bool {
    !*v
}
fn default_format() -> String {
    FORMAT_V1.to_string()
}
fn default_seed() -> u64 {
    1
}
fn default_mss() -> u32 {
    1460
}
fn default_overhead() -> u32 {
    40
}
fn default_initial_cwnd() -> u32 {
    10
}
fn default_true() -> bool {
    true
}
/// RACK-TLP is on, as in Linux.
fn default_rack_tlp() -> bool {
    true
}
fn default_certificate_bytes() -> u32 {
    4000
}
fn default_max_connections() -> u32 {
    6
}
fn default_client_idle() -> f64 {
    300_000.0
}
fn default_keep_alive() -> f64 {
    5000.0
}
fn default_max_requests() -> u32 {
    100
}
fn default_streams() -> u32 {
    100
}
fn default_response_header_bytes() -> u32 {
    300
}
fn default_max_datagram_size() -> u32 {
    1200
}
fn default_max_ack_delay() -> f64 {
    25.0
}
fn default_quic_idle() -> f64 {
    30_000.0
}

impl Network {
    pub fn new(rtt_ms: f64) -> Self {
        Network {
            rtt_ms,
            downlink_mbps: None,
            uplink_mbps: None,
            loss_rate: 0.0,
            mss_bytes: default_mss(),
            packet_overhead_bytes: default_overhead(),
            queue_packets: None,
            drop_packet_ids: Vec::new(),
            middlebox: None,
        }
    }
}

impl Client {
    pub fn new(protocol: Protocol) -> Self {
        Client {
            protocol,
            max_connections_per_host: default_max_connections(),
            http10_keep_alive: false,
            pipelining: false,
            idle_timeout_ms: default_client_idle(),
        }
    }
}

impl Scenario {
    /// A scenario with every default of the format, for presets and tests.
    pub fn new(name: impl Into<String>, rtt_ms: f64, requests: Vec<RequestSpec>) -> Self {
        Scenario {
            format: default_format(),
            name: name.into(),
            description: String::new(),
            seed: default_seed(),
            network: Network::new(rtt_ms),
            tcp: Tcp::default(),
            tls: Tls::default(),
            dns_ms: 0.0,
            client: Client::new(Protocol::Http11),
            server: Server::default(),
            quic: Quic::default(),
            requests,
            #[cfg(feature = "push")]
            push: None,
            #[cfg(feature = "clients")]
            clients: None,
        }
    }

    /// Parses and validates JSON. Errors name the field (`network.rtt_ms`)
    /// and the reason.
    pub fn from_json(text: &str) -> Result<Scenario, ScenarioError> {
        let value: serde_json::Value = match serde_json::from_str(text) {
            Ok(v) => v,
            Err(syntax) => {
                // Read again with path tracking to say where the syntax broke.
                let de = &mut serde_json::Deserializer::from_str(text);
                let field = match serde_path_to_error::deserialize::<_, Scenario>(de) {
                    Err(e) => known_field(&e.path().to_string()),
                    Ok(_) => "scenario".to_string(),
                };
                return Err(ScenarioError::new(field, format!("not valid JSON: {syntax}")));
            }
        };
        // serde's derive would also read a struct from an array
        // (`"network": [100]`); the format only has objects there.
        require_object(&value, "scenario")?;
        for section in ["network", "tcp", "tls", "client", "server", "quic"] {
            if let Some(v) = value.get(section) {
                require_object(v, section)?;
            }
        }
        for (section, field) in [("tcp", "keepalive"), ("network", "middlebox")] {
            match value.get(section).and_then(|v| v.get(field)) {
                None | Some(serde_json::Value::Null) => {}
                Some(v) => require_object(v, &format!("{section}.{field}"))?,
            }
        }
        if let Some(serde_json::Value::Array(requests)) = value.get("requests") {
            for (i, r) in requests.iter().enumerate() {
                require_object(r, &format!("requests[{i}]"))?;
            }
        }
        let scenario: Scenario = serde_path_to_error::deserialize(value).map_err(|err| {
            let field = known_field(&err.path().to_string());
            ScenarioError::new(field, err.into_inner().to_string())
        })?;
        scenario.validate()?;
        scenario.check_own_protocol()?;
        Ok(scenario)
    }

    /// A scenario that names HTTP/3 as its own protocol must ask for TLS 1.3:
    /// QUIC always carries TLS 1.3 (RFC 9001), so anything else is a
    /// contradiction in the file. (Replayed under HTTP/3 among other
    /// versions, a scenario runs HTTP/3 with TLS 1.3 whatever `tls.version`
    /// says, and its trace says so.)
    pub fn check_own_protocol(&self) -> Result<(), ScenarioError> {
        if self.client.protocol.over_quic() && self.tls.version != TlsVersion::Tls13 {
            return Err(ScenarioError::new(
                "tls.version",
                format!(
                    "HTTP/3 runs over QUIC, which always uses TLS 1.3 (RFC 9001); with client.protocol \"h3\" \
                     set tls.version to \"tls1.3\" (got \"{}\")",
                    self.tls.version.as_str()
                ),
            ));
        }
        Ok(())
    }

    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).expect("a scenario always serializes")
    }

    /// The same scenario under another protocol.
    pub fn with_protocol(&self, protocol: Protocol) -> Scenario {
        let mut s = self.clone();
        s.client.protocol = protocol;
        s
    }

    pub(crate) fn rtt(&self) -> SimDuration {
        SimDuration::from_ms_f64(self.network.rtt_ms)
    }
}

/// The part of a serde path that names real fields (`network.?` → `network`).
fn known_field(path: &str) -> String {
    let known = path.split(".?").next().unwrap_or("");
    if known.is_empty() || known == "." || known == "?" || known.starts_with('[') {
        "scenario".to_string()
    } else {
        known.to_string()
    }
}

fn require_object(value: &serde_json::Value, field: &str) -> Result<(), ScenarioError> {
    if value.is_object() {
        return Ok(());
    }
    let found = match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    };
    Err(ScenarioError::new(field, format!("must be a JSON object (got {found})")))
}

/// A scenario that cannot be run: which field, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioError {
    /// Dotted path of the field, e.g. `network.rtt_ms` or `requests[3].after[0]`.
    pub field: String,
    pub reason: String,
}

impl ScenarioError {
    pub fn new(field: impl Into<String>, reason: impl Into<String>) -> Self {
        ScenarioError { field: field.into(), reason: reason.into() }
    }
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.reason)
    }
}

impl std::error::Error for ScenarioError {}
