//! Sweeps (`reuse_sim::sweep`): every point is the closed form at its value,
//! and a crossover's bracket is where two curves really change order.

use crate::fixtures::*;
use reuse_sim::presets;
use reuse_sim::sweep::{Metric, Param, Sweep};
use reuse_sim::Protocol;

fn textbook_sweep(param: Param, from: f64, to: f64, points: usize) -> Sweep {
    let mut s = textbook(100.0, 8, Protocol::Http11);
    s.client.max_connections_per_host = 1;
    Sweep {
        scenario: s,
        param,
        from,
        to,
        points,
        log: false,
        protocols: vec![Protocol::Http10, Protocol::Http11],
        variants: Vec::new(),
        seeds: 10,
        metric: Metric::PageLoad,
    }
}

#[test]
fn an_rtt_sweep_follows_kurose_and_ross_at_every_point() {
    // Base + N = 8 objects on one connection, infinite bandwidth: HTTP/1.0
    // 2(N + 1)·RTT, HTTP/1.1 persistent without pipelining (N + 2)·RTT.
    let sweep = textbook_sweep(Param::Rtt, 20.0, 300.0, 8);
    sweep.validate().expect("valid");
    for v in sweep.values() {
        let p = sweep.point(v).expect("runs");
        assert_ms(p.stats[0].median, 2.0 * 9.0 * v, &format!("HTTP/1.0 at RTT {v}"));
        assert_ms(p.stats[1].median, 10.0 * v, &format!("HTTP/1.1 at RTT {v}"));
        // No loss: one run per point, whatever --seeds says.
        assert!(p.stats.iter().all(|s| s.runs == 1 && s.p10 == s.median && s.p90 == s.median));
    }
}

#[test]
fn an_object_count_sweep_follows_the_per_object_round_trips() {
    let mut sweep = textbook_sweep(Param::Objects, 1.0, 12.0, 12);
    sweep.metric = Metric::ConnectionsOpened;
    for v in sweep.values() {
        let p = sweep.point(v).expect("runs");
        // A connection per object plus the page under HTTP/1.0, one under HTTP/1.1.
        assert_eq!((p.stats[0].median, p.stats[1].median), (v + 1.0, 1.0), "N = {v}");
    }
    let sweep = textbook_sweep(Param::Objects, 1.0, 12.0, 12);
    let points: Vec<_> = sweep.values().into_iter().map(|v| sweep.point(v).expect("runs")).collect();
    for p in &points {
        assert_ms(p.stats[0].median, 2.0 * (p.value + 1.0) * 100.0, "HTTP/1.0");
        assert_ms(p.stats[1].median, (p.value + 2.0) * 100.0, "HTTP/1.1");
    }
    // HTTP/1.1 stays ahead by N·RTT: the curves never cross.
    assert!(sweep.crossovers(&points).expect("bisects").is_empty());
}

#[test]
fn a_crossover_bracket_holds_a_change_of_order() {
    // The lossy-mobile lesson: HTTP/2 on one connection ahead without loss,
    // behind six HTTP/1.1 connections with it (medians over seeds).
    let sweep = Sweep {
        scenario: presets::find("lossy-mobile").expect("preset").scenario(),
        param: Param::Loss,
        from: 0.0,
        to: 5.0,
        points: 6,
        log: false,
        protocols: vec![Protocol::Http11, Protocol::H2],
        variants: Vec::new(),
        seeds: 5,
        metric: Metric::PageLoad,
    };
    let points: Vec<_> = sweep.values().into_iter().map(|v| sweep.point(v).expect("runs")).collect();
    let first = &points[0].stats;
    assert!(first[1].median < first[0].median, "HTTP/2 ahead without loss");
    let crossovers = sweep.crossovers(&points).expect("bisects");
    assert!(!crossovers.is_empty(), "the curves cross");
    for c in &crossovers {
        let (lo, hi) = c.between;
        // 0.01 % of the 5-point range.
        assert!(lo < c.at && c.at < hi && hi - lo <= 5.0 * 1e-4, "{c:?}");
        // Independent runs at the bracket's ends: the order differs.
        let order = |v: f64| {
            let p = sweep.point(v).expect("runs");
            p.stats[0].median > p.stats[1].median
        };
        assert_ne!(order(lo), order(hi), "{c:?}");
        // Its words name the one slower above the crossing.
        let slower = if c.rising { c.a } else { c.b };
        assert!(
            sweep.describe(c).starts_with(&format!("{} slower than", slower.as_str())),
            "{}",
            sweep.describe(c)
        );
    }
    // Seeded points: the band holds the median.
    let lossy = &points[3].stats[1];
    assert!(lossy.runs == 5 && lossy.p10 <= lossy.median && lossy.median <= lossy.p90);
}

