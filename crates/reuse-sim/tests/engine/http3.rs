//! HTTP/3 over QUIC: one handshake for transport and TLS, 0-RTT, the
//! anti-amplification limit, the probe timeout, streams that do not block
//! each other on loss, silent idle expiry and graceful close. Every
//! expected value is derived here from the RFCs' rules (RFC 9000, 9001,
//! 9002, 9114), never copied from a run.

use crate::fixtures::*;
use reuse_sim::scenario::{Resumption, TlsVersion};
use reuse_sim::trace::{
    CloseReason, Content, EventKind, FailureReason, PacketInfo, PnSpace, QuicFrame, QuicPacketType, Side,
    TlsMode,
};
use reuse_sim::transport::quic::wire;
use reuse_sim::{simulate, Protocol, RequestSpec, Scenario, SimOutput};

const RTT: f64 = 100.0;

/// One small object at RTT R, infinite bandwidth, under `protocol` with
/// `tls`, and a certificate flight that fits the first window and (QUIC)
/// the anti-amplification budget.
fn one_object(protocol: Protocol, tls: TlsVersion) -> Scenario {
    let mut s = single(RTT, 1000);
    s.client.protocol = protocol;
    s.tls.version = tls;
    s.tls.certificate_bytes = 2500;
    s
}

/// The QUIC datagrams of a run, in sending order.
fn datagrams(out: &SimOutput) -> Vec<&PacketInfo> {
    packets(out).filter(|p| p.quic.is_some()).collect()
}

#[test]
fn one_object_costs_two_rtt_over_http3_three_over_http2_with_tls13_four_with_tls12() {
    let h3 = run(&one_object(Protocol::H3, TlsVersion::Tls13));
    // QUIC: the Initial and the server's flights are one round trip, the
    // request leaves with the client's Finished, the response takes one more.
    assert_ms(h3.result.page_load_ms, 2.0 * RTT, "HTTP/3");
    let r = &h3.result.requests[0];
    assert_ms(r.connect_ms, 0.0, "QUIC has no separate transport handshake");
    assert_ms(r.tls_ms, RTT, "the QUIC handshake is TLS 1.3's one round trip");
    assert_eq!(h3.result.connections[0].tls, TlsMode::Full);
    assert_phase_sums(&h3);
    // TCP's handshake (1 RTT) before TLS 1.3 (1 RTT) or TLS 1.2 (2 RTT).
    let h2 = run(&one_object(Protocol::H2, TlsVersion::Tls13));
    assert_ms(h2.result.page_load_ms, 3.0 * RTT, "HTTP/2 over TLS 1.3");
    let h2 = run(&one_object(Protocol::H2, TlsVersion::Tls12));
    assert_ms(h2.result.page_load_ms, 4.0 * RTT, "HTTP/2 over TLS 1.2");
}

/// Two requests to one host, the second long after the first's connection
/// has timed out idle, so it needs a new connection (and may resume).
fn two_visits(resumption: Resumption) -> Scenario {
    let mut s = one_object(Protocol::H3, TlsVersion::Tls13);
    s.tls.resumption = resumption;
    s.quic.client_max_idle_timeout_ms = 1_000.0;
    s.requests.push(RequestSpec::new("later", 1000).after(&["file"]).delay_ms(3_000.0));
    s
}

#[test]
fn zero_rtt_resumption_puts_the_request_in_the_first_flight() {
    let out = run(&two_visits(Resumption::EarlyData));
    assert_eq!(out.result.connections.len(), 2);
    assert_eq!(out.result.connections[1].tls, TlsMode::EarlyData);
    let later = &out.result.requests[1];
    // The request rides in the client's first datagram: one round trip.
    assert_ms(later.end_ms - later.start_ms, RTT, "0-RTT");
    assert_ms(later.tls_ms, 0.0, "0-RTT: no handshake before the request");
    assert_phase_sums(&out);
    let first = datagrams(&out).into_iter().find(|p| p.conn == 2).expect("a datagram on connection 2");
    let types: Vec<QuicPacketType> =
        first.quic.as_ref().unwrap().packets.iter().map(|p| p.packet_type).collect();
    assert_eq!(types, vec![QuicPacketType::Initial, QuicPacketType::ZeroRtt], "coalesced in one datagram");
    // With a ticket but no early data, resumption still costs its round trip.
    let out = run(&two_visits(Resumption::Ticket));
    assert_eq!(out.result.connections[1].tls, TlsMode::Resumed);
    let later = &out.result.requests[1];
    assert_ms(later.end_ms - later.start_ms, 2.0 * RTT, "ticket resumption");
}

