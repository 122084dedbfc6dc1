//! *(added)* What a server spends per event (`server.costs`), for the
//! results' estimate of its CPU time and memory (`RunResult::server`). The
//! defaults are published measurements, cited in the README ("Server
//! cost"); a reader changes them to see what reuse saves on other hardware.

use serde::{Deserialize, Serialize};

/// The certificate's key, whose signature is most of a full handshake's
/// CPU on the server (RFC 8446 §4.4.3: the server signs every full
/// handshake; a resumed one signs nothing, §2.2).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum CertificateKey {
    #[default]
    #[serde(rename = "rsa-2048")]
    Rsa2048,
    #[serde(rename = "ecdsa-p256")]
    EcdsaP256,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerCosts {
    #[serde(default)]
    pub certificate_key: CertificateKey,
    /// CPU µs per RSA-2048 signature (one per full handshake with an RSA key).
    #[serde(default = "default_rsa_2048_sign_us")]
    pub rsa_2048_sign_us: f64,
    /// CPU µs per ECDSA P-256 signature.
    #[serde(default = "default_ecdsa_p256_sign_us")]
    pub ecdsa_p256_sign_us: f64,
    /// CPU µs for the server's ephemeral key exchange (X25519: a key pair
    /// and a shared secret) in every full handshake.
    #[serde(default = "default_key_exchange_us")]
    pub key_exchange_us: f64,
    /// CPU µs per resumed handshake (ticket decryption, the key schedule and
    /// the key exchange of TLS 1.3's psk_dhe_ke; no signature).
    #[serde(default = "default_resumed_handshake_us")]
    pub resumed_handshake_us: f64,
    /// CPU µs to accept a connection (kernel and server, without TLS).
    #[serde(default = "default_accept_us")]
    pub accept_us: f64,
    /// CPU µs to serve one request (parse, look up, write headers and a
    /// small body).
    #[serde(default = "default_request_us")]
    pub request_us: f64,
    /// Bytes per open TCP connection: the kernel socket and its buffers.
    #[serde(default = "default_socket_bytes")]
    pub socket_bytes: u64,
    /// Bytes per TLS connection's state (buffers, keys).
    #[serde(default = "default_tls_bytes")]
    pub tls_bytes: u64,
    /// Bytes per HTTP/2 connection's state (its streams, HPACK tables).
    #[serde(default = "default_http2_bytes")]
    pub http2_bytes: u64,
    /// Bytes per QUIC connection (its streams, recovery state, the HTTP/3
    /// and QPACK state), in place of a TCP socket: QUIC shares one UDP socket.
    #[serde(default = "default_quic_bytes")]
    pub quic_bytes: u64,
}

impl Default for ServerCosts {
    fn default() -> Self {
        ServerCosts {
            certificate_key: CertificateKey::default(),
            rsa_2048_sign_us: default_rsa_2048_sign_us(),
            ecdsa_p256_sign_us: default_ecdsa_p256_sign_us(),
            key_exchange_us: default_key_exchange_us(),
            resumed_handshake_us: default_resumed_handshake_us(),
            accept_us: default_accept_us(),
            request_us: default_request_us(),
            socket_bytes: default_socket_bytes(),
            tls_bytes: default_tls_bytes(),
            http2_bytes: default_http2_bytes(),
            quic_bytes: default_quic_bytes(),
        }
    }
}

impl ServerCosts {
    /// CPU µs of one full handshake: the signature with the certificate's
    /// key and the key exchange.
    pub fn full_handshake_us(&self) -> f64 {
        let sign = match self.certificate_key {
            CertificateKey::Rsa2048 => self.rsa_2048_sign_us,
            CertificateKey::EcdsaP256 => self.ecdsa_p256_sign_us,
        };
        sign + self.key_exchange_us
    }

    /// The fields that are times, by name, for validation.
    pub(crate) fn times(&self) -> [(&'static str, f64); 6] {
        [
            ("rsa_2048_sign_us", self.rsa_2048_sign_us),
            ("ecdsa_p256_sign_us", self.ecdsa_p256_sign_us),
            ("key_exchange_us", self.key_exchange_us),
            ("resumed_handshake_us", self.resumed_handshake_us),
            ("accept_us", self.accept_us),
            ("request_us", self.request_us),
        ]
    }
}

// Defaults, each from a published measurement (the README's "Server
// cost" has the sources and the arithmetic).

/// 1,921.7 RSA-2048 signatures/s on one core (`openssl speed`, OpenSSL 3,
/// a 2024 laptop): 0.52 ms.
fn default_rsa_2048_sign_us() -> f64 {
    520.0
}
/// 38,935 ECDSA P-256 signatures/s (BoringSSL, `bssl speed`): 25.7 µs.
fn default_ecdsa_p256_sign_us() -> f64 {
    26.0
}
/// X25519 key generation and shared secret, about 203,000 cycles with
/// OpenSSL 3.3 on a 3.5 GHz core (lib25519's speed table): 58 µs.
fn default_key_exchange_us() -> f64 {
    58.0
}
/// A TLS 1.3 resumption with a fresh key exchange took 0.21 ms for client
/// and server together (OpenSSL 3.3, rustls' 2024 benchmark report); the
/// server's share, one X25519 and the symmetric rest: about 0.1 ms.
fn default_resumed_handshake_us() -> f64 {
    100.0
}
/// nginx, one worker: 34,344 new connections/s each with one empty
/// request (29.1 µs), less the 6.9 µs such a request costs on a kept
/// connection (145,551/s): 22 µs (NGINX's published benchmark).
fn default_accept_us() -> f64 {
    22.0
}
/// nginx, one worker: 74,091 requests/s for 1 KB over kept connections:
/// 13.5 µs (the same benchmark).
fn default_request_us() -> f64 {
    13.5
}
/// An idle TCP socket's kernel structures, about 3.3 KB, and nginx's own
/// 250 B per kept connection ("10,000 inactive HTTP keep-alive connections
/// take about 2.5M memory", nginx.org). Buffers come on top only while
/// data waits in them (`tcp_rmem` 131,072 and `tcp_wmem` 16,384 bytes are
/// limits, not allocations).
fn default_socket_bytes() -> u64 {
    3_550
}
/// OpenSSL's buffers of a busy TLS connection, about 70 KB (Maxim Dounin,
/// nginx mailing list; an idle one with SSL_MODE_RELEASE_BUFFERS keeps
/// about 34 KB less).
fn default_tls_bytes() -> u64 {
    70_000
}
/// HTTP/2's connection state: HPACK's dynamic tables, 4,096 bytes each way
/// (RFC 7541 §6.5.2's default SETTINGS_HEADER_TABLE_SIZE), and one
/// `http2_chunk_size` buffer of 8 KB (nginx's default).
fn default_http2_bytes() -> u64 {
    16_384
}
/// A QUIC connection's state in user space in place of a kernel socket:
/// counted as one `http3_stream_buffer_size` of 64 KB (nginx's default).
fn default_quic_bytes() -> u64 {
    65_536
}
