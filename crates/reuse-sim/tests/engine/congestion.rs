//! `tcp.congestion_control`: Reno (the default) and CUBIC with HyStart++,
//! end to end through the engine. The controllers' closed forms (K, W_cubic,
//! β, the Reno-friendly region, HyStart++'s rounds) are unit-tested beside
//! them in `src/transport/congestion_tests.rs`.

use crate::fixtures::*;
use reuse_sim::scenario::CongestionControl;
use reuse_sim::trace::{CwndCause, EventKind, Side};
use reuse_sim::{DescribeContext, Protocol, Scenario, SimOutput};

#[test]
fn an_absent_field_is_reno_and_reno_is_a_name_for_it() {
    let s = Scenario::from_json(&serde_json::to_string(&single(100.0, 1000)).unwrap()).unwrap();
    assert_eq!(s.tcp.congestion_control, CongestionControl::NewReno);
    let with = |value: &str| {
        let mut v = serde_json::to_value(single(100.0, 1000)).unwrap();
        v["tcp"]["congestion_control"] = value.into();
        Scenario::from_json(&v.to_string())
    };
    assert_eq!(with("reno").unwrap().tcp.congestion_control, CongestionControl::NewReno);
    assert_eq!(with("cubic").unwrap().tcp.congestion_control, CongestionControl::Cubic);
    assert_eq!(with("bbr").unwrap().tcp.congestion_control, CongestionControl::Bbr);
    let error = with("vegas").unwrap_err();
    assert_eq!(error.field, "tcp.congestion_control", "{error}");
}

#[test]
fn without_loss_or_queueing_cubic_changes_nothing() {
    // No loss and no queue: the window never leaves slow start and the RTT
    // never rises, so HyStart++ has nothing to see: the same page load.
    for protocol in [Protocol::Http11, Protocol::H2, Protocol::H3] {
        let reno = run(&twenty_objects(0.0, CongestionControl::NewReno).with_protocol(protocol));
        let cubic = run(&twenty_objects(0.0, CongestionControl::Cubic).with_protocol(protocol));
        assert_ms(cubic.result.page_load_ms, reno.result.page_load_ms, &format!("{protocol}"));
    }
}

#[test]
fn with_cubic_http2_at_two_percent_loss_takes_about_twice_http11() {
    // The measurement on Linux (nginx and curl, 80 ms, 20 Mbit/s,
    // 20 × 30 KB, 2 % random loss): with CUBIC, HTTP/2's median page load
    // is "a little over twice" HTTP/1.1's, because one connection's window
    // shrinks at every loss while six connections shrink one of six.
    let s = twenty_objects(0.02, CongestionControl::Cubic);
    let ratio = median_page_load(&s, Protocol::H2, 21) / median_page_load(&s, Protocol::Http11, 21);
    assert!((1.8..2.6).contains(&ratio), "HTTP/2 ÷ HTTP/1.1 = {ratio:.2}");
}

fn cwnd_events(out: &SimOutput) -> Vec<(f64, CwndCause, u64, u64)> {
    out.trace
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::CongestionWindow { cause, cwnd_bytes, ssthresh_bytes, .. } => {
                Some((e.time.as_ms(), cause, cwnd_bytes, ssthresh_bytes))
            }
            _ => None,
        })
        .collect()
}

/// One 5 MB download at 10 Mbit/s and RTT 100 ms into a 200-packet router
/// buffer: the bandwidth-delay product is 83 packets, so slow start
/// overflows the buffer once the window passes about 283. (With a buffer
/// below one BDP the queue never outlives a round and HyStart++ sees the
/// rise only as the buffer overflows: RFC 9406 §1 names deep buffers as
/// where slow start overshoots.)
fn big_download(cc: CongestionControl) -> Scenario {
    let mut s = single(100.0, 5_000_000);
    s.network.packet_overhead_bytes = 40;
    s.network.downlink_mbps = Some(10.0);
    s.network.uplink_mbps = Some(10.0);
    s.network.queue_packets = Some(200);
    s.tcp.congestion_control = cc;
    s.with_protocol(Protocol::Http11)
}