/// The largest `tls.certificate_bytes` whose flight the server can send in
/// its first three datagrams (RFC 9000 §8.1: 3 × the client's padded
/// Initial), from the packet layouts of RFC 9000 §17 and §19.
fn largest_certificate_within_the_amplification_limit(mds: u64) -> u64 {
    let v = |x: u64| wire::varint_len(x) as u64;
    let initial = wire::packet_overhead(QuicPacketType::Initial) as u64;
    let handshake = wire::packet_overhead(QuicPacketType::Handshake) as u64;
    // First datagram: Initial with ACK of packet 0 (type, largest, delay,
    // range count, first range: 5 bytes) and CRYPTO(ServerHello), then a
    // Handshake packet with the first CRYPTO bytes of the flight.
    let ack = 5;
    let server_hello = wire::SERVER_HELLO_BYTES;
    let first_head = initial + ack + (1 + v(0) + v(server_hello) + server_hello) + handshake;
    let first = mds - first_head - (1 + v(0) + 2);
    // Two more datagrams of Handshake packets, CRYPTO at offsets ≥ 64.
    let second = mds - handshake - (1 + v(first) + 2);
    let third = mds - handshake - (1 + v(first + second) + 2);
    // The scenario's certificate_bytes counts the ServerHello too.
    first + second + third + server_hello
}

#[test]
fn a_certificate_flight_just_over_the_amplification_limit_adds_a_round_trip() {
    let fits = largest_certificate_within_the_amplification_limit(1200);
    for (certificate, rtts) in [(fits, 2.0), (fits + 1, 3.0)] {
        let mut s = one_object(Protocol::H3, TlsVersion::Tls13);
        s.tls.certificate_bytes = certificate as u32;
        let out = run(&s);
        assert_ms(out.result.page_load_ms, rtts * RTT, &format!("certificate flight of {certificate} bytes"));
        let limited = out.trace.iter().any(|e| matches!(e.kind, EventKind::QuicAmplificationLimit { .. }));
        assert_eq!(limited, rtts > 2.0, "the trace says why ({certificate} bytes)");
    }
    // The budget is 3 × what arrived: the server's first datagrams add up
    // to at most 3 × 1200 bytes before the client's second datagram.
    let mut s = one_object(Protocol::H3, TlsVersion::Tls13);
    s.tls.certificate_bytes = 9000;
    let out = run(&s);
    let first_burst: u64 = datagrams(&out)
        .iter()
        .filter(|p| p.from == Side::Server && p.sent.as_ms() == RTT / 2.0)
        .map(|p| p.payload_bytes as u64)
        .sum();
    assert_eq!(first_burst, 3 * 1200);
}

#[test]
fn the_client_pads_its_initial_datagram_to_the_datagram_size() {
    for mds in [1200u32, 1350] {
        let mut s = one_object(Protocol::H3, TlsVersion::Tls13);
        s.quic.max_datagram_size_bytes = mds;
        let out = run(&s);
        let first = datagrams(&out)[0];
        assert_eq!(first.from, Side::Client);
        assert_eq!(first.payload_bytes, mds, "RFC 9000 §14.1");
        assert_eq!(first.wire_bytes, mds + wire::IPV4_UDP_HEADER_BYTES, "plus IPv4 and UDP headers");
        assert_eq!(first.label(&s), format!("Initial (ClientHello, padded to {mds})"));
        assert!(first.flags == Default::default() && first.seq == 0 && first.ack == 0, "no TCP fields");
    }
}

#[test]
fn the_initial_window_at_the_default_datagram_size_is_ten_datagrams() {
    // RFC 9002 §7.2: min(10 × 1200, max(14 720, 2 × 1200)) = 12 000 bytes.
    let mds = 1200u64;
    let window = (10 * mds).min(14_720u64.max(2 * mds));
    // A resumed connection's first flight is all new data before any
    // acknowledgment: the Initial and 0-RTT packets with a 50 KB upload.
    let mut s = two_visits(Resumption::EarlyData);
    s.requests[1].request_bytes = 50_000;
    let out = run(&s);
    let first_flight: Vec<&PacketInfo> = datagrams(&out)
        .into_iter()
        .filter(|p| p.conn == 2 && p.from == Side::Client && p.sent == p.queued_at)
        .collect();
    let start = first_flight[0].sent;
    let burst: Vec<&&PacketInfo> = first_flight.iter().filter(|p| p.sent == start).collect();
    assert_eq!(burst.len() as u64, window / mds, "ten datagrams");
    let bytes: u64 = burst.iter().map(|p| p.payload_bytes as u64).sum();
    assert_eq!(bytes, window, "ten full datagrams fill the window");
    assert!(burst.iter().all(|p| p.cwnd_bytes == window));
}

