//! HTTP/2: one connection per host, streams up to the server's limit,
//! header compression.

use crate::fixtures::*;
use reuse_sim::trace::EventKind;
use reuse_sim::Protocol;

const RTT: f64 = 100.0;

#[test]
fn the_stream_limit_paces_requests_in_waves() {
    let n = 10usize;
    for limit in [1usize, 2, 3, 10] {
        let mut s = textbook(RTT, n, Protocol::H2);
        s.server.max_concurrent_streams = limit as u32;
        let out = run(&s);
        let waves = n.div_ceil(limit) as f64;
        assert_ms(out.result.page_load_ms, 2.0 * RTT + waves * RTT, &format!("limit {limit}"));
        assert_eq!(out.result.totals.connections_opened, 1);
    }
}

#[test]
fn stream_ids_are_odd_and_increasing() {
    let out = run(&textbook(RTT, 5, Protocol::H2));
    let mut ids: Vec<u32> = out.result.requests.iter().filter_map(|r| r.stream).collect();
    ids.sort();
    assert_eq!(ids, vec![1, 3, 5, 7, 9, 11]);
}

#[test]
fn repeated_headers_are_compressed() {
    use reuse_sim::http::h2::{HPACK_MIN_REPEAT_BYTES, HPACK_REPEAT_DIVISOR};
    let n = 10u64;
    let s = textbook(RTT, n as usize, Protocol::H2);
    let req = s.requests[0].request_bytes as u64;
    let resp = (s.server.response_header_bytes as u64).min(s.requests[0].response_bytes);
    let repeat = |b: u64| (b / HPACK_REPEAT_DIVISOR).max(HPACK_MIN_REPEAT_BYTES).min(b);
    let h2 = run(&s);
    let expected = req + n * repeat(req) + resp + n * repeat(resp);
    assert_eq!(h2.result.totals.header_bytes, expected);
    let h1 = run(&s.with_protocol(Protocol::Http11));
    assert_eq!(h1.result.totals.header_bytes, (n + 1) * (req + resp));
}

#[test]
fn responses_interleave_round_robin() {
    // Two large responses at once: their frames alternate on the wire.
    let mut s = single(RTT, 200_000);
    s.requests.push(reuse_sim::RequestSpec::new("other", 200_000));
    s.client.protocol = Protocol::H2;
    s.network.downlink_mbps = Some(10.0);
    let out = run(&s);
    let order: Vec<u32> = packets(&out)
        .filter_map(|p| match p.content {
            reuse_sim::trace::Content::Response(r) => Some(r),
            _ => None,
        })
        .collect();
    let switches = order.windows(2).filter(|w| w[0] != w[1]).count();
    assert!(switches >= 10, "frames of the two streams alternate ({switches} switches)");
    let ends: Vec<f64> = out.result.requests.iter().map(|r| r.end_ms).collect();
    assert!((ends[0] - ends[1]).abs() < 40.0, "they finish together: {ends:?}");
    let first_bytes: Vec<f64> = out
        .trace
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::ResponseFirstByte { .. } => Some(e.time.as_ms()),
            _ => None,
        })
        .collect();
    assert_eq!(first_bytes.len(), 2);
}
