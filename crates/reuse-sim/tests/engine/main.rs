//! Integration tests of the engine, one file per behaviour, all in one
//! binary. Expected values are derived in each test from the closed form it
//! names, never copied from a run.

mod fixtures;

#[cfg(feature = "cubic")]
mod bbr;
mod close_race;
mod congestion;
#[cfg(feature = "clients")]
mod crowd;
mod errors;
mod failures;
mod formula;
mod handshake;
mod http2;
#[cfg(feature = "quic")]
mod http3;
mod keep_alive;
mod loss;
mod middlebox;
mod pipelining;
mod properties;
#[cfg(feature = "push")]
mod push;
mod rack_tlp;
mod server;
mod slow_start;
mod sweep;
mod tcp_fidelity;
mod textbook;
mod tls;
mod trace;
