//! The closed form beside the result (`reuse_sim::formula`): Kurose &
//! Ross's four answers for a base file and 8 objects, and every formula the
//! engine says applies agrees with its simulation, over page sizes,
//! connection limits, TLS versions and protocols; where none applies, the
//! reason names the condition.

use crate::fixtures::*;
use reuse_sim::formula::{agrees, closed_form, ClosedForm};
use reuse_sim::scenario::TlsVersion;
use reuse_sim::{presets, simulate_each, Limits, Protocol};

const RTT: f64 = 100.0;

fn applies(s: &reuse_sim::Scenario, p: Protocol) -> reuse_sim::formula::Receipt {
    match closed_form(s, p) {
        ClosedForm::Applies(r) => r,
        ClosedForm::None(why) => panic!("{p:?}: no closed form: {why}"),
    }
}

#[test]
fn kurose_and_ross_four_answers_for_eight_objects() {
    // K&R's problem: base + 8 objects, RTT 100 ms, negligible transmission.
    let mut serial = textbook(RTT, 8, reuse_sim::Protocol::Http10);
    serial.client.max_connections_per_host = 1;
    let r = applies(&serial, Protocol::Http10);
    assert_eq!((r.formula.as_str(), r.expected_ms), ("2(N + 1)·RTT", 1_800.0));
    assert_eq!(r.worked, "2 × (8 + 1) × 100 ms");
    let mut parallel = serial.clone();
    parallel.client.max_connections_per_host = 5;
    assert_eq!(applies(&parallel, Protocol::Http10).expected_ms, 600.0, "2·RTT + 2⌈8/5⌉·RTT");
    assert_eq!(applies(&serial, Protocol::Http11).expected_ms, 1_000.0, "2·RTT + 8·RTT");
    let mut pipelined = serial.clone();
    pipelined.client.pipelining = true;
    assert_eq!(applies(&pipelined, Protocol::Http11).expected_ms, 300.0, "2·RTT + RTT");
    assert_eq!(applies(&serial, Protocol::H2).expected_ms, 300.0, "one HTTP/2 connection");
}

#[test]
fn every_formula_that_applies_agrees_with_the_simulation() {
    let mut applied = 0;
    for n in [0usize, 1, 5, 8, 10] {
        for cl in [1u32, 2, 6] {
            for tls in [TlsVersion::None, TlsVersion::Tls13, TlsVersion::Tls12] {
                for (pipelining, keep_alive_10) in [(false, false), (true, false), (false, true)] {
                    let mut s = textbook(RTT, n, Protocol::Http11);
                    s.client.max_connections_per_host = cl;
                    s.tls.version = tls;
                    s.client.pipelining = pipelining;
                    s.client.http10_keep_alive = keep_alive_10;
                    let outs = simulate_each(&s, &Protocol::OVER_TCP, Limits::default()).expect("runs");
                    for (p, out) in Protocol::OVER_TCP.into_iter().zip(&outs) {
                        if let ClosedForm::Applies(r) = closed_form(&s, p) {
                            applied += 1;
                            let rounds: f64 = r.breakdown.iter().map(|(_, n)| n).sum();
                            assert!(
                                agrees(rounds * RTT, r.expected_ms),
                                "{p:?} N={n} cl={cl}: the breakdown sums to the formula"
                            );
                            assert!(
                                agrees(r.expected_ms, out.result.page_load_ms),
                                "{p:?} N={n} cl={cl} {tls:?} pl={pipelining} ka10={keep_alive_10}: {r} but simulated {}",
                                out.result.page_load_ms
                            );
                        }
                    }
                }
            }
        }
    }
    // 135 pages × 3 protocols: every HTTP/1.0 and HTTP/2 run has a formula;
    // HTTP/1.1 pipelined over 2 or 6 connections with 5, 8 or 10 objects
    // (18 runs) has none: 405 − 18 = 387.
    assert_eq!(applied, 387, "the runs the models cover");
}

#[test]
fn the_presets_get_a_formula_that_agrees_or_a_reason() {
    for preset in presets::all() {
        let s = preset.scenario();
        if !s.in_this_build() {
            continue;
        }
        let outs = simulate_each(&s, &Protocol::OVER_TCP, Limits::default()).expect("runs");
        for (p, out) in Protocol::OVER_TCP.into_iter().zip(&outs) {
            match closed_form(&s, p) {
                ClosedForm::Applies(r) => {
                    assert!(agrees(r.expected_ms, out.result.page_load_ms), "{}: {p:?}: {r}", preset.id)
                }
                ClosedForm::None(why) => assert!(!why.is_empty()),
            }
        }
    }
    // Loss is named as what breaks it.
    let lossy = presets::find("lossy-mobile").expect("preset").scenario();
    assert!(
        matches!(closed_form(&lossy, Protocol::H2), ClosedForm::None(why) if why.starts_with("with loss"))
    );
}

#[test]
fn one_large_object_follows_the_slow_start_rounds() {
    // IW 10, 1460 B segments: 14,600 B fit in one round (the 14 KB rule);
    // 100 KB are 69 segments: 10 × (2^3 − 1) = 70 ≥ 69, three rounds.
    for (bytes, rounds) in [(14_600u64, 1.0), (14_601, 2.0), (43_800, 2.0), (100_000, 3.0), (1_000_000, 7.0)]
    {
        let mut s = single(80.0, bytes);
        s.client.protocol = Protocol::Http11;
        let r = applies(&s, Protocol::Http11);
        assert_eq!(r.expected_ms, (1.0 + rounds) * 80.0, "{bytes} B: {}", r.worked);
        let out = run(&s);
        assert!(
            agrees(r.expected_ms, out.result.page_load_ms),
            "{bytes} B: {r} but simulated {}",
            out.result.page_load_ms
        );
    }
    let mut s = single(80.0, 100_000);
    s.tcp.delayed_ack = true;
    assert!(
        matches!(closed_form(&s, Protocol::Http11), ClosedForm::None(why) if why.contains("delayed ACKs"))
    );
}
