//! BBR's state machine and its delivery-rate samples against the draft's
//! rules, on synthetic ACKs (the engine tests drive it over a link:
//! `tests/engine/bbr.rs`).

use super::*;

fn ms(v: u64) -> SimDuration {
    SimDuration::from_millis(v)
}

fn at(v: u64) -> SimTime {
    SimTime(ms(v).0)
}

/// A round trip of 100 ms in which `packets` were delivered, fed to BBR as
/// one ACK whose sample spans the round: the rate is `packets` per 100 ms.
fn round(b: &mut Bbr, n: u64, packets: u64, in_flight: u64) -> (u64, Option<BbrChange>) {
    round_every(b, 100, n, packets, in_flight)
}

/// [`round`] with ACKs `spacing` ms apart.
fn round_every(b: &mut Bbr, spacing: u64, n: u64, packets: u64, in_flight: u64) -> (u64, Option<BbrChange>) {
    let prior_delivered = b.sampler.delivered();
    b.sampler.delivered += packets;
    let sample = RateSample { delivered: packets, interval: ms(100), prior_delivered, app_limited: false };
    b.on_ack(BbrAck {
        now: at(spacing * n),
        cwnd: 1_000,
        delivered: packets,
        lost: 0,
        prior_in_flight: in_flight,
        in_flight,
        rtt: Some(ms(100)),
        sample: Some(sample),
        recovery: RecoveryStep::None,
        one: 1,
        bytes_per_unit: 1_000,
    })
}

#[test]
fn startup_ends_after_three_rounds_without_a_quarter_more_bandwidth() {
    let mut b = Bbr::new(10);
    // Doubling rounds: 10, 20, 40, 80 packets per round trip.
    for (n, packets) in [10, 20, 40, 80].into_iter().enumerate() {
        let (_, change) = round(&mut b, n as u64 + 1, packets, 1_000);
        assert_eq!(change, None, "round {}", n + 1);
    }
    // The bottleneck: 90 (12.5 % more, under 25 %), then 90 and 90. The
    // third round without 25 % growth ends Startup (draft §4.3.2.2).
    assert_eq!(round(&mut b, 5, 90, 1_000).1, None);
    assert_eq!(round(&mut b, 6, 90, 1_000).1, None);
    let (_, change) = round(&mut b, 7, 90, 1_000);
    assert_eq!(change, Some(BbrChange { from: BbrMode::Startup, to: BbrMode::Drain }));
    assert!(b.filled_pipe);
    // Drain paces at 1/2.885 of the bottleneck: 90 packets per 100 ms of
    // 1,000 bytes = 900 kB/s, so 311,958 bytes/s.
    assert_eq!(b.bandwidth_bytes_per_s(1_000), 900_000);
    assert_eq!(b.pacing_rate, 900_000 * 1000 / 2885);
}

#[test]
fn drain_ends_when_the_flight_is_down_to_one_bdp() {
    let mut b = Bbr::new(10);
    for (n, packets) in [10, 20, 40, 80, 80, 80, 80].into_iter().enumerate() {
        round(&mut b, n as u64 + 1, packets, 500);
    }
    assert_eq!(b.mode, BbrMode::Drain);
    // BDP = 80 packets per 100 ms × 100 ms = 80 packets, plus three send
    // quanta of 2 segments (Drain paces at 277 kB/s: under 24 Mbit/s), the
    // draft's BBRInflight(1): 87 in flight keeps draining, 86 starts ProbeBW.
    assert_eq!(round(&mut b, 8, 80, 87).1, None);
    let (cwnd, change) = round(&mut b, 9, 80, 86);
    assert_eq!(change, Some(BbrChange { from: BbrMode::Drain, to: BbrMode::ProbeBw }));
    // ProbeBW's window: 2 BDP + 3 send quanta. Pacing at 800 kB/s is
    // under 24 Mbit/s, so a quantum is 2 segments: 160 + 6.
    assert_eq!(cwnd, 2 * 80 + 6);
    assert_eq!(b.pacing_rate, 800_000, "cruising at the bottleneck (gain 1)");
}

