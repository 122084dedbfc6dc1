//! Validation: every range and reference of a scenario, checked before a
//! run. Errors name the field (`network.rtt_ms`, `requests[3].after[0]`)
//! and the reason.

use super::*;
use crate::time::decimal;

/// Linux's `MAX_TCP_KEEPIDLE` / `MAX_TCP_KEEPINTVL` (32767 s) and their floor (1 s).
#[cfg(feature = "keepalive")]
pub const MIN_KEEPALIVE_MS: f64 = 1_000.0;
#[cfg(feature = "keepalive")]
pub const MAX_KEEPALIVE_MS: f64 = 32_767_000.0;
/// Linux's `MAX_TCP_KEEPCNT`.
#[cfg(feature = "keepalive")]
pub const MAX_KEEPALIVE_PROBES: u32 = 127;
/// Packet ids `network.drop_packet_ids` may list.
pub const MAX_DROPPED_PACKETS: usize = 10_000;
/// RFC 9000 §14: a QUIC path carries datagrams of at least 1200 bytes.
#[cfg(feature = "quic")]
pub const MIN_DATAGRAM_BYTES: u32 = 1200;
/// A 1500-byte Ethernet MTU less the IPv4 (20) and UDP (8) headers.
#[cfg(feature = "quic")]
pub const MAX_DATAGRAM_BYTES: u32 = 1472;

