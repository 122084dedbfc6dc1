//! Native vs WebAssembly determinism: every preset under every protocol must
//! give the same trace and results in the browser as on the machine that ran
//! the CLI (see DETERMINISM.md).
//!
//! The native digests reach this test at compile time through the environment
//! variable `REUSE_NATIVE_DIGESTS`, one `PRESET PROTOCOL HEX` line per run, as
//! printed by `reuse-cli digest`. `scripts/test.sh` sets it; by hand:
//!
//! ```sh
//! REUSE_NATIVE_DIGESTS="$(cargo run -q -p reuse-cli -- digest)" \
//! CHROMEDRIVER=/usr/bin/chromedriver \
//!   cargo test --target wasm32-unknown-unknown -p reuse-sim --test wasm_determinism
//! ```
//!
//! In the browser a missing variable is a failure, not a skip: a determinism
//! check that silently checks nothing is worse than none. Natively the same
//! file checks what it can without a second platform: a run repeated gives the
//! same digest, and a different seed changes a lossy run.

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use reuse_sim::{digest, presets, simulate, Protocol, Scenario};

const HOW_TO_RUN: &str = "set REUSE_NATIVE_DIGESTS to the output of `cargo run -q -p reuse-cli -- digest` \
     when compiling this test (scripts/test.sh does; see the comment at the top of \
     crates/reuse-sim/tests/wasm_determinism.rs)";

/// The digests this platform computes, in preset order then `Protocol::ALL` order.
fn local_digests() -> Vec<(String, Protocol, u64)> {
    let mut digests = Vec::new();
    let all: Vec<&presets::Preset> = presets::all().iter().collect();
    for (label, scenario) in presets::determinism_runs(&all) {
        for protocol in Protocol::ALL {
            digests.push((label.clone(), protocol, run_digest(&scenario.with_protocol(protocol))));
        }
    }
    digests
}

fn run_digest(scenario: &Scenario) -> u64 {
    let output = simulate(scenario).unwrap_or_else(|error| {
        panic!("simulating {:?} under {}: {error}", scenario.name, scenario.client.protocol)
    });
    digest(&output)
}

/// Parses `PRESET PROTOCOL HEX` lines (blank lines and `#` comments skipped).
fn parse_digests(text: &str) -> Result<Vec<(String, Protocol, u64)>, String> {
    let mut digests = Vec::new();
    for (number, line) in text.lines().enumerate().map(|(i, line)| (i + 1, line.trim())) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split_whitespace().collect();
        let [preset, protocol, hex] = fields[..] else {
            return Err(format!("line {number} {line:?}: expected `PRESET PROTOCOL HEX`"));
        };
        let protocol = Protocol::parse(protocol).map_err(|error| format!("line {number}: {error}"))?;
        let hex = hex.trim_start_matches("0x");
        let value = u64::from_str_radix(hex, 16)
            .map_err(|error| format!("line {number}: digest {hex:?} is not hexadecimal: {error}"))?;
        digests.push((preset.to_string(), protocol, value));
    }
    Ok(digests)
}

/// Every difference between the expected (native) and the actual (local)
/// digests, one line each; empty when they agree on every preset × protocol.
fn differences(expected: &[(String, Protocol, u64)], actual: &[(String, Protocol, u64)]) -> Vec<String> {
    let find = |list: &[(String, Protocol, u64)], preset: &str, protocol: Protocol| {
        list.iter().find(|(p, q, _)| p == preset && *q == protocol).map(|&(_, _, d)| d)
    };
    let mut problems = Vec::new();
    for (preset, protocol, local) in actual {
        match find(expected, preset, *protocol) {
            Some(native) if native == *local => {}
            Some(native) => problems.push(format!(
                "{preset} {protocol}: native {native:016x}, here {local:016x} (the runs diverge)"
            )),
            None => problems.push(format!(
                "{preset} {protocol}: no native digest (REUSE_NATIVE_DIGESTS is stale or incomplete)"
            )),
        }
    }
    for (preset, protocol, _) in expected {
        if find(actual, preset, *protocol).is_none() {
            problems.push(format!("{preset} {protocol}: native digest for a run this build does not have"));
        }
    }
    problems
}

fn assert_matches_native(native_text: &str) {
    let native = parse_digests(native_text).unwrap_or_else(|error| panic!("REUSE_NATIVE_DIGESTS: {error}"));
    let local = local_digests();
    let problems = differences(&native, &local);
    assert!(
        problems.is_empty(),
        "{} of {} runs differ from the native build:\n{}",
        problems.len(),
        local.len(),
        problems.join("\n")
    );
}

/// In the browser: the digest of every preset × protocol equals the native one.
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn every_preset_and_protocol_matches_the_native_digest() {
    match option_env!("REUSE_NATIVE_DIGESTS") {
        Some(native_text) => assert_matches_native(native_text),
        None if cfg!(target_arch = "wasm32") => {
            panic!("no native digests to compare with: {HOW_TO_RUN}")
        }
        // Natively the comparison would be with ourselves; the tests below
        // check what a single platform can.
        None => {}
    }
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn repeating_a_run_repeats_its_digest() {
    let first = local_digests();
    let second = local_digests();
    assert!(!first.is_empty(), "there are no presets to check");
    assert_eq!(differences(&first, &second), Vec::<String>::new());
}

/// Guards the digest itself: if the seed did not reach it, every comparison
/// above could agree for the wrong reason.
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn a_different_seed_changes_a_lossy_run() {
    let mut scenario = presets::all()[0].scenario();
    // Enough loss that two seeds dropping exactly the same packets is out of
    // the question (about a hundred packets, a few percent each), little
    // enough that no handshake runs out of retries.
    scenario.network.loss_rate = 0.05;
    let mut other_seed = scenario.clone();
    other_seed.seed = scenario.seed.wrapping_add(1);
    assert_eq!(run_digest(&scenario), run_digest(&scenario));
    assert_ne!(run_digest(&scenario), run_digest(&other_seed));
}

#[test]
#[cfg(not(target_arch = "wasm32"))]
fn the_digest_list_format_round_trips() {
    let local = vec![("textbook".to_string(), Protocol::H2, 0x00ab_cdef_0123_4567)];
    let text = "# comment\n\ntextbook h2 00abcdef01234567\n";
    assert_eq!(parse_digests(text).unwrap(), local);
    assert!(parse_digests("textbook h2").is_err());
    assert!(parse_digests("textbook h9 00").is_err());
    assert!(parse_digests("textbook h2 xyz").is_err());
    let differing = vec![("textbook".to_string(), Protocol::H2, 1)];
    assert_eq!(differences(&local, &differing).len(), 1);
    assert_eq!(differences(&local, &[]).len(), 1);
}
