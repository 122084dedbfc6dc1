//! The words QUIC's events and datagrams say about themselves (compiled
//! with the `quic` feature only).

use super::{request_id, DescribeContext};
use crate::scenario::Scenario;
use crate::time::decimal;
use crate::trace::{
    Content, EventKind, QuicDatagram, QuicFrame, QuicLossReason, QuicState, TlsMode, TraceEvent,
};

/// A QUIC event in words.
pub(super) fn describe(event: &TraceEvent, cx: DescribeContext<'_>) -> String {
    let s = cx.scenario;
    match &event.kind {
        EventKind::QuicStateChanged { conn, side, from, to } => {
            let why = match to {
                QuicState::Idle => "",
                QuicState::Handshake => ": the handshake is under way",
                QuicState::Established => ": its handshake is complete",
                QuicState::Closing => {
                ": it sent CONNECTION_CLOSE and answers anything with it again for 3 PTO (RFC 9000 §10.2.1)"
                }
                QuicState::Draining => {
                ": it received CONNECTION_CLOSE and sends nothing more for 3 PTO (RFC 9000 §10.2.2)"
                }
                QuicState::Closed => ": it forgets the connection",
            };
            format!("connection {conn} {} (QUIC): {} → {}{why}", side.as_str(), from.as_str(), to.as_str())
            }
        EventKind::QuicHandshakeStarted { conn, mode } => {
            let how = match mode {
                TlsMode::EarlyData => {
                "resumed with 0-RTT: the requests ride in the first flight, 0 round trips".to_string()
                }
                TlsMode::Resumed => {
                "resumed with a session ticket, 1 round trip before the first request".to_string()
                }
                TlsMode::Full | TlsMode::None => format!(
                "full, 1 round trip before the first request (2 if the server's {}-byte first flight \
                 exceeds 3 × the client's {}-byte Initial)",
                s.tls.certificate_bytes, s.quic.max_datagram_size_bytes
                ),
            };
            let mut text = format!(
                "connection {conn}: QUIC handshake, transport and TLS 1.3 in one (RFC 9001): {how}; the \
                 client's Initial with its ClientHello is padded to {} bytes",
                s.quic.max_datagram_size_bytes
            );
            if s.tls.version != crate::scenario::TlsVersion::Tls13 {
                text.push_str(&format!(
                " (QUIC always uses TLS 1.3; tls.version \"{}\" applies to the versions over TCP)",
                s.tls.version.as_str()
                ));
            }
            text
            }
        EventKind::QuicAmplificationLimit { conn, received_bytes, sent_bytes, waiting_bytes } => format!(
            "connection {conn}: the server has sent {sent_bytes} bytes, 3 × the {received_bytes} it received \
             from a client whose address is not yet validated (RFC 9000 §8.1): {waiting_bytes} bytes of its \
             handshake flight wait for the client's next datagram"
            ),
        EventKind::QuicAddressValidated { conn } => format!(
            "connection {conn}: a Handshake packet from the client validates its address (RFC 9000 §8.1); \
             the server's 3× limit ends"
            ),
        EventKind::QuicPacketLost { conn, side, id, space, pn, reason } => format!(
            "connection {conn} {} declares packet {id} ({} packet number {pn}) lost: {}; its data goes out \
             again in new packets",
            side.as_str(),
            space.as_str(),
            match reason {
                QuicLossReason::PacketThreshold => {
                "three later packets were acknowledged (RFC 9002 §6.1.1)"
                }
                QuicLossReason::TimeThreshold => {
                "a later packet was acknowledged and 9/8 RTT have passed since it left (RFC 9002 §6.1.2)"
                }
            }
            ),
        EventKind::QuicProbeTimeout { conn, side, space, pto_count, pto, probes } => format!(
            "connection {conn} {}: no acknowledgment for {pto}, probe timeout {pto_count} in a row (RFC 9002 \
             §6.2): {probes} probe packet{} in the {} space; the next timeout doubles",
            side.as_str(),
            if *probes == 1 { "" } else { "s" },
            space.as_str()
            ),
        EventKind::QuicStreamBlocked { conn, to, stream, content, held_bytes, missing_from, continuing } => {
            let others = match continuing.as_slice() {
                [] => "no other stream is held back".to_string(),
                [one] => format!("stream {one} continues"),
                many => {
                let (last, rest) = many.split_last().expect("several");
                let rest: Vec<String> = rest.iter().map(|id| id.to_string()).collect();
                format!("streams {} and {last} continue", rest.join(", "))
                }
            };
            format!(
                "connection {conn}: stream {stream} ({}) waits for its lost packet: {held_bytes} bytes reached \
                 the {} beyond byte {missing_from}; {others} (QUIC orders bytes per stream, RFC 9000 §2.2)",
                stream_words(s, *content),
                to.as_str()
            )
            }
        EventKind::QuicStreamUnblocked { conn, stream, content, delivered_bytes, .. } => format!(
            "connection {conn}: the missing bytes of stream {stream} ({}) arrived: {delivered_bytes} bytes go \
             up at once",
            stream_words(s, *content)
            ),
        EventKind::QuicIdleTimeout { conn, side, timeout, reason } => format!(
            "connection {conn}: no packet for {timeout} (max_idle_timeout, the smaller of the client's {} ms \
             and the server's {} ms, and at least 3 PTO): the {} forgets the connection without a packet \
             (RFC 9000 §10.1); reported as {}",
            decimal(s.quic.client_max_idle_timeout_ms),
            decimal(s.quic.server_max_idle_timeout_ms),
            side.as_str(),
            reason.as_str()
            ),
        _ => String::new(),
    }
}

