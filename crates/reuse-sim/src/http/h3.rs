//! HTTP/3 on the wire (RFC 9114): frames with variable-length integer types
//! and lengths, the control stream with SETTINGS, GOAWAY, and a model of
//! QPACK header compression (RFC 9204).
//!
//! Each request and its response have a QUIC stream of their own (the
//! transport numbers them 0, 4, 8 …); the server's responses take turns on
//! the connection in units of an HTTP/2 frame (`RESPONSE_INTERLEAVE`), so
//! that against HTTP/2 only the transport differs.
//!
//! **QPACK model.** A header block is a field section: a 2-byte prefix
//! (Required Insert Count, Delta Base, RFC 9204 §4.5.1) and the fields.
//! With the RFC's default dynamic table of 0 bytes, fields are static-table
//! references and literals, so every block is sent whole, the first as the
//! tenth (the model credits no Huffman saving, as HPACK's first block). When
//! both sides allow a dynamic table (`quic.qpack_max_table_capacity_bytes`)
//! at least as large as a block, later blocks on the connection shrink as
//! HPACK's do ([`super::h2::hpack_repeat`]); the encoder-stream
//! instructions that fill the table count in the first block.

use crate::engine::Net;
use crate::http::{h2, Message};
use crate::scenario::Scenario;
use crate::trace::{ConnId, Content, Side};
use crate::transport::varint_len;
use crate::transport::Interleave;

/// Frame types (RFC 9114 §7.2).
pub const DATA: u64 = 0x00;
pub const HEADERS: u64 = 0x01;
pub const SETTINGS: u64 = 0x04;
pub const GOAWAY: u64 = 0x07;
/// Unidirectional stream types: control (RFC 9114 §6.2.1), QPACK encoder
/// and decoder (RFC 9204 §4.2).
pub const CONTROL_STREAM: u64 = 0x00;
pub const QPACK_ENCODER_STREAM: u64 = 0x02;
pub const QPACK_DECODER_STREAM: u64 = 0x03;
/// Settings (RFC 9204 §5, RFC 9114 §7.2.4.1).
pub const SETTINGS_QPACK_MAX_TABLE_CAPACITY: u64 = 0x01;
pub const SETTINGS_MAX_FIELD_SECTION_SIZE: u64 = 0x06;
pub const SETTINGS_QPACK_BLOCKED_STREAMS: u64 = 0x07;
/// What clients commonly advertise as their largest header section.
pub const MAX_FIELD_SECTION_SIZE: u64 = 65_536;
/// Streams that may wait for dynamic-table updates, when there is a table.
pub const QPACK_BLOCKED_STREAMS: u64 = 100;
/// QPACK's field section prefix (RFC 9204 §4.5.1).
pub const FIELD_SECTION_PREFIX_BYTES: u64 = 2;

/// Responses take turns as HTTP/2's do: one 16 KB frame's worth at a time.
pub(crate) const RESPONSE_INTERLEAVE: Interleave =
    Interleave::RoundRobin { unit: h2::MAX_FRAME_PAYLOAD + h2::FRAME_HEADER_BYTES };

/// A frame's bytes: type and length as varints, then the payload.
pub fn frame_bytes(frame_type: u64, payload: u64) -> u64 {
    varint_len(frame_type) as u64 + varint_len(payload) as u64 + payload
}

/// A header block after QPACK, prefix included (see the module notes).
pub fn field_section(headers_sent: &mut bool, fields: u64, table_capacity: u64) -> u64 {
    let repeat = *headers_sent && table_capacity >= fields;
    *headers_sent = true;
    FIELD_SECTION_PREFIX_BYTES + if repeat { h2::hpack_repeat(fields) } else { fields }
}

/// A request: one HEADERS frame.
pub fn request(headers_sent: &mut bool, request_bytes: u64, sc: &Scenario) -> Message {
    let capacity = sc.quic.qpack_max_table_capacity_bytes as u64;
    let section = field_section(headers_sent, request_bytes, capacity);
    Message { header_bytes: section, wire_bytes: frame_bytes(HEADERS, section) }
}

/// A response: HEADERS, then the body in one DATA frame (HTTP/3 has no
/// frame size limit; none when the body is empty).
pub fn response(headers_sent: &mut bool, header_bytes: u64, total_bytes: u64, sc: &Scenario) -> Message {
    let capacity = sc.quic.qpack_max_table_capacity_bytes as u64;
    let section = field_section(headers_sent, header_bytes, capacity);
    let body = total_bytes - header_bytes;
    let data = if body > 0 { frame_bytes(DATA, body) } else { 0 };
    Message { header_bytes: section, wire_bytes: frame_bytes(HEADERS, section) + data }
}

