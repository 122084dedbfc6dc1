//! *(added)* TCP keep-alive on the client's socket and a middlebox on the
//! path: the scenario fields of `tcp.keepalive` and `network.middlebox`.

use serde::{Deserialize, Serialize};

use super::Scenario;

/// *(added)* A NAT or load balancer that keeps per-connection state and
/// silently forgets an idle connection.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Middlebox {
    /// Where it stands: a NAT at the client's end of the path, a load
    /// balancer at the server's.
    #[serde(default)]
    pub kind: MiddleboxKind,
    /// Idle time after which it forgets a connection. 350 s is AWS's NAT
    /// gateway's and Network Load Balancer's TCP idle timeout.
    #[serde(default = "default_middlebox_idle")]
    pub idle_timeout_ms: f64,
    /// What it does with a packet of a connection it has forgotten.
    #[serde(default)]
    pub on_expired: OnExpired,
}

impl Default for Middlebox {
    fn default() -> Self {
        Middlebox {
            kind: MiddleboxKind::Nat,
            idle_timeout_ms: default_middlebox_idle(),
            on_expired: OnExpired::Rst,
        }
    }
}

/// *(added)* The kind of a middlebox, which sets where it stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum MiddleboxKind {
    /// A NAT next to the client (a home router, a carrier-grade NAT, a cloud
    /// NAT gateway in front of an API client).
    #[default]
    #[serde(rename = "nat")]
    Nat,
    /// A load balancer next to the server.
    #[serde(rename = "load_balancer")]
    LoadBalancer,
}

impl MiddleboxKind {
    /// A short name for people.
    pub fn label(self) -> &'static str {
        match self {
            MiddleboxKind::Nat => "NAT",
            MiddleboxKind::LoadBalancer => "load balancer",
        }
    }
}

/// *(added)* What a middlebox does with a packet of a forgotten connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum OnExpired {
    /// Answer with a TCP reset (AWS NAT gateway and NLB: "If a client or a
    /// target sends data after the idle timeout period elapses, it receives
    /// a TCP RST packet").
    #[default]
    #[serde(rename = "rst")]
    Rst,
    /// Drop it silently: the sender retransmits until it gives up.
    #[serde(rename = "drop")]
    Drop,
}

/// *(added)* `SO_KEEPALIVE` settings. Defaults are Linux's (tcp(7):
/// `tcp_keepalive_time` 7200 s, `tcp_keepalive_intvl` 75 s,
/// `tcp_keepalive_probes` 9).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TcpKeepalive {
    /// Idle time (nothing received) before the first probe (`TCP_KEEPIDLE`).
    #[serde(default = "default_keepalive_idle")]
    pub idle_ms: f64,
    /// Time between unanswered probes (`TCP_KEEPINTVL`).
    #[serde(default = "default_keepalive_interval")]
    pub interval_ms: f64,
    /// Unanswered probes after which the connection is dropped (`TCP_KEEPCNT`).
    #[serde(default = "default_keepalive_probes")]
    pub probes: u32,
}

impl Default for TcpKeepalive {
    fn default() -> Self {
        TcpKeepalive {
            idle_ms: default_keepalive_idle(),
            interval_ms: default_keepalive_interval(),
            probes: default_keepalive_probes(),
        }
    }
}

/// Linux's `tcp_keepalive_time` (tcp(7)): 7200 s.
fn default_keepalive_idle() -> f64 {
    7_200_000.0
}
/// Linux's `tcp_keepalive_intvl` (tcp(7)): 75 s.
fn default_keepalive_interval() -> f64 {
    75_000.0
}
/// Linux's `tcp_keepalive_probes` (tcp(7)): 9.
fn default_keepalive_probes() -> u32 {
    9
}
/// AWS NAT gateway's and Network Load Balancer's TCP idle timeout: 350 s.
fn default_middlebox_idle() -> f64 {
    350_000.0
}

impl Scenario {
    /// The field that needs the engine's feature `keepalive` (TCP keep-alive
    /// or a middlebox), if the scenario sets one: builds without it (the web
    /// app's first load) refuse it, and the app opens its full build.
    pub fn needs_keepalive_build(&self) -> Option<&'static str> {
        if self.tcp.keepalive.is_some() {
            Some("tcp.keepalive")
        } else if self.network.middlebox.is_some() {
            Some("network.middlebox")
        } else {
            None
        }
    }

    /// The field that needs the web app's full build, if the scenario sets
    /// one: TCP keep-alive or a middlebox (the engine's feature
    /// `keepalive`), or the server's events (`push`, a field only builds
    /// with the feature `push` have).
    pub fn needs_full_build(&self) -> Option<&'static str> {
        #[cfg(feature = "push")]
        if self.push.is_some() || self.requests.iter().any(|r| r.push.is_some()) {
            return Some("push");
        }
        #[cfg(feature = "clients")]
        if self.clients.is_some() {
            return Some("clients");
        }
        if self.tcp.congestion_control != crate::scenario::CongestionControl::NewReno {
            return Some("tcp.congestion_control");
        }
        self.needs_keepalive_build()
    }

    /// Whether this build of the engine simulates the scenario: always with
    /// the feature `keepalive`, else when it sets neither TCP keep-alive nor
    /// a middlebox.
    pub fn in_this_build(&self) -> bool {
        cfg!(feature = "keepalive") || self.needs_keepalive_build().is_none()
    }
}
