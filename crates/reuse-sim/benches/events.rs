//! Simulation speed on the modern-page and image-tiles presets, under each
//! protocol (target: ≥ 10 M simulated events per second on one core).
//!
//! Criterion's "elements/s" counts *simulated events*: the entries of the
//! trace — every packet sent, delivered or dropped, every TCP state change,
//! every request phase and close. It also prints the scheduler events (heap
//! pops) per run, for comparison with other simulators.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use reuse_sim::{presets, simulate, Protocol};
use std::hint::black_box;

fn events_per_second(c: &mut Criterion) {
    for id in ["modern-page", "image-tiles"] {
        let base = presets::find(id).expect("preset exists").scenario();
        let mut group = c.benchmark_group(id);
        for protocol in Protocol::ALL {
            let scenario = base.with_protocol(protocol);
            let out = simulate(&scenario).expect("preset runs");
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
}

criterion_group!(benches, events_per_second);
criterion_main!(benches);
