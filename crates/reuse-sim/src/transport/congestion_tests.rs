//! The controllers against their RFCs' closed forms.

use super::*;

fn ms(v: u64) -> SimDuration {
    SimDuration::from_millis(v)
}

fn at(v: u64) -> SimTime {
    SimTime(ms(v).0)
}

#[test]
fn the_integer_cube_root_is_the_floor() {
    for n in [0u128, 1, 7, 8, 26, 27, 28, 999, 1000, 1001, 1 << 90, u128::MAX / 64] {
        let r = integer_cbrt(n);
        assert!(r * r * r <= n, "{n}: {r}");
        assert!((r + 1) * (r + 1) * (r + 1) > n, "{n}: {r}");
    }
}

#[test]
fn k_is_the_cube_root_of_the_gap_over_c() {
    // RFC 9438 eq. 2 after a loss at W_max = 100 segments: the window falls
    // to 70, K = ∛(30 / 0.4) = ∛75 = 4.217163 s.
    assert_eq!(cubic_k(30, 1), SimDuration::from_micros(4_217_163));
    // In bytes (a segment of 1,000 bytes) the same.
    assert_eq!(cubic_k(30_000, 1000), SimDuration::from_micros(4_217_163));
    // ∛(0.3 × 1000 / 0.4) = ∛750 = 9.085603 s for W_max = 1000.
    assert_eq!(cubic_k(300, 1), SimDuration::from_micros(9_085_602));
}

#[test]
fn the_cubic_curve_passes_its_plateau_at_k_and_grows_as_c_t_cubed() {
    let e = Epoch { start: at(0), k: cubic_k(30, 1), origin: 100, w_est_milli: 0, growth: 0 };
    // W_cubic(0) = W_max − C·K³ = 100 − 30 = 70 (the window after the cut).
    assert_eq!(e.w_cubic(SimDuration::ZERO, 1), 70);
    assert_eq!(e.w_cubic(e.k, 1), 100);
    // One second past K: + C·1³ = 0.4 segment; ten seconds: + 400.
    assert_eq!(e.w_cubic(SimDuration(e.k.0 + ms(10_000).0), 1), 500);
    // In bytes: 0.4 × 10³ × 1,000 bytes.
    let b = Epoch { origin: 100_000, ..e };
    assert_eq!(b.w_cubic(SimDuration(e.k.0 + ms(10_000).0), 1000), 500_000);
}

#[test]
fn a_loss_keeps_seven_tenths_and_remembers_w_max_with_fast_convergence() {
    let mut c = Controller::new(CongestionControl::Cubic, 10);
    assert_eq!(c.ssthresh_after_loss(100, 100, 2), 70, "β = 0.7 (RFC 9438 §4.6)");
    let Controller::Cubic(cubic) = &c else { panic!() };
    assert_eq!(cubic.w_max, 100);
    // A second loss below W_max: W_max = 80 × (1 + 0.7)/2 = 68 (§4.7).
    assert_eq!(c.ssthresh_after_loss(80, 80, 2), 56);
    let Controller::Cubic(cubic) = &c else { panic!() };
    assert_eq!(cubic.w_max, 68);
    let mut reno = Controller::new(CongestionControl::NewReno, 10);
    assert_eq!(reno.ssthresh_after_loss(100, 100, 2), 50, "Reno halves (RFC 5681 eq. 4)");
}

/// Runs congestion avoidance from a cut at W_max = `w_max` with one ACK
/// per segment, `rtt` apart per window, for `seconds`; returns the window
/// after each round trip.
fn avoidance_rounds(w_max: u64, rtt: SimDuration, rounds: u64) -> Vec<u64> {
    let mut c = Controller::new(CongestionControl::Cubic, 10);
    let ssthresh = c.ssthresh_after_loss(w_max, w_max, 2);
    let mut cwnd = ssthresh;
    let mut now = at(1_000);
    let mut out = Vec::new();
    for _ in 0..rounds {
        let acks = cwnd;
        for i in 0..acks {
            let t = SimTime(now.0 + rtt.0 * i / acks);
            cwnd = c.avoidance(t, cwnd, 1, 1, rtt, true).expect("cubic grows");
        }
        now = SimTime(now.0 + rtt.0);
        out.push(cwnd);
    }
    out
}

