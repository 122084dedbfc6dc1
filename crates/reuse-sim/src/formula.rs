//! The textbook's closed form beside the simulated page load: where a run's
//! conditions are the ones Kurose & Ross's chapter 2 (and HPBN for HTTP/2)
//! assume, the page-load time in round trips, with the scenario's numbers
//! worked in, and the simulated time beside it; where they are not, which
//! condition breaks it ("with loss there is no closed form").
//!
//! The models, for a base file and N objects it references, every response
//! within one initial window, infinite bandwidth, no loss and no server
//! time, with H round trips to open a connection (TCP 1, plus TLS 1.3's 1 or
//! TLS 1.2's 2):
//!
//! - non-persistent, P connections at a time: (H + 1)(1 + ⌈N/P⌉)·RTT
//!   (K&R: 2(N + 1)·RTT serial, 2·RTT + 2⌈N/P⌉·RTT parallel, without TLS);
//! - persistent without pipelining, one connection: (H + 1)·RTT + N·RTT;
//!   with P connections, (H + 1)·RTT + j·RTT for the smallest j with
//!   j + (P − 1)·max(0, j − H) ≥ N (the first connection reused, P − 1
//!   opened for the queue);
//! - persistent with pipelining, and HTTP/2's streams on one connection:
//!   (H + 1)·RTT + RTT;
//! - one object of n segments beyond the initial window W (HTTP/1.x, no TLS,
//!   an ACK per segment): (H + k)·RTT, the smallest k with W(2^k − 1) ≥ n.
//!
//! The engine decides: the CLI prints what this module returns, and a test
//! holds every formula that applies to the simulation on the presets and
//! their variations.

use std::fmt;

use crate::scenario::{Protocol, Resumption, Scenario, TlsVersion};
use crate::time::decimal;

/// A closed form that applies, worked with the scenario's numbers.
#[derive(Clone, Debug, PartialEq)]
pub struct Receipt {
    /// The textbook model, in words.
    pub model: &'static str,
    /// The formula in symbols: "2(N + 1)·RTT".
    pub formula: String,
    /// With the scenario's numbers: "2 × (10 + 1) × 100 ms".
    pub worked: String,
    pub expected_ms: f64,
    /// Where the round trips go: (what, round trips).
    pub breakdown: Vec<(&'static str, f64)>,
}

/// The verdict for one run.
#[derive(Clone, Debug, PartialEq)]
pub enum ClosedForm {
    Applies(Receipt),
    /// No closed form: the condition that breaks it, in words.
    None(String),
}

/// Simulated and expected agree to a nanosecond (the engine's clock).
pub fn agrees(expected_ms: f64, simulated_ms: f64) -> bool {
    (expected_ms - simulated_ms).abs() < 1e-6
}

impl fmt::Display for Receipt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} = {} = {} ms", self.formula, self.worked, decimal(self.expected_ms))
    }
}

/// Round trips a new connection costs before its first request: TCP's
/// handshake and TLS's (RFC 8446: one; RFC 5246: two).
fn handshake_round_trips(s: &Scenario) -> f64 {
    1.0 + match s.tls.version {
        TlsVersion::None => 0.0,
        TlsVersion::Tls13 => 1.0,
        TlsVersion::Tls12 => 2.0,
    }
}

/// The closed form of `protocol`'s page load in `s`, or why there is none.
pub fn closed_form(s: &Scenario, protocol: Protocol) -> ClosedForm {
    match shared_conditions(s) {
        Err(reason) => ClosedForm::None(reason),
        Ok(n) => by_protocol(s, protocol, n),
    }
}

