//! The trace: everything that happened, in order, with its cause.
//!
//! Events are structured (ids and enums, no strings) so that recording them
//! costs a `Vec::push`; [`TraceEvent::describe`] renders the cause in words
//! when a person needs it ("connection 3 closed: server idle timeout 5000 ms").
//! Views draw from the trace alone: every packet carries its send, departure
//! and arrival times, every request phase and every close has an event.

use crate::time::decimal;
use serde::Serialize;
use std::fmt;

use crate::scenario::Scenario;
use crate::time::SimTime;

/// Connection id: 1, 2, 3 … in the order connections are opened.
pub type ConnId = u32;
/// Index of a request in `scenario.requests`.
pub type ReqIdx = u32;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    Client,
    Server,
}

impl Side {
    pub fn peer(self) -> Side {
        match self {
            Side::Client => Side::Server,
            Side::Server => Side::Client,
        }
    }
    pub fn index(self) -> usize {
        self as usize
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Client => "client",
            Side::Server => "server",
        }
    }
}

/// TCP connection states, printed with their RFC 9293 names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum TcpState {
    #[serde(rename = "CLOSED")]
    Closed,
    #[serde(rename = "LISTEN")]
    Listen,
    #[serde(rename = "SYN-SENT")]
    SynSent,
    #[serde(rename = "SYN-RECEIVED")]
    SynReceived,
    #[serde(rename = "ESTABLISHED")]
    Established,
    #[serde(rename = "FIN-WAIT-1")]
    FinWait1,
    #[serde(rename = "FIN-WAIT-2")]
    FinWait2,
    #[serde(rename = "CLOSE-WAIT")]
    CloseWait,
    #[serde(rename = "CLOSING")]
    Closing,
    #[serde(rename = "LAST-ACK")]
    LastAck,
    #[serde(rename = "TIME-WAIT")]
    TimeWait,
}

impl TcpState {
    pub fn as_str(self) -> &'static str {
        match self {
            TcpState::Closed => "CLOSED",
            TcpState::Listen => "LISTEN",
            TcpState::SynSent => "SYN-SENT",
            TcpState::SynReceived => "SYN-RECEIVED",
            TcpState::Established => "ESTABLISHED",
            TcpState::FinWait1 => "FIN-WAIT-1",
            TcpState::FinWait2 => "FIN-WAIT-2",
            TcpState::CloseWait => "CLOSE-WAIT",
            TcpState::Closing => "CLOSING",
            TcpState::LastAck => "LAST-ACK",
            TcpState::TimeWait => "TIME-WAIT",
        }
    }

    /// True once this side has sent or received a FIN or reset.
    pub fn is_closing(self) -> bool {
        !matches!(self, TcpState::Listen | TcpState::SynSent | TcpState::SynReceived | TcpState::Established)
    }
}

impl fmt::Display for TcpState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a connection was closed; the values of `connections[].closed_by`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CloseReason {
    /// HTTP/1.0 without keep-alive, or `Connection: close`.
    ServerClose,
    ServerIdleTimeout,
    ClientIdleTimeout,
    MaxRequests,
    Error,
    Open,
}

impl CloseReason {
    pub fn as_str(self) -> &'static str {
        match self {
            CloseReason::ServerClose => "server_close",
            CloseReason::ServerIdleTimeout => "server_idle_timeout",
            CloseReason::ClientIdleTimeout => "client_idle_timeout",
            CloseReason::MaxRequests => "max_requests",
            CloseReason::Error => "error",
            CloseReason::Open => "open",
        }
    }

    pub fn is_idle_close(self) -> bool {
        matches!(self, CloseReason::ServerIdleTimeout | CloseReason::ClientIdleTimeout)
    }
}

/// TCP header flags of a packet.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Flags {
    pub syn: bool,
    pub ack: bool,
    pub fin: bool,
    pub rst: bool,
}

impl Flags {
    pub const SYN: Flags = Flags { syn: true, ack: false, fin: false, rst: false };
    pub const SYN_ACK: Flags = Flags { syn: true, ack: true, fin: false, rst: false };
    pub const ACK: Flags = Flags { syn: false, ack: true, fin: false, rst: false };
    pub const RST: Flags = Flags { syn: false, ack: false, fin: false, rst: true };
}

