#!/usr/bin/env bash
# The browser layer alone: the release build, its first-load size, then the
# end-to-end test (tests/e2e/e2e.mjs) in headless Debian Chromium. Screenshots
# and traces land in target/e2e/.
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

# What a first visit downloads: index.html and the JS, wasm and CSS it links
# to, each gzipped as a static server would send it.
first_load_size() {
  local html=0 js=0 wasm=0 css=0 file name bytes
  html=$(gzip -9 -c dist/index.html | wc -c)
  for name in $(grep -oE '[A-Za-z0-9._~/-]+\.(js|wasm|css)\b' dist/index.html | sed 's#.*/##' | sort -u); do
    file="dist/$name"
    [ -f "$file" ] || continue
    bytes=$(gzip -9 -c "$file" | wc -c)
    case "$name" in
      *.js) js=$((js + bytes)) ;;
      *.wasm) wasm=$((wasm + bytes)) ;;
      *.css) css=$((css + bytes)) ;;
    esac
  done
  local total=$((html + js + wasm + css)) target=200000
  kb() { awk -v b="$1" 'BEGIN { printf "%.1f KB", b / 1000 }'; }
  echo "measure: first-load size, gzip -9: $(kb $total) = HTML $(kb $html) + JS $(kb $js) + wasm $(kb $wasm) + CSS $(kb $css) ($total bytes; target <= $(kb $target))"
  if [ "$total" -gt "$target" ]; then
    echo "measure: first-load size is OVER the $(kb $target) target"
  fi
}
first_load_size

if [ ! -d tests/e2e/node_modules ]; then
  echo "tests/e2e/run.sh: tests/e2e/node_modules is missing; run: scripts/bootstrap.sh test" >&2
  exit 1
fi
exec node tests/e2e/e2e.mjs --dist dist --out target/e2e "$@"