/// The conditions every model here assumes; the object count N if they hold.
fn shared_conditions(s: &Scenario) -> Result<usize, String> {
    let net = &s.network;
    if net.loss_rate > 0.0 || !net.drop_packet_ids.is_empty() {
        return Err(
            "with loss there is no closed form (retransmissions depend on which packets are lost)".into()
        );
    }
    if net.downlink_mbps.is_some() || net.uplink_mbps.is_some() {
        return Err("with a finite bandwidth, transmission times add (set the bandwidth to ∞ for the round-trip model)".into());
    }
    if s.dns_ms > 0.0 {
        return Err("DNS lookups add time the round-trip model leaves out (set dns_ms to 0)".into());
    }
    if s.server.processing_ms > 0.0 || s.requests.iter().any(|r| r.server_ms.is_some_and(|ms| ms > 0.0)) {
        return Err("server think time adds to the round trips (the model has none)".into());
    }
    if s.tcp.rwnd_bytes.is_some() {
        return Err("a limited receive window can hold responses back (the model has none)".into());
    }
    let Some((base, objects)) = s.requests.split_first() else {
        return Err("no requests".into());
    };
    let page_shape = base.after.is_empty()
        && base.delay_ms == 0.0
        && objects
            .iter()
            .all(|r| r.after.len() == 1 && r.after[0] == base.id && r.delay_ms == 0.0 && r.host == base.host);
    if !page_shape {
        return Err(
            "the page is not a base file and objects it references on the same host, asked at once".into()
        );
    }
    let mss = u64::from(net.mss_bytes);
    let window = u64::from(s.tcp.initial_cwnd_segments) * mss;
    if s.requests.iter().any(|r| u64::from(r.request_bytes) > mss) {
        return Err("a request larger than one segment".into());
    }
    // A page of one object may take slow-start rounds (its own model below).
    if !objects.is_empty()
        && s.requests.iter().any(|r| r.response_bytes + u64::from(s.server.response_header_bytes) > window)
    {
        return Err(format!(
            "a response larger than the initial window ({} segments of {} B) takes more round trips (slow start)",
            s.tcp.initial_cwnd_segments, net.mss_bytes
        ));
    }
    if s.tls.version != TlsVersion::None && u64::from(s.tls.certificate_bytes) + mss > window {
        return Err("the server's certificate flight is larger than the initial window".into());
    }
    let rtt = net.rtt_ms;
    if s.server.keep_alive_timeout_ms <= rtt || s.client.idle_timeout_ms <= rtt {
        return Err(
            "a keep-alive timeout shorter than a round trip closes connections the model keeps".into()
        );
    }
    if (s.server.max_requests_per_connection as usize) <= objects.len() {
        return Err("the server's limit of requests per connection closes connections the model keeps".into());
    }
    Ok(objects.len())
}

/// How a version carries a page, as the models see it.
#[derive(Clone, Copy)]
enum Carriage {
    /// A connection per request (HTTP/1.0 without keep-alive).
    NonPersistent,
    /// Requests one after another on kept connections, or pipelined.
    Persistent { pipelined: bool },
    /// Every request on its own stream of one connection (HTTP/2).
    Multiplexed,
    /// HTTP/3 over QUIC.
    Quic,
}

