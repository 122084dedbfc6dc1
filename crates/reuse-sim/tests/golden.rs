//! The golden digests: the engine's behaviour, frozen. Every row of the
//! matrix in `golden/matrix.rs` (every preset × 24 variations × every
//! protocol) must give the digests recorded in `golden/digests.txt`.
//!
//! A change that moves code without changing behaviour leaves the file
//! untouched. A change that means to alter behaviour (or adds trace events
//! or result fields, which moves only the `trace=` digest) rewrites it:
//!
//! ```sh
//! REUSE_GOLDEN_WRITE=1 cargo test -p reuse-sim --test golden
//! ```
//!
//! and adds one line per reason to the `# Changes` list at its top, in the
//! same commit, saying what changed and whether `behaviour=` moved.

#[path = "golden/matrix.rs"]
mod matrix;

use std::collections::BTreeMap;

const GOLDEN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/digests.txt");

#[test]
fn every_preset_variation_and_protocol_matches_its_golden_digests() {
    let computed = matrix::lines();
    let recorded = std::fs::read_to_string(GOLDEN).unwrap_or_default();
    let header: Vec<&str> = recorded.lines().take_while(|l| l.starts_with('#')).collect();
    if std::env::var_os("REUSE_GOLDEN_WRITE").is_some() {
        let mut text = header.join("\n");
        text.push('\n');
        text.push_str(&computed.join("\n"));
        text.push('\n');
        std::fs::write(GOLDEN, text).expect("write the golden digests");
        return;
    }
    assert!(header.iter().any(|l| l.starts_with("# - ")), "{GOLDEN}: the # Changes list is missing");
    let key = |line: &str| line.split(" behaviour=").next().unwrap_or(line).to_string();
    let recorded: BTreeMap<String, String> = recorded
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| (key(l), l.to_string()))
        .collect();
    let mut differences = Vec::new();
    for line in &computed {
        match recorded.get(&key(line)) {
            Some(old) if old == line => {}
            Some(old) => differences.push(format!("  was {old}\n  now {line}")),
            None => differences.push(format!("  new {line}")),
        }
    }
    let computed_keys: Vec<String> = computed.iter().map(|l| key(l)).collect();
    for (k, old) in &recorded {
        if !computed_keys.contains(k) {
            differences.push(format!("  gone {old}"));
        }
    }
    assert!(
        differences.is_empty(),
        "{} of {} golden digests differ (behaviour= moves when the engine behaves differently, \
         trace= also when the trace or result gains a field). If the change is intended, rewrite \
         the file with REUSE_GOLDEN_WRITE=1 cargo test -p reuse-sim --test golden and add a line \
         to its # Changes list saying why:\n{}",
        differences.len(),
        computed.len(),
        differences.join("\n")
    );
}
