//! The "why" panel's lines for a QUIC datagram (HTTP/3 build only): each
//! QUIC packet it carries with its packet-number space and number, read
//! from the engine's trace (`PacketInfo::quic`); the frames are the
//! engine's own label of the datagram.

use reuse_sim::time::fixed;
use reuse_sim::trace::{PacketInfo, QuicPacket};
use reuse_sim::Scenario;

/// "1-RTT packet 7 (application data space) · 1252 bytes · ack-eliciting".
pub fn packet(q: &QuicPacket) -> String {
    format!(
        "{} packet {} ({} number space) · {} bytes{}",
        q.packet_type.label(),
        q.pn,
        q.space.as_str(),
        q.bytes,
        if q.ack_eliciting { " · ack-eliciting" } else { "" }
    )
}

/// The datagram's size and the sender's congestion window.
pub fn window(p: &PacketInfo, scenario: &Scenario) -> String {
    let mtu = scenario.quic.max_datagram_size_bytes.max(1) as f64;
    format!(
        "UDP payload {} bytes · sender's congestion window {} bytes ({} datagrams)",
        p.payload_bytes,
        p.cwnd_bytes,
        fixed(p.cwnd_bytes as f64 / mtu, 1)
    )
}
