#!/usr/bin/env bash
# The browser layer alone: the release build, then the end-to-end test
# (tests/e2e/e2e.mjs) in headless Debian Chromium, which prints the first-load
# size and the performance figures. Screenshots land in target/e2e/.
#
#   tests/e2e/run.sh [--skip-build] [arguments for e2e.mjs]
#
# --skip-build uses the dist/ already there (scripts/test.sh builds it as a
# step of its own). Needs what `scripts/bootstrap.sh test` installs.
set -euo pipefail
cd "$(dirname "$0")/../.."

build=1
if [ "${1:-}" = --skip-build ]; then
  build=0
  shift
fi
if [ "$build" = 1 ]; then
  trunk build --release --offline
fi
if [ ! -f dist/index.html ]; then
  echo "tests/e2e/run.sh: no dist/index.html; build it with: trunk build --release --offline" >&2
  exit 1
fi

if [ ! -d tests/e2e/node_modules ]; then
  echo "tests/e2e/run.sh: tests/e2e/node_modules is missing; run: scripts/bootstrap.sh test" >&2
  exit 1
fi
# The same build for a sub-path of a static site (--public-url). Cargo's
# output is reused, so this only re-runs wasm-bindgen and copies files.
subpath_dist=target/e2e/dist-subpath
trunk build --release --offline --public-url /docs/reuse-lab/ --dist "$subpath_dist" >/dev/null
exec node tests/e2e/e2e.mjs --dist dist --subpath-dist "$subpath_dist" --out target/e2e "$@"