fn by_protocol(s: &Scenario, protocol: Protocol, n: usize) -> ClosedForm {
    let rtt = s.network.rtt_ms;
    let h = handshake_round_trips(s);
    let k = h + 1.0;
    let nf = n as f64;
    // The fits-in-one-flight condition of the models that send every object at once.
    let one_flight = |header: u64| {
        let window = u64::from(s.tcp.initial_cwnd_segments) * u64::from(s.network.mss_bytes);
        let objects: u64 = s.requests[1..].iter().map(|r| r.response_bytes + header).sum();
        let asks: u64 = s.requests[1..].iter().map(|r| u64::from(r.request_bytes)).sum();
        objects <= window && asks <= window
    };
    // How the version carries the page: the one place the models tell
    // versions apart.
    let carriage = match protocol {
        Protocol::Http10 if s.client.http10_keep_alive => Carriage::Persistent { pipelined: false },
        Protocol::Http10 => Carriage::NonPersistent,
        Protocol::Http11 => Carriage::Persistent { pipelined: s.client.pipelining },
        Protocol::H2 => Carriage::Multiplexed,
        Protocol::H3 => Carriage::Quic,
    };
    let resumes = s.tls.version != TlsVersion::None && s.tls.resumption != Resumption::None;
    let window = u64::from(s.tcp.initial_cwnd_segments) * u64::from(s.network.mss_bytes);
    if n == 0 && s.requests[0].response_bytes > window {
        return match carriage {
            Carriage::NonPersistent | Carriage::Persistent { .. } => slow_start_form(s, rtt, h),
            Carriage::Multiplexed => {
                ClosedForm::None("HTTP/2's frames change the segment count of a large response".into())
            }
            Carriage::Quic => ClosedForm::None("HTTP/3's closed form is not covered yet".into()),
        };
    }
    match carriage {
        Carriage::Quic => ClosedForm::None("HTTP/3's closed form is not covered yet".into()),
        Carriage::NonPersistent => {
            let p = s.client.max_connections_per_host.max(1) as usize;
            if resumes && n > 0 {
                return ClosedForm::None(
                    "resumed TLS handshakes on later connections cost fewer round trips than the first"
                        .into(),
                );
            }
            let waves = n.div_ceil(p) as f64;
            let (formula, worked) = if p == 1 {
                (
                    format!("{}(N + 1)·RTT", decimal(k)),
                    format!("{} × ({n} + 1) × {} ms", decimal(k), decimal(rtt)),
                )
            } else {
                (
                    format!("{}(1 + ⌈N/P⌉)·RTT", decimal(k)),
                    format!("{} × (1 + ⌈{n}/{p}⌉) × {} ms", decimal(k), decimal(rtt)),
                )
            };
            ClosedForm::Applies(Receipt {
                model: if p == 1 {
                    "non-persistent HTTP, one connection at a time (Kurose & Ross §2.2.3)"
                } else {
                    "non-persistent HTTP, parallel connections (Kurose & Ross §2.2.3)"
                },
                formula,
                worked,
                expected_ms: k * (1.0 + waves) * rtt,
                breakdown: vec![
                    ("TCP handshakes", 1.0 + waves),
                    ("TLS handshakes", (h - 1.0) * (1.0 + waves)),
                    ("requests and responses", 1.0 + waves),
                ],
            })
        }
        Carriage::Persistent { pipelined } => {
            let p = s.client.max_connections_per_host.max(1) as usize;
            if p > 1 && n > 1 {
                if pipelined {
                    return ClosedForm::None(
                        "pipelining over several connections at once has no textbook form (set connections per host to 1)"
                            .into(),
                    );
                }
                if resumes {
                    return ClosedForm::None(
                        "resumed TLS handshakes on later connections cost fewer round trips than the first"
                            .into(),
                    );
                }
                return parallel_persistent_form(k, rtt, h, n, p);
            }
            if pipelined && n > 0 {
                if !one_flight(u64::from(s.server.response_header_bytes)) {
                    return ClosedForm::None("the pipelined objects do not fit in one initial window".into());
                }
                pipelined_form(k, rtt, h, "persistent HTTP with pipelining (Kurose & Ross §2.2.3)")
            } else {
                ClosedForm::Applies(Receipt {
                    model: "persistent HTTP without pipelining (Kurose & Ross §2.2.3)",
                    formula: format!("{}·RTT + N·RTT", decimal(k)),
                    worked: format!("{} × {} ms + {n} × {} ms", decimal(k), decimal(rtt), decimal(rtt)),
                    expected_ms: (k + nf) * rtt,
                    breakdown: vec![
                        ("TCP handshake", 1.0),
                        ("TLS handshake", h - 1.0),
                        ("requests and responses", 1.0 + nf),
                    ],
                })
            }
        }
        Carriage::Multiplexed => {
            if n as u64 > u64::from(s.server.max_concurrent_streams) {
                return ClosedForm::None("more objects than the server's concurrent streams".into());
            }
            if n == 0 {
                return pipelined_form(k, rtt, h, "HTTP/2, one connection").without_objects(k, rtt);
            }
            // HPACK shrinks repeated headers: the first response's are the largest.
            if !one_flight(u64::from(s.server.response_header_bytes) + 9) {
                return ClosedForm::None("the objects do not fit in one initial window".into());
            }
            pipelined_form(
                k,
                rtt,
                h,
                "HTTP/2: every object on its own stream of one connection (HPBN ch. 12)",
            )
        }
    }
}