#[test]
fn before_any_rtt_sample_the_probe_timeout_is_999_ms_and_doubles() {
    // RFC 9002 §6.2.2: smoothed_rtt = 333 ms, rttvar = 333 / 2 ms; the PTO
    // of the Initial space (no max_ack_delay) is 333 + 4 × 166.5 = 999 ms.
    let initial_rtt = 333.0;
    let pto = initial_rtt + 4.0 * (initial_rtt / 2.0);
    let mut s = one_object(Protocol::H3, TlsVersion::Tls13);
    // Lose the client's first Initial and its first probe.
    s.network.drop_packet_ids = vec![0, 1];
    let out = run(&s);
    let probes: Vec<f64> = out
        .trace
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::QuicProbeTimeout { side: Side::Client, space: PnSpace::Initial, .. } => {
                Some(e.time.as_ms())
            }
            _ => None,
        })
        .collect();
    assert_eq!(probes.len(), 2);
    assert_ms(probes[0], pto, "first probe timeout");
    assert_ms(probes[1], pto + 2.0 * pto, "the second waits twice as long");
    assert_ms(out.result.page_load_ms, 3.0 * pto + 2.0 * RTT, "then the handshake as usual");
    let resent = datagrams(&out)[2];
    assert!(resent.retransmission && resent.content == Content::ClientHello);
}

/// Four 60 KB responses at once over a 10 Mbit/s downlink, RTT R, with a
/// window that holds everything: the responses take turns on the wire.
fn four_streams(protocol: Protocol) -> Scenario {
    let mut s = Scenario::new(
        "four streams",
        RTT,
        (0..4).map(|i| RequestSpec::new(format!("part-{i}"), 60_000)).collect(),
    );
    s.client.protocol = protocol;
    s.tls.version = TlsVersion::Tls13;
    s.tls.certificate_bytes = 2500;
    s.network.downlink_mbps = Some(10.0);
    s.tcp.initial_cwnd_segments = 1000;
    s.quic.initial_window_packets = Some(1000);
    s
}

/// The id of the third packet that carries nothing but part-0's response.
fn third_packet_of_part_0(out: &SimOutput) -> u64 {
    packets(out)
        .filter(|p| p.from == Side::Server && p.content == Content::Response(0) && p.more_content == 0)
        .nth(2)
        .expect("part-0's data")
        .id
}

#[test]
fn a_lost_packet_holds_back_only_its_stream_in_http3_but_every_stream_in_http2() {
    let ends = |out: &SimOutput| out.result.requests.iter().map(|r| r.end_ms).collect::<Vec<f64>>();
    for protocol in [Protocol::H3, Protocol::H2] {
        let s = four_streams(protocol);
        let clean = run(&s);
        let mut lossy = s.clone();
        lossy.network.drop_packet_ids = vec![third_packet_of_part_0(&clean)];
        let lossy = run(&lossy);
        let (before, after) = (ends(&clean), ends(&lossy));
        assert!(after[0] > before[0], "{protocol}: the stream that lost data waits ({before:?} → {after:?})");
        match protocol {
            // QUIC delivers each stream in order on its own (RFC 9000 §2.2):
            // the other three finish exactly on time.
            Protocol::H3 => {
                for i in 1..4 {
                    assert_eq!(after[i], before[i], "HTTP/3: part-{i} is not held back");
                }
                let blocked = lossy.trace.iter().find_map(|e| match &e.kind {
                    EventKind::QuicStreamBlocked { stream, continuing, .. } => {
                        Some((*stream, continuing.clone()))
                    }
                    _ => None,
                });
                let (stream, continuing) = blocked.expect("the trace says which stream waits");
                assert_eq!(Some(stream as u32), lossy.result.requests[0].stream);
                assert!(
                    !continuing.is_empty() && !continuing.contains(&stream),
                    "others continue: {continuing:?}"
                );
            }
            // TCP delivers one byte stream in order: all four wait.
            _ => {
                for i in 0..4 {
                    assert!(after[i] > before[i], "HTTP/2: part-{i} waits behind the lost segment");
                }
            }
        }
        assert_phase_sums(&lossy);
    }
}