/// What the payload of a packet carries: the first message in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "request", rename_all = "snake_case")]
pub enum Content {
    None,
    /// TLS ClientHello (with a ticket on resumption).
    ClientHello,
    /// The server's handshake flight: ServerHello … (Certificate …) Finished.
    ServerHandshake,
    /// The client's last handshake flight (ClientKeyExchange/Finished).
    ClientFinished,
    /// TLS 1.2 full handshake: the server's ChangeCipherSpec + Finished.
    ServerFinished,
    /// TLS NewSessionTicket.
    SessionTicket,
    /// HTTP/2 connection preface and SETTINGS.
    H2Preface,
    /// HTTP/2 SETTINGS from the server.
    H2Settings,
    /// HTTP/2 GOAWAY before a server closes.
    H2GoAway,
    /// An HTTP request (HTTP/1.x message, or HTTP/2 HEADERS frame).
    Request(ReqIdx),
    /// HTTP/1.1 request sent as TLS 1.3 early data.
    EarlyRequest(ReqIdx),
    /// An HTTP response (HTTP/1.x message, or HTTP/2 HEADERS + DATA frames).
    Response(ReqIdx),
}

impl Content {
    pub fn request(self) -> Option<ReqIdx> {
        match self {
            Content::Request(r) | Content::EarlyRequest(r) | Content::Response(r) => Some(r),
            _ => None,
        }
    }
}

/// One packet on the wire. Times: `sent` when serialization starts at the
/// bottleneck (after any queueing), `departed` when its last bit leaves,
/// `arrives` when it reaches the peer (or would have, if `lost`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PacketInfo {
    pub id: u64,
    pub conn: ConnId,
    pub from: Side,
    pub flags: Flags,
    /// First payload byte's offset in its direction's stream.
    pub seq: u64,
    /// Cumulative acknowledgment: next byte expected from the peer.
    pub ack: u64,
    pub payload_bytes: u32,
    pub wire_bytes: u32,
    #[serde(rename = "queued_at_ms")]
    pub queued_at: SimTime,
    #[serde(rename = "sent_ms")]
    pub sent: SimTime,
    #[serde(rename = "departed_ms")]
    pub departed: SimTime,
    #[serde(rename = "arrives_ms")]
    pub arrives: SimTime,
    pub lost: bool,
    /// Lost because the bottleneck buffer was full (else: random loss).
    pub queue_drop: bool,
    pub retransmission: bool,
    pub content: Content,
    /// How many further messages share the payload.
    pub more_content: u32,
    /// The sender's congestion window when the packet left, in bytes.
    pub cwnd_bytes: u64,
}

impl PacketInfo {
    /// A short label for a ladder arrow: `SYN`, `ACK`, `GET style.css`,
    /// `DATA index.html`, `FIN`.
    pub fn label(&self, scenario: &Scenario) -> String {
        let f = self.flags;
        if f.rst {
            return "RST".into();
        }
        if f.syn {
            return if f.ack { "SYN-ACK".into() } else { "SYN".into() };
        }
        let mut label = match self.content {
            Content::None => {
                if f.fin {
                    String::new()
                } else {
                    "ACK".into()
                }
            }
            Content::ClientHello => "ClientHello".into(),
            Content::ServerHandshake => "ServerHello…".into(),
            Content::ClientFinished => "Finished".into(),
            Content::ServerFinished => "Finished".into(),
            Content::SessionTicket => "Ticket".into(),
            Content::H2Preface => "SETTINGS".into(),
            Content::H2Settings => "SETTINGS".into(),
            Content::H2GoAway => "GOAWAY".into(),
            Content::Request(r) => format!("GET {}", request_id(scenario, r)),
            Content::EarlyRequest(r) => format!("0-RTT GET {}", request_id(scenario, r)),
            Content::Response(r) => format!("DATA {}", request_id(scenario, r)),
        };
        if self.more_content > 0 {
            label.push_str(&format!(" +{}", self.more_content));
        }
        if f.fin {
            if label.is_empty() {
                label.push_str("FIN");
            } else {
                label.push_str(" FIN");
            }
        }
        if self.retransmission {
            label.push_str(" (retx)");
        }
        label
    }
}

/// Why a request waits in the queue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum QueueReason {
    /// Every connection to the host is busy and the per-host limit is reached.
    ConnectionLimit,
    /// A new connection is being opened and will take the oldest request.
    WaitingForConnection,
    /// HTTP/2: the server's SETTINGS_MAX_CONCURRENT_STREAMS is reached.
    StreamLimit,
}

/// How a connection's TLS handshake went.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TlsMode {
    None,
    Full,
    Resumed,
    EarlyData,
}

impl TlsMode {
    pub fn as_str(self) -> &'static str {
        match self {
            TlsMode::None => "none",
            TlsMode::Full => "full",
            TlsMode::Resumed => "resumed",
            TlsMode::EarlyData => "early_data",
        }
    }
}