/// Persistent connections, P at a time: once the base has arrived (after
/// (H + 1) round trips) the first connection serves an object per round
/// trip, and the P − 1 opened for the queue join it H round trips later, an
/// object per round trip each. After j more round trips
/// j + (P − 1)·max(0, j − H) objects have arrived, so the page takes the
/// smallest such j that reaches N: N when N ≤ H + 1, else
/// ⌈(N + (P − 1)·H) / P⌉.
fn parallel_persistent_form(k: f64, rtt: f64, h: f64, n: usize, p: usize) -> ClosedForm {
    let hk = h as usize;
    let served = |j: usize| j + (p - 1) * j.saturating_sub(hk);
    let mut j = 1;
    while served(j) < n {
        j += 1;
    }
    ClosedForm::Applies(Receipt {
        model: "persistent HTTP, P connections: the first reused, P − 1 opened for the queue",
        formula: "(H + 1)·RTT + j·RTT, smallest j with j + (P − 1)(j − H) ≥ N".into(),
        worked: format!(
            "{} × {} ms + {j} × {} ms; H = {}, P = {p}: {j} + {} × ({j} − {}) = {} ≥ {n}",
            decimal(k),
            decimal(rtt),
            decimal(rtt),
            decimal(h),
            p - 1,
            decimal(h),
            served(j)
        ),
        expected_ms: (k + j as f64) * rtt,
        // On the critical path: the new connections' handshake only when
        // they serve objects before the first connection alone could.
        breakdown: if j > hk {
            vec![
                ("TCP handshakes", 2.0),
                ("TLS handshakes", 2.0 * (h - 1.0)),
                ("requests and responses", 1.0 + (j - hk) as f64),
            ]
        } else {
            vec![
                ("TCP handshake", 1.0),
                ("TLS handshake", h - 1.0),
                ("requests and responses", 1.0 + j as f64),
            ]
        },
    })
}

/// One object larger than the initial window, over TCP with an ACK per
/// segment and no bandwidth limit: the window doubles each round trip
/// (RFC 5681 slow start, counted in segments as Linux does), so n segments
/// from an initial window of W take the smallest k with W(2^k − 1) ≥ n
/// rounds, and the page (H + k)·RTT: the handshake, then the request's
/// half round trip, k − 1 rounds of ACK clocking and the last flight's half.
fn slow_start_form(s: &Scenario, rtt: f64, h: f64) -> ClosedForm {
    if s.tls.version != TlsVersion::None {
        return ClosedForm::None(
            "with TLS the handshake's flights grow the window before the response".into(),
        );
    }
    if s.tcp.delayed_ack {
        return ClosedForm::None("delayed ACKs change how the window grows round by round".into());
    }
    let w = u64::from(s.tcp.initial_cwnd_segments);
    let segments = s.requests[0].response_bytes.div_ceil(u64::from(s.network.mss_bytes));
    let mut k = 1u32;
    while w * ((1u64 << k) - 1) < segments {
        k += 1;
    }
    ClosedForm::Applies(Receipt {
        model: "one object in slow start: the window doubles each round trip (RFC 5681)",
        formula: "(H + k)·RTT, smallest k with W(2^k − 1) ≥ n".into(),
        worked: format!(
            "({} + {k}) × {} ms; W = {w}, n = {segments} segments: {w} × (2^{k} − 1) = {} ≥ {segments}",
            decimal(h),
            decimal(rtt),
            w * ((1u64 << k) - 1)
        ),
        expected_ms: (h + f64::from(k)) * rtt,
        breakdown: vec![("TCP handshake", h), ("slow-start rounds", f64::from(k))],
    })
}

/// (H + 1)·RTT for the base, one more for every object at once.
fn pipelined_form(k: f64, rtt: f64, h: f64, model: &'static str) -> ClosedForm {
    ClosedForm::Applies(Receipt {
        model,
        formula: format!("{}·RTT + RTT", decimal(k)),
        worked: format!("{} × {} ms + {} ms", decimal(k), decimal(rtt), decimal(rtt)),
        expected_ms: (k + 1.0) * rtt,
        breakdown: vec![("TCP handshake", 1.0), ("TLS handshake", h - 1.0), ("requests and responses", 2.0)],
    })
}

impl ClosedForm {
    /// A page of the base file alone: (H + 1)·RTT.
    fn without_objects(self, k: f64, rtt: f64) -> ClosedForm {
        match self {
            ClosedForm::Applies(r) => ClosedForm::Applies(Receipt {
                formula: format!("{}·RTT", decimal(k)),
                worked: format!("{} × {} ms", decimal(k), decimal(rtt)),
                expected_ms: k * rtt,
                breakdown: r
                    .breakdown
                    .into_iter()
                    .map(|(w, n)| if w.starts_with("requests") { (w, 1.0) } else { (w, n) })
                    .collect(),
                ..r
            }),
            none => none,
        }
    }
}
