#!/usr/bin/env bash
# The engine beside a SimPy model of the same page, timed in one run on one
# core: 180 tiles of 5,000 B at RTT 100 ms, 10 Mbit/s both ways, 40 B per
# packet, IW 10, six HTTP/1.1 connections, an ACK per segment.
#   SimPy:     crates/reuse-sim/benches/peers/simpy_tiles.py (simpy 4.1.2)
#   reuse-sim: crates/reuse-sim/benches/scenarios/simpy-tiles.json
# Both print the page load (3,256 ms); this script prints each one's wall
# time per run, best of three rounds taken alternately, and the ratio
# (target: reuse-sim at least 50 times faster).
#
#   scripts/peer-bench.sh [ROUNDS=3]
#
# simpy is installed into target/peer-python when Python cannot import it.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-3}"
target="${CARGO_TARGET_DIR:-target}"
peer=crates/reuse-sim/benches/peers/simpy_tiles.py
scenario=crates/reuse-sim/benches/scenarios/simpy-tiles.json

# An absolute CARGO_TARGET_DIR is used as it is, a relative one from here.
case "$target" in
  /*) peer_python="$target/peer-python" ;;
  *) peer_python="$PWD/$target/peer-python" ;;
esac
if ! python3 -c 'import simpy' 2>/dev/null; then
  export PYTHONPATH="$peer_python${PYTHONPATH:+:$PYTHONPATH}"
  if ! python3 -c 'import simpy' 2>/dev/null; then
    echo "peer-bench: installing simpy 4.1.2 into $peer_python"
    python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore --target "$peer_python" simpy==4.1.2 ||
      { echo "peer-bench: cannot install simpy (python3 -m pip failed): SimPy side not measured"; exit 1; }
  fi
fi

cargo build --quiet --release -p reuse-sim --example time_scenario
engine="$target/release/examples/time_scenario"

best_simpy="" best_engine=""
for round in $(seq "$rounds"); do
  # 50 SimPy runs and 2,000 engine runs take about the same wall time.
  simpy_line="$(python3 "$peer" 180 5000 50)"
  simpy_us="$(awk '{ for (i = 1; i < NF; i++) if ($i == "wall_s") printf "%.1f", $(i + 1) * 1e6 / 50 }' <<<"$simpy_line")"
  engine_line="$("$engine" "$scenario" 2000)"
  engine_us="$(awk '{ for (i = 1; i < NF; i++) if ($i == "us_per_run") print $(i + 1) }' <<<"$engine_line")"
  echo "round $round: SimPy $simpy_us µs per run ($simpy_line); reuse-sim $engine_us µs per run ($engine_line)"
  best_simpy="$(awk -v a="$simpy_us" -v b="$best_simpy" 'BEGIN { print (b == "" || a < b) ? a : b }')"
  best_engine="$(awk -v a="$engine_us" -v b="$best_engine" 'BEGIN { print (b == "" || a < b) ? a : b }')"
done
awk -v s="$best_simpy" -v e="$best_engine" 'BEGIN {
  printf "measure: SimPy peer page (180 tiles): SimPy %.0f µs, reuse-sim %.0f µs per run: %.1f times faster (target 50)\n", s, e, s / e }'
