//! Simulated events per second on the modern-page and image-tiles presets,
//! under each protocol. Criterion reports the rate as "elements/s" where an
//! element is one scheduler event (target: ≥ 10 M events/s on one core).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use reuse_sim::{presets, simulate, Protocol};
use std::hint::black_box;

fn events_per_second(c: &mut Criterion) {
    for id in ["modern-page", "image-tiles"] {
        let base = presets::find(id).expect("preset exists").scenario();
        let mut group = c.benchmark_group(id);
        for protocol in Protocol::ALL {
            let scenario = base.with_protocol(protocol);
            let events = simulate(&scenario).expect("preset runs").result.totals.events;
            group.throughput(Throughput::Elements(events));
            group.bench_function(protocol.label(), |b| b.iter(|| simulate(black_box(&scenario))));
        }
        group.finish();
    }
}

criterion_group!(benches, events_per_second);
criterion_main!(benches);
