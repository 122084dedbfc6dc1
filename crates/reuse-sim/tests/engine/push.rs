//! The server's events (`push`): polling, long polling and a held-open
//! stream. Each expected latency comes from the way's definition on a path
//! with no serialization time (unlimited bandwidth), where a message takes
//! exactly RTT/2 one way and a new TCP + TLS 1.3 connection takes 2 RTT
//! before its first request leaves:
//!
//! - a poll sent at `s` reaches the server at `s + RTT/2` on a warm
//!   connection, at `s + 2.5 RTT` on a new one; it carries every event that
//!   happened before, to the client RTT/2 later;
//! - a long poll is answered at `max(arrival, next event)` and the next
//!   leaves when the answer arrives;
//! - a stream carries each event RTT/2 after it happens.

use super::fixtures::{assert_ms, assert_phase_sums, run};
use reuse_sim::presets::{self, LIVE_EVENTS_MS, LIVE_POLL_MS};
use reuse_sim::push::{self, Fetch};
use reuse_sim::trace::{CloseReason, EventKind};
use reuse_sim::{Protocol, PushRole, PushSpec, RequestSpec, Scenario, SimOutput};

const RTT: f64 = 100.0;

fn live(fetch: Fetch, protocol: Protocol) -> Scenario {
    let base = presets::find("live-scores").expect("preset").scenario();
    assert_eq!((base.network.rtt_ms, base.network.downlink_mbps), (RTT, None), "the closed forms' path");
    let mut s = push::with_fetch(&base, fetch).expect("valid");
    s.client.protocol = protocol;
    s
}

fn latencies(out: &SimOutput) -> Vec<f64> {
    let push = out.result.push.as_ref().expect("push results");
    push.events.iter().map(|e| e.latency_ms.expect("delivered")).collect()
}

/// When each event reaches the client when a poll leaves every `every` ms
/// and reaches the server `first` after it leaves the first time and
/// `later` after it leaves each later time.
fn polled(every: f64, first: f64, later: f64) -> Vec<f64> {
    LIVE_EVENTS_MS
        .iter()
        .map(|&t| {
            let k = (0..).find(|&k| k as f64 * every + if k == 0 { first } else { later } > t).unwrap();
            k as f64 * every + if k == 0 { first } else { later } + RTT / 2.0 - t
        })
        .collect()
}

#[test]
fn polling_finds_each_event_at_the_next_poll() {
    let keep_alive = run(&live(Fetch::Poll { every_ms: LIVE_POLL_MS }, Protocol::Http11));
    let expected = polled(LIVE_POLL_MS, 2.5 * RTT, 0.5 * RTT);
    for (got, want) in latencies(&keep_alive).iter().zip(&expected) {
        assert_ms(*got, *want, "a poll over keep-alive");
    }
    assert_eq!(keep_alive.result.totals.connections_opened, 1, "every poll reuses the first connection");

    // HTTP/1.0 without keep-alive: every poll pays its handshakes.
    let fresh = run(&live(Fetch::Poll { every_ms: LIVE_POLL_MS }, Protocol::Http10));
    let expected = polled(LIVE_POLL_MS, 2.5 * RTT, 2.5 * RTT);
    for (got, want) in latencies(&fresh).iter().zip(&expected) {
        assert_ms(*got, *want, "a poll on a new connection");
    }
    let polls = (LIVE_EVENTS_MS[7] / LIVE_POLL_MS).ceil() as u32 + 1;
    let push = fresh.result.push.as_ref().unwrap();
    assert_eq!((push.requests, push.connections_opened), (polls, polls), "one connection per poll");
    // Polls that find nothing: those with no event since the poll before.
    let arrivals: Vec<f64> = (0..polls).map(|k| k as f64 * LIVE_POLL_MS + 2.5 * RTT).collect();
    let empty = (0..arrivals.len())
        .filter(|&k| {
            let since = if k == 0 { f64::NEG_INFINITY } else { arrivals[k - 1] };
            !LIVE_EVENTS_MS.iter().any(|&t| t > since && t < arrivals[k])
        })
        .count() as u32;
    assert_eq!(push.empty_responses, empty);
    assert!(push.bytes_per_event > keep_alive.result.push.as_ref().unwrap().bytes_per_event * 2.0);
    assert_phase_sums(&fresh);
}

