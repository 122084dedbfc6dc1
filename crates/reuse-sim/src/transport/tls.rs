//! TLS handshakes as flights of bytes on the TCP stream.
//!
//! Nothing here has a timer: a handshake costs what its flights cost on the
//! connection, so a certificate chain larger than the congestion window
//! takes an extra round trip exactly as on a real connection. Record-layer
//! framing and encryption overhead are not modelled (see the README).
//!
//! | version, mode        | flights before the first request            | RTT |
//! |----------------------|---------------------------------------------|-----|
//! | 1.2 full             | CH → SH+Cert+SKE+SHD → CKE+CCS+Fin → CCS+Fin | 2   |
//! | 1.2 resumed (ticket) | CH+ticket → SH+CCS+Fin → (CCS+Fin + request) | 1   |
//! | 1.3 full             | CH → SH+EE+Cert+CV+Fin → (Fin + request)     | 1   |
//! | 1.3 resumed (PSK)    | CH+PSK → SH+EE+Fin → (Fin + request)         | 1   |
//! | 1.3 early data       | CH+PSK+request → …                          | 0   |

use crate::scenario::TlsVersion;
use crate::trace::{Content, Side, TlsMode};

/// A ClientHello as Chrome sends it (padded to 512 bytes + record header).
pub const CLIENT_HELLO_BYTES: u64 = 517;
/// A ClientHello carrying a session ticket or PSK identity.
pub const CLIENT_HELLO_RESUME_BYTES: u64 = 700;
/// TLS 1.2 abbreviated handshake: ServerHello + ChangeCipherSpec + Finished.
pub const SERVER_RESUME_12_BYTES: u64 = 150;
/// TLS 1.3 PSK handshake: ServerHello + EncryptedExtensions + Finished.
pub const SERVER_RESUME_13_BYTES: u64 = 250;
/// TLS 1.2 full: ClientKeyExchange (ECDHE) + ChangeCipherSpec + Finished.
pub const CLIENT_KEY_EXCHANGE_12_BYTES: u64 = 126;
/// Client Finished (TLS 1.3, or TLS 1.2 resumed with its ChangeCipherSpec).
pub const CLIENT_FINISHED_BYTES: u64 = 80;
/// TLS 1.2 full: NewSessionTicket + ChangeCipherSpec + Finished.
pub const SERVER_FINISHED_12_BYTES: u64 = 250;
/// TLS 1.3 NewSessionTicket, sent after the handshake.
pub const SESSION_TICKET_13_BYTES: u64 = 250;

/// Chooses the handshake for a new connection.
pub fn mode_for(
    version: TlsVersion,
    want_resumption: crate::scenario::Resumption,
    have_ticket: bool,
) -> TlsMode {
    use crate::scenario::Resumption;
    match (version, want_resumption, have_ticket) {
        (TlsVersion::None, _, _) => TlsMode::None,
        (_, Resumption::None, _) | (_, _, false) => TlsMode::Full,
        (TlsVersion::Tls13, Resumption::EarlyData, true) => TlsMode::EarlyData,
        _ => TlsMode::Resumed,
    }
}

/// The client's first flight, written when TCP is established.
pub fn client_hello(mode: TlsMode) -> (Content, u64) {
    let bytes = match mode {
        TlsMode::Full => CLIENT_HELLO_BYTES,
        _ => CLIENT_HELLO_RESUME_BYTES,
    };
    (Content::ClientHello, bytes)
}

/// What a side does when a whole handshake message has arrived.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Step {
    /// A flight to write in reply.
    pub reply: Option<(Content, u64)>,
    /// The client may now send requests (it writes them after `reply`).
    pub client_ready: bool,
    /// The client now holds a ticket for later connections to this host.
    pub ticket: bool,
}

pub fn on_message(
    version: TlsVersion,
    mode: TlsMode,
    at: Side,
    message: Content,
    certificate_bytes: u64,
) -> Step {
    let tls13 = version == TlsVersion::Tls13;
    let mut step = Step::default();
    match (at, message) {
        (Side::Server, Content::ClientHello) => {
            let bytes = match (mode, tls13) {
                (TlsMode::Full, _) => certificate_bytes,
                (_, true) => SERVER_RESUME_13_BYTES,
                (_, false) => SERVER_RESUME_12_BYTES,
            };
            step.reply = Some((Content::ServerHandshake, bytes));
        }
        (Side::Client, Content::ServerHandshake) => {
            if !tls13 && mode == TlsMode::Full {
                step.reply = Some((Content::ClientFinished, CLIENT_KEY_EXCHANGE_12_BYTES));
            } else {
                step.reply = Some((Content::ClientFinished, CLIENT_FINISHED_BYTES));
                step.client_ready = true;
            }
        }
        (Side::Server, Content::ClientFinished) => {
            if tls13 {
                step.reply = Some((Content::SessionTicket, SESSION_TICKET_13_BYTES));
            } else if mode == TlsMode::Full {
                step.reply = Some((Content::ServerFinished, SERVER_FINISHED_12_BYTES));
            }
        }
        (Side::Client, Content::ServerFinished) => {
            step.client_ready = true;
            step.ticket = true;
        }
        (Side::Client, Content::SessionTicket) => step.ticket = true,
        _ => {}
    }
    step
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Resumption;

    /// Walks a handshake flight by flight and counts the round trips until
    /// the client may send (each reply from the server is one RTT).
    fn round_trips(version: TlsVersion, mode: TlsMode) -> u32 {
        if mode == TlsMode::EarlyData {
            return 0;
        }
        let mut message = client_hello(mode).0;
        let mut at = Side::Server;
        let mut rtts = 0;
        loop {
            let step = on_message(version, mode, at, message, 4000);
            if at == Side::Client {
                rtts += 1;
                if step.client_ready {
                    return rtts;
                }
            }
            let (next, _) = step.reply.expect("handshake stalled");
            message = next;
            at = at.peer();
        }
    }

    #[test]
    fn handshake_round_trips_match_the_rfcs() {
        assert_eq!(round_trips(TlsVersion::Tls12, TlsMode::Full), 2);
        assert_eq!(round_trips(TlsVersion::Tls12, TlsMode::Resumed), 1);
        assert_eq!(round_trips(TlsVersion::Tls13, TlsMode::Full), 1);
        assert_eq!(round_trips(TlsVersion::Tls13, TlsMode::Resumed), 1);
        assert_eq!(round_trips(TlsVersion::Tls13, TlsMode::EarlyData), 0);
    }

    #[test]
    fn resumption_needs_a_ticket() {
        assert_eq!(mode_for(TlsVersion::Tls13, Resumption::EarlyData, false), TlsMode::Full);
        assert_eq!(mode_for(TlsVersion::Tls13, Resumption::EarlyData, true), TlsMode::EarlyData);
        assert_eq!(mode_for(TlsVersion::Tls12, Resumption::Ticket, true), TlsMode::Resumed);
        assert_eq!(mode_for(TlsVersion::None, Resumption::Ticket, true), TlsMode::None);
    }

    #[test]
    fn full_handshake_sends_the_certificate_flight() {
        let step = on_message(TlsVersion::Tls13, TlsMode::Full, Side::Server, Content::ClientHello, 9000);
        assert_eq!(step.reply, Some((Content::ServerHandshake, 9000)));
    }
}