/// Why the congestion window changed (only the notable changes are traced;
/// every packet carries the window it was sent under).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CwndCause {
    /// Three duplicate ACKs: fast retransmit, enter fast recovery (RFC 5681 §3.2).
    FastRetransmit,
    /// Fast recovery ended: the whole window before the loss was acknowledged.
    RecoveryDone,
    /// Retransmission timeout: back to one segment (RFC 5681 §3.1, RFC 6298 §5).
    Timeout,
    /// Restart after idle (RFC 5681 §4.1).
    IdleRestart,
    /// cwnd reached ssthresh: slow start ends, congestion avoidance begins.
    SlowStartEnd,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventKind {
    /// All of `after` is received and `delay_ms` has passed.
    RequestReady {
        request: ReqIdx,
    },
    RequestQueued {
        request: ReqIdx,
        reason: QueueReason,
    },
    /// The request is given to a connection (`reused` = it has served before;
    /// `behind` = requests already outstanding on it, for pipelining).
    RequestAssigned {
        request: ReqIdx,
        conn: ConnId,
        reused: bool,
        behind: u32,
        stream: Option<u32>,
    },
    /// The request's first byte starts to leave the client.
    RequestSent {
        request: ReqIdx,
        conn: ConnId,
    },
    /// The server has the whole request and starts processing.
    ServerProcessing {
        request: ReqIdx,
        conn: ConnId,
        duration_ms: f64,
    },
    /// The server has the response ready (waits behind earlier pipelined
    /// responses when `blocked_by` is set).
    ResponseReady {
        request: ReqIdx,
        conn: ConnId,
        blocked_by: Option<ReqIdx>,
    },
    ResponseFirstByte {
        request: ReqIdx,
        conn: ConnId,
    },
    ResponseComplete {
        request: ReqIdx,
        conn: ConnId,
    },
    /// Sent on a connection the server had already closed (the keep-alive
    /// race), or cut by a close: it will be sent again.
    RequestLost {
        request: ReqIdx,
        conn: ConnId,
        closed_by: CloseReason,
    },
    DnsStart {
        host: u32,
    },
    DnsDone {
        host: u32,
    },
    /// A new connection: its SYN is about to leave.
    ConnectionOpened {
        conn: ConnId,
        host: u32,
    },
    TcpStateChanged {
        conn: ConnId,
        side: Side,
        from: TcpState,
        to: TcpState,
    },
    TlsStarted {
        conn: ConnId,
        mode: TlsMode,
    },
    /// The connection can carry requests.
    ConnectionReady {
        conn: ConnId,
        mode: TlsMode,
    },
    /// Nothing outstanding: the idle countdowns run to their deadlines.
    ConnectionIdle {
        conn: ConnId,
        #[serde(rename = "client_deadline_ms")]
        client_deadline: SimTime,
        #[serde(rename = "server_deadline_ms")]
        server_deadline: Option<SimTime>,
    },
    /// The client will put no more requests on this connection (it is
    /// closing, or the server said `Connection: close`): it leaves the
    /// per-host count.
    ConnectionReleased {
        conn: ConnId,
    },
    /// One side decides to close (its FIN follows).
    ConnectionClosing {
        conn: ConnId,
        side: Side,
        reason: CloseReason,
    },
    PacketSent(PacketInfo),
    PacketDelivered {
        id: u64,
        conn: ConnId,
        to: Side,
    },
    PacketDropped {
        id: u64,
        conn: ConnId,
        to: Side,
    },
    /// Data received after the server closed: it answers with a reset.
    Reset {
        conn: ConnId,
        side: Side,
    },
    Retransmit {
        conn: ConnId,
        side: Side,
        seq: u64,
        timeout: bool,
        /// NewReno: a partial ACK during recovery points at the next hole.
        partial_ack: bool,
    },
    CongestionWindow {
        conn: ConnId,
        side: Side,
        cause: CwndCause,
        cwnd_bytes: u64,
        ssthresh_bytes: u64,
    },
    /// Every request has its response.
    PageLoaded,
    /// The simulation stopped watching (drain period over).
    End,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TraceEvent {
    #[serde(rename = "time_ms")]
    pub time: SimTime,
    #[serde(flatten)]
    pub kind: EventKind,
}

fn request_id(scenario: &Scenario, r: ReqIdx) -> &str {
    scenario.requests.get(r as usize).map(|q| q.id.as_str()).unwrap_or("?")
}

/// What the trace needs besides the scenario to put causes in words.
#[derive(Clone, Copy)]
pub struct DescribeContext<'a> {
    pub scenario: &'a Scenario,
    pub hosts: &'a [String],
}

