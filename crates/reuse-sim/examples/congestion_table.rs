//! The Linux measurement, simulated: 20 objects of 30 KB over an
//! 80 ms, 20 Mbit/s path with random loss, HTTP/1.1 (six connections)
//! against HTTP/2 (one) and HTTP/3, for each congestion controller. Prints the median
//! page load over 21 seeds and HTTP/2's ratio to HTTP/1.1.
//!
//! `cargo run --release -p reuse-sim --example congestion_table [LOSS%...]`

use reuse_sim::scenario::CongestionControl;
use reuse_sim::trace::{CwndCause, EventKind};
use reuse_sim::{Protocol, RequestSpec, Scenario};

fn page(loss: f64, cc: CongestionControl) -> Scenario {
    let mut requests = vec![RequestSpec::new("index.html", 30_000)];
    for i in 0..19 {
        requests.push(RequestSpec::new(format!("o{i}"), 30_000).after(&["index.html"]));
    }
    let mut s = Scenario::new("twenty objects", 80.0, requests);
    s.network.downlink_mbps = Some(20.0);
    s.network.uplink_mbps = Some(20.0);
    s.network.loss_rate = loss;
    s.tcp.congestion_control = cc;
    s
}

fn median(s: &Scenario, protocol: Protocol, seeds: u64) -> (f64, f64) {
    let mut loads = Vec::new();
    let mut rtos = 0u64;
    for seed in 1..=seeds {
        let mut s = s.clone().with_protocol(protocol);
        s.seed = seed;
        let out = reuse_sim::simulate(&s).expect("valid scenario");
        loads.push(out.result.page_load_ms);
        rtos += out
            .trace
            .iter()
            .filter(|e| matches!(e.kind, EventKind::CongestionWindow { cause: CwndCause::Timeout, .. }))
            .count() as u64;
    }
    loads.sort_by(f64::total_cmp);
    (loads[loads.len() / 2], rtos as f64 / seeds as f64)
}

fn main() {
    let args: Vec<f64> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let losses = if args.is_empty() { vec![0.0, 1.0, 2.0] } else { args };
    println!(
        "loss | controller | HTTP/1.1 median | HTTP/2 median | HTTP/3 median | H2/H1.1 | RTOs/page H1.1, H2"
    );
    for loss in losses {
        for cc in CongestionControl::ALL {
            let s = page(loss / 100.0, cc);
            let (h1, r1) = median(&s, Protocol::Http11, 21);
            let (h2, r2) = median(&s, Protocol::H2, 21);
            let (h3, _) = median(&s, Protocol::H3, 21);
            println!(
                "{loss} % | {} | {h1:.0} ms | {h2:.0} ms | {h3:.0} ms | {:.2} | {r1:.1}, {r2:.1}",
                cc.label(),
                h2 / h1
            );
        }
    }
}
