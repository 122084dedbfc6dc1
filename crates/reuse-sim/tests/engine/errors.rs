//! Errors without a close (issue 14, item 3). RFC 9112 §9.3: a persistent
//! connection stays open after any response, errors included, unless the
//! server says `Connection: close`; HTTP/1.0 without keep-alive closes after
//! every response anyway. A server that closes on errors
//! (`server.close_on_error`) costs the next request a new connection: one
//! more round trip per error in the textbook's serial case, (N + 2 + E)·RTT
//! for E errors before the last request, against Kurose & Ross's (N + 2)·RTT.

use reuse_sim::trace::CloseReason;
use reuse_sim::Protocol;

use crate::fixtures::{assert_ms, run, textbook};

const RTT: f64 = 100.0;
const OBJECTS: usize = 8;

/// The textbook page, one connection at a time, with objects 2 and 4 (of
/// 0..8) answered 404 and 500.
fn with_errors(protocol: Protocol) -> reuse_sim::Scenario {
    let mut s = textbook(RTT, OBJECTS, protocol);
    s.client.max_connections_per_host = 1;
    s.requests[3].status = 404;
    s.requests[5].status = 500;
    s
}

#[test]
fn an_error_keeps_a_persistent_connection() {
    let r = run(&with_errors(Protocol::Http11)).result;
    assert_ms(r.page_load_ms, (OBJECTS + 2) as f64 * RTT, "(N + 2)·RTT, as without errors");
    assert_eq!(r.totals.connections_opened, 1);
    assert_eq!((r.requests[3].status, r.requests[5].status, r.requests[4].status), (404, 500, 200));
}

#[test]
fn a_server_that_closes_on_errors_costs_a_connection_per_error() {
    let mut s = with_errors(Protocol::Http11);
    s.server.close_on_error = true;
    let r = run(&s).result;
    let errors = 2;
    assert_ms(r.page_load_ms, (OBJECTS + 2 + errors) as f64 * RTT, "(N + 2 + E)·RTT");
    assert_eq!(r.totals.connections_opened as usize, 1 + errors);
    let closes: Vec<CloseReason> = r.connections.iter().map(|c| c.closed_by).collect();
    assert_eq!(&closes[..2], &[CloseReason::ErrorResponse, CloseReason::ErrorResponse], "{closes:?}");
    // The requests after each error went on a new connection.
    assert_eq!((r.requests[3].connection, r.requests[4].connection), (1, 2));
    assert_eq!((r.requests[5].connection, r.requests[6].connection), (2, 3));
}

#[test]
fn http10_closes_after_every_response_whatever_its_status() {
    let mut s = with_errors(Protocol::Http10);
    let plain = run(&s).result;
    s.server.close_on_error = true;
    let closing = run(&s).result;
    for r in [&plain, &closing] {
        assert_ms(r.page_load_ms, 2.0 * (OBJECTS + 1) as f64 * RTT, "2(N + 1)·RTT");
        assert_eq!(r.totals.connections_opened as usize, OBJECTS + 1);
        assert!(r.connections.iter().all(|c| c.closed_by == CloseReason::ServerClose));
    }
}

#[test]
fn http2_reports_errors_on_its_streams_and_keeps_its_connection() {
    let mut s = with_errors(Protocol::H2);
    s.server.close_on_error = true;
    let r = run(&s).result;
    assert_ms(r.page_load_ms, 3.0 * RTT, "handshake, base, every object at once");
    assert_eq!(r.totals.connections_opened, 1);
}

#[test]
fn the_har_and_the_result_carry_the_status() {
    let s = with_errors(Protocol::Http11);
    let out = run(&s);
    let har = reuse_sim::har::to_har(&s, &out);
    let entries = har["log"]["entries"].as_array().expect("entries");
    assert_eq!(entries[3]["response"]["status"], 404);
    assert_eq!(entries[3]["response"]["statusText"], "Not Found");
    assert_eq!(entries[5]["response"]["statusText"], "Internal Server Error");
    assert_eq!(entries[4]["response"]["status"], 200);
    let json = serde_json::to_value(&out.result).expect("serialises");
    assert_eq!(json["requests"][3]["status"], 404);
    assert!(json["requests"][4].get("status").is_none(), "200 is the default and is left out");
}

#[test]
fn a_status_outside_http_is_refused_by_name() {
    let mut s = with_errors(Protocol::Http11);
    s.requests[2].status = 99;
    let e = s.validate().unwrap_err();
    assert_eq!((e.field.as_str(), e.reason.contains("100 to 599")), ("requests[2].status", true), "{e}");
}
