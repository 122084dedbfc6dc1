//! The trace: everything that happened, in order, with its cause.
//!
//! Events are structured (ids and enums, no strings) so that recording them
//! costs a `Vec::push`; [`crate::describe`] renders each cause in words
//! when a person needs it ("connection 3 closed: server idle timeout 5000 ms").
//! Views draw from the trace alone: every packet carries its send, departure
//! and arrival times, every request phase and every close has an event.

use serde::Serialize;
use std::fmt;

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

    /// Short words for the mark at the end of a connection's lane.
    pub fn label(self) -> &'static str {
        match self {
            CloseReason::ServerClose => "closed by server",
            CloseReason::ServerIdleTimeout => "server idle timeout",
            CloseReason::ClientIdleTimeout => "client idle timeout",
            CloseReason::MaxRequests => "max requests",
            CloseReason::Error => "reset",
            CloseReason::Open => "still open",
        }
    }

    /// The side whose decision this close was, if one side decided.
    pub fn side(self) -> Option<Side> {
        match self {
            CloseReason::ServerClose | CloseReason::ServerIdleTimeout | CloseReason::MaxRequests => {
                Some(Side::Server)
            }
            CloseReason::ClientIdleTimeout => Some(Side::Client),
            CloseReason::Error | CloseReason::Open => None,
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
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quic: Option<Box<QuicDatagram>>,
}

/// The QUIC packets of one UDP datagram (RFC 9000 §12.2: packets of several
/// number spaces may share, "coalesce" into, one datagram).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct QuicDatagram {
    pub packets: Vec<QuicPacket>,
}

/// One QUIC packet inside a datagram.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct QuicPacket {
    #[serde(rename = "type")]
    pub packet_type: QuicPacketType,
    pub space: PnSpace,
    /// Packet number, counted from 0 in each number space (RFC 9000 §12.3).
    pub pn: u64,
    /// The packet's bytes: header, frames, padding and AEAD tag.
    pub bytes: u32,
    /// Carries a frame other than ACK, PADDING or CONNECTION_CLOSE, so the
    /// peer must acknowledge it and it counts toward the congestion window
    /// (RFC 9002 §2).
    pub ack_eliciting: bool,
    pub frames: SmallList<QuicFrame, 4>,
    /// The ACK frame's ranges, largest first, as `[smallest, largest]`
    /// packet numbers (empty when the packet has no ACK frame).
    #[serde(skip_serializing_if = "<[(u64, u64)]>::is_empty")]
    pub ack_ranges: SmallList<(u64, u64), 2>,
}

/// A list that keeps its first `N` items inline (a datagram's few frames
/// need no allocation of their own); it reads as a slice and serializes as
/// a JSON array.
#[derive(Clone)]
pub struct SmallList<T: Copy + Default, const N: usize> {
    len: u32,
    inline: [T; N],
    /// Every item, once there are more than `N`.
    spilled: Vec<T>,
}

impl<T: Copy + Default, const N: usize> SmallList<T, N> {
    pub fn new() -> Self {
        SmallList { len: 0, inline: [T::default(); N], spilled: Vec::new() }
    }

    pub fn push(&mut self, item: T) {
        let len = self.len as usize;
        if len < N {
            self.inline[len] = item;
        } else {
            if len == N {
                self.spilled = self.inline.to_vec();
            }
            self.spilled.push(item);
        }
        self.len += 1;
    }

    /// Puts `item` first.
    pub fn push_front(&mut self, item: T) {
        self.push(item);
        let items: &mut [T] = self;
        items.rotate_right(1);
    }
}

impl<'a, T: Copy + Default, const N: usize> IntoIterator for &'a SmallList<T, N> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<T: Copy + Default, const N: usize> Default for SmallList<T, N> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: Copy + Default, const N: usize> std::ops::Deref for SmallList<T, N> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        if self.len as usize <= N {
            &self.inline[..self.len as usize]
        } else {
            &self.spilled
        }
    }
}

impl<T: Copy + Default, const N: usize> std::ops::DerefMut for SmallList<T, N> {
    fn deref_mut(&mut self) -> &mut [T] {
        if self.len as usize <= N {
            &mut self.inline[..self.len as usize]
        } else {
            &mut self.spilled
        }
    }
}

impl<T: Copy + Default, const N: usize> FromIterator<T> for SmallList<T, N> {
    fn from_iter<I: IntoIterator<Item = T>>(items: I) -> Self {
        let mut list = Self::new();
        for item in items {
            list.push(item);
        }
        list
    }
}

