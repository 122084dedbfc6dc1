//! TLS round trips: 1.2 full adds 2 RTT, 1.2 resumed and 1.3 add 1 RTT,
//! 1.3 early data adds 0 (spec conventions).

use crate::fixtures::*;
use reuse_sim::scenario::{Resumption, TlsVersion};
use reuse_sim::trace::TlsMode;
use reuse_sim::{Protocol, RequestSpec};

const RTT: f64 = 100.0;

/// Two sequential requests, each on its own connection (HTTP/1.0, one
/// connection at a time): the second may resume the first's session.
fn two_connections(version: TlsVersion, resumption: Resumption) -> reuse_sim::Scenario {
    let mut s = single(RTT, 1000);
    s.requests.push(RequestSpec::new("second", 1000).after(&["file"]));
    s.client.protocol = Protocol::Http10;
    s.client.max_connections_per_host = 1;
    s.tls.version = version;
    s.tls.resumption = resumption;
    s
}

#[test]
fn full_handshakes_cost_their_round_trips() {
    for (version, rtts) in [(TlsVersion::None, 0.0), (TlsVersion::Tls12, 2.0), (TlsVersion::Tls13, 1.0)] {
        let mut s = single(RTT, 1000);
        s.tls.version = version;
        let out = run(&s);
        let r = &out.result.requests[0];
        assert_ms(r.tls_ms, rtts * RTT, &format!("{version:?} tls_ms"));
        assert_ms(out.result.page_load_ms, (2.0 + rtts) * RTT, &format!("{version:?} page"));
        assert_phase_sums(&out);
    }
}

#[test]
fn resumption_saves_round_trips_on_later_connections() {
    let cases = [
        (TlsVersion::Tls12, Resumption::None, 2.0, TlsMode::Full),
        (TlsVersion::Tls12, Resumption::Ticket, 1.0, TlsMode::Resumed),
        (TlsVersion::Tls13, Resumption::Ticket, 1.0, TlsMode::Resumed),
        (TlsVersion::Tls13, Resumption::EarlyData, 0.0, TlsMode::EarlyData),
    ];
    for (version, resumption, rtts, mode) in cases {
        let out = run(&two_connections(version, resumption));
        let conns = &out.result.connections;
        assert_eq!(conns.len(), 2);
        assert_eq!(conns[1].tls, mode, "{version:?} {resumption:?}");
        let second = &out.result.requests[1];
        assert_ms(second.tls_ms, rtts * RTT, &format!("{version:?} {resumption:?} tls_ms"));
        assert_ms(
            second.end_ms - second.start_ms,
            (2.0 + rtts) * RTT,
            &format!("{version:?} {resumption:?}"),
        );
        assert_phase_sums(&out);
    }
}

#[test]
fn a_certificate_flight_larger_than_the_window_costs_extra_round_trips() {
    let mss = 1460u64;
    for (iw, cert) in [(10u32, 4000u32), (2, 4000), (2, 9000), (1, 9000)] {
        let mut s = single(RTT, 1000);
        s.tls.version = TlsVersion::Tls13;
        s.tls.certificate_bytes = cert;
        s.tcp.initial_cwnd_segments = iw;
        let out = run(&s);
        // Slow-start rounds to carry the certificate flight.
        let segments = (cert as u64).div_ceil(mss);
        let mut k = 0u32;
        while iw as u64 * ((1u64 << k) - 1) < segments {
            k += 1;
        }
        assert_ms(out.result.requests[0].tls_ms, k as f64 * RTT, &format!("IW {iw}, certificate {cert} B"));
    }
}

#[test]
fn early_data_carries_the_request_in_the_first_flight() {
    let out = run(&two_connections(TlsVersion::Tls13, Resumption::EarlyData));
    let early = packets(&out)
        .filter(|p| matches!(p.content, reuse_sim::trace::Content::ClientHello) && p.conn == 2)
        .count();
    assert_eq!(early, 1);
    let has_0rtt = packets(&out).any(|p| p.conn == 2 && p.more_content > 0);
    assert!(has_0rtt, "the ClientHello and the 0-RTT request share the first flight");
}