#[test]
fn streams_are_numbered_0_4_8_and_carry_their_requests() {
    let mut s = textbook(RTT, 5, Protocol::H3);
    s.tls.version = TlsVersion::Tls13;
    s.tls.certificate_bytes = 2500;
    let out = run(&s);
    let mut ids: Vec<u32> = out.result.requests.iter().filter_map(|r| r.stream).collect();
    ids.sort();
    assert_eq!(ids, vec![0, 4, 8, 12, 16, 20], "client-initiated bidirectional streams (RFC 9000 §2.1)");
    for (i, r) in out.result.requests.iter().enumerate() {
        let carried = datagrams(&out).iter().any(|p| {
            p.quic.as_ref().unwrap().packets.iter().flat_map(|q| &q.frames).any(|f| {
                matches!(*f, QuicFrame::Stream { id, content: Content::Request(q), .. }
                    if q as usize == i && Some(id as u32) == r.stream)
            })
        });
        assert!(carried, "{} goes on its stream", r.id);
    }
}

#[test]
fn the_stream_limit_paces_requests_in_waves() {
    let n = 10usize;
    for limit in [1usize, 3, 10] {
        let mut s = textbook(RTT, n, Protocol::H3);
        s.tls.version = TlsVersion::Tls13;
        s.tls.certificate_bytes = 2500;
        s.server.max_concurrent_streams = limit as u32;
        let out = run(&s);
        // One handshake round trip, the base file, then ⌈n / limit⌉ waves.
        let waves = n.div_ceil(limit) as f64;
        assert_ms(out.result.page_load_ms, 2.0 * RTT + waves * RTT, &format!("limit {limit}"));
        assert_eq!(out.result.totals.connections_opened, 1);
    }
}

#[test]
fn qpack_without_a_dynamic_table_sends_every_header_block_whole() {
    use reuse_sim::http::h3::FIELD_SECTION_PREFIX_BYTES as PREFIX;
    let n = 10u64;
    let mut s = textbook(RTT, n as usize, Protocol::H3);
    s.tls.version = TlsVersion::Tls13;
    let req = s.requests[0].request_bytes as u64;
    let resp = (s.server.response_header_bytes as u64).min(s.requests[0].response_bytes);
    let out = run(&s);
    assert_eq!(out.result.totals.header_bytes, (n + 1) * (req + PREFIX + resp + PREFIX));
    // With a dynamic table both sides allow, repeats shrink as HPACK's.
    s.quic.qpack_max_table_capacity_bytes = 4096;
    let out = run(&s);
    let repeat = |b: u64| (b / 10).max(16).min(b);
    let expected = req + n * repeat(req) + resp + n * repeat(resp) + 2 * (n + 1) * PREFIX;
    assert_eq!(out.result.totals.header_bytes, expected);
}

/// Two requests to one host, the second after `gap_ms` of quiet.
fn quiet_gap(gap_ms: f64) -> Scenario {
    let mut s = one_object(Protocol::H3, TlsVersion::Tls13);
    s.requests.push(RequestSpec::new("later", 1000).after(&["file"]).delay_ms(gap_ms));
    s
}

#[test]
fn idle_expiry_is_silent_and_reported_as_the_side_with_the_smaller_timeout() {
    for (client, server, reason) in [
        (1_000.0, 2_000.0, CloseReason::ClientIdleTimeout),
        (2_000.0, 1_000.0, CloseReason::ServerIdleTimeout),
    ] {
        let mut s = quiet_gap(4_000.0);
        s.quic.client_max_idle_timeout_ms = client;
        s.quic.server_max_idle_timeout_ms = server;
        let out = run(&s);
        let c = &out.result.connections[0];
        assert_eq!(c.closed_by, reason, "client {client} ms, server {server} ms");
        assert!(c.closed_by.is_idle_close());
        // No packet on connection 1 after the first response is complete
        // and acknowledged: no CONNECTION_CLOSE, both ends just forget.
        let done = out.result.requests[0].end_ms;
        let late = packets(&out).filter(|p| p.conn == 1 && p.sent.as_ms() > done + RTT).count();
        assert_eq!(late, 0, "idle expiry sends nothing");
        // The next request pays a new handshake.
        let later = &out.result.requests[1];
        assert_eq!(later.connection, 2);
        assert_ms(later.tls_ms, RTT, "a new QUIC handshake");
        // The idle close comes at the smaller timeout after the last packet.
        let last_packet =
            packets(&out).filter(|p| p.conn == 1).map(|p| p.arrives.as_ms()).fold(0.0, f64::max);
        let closed = c.closed_ms.expect("closed");
        assert!(
            closed >= last_packet + client.min(server) - RTT && closed <= last_packet + client.min(server)
        );
    }
}

