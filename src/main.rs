//! Reuse Lab's web app entry point (built by trunk for the browser).

// talc in place of Rust's default wasm allocator (dlmalloc): a smaller
// module and faster allocation, which the simulation does a lot of.
#[cfg(all(not(target_feature = "atomics"), target_family = "wasm"))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

fn main() {
    reuse_lab::start();
}
