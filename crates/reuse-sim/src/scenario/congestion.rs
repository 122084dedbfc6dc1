//! `tcp.congestion_control`: the names of the congestion controllers (the
//! algorithms are `transport/congestion.rs`).

use serde::{Deserialize, Serialize};

/// The congestion controller of every TCP sender (and, when HTTP/3 runs,
/// every QUIC sender: RFC 9002 §7 lets QUIC use any).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum CongestionControl {
    /// Reno's window (RFC 5681): halve on a loss, one segment more per
    /// round trip. Linux calls it `reno`.
    #[default]
    #[serde(rename = "newreno", alias = "reno")]
    NewReno,
    /// CUBIC (RFC 9438): β = 0.7, the window a cubic function of the time
    /// since the last loss, with HyStart++ (RFC 9406) leaving slow start
    /// when the round trip grows.
    #[serde(rename = "cubic")]
    Cubic,
    /// BBR version 1 (Cardwell et al. 2016): paces at the measured
    /// bottleneck bandwidth and keeps about two BDP in flight; a random
    /// loss cuts neither.
    #[serde(rename = "bbr")]
    Bbr,
}

impl CongestionControl {
    pub const ALL: [CongestionControl; 3] =
        [CongestionControl::NewReno, CongestionControl::Cubic, CongestionControl::Bbr];

    /// The scenario format's name (`cc=` in a link and a variant too).
    pub fn as_str(self) -> &'static str {
        match self {
            CongestionControl::NewReno => "newreno",
            CongestionControl::Cubic => "cubic",
            CongestionControl::Bbr => "bbr",
        }
    }

    /// The name people say: "Reno", "CUBIC".
    pub fn label(self) -> &'static str {
        match self {
            CongestionControl::NewReno => "Reno",
            CongestionControl::Cubic => "CUBIC",
            CongestionControl::Bbr => "BBR",
        }
    }

    /// Reads a name of the scenario format (`reno` too), for links and
    /// variants; the error says what is accepted.
    pub fn parse(text: &str) -> Result<CongestionControl, String> {
        match text {
            "newreno" | "reno" => Ok(CongestionControl::NewReno),
            "cubic" => Ok(CongestionControl::Cubic),
            "bbr" => Ok(CongestionControl::Bbr),
            other => Err(format!("one of newreno (or reno), cubic, bbr (got {other:?})")),
        }
    }
}