/// Frames listed per QUIC packet in a label; the rest are counted.
const QUIC_FRAMES_LISTED: usize = 3;

/// A QUIC datagram's label: each packet's type and its frames.
pub(super) fn label(datagram: &QuicDatagram, datagram_bytes: u32, scenario: &Scenario) -> String {
    let mut parts = Vec::with_capacity(datagram.packets.len());
    for packet in &datagram.packets {
        let mut words: Vec<String> = Vec::new();
        let mut more = 0;
        for frame in &packet.frames {
            let word = match *frame {
                QuicFrame::Padding { .. } => format!("padded to {datagram_bytes}"),
                QuicFrame::Ping => "PING".into(),
                QuicFrame::Ack { .. } => ack_words(&packet.ack_ranges),
                QuicFrame::Crypto { offset, bytes, content, message_bytes } => {
                    let name = tls_message(content);
                    if bytes as u64 >= message_bytes {
                        name.to_string()
                    } else {
                        format!("{name} {offset}–{} of {message_bytes} B", offset + bytes as u64)
                    }
                }
                QuicFrame::Stream { id, content, fin, .. } => {
                    let what = match content {
                        Content::Request(r) | Content::EarlyRequest(r) => {
                            format!("GET {}", request_id(scenario, r))
                        }
                        Content::Response(r) => request_id(scenario, r).to_string(),
                        #[cfg(feature = "push")]
                        Content::ResponsePart(r) => request_id(scenario, r).to_string(),
                        Content::H3Control => "SETTINGS".into(),
                        Content::H3GoAway => "GOAWAY".into(),
                        _ => String::new(),
                    };
                    let fin = if fin { " FIN" } else { "" };
                    format!("STREAM {id} {what}{fin}")
                }
                QuicFrame::HandshakeDone => "HANDSHAKE_DONE".into(),
                QuicFrame::ConnectionClose => "CONNECTION_CLOSE".into(),
            };
            // The ACK and padding always show; data frames up to a few.
            let always = matches!(frame, QuicFrame::Ack { .. } | QuicFrame::Padding { .. });
            if always || words.len() < QUIC_FRAMES_LISTED {
                words.push(word);
            } else {
                more += 1;
            }
        }
        if more > 0 {
            words.push(format!("+{more} frame{}", if more == 1 { "" } else { "s" }));
        }
        parts.push(format!("{} ({})", packet.packet_type.label(), words.join(", ")));
    }
    parts.join(" + ")
}

/// `ACK 12–15`, `ACK 12–15, 3–9`: the ranges, largest first.
fn ack_words(ranges: &[(u64, u64)]) -> String {
    let range = |&(lo, hi): &(u64, u64)| if lo == hi { lo.to_string() } else { format!("{lo}–{hi}") };
    let mut text = format!("ACK {}", ranges.iter().take(2).map(range).collect::<Vec<_>>().join(", "));
    if ranges.len() > 2 {
        text.push_str(", …");
    }
    text
}

/// The TLS messages a CRYPTO frame carries, by name.
fn tls_message(content: Content) -> &'static str {
    match content {
        Content::ClientHello => "ClientHello",
        Content::ServerHello => "ServerHello",
        Content::ServerCertificate => "certificate",
        Content::ServerHandshake => "EncryptedExtensions, Finished",
        Content::ClientFinished | Content::ServerFinished => "Finished",
        Content::SessionTicket => "NewSessionTicket",
        _ => "CRYPTO",
    }
}

/// What a stream carries, for people: a request id, or the control stream.
fn stream_words(scenario: &Scenario, content: Content) -> String {
    match content.request() {
        Some(r) => request_id(scenario, r).to_string(),
        None => match content {
            Content::H3Control | Content::H3GoAway => "the HTTP/3 control stream".into(),
            _ => "?".into(),
        },
    }
}
