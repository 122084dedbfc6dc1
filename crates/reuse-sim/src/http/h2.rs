//! HTTP/2 on the wire (RFC 9113): frames, the connection preface and
//! SETTINGS, GOAWAY, and a model of HPACK header compression (RFC 7541).
//!
//! Responses are cut into DATA frames of [`MAX_FRAME_PAYLOAD`] and take
//! turns in the send buffer one frame at a time (round-robin across active
//! streams), as the transport can take them.

use crate::engine::Net;
use crate::http::Message;
use crate::trace::{ConnId, Content, Side};
use crate::transport::Interleave;

/// Frame header (RFC 9113 §4.1).
pub const FRAME_HEADER_BYTES: u64 = 9;
/// SETTINGS_MAX_FRAME_SIZE initial value (RFC 9113 §6.5.2): DATA frames are
/// cut at this size, and the server round-robins between streams per frame.
pub const MAX_FRAME_PAYLOAD: u64 = 16_384;
/// Client connection preface (24) + SETTINGS (9 + 3×6) + WINDOW_UPDATE (13).
pub const CLIENT_PREFACE_BYTES: u64 = 64;
/// Server SETTINGS (9 + 3×6) + SETTINGS ack (9).
pub const SERVER_SETTINGS_BYTES: u64 = 36;
/// GOAWAY frame (9 + 8).
pub const GOAWAY_BYTES: u64 = 17;
/// HPACK model: after the first request (or response) on a connection has
/// filled the dynamic table, later header blocks shrink to this fraction
/// (the changed `:path` and a few one-byte indices) …
pub const HPACK_REPEAT_DIVISOR: u64 = 10;
/// … but never below this many bytes.
pub const HPACK_MIN_REPEAT_BYTES: u64 = 16;

/// How responses share the connection: one frame per turn.
pub(crate) const RESPONSE_INTERLEAVE: Interleave =
    Interleave::RoundRobin { unit: MAX_FRAME_PAYLOAD + FRAME_HEADER_BYTES };

/// HPACK model for a header block seen before on this connection.
pub fn hpack_repeat(bytes: u64) -> u64 {
    (bytes / HPACK_REPEAT_DIVISOR).max(HPACK_MIN_REPEAT_BYTES).min(bytes)
}

/// A request: one HEADERS frame, compressed once the table is warm.
pub fn request(headers_sent: &mut bool, request_bytes: u64) -> Message {
    let header = if *headers_sent { hpack_repeat(request_bytes) } else { request_bytes };
    *headers_sent = true;
    Message { header_bytes: header, wire_bytes: header + FRAME_HEADER_BYTES }
}

/// A response: HEADERS (compressed once the table is warm), then the body
/// in DATA frames of at most [`MAX_FRAME_PAYLOAD`], each with its header.
pub fn response(headers_sent: &mut bool, header_bytes: u64, total_bytes: u64) -> Message {
    let header_wire = if *headers_sent { hpack_repeat(header_bytes).min(header_bytes) } else { header_bytes };
    *headers_sent = true;
    let body = total_bytes - header_bytes;
    let data_frames = body.div_ceil(MAX_FRAME_PAYLOAD).max(1);
    Message {
        header_bytes: header_wire,
        wire_bytes: FRAME_HEADER_BYTES + header_wire + body + data_frames * FRAME_HEADER_BYTES,
    }
}

/// The client's connection preface and SETTINGS, before its first request.
pub(crate) fn write_client_preface(net: &mut Net, c: ConnId) {
    net.write(c, Side::Client, Content::H2Preface, CLIENT_PREFACE_BYTES, Interleave::InOrder);
}

/// The server answers the preface with its SETTINGS (and the ack).
pub(crate) fn write_server_settings(net: &mut Net, c: ConnId) {
    net.write(c, Side::Server, Content::H2Settings, SERVER_SETTINGS_BYTES, Interleave::InOrder);
}

/// A GOAWAY before the server closes an idle connection.
pub(crate) fn write_goaway(net: &mut Net, c: ConnId) {
    net.write(c, Side::Server, Content::H2GoAway, GOAWAY_BYTES, Interleave::InOrder);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_small_response_is_one_headers_and_one_data_frame() {
        let mut sent = false;
        let m = response(&mut sent, 300, 1000);
        assert_eq!(m, Message { header_bytes: 300, wire_bytes: 9 + 300 + 700 + 9 });
        assert!(sent);
    }

    #[test]
    fn a_body_over_one_frame_pays_a_header_per_frame() {
        let mut sent = true;
        let body = 2 * MAX_FRAME_PAYLOAD + 1;
        let m = response(&mut sent, 300, 300 + body);
        assert_eq!(m.header_bytes, 30, "a tenth of the repeated header block");
        assert_eq!(m.wire_bytes, 9 + 30 + body + 3 * 9);
    }

    #[test]
    fn hpack_repeats_cost_a_tenth_but_at_least_sixteen_bytes() {
        assert_eq!(hpack_repeat(400), 40);
        assert_eq!(hpack_repeat(100), 16);
        assert_eq!(hpack_repeat(10), 10, "never more than the block itself");
    }
}