impl Scenario {
    /// Checks every range and reference. The first problem found is returned.
    pub fn validate(&self) -> Result<(), ScenarioError> {
        if self.format != FORMAT_V1 {
            return Err(ScenarioError::new(
                "format",
                format!("unsupported format \"{}\"; this version reads \"{FORMAT_V1}\"", self.format),
            ));
        }
        let n = &self.network;
        check_ms("network.rtt_ms", n.rtt_ms)?;
        check_rate("network.downlink_mbps", n.downlink_mbps)?;
        check_rate("network.uplink_mbps", n.uplink_mbps)?;
        if !(n.loss_rate.is_finite() && (0.0..1.0).contains(&n.loss_rate)) {
            return Err(ScenarioError::new(
                "network.loss_rate",
                format!("must be at least 0 and below 1 (got {})", decimal(n.loss_rate)),
            ));
        }
        if n.loss_rate > 0.5 {
            return Err(ScenarioError::new(
                "network.loss_rate",
                format!(
                    "above 0.5 no TCP connection completes in reasonable time (got {})",
                    decimal(n.loss_rate)
                ),
            ));
        }
        if !(64..=65_495).contains(&n.mss_bytes) {
            return Err(ScenarioError::new(
                "network.mss_bytes",
                format!("must be between 64 and 65495 bytes (got {})", n.mss_bytes),
            ));
        }
        if n.packet_overhead_bytes > 1000 {
            return Err(ScenarioError::new(
                "network.packet_overhead_bytes",
                format!("must be at most 1000 bytes (got {})", n.packet_overhead_bytes),
            ));
        }
        if let Some(q) = n.queue_packets {
            if !(1..=100_000).contains(&q) {
                return Err(ScenarioError::new(
                    "network.queue_packets",
                    format!("must be between 1 and 100000 packets, or null for unlimited (got {q})"),
                ));
            }
        }
        if n.drop_packet_ids.len() > MAX_DROPPED_PACKETS {
            return Err(ScenarioError::new(
                "network.drop_packet_ids",
                format!("at most {MAX_DROPPED_PACKETS} packet ids (got {})", n.drop_packet_ids.len()),
            ));
        }
        if !(1..=1000).contains(&self.tcp.initial_cwnd_segments) {
            return Err(ScenarioError::new(
                "tcp.initial_cwnd_segments",
                format!("must be between 1 and 1000 segments (got {})", self.tcp.initial_cwnd_segments),
            ));
        }
        if let Some(rwnd) = self.tcp.rwnd_bytes {
            if rwnd < n.mss_bytes as u64 {
                return Err(ScenarioError::new(
                    "tcp.rwnd_bytes",
                    format!("must hold at least one segment of mss_bytes = {} (got {rwnd})", n.mss_bytes),
                ));
            }
        }
        // Builds without the feature refuse the fields outright.
        #[cfg(not(feature = "cubic"))]
        if self.tcp.congestion_control != crate::scenario::CongestionControl::NewReno {
            return Err(ScenarioError::new(
                "tcp.congestion_control",
                format!(
                    "{} is not simulated in this build (the reuse-sim feature \"cubic\" is off)",
                    self.tcp.congestion_control.label()
                ),
            ));
        }
        #[cfg(not(feature = "keepalive"))]
        if let Some(field) = self.needs_keepalive_build() {
            return Err(ScenarioError::new(
                field,
                "TCP keep-alive and middleboxes are not simulated in this build (the reuse-sim feature \"keepalive\" is off)",
            ));
        }
        #[cfg(feature = "keepalive")]
        if let Some(ka) = &self.tcp.keepalive {
            check_keepalive_ms("tcp.keepalive.idle_ms", ka.idle_ms)?;
            check_keepalive_ms("tcp.keepalive.interval_ms", ka.interval_ms)?;
            if !(1..=MAX_KEEPALIVE_PROBES).contains(&ka.probes) {
                return Err(ScenarioError::new(
                    "tcp.keepalive.probes",
                    format!(
                        "must be between 1 and {MAX_KEEPALIVE_PROBES} (Linux's TCP_KEEPCNT limit) (got {})",
                        ka.probes
                    ),
                ));
            }
        }
        #[cfg(feature = "keepalive")]
        if let Some(m) = &n.middlebox {
            check_positive_ms("network.middlebox.idle_timeout_ms", m.idle_timeout_ms)?;
        }
        if self.tls.resumption == Resumption::EarlyData && self.tls.version != TlsVersion::Tls13 {
            return Err(ScenarioError::new(
                "tls.resumption",
                "early_data (0-RTT) exists only in TLS 1.3; set tls.version to \"tls1.3\"",
            ));
        }
        if self.tls.certificate_bytes > 100_000 {
            return Err(ScenarioError::new(
                "tls.certificate_bytes",
                format!("must be at most 100000 bytes (got {})", self.tls.certificate_bytes),
            ));
        }
        check_ms("dns_ms", self.dns_ms)?;
        let c = &self.client;
        if !(1..=64).contains(&c.max_connections_per_host) {
            return Err(ScenarioError::new(
                "client.max_connections_per_host",
                format!("must be between 1 and 64 (got {})", c.max_connections_per_host),
            ));
        }
        // `pipelining` applies to HTTP/1.1 only; other protocols ignore it
        // (not an error) so one scenario can be replayed under every protocol.
        check_positive_ms("client.idle_timeout_ms", c.idle_timeout_ms)?;
        let s = &self.server;
        check_ms("server.processing_ms", s.processing_ms)?;
        check_positive_ms("server.keep_alive_timeout_ms", s.keep_alive_timeout_ms)?;
        if s.max_requests_per_connection == 0 {
            return Err(ScenarioError::new(
                "server.max_requests_per_connection",
                "must be at least 1 (got 0)",
            ));
        }
        if !(1..=10_000).contains(&s.max_concurrent_streams) {
            return Err(ScenarioError::new(
                "server.max_concurrent_streams",
                format!("must be between 1 and 10000 (got {})", s.max_concurrent_streams),
            ));
        }
        if s.response_header_bytes > 65_536 {
            return Err(ScenarioError::new(
                "server.response_header_bytes",
                format!("must be at most 65536 (got {})", s.response_header_bytes),
            ));
        }
        for (name, us) in s.costs.times() {
            if !(us.is_finite() && (0.0..=1e9).contains(&us)) {
                return Err(ScenarioError::new(
                    format!("server.costs.{name}"),
                    format!("must be a number of microseconds from 0 to 1e9 (got {})", decimal(us)),
                ));
            }
        }
        for (name, bytes) in [
            ("socket_bytes", s.costs.socket_bytes),
            ("tls_bytes", s.costs.tls_bytes),
            ("http2_bytes", s.costs.http2_bytes),
            ("quic_bytes", s.costs.quic_bytes),
        ] {
            if bytes > 1 << 40 {
                return Err(ScenarioError::new(
                    format!("server.costs.{name}"),
                    format!("must be at most 2^40 bytes (got {bytes})"),
                ));
            }
        }
        // The `quic` section is read only where HTTP/3 is simulated; a build
        // without it (the web app's first load) refuses `h3` instead.
        #[cfg(feature = "quic")]
        self.validate_quic()?;
        self.validate_requests()?;
        #[cfg(feature = "push")]
        self.validate_push()?;
        #[cfg(feature = "clients")]
        if let Some(c) = &self.clients {
            c.validate()?;
        }
        Ok(())
    }

