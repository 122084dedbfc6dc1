//! HTTP/1.0 and HTTP/1.1 on the wire: messages as plain bytes, one
//! response per request, in request order.
//!
//! What makes a connection persistent (`Connection: keep-alive` for
//! HTTP/1.0, the default for HTTP/1.1) is [`Protocol::persistent`]; when the
//! server closes after a response (no keep-alive, or its request limit with
//! `Connection: close`) is [`closes_after`]; pipelining's in-order responses
//! are the server's `order` queue ([`crate::http::server`]).
//!
//! [`Protocol::persistent`]: crate::scenario::Protocol

use crate::http::Message;

/// A request as HTTP/1.x writes it: its headers are its bytes.
pub fn request(request_bytes: u64) -> Message {
    Message { header_bytes: request_bytes, wire_bytes: request_bytes }
}

/// A response as HTTP/1.x writes it: headers then body, nothing added.
pub fn response(header_bytes: u64, total_bytes: u64) -> Message {
    Message { header_bytes, wire_bytes: total_bytes }
}

/// Does the server close the connection after answering this request
/// (RFC 9112 §9.6): always without keep-alive, when the request reaches the
/// server's per-connection limit, and after an error response from a server
/// that closes on errors (it sends `Connection: close`). An error alone
/// keeps the connection (RFC 9112 §9.3).
pub fn closes_after(persistent: bool, requests_so_far: u32, max_requests: u32, error_close: bool) -> bool {
    !persistent || requests_so_far >= max_requests || error_close
}
