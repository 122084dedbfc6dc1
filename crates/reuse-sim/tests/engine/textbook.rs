//! Kurose & Ross page-load closed forms: a base file plus N small objects,
//! infinite bandwidth, every response within the initial window.

use crate::fixtures::*;
use reuse_sim::Protocol;

const RTT: f64 = 100.0;

#[test]
fn non_persistent_serial_costs_two_rtt_per_object() {
    for n in [0usize, 1, 5, 10] {
        let mut s = textbook(RTT, n, Protocol::Http10);
        s.client.max_connections_per_host = 1;
        let out = run(&s);
        assert_ms(out.result.page_load_ms, 2.0 * (n as f64 + 1.0) * RTT, &format!("HTTP/1.0 serial, N={n}"));
        assert_eq!(out.result.totals.connections_opened as usize, n + 1);
        assert_phase_sums(&out);
    }
}

#[test]
fn non_persistent_parallel_pays_two_rtt_per_wave() {
    let n = 10usize;
    for p in [1usize, 2, 3, 5, 6, 10, 12] {
        let mut s = textbook(RTT, n, Protocol::Http10);
        s.client.max_connections_per_host = p as u32;
        let out = run(&s);
        let waves = n.div_ceil(p) as f64;
        assert_ms(
            out.result.page_load_ms,
            2.0 * RTT + waves * 2.0 * RTT,
            &format!("HTTP/1.0 with {p} parallel"),
        );
        assert_eq!(out.result.totals.connections_opened as usize, n + 1, "one connection per object");
        assert_phase_sums(&out);
    }
}

#[test]
fn persistent_without_pipelining_costs_one_rtt_per_object() {
    for n in [1usize, 4, 10] {
        let mut s = textbook(RTT, n, Protocol::Http11);
        s.client.max_connections_per_host = 1;
        let out = run(&s);
        assert_ms(
            out.result.page_load_ms,
            2.0 * RTT + n as f64 * RTT,
            &format!("HTTP/1.1 persistent, N={n}"),
        );
        assert_eq!(out.result.totals.connections_opened, 1);
        assert!(out.result.requests.iter().skip(1).all(|r| r.reused));
        assert_phase_sums(&out);
    }
}

#[test]
fn http10_keep_alive_behaves_as_persistent() {
    let mut s = textbook(RTT, 6, Protocol::Http10);
    s.client.max_connections_per_host = 1;
    s.client.http10_keep_alive = true;
    let out = run(&s);
    assert_ms(out.result.page_load_ms, 2.0 * RTT + 6.0 * RTT, "HTTP/1.0 keep-alive");
    assert_eq!(out.result.totals.connections_opened, 1);
}

#[test]
fn persistent_with_pipelining_costs_three_rtt() {
    let mut s = textbook(RTT, 10, Protocol::Http11);
    s.client.max_connections_per_host = 1;
    s.client.pipelining = true;
    let out = run(&s);
    assert_ms(out.result.page_load_ms, 3.0 * RTT, "HTTP/1.1 pipelined");
    assert_phase_sums(&out);
}

#[test]
fn http2_multiplexing_costs_three_rtt_on_one_connection() {
    // 40 objects: more requests than the initial window has packets. The
    // requests made ready together leave together (a browser batches a
    // task's frames; Linux corks small writes), so they take a few
    // segments, not forty, and the closed form holds.
    for objects in [10, 40] {
        let mut s = textbook(RTT, objects, Protocol::H2);
        // The closed form's premise: the initial window holds every response.
        s.tcp.initial_cwnd_segments = 100;
        let out = run(&s);
        assert_ms(out.result.page_load_ms, 3.0 * RTT, &format!("HTTP/2, {objects} objects"));
        assert_eq!(out.result.totals.connections_opened, 1);
        assert_phase_sums(&out);
        let requests_bytes: u64 = out.result.requests.iter().map(|r| r.header_bytes).sum();
        let gets = packets(&out)
            .filter(|p| p.from == reuse_sim::trace::Side::Client && p.payload_bytes > 0)
            .count() as u64;
        assert!(gets <= 2 + requests_bytes / 1460, "{objects} objects: {gets} client segments");
    }
}

#[test]
fn base_file_alone_costs_two_rtt_under_every_protocol_over_tcp() {
    // HTTP/3 has no TCP handshake to count: see the http3 tests.
    for p in Protocol::OVER_TCP {
        let out = run(&textbook(RTT, 0, p));
        assert_ms(out.result.page_load_ms, 2.0 * RTT, p.label());
        let base = &out.result.requests[0];
        assert_ms(base.connect_ms, RTT, "connect = 1 RTT");
        assert_ms(base.wait_ms, RTT, "wait = 1 RTT (request rides on the final ACK)");
    }
}

#[test]
fn server_time_adds_once_per_serial_request() {
    let server_ms = 40.0;
    let mut s = textbook(RTT, 3, Protocol::Http11);
    s.client.max_connections_per_host = 1;
    s.server.processing_ms = server_ms;
    let out = run(&s);
    assert_ms(out.result.page_load_ms, 2.0 * RTT + 3.0 * RTT + 4.0 * server_ms, "persistent + server time");
}

#[test]
fn the_connection_limit_orders_http11_waves() {
    // Six connections: the base's connection is reused at once (1 RTT), five
    // new ones pay a handshake (2 RTT); the four queued objects go to
    // whichever connection frees first: the reused one at 3 RTT (one object,
    // done at 4 RTT) and the five new ones at 4 RTT (three objects, 5 RTT).
    let out = run(&textbook(RTT, 10, Protocol::Http11));
    assert_ms(out.result.page_load_ms, 5.0 * RTT, "HTTP/1.1, 6 connections, 10 objects");
    assert_eq!(out.result.totals.connections_opened, 6);
}

#[test]
fn the_textbook_preset_meets_its_closed_forms() {
    let s = reuse_sim::presets::find("textbook").expect("preset").scenario();
    let rtt = s.network.rtt_ms;
    let n = s.requests.len() - 1;
    let p = s.client.max_connections_per_host as usize;
    let h10 = run(&s.with_protocol(Protocol::Http10));
    assert_ms(h10.result.page_load_ms, 2.0 * rtt + n.div_ceil(p) as f64 * 2.0 * rtt, "HTTP/1.0 parallel");
    let h2 = run(&s.with_protocol(Protocol::H2));
    assert_ms(h2.result.page_load_ms, 3.0 * rtt, "HTTP/2");
    assert!(
        h10.result.totals.connections_opened
            > run(&s.with_protocol(Protocol::Http11)).result.totals.connections_opened
    );
}

#[test]
fn non_persistent_serial_at_a_finite_rate_is_m_plus_one_times_2r_plus_o_over_c() {
    // Kurose & Ross: (M + 1)(2R + O/C). A connection holds its place in the
    // per-host limit until its response has been read, so the next SYN
    // leaves only then (not at the response's first byte).
    let (r, m, o) = (80.0, 4usize, 10_000u64);
    let c_bytes_per_ms = 200_000.0 / 8.0 / 1000.0;
    let mut s = textbook(r, m, Protocol::Http10);
    for q in &mut s.requests {
        q.response_bytes = o;
        q.request_bytes = 1;
    }
    s.network.downlink_mbps = Some(0.2);
    s.client.max_connections_per_host = 1;
    let out = run(&s);
    let expected = (m as f64 + 1.0) * (2.0 * r + o as f64 / c_bytes_per_ms);
    assert!(
        (out.result.page_load_ms - expected).abs() < 1e-3,
        "{} ms, expected {expected} ms",
        out.result.page_load_ms
    );
}