#[test]
fn a_long_poll_is_answered_when_an_event_happens() {
    let out = run(&live(Fetch::LongPoll, Protocol::Http11));
    // The recurrence of the definition: the server has the poll at
    // `at_server`; it answers at once with what waits, or at the next event.
    let mut expected = vec![0.0; LIVE_EVENTS_MS.len()];
    let (mut at_server, mut next) = (2.5 * RTT, 0);
    while next < LIVE_EVENTS_MS.len() {
        let answer = at_server.max(LIVE_EVENTS_MS[next]);
        while next < LIVE_EVENTS_MS.len() && LIVE_EVENTS_MS[next] <= answer {
            expected[next] = answer + RTT / 2.0 - LIVE_EVENTS_MS[next];
            next += 1;
        }
        at_server = answer + RTT;
    }
    for (got, want) in latencies(&out).iter().zip(&expected) {
        assert_ms(*got, *want, "a long poll");
    }
    // The event 50 ms after another waits for the next poll: a round trip.
    assert_ms(expected[6], RTT, "the second of two events 50 ms apart");
    assert!(out.trace.iter().any(|e| matches!(e.kind, EventKind::LongPollHeld { .. })));
    assert_eq!(out.result.totals.connections_opened, 1);
}

#[test]
fn a_stream_hands_over_each_event_half_a_round_trip_after_it_happens() {
    for protocol in [Protocol::Http11, Protocol::H2, Protocol::Http10] {
        let out = run(&live(Fetch::Stream, protocol));
        for got in latencies(&out) {
            assert_ms(got, RTT / 2.0, &format!("{protocol:?}"));
        }
        let push = out.result.push.as_ref().unwrap();
        assert_eq!((push.requests, push.connections_opened, push.empty_responses), (1, 1, 0));
        let stream = &out.result.requests[0];
        assert_ms(stream.end_ms, LIVE_EVENTS_MS[7] + RTT / 2.0, "the response ends with the last event");
        assert_phase_sums(&out);
    }
    // HTTP/1.1 frames each event as a chunk: "c8" CRLF data CRLF, and the
    // last-chunk "0" CRLF CRLF after the last (RFC 9112 §7.1).
    let out = run(&live(Fetch::Stream, Protocol::Http11));
    let parts: Vec<u64> = out
        .trace
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::PushWritten { part_bytes, .. } => Some(part_bytes),
            _ => None,
        })
        .collect();
    let n = LIVE_EVENTS_MS.len();
    assert_eq!(parts[..n - 1], vec![2 + 2 + 200 + 2; n - 1][..]);
    assert_eq!(parts[n - 1], 2 + 2 + 200 + 2 + 5);
    let stream = &out.result.requests[0];
    assert_eq!(stream.response_wire_bytes, push::EMPTY_RESPONSE_BYTES + parts.iter().sum::<u64>());
    // HTTP/1.0 has no chunks: the server ends the body by closing.
    let out = run(&live(Fetch::Stream, Protocol::Http10));
    assert_eq!(out.result.connections[0].closed_by, CloseReason::ServerClose);
}

#[cfg(feature = "quic")]
#[test]
fn an_http3_stream_opens_after_one_round_trip_and_carries_events_as_fast() {
    // A certificate chain small enough for the anti-amplification limit
    // (3 × the client's 1200-byte Initial, RFC 9000 §8.1).
    let mut s = live(Fetch::Stream, Protocol::H3);
    s.tls.certificate_bytes = 2000;
    let out = run(&s);
    for got in latencies(&out) {
        assert_ms(got, RTT / 2.0, "HTTP/3");
    }
    // QUIC's combined handshake: the request leaves after 1 RTT, not 2.
    assert_ms(out.result.requests[0].sent_ms, RTT, "the stream's request leaves");
}

#[test]
fn an_open_stream_or_held_poll_keeps_the_server_from_closing_it_as_idle() {
    // Gaps of 8 s between events, a keep-alive timeout of 1 s: the server
    // is busy with the open response, not idle.
    for fetch in [Fetch::Stream, Fetch::LongPoll] {
        let mut s = Scenario::new("gaps", RTT, Vec::new());
        s.push = Some(PushSpec::every(8000.0, 3, 100));
        s.requests = push::requests(fetch, s.push.as_ref().unwrap(), "example.com");
        s.server.keep_alive_timeout_ms = 1000.0;
        let out = run(&s);
        assert_eq!(out.result.totals.connections_opened, 1, "{fetch:?}");
        assert_eq!(out.result.push.as_ref().unwrap().delivered, 3, "{fetch:?}");
        // After the last answer the server's idle timer runs, and closes it.
        assert_eq!(out.result.connections[0].closed_by, CloseReason::ServerIdleTimeout, "{fetch:?}");
    }
}

