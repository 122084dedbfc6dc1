//! QUIC on the wire: the sizes of headers and frames, and of the TLS
//! messages QUIC carries in CRYPTO frames. Each constant cites where its
//! value comes from; nothing here sends anything.

use crate::time::SimDuration;
use crate::trace::QuicPacketType;

/// IPv4 header (RFC 791, 20 bytes) + UDP header (RFC 768, 8 bytes): on the
/// wire with every datagram, outside what QUIC counts as its datagram size.
pub const IPV4_UDP_HEADER_BYTES: u32 = 28;
/// Connection IDs of 8 bytes (RFC 9000 §17.2 allows 0–20; quinn, quiche
/// and Chrome use 8).
pub const CONNECTION_ID_BYTES: u32 = 8;
/// Packet numbers encoded in 2 bytes (RFC 9000 §17.1 allows 1–4; 2 cover
/// far more unacknowledged packets than a window here holds, §A.2).
pub const PACKET_NUMBER_BYTES: u32 = 2;
/// AEAD_AES_128_GCM's authentication tag (RFC 9001 §5.3).
pub const AEAD_TAG_BYTES: u32 = 16;
/// Short header (RFC 9000 §17.3.1): first byte, destination CID, packet number.
pub const SHORT_HEADER_BYTES: u32 = 1 + CONNECTION_ID_BYTES + PACKET_NUMBER_BYTES;
/// Long header (RFC 9000 §17.2): first byte, version (4), DCID length and
/// DCID, SCID length and SCID, Length (a 2-byte varint), packet number.
pub const LONG_HEADER_BYTES: u32 =
    1 + 4 + 1 + CONNECTION_ID_BYTES + 1 + CONNECTION_ID_BYTES + 2 + PACKET_NUMBER_BYTES;
/// Initial packets add a Token Length varint (RFC 9000 §17.2.2): 1 byte
/// for the empty token of a first connection.
pub const INITIAL_TOKEN_LENGTH_BYTES: u32 = 1;

/// A QUIC packet's bytes besides its frames: header and AEAD tag.
pub fn packet_overhead(t: QuicPacketType) -> u32 {
    let header = match t {
        QuicPacketType::Initial => LONG_HEADER_BYTES + INITIAL_TOKEN_LENGTH_BYTES,
        QuicPacketType::ZeroRtt | QuicPacketType::Handshake => LONG_HEADER_BYTES,
        QuicPacketType::OneRtt => SHORT_HEADER_BYTES,
    };
    header + AEAD_TAG_BYTES
}

pub use crate::transport::varint_len;

/// STREAM frame header (RFC 9000 §19.8): type, stream id, offset (when not
/// 0, the OFF bit), length (always, the LEN bit).
pub fn stream_frame_header(id: u64, offset: u64, len: u64) -> u32 {
    1 + varint_len(id) + if offset > 0 { varint_len(offset) } else { 0 } + varint_len(len)
}

/// CRYPTO frame header (RFC 9000 §19.6): type, offset, length.
pub fn crypto_frame_header(offset: u64, len: u64) -> u32 {
    1 + varint_len(offset) + varint_len(len)
}

/// ACK frame (RFC 9000 §19.3): type, largest acknowledged, ACK delay (in
/// units of 2^3 µs, the default ack_delay_exponent, §18.2), range count,
/// first range, and a gap and a length per further range.
pub fn ack_frame_bytes(ranges: &[(u64, u64)], ack_delay: SimDuration) -> u32 {
    let Some(&(first_lo, largest)) = ranges.first() else { return 0 };
    let delay_units = ack_delay.0 / 8_000;
    let mut bytes = 1
        + varint_len(largest)
        + varint_len(delay_units)
        + varint_len(ranges.len() as u64 - 1)
        + varint_len(largest - first_lo);
    let mut previous_lo = first_lo;
    for &(lo, hi) in &ranges[1..] {
        bytes += varint_len(previous_lo - hi - 2) + varint_len(hi - lo);
        previous_lo = lo;
    }
    bytes
}