#[test]
fn the_window_regains_w_max_about_k_after_the_loss() {
    // W_max = 1,000 segments at RTT 100 ms: K = 9.09 s, so about 91 round
    // trips until the window is back near 1,000, and never far above it
    // before: the concave region of RFC 9438 Figure 1.
    let w = avoidance_rounds(1000, ms(100), 150);
    let k_rounds = (cubic_k(300, 1).0 / ms(100).0) as usize; // 90
                                                             // The window chases W_cubic one RTT ahead: after the first round it is
                                                             // between β·W_max = 700 and W_cubic(2 RTT) = 1000 − 0.4 × (9.086 − 0.2)³
                                                             // = 719.4.
    assert!((701..=719).contains(&w[0]), "{}", w[0]);
    // One second before K: W_cubic = 1000 − 0.4 × 1³ = 999.6.
    let before = w[k_rounds - 10];
    assert!((995..1000).contains(&before), "10 rounds before K: {before}");
    let at_k = w[k_rounds];
    assert!((998..=1001).contains(&at_k), "at K: {at_k}");
    // Five seconds past K the convex region probes above W_max:
    // 1000 + 0.4 × 5³ = 1050 (1053 one RTT ahead).
    let after = w[k_rounds + 50];
    assert!((1048..=1054).contains(&after), "K + 5 s: {after}");
}

#[test]
fn at_small_rtt_and_window_the_reno_friendly_window_leads() {
    // RFC 9438 §4.3: with W_max = 20 segments at RTT 10 ms, K = ∛(6/0.4)
    // = 2.47 s = 247 round trips; Reno-friendly growth (α = 9/17 segment
    // per round trip) adds about 10.6 segments in 20 rounds while the
    // cubic curve adds less than one.
    let w = avoidance_rounds(20, ms(10), 20);
    // W_est starts at 14 and grows 9/17 per round until it reaches
    // cwnd_prior = 20 (6 ÷ 9/17 = 11.3 rounds), then 1 per round (α = 1):
    // 20 + 8.7 = 28.7 after 20 rounds. The cubic curve alone would be at
    // 20 − 0.4 × (2.466 − 0.2)³ = 15.3.
    assert!((27..=29).contains(&w[19]), "{w:?}");
}

#[test]
fn hystart_leaves_slow_start_after_the_rtt_rises_and_five_conservative_rounds() {
    // RFC 9406: round 1 sees 100 ms, round 2 sees 120 ms (≥ 100 + max(4,
    // min(100/8, 16)) = 112.5 ms): conservative slow start, a quarter of
    // the growth, then after CSS_ROUNDS rounds ssthresh = cwnd.
    let mut h = HyStart::default();
    let mut steps = Vec::new();
    for round in 0..8u64 {
        let rtt = if round == 0 { ms(100) } else { ms(120) };
        // Round r's ten ACKs arrive while the sender has sent up to the
        // first packet of round r + 1 (windowEnd).
        for i in 1..=10 {
            steps.push((round, h.on_ack(1, Some(rtt), 10 * round + i, 10 * (round + 1) + 1)));
        }
    }
    let css_at = steps.iter().position(|(_, s)| matches!(s, SlowStartStep::EnterCss(_))).expect("enters CSS");
    assert_eq!(steps[css_at].0, 1, "the second round decides, after 8 samples");
    let grown: u64 = steps[css_at + 1..]
        .iter()
        .take(8)
        .map(|(_, s)| match s {
            SlowStartStep::Grow(g) => *g,
            _ => 0,
        })
        .sum();
    assert_eq!(grown, 2, "8 ACKs in CSS grow by 8 / CSS_GROWTH_DIVISOR");
    let exit = steps.iter().position(|(_, s)| *s == SlowStartStep::Exit).expect("leaves slow start");
    assert_eq!(steps[exit].0, 1 + HYSTART_CSS_ROUNDS as u64, "five rounds in CSS");
}

#[test]
fn hystart_resumes_slow_start_when_the_rtt_falls_back() {
    let mut h = HyStart::default();
    for (round, rtt) in [100, 120, 100].into_iter().enumerate() {
        let round = round as u64;
        for i in 1..=10 {
            h.on_ack(1, Some(ms(rtt)), 10 * round + i, 10 * (round + 1) + 1);
        }
        assert_eq!(h.in_css(), round == 1, "round {round}");
    }
}