#[test]
fn probe_bw_cycles_its_gains_one_min_rtt_each() {
    let mut b = Bbr::new(10);
    // ACKs 101 ms apart: each one ends a phase of one min RTT (100 ms).
    for (n, packets) in [10, 20, 40, 80, 80, 80, 80].into_iter().enumerate() {
        round_every(&mut b, 101, n as u64 + 1, packets, 80);
    }
    assert_eq!(b.mode, BbrMode::ProbeBw);
    // From the first cruising phase (gain 1), six phases of gain 1, then the
    // probe at 5/4 (which lasts until the flight reaches 5/4 BDP = 100
    // packets plus three quanta of 2: 106) and the drain at 3/4.
    let mut rates = Vec::new();
    for n in 8..=17 {
        round_every(&mut b, 101, n, 80, 106);
        rates.push(b.pacing_rate);
    }
    assert_eq!(rates.iter().filter(|&&r| r == 1_000_000).count(), 1, "{rates:?}");
    assert_eq!(rates.iter().filter(|&&r| r == 600_000).count(), 1, "{rates:?}");
    let probe = rates.iter().position(|&r| r == 1_000_000).unwrap();
    assert_eq!(rates[probe + 1], 600_000, "the drain phase follows the probe: {rates:?}");
}

#[test]
fn a_random_loss_cuts_neither_the_rate_nor_more_than_the_lost_packets() {
    let mut b = Bbr::new(10);
    for (n, packets) in [10, 20, 40, 80, 80, 80, 80, 80].into_iter().enumerate() {
        round(&mut b, n as u64 + 1, packets, 80);
    }
    let rate = b.pacing_rate;
    let prior_delivered = b.sampler.delivered();
    b.sampler.delivered += 1;
    let sample = RateSample { delivered: 80, interval: ms(100), prior_delivered, app_limited: false };
    let (cwnd, _) = b.on_ack(BbrAck {
        now: at(950),
        cwnd: 166,
        delivered: 1,
        lost: 1,
        prior_in_flight: 160,
        in_flight: 158,
        rtt: Some(ms(100)),
        sample: Some(sample),
        recovery: RecoveryStep::Entered,
        one: 1,
        bytes_per_unit: 1_000,
    });
    assert_eq!(b.pacing_rate, rate, "the bandwidth estimate stands");
    // Packet conservation: what is in flight plus what was delivered.
    assert_eq!(cwnd, 158 + 1);
}

#[test]
fn probe_rtt_comes_when_the_min_rtt_is_ten_seconds_old() {
    let mut b = Bbr::new(10);
    for (n, packets) in [10, 20, 40, 80, 80, 80, 80, 80].into_iter().enumerate() {
        round(&mut b, n as u64 + 1, packets, 80);
    }
    // RTT samples of 110 ms never beat the 100 ms min taken at 0.8 s...
    let mut entered = None;
    for n in 9..=120u64 {
        let prior_delivered = b.sampler.delivered();
        b.sampler.delivered += 80;
        let sample = RateSample { delivered: 80, interval: ms(110), prior_delivered, app_limited: false };
        let (cwnd, change) = b.on_ack(BbrAck {
            now: at(100 * n),
            cwnd: 166,
            delivered: 80,
            lost: 0,
            prior_in_flight: 80,
            in_flight: 80,
            rtt: Some(ms(110)),
            sample: Some(sample),
            recovery: RecoveryStep::None,
            one: 1,
            bytes_per_unit: 1_000,
        });
        if change.map(|c| c.to) == Some(BbrMode::ProbeRtt) {
            entered = Some((n, cwnd));
            break;
        }
    }
    // ...so 10 s later (the first ACK after 0.8 s + 10 s) BBR probes the
    // RTT with 4 packets (draft §4.3.5).
    assert_eq!(entered, Some((109, BBR_MIN_PIPE_CWND_SEGMENTS)));
}