    #[cfg(feature = "push")]
    fn validate_push(&self) -> Result<(), ScenarioError> {
        {
            // Requests that fetch events with no `push` (nothing ever
            // happens: each is answered at once), or events nobody fetches,
            // are legal, if idle, scenarios.
            let Some(push) = &self.push else { return Ok(()) };
            if push.events_ms.is_empty() || push.events_ms.len() > super::MAX_EVENTS {
                return Err(ScenarioError::new(
                    "push.events_ms",
                    format!(
                        "must list from 1 to {} events (got {})",
                        super::MAX_EVENTS,
                        push.events_ms.len()
                    ),
                ));
            }
            let mut before = 0.0;
            for (k, &ms) in push.events_ms.iter().enumerate() {
                let field = || format!("push.events_ms[{k}]");
                check_ms("", ms).map_err(|e| ScenarioError::new(field(), e.reason))?;
                if ms < before {
                    return Err(ScenarioError::new(
                        field(),
                        format!(
                            "events must be in time order ({} comes after {})",
                            decimal(ms),
                            decimal(before)
                        ),
                    ));
                }
                before = ms;
            }
            if push.event_bytes == 0 || push.event_bytes > MAX_RESPONSE_BYTES {
                return Err(ScenarioError::new(
                    "push.event_bytes",
                    format!("must be between 1 and {MAX_RESPONSE_BYTES} (got {})", push.event_bytes),
                ));
            }
        }
        Ok(())
    }

    #[cfg(feature = "quic")]
    fn validate_quic(&self) -> Result<(), ScenarioError> {
        let q = &self.quic;
        if !(MIN_DATAGRAM_BYTES..=MAX_DATAGRAM_BYTES).contains(&q.max_datagram_size_bytes) {
            return Err(ScenarioError::new(
                "quic.max_datagram_size_bytes",
                format!(
                    "must be between {MIN_DATAGRAM_BYTES} (RFC 9000 §14) and {MAX_DATAGRAM_BYTES} (a 1500-byte \
                     Ethernet MTU less 28 bytes of IPv4 and UDP) (got {})",
                    q.max_datagram_size_bytes
                ),
            ));
        }
        if let Some(w) = q.initial_window_packets {
            if !(2..=1000).contains(&w) {
                return Err(ScenarioError::new(
                    "quic.initial_window_packets",
                    format!(
                        "must be between 2 (RFC 9002 §7.2's minimum window) and 1000 datagrams, or null for \
                         RFC 9002's formula (got {w})"
                    ),
                ));
            }
        }
        check_ms("quic.max_ack_delay_ms", q.max_ack_delay_ms)?;
        if q.max_ack_delay_ms > 16_383.0 {
            return Err(ScenarioError::new(
                "quic.max_ack_delay_ms",
                format!(
                    "must be at most 16383 ms (RFC 9000 §18.2: below 2^14) (got {})",
                    decimal(q.max_ack_delay_ms)
                ),
            ));
        }
        check_positive_ms("quic.client_max_idle_timeout_ms", q.client_max_idle_timeout_ms)?;
        check_positive_ms("quic.server_max_idle_timeout_ms", q.server_max_idle_timeout_ms)?;
        if q.qpack_max_table_capacity_bytes > 1_048_576 {
            return Err(ScenarioError::new(
                "quic.qpack_max_table_capacity_bytes",
                format!("must be at most 1048576 bytes (got {})", q.qpack_max_table_capacity_bytes),
            ));
        }
        Ok(())
    }

