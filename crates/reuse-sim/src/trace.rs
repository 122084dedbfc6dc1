//! The trace: everything that happened, in order, with its cause.
//!
//! Events are structured (ids and enums, no strings) so that recording them
//! costs a `Vec::push`; [`crate::describe`] renders each cause in words
//! when a person needs it ("connection 3 closed: server idle timeout 5000 ms").
//! Views draw from the trace alone: every packet carries its send, departure
//! and arrival times, every request phase and every close has an event.

use serde::Serialize;

#[cfg(feature = "cubic")]
use crate::time::SimDuration;
use crate::time::SimTime;

mod close;
mod cwnd;
mod pause;
mod quic;
mod tcp_state;

pub use close::CloseReason;
pub use cwnd::{BbrMode, CwndCause};
pub use pause::PauseAt;
pub use quic::*;
pub use tcp_state::TcpState;

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
    /// An HTTP response (HTTP/1.x message, or HTTP/2 HEADERS + DATA frames),
    /// or the last part of a streamed one.
    Response(ReqIdx),
    /// QUIC: the server's ServerHello, in its Initial packets.
    ServerHello,
    /// QUIC: the server's EncryptedExtensions, Certificate, CertificateVerify
    /// and Finished of a full handshake, in its Handshake packets (a resumed
    /// handshake sends `ServerHandshake`: EncryptedExtensions and Finished).
    ServerCertificate,
    /// HTTP/3 control stream: its stream type, SETTINGS, and the QPACK
    /// encoder and decoder stream types (RFC 9114 §6.2.1, RFC 9204 §4.2).
    H3Control,
    /// HTTP/3 GOAWAY on the control stream, before a graceful close.
    H3GoAway,
    /// *(added)* A part of a response the server streams (its headers, or
    /// one event, `push`); the response goes on. Its last part is a
    /// `Response`.
    #[cfg(feature = "push")]
    ResponsePart(ReqIdx),
}

impl Content {
    /// A TLS handshake message (handled by the transport, not HTTP).
    pub fn is_tls_handshake(self) -> bool {
        matches!(
            self,
            Content::ClientHello
                | Content::ServerHandshake
                | Content::ClientFinished
                | Content::ServerFinished
                | Content::SessionTicket
                | Content::ServerHello
                | Content::ServerCertificate
        )
    }

    pub fn request(self) -> Option<ReqIdx> {
        match self {
            Content::Request(r) | Content::EarlyRequest(r) | Content::Response(r) => Some(r),
            #[cfg(feature = "push")]
            Content::ResponsePart(r) => Some(r),
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
    /// QUIC only (absent for TCP): the QUIC packets this UDP datagram
    /// carries, with their packet-number spaces, packet numbers and frames.
    /// For a QUIC datagram `flags` are all false and `seq`, `ack` are 0 (QUIC
    /// numbers packets, not bytes); `payload_bytes` is the UDP payload (every
    /// QUIC packet with its header, padding and AEAD tag), `wire_bytes` adds
    /// the IPv4 and UDP headers; `content` is the first message any frame
    /// carries and `retransmission` says some frame resends lost data.
    /// Only in builds with QUIC (the engine's feature `quic`): without it a
    /// trace entry owns no heap memory, so dropping a trace frees one block.
    #[cfg(feature = "quic")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quic: Option<Box<QuicDatagram>>,
    /// *(added)* What is special about this packet, when something is
    /// (absent for ordinary packets).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<PacketNote>,
}

/// *(added)* A packet that is neither data nor an ordinary control segment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PacketNote {
    /// A TCP keep-alive probe (RFC 9293 §3.8.4): no data, SEG.SEQ =
    /// SND.NXT − 1, so the peer answers with an ACK.
    KeepaliveProbe,
    /// A reset sent by a middlebox on the path (recorded as coming from the
    /// peer's direction), not by the peer.
    MiddleboxReset,
}

/// *(added)* Why TCP gave a connection up (ETIMEDOUT).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TcpTimeout {
    /// Keep-alive probes went unanswered (`tcp_keepalive_probes`).
    KeepaliveProbes,
    /// A segment was retransmitted until `tcp_retries2` (15) ran out.
    Retransmissions,
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

/// Why a request failed (a result, not a simulation error).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FailureReason {
    /// The connection closed before any of the response arrived, and it
    /// was a new connection: browsers retry only on a reused one (where a
    /// close may be the keep-alive race), never on a fresh one.
    LostOnNewConnection,
    /// Lost to a close a second time: browsers retry once.
    LostAgain,
    /// The connection closed while the response was arriving.
    ResponseCut,
    /// It waits for a request that failed.
    DependencyFailed,
    /// The run stopped (its event or time cap) before it finished.
    Unfinished,
    /// *(added)* The response never came and never could: a middlebox
    /// forgot the connection and nothing on the client watched it (no TCP
    /// keep-alive, nothing unacknowledged to retransmit). A real client
    /// waits until an application timeout.
    NoResponse,
    /// The connection opened for it never finished its handshake (QUIC's
    /// idle timeout ended it first): as a browser does on a failed connect,
    /// the oldest request waiting for a connection to that host fails
    /// instead of opening another attempt after another.
    ConnectFailed,
}

