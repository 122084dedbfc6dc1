//! The words each trace event says about itself, for people: the "why" of
//! the app, `reuse-cli trace`, ladder labels.

use crate::scenario::Scenario;
use crate::time::decimal;
#[cfg(feature = "quic")]
#[path = "describe/quic.rs"]
mod quic;

/// Without QUIC in the build no run has QUIC events or datagrams.
#[cfg(not(feature = "quic"))]
mod quic {
    use super::*;
    pub(super) fn describe(_event: &TraceEvent, _cx: DescribeContext<'_>) -> String {
        String::new()
    }
}

#[cfg(feature = "push")]
#[path = "describe/push.rs"]
mod push;

#[cfg(feature = "cubic")]
#[path = "describe/bbr.rs"]
mod bbr;

use crate::trace::{
    CloseReason, Content, CwndCause, EventKind, FailureReason, LossCause, PacketInfo, PacketNote,
    QueueReason, ReqIdx, TcpTimeout, TlsMode, TraceEvent,
};

/// What the scenario's middlebox is, in words ("NAT", "load balancer").
fn middlebox_name(s: &Scenario) -> &'static str {
    s.network.middlebox.as_ref().map_or("middlebox", |m| m.kind.label())
}

impl PacketInfo {
    /// A short label for a ladder arrow: `SYN`, `ACK`, `GET style.css`,
    /// `DATA index.html`, `FIN`; for QUIC, each coalesced packet with its
    /// frames: `Initial (ClientHello, padded to 1200)`, `1-RTT (STREAM 8
    /// style.css, ACK 12–15)`.
    pub fn label(&self, scenario: &Scenario) -> String {
        #[cfg(feature = "quic")]
        if let Some(datagram) = &self.quic {
            let mut label = quic::label(datagram, self.payload_bytes, scenario);
            if self.retransmission {
                label.push_str(" (retx)");
            }
            return label;
        }
        let f = self.flags;
        match self.note {
            Some(PacketNote::KeepaliveProbe) => return "keep-alive probe".into(),
            Some(PacketNote::MiddleboxReset) => return format!("RST from the {}", middlebox_name(scenario)),
            None => {}
        }
        if f.rst {
            return "RST".into();
        }
        if f.syn {
            return if f.ack { "SYN-ACK".into() } else { "SYN".into() };
        }
        let mut label = match self.content {
            Content::None => {
                if f.fin {
                    String::new()
                } else {
                    "ACK".into()
                }
            }
            Content::ClientHello => "ClientHello".into(),
            Content::ServerHandshake => "ServerHello…".into(),
            Content::ClientFinished => "Finished".into(),
            Content::ServerFinished => "Finished".into(),
            Content::SessionTicket => "Ticket".into(),
            Content::H2Preface => "SETTINGS".into(),
            Content::H2Settings => "SETTINGS".into(),
            Content::H2GoAway => "GOAWAY".into(),
            Content::Request(r) => format!("GET {}", request_id(scenario, r)),
            Content::EarlyRequest(r) => format!("0-RTT GET {}", request_id(scenario, r)),
            Content::Response(r) => format!("DATA {}", request_id(scenario, r)),
            #[cfg(feature = "push")]
            Content::ResponsePart(r) => format!("DATA {}", request_id(scenario, r)),
            Content::ServerHello => "ServerHello".into(),
            Content::ServerCertificate => "certificate".into(),
            Content::H3Control => "SETTINGS".into(),
            Content::H3GoAway => "GOAWAY".into(),
        };
        if self.more_content > 0 {
            label.push_str(&format!(" +{}", self.more_content));
        }
        if f.fin {
            if label.is_empty() {
                label.push_str("FIN");
            } else {
                label.push_str(" FIN");
            }
        }
        if self.retransmission {
            label.push_str(" (retx)");
        }
        label
    }
}

fn request_id(scenario: &Scenario, r: ReqIdx) -> &str {
    scenario.requests.get(r as usize).map(|q| q.id.as_str()).unwrap_or("?")
}