    fn validate_requests(&self) -> Result<(), ScenarioError> {
        if self.requests.is_empty() {
            return Err(ScenarioError::new("requests", "needs at least one request"));
        }
        if self.requests.len() > MAX_REQUESTS {
            return Err(ScenarioError::new(
                "requests",
                format!("at most {MAX_REQUESTS} requests (got {})", self.requests.len()),
            ));
        }
        // Ids by hash, sorted by the one small sort the web app shares
        // (`crate::order`).
        let mut ids: Vec<(u64, u32)> =
            self.requests.iter().enumerate().map(|(i, r)| (id_hash(&r.id), i as u32)).collect();
        crate::order::sort_pairs(&mut ids);
        // Requests whose ids hash to `h`, in request order.
        let with_hash = |h: u64| {
            let start = ids.partition_point(|&(k, _)| k < h);
            ids[start..].iter().take_while(move |&&(k, _)| k == h).map(|&(_, i)| i as usize)
        };
        for (j, r) in self.requests.iter().enumerate() {
            if let Some(i) = with_hash(id_hash(&r.id)).find(|&i| i < j && self.requests[i].id == r.id) {
                return Err(ScenarioError::new(
                    format!("requests[{j}].id"),
                    format!("duplicate id \"{}\" (also requests[{i}])", r.id),
                ));
            }
        }
        let index_of = |id: &str| with_hash(id_hash(id)).find(|&i| self.requests[i].id == id);
        for (i, r) in self.requests.iter().enumerate() {
            let field = |name: &str| format!("requests[{i}].{name}");
            if r.id.trim().is_empty() {
                return Err(ScenarioError::new(field("id"), "must not be empty"));
            }
            if r.host.trim().is_empty() {
                return Err(ScenarioError::new(field("host"), "must not be empty"));
            }
            if r.request_bytes == 0 || r.request_bytes > 1_000_000 {
                return Err(ScenarioError::new(
                    field("request_bytes"),
                    format!("must be between 1 and 1000000 (got {})", r.request_bytes),
                ));
            }
            if r.response_bytes == 0 || r.response_bytes > MAX_RESPONSE_BYTES {
                return Err(ScenarioError::new(
                    field("response_bytes"),
                    format!("must be between 1 and {MAX_RESPONSE_BYTES} (got {})", r.response_bytes),
                ));
            }
            if !(100..=599).contains(&r.status) {
                return Err(ScenarioError::new(
                    field("status"),
                    format!("must be an HTTP status from 100 to 599 (got {})", r.status),
                ));
            }
            // Field names are formatted only on error: this runs per request.
            if let Some(ms) = r.server_ms {
                check_ms("server_ms", ms).map_err(|e| ScenarioError::new(field("server_ms"), e.reason))?;
            }
            check_ms("delay_ms", r.delay_ms).map_err(|e| ScenarioError::new(field("delay_ms"), e.reason))?;
            for (k, dep) in r.after.iter().enumerate() {
                match index_of(dep) {
                    None => {
                        return Err(ScenarioError::new(
                            format!("requests[{i}].after[{k}]"),
                            format!("unknown request id \"{dep}\""),
                        ))
                    }
                    Some(j) if j == i => {
                        return Err(ScenarioError::new(
                            format!("requests[{i}].after[{k}]"),
                            format!("request \"{dep}\" cannot wait for itself"),
                        ))
                    }
                    Some(_) => {}
                }
            }
        }
        self.check_acyclic(&index_of)
    }

    /// Kahn's algorithm; on a cycle, names one request on it.
    fn check_acyclic(&self, index_of: &dyn Fn(&str) -> Option<usize>) -> Result<(), ScenarioError> {
        let n = self.requests.len();
        let mut indegree = vec![0usize; n];
        let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (i, r) in self.requests.iter().enumerate() {
            for dep in &r.after {
                if let Some(j) = index_of(dep) {
                    indegree[i] += 1;
                    dependents[j].push(i);
                }
            }
        }
        let mut stack: Vec<usize> = (0..n).filter(|&i| indegree[i] == 0).collect();
        let mut seen = 0;
        while let Some(j) = stack.pop() {
            seen += 1;
            for &i in &dependents[j] {
                indegree[i] -= 1;
                if indegree[i] == 0 {
                    stack.push(i);
                }
            }
        }
        if seen == n {
            return Ok(());
        }
        let on_cycle = (0..n).find(|&i| indegree[i] > 0).unwrap_or(0);
        Err(ScenarioError::new(
            format!("requests[{on_cycle}].after"),
            format!(
                "dependency cycle: request \"{}\" waits, directly or not, for itself",
                self.requests[on_cycle].id
            ),
        ))
    }
}

fn check_ms(field: &str, v: f64) -> Result<(), ScenarioError> {
    if !v.is_finite() || v < 0.0 {
        return Err(ScenarioError::new(
            field,
            format!("must be a number of milliseconds ≥ 0 (got {})", decimal(v)),
        ));
    }
    if v > MAX_TIME_MS {
        return Err(ScenarioError::new(
            field,
            format!("must be at most {} ms, one hour (got {})", decimal(MAX_TIME_MS), decimal(v)),
        ));
    }
    Ok(())
}