#[test]
fn hystart_leaves_slow_start_when_the_queue_builds_before_it_overflows() {
    let out = run(&big_download(CongestionControl::Cubic));
    let first_drop = out
        .trace
        .iter()
        .find(|e| matches!(e.kind, EventKind::PacketDropped { .. }))
        .map(|e| e.time.as_ms())
        .expect("the buffer overflows at last");
    let events = cwnd_events(&out);
    let (css_at, ..) = *events
        .iter()
        .find(|(_, cause, ..)| *cause == CwndCause::ConservativeSlowStart)
        .expect("HyStart++ sees the RTT rise");
    // RFC 9406: RttThresh = clamp(100 ms / 8, 4, 16) = 12.5 ms of queueing,
    // about 11 packets at 10 Mbit/s: long before 64 are queued.
    assert!(css_at < first_drop, "CSS at {css_at} ms, first drop at {first_drop} ms");
    // Slow start overshoots less, so fewer packets are lost than Reno's.
    let reno = run(&big_download(CongestionControl::NewReno));
    assert!(
        2 * out.result.totals.packets_lost < reno.result.totals.packets_lost,
        "CUBIC lost {}, Reno {}",
        out.result.totals.packets_lost,
        reno.result.totals.packets_lost
    );
}

#[test]
fn the_trace_names_cubics_cut_and_renos_halving() {
    for (cc, words) in [
        (CongestionControl::Cubic, "0.7 × the window (CUBIC's β, RFC 9438 §4.6)"),
        (CongestionControl::NewReno, "ssthresh = half the window"),
    ] {
        let s = big_download(cc);
        let out = run(&s);
        let ctx = DescribeContext { scenario: &s, hosts: &out.hosts };
        let (time, ..) = *cwnd_events(&out)
            .iter()
            .find(|(_, cause, ..)| *cause == CwndCause::FastRetransmit)
            .expect("a loss");
        let event = out
            .trace
            .iter()
            .find(|e| e.time.as_ms() == time && matches!(e.kind, EventKind::CongestionWindow { .. }));
        let text = event.expect("the event").describe(ctx);
        assert!(text.contains(words), "{cc:?}: {text}");
    }
}

#[test]
fn cubic_keeps_seven_tenths_of_the_window_at_each_loss() {
    // Each fast retransmission's ssthresh is 0.7 of a window the sender
    // reported on its packets; Reno's is half of one.
    for (cc, low, high) in [(CongestionControl::Cubic, 0.66, 0.74), (CongestionControl::NewReno, 0.45, 0.55)]
    {
        let out = run(&big_download(cc));
        let mut cuts = 0;
        let mut last_cwnd = 0;
        for e in &out.trace {
            match &e.kind {
                EventKind::PacketSent(p) if p.from == Side::Server => last_cwnd = p.cwnd_bytes,
                EventKind::CongestionWindow { cause: CwndCause::FastRetransmit, ssthresh_bytes, .. } => {
                    let ratio = *ssthresh_bytes as f64 / last_cwnd as f64;
                    assert!(
                        (low..high).contains(&ratio),
                        "{cc:?}: ssthresh {ssthresh_bytes} of cwnd {last_cwnd}"
                    );
                    cuts += 1;
                }
                _ => {}
            }
        }
        assert!(cuts >= 2, "{cc:?}: {cuts} losses");
    }
}

#[test]
fn http3_uses_the_same_controller() {
    let mut s = twenty_objects(0.03, CongestionControl::Cubic).with_protocol(Protocol::H3);
    s.seed = 2;
    let out = run(&s);
    let ctx = DescribeContext { scenario: &s, hosts: &out.hosts };
    let loss = out
        .trace
        .iter()
        .find(|e| matches!(e.kind, EventKind::CongestionWindow { cause: CwndCause::QuicLoss, .. }))
        .expect("a QUIC loss");
    let text = loss.describe(ctx);
    assert!(text.contains("× 0.7"), "{text}");
    // RFC 9002 B.6 with CUBIC's β: ssthresh = 0.7 × cwnd (above the minimum).
    if let EventKind::CongestionWindow { cwnd_bytes, ssthresh_bytes, .. } = loss.kind {
        assert_eq!(cwnd_bytes, ssthresh_bytes, "cwnd = ssthresh after the cut");
    }
}
