#!/usr/bin/env bash
# The sweep of issue 13's budget, timed natively on every core: the modern
# page under loss 0–5 %, 50 points × 3 protocols × 20 seeds (3,000 runs),
# then the bisection of every crossover (target: within 2 s on the CI
# machine). Prints one `measure:` line.
set -euo pipefail
cd "$(dirname "$0")/.."
target="${CARGO_TARGET_DIR:-target}"
cargo build --quiet --release -p reuse-cli
out="$target/sweep-bench.json"
start=$(date +%s%N)
"$target/release/reuse-cli" sweep --preset modern-page --param loss=0..5 --points 50 --seeds 20 --json >"$out"
end=$(date +%s%N)
summary='import json,sys; d=json.load(open(sys.argv[1])); print(d["grid_runs"], d["bisection_points"], len(d["crossovers"]))'
read -r grid bisected crossings < <(python3 -c "$summary" "$out")
awk -v ns="$((end - start))" -v g="$grid" -v b="$bisected" -v c="$crossings" -v cores="$(nproc)" 'BEGIN {
  printf "measure: sweep of modern-page, loss 0-5 %%, 50 points x 3 protocols x 20 seeds (%d seeded runs, then %d bisection points for %d crossovers) on %d cores: %.2f s (target <= 2 s%s)\n",
    g, b, c, cores, ns / 1e9, (ns / 1e9 > 2) ? ", OVER" : "" }'
