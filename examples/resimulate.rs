//! The browser's re-simulation (the engine under every simulated protocol,
//! then the view model) timed natively, for profiling what a keystroke
//! costs without a browser:
//!
//! ```text
//! cargo run --release --example resimulate [RUNS]
//! CARGO_PROFILE_RELEASE_DEBUG=line-tables-only cargo build --release --example resimulate
//! valgrind --tool=callgrind target/release/examples/resimulate 20
//! ```
//!
//! Built like the first load (no QUIC) unless run with `--features quic`.

fn main() {
    let scenario = reuse_sim::presets::find("modern-page").expect("preset").scenario();
    let runs: u32 = std::env::args().nth(1).and_then(|v| v.parse().ok()).unwrap_or(200);
    let started = std::time::Instant::now();
    for _ in 0..runs {
        std::hint::black_box(reuse_lab::view_model::Run::simulate(std::hint::black_box(&scenario)).ok());
    }
    let per_run = started.elapsed().as_secs_f64() / f64::from(runs);
    println!("modern-page: {:.0} µs per re-simulation (engine and view model)", per_run * 1e6);
}