#[test]
fn a_graceful_close_sends_goaway_and_connection_close() {
    let mut s = quiet_gap(4_000.0);
    s.server.keep_alive_timeout_ms = 500.0;
    let out = run(&s);
    let c = &out.result.connections[0];
    assert_eq!(c.closed_by, CloseReason::ServerIdleTimeout);
    let close = datagrams(&out)
        .into_iter()
        .find(|p| {
            p.conn == 1
                && p.quic
                    .as_ref()
                    .unwrap()
                    .packets
                    .iter()
                    .flat_map(|q| &q.frames)
                    .any(|f| *f == QuicFrame::ConnectionClose)
        })
        .expect("a CONNECTION_CLOSE");
    assert_eq!(close.from, Side::Server);
    assert_eq!(close.content, Content::H3GoAway, "GOAWAY rides with it (RFC 9114 §5.2)");
    assert_ms(close.sent.as_ms(), c.closed_ms.unwrap(), "sent when the keep-alive timer fires");
}

#[test]
fn http3_always_runs_tls_13_and_a_file_saying_otherwise_is_an_error() {
    // Replayed under HTTP/3, a scenario without TLS runs TLS 1.3 and says so.
    let mut s = textbook(RTT, 0, Protocol::Http11);
    s.tls.version = TlsVersion::None;
    let out = simulate(&s.with_protocol(Protocol::H3)).expect("runs");
    assert_eq!(out.result.connections[0].tls, TlsMode::Full);
    let cx = reuse_sim::DescribeContext { scenario: &s, hosts: &out.hosts };
    let said = out.trace.iter().any(|e| {
        matches!(e.kind, EventKind::QuicHandshakeStarted { .. })
            && e.describe(cx).contains("always uses TLS 1.3")
    });
    assert!(said, "the trace states the rule");
    // A file whose own protocol is h3 must ask for TLS 1.3.
    let text = s.with_protocol(Protocol::H3).to_json_pretty();
    let err = Scenario::from_json(&text).expect_err("h3 without TLS 1.3");
    assert_eq!(err.field, "tls.version");
}

#[test]
fn a_lost_first_server_flight_is_recovered_by_probes_not_the_idle_timeout() {
    // The server's first datagram (its Initial and the start of its
    // Handshake flight) is lost; the client cannot read the Handshake
    // packets that follow without it. Both sides' probe timeouts (999 ms
    // before any RTT sample, RFC 9002 §6.2.2) bring the handshake back.
    let pto = 999.0;
    let mut s = one_object(Protocol::H3, TlsVersion::Tls13);
    s.network.drop_packet_ids = vec![1];
    let out = run(&s);
    assert!(!out.trace.iter().any(|e| matches!(e.kind, EventKind::QuicIdleTimeout { .. })));
    assert_eq!(out.result.connections.len(), 1);
    let load = out.result.page_load_ms;
    assert!(load > pto && load < 2.0 * pto + 5.0 * RTT, "page load {load} ms");
}

#[test]
fn a_handshake_slower_than_the_idle_timeout_fails_its_request_instead_of_retrying_forever() {
    // At 2 kbit/s up, the client's padded Initial (1,228 bytes on the wire)
    // needs 4.9 s to leave, so nothing can come back before the idle
    // timeout: the server's 1 s, raised to 3 PTO (RFC 9000 §10.1), about
    // 3.1 s before any RTT sample (RFC 9002: PTO = 333 + 4 × 166.5 ms + the
    // 25 ms max_ack_delay). The client forgets the connection; as a browser
    // on a failed connect, it fails the request that waited for it.
    let mut s = one_object(Protocol::H3, TlsVersion::Tls13);
    s.network.uplink_mbps = Some(0.002);
    s.quic.server_max_idle_timeout_ms = 1000.0;
    s.requests.push(RequestSpec::new("second", 1000));
    let out = simulate(&s).expect("the run ends instead of reaching its time cap");
    let failures: Vec<_> = out.result.requests.iter().map(|r| r.failure).collect();
    assert_eq!(failures, [Some(FailureReason::ConnectFailed); 2], "each request fails with its attempt");
    // One attempt per request: the first fails with the first connection, the
    // second opens the next and fails with it; nothing is tried a third time.
    assert_eq!(out.result.totals.connections_opened, 2);
    assert!(out.result.connections.iter().all(|c| c.ready_ms.is_none()), "no handshake finished");
    for r in &out.result.requests {
        assert_ms(r.queued_ms, r.end_ms - r.start_ms, &format!("{} queued until it failed", r.id));
    }
    assert_phase_sums(&out);
}