/// PING (RFC 9000 §19.2) and HANDSHAKE_DONE (§19.20): a type byte.
pub const PING_BYTES: u32 = 1;
pub const HANDSHAKE_DONE_BYTES: u32 = 1;
/// CONNECTION_CLOSE of the application (type 0x1d, RFC 9000 §19.19):
/// type, error code H3_NO_ERROR (0x100, a 2-byte varint, RFC 9114 §8.1),
/// an empty reason phrase's length.
pub const CONNECTION_CLOSE_BYTES: u32 = 1 + 2 + 1;
/// ACK frames carry at most this many ranges (quinn keeps 64 on the
/// receiving side; older ranges have been acknowledged long before).
pub const MAX_ACK_RANGES: usize = 32;

// TLS 1.3 inside QUIC (RFC 9001 §4): the handshake messages, without TLS's
// record layer (QUIC's packets protect them instead).

/// A ClientHello with an x25519 key share, the QUIC transport parameters
/// (RFC 9001 §8.2) and ALPN "h3": about 280 bytes (no TLS padding
/// extension: QUIC pads the datagram instead).
pub const CLIENT_HELLO_BYTES: u64 = 280;
/// With a session ticket (pre_shared_key extension: identity and binder).
pub const CLIENT_HELLO_RESUME_BYTES: u64 = 520;
/// ServerHello with an x25519 key share and supported_versions (RFC 8446
/// §4.1.3): the server's only Initial-space handshake message.
pub const SERVER_HELLO_BYTES: u64 = 90;
/// A resumed handshake's Handshake-space flight: EncryptedExtensions with
/// the server's transport parameters, and Finished.
pub const SERVER_RESUMED_FLIGHT_BYTES: u64 = 120;
/// Finished: 4-byte header and a SHA-256 verify_data (RFC 8446 §4.4.4).
pub const FINISHED_BYTES: u64 = 36;
/// NewSessionTicket after the handshake (RFC 8446 §4.6.1), as over TCP.
pub const SESSION_TICKET_BYTES: u64 = crate::transport::tls::SESSION_TICKET_13_BYTES;

/// The server's Handshake-space flight of a full handshake: the scenario's
/// `tls.certificate_bytes` counts the whole first flight, ServerHello
/// included, as over TCP; the ServerHello goes in Initial packets.
pub fn certificate_flight_bytes(certificate_bytes: u64) -> u64 {
    certificate_bytes.saturating_sub(SERVER_HELLO_BYTES).max(SERVER_RESUMED_FLIGHT_BYTES)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_take_one_two_four_or_eight_bytes() {
        assert_eq!([varint_len(63), varint_len(64), varint_len(16_383), varint_len(16_384)], [1, 2, 2, 4]);
        assert_eq!(varint_len(1 << 30), 8);
    }

    #[test]
    fn headers_are_as_rfc_9000_lays_them_out() {
        assert_eq!(SHORT_HEADER_BYTES, 11);
        assert_eq!(LONG_HEADER_BYTES, 27);
        assert_eq!(packet_overhead(QuicPacketType::Initial), 28 + 16);
        assert_eq!(packet_overhead(QuicPacketType::OneRtt), 11 + 16);
    }

    #[test]
    fn an_ack_frame_grows_with_its_ranges() {
        // One range 12–15: type, largest, delay, count, first range.
        assert_eq!(ack_frame_bytes(&[(12, 15)], SimDuration::ZERO), 5);
        // A second range 3–9 below a gap: gap (12 - 9 - 2 = 1) and length 6.
        assert_eq!(ack_frame_bytes(&[(12, 15), (3, 9)], SimDuration::ZERO), 7);
        // 25 ms of delay is 3125 units of 8 µs: a 2-byte varint.
        assert_eq!(ack_frame_bytes(&[(0, 0)], SimDuration::from_millis(25)), 6);
    }

    #[test]
    fn stream_frames_carry_an_offset_only_past_zero() {
        assert_eq!(stream_frame_header(0, 0, 400), 1 + 1 + 2);
        assert_eq!(stream_frame_header(8, 20_000, 1000), 1 + 1 + 4 + 2);
    }
}