/// The four K&R answers as variants of one scenario, one curve each.
fn kurose_ross_variants(param: Param, from: f64, to: f64, points: usize) -> Sweep {
    let mut sweep = textbook_sweep(param, from, to, points);
    sweep.protocols = Vec::new();
    sweep.variants = [
        "non-persistent serial: protocol=1.0, cl=1",
        "non-persistent ×5: protocol=1.0, cl=5",
        "persistent: protocol=1.1, cl=1",
        "pipelined: protocol=1.1, cl=1, pl=1",
    ]
    .iter()
    .map(|spec| reuse_sim::variant::Variant::parse(spec).expect("a variant"))
    .collect();
    sweep
}

#[test]
fn variants_are_curves_of_their_own_each_on_its_closed_form() {
    // Base + N = 8 objects, infinite bandwidth (K&R 2.2): non-persistent
    // serial 2(N + 1)·RTT; with 5 parallel connections 2·RTT for the base,
    // then ⌈N/5⌉ rounds of 2·RTT; persistent (N + 2)·RTT; pipelined 3·RTT.
    let sweep = kurose_ross_variants(Param::Rtt, 20.0, 300.0, 5);
    sweep.validate().expect("valid");
    assert_eq!(sweep.series_count(), 4);
    assert_eq!(sweep.series_label(1), "non-persistent ×5");
    assert_eq!(sweep.series_protocol(3), Protocol::Http11);
    for v in sweep.values() {
        let p = sweep.point(v).expect("runs");
        let expected = [2.0 * 9.0 * v, 2.0 * v + 2.0 * 2.0 * v, 10.0 * v, 3.0 * v];
        for (i, want) in expected.into_iter().enumerate() {
            assert_ms(p.stats[i].median, want, &format!("{} at RTT {v}", sweep.series_label(i)));
        }
    }
}

#[test]
fn two_variants_of_one_protocol_cross_and_are_named_by_their_labels() {
    // Object count 1..12: serial HTTP/1.0 pays 2·RTT per object, five in
    // parallel 2·RTT per five, so from N = 2 the serial curve is above.
    let mut sweep = kurose_ross_variants(Param::Objects, 1.0, 12.0, 12);
    sweep.variants.truncate(2);
    let points: Vec<_> = sweep.values().into_iter().map(|v| sweep.point(v).expect("runs")).collect();
    for p in &points {
        let n = p.value;
        assert_ms(p.stats[0].median, 2.0 * (n + 1.0) * 100.0, "serial");
        assert_ms(p.stats[1].median, (2.0 + 2.0 * (n / 5.0).ceil()) * 100.0, "×5");
    }
    // Equal at N = 1, then apart: a tie is no change of order.
    assert!(sweep.crossovers(&points).expect("bisects").is_empty());
    let c = reuse_sim::sweep::Crossover {
        a: Protocol::Http10,
        b: Protocol::Http10,
        series: (0, 1),
        at: 2.0,
        between: (1.0, 2.0),
        rising: true,
    };
    assert_eq!(sweep.describe(&c), "non-persistent serial slower than non-persistent ×5 from 2 objects");
}

#[test]
fn a_variant_may_not_set_the_parameter_swept_nor_share_a_label() {
    let field_and_reason = |sweep: Sweep| {
        let e = sweep.validate().expect_err("refused");
        (e.field, e.reason)
    };
    let mut sets_rtt = kurose_ross_variants(Param::Rtt, 20.0, 300.0, 5);
    sets_rtt.variants.push(reuse_sim::variant::Variant::parse("fast: rtt=10").expect("parses"));
    let (field, reason) = field_and_reason(sets_rtt);
    assert_eq!(field, "variant");
    assert!(reason.contains("fast") && reason.contains("rtt"), "{reason}");
    let mut twice = kurose_ross_variants(Param::Rtt, 20.0, 300.0, 5);
    twice.variants.push(twice.variants[0].clone());
    assert_eq!(field_and_reason(twice).0, "variant");
    let mut both = kurose_ross_variants(Param::Rtt, 20.0, 300.0, 5);
    both.protocols = vec![Protocol::H2];
    assert_eq!(field_and_reason(both).0, "variant");
    let mut bad = kurose_ross_variants(Param::Rtt, 20.0, 300.0, 5);
    bad.variants.push(reuse_sim::variant::Variant::parse("huge: cl=0").expect("parses"));
    let (field, reason) = field_and_reason(bad);
    assert_eq!(field, "variant");
    assert!(reason.starts_with("huge: cl"), "{reason}");
}
