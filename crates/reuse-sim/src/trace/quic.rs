//! What the trace says about QUIC: the packets a datagram coalesces, with
//! their number spaces, packet numbers and frames (RFC 9000 §12, §17, §19),
//! and the states and loss reasons the QUIC events name.

use serde::Serialize;
use std::fmt;

use super::Content;

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
