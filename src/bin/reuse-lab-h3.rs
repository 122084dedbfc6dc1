//! The web app with HTTP/3: `reuse-lab` plus the engine's QUIC transport
//! (the `quic` feature). The page loads it instead of `reuse-lab` for a link
//! that shows HTTP/3, so QUIC's code never weighs on the first load; see
//! `reuse_lab::full_build` and the loader in index.html.

// The same allocator as src/main.rs (why: see there).
#[cfg(all(not(target_feature = "atomics"), target_family = "wasm"))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

fn main() {
    reuse_lab::start();
}
