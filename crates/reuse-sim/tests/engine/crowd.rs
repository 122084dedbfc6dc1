//! Many clients (`clients`): the server's figures at scale. Expected values
//! come from one client's own trace and the arrival rule (client `k` starts
//! at `k × over / count`), never from a crowd run.

use super::fixtures::{run, textbook};
use reuse_sim::crowd::{simulate_crowd, LOSS_DRAWS};
use reuse_sim::fold::server::connection_spans;
use reuse_sim::scenario::{Clients, TlsVersion};
use reuse_sim::{Limits, Protocol, Scenario};

fn crowd(s: &Scenario, count: u32, over_ms: f64, p: Protocol) -> reuse_sim::crowd::CrowdResult {
    let mut s = s.clone();
    s.clients = Some(Clients { count, over_ms });
    s.validate().expect("valid");
    simulate_crowd(&s, p, Limits::default()).expect("runs")
}

#[test]
fn clients_arriving_together_multiply_one_clients_figures() {
    for p in [Protocol::Http10, Protocol::Http11, Protocol::H2] {
        let mut s = textbook(100.0, 8, p);
        s.tls.version = TlsVersion::Tls13;
        let one = run(&s).result.server;
        let c = crowd(&s, 100, 0.0, p);
        assert_eq!(c.connections_accepted, 100 * u64::from(one.connections_accepted), "{p:?}");
        assert_eq!(c.peak_open_connections, 100 * u64::from(one.peak_open_connections), "{p:?}");
        assert_eq!(c.full_handshakes, 100 * u64::from(one.full_handshakes), "{p:?}");
        assert_eq!(c.requests_served, 100 * 9, "{p:?}");
        // The handshakes' CPU: full handshakes × (signature + key exchange).
        let costs = &s.server.costs;
        let expected = c.full_handshakes as f64 * costs.full_handshake_us() / 1000.0;
        assert!((c.handshake_cpu_ms - expected).abs() < 1e-9, "{p:?}: {} vs {expected}", c.handshake_cpu_ms);
        assert_eq!(c.distinct_runs, 1, "no loss: one run, shifted");
    }
}

#[test]
fn evenly_spaced_clients_overlap_by_how_long_each_holds_its_connection() {
    // HTTP/2: one connection per client, open on the server for D (from its
    // SYN's arrival to its close, read off one client's trace). With a
    // client every Δ, at most ⌈D / Δ⌉ are open at once, and Δ = 250 ms
    // accepts 4 a second.
    let s = textbook(100.0, 8, Protocol::H2);
    let spans = connection_spans(&run(&s).trace);
    assert_eq!(spans.len(), 1);
    let held_ms = (spans[0].1 .0 - spans[0].0 .0) as f64 / 1e6;
    for spacing in [250.0, 1000.0, 2000.0] {
        let count = 40;
        let c = crowd(&s, count, spacing * f64::from(count), Protocol::H2);
        let expected = (held_ms / spacing).ceil() as u64;
        assert_eq!(c.peak_open_connections, expected, "a client every {spacing} ms, each held {held_ms} ms");
        assert_eq!(c.peak_accepts_per_second, (1000.0 / spacing).ceil() as u64, "every {spacing} ms");
        assert_eq!(c.connections_accepted, u64::from(count));
        // The last client's connection closes last.
        let last = spacing * f64::from(count - 1) + spans[0].1 .0 as f64 / 1e6;
        assert!((c.duration_ms - last).abs() < 1e-6, "{} vs {last}", c.duration_ms);
        assert!(c.open_over_time.iter().all(|&(_, n)| n <= expected));
    }
}

#[test]
fn reuse_saves_the_server_connections_at_scale() {
    // K&R's page, one connection at a time per client: HTTP/1.0 opens one
    // per object (N + 1 = 9 per client), keep-alive and HTTP/2 one.
    let mut s = textbook(100.0, 8, Protocol::Http10);
    s.client.max_connections_per_host = 1;
    s.tls.version = TlsVersion::Tls13;
    let ten = crowd(&s, 1000, 60_000.0, Protocol::Http10);
    let kept = crowd(&s, 1000, 60_000.0, Protocol::Http11);
    assert_eq!(ten.connections_accepted, 9 * 1000);
    assert_eq!(kept.connections_accepted, 1000);
    assert_eq!(ten.full_handshakes, 9 * kept.full_handshakes);
    assert!(ten.handshake_cpu_ms > 8.9 * kept.handshake_cpu_ms);
}

#[test]
fn with_loss_the_clients_cycle_through_distinct_draws() {
    let mut s = textbook(100.0, 8, Protocol::Http11);
    s.network.loss_rate = 0.02;
    let c = crowd(&s, 120, 1000.0, Protocol::Http11);
    assert_eq!(c.distinct_runs, LOSS_DRAWS);
    assert!(c.median_page_load_ms <= c.p90_page_load_ms && c.p90_page_load_ms <= c.max_page_load_ms);
    let few = crowd(&s, 7, 1000.0, Protocol::Http11);
    assert_eq!(few.distinct_runs, 7);
}

#[test]
fn clients_are_checked_and_errors_name_the_field() {
    let mut s = textbook(100.0, 1, Protocol::H2);
    s.clients = Some(Clients { count: 0, over_ms: 0.0 });
    assert_eq!(s.validate().expect_err("no clients").field, "clients.count");
    s.clients = Some(Clients { count: 10_001, over_ms: 0.0 });
    assert_eq!(s.validate().expect_err("too many").field, "clients.count");
    s.clients = Some(Clients { count: 10, over_ms: -1.0 });
    assert_eq!(s.validate().expect_err("negative").field, "clients.over_ms");
    // The single-client run ignores the field.
    s.clients = Some(Clients { count: 10, over_ms: 5000.0 });
    let mut plain = s.clone();
    plain.clients = None;
    assert_eq!(run(&s).result, run(&plain).result);
}