/// A side's control stream as it opens: the stream type, SETTINGS, and the
/// one-byte types of the QPACK encoder and decoder streams (counted here:
/// the model gives them no streams of their own).
pub fn control_stream_bytes(sc: &Scenario) -> u64 {
    let capacity = sc.quic.qpack_max_table_capacity_bytes as u64;
    let mut settings = vec![(SETTINGS_MAX_FIELD_SECTION_SIZE, MAX_FIELD_SECTION_SIZE)];
    if capacity > 0 {
        settings.push((SETTINGS_QPACK_MAX_TABLE_CAPACITY, capacity));
        settings.push((SETTINGS_QPACK_BLOCKED_STREAMS, QPACK_BLOCKED_STREAMS));
    }
    let payload: u64 = settings.iter().map(|&(id, value)| (varint_len(id) + varint_len(value)) as u64).sum();
    varint_len(CONTROL_STREAM) as u64
        + frame_bytes(SETTINGS, payload)
        + varint_len(QPACK_ENCODER_STREAM) as u64
        + varint_len(QPACK_DECODER_STREAM) as u64
}

/// GOAWAY naming the first request stream the server will not process.
pub fn goaway_bytes(stream_id: u64) -> u64 {
    frame_bytes(GOAWAY, varint_len(stream_id) as u64)
}

/// A side opens its control stream: the client before its first request,
/// the server when the client's arrives.
pub(crate) fn write_control_stream(net: &mut Net, c: ConnId, side: Side, sc: &Scenario) {
    net.write(c, side, Content::H3Control, control_stream_bytes(sc), Interleave::InOrder);
}

/// GOAWAY before the server closes an idle connection; CONNECTION_CLOSE
/// follows (the transport's close).
pub(crate) fn write_goaway(net: &mut Net, c: ConnId, next_stream: u32) {
    net.write(c, Side::Server, Content::H3GoAway, goaway_bytes(next_stream as u64), Interleave::InOrder);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scenario(capacity: u32) -> Scenario {
        let mut s = Scenario::new("h3", 100.0, vec![crate::RequestSpec::new("a", 1000)]);
        s.quic.qpack_max_table_capacity_bytes = capacity;
        s
    }

    #[test]
    fn frames_carry_varint_type_and_length() {
        // HEADERS of 402 bytes: type (1) + length 402 (2) + payload.
        assert_eq!(frame_bytes(HEADERS, 402), 1 + 2 + 402);
        assert_eq!(frame_bytes(DATA, 63), 1 + 1 + 63);
        assert_eq!(frame_bytes(DATA, 20_000), 1 + 4 + 20_000);
    }

    #[test]
    fn without_a_dynamic_table_every_header_block_is_sent_whole() {
        let s = scenario(0);
        let mut sent = false;
        let first = request(&mut sent, 400, &s);
        let second = request(&mut sent, 400, &s);
        assert_eq!(first, second);
        assert_eq!(first.header_bytes, 402);
        assert_eq!(first.wire_bytes, 1 + 2 + 402);
    }

    #[test]
    fn with_a_dynamic_table_repeated_blocks_shrink_as_hpack_does() {
        let s = scenario(4096);
        let mut sent = false;
        assert_eq!(request(&mut sent, 400, &s).header_bytes, 402);
        assert_eq!(request(&mut sent, 400, &s).header_bytes, 2 + 40);
        // A table smaller than the block cannot hold it.
        let small = scenario(100);
        let mut sent = true;
        assert_eq!(request(&mut sent, 400, &small).header_bytes, 402);
    }

    #[test]
    fn a_response_is_headers_and_one_data_frame() {
        let s = scenario(0);
        let mut sent = false;
        let m = response(&mut sent, 300, 1000, &s);
        assert_eq!(m.header_bytes, 302);
        assert_eq!(m.wire_bytes, (1 + 2 + 302) + (1 + 2 + 700));
        let empty = response(&mut sent, 300, 300, &s);
        assert_eq!(empty.wire_bytes, 1 + 2 + 302, "no DATA frame for an empty body");
    }

    #[test]
    fn the_control_stream_opens_with_settings() {
        // Stream type, SETTINGS (type, length 5, max_field_section_size
        // 65536: 1 + 4 bytes), encoder and decoder stream types.
        assert_eq!(control_stream_bytes(&scenario(0)), 1 + (1 + 1 + 5) + 1 + 1);
        assert_eq!(goaway_bytes(8), 1 + 1 + 1);
    }
}
