//! TLS handshakes as flights of bytes.
