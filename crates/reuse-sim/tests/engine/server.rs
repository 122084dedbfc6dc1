//! The server's side (issue 14, item 1): connections it held, handshakes it
//! did, requests it served, and the CPU and memory those cost at
//! `server.costs`. Expected values come from the textbook page's closed
//! forms (how many connections each protocol opens and when) and the costs'
//! own arithmetic, never from a run.

use reuse_sim::fold::bytes_per_connection;
use reuse_sim::scenario::{CertificateKey, Resumption, TlsVersion};
use reuse_sim::Protocol;

use crate::fixtures::{run, textbook};

const RTT: f64 = 100.0;
const OBJECTS: usize = 8;

/// µs → ms, as the result states CPU.
fn ms(us: f64) -> f64 {
    us / 1000.0
}

#[test]
fn connections_accepted_follow_reuse() {
    for (protocol, limit, accepted, peak) in [
        // HTTP/1.0: a connection per request, at most `limit` at once.
        (Protocol::Http10, 1, OBJECTS + 1, 1),
        (Protocol::Http10, 6, OBJECTS + 1, 6),
        // HTTP/1.1: one for the base, then up to `limit` for the objects
        // (the first reused): `limit` in all.
        (Protocol::Http11, 1, 1, 1),
        (Protocol::Http11, 6, 6, 6),
        // HTTP/2: one.
        (Protocol::H2, 6, 1, 1),
    ] {
        let mut s = textbook(RTT, OBJECTS, protocol);
        s.client.max_connections_per_host = limit;
        let r = run(&s).result;
        let what = format!("{protocol:?} with {limit} per host");
        assert_eq!(r.server.connections_accepted as usize, accepted, "{what}: accepted");
        assert_eq!(
            r.server.connections_accepted, r.totals.connections_opened,
            "{what}: as the client opened"
        );
        assert_eq!(r.server.peak_open_connections, peak, "{what}: peak");
        assert_eq!(r.server.requests_served as usize, OBJECTS + 1, "{what}: requests");
        assert_eq!((r.server.full_handshakes, r.server.resumed_handshakes), (0, 0), "{what}: no TLS");
        let c = &s.server.costs;
        let cpu =
            f64::from(r.server.connections_accepted) * c.accept_us + (OBJECTS + 1) as f64 * c.request_us;
        assert!((r.server.cpu_ms - ms(cpu)).abs() < 1e-9, "{what}: cpu {} vs {}", r.server.cpu_ms, ms(cpu));
        assert_eq!(
            r.server.peak_memory_bytes,
            u64::from(peak) * bytes_per_connection(&s, protocol),
            "{what}"
        );
    }
}

/// HTTP/2's one connection is open on the server from when its SYN arrives
/// (half a round trip) through the page load (3 RTT: handshake, base,
/// objects), and stays open after it: its mean over the page load is
/// (3 − ½) / 3 of one connection.
#[test]
fn the_mean_counts_time_open_within_the_page_load() {
    let r = run(&textbook(RTT, OBJECTS, Protocol::H2)).result;
    assert!((r.page_load_ms - 3.0 * RTT).abs() < 1e-6);
    let expected = (3.0 - 0.5) / 3.0;
    assert!((r.server.mean_open_connections - expected).abs() < 1e-9, "{}", r.server.mean_open_connections);
}

/// Every TLS connection costs the server a signature with the certificate's
/// key and a key exchange; a resumed one neither signature nor certificate.
#[test]
fn handshakes_cost_what_the_certificate_key_says() {
    let mut s = textbook(RTT, OBJECTS, Protocol::Http10);
    s.tls.version = TlsVersion::Tls13;
    s.client.max_connections_per_host = 1;
    let rsa = run(&s).result;
    assert_eq!(
        rsa.server.full_handshakes as usize,
        OBJECTS + 1,
        "without resumption every handshake is full"
    );
    s.server.costs.certificate_key = CertificateKey::EcdsaP256;
    let ecdsa = run(&s).result;
    let c = &s.server.costs;
    let saved = f64::from(rsa.server.full_handshakes) * (c.rsa_2048_sign_us - c.ecdsa_p256_sign_us);
    assert!((rsa.server.cpu_ms - ecdsa.server.cpu_ms - ms(saved)).abs() < 1e-9);
    // With tickets, only the first connection signs (serial: each later one
    // has the ticket of the one before).
    s.tls.resumption = Resumption::Ticket;
    let resumed = run(&s).result;
    assert_eq!((resumed.server.full_handshakes, resumed.server.resumed_handshakes as usize), (1, OBJECTS));
    let expected = ms(f64::from(resumed.server.connections_accepted) * c.accept_us
        + c.full_handshake_us()
        + OBJECTS as f64 * c.resumed_handshake_us
        + (OBJECTS + 1) as f64 * c.request_us);
    assert!((resumed.server.cpu_ms - expected).abs() < 1e-9, "{} vs {expected}", resumed.server.cpu_ms);
    // Memory: the peak connection with its TLS state.
    assert_eq!(resumed.server.peak_memory_bytes, c.socket_bytes + c.tls_bytes);
}

#[test]
fn a_bad_cost_is_named() {
    let mut s = textbook(RTT, OBJECTS, Protocol::Http11);
    s.server.costs.accept_us = -1.0;
    let e = s.validate().unwrap_err();
    assert_eq!(e.field, "server.costs.accept_us");
    s.server.costs.accept_us = 1.0;
    s.server.costs.tls_bytes = u64::MAX;
    assert_eq!(s.validate().unwrap_err().field, "server.costs.tls_bytes");
    // And in JSON: an unknown cost is refused by name.
    let mut json = serde_json::to_value(&s).unwrap();
    json["server"]["costs"] = serde_json::json!({ "accept_ns": 5 });
    let err = serde_json::from_value::<reuse_sim::Scenario>(json).unwrap_err().to_string();
    assert!(err.contains("accept_ns"), "{err}");
}

#[test]
fn open_connections_over_time_step_through_the_same_spans_as_the_peak() {
    use reuse_sim::fold::server::open_connections;
    use reuse_sim::SimTime;
    // HTTP/1.1, one connection at a time: its SYN reaches the server after
    // half a round trip, and it stays open past the page load (keep-alive),
    // so the count steps 0 → 1 at RTT/2 and back to 0 at its close.
    let mut s = textbook(RTT, OBJECTS, Protocol::Http11);
    s.client.max_connections_per_host = 1;
    let out = run(&s);
    let steps = open_connections(&out.trace);
    assert_eq!(steps[0], (SimTime::ZERO, 0));
    assert_eq!(steps[1], (SimTime::ZERO + reuse_sim::SimDuration::from_ms_f64(RTT / 2.0), 1), "{steps:?}");
    assert_eq!(steps.len(), 3, "{steps:?}");
    assert_eq!(steps[2].1, 0);
    assert!(steps[2].0.as_ms() > out.result.page_load_ms);
    // HTTP/1.0 with 6 per host: the largest step is the peak of the totals.
    for (protocol, limit) in
        [(Protocol::Http10, 6), (Protocol::Http11, 6), (Protocol::H2, 6), (Protocol::Http10, 1)]
    {
        let mut s = textbook(RTT, OBJECTS, protocol);
        s.client.max_connections_per_host = limit;
        let out = run(&s);
        let steps = open_connections(&out.trace);
        let highest = steps.iter().map(|(_, n)| *n).max();
        assert_eq!(highest, Some(out.result.server.peak_open_connections), "{protocol:?} {limit}");
        assert!(steps.windows(2).all(|w| w[0].0 < w[1].0), "one entry per instant: {steps:?}");
    }
}