/// Linux's bounds on `TCP_KEEPIDLE` and `TCP_KEEPINTVL`: whole seconds,
/// 1 to 32767 (`MAX_TCP_KEEPIDLE`, `MAX_TCP_KEEPINTVL`).
#[cfg(feature = "keepalive")]
fn check_keepalive_ms(field: &str, v: f64) -> Result<(), ScenarioError> {
    if !(v.is_finite() && (MIN_KEEPALIVE_MS..=MAX_KEEPALIVE_MS).contains(&v)) {
        return Err(ScenarioError::new(
            field,
            format!(
                "must be between {} and {} ms (Linux takes 1 to 32767 s) (got {})",
                decimal(MIN_KEEPALIVE_MS),
                decimal(MAX_KEEPALIVE_MS),
                decimal(v)
            ),
        ));
    }
    Ok(())
}

fn check_positive_ms(field: &str, v: f64) -> Result<(), ScenarioError> {
    check_ms(field, v)?;
    if v == 0.0 {
        return Err(ScenarioError::new(field, "must be greater than 0 ms"));
    }
    Ok(())
}

fn check_rate(field: &str, v: Option<f64>) -> Result<(), ScenarioError> {
    match v {
        None => Ok(()),
        Some(r) if r.is_finite() && (0.001..=1_000_000.0).contains(&r) => Ok(()),
        Some(r) => Err(ScenarioError::new(
            field,
            format!("must be between 0.001 and 1000000 Mbit/s, or null for infinite (got {})", decimal(r)),
        )),
    }
}

/// FNV-1a (64 bit) of a request id.
fn id_hash(id: &str) -> u64 {
    crate::Fnv1a::hash(id.as_bytes())
}

#[cfg(feature = "clients")]
impl super::Clients {
    /// 1 to [`super::MAX_CLIENTS`] clients, arriving over at most an hour
    /// (also what the app's many-clients fields accept).
    pub fn validate(&self) -> Result<(), ScenarioError> {
        if !(1..=super::MAX_CLIENTS).contains(&self.count) {
            return Err(ScenarioError::new(
                "clients.count",
                format!("must be between 1 and {} (got {})", super::MAX_CLIENTS, self.count),
            ));
        }
        check_ms("clients.over_ms", self.over_ms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_requests(requests: Vec<RequestSpec>) -> Scenario {
        let mut s = crate::presets::find("textbook").expect("textbook").scenario();
        s.requests = requests;
        s
    }

    #[test]
    fn a_duplicate_id_names_the_later_request_and_the_earlier_one() {
        let s = with_requests(vec![
            RequestSpec::new("a", 1),
            RequestSpec::new("b", 1),
            RequestSpec::new("c", 1),
            RequestSpec::new("b", 1),
        ]);
        let e = s.validate().unwrap_err();
        assert_eq!(e.field, "requests[3].id");
        assert_eq!(e.reason, "duplicate id \"b\" (also requests[1])");
    }

    #[test]
    fn after_finds_its_request_by_id_and_names_an_unknown_one() {
        let ok = with_requests(vec![
            RequestSpec::new("page", 1),
            RequestSpec::new("x", 1).after(&["page"]),
            RequestSpec::new("y", 1).after(&["x", "page"]),
        ]);
        assert_eq!(ok.validate(), Ok(()));
        let bad = with_requests(vec![
            RequestSpec::new("page", 1),
            RequestSpec::new("x", 1).after(&["page", "nope"]),
        ]);
        let e = bad.validate().unwrap_err();
        assert_eq!(e.field, "requests[1].after[1]");
        assert!(e.reason.contains("\"nope\""), "{e}");
    }

    #[test]
    fn ids_that_share_a_hash_bucket_are_still_told_apart() {
        // Many ids: with a 64-bit hash, lookups must still compare the text.
        let ids: Vec<String> = (0..2000).map(|i| format!("r{i}")).collect();
        let mut requests: Vec<RequestSpec> = ids.iter().map(|id| RequestSpec::new(id.as_str(), 1)).collect();
        requests.push(RequestSpec::new("last", 1).after(&["r0", "r1999", "r1000"]));
        assert_eq!(with_requests(requests).validate(), Ok(()));
    }
}
