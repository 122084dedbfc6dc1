//! A request of the scenario (`requests[]`): what is fetched, from which
//! host, how big, after what, and the response's status.

use serde::{Deserialize, Serialize};

#[cfg(feature = "push")]
use super::PushRole;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequestSpec {
    pub id: String,
    #[serde(default = "default_host")]
    pub host: String,
    #[serde(default = "default_request_bytes")]
    pub request_bytes: u32,
    pub response_bytes: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_ms: Option<f64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub after: Vec<String>,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub delay_ms: f64,
    /// *(added)* The response's HTTP status (200 when absent). An error
    /// (4xx, 5xx) is answered on a kept connection like any response
    /// (RFC 9112 §9.3), unless the server closes on errors
    /// (`server.close_on_error`).
    #[serde(default = "default_status", skip_serializing_if = "is_ok_status")]
    pub status: u16,
    /// *(added)* How this request fetches the server's events (`push`):
    /// `poll`, `long_poll` or `stream`. Absent = an ordinary request.
    #[cfg(feature = "push")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub push: Option<PushRole>,
}

impl RequestSpec {
    /// A request with the format's defaults, for presets and tests.
    pub fn new(id: impl Into<String>, response_bytes: u64) -> Self {
        RequestSpec {
            id: id.into(),
            host: default_host(),
            request_bytes: default_request_bytes(),
            response_bytes,
            server_ms: None,
            after: Vec::new(),
            delay_ms: 0.0,
            status: default_status(),
            #[cfg(feature = "push")]
            push: None,
        }
    }

    /// The response's HTTP status.
    pub fn status(mut self, status: u16) -> Self {
        self.status = status;
        self
    }

    /// A request that fetches the server's events this way.
    #[cfg(feature = "push")]
    pub fn push(mut self, role: PushRole) -> Self {
        self.push = Some(role);
        self
    }

    /// A 4xx or 5xx response.
    pub fn is_error(&self) -> bool {
        self.status >= 400
    }

    pub fn host(mut self, host: impl Into<String>) -> Self {
        self.host = host.into();
        self
    }

    pub fn after(mut self, ids: &[&str]) -> Self {
        self.after = ids.iter().map(|s| s.to_string()).collect();
        self
    }

    pub fn delay_ms(mut self, ms: f64) -> Self {
        self.delay_ms = ms;
        self
    }

    pub fn server_ms(mut self, ms: f64) -> Self {
        self.server_ms = Some(ms);
        self
    }
}

fn is_zero(v: &f64) -> bool {
    *v == 0.0
}

fn default_status() -> u16 {
    200
}

fn is_ok_status(v: &u16) -> bool {
    *v == 200
}

fn default_host() -> String {
    "example.com".to_string()
}

fn default_request_bytes() -> u32 {
    400
}
