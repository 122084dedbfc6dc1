#!/usr/bin/env bash
# Installs whatever is missing, then runs every test: formatting, lints,
# native tests, WebAssembly tests in headless Chromium, the release build, the
# end-to-end browser test and a short benchmark. One command for people and
# for CI (.ci/run calls it). What each layer is and how to run it alone:
# DEVELOPERS.md.
#
#   scripts/test.sh
#
# A failed step does not stop the independent steps after it, so one run shows
# every failure; the summary at the end lists each step, repeats the measured
# figures, and the exit status is non-zero if any step failed.
set -uo pipefail
cd "$(dirname "$0")/.."

started_all=$SECONDS
export PATH="${CARGO_INSTALL_ROOT:-${CARGO_HOME:-$HOME/.cargo}}/bin:$PATH" # where cargo install puts tools
logs="${CARGO_TARGET_DIR:-target}/test-logs"
rm -rf "$logs"
mkdir -p "$logs"

if [ -t 1 ]; then bold() { printf '\033[1m%s\033[0m\n' "$*"; }; else bold() { printf '%s\n' "$*"; }; fi
declare -a summary=()
passed=0 failed=0

# step NAME COMMAND...: runs it with its output shown and kept in
# $logs/NAME.log, and records PASS/FAIL with the time it took.
step() {
  local name="$1"
  shift
  local log="$logs/$name.log" started=$SECONDS status
  echo
  bold "== $name: $*"
  "$@" 2>&1 | tee "$log"
  status=${PIPESTATUS[0]}
  local took=$((SECONDS - started)) counts
  counts="$(test_counts "$log")"
  if [ "$status" = 0 ]; then
    passed=$((passed + 1))
    summary+=("$(printf 'PASS  %-14s %6ss  %s' "$name" "$took" "$counts")")
  else
    failed=$((failed + 1))
    summary+=("$(printf 'FAIL  %-14s %6ss  %s  (exit %s; log %s)' "$name" "$took" "$counts" "$status" "$log")")
  fi
  return "$status"
}

skip() {
  failed=$((failed + 1))
  summary+=("$(printf 'FAIL  %-14s %6s   not run: %s' "$1" - "$2")")
}

# Sums the test counts in a step's log into "12 tests passed, 0 failed": the
# libtest lines "test result: ok. 12 passed; 0 failed; ..." (cargo test,
# wasm-bindgen-test-runner) and the e2e test's closing "12 passed, 0 failed".
test_counts() {
  awk '/^test result: |^[0-9]+ passed, [0-9]+ failed$/ {
         for (i = 2; i <= NF; i++) { if ($i ~ /^passed[;,]?$/) p += $(i-1); if ($i ~ /^failed;?$/) f += $(i-1) }
         n++ }
       END { if (n) printf "%d tests passed, %d failed", p, f }' "$1"
}

if ! step bootstrap scripts/bootstrap.sh test; then
  echo "bootstrap failed (see above): nothing was tested"
  echo "$passed passed, $failed failed"
  exit 1
fi

# wasm-bindgen-test in headless Chromium through the Debian chromedriver; the
# runner is set here as well as in .cargo/config.toml so this script does not
# depend on it. The runner reads webdriver.json (headless, no sandbox as root)
# from the directory cargo runs it in, the package's own: point every package
# at the one beside the workspace Cargo.toml. An unoptimised debug wasm is
# slow: allow more than the default 20 s a test.
export CHROMEDRIVER="${CHROMEDRIVER:-$(command -v chromedriver)}"
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER="${CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER:-wasm-bindgen-test-runner}"
export WASM_BINDGEN_TEST_WEBDRIVER_JSON="${WASM_BINDGEN_TEST_WEBDRIVER_JSON:-$PWD/webdriver.json}"
export WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-300}"

step format cargo fmt --all -- --check
step clippy cargo clippy --workspace --all-targets -- -D warnings
# --no-fail-fast: a failing test binary does not hide the ones after it.
step native-tests cargo test --workspace --no-fail-fast
# The app's full build natively (features quic and keepalive, as trunk builds
# reuse-lab-h3): the tests of what only that build does (the curve view's
# link keys and work, HTTP/3 exports), which the default features compile out.
step full-build cargo test -p reuse-lab --features quic,keepalive,push,clients,variants,cubic --lib -- permalink:: curve:: full_build:: export:: lesson:: crowd:: variants:: lanes_window

# The wasm determinism test compares against digests computed natively; they
# are compiled into the test (REUSE_NATIVE_DIGESTS), see wasm_determinism.rs.
native_digests() { cargo run --quiet -p reuse-cli -- digest >"$logs/native-digests.txt" && cat "$logs/native-digests.txt"; }
if step native-digests native_digests; then
  REUSE_NATIVE_DIGESTS="$(cat "$logs/native-digests.txt")"
  export REUSE_NATIVE_DIGESTS
  step wasm-engine cargo test --target wasm32-unknown-unknown -p reuse-sim --test wasm_determinism
else
  skip wasm-engine "needs the native digests (reuse-cli digest failed)"
fi
step wasm-app cargo test --target wasm32-unknown-unknown -p reuse-lab --no-fail-fast

if step release-build trunk build --release --offline; then
  step browser-e2e tests/e2e/run.sh --skip-build
else
  skip browser-e2e "needs the release build"
fi

# Events per second on the bench scenarios (criterion's quick mode: seconds,
# not minutes). The figure in the README comes from a full `cargo bench`.
step bench cargo bench -p reuse-sim --bench events -- --quick
# The engine beside the SimPy model of the same page, and the ratio.
step peer-bench scripts/peer-bench.sh
# The 3,000-run sweep of the modern page under loss, on every core.
step sweep-bench scripts/sweep-bench.sh

echo
bold "== Summary ($(((SECONDS - started_all) / 60)) min $(((SECONDS - started_all) % 60)) s; logs in $logs/)"
printf '%s\n' "${summary[@]}"
# Figures the tests measured, repeated here so CI logs show them in one place:
# the lines the e2e test prints beginning "measure:", and criterion's
# throughput (one element = one simulated event).
measures="$(grep -hE '^ *measure:' "$logs/browser-e2e.log" "$logs/peer-bench.log" "$logs/sweep-bench.log" 2>/dev/null || true)"
bench_lines="$(awk '/^[^ ]+ +time: / || /^[^ ]+$/ { name = $1 }
  /thrpt: .*elem\/s/ { unit = $5; sub(/elem\/s.*/, "", unit)
    printf "measure: %s: %s %s simulated events/s (cargo bench --quick)\n", name, $4, unit }' \
  "$logs/bench.log" 2>/dev/null || true)"
if [ -n "$measures$bench_lines" ]; then
  echo
  bold "Measured:"
  [ -z "$measures" ] || printf '%s\n' "$measures"
  [ -z "$bench_lines" ] || printf '%s\n' "$bench_lines"
fi
echo
if [ "$failed" = 0 ]; then bold "All $passed steps passed."; else bold "$failed of $((passed + failed)) steps FAILED."; fi
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