#[test]
fn an_ordinary_request_behind_a_stream_waits_for_its_end_over_http1_but_not_http2() {
    // One connection, pipelined: the page's script asked after the stream.
    let mut s = Scenario::new("behind", RTT, Vec::new());
    s.push = Some(PushSpec::every(1000.0, 2, 100));
    s.requests = vec![
        RequestSpec::new("events", 300).push(PushRole::Stream),
        RequestSpec::new("app.js", 1000).delay_ms(10.0),
    ];
    s.client.max_connections_per_host = 1;
    s.client.pipelining = true;
    let out = run(&s);
    let js = &out.result.requests[1];
    // It reaches the server at 10 + RTT/2 ms but goes out after the last
    // event (2000 ms), behind the stream on the one byte stream.
    assert_ms(js.end_ms, 2000.0 + RTT / 2.0, "HTTP/1.1: after the stream ends");
    let mut h2 = s.clone();
    h2.client.protocol = Protocol::H2;
    let out = run(&h2);
    // A stream of its own: it leaves when the connection is ready (1 RTT,
    // TCP without TLS) and is answered a round trip later.
    assert_ms(out.result.requests[1].end_ms, RTT + RTT, "HTTP/2: its own stream");
}

#[test]
fn push_fields_are_checked_and_errors_name_them() {
    let field = |s: &Scenario| s.validate().expect_err("invalid").field;
    let mut s = presets::find("live-scores").unwrap().scenario();
    s.validate().expect("the preset is valid");
    // Without events every poll, long poll and stream is answered at once
    // with its empty response, a round trip after it leaves.
    for fetch in [Fetch::Poll { every_ms: 5000.0 }, Fetch::LongPoll, Fetch::Stream] {
        let mut quiet = push::with_fetch(&s, fetch).unwrap();
        quiet.push = None;
        let out = run(&quiet);
        assert!(out.result.push.is_none());
        for r in &out.result.requests {
            assert_ms(r.wait_ms, RTT, &format!("{fetch:?}: {}", r.id));
        }
    }
    s.push.as_mut().unwrap().events_ms[1] = 1.0;
    assert_eq!(field(&s), "push.events_ms[1]");
    s.push.as_mut().unwrap().events_ms = vec![];
    assert_eq!(field(&s), "push.events_ms");
    s.push = Some(PushSpec { events_ms: vec![5.0], event_bytes: 0 });
    assert_eq!(field(&s), "push.event_bytes");
    assert!(Scenario::from_json(r#"{"network":{"rtt_ms":1},"client":{"protocol":"http/1.1"},"requests":[{"id":"a","response_bytes":1,"push":"sometimes"}]}"#)
        .expect_err("unknown role")
        .field
        .starts_with("requests[0].push"));
    assert_eq!(Fetch::parse("poll:250"), Ok(Fetch::Poll { every_ms: 250.0 }));
    assert!(Fetch::parse("poll:5").is_err() && Fetch::parse("push").is_err());
}

#[test]
fn the_comparison_runs_every_way_on_the_same_events() {
    let base = presets::find("live-scores").unwrap().scenario();
    let ways = push::comparison(&base).expect("valid");
    assert_eq!(ways.len(), 5);
    let means: Vec<f64> = ways.iter().map(|(_, s)| run(s).result.push.unwrap().mean_latency_ms).collect();
    // New connections are slower than kept-alive polls by exactly 2 RTT
    // per poll (TCP + TLS 1.3), and a held-open stream is RTT/2.
    assert_ms(means[0] - means[1], 2.0 * RTT, "the handshakes per poll");
    assert_ms(means[3], RTT / 2.0, "SSE");
    assert_ms(means[4], RTT / 2.0, "an HTTP/2 stream");
    assert!(means[2] < means[1], "long polling beats polling every 5 s");
}
