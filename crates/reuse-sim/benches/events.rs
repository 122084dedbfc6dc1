//! Simulation speed on the modern-page and image-tiles presets under each
//! protocol, on the SimPy peer's page, and on that page grown to 10,000
//! requests (targets: issue "Engine speed"; figures in the README).
//!
//! Criterion's "elements/s" counts *simulated events*: the entries of the
//! trace — every packet sent, delivered or dropped, every TCP state change,
//! every request phase and close. It also prints the scheduler events (heap
//! pops) per run, for comparison with other simulators.
//! `scripts/peer-bench.sh` times the SimPy model of the peer page beside
//! the engine and prints the ratio.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use reuse_sim::{presets, simulate, simulate_each, Limits, Protocol, RequestSpec, Scenario};
use std::hint::black_box;

/// The allocator the command line uses (see `crates/reuse-cli/src/main.rs`).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The page of `benches/peers/simpy_tiles.py`: 180 tiles of 5,000 B.
const SIMPY_TILES: &str = include_str!("scenarios/simpy-tiles.json");

fn events_per_second(c: &mut Criterion) {
    let peer = Scenario::from_json(SIMPY_TILES).expect("the peer scenario parses");
    let cases = [
        ("modern-page", presets::find("modern-page").expect("preset exists").scenario()),
        ("image-tiles", presets::find("image-tiles").expect("preset exists").scenario()),
        ("simpy-peer", peer.clone()),
    ];
    for (id, base) in cases {
        let mut group = c.benchmark_group(id);
        for protocol in Protocol::ALL {
            let scenario = base.with_protocol(protocol);
            let out = simulate(&scenario).expect("bench scenario runs");
            group.throughput(Throughput::Elements(out.trace.len() as u64));
            println!(
                "{id}/{}: {} trace events, {} scheduler events per run",
                protocol.label(),
                out.trace.len(),
                out.result.totals.events
            );
            group.bench_function(protocol.label(), |b| b.iter(|| simulate(black_box(&scenario))));
        }
        group.finish();
    }

    // 10,000 requests under HTTP/1.0, 1.1 and 2 (target: within 100 ms).
    let mut many = peer;
    let first = many.requests[0].clone();
    many.requests = (1..=10_000).map(|i| RequestSpec { id: format!("tile{i}"), ..first.clone() }).collect();
    let protocols = Protocol::OVER_TCP;
    let outs = simulate_each(&many, &protocols, Limits::default()).expect("10,000 requests run");
    let trace: usize = outs.iter().map(|o| o.trace.len()).sum();
    println!("10000-requests/http1.0+http1.1+h2: {trace} trace events per run (three protocols)");
    let mut group = c.benchmark_group("10000-requests");
    group.sample_size(10).throughput(Throughput::Elements(trace as u64));
    group.bench_function("3-protocols", |b| {
        b.iter(|| simulate_each(black_box(&many), &protocols, Limits::default()))
    });
    group.finish();
}

criterion_group!(benches, events_per_second);
criterion_main!(benches);