/// What the trace needs besides the scenario to put causes in words.
#[derive(Clone, Copy)]
pub struct DescribeContext<'a> {
    pub scenario: &'a Scenario,
    pub hosts: &'a [String],
}

impl TraceEvent {
    /// The event and its cause, in words, for people.
    pub fn describe(&self, cx: DescribeContext<'_>) -> String {
        let s = cx.scenario;
        let rid = |r: &ReqIdx| request_id(s, *r).to_string();
        let host = |h: &u32| cx.hosts.get(*h as usize).cloned().unwrap_or_default();
        match &self.kind {
            EventKind::RequestReady { request } => {
                let spec = &s.requests[*request as usize];
                if spec.after.is_empty() && spec.delay_ms == 0.0 {
                    format!("{} is ready: the page starts", rid(request))
                } else if spec.after.is_empty() {
                    format!("{} is ready after {} ms of think time", rid(request), decimal(spec.delay_ms))
                } else if spec.delay_ms > 0.0 {
                    format!(
                        "{} is ready: {} arrived, then {} ms of think time",
                        rid(request),
                        spec.after.join(", "),
                        decimal(spec.delay_ms)
                    )
                } else {
                    format!("{} is ready: it needed {}", rid(request), spec.after.join(", "))
                }
            }
            EventKind::RequestQueued { request, reason } => match reason {
                QueueReason::ConnectionLimit => format!(
                    "{} queued: all {} connections to {} are busy",
                    rid(request),
                    s.client.max_connections_per_host,
                    s.requests[*request as usize].host
                ),
                QueueReason::WaitingForConnection => {
                    format!("{} waits for a connection to be set up", rid(request))
                }
                QueueReason::StreamLimit => format!(
                    "{} queued: the server allows {} concurrent streams",
                    rid(request),
                    s.server.max_concurrent_streams
                ),
            },
            EventKind::RequestAssigned { request, conn, reused, behind, stream } => {
                let mut text = format!("{} goes on connection {conn}", rid(request));
                if let Some(id) = stream {
                    text.push_str(&format!(" as stream {id}"));
                }
                if *reused {
                    text.push_str(", reusing it: no handshake");
                }
                if *behind > 0 {
                    text.push_str(&format!(", pipelined behind {behind} outstanding"));
                }
                text
            }
            EventKind::RequestWritten { request, conn, header_bytes, wire_bytes } => {
                let spec = &s.requests[*request as usize];
                if *header_bytes < spec.request_bytes as u64 {
                    format!(
                        "client writes {} on connection {conn}: {header_bytes} header bytes \
                         (compressed from {}), {wire_bytes} on the wire",
                        rid(request),
                        spec.request_bytes
                    )
                } else {
                    format!("client writes {} on connection {conn}: {wire_bytes} bytes", rid(request))
                }
            }
            EventKind::RequestSent { request, conn, leaves } => {
                let mut text = format!("{} starts to leave the client on connection {conn}", rid(request));
                if *leaves > self.time {
                    text.push_str(&format!(" (after {} in the uplink queue)", *leaves - self.time));
                }
                text
            }
            EventKind::RequestDeparted { request, departed, .. } => {
                format!("the last byte of {} has left the client at {departed}", rid(request))
            }
            EventKind::ResponseWritten { request, header_bytes, wire_bytes, .. } => format!(
                "server writes the response to {}: {wire_bytes} bytes on the wire, {header_bytes} of them headers",
                rid(request)
            ),
            EventKind::ServerIdleTimerStarted { conn, deadline } => format!(
                "the server has sent everything on connection {conn}: its keep-alive timer closes it at {deadline} unless a request comes"
            ),
            EventKind::ServerQueued { request, behind, .. } => format!(
                "server has {} but works on {} first: pipelined requests are answered in order \
                 (head-of-line blocking)",
                rid(request),
                rid(behind)
            ),
            EventKind::ServerProcessing { request, duration_ms, .. } => {
                format!("server has {} and works on it for {} ms", rid(request), decimal(*duration_ms))
            }
            EventKind::ResponseReady { request, blocked_by, .. } => match blocked_by {
                Some(b) => format!(
                    "response to {} is ready but waits behind {} (head-of-line blocking)",
                    rid(request),
                    rid(b)
                ),
                None => format!("response to {} is ready and starts to leave", rid(request)),
            },
            EventKind::ResponseHeld { request, bytes, behind, .. } => {
                let lost = if *behind == u64::MAX { "a lost packet".to_string() } else { format!("lost packet {behind}") };
                format!(
                    "{} bytes of {} arrived but wait behind {lost}: the connection delivers in order \
                     (head-of-line blocking)",
                    bytes,
                    rid(request)
                )
            }
            EventKind::ResponseReleased { request, bytes, .. } => format!(
                "the lost packet came again: {bytes} bytes of {} that waited behind it go up at once",
                rid(request)
            ),
            EventKind::ResponseFirstByte { request, .. } => {
                format!("first byte of {} arrives", rid(request))
            }
            EventKind::ResponseComplete { request, .. } => {
                format!("{} is complete", rid(request))
            }
            EventKind::RequestFailed { request, conn, reason } => {
                let why = match reason {
                    FailureReason::LostOnNewConnection => format!(
                        "connection {conn} closed before any of the response came, and it was new: \
                         a browser retries only on a reused connection"
                    ),
                    FailureReason::LostAgain => "lost to a close a second time: a browser retries once".into(),
                    FailureReason::ResponseCut => {
                        format!("connection {conn} closed while the response was arriving")
                    }
                    FailureReason::DependencyFailed => "it needs a request that failed".into(),
                    FailureReason::Unfinished => "the run stopped before it finished".into(),
                    #[cfg(not(feature = "keepalive"))]
                    FailureReason::NoResponse => String::new(),
                    #[cfg(feature = "keepalive")]
                    FailureReason::NoResponse => format!(
                        "the response can never come: the {} forgot connection {conn}, and nothing on the \
                         client watches a quiet connection (no TCP keep-alive, nothing left to retransmit); a \
                         real client waits until an application timeout",
                        middlebox_name(s)
                    ),
                    FailureReason::ConnectFailed => format!(
                        "connection {conn} never finished its handshake (nothing came back within its idle \
                         timeout): a browser fails the request that waited for it"
                    ),
                };
                format!("{} failed: {why}", rid(request))
            }
            EventKind::RequestLost { request, conn, closed_by, .. } => format!(
                "{} was lost: connection {conn} was closed ({}) before the server read it; it is retried",
                rid(request),
                describe_close(s, *closed_by)
            ),
            EventKind::DnsStart { host: h } => {
                format!("DNS lookup for {} ({} ms)", host(h), decimal(s.dns_ms))
            }
            EventKind::DnsDone { host: h } => format!("DNS answer for {}: cached from now on", host(h)),
            EventKind::ConnectionOpened { conn, host: h } => {
                format!("connection {conn} to {} opens", host(h))
            }
            EventKind::TcpStateChanged { conn, side, from, to } => {
                format!("connection {conn} {}: {from} → {to}", side.as_str())
            }
            EventKind::TlsStarted { conn, mode } => {
                let version = match s.tls.version {
                    crate::scenario::TlsVersion::Tls12 => "TLS 1.2",
                    _ => "TLS 1.3",
                };
                let rtts = tls_round_trips(s, *mode);
                format!(
                    "connection {conn}: {version} {} handshake, {rtts} round trip{}",
                    match mode {
                        TlsMode::Full => "full",
                        TlsMode::Resumed => "resumed (session ticket)",
                        TlsMode::EarlyData => "0-RTT (early data)",
                        TlsMode::None => "no",
                    },
                    if rtts == 1 { "" } else { "s" }
                )
            }
            EventKind::ConnectionReady { conn, .. } => {
                format!("connection {conn} is ready for requests")
            }
            EventKind::ConnectionIdle { conn, client_deadline, server_deadline } => {
                let mut text = format!("connection {conn} is idle");
                if let Some(d) = server_deadline {
                    text.push_str(&format!(
                        "; the server closes it at {d} (keep-alive timeout {} ms)",
                        decimal(s.server.keep_alive_timeout_ms)
                    ));
                }
                text.push_str(&format!(
                    "; the client at {client_deadline} (idle timeout {} ms)",
                    decimal(s.client.idle_timeout_ms)
                ));
                text
            }
            EventKind::ConnectionReleased { conn } => {
                format!(
                    "the client stops using connection {conn}: it no longer counts toward the per-host limit"
                )
            }
            EventKind::ConnectionClosing { conn, side, reason } => {
                format!("connection {conn} closed by the {}: {}", side.as_str(), describe_close(s, *reason))
            }
            EventKind::PacketSent(p) => {
                let mut text = format!(
                    "{} → {}: {} ({} bytes on the wire)",
                    p.from.as_str(),
                    p.from.peer().as_str(),
                    p.label(s),
                    p.wire_bytes
                );
                if p.sent > p.queued_at {
                    text.push_str(&format!(", queued {} at the bottleneck", p.sent - p.queued_at));
                }
                if p.queue_drop {
                    text.push_str(", dropped: the bottleneck buffer is full");
                } else if p.lost {
                    text.push_str(", lost on the way");
                }
                text
            }
            EventKind::PacketDelivered { id, to, .. } => format!("packet {id} reaches the {}", to.as_str()),
            EventKind::PacketDropped { id, to, .. } => {
                format!(
                    "packet {id} to the {} is lost (loss rate {})",
                    to.as_str(),
                    decimal(s.network.loss_rate)
                )
            }
            EventKind::Reset { conn, side, data: true } => format!(
                "connection {conn}: data arrived after the {} closed its socket, so it answers with RST",
                side.as_str()
            ),
            EventKind::Reset { conn, side, data: false } => format!(
                "connection {conn}: a segment reached the {} after it had dropped the connection, \
                 so it answers with RST (again)",
                side.as_str()
            ),
            EventKind::Retransmit { conn, side, seq, cause } => format!(
                "connection {conn} {} resends from byte {seq}: {}",
                side.as_str(),
                match cause {
                    LossCause::Timeout => "retransmission timeout (RFC 6298)",
                    LossCause::PartialAck => "a partial ACK shows the next hole (NewReno, RFC 6582)",
                    LossCause::DuplicateAcks => "three duplicate ACKs, fast retransmit (RFC 5681)",
                    LossCause::Sack => "three segments above it arrived (SACK): it was lost (RFC 6675)",
                    LossCause::Rack => {
                        "a segment sent after it arrived and a round trip has passed since it left: \
                         it was lost (RACK, RFC 8985)"
                    }
                    LossCause::TailLossProbe => {
                        "tail loss probe: no ACK for 2 round trips, so the last segment goes again \
                         to ask for one (TLP, RFC 8985)"
                    }
                }
            ),
            EventKind::CongestionWindow { conn, side, cause, cwnd_bytes, ssthresh_bytes } => {
                let why = match cause {
                    CwndCause::FastRetransmit => match s.tcp.congestion_control {
                        #[cfg(feature = "cubic")]
                        crate::scenario::CongestionControl::Cubic => {
                            "fast recovery after a loss, ssthresh = 0.7 × the window (CUBIC's β, RFC 9438 §4.6)"
                        }
                        #[cfg(feature = "cubic")]
                        crate::scenario::CongestionControl::Bbr => {
                            "fast recovery after a loss: BBR cuts nothing, it sends one segment per segment \
                             delivered for a round trip (packet conservation)"
                        }
                        _ => "fast recovery after a loss, ssthresh = half the window",
                    },
                    CwndCause::ConservativeSlowStart | CwndCause::HystartExit => hystart_words(*cause),
                    CwndCause::RecoveryDone => "recovery done",
                    CwndCause::Timeout => "timeout, back to one segment",
                    CwndCause::IdleRestart => {
                        "idle longer than the RTO, back to the initial window (RFC 5681 §4.1)"
                    }
                    CwndCause::SlowStartEnd => "slow start ends, congestion avoidance",
                    CwndCause::PartialAck => "a partial ACK deflates the window (NewReno)",
                    CwndCause::SpuriousTimeout => {
                        "the timeout was spurious (F-RTO, RFC 5682): the window before it comes back"
                    }
                    CwndCause::QuicLoss => match s.tcp.congestion_control {
                        #[cfg(feature = "cubic")]
                        crate::scenario::CongestionControl::Cubic => {
                            "a packet was declared lost, window × 0.7 once this round trip (CUBIC's β, RFC 9438 §4.6)"
                        }
                        #[cfg(feature = "cubic")]
                        crate::scenario::CongestionControl::Bbr => {
                            "a packet was declared lost: BBR cuts nothing, it sends one byte per byte delivered \
                             for a round trip (packet conservation)"
                        }
                        _ => "a packet was declared lost, window halved once this round trip (RFC 9002 §7.3.2)",
                    },
                    CwndCause::TailLossProbe => match s.tcp.congestion_control {
                        #[cfg(feature = "cubic")]
                        crate::scenario::CongestionControl::Cubic => {
                            "the tail loss probe repaired a loss: ssthresh = 0.7 × the window (CUBIC's β) \
                             (RFC 8985 §7.4)"
                        }
                        _ => "the tail loss probe repaired a loss: ssthresh = half the window (RFC 8985 §7.4)",
                    },
                    CwndCause::PersistentCongestion => {
                        "persistent congestion: every packet over 3 PTO was lost, back to the minimum window of \
                         2 datagrams (RFC 9002 §7.6)"
                    }
                };
                let ssthresh = if *ssthresh_bytes >= u64::MAX / 4 {
                    "∞".to_string()
                } else {
                    ssthresh_bytes.to_string()
                };
                format!(
                    "connection {conn} {} cwnd {cwnd_bytes} bytes, ssthresh {ssthresh}: {why}",
                    side.as_str()
                )
            }
            #[cfg(feature = "cubic")]
            EventKind::BbrModeChanged { .. } | EventKind::BbrPacing { .. } => bbr::describe(self),
            EventKind::QuicStateChanged { .. }
            | EventKind::QuicHandshakeStarted { .. }
            | EventKind::QuicAmplificationLimit { .. }
            | EventKind::QuicAddressValidated { .. }
            | EventKind::QuicPacketLost { .. }
            | EventKind::QuicProbeTimeout { .. }
            | EventKind::QuicStreamBlocked { .. }
            | EventKind::QuicStreamUnblocked { .. }
            | EventKind::QuicIdleTimeout { .. } => quic::describe(self, cx),
            #[cfg(feature = "keepalive")]
            EventKind::MiddleboxForgot { conn } => {
                let timeout = s.network.middlebox.as_ref().map_or(0.0, |m| m.idle_timeout_ms);
                format!(
                    "the {} forgets the idle connection {conn}: no packet for {} ms (its idle timeout). \
                     Nothing goes on the wire; neither end knows",
                    middlebox_name(s),
                    decimal(timeout)
                )
            }
            #[cfg(feature = "keepalive")]
            EventKind::MiddleboxRejected { conn, id, from } => {
                let reset = s
                    .network
                    .middlebox
                    .as_ref()
                    .is_some_and(|m| m.on_expired == crate::scenario::OnExpired::Rst);
                format!(
                    "packet {id} from the {} reaches the {} after it forgot connection {conn}: {}",
                    from.as_str(),
                    middlebox_name(s),
                    if reset {
                        "it goes no further, and the answer is an RST"
                    } else {
                        "it is dropped silently; the sender will retransmit until it gives up"
                    }
                )
            }
            // Only runs with a middlebox have these (builds with `keepalive`).
            #[cfg(not(feature = "keepalive"))]
            EventKind::MiddleboxForgot { .. } | EventKind::MiddleboxRejected { .. } => String::new(),
            EventKind::TcpTimedOut { conn, side, cause } => match cause {
                // Only runs with TCP keep-alive have these (builds with `keepalive`).
                #[cfg(not(feature = "keepalive"))]
                TcpTimeout::KeepaliveProbes => String::new(),
                #[cfg(feature = "keepalive")]
                TcpTimeout::KeepaliveProbes => format!(
                    "connection {conn}: the {} sent {} keep-alive probes and none was answered: it resets \
                     the connection (ETIMEDOUT)",
                    side.as_str(),
                    s.tcp.keepalive.as_ref().map_or(0, |k| k.probes)
                ),
                TcpTimeout::Retransmissions => format!(
                    "connection {conn}: the {} has retransmitted for {} s without an acknowledgment \
                     (Linux's tcp_retries2 = 15): it gives the connection up (ETIMEDOUT)",
                    side.as_str(),
                    decimal(crate::transport::tcp::RETRIES2_TIMEOUT.as_ms() / 1000.0)
                ),
            },
            #[cfg(feature = "push")]
            EventKind::PushEvent { .. }
            | EventKind::LongPollHeld { .. }
            | EventKind::PushWritten { .. }
            | EventKind::PushDelivered { .. } => push::describe(self, cx),
            EventKind::PageLoaded { failed: 0 } => "every response has arrived: page loaded".into(),
            EventKind::PageLoaded { failed } => {
                format!("every request has ended, {failed} of them failed: the page is as loaded as it gets")
            }
            EventKind::End { .. } => "end of simulation".into(),
        }
    }
}

