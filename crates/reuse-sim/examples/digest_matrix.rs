//! Prints the golden matrix (every preset × 24 variations × every protocol,
//! with its `behaviour=` and `trace=` digests), the rows
//! `tests/golden/digests.txt` holds. Handy to compare two builds quickly in
//! release mode:
//!
//! ```text
//! cargo run -q --release -p reuse-sim --example digest_matrix > before.txt
//! # change the engine
//! cargo run -q --release -p reuse-sim --example digest_matrix | diff before.txt -
//! ```
//!
//! The test command checks the same rows against the golden file
//! (`cargo test -p reuse-sim --test golden`).

#[path = "../tests/golden/matrix.rs"]
mod matrix;

fn main() {
    println!("{}", matrix::lines().join("\n"));
}