/// Why a segment was taken for lost and sent again.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LossCause {
    /// The retransmission timer fired (RFC 6298).
    Timeout,
    /// Three duplicate ACKs: fast retransmit (RFC 5681 §3.2).
    DuplicateAcks,
    /// NewReno: a partial ACK during recovery points at the next hole (RFC 6582).
    PartialAck,
    /// Three segments above it were SACKed (RFC 6675 IsLost).
    Sack,
    /// A segment sent after it arrived, a round trip (plus the reordering
    /// window) after it left (RACK, RFC 8985 §6.2).
    Rack,
    /// A tail loss probe: the last segment sent again after 2·SRTT without
    /// an ACK, so that its ACK finds a lost tail (TLP, RFC 8985 §7.3).
    TailLossProbe,
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
    /// The client writes the request on the connection (it leaves as the
    /// transport allows): its header bytes after compression, and its size
    /// on the wire with any framing.
    RequestWritten {
        request: ReqIdx,
        conn: ConnId,
        header_bytes: u64,
        wire_bytes: u64,
    },
    /// The request's first byte is handed to the network; it starts to
    /// leave the client's bottleneck at `leaves_ms` (after any queue there).
    RequestSent {
        request: ReqIdx,
        conn: ConnId,
        #[serde(rename = "leaves_ms")]
        leaves: SimTime,
    },
    /// The request's last byte is handed to the network; it has left the
    /// client at `departed_ms` (the end of DevTools' "Request sent").
    RequestDeparted {
        request: ReqIdx,
        conn: ConnId,
        #[serde(rename = "departed_ms")]
        departed: SimTime,
    },
    /// The server has the whole request but is still working on `behind`, an
    /// earlier request on the same connection: with pipelining and serial
    /// processing it answers in request order (head-of-line blocking).
    ServerQueued {
        request: ReqIdx,
        conn: ConnId,
        behind: ReqIdx,
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
    /// The server writes the response (it leaves as the transport allows):
    /// header bytes after compression, size on the wire with any framing.
    ResponseWritten {
        request: ReqIdx,
        conn: ConnId,
        header_bytes: u64,
        wire_bytes: u64,
    },
    ResponseFirstByte {
        request: ReqIdx,
        conn: ConnId,
    },
    /// Bytes of the response reached the client but wait behind a lost
    /// packet (`behind`, its id): the transport delivers in order. Over TCP
    /// every response on the connection waits (head-of-line blocking); over
    /// QUIC only the streams that packet carried.
    ResponseHeld {
        request: ReqIdx,
        conn: ConnId,
        bytes: u64,
        behind: u64,
    },
    /// The lost packet came again: the `bytes` of the response that waited
    /// behind it go up at once.
    ResponseReleased {
        request: ReqIdx,
        conn: ConnId,
        bytes: u64,
    },
    /// The response's last byte is in order at the client: `bytes` arrived
    /// for it in all (HTTP/2 frame headers included).
    ResponseComplete {
        request: ReqIdx,
        conn: ConnId,
        bytes: u64,
    },
    /// Sent on a connection the server had already closed (the keep-alive
    /// race), or cut by a close: it will be sent again.
    RequestLost {
        request: ReqIdx,
        conn: ConnId,
        closed_by: CloseReason,
        /// When the lost attempt's first byte left the client.
        #[serde(rename = "sent_ms")]
        sent: SimTime,
    },
    /// The request will not complete; `conn` 0 if it never had one.
    RequestFailed {
        request: ReqIdx,
        conn: ConnId,
        reason: FailureReason,
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
    /// Everything the server wrote has left and it waits for a request: its
    /// keep-alive timer will close the connection at `deadline_ms` (the
    /// longer first-request timeout before any request).
    ServerIdleTimerStarted {
        conn: ConnId,
        #[serde(rename = "deadline_ms")]
        deadline: SimTime,
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
    /// `side` answers a segment with a reset: data reached it after its
    /// application closed the socket, or a segment reached a connection it
    /// no longer has (RFC 9293 §3.10.7.1, §3.10.7.4).
    Reset {
        conn: ConnId,
        side: Side,
        /// What arrived: data (`true`), or only a FIN or ACK.
        data: bool,
    },
    /// A segment (or SYN) is sent again; `cause` says why it was taken for lost.
    Retransmit {
        conn: ConnId,
        side: Side,
        seq: u64,
        cause: LossCause,
    },
    CongestionWindow {
        conn: ConnId,
        side: Side,
        cause: CwndCause,
        cwnd_bytes: u64,
        ssthresh_bytes: u64,
    },
    /// BBR changed mode, with its model of the path at that moment: the
    /// bottleneck bandwidth, the min RTT, and the pacing rate and window
    /// they give. (Only builds with BBR, the feature `cubic`, have it: the
    /// first load leaves it out.)
    #[cfg(feature = "cubic")]
    BbrModeChanged {
        conn: ConnId,
        side: Side,
        from: BbrMode,
        to: BbrMode,
        bandwidth_bytes_per_s: u64,
        min_rtt: SimDuration,
        pacing_bytes_per_s: u64,
        cwnd_bytes: u64,
    },
    /// BBR's pacing rate moved by an eighth or more since it was last
    /// shown: a gain (by mode) times the bottleneck bandwidth estimate.
    #[cfg(feature = "cubic")]
    BbrPacing {
        conn: ConnId,
        side: Side,
        mode: BbrMode,
        pacing_bytes_per_s: u64,
        bandwidth_bytes_per_s: u64,
    },
    /// A QUIC endpoint's state changes.
    QuicStateChanged {
        conn: ConnId,
        side: Side,
        from: QuicState,
        to: QuicState,
    },
    /// A QUIC connection's first flight leaves: transport and TLS 1.3
    /// handshakes in one (RFC 9001), in `mode`.
    QuicHandshakeStarted {
        conn: ConnId,
        mode: TlsMode,
    },
    /// The server has sent three times what it received from a client whose
    /// address is not yet validated: `waiting_bytes` of its handshake flight
    /// wait for the client's next datagram (RFC 9000 §8.1).
    QuicAmplificationLimit {
        conn: ConnId,
        received_bytes: u64,
        sent_bytes: u64,
        waiting_bytes: u64,
    },
    /// The server received a Handshake packet: the client's address is
    /// validated and the 3× limit ends (RFC 9000 §8.1).
    QuicAddressValidated {
        conn: ConnId,
    },
    /// The sender declares a packet lost; its frames' data goes out again in
    /// new packets (QUIC never resends a packet as it was).
    QuicPacketLost {
        conn: ConnId,
        side: Side,
        /// The datagram's packet id (`PacketSent.id`).
        id: u64,
        space: PnSpace,
        pn: u64,
        reason: QuicLossReason,
    },
    /// The probe timeout fired with no acknowledgment for a while: probes
    /// leave, the timeout doubles (RFC 9002 §6.2).
    QuicProbeTimeout {
        conn: ConnId,
        side: Side,
        space: PnSpace,
        /// Expiries in a row, this one included.
        pto_count: u32,
        #[serde(rename = "pto_ms")]
        pto: crate::time::SimDuration,
        probes: u32,
    },
    /// Bytes of a stream arrived beyond a gap: that stream waits for its
    /// lost data; the `continuing` streams are not held back (RFC 9000 §2.2).
    QuicStreamBlocked {
        conn: ConnId,
        to: Side,
        stream: u64,
        content: Content,
        held_bytes: u64,
        missing_from: u64,
        continuing: Vec<u64>,
    },
    /// The gap of a blocked stream is filled: `delivered_bytes` go up at once.
    QuicStreamUnblocked {
        conn: ConnId,
        to: Side,
        stream: u64,
        content: Content,
        delivered_bytes: u64,
    },
    /// No packet for the idle timeout: `side` forgets the connection
    /// without a packet (RFC 9000 §10.1). `reason` is how the results report
    /// it: the side whose `max_idle_timeout` is the smaller.
    QuicIdleTimeout {
        conn: ConnId,
        side: Side,
        #[serde(rename = "timeout_ms")]
        timeout: crate::time::SimDuration,
        reason: CloseReason,
    },
    /// *(added)* The middlebox on the path (`network.middlebox`) forgot the
    /// connection: no packet for its idle timeout. Nothing goes on the wire;
    /// neither end knows yet.
    MiddleboxForgot {
        conn: ConnId,
    },
    /// *(added)* Packet `id` from `from` reached the middlebox after it had
    /// forgotten the connection: it goes no further (and is answered with a
    /// reset when `network.middlebox.on_expired` is `rst`).
    MiddleboxRejected {
        conn: ConnId,
        id: u64,
        from: Side,
    },
    /// *(added)* `side` gave the connection up (ETIMEDOUT): unanswered
    /// keep-alive probes, or retransmissions until `tcp_retries2`.
    TcpTimedOut {
        conn: ConnId,
        side: Side,
        cause: TcpTimeout,
    },
    #[cfg(feature = "push")]
    PushEvent {
        event: u32,
    },
    #[cfg(feature = "push")]
    LongPollHeld {
        request: ReqIdx,
        conn: ConnId,
    },
    #[cfg(feature = "push")]
    PushWritten {
        event: u32,
        request: ReqIdx,
        conn: ConnId,
        part_bytes: u64,
    },
    #[cfg(feature = "push")]
    PushDelivered {
        event: u32,
        request: ReqIdx,
        conn: ConnId,
    },
    /// Every request has its response.
    PageLoaded {
        /// Requests that failed instead (0 on a page that loaded whole).
        failed: u32,
    },
    /// The simulation stopped watching (drain period over), after
    /// `scheduler_events` events.
    End {
        scheduler_events: u64,
    },
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TraceEvent {
    #[serde(rename = "time_ms")]
    pub time: SimTime,
    #[serde(flatten)]
    pub kind: EventKind,
}