/// Words for a close reason, with the configured value where there is one.
/// HyStart++'s two steps in words (only CUBIC takes them: the words are
/// compiled out with it).
fn hystart_words(cause: CwndCause) -> &'static str {
    if cfg!(not(feature = "cubic")) {
        return "";
    }
    match cause {
        CwndCause::ConservativeSlowStart => {
            "the round trip rose: conservative slow start, a quarter of the growth (HyStart++, RFC 9406)"
        }
        _ => "five conservative rounds done: ssthresh = cwnd, congestion avoidance (HyStart++, RFC 9406)",
    }
}

pub fn describe_close(s: &Scenario, reason: CloseReason) -> String {
    match reason {
        CloseReason::ServerClose => "the server closes after each response (no keep-alive)".into(),
        CloseReason::ServerIdleTimeout => {
            format!("server idle timeout {} ms", decimal(s.server.keep_alive_timeout_ms))
        }
        CloseReason::ClientIdleTimeout => {
            format!("client idle timeout {} ms", decimal(s.client.idle_timeout_ms))
        }
        CloseReason::MaxRequests => {
            format!("the server's limit of {} requests per connection", s.server.max_requests_per_connection)
        }
        CloseReason::Error => "reset".into(),
        CloseReason::Open => "still open".into(),
        #[cfg(not(feature = "keepalive"))]
        CloseReason::Middlebox => String::new(),
        #[cfg(feature = "keepalive")]
        CloseReason::Middlebox => format!(
            "the {} on the path had forgotten the idle connection and answered with RST",
            middlebox_name(s)
        ),
        CloseReason::TimedOut => "TCP gave up (unanswered keep-alive probes or retransmissions)".into(),
        CloseReason::ErrorResponse => {
            "the server closes after an error response (server.close_on_error; RFC 9112 would keep it)".into()
        }
        CloseReason::ServerReadTimeout => format!(
            "the server waited {} s for more of a request (its read timeout between reads)",
            crate::http::server::READ_TIMEOUT.0 / 1_000_000_000
        ),
    }
}

/// Round trips a TLS handshake of this mode adds before the first request.
pub fn tls_round_trips(s: &Scenario, mode: TlsMode) -> u32 {
    use crate::scenario::TlsVersion;
    match (s.tls.version, mode) {
        (TlsVersion::None, _) | (_, TlsMode::None) | (_, TlsMode::EarlyData) => 0,
        (TlsVersion::Tls12, TlsMode::Full) => 2,
        _ => 1,
    }
}