impl<T: Copy + Default + PartialEq, const N: usize> PartialEq for SmallList<T, N> {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl<T: Copy + Default + fmt::Debug, const N: usize> fmt::Debug for SmallList<T, N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<T: Copy + Default + Serialize, const N: usize> Serialize for SmallList<T, N> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = s.serialize_seq(Some(self.len()))?;
        for item in self.iter() {
            seq.serialize_element(item)?;
        }
        seq.end()
    }
}

/// QUIC packet types (RFC 9000 §17): long-header Initial, 0-RTT and
/// Handshake packets, short-header 1-RTT packets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum QuicPacketType {
    #[serde(rename = "initial")]
    Initial,
    #[serde(rename = "0rtt")]
    ZeroRtt,
    #[serde(rename = "handshake")]
    Handshake,
    #[serde(rename = "1rtt")]
    OneRtt,
}

impl QuicPacketType {
    pub fn space(self) -> PnSpace {
        match self {
            QuicPacketType::Initial => PnSpace::Initial,
            QuicPacketType::Handshake => PnSpace::Handshake,
            QuicPacketType::ZeroRtt | QuicPacketType::OneRtt => PnSpace::Application,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            QuicPacketType::Initial => "Initial",
            QuicPacketType::ZeroRtt => "0-RTT",
            QuicPacketType::Handshake => "Handshake",
            QuicPacketType::OneRtt => "1-RTT",
        }
    }
}

/// QUIC's three packet-number spaces (RFC 9000 §12.3), each acknowledged
/// on its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PnSpace {
    Initial,
    Handshake,
    Application,
}

impl PnSpace {
    pub const ALL: [PnSpace; 3] = [PnSpace::Initial, PnSpace::Handshake, PnSpace::Application];

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn as_str(self) -> &'static str {
        match self {
            PnSpace::Initial => "Initial",
            PnSpace::Handshake => "Handshake",
            PnSpace::Application => "application data",
        }
    }
}

/// A frame of a QUIC packet (RFC 9000 §19), as much of it as the model needs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(tag = "frame", rename_all = "snake_case")]
pub enum QuicFrame {
    /// PADDING bytes (Initial datagrams are padded, RFC 9000 §14.1).
    Padding { bytes: u32 },
    #[default]
    Ping,
    /// ACK: its ranges are the packet's `ack_ranges`.
    Ack {
        largest: u64,
        #[serde(rename = "ack_delay_ms")]
        ack_delay: crate::time::SimDuration,
    },
    /// Bytes of a TLS message in the number space's CRYPTO stream.
    Crypto { offset: u64, bytes: u32, content: Content, message_bytes: u64 },
    /// Bytes of a stream: a request, a response, the HTTP/3 control stream.
    Stream { id: u64, offset: u64, bytes: u32, fin: bool, content: Content },
    /// The server confirms the handshake (RFC 9000 §19.20).
    HandshakeDone,
    /// CONNECTION_CLOSE of the application (H3_NO_ERROR, RFC 9114 §8.1).
    ConnectionClose,
}

impl QuicFrame {
    /// Frames that make a packet ack-eliciting (RFC 9002 §2).
    pub fn ack_eliciting(self) -> bool {
        !matches!(self, QuicFrame::Padding { .. } | QuicFrame::Ack { .. } | QuicFrame::ConnectionClose)
    }
}

/// A QUIC endpoint's state (RFC 9000 §10): before its first packet, during
/// the handshake, after it, and the closing periods.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum QuicState {
    Idle,
    Handshake,
    Established,
    /// It sent CONNECTION_CLOSE and answers anything with it again, for 3 PTO.
    Closing,
    /// It received CONNECTION_CLOSE and sends nothing, for 3 PTO.
    Draining,
    Closed,
}

impl QuicState {
    pub fn as_str(self) -> &'static str {
        match self {
            QuicState::Idle => "idle",
            QuicState::Handshake => "handshake",
            QuicState::Established => "established",
            QuicState::Closing => "closing",
            QuicState::Draining => "draining",
            QuicState::Closed => "closed",
        }
    }
}

/// Why a QUIC sender declared a packet lost (RFC 9002 §6.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum QuicLossReason {
    /// Three later packets were acknowledged (kPacketThreshold).
    PacketThreshold,
    /// A later packet was acknowledged and 9/8 RTT have passed since it was sent.
    TimeThreshold,
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
    /// QUIC: a packet was declared lost; the window halves once per round
    /// trip (RFC 9002 §7.3.2, NewReno).
    QuicLoss,
    /// QUIC: every packet over more than 3 PTO was lost; the window falls
    /// to its minimum of 2 datagrams (RFC 9002 §7.6).
    PersistentCongestion,
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
    /// Every request has its response.
    PageLoaded,
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