impl TraceEvent {
    /// The event and its cause, in words, for people.
    pub fn describe(&self, cx: DescribeContext<'_>) -> String {
        let s = cx.scenario;
        let rid = |r: &ReqIdx| request_id(s, *r).to_string();
        let host = |h: &u32| cx.hosts.get(*h as usize).cloned().unwrap_or_default();
        match &self.kind {
            EventKind::RequestReady { request } => {
                let spec = &s.requests[*request as usize];
                if spec.after.is_empty() && spec.delay_ms == 0.0 {
                    format!("{} is ready: the page starts", rid(request))
                } else if spec.after.is_empty() {
                    format!("{} is ready after {} ms of think time", rid(request), decimal(spec.delay_ms))
                } else if spec.delay_ms > 0.0 {
                    format!(
                        "{} is ready: {} arrived, then {} ms of think time",
                        rid(request),
                        spec.after.join(", "),
                        decimal(spec.delay_ms)
                    )
                } else {
                    format!("{} is ready: it needed {}", rid(request), spec.after.join(", "))
                }
            }
            EventKind::RequestQueued { request, reason } => match reason {
                QueueReason::ConnectionLimit => format!(
                    "{} queued: all {} connections to {} are busy",
                    rid(request),
                    s.client.max_connections_per_host,
                    s.requests[*request as usize].host
                ),
                QueueReason::WaitingForConnection => {
                    format!("{} waits for a connection to be set up", rid(request))
                }
                QueueReason::StreamLimit => format!(
                    "{} queued: the server allows {} concurrent streams",
                    rid(request),
                    s.server.max_concurrent_streams
                ),
            },
            EventKind::RequestAssigned { request, conn, reused, behind, stream } => {
                let mut text = format!("{} goes on connection {conn}", rid(request));
                if let Some(id) = stream {
                    text.push_str(&format!(" as stream {id}"));
                }
                if *reused {
                    text.push_str(", reusing it: no handshake");
                }
                if *behind > 0 {
                    text.push_str(&format!(", pipelined behind {behind} outstanding"));
                }
                text
            }
            EventKind::RequestSent { request, conn } => {
                format!("{} leaves the client on connection {conn}", rid(request))
            }
            EventKind::ServerProcessing { request, duration_ms, .. } => {
                format!("server has {} and works on it for {} ms", rid(request), decimal(*duration_ms))
            }
            EventKind::ResponseReady { request, blocked_by, .. } => match blocked_by {
                Some(b) => format!(
                    "response to {} is ready but waits behind {} (head-of-line blocking)",
                    rid(request),
                    rid(b)
                ),
                None => format!("response to {} is ready and starts to leave", rid(request)),
            },
            EventKind::ResponseFirstByte { request, .. } => {
                format!("first byte of {} arrives", rid(request))
            }
            EventKind::ResponseComplete { request, .. } => {
                format!("{} is complete", rid(request))
            }
            EventKind::RequestLost { request, conn, closed_by } => format!(
                "{} was lost: connection {conn} was closed ({}) before the server read it; it is retried",
                rid(request),
                describe_close(s, *closed_by)
            ),
            EventKind::DnsStart { host: h } => {
                format!("DNS lookup for {} ({} ms)", host(h), decimal(s.dns_ms))
            }
            EventKind::DnsDone { host: h } => format!("DNS answer for {}: cached from now on", host(h)),
            EventKind::ConnectionOpened { conn, host: h } => {
                format!("connection {conn} to {} opens: SYN", host(h))
            }
            EventKind::TcpStateChanged { conn, side, from, to } => {
                format!("connection {conn} {}: {from} → {to}", side.as_str())
            }
            EventKind::TlsStarted { conn, mode } => {
                let version = match s.tls.version {
                    crate::scenario::TlsVersion::Tls12 => "TLS 1.2",
                    _ => "TLS 1.3",
                };
                let rtts = tls_round_trips(s, *mode);
                format!(
                    "connection {conn}: {version} {} handshake, {rtts} round trip{}",
                    match mode {
                        TlsMode::Full => "full",
                        TlsMode::Resumed => "resumed (session ticket)",
                        TlsMode::EarlyData => "0-RTT (early data)",
                        TlsMode::None => "no",
                    },
                    if rtts == 1 { "" } else { "s" }
                )
            }
            EventKind::ConnectionReady { conn, .. } => {
                format!("connection {conn} is ready for requests")
            }
            EventKind::ConnectionIdle { conn, client_deadline, server_deadline } => {
                let mut text = format!("connection {conn} is idle");
                if let Some(d) = server_deadline {
                    text.push_str(&format!(
                        "; the server closes it at {d} (keep-alive timeout {} ms)",
                        decimal(s.server.keep_alive_timeout_ms)
                    ));
                }
                text.push_str(&format!(
                    "; the client at {client_deadline} (idle timeout {} ms)",
                    decimal(s.client.idle_timeout_ms)
                ));
                text
            }
            EventKind::ConnectionReleased { conn } => {
                format!(
                    "the client stops using connection {conn}: it no longer counts toward the per-host limit"
                )
            }
            EventKind::ConnectionClosing { conn, side, reason } => {
                format!("connection {conn} closed by the {}: {}", side.as_str(), describe_close(s, *reason))
            }
            EventKind::PacketSent(p) => {
                let mut text = format!(
                    "{} → {}: {} ({} bytes on the wire)",
                    p.from.as_str(),
                    p.from.peer().as_str(),
                    p.label(s),
                    p.wire_bytes
                );
                if p.sent > p.queued_at {
                    text.push_str(&format!(", queued {} at the bottleneck", p.sent - p.queued_at));
                }
                if p.queue_drop {
                    text.push_str(", dropped: the bottleneck buffer is full");
                } else if p.lost {
                    text.push_str(", lost on the way");
                }
                text
            }
            EventKind::PacketDelivered { id, to, .. } => format!("packet {id} reaches the {}", to.as_str()),
            EventKind::PacketDropped { id, to, .. } => {
                format!(
                    "packet {id} to the {} is lost (loss rate {})",
                    to.as_str(),
                    decimal(s.network.loss_rate)
                )
            }
            EventKind::Reset { conn, side } => format!(
                "connection {conn}: data arrived after the {} closed, so it answers with RST",
                side.as_str()
            ),
            EventKind::Retransmit { conn, side, seq, timeout, partial_ack } => format!(
                "connection {conn} {} resends from byte {seq}: {}",
                side.as_str(),
                if *timeout {
                    "retransmission timeout (RFC 6298)"
                } else if *partial_ack {
                    "a partial ACK shows the next hole (NewReno, RFC 6582)"
                } else {
                    "three duplicate ACKs, fast retransmit (RFC 5681)"
                }
            ),
            EventKind::CongestionWindow { conn, side, cause, cwnd_bytes, ssthresh_bytes } => {
                let why = match cause {
                    CwndCause::FastRetransmit => "fast recovery after a loss, window halved",
                    CwndCause::RecoveryDone => "recovery done",
                    CwndCause::Timeout => "timeout, back to one segment",
                    CwndCause::IdleRestart => {
                        "idle longer than the RTO, back to the initial window (RFC 5681 §4.1)"
                    }
                    CwndCause::SlowStartEnd => "slow start ends, congestion avoidance",
                };
                let ssthresh = if *ssthresh_bytes >= u64::MAX / 4 {
                    "∞".to_string()
                } else {
                    ssthresh_bytes.to_string()
                };
                format!(
                    "connection {conn} {} cwnd {cwnd_bytes} bytes, ssthresh {ssthresh}: {why}",
                    side.as_str()
                )
            }
            EventKind::PageLoaded => "every response has arrived: page loaded".into(),
            EventKind::End => "end of simulation".into(),
        }
    }
}

/// Words for a close reason, with the configured value where there is one.
pub fn describe_close(s: &Scenario, reason: CloseReason) -> String {
    match reason {
        CloseReason::ServerClose => "the server closes after each response (no keep-alive)".into(),
        CloseReason::ServerIdleTimeout => {
            format!("server idle timeout {} ms", decimal(s.server.keep_alive_timeout_ms))
        }
        CloseReason::ClientIdleTimeout => {
            format!("client idle timeout {} ms", decimal(s.client.idle_timeout_ms))
        }
        CloseReason::MaxRequests => {
            format!("the server's limit of {} requests per connection", s.server.max_requests_per_connection)
        }
        CloseReason::Error => "reset".into(),
        CloseReason::Open => "still open".into(),
    }
}

/// Round trips a TLS handshake of this mode adds before the first request.
pub fn tls_round_trips(s: &Scenario, mode: TlsMode) -> u32 {
    use crate::scenario::TlsVersion;
    match (s.tls.version, mode) {
        (TlsVersion::None, _) | (_, TlsMode::None) | (_, TlsMode::EarlyData) => 0,
        (TlsVersion::Tls12, TlsMode::Full) => 2,
        _ => 1,
    }
}
