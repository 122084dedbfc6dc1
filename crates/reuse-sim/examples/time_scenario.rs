//! Times repeated runs of one scenario on one core and prints the wall time
//! per run: the native half of `scripts/peer-bench.sh`, which runs the SimPy
//! model of the same page beside it.
//!
//! ```text
//! cargo run --release -p reuse-sim --example time_scenario -- SCENARIO.json|PRESET [RUNS] [PROTOCOL,...] [TILES]
//! ```
//!
//! With `TILES`, the scenario's requests are replaced by that many copies of
//! its first one (ids `tile1`, `tile2`, …): the SimPy peer's page at another
//! size. Prints one line: page load per protocol, trace entries, scheduler
//! events and microseconds per run (all protocols together).

use std::time::Instant;

/// The allocator the command line and the benchmarks use (see
/// `crates/reuse-cli/src/main.rs` for why).
#[cfg(not(target_arch = "wasm32"))]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use reuse_sim::{presets, simulate_each, Limits, Protocol, Scenario};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(source) = args.first() else {
        eprintln!("usage: time_scenario SCENARIO.json|PRESET [RUNS] [PROTOCOL,...] [TILES]");
        std::process::exit(2);
    };
    let mut scenario = match presets::find(source) {
        Some(preset) => preset.scenario(),
        None => {
            let text = std::fs::read_to_string(source).unwrap_or_else(|e| fail(&format!("{source}: {e}")));
            Scenario::from_json(&text).unwrap_or_else(|e| fail(&e.to_string()))
        }
    };
    let runs: u32 = args.get(1).map_or(1000, |n| n.parse().unwrap_or_else(|_| fail("RUNS: not a number")));
    let protocols: Vec<Protocol> = match args.get(2) {
        Some(list) => {
            list.split(',').map(|p| Protocol::parse(p).unwrap_or_else(|e| fail(&e.to_string()))).collect()
        }
        None => vec![scenario.client.protocol],
    };
    if let Some(tiles) = args.get(3) {
        let tiles: usize = tiles.parse().unwrap_or_else(|_| fail("TILES: not a number"));
        let first = scenario.requests[0].clone();
        scenario.requests =
            (1..=tiles).map(|i| reuse_sim::RequestSpec { id: format!("tile{i}"), ..first.clone() }).collect();
    }
    let limits = Limits::default();
    let outputs = simulate_each(&scenario, &protocols, limits).unwrap_or_else(|e| fail(&e.to_string()));
    let started = Instant::now();
    for _ in 0..runs {
        std::hint::black_box(simulate_each(std::hint::black_box(&scenario), &protocols, limits).ok());
    }
    let per_run = started.elapsed().as_secs_f64() / f64::from(runs);
    let trace: usize = outputs.iter().map(|o| o.trace.len()).sum();
    let events: u64 = outputs.iter().map(|o| o.result.totals.events).sum();
    let loads: Vec<String> = outputs.iter().map(|o| format!("{}", o.result.page_load_ms)).collect();
    println!(
        "page_load_ms {} trace_events {trace} scheduler_events {events} us_per_run {:.1} trace_events_per_s {:.1}M",
        loads.join(","),
        per_run * 1e6,
        trace as f64 / per_run / 1e6
    );
}

fn fail(message: &str) -> ! {
    eprintln!("time_scenario: {message}");
    std::process::exit(2);
}