#[test]
fn a_rate_sample_spans_the_longer_of_the_send_and_ack_intervals() {
    let mut r = RateSampler::default();
    // Ten packets leave 1 ms apart from t = 0; their ACKs come 100 ms
    // later, also 1 ms apart.
    let stamps: Vec<_> = (0..10).map(|i| (at(i), r.on_send(at(i), i))).collect();
    for (i, (sent, stamp)) in stamps.iter().enumerate() {
        r.on_delivered(at(100 + i as u64), 1, *sent, stamp);
    }
    // The newest packet's sample: 10 delivered since its stamp (0 then),
    // over max(send 9 ms, ack 109 ms) = 109 ms.
    let s = r.generate(Some(ms(100))).expect("a sample");
    assert_eq!((s.delivered, s.interval), (10, ms(109)));
    // Shorter than the min RTT: no sample (ACK compression).
    let stamp =
        RateStamp { delivered: 9, delivered_time: at(100), first_sent_time: at(100), app_limited: false };
    r.on_delivered(at(110), 1, at(105), &stamp);
    assert_eq!(r.generate(Some(ms(100))), None);
}

#[test]
fn probe_rtt_marks_its_samples_application_limited_and_restores_the_window() {
    let mut b = Bbr::new(10);
    for (n, packets) in [10, 20, 40, 80, 80, 80, 80, 80].into_iter().enumerate() {
        round(&mut b, n as u64 + 1, packets, 80);
    }
    let ack = |b: &mut Bbr, ms: u64, delivered: u64, in_flight: u64, cwnd: u64| {
        let prior_delivered = b.sampler.delivered();
        b.sampler.delivered += delivered;
        let sample = RateSample { delivered, interval: ms_(110), prior_delivered, app_limited: false };
        b.on_ack(BbrAck {
            now: at(ms),
            cwnd,
            delivered,
            lost: 0,
            prior_in_flight: in_flight,
            in_flight,
            rtt: Some(ms_(110)),
            sample: Some(sample),
            recovery: RecoveryStep::None,
            one: 1,
            bytes_per_unit: 1_000,
        })
    };
    fn ms_(v: u64) -> SimDuration {
        SimDuration::from_millis(v)
    }
    // 10 s after the last min RTT (0.8 s): ProbeRTT at 4 packets.
    let (cwnd, change) = ack(&mut b, 10_900, 80, 80, 166);
    assert_eq!((cwnd, change.map(|c| c.to)), (4, Some(BbrMode::ProbeRtt)));
    // What it delivers meanwhile is marked application-limited (Linux), so
    // it cannot pull the bandwidth estimate down.
    ack(&mut b, 11_000, 4, 4, 4);
    assert!(b.sampler.app_limited_until != 0);
    let bw = b.bandwidth_bytes_per_s(1_000);
    let mut ms = 11_000;
    let mut out = (4, None);
    while out.1.is_none() {
        ms += 110;
        out = ack(&mut b, ms, 4, 4, 4);
        assert!(ms < 12_000, "ProbeRTT ends after 200 ms and a round trip");
    }
    assert_eq!(out.1.map(|c| c.to), Some(BbrMode::ProbeBw));
    assert_eq!(b.bandwidth_bytes_per_s(1_000), bw, "the estimate survived ProbeRTT");
    // Linux's `restore_cwnd`: the window from before ProbeRTT (166) comes
    // back, and grows by this ACK's 4 packets (under the target: the min
    // RTT is now 110 ms, 2 × 88 + 6 = 182).
    assert_eq!(out.0, 166 + 4);
}

#[test]
fn no_probe_rtt_before_an_rtt_sample_or_on_an_idle_restart() {
    // A flow whose first ACK comes after 10 s of simulated time.
    let mut b = Bbr::new(10);
    let (_, change) = round(&mut b, 120, 10, 10);
    assert_eq!(change, None, "min RTT's stamp means nothing before the first sample");
    // Idle for 20 s, application-limited, then sending again: the first
    // ACK refreshes the min RTT instead of entering ProbeRTT.
    let mut b = Bbr::new(10);
    for (n, packets) in [10, 20, 40, 80, 80, 80, 80, 80].into_iter().enumerate() {
        round(&mut b, n as u64 + 1, packets, 80);
    }
    b.sampler.on_app_limited(0);
    b.on_idle_restart();
    let (_, change) = round(&mut b, 300, 10, 10);
    assert_eq!(change, None);
    assert!(!b.idle_restart, "cleared by the ACK that delivered data");
}
