#!/usr/bin/env sh
# Trunk's post_build hook (Trunk.toml): minifies the JavaScript of a release
# build in trunk's staging directory with terser (scripts/minify/, installed
# by `scripts/bootstrap.sh test`). Trunk's own minifier cannot parse
# wasm-bindgen's glue and leaves it whole; minified, the first load's glue is
# about 1.9 KB smaller gzipped (part of the 200 KB first-load budget).
# Debug builds (`trunk serve`) are left alone; without terser the build goes
# on unminified and says so.
set -eu
[ "${TRUNK_PROFILE:-}" = release ] || exit 0
terser="$(dirname "$0")/minify/node_modules/.bin/terser"
if [ ! -x "$terser" ] || ! command -v node >/dev/null; then
  echo "scripts/minify-js.sh: terser not installed (scripts/bootstrap.sh test installs it): JavaScript left unminified" >&2
  exit 0
fi
find "$TRUNK_STAGING_DIR" -name '*.js' -type f | sort | while read -r js; do
  # An ES module (the app's glue, its snippets) may have its top-level names
  # mangled (--module; exports keep theirs). A classic script (a worker's
  # no-modules glue, read through its global `wasm_bindgen`, and its loader)
  # keeps every top-level name. Properties are never renamed: wasm imports
  # its functions by name.
  if grep -qE '^(import|export)[ {*]|[;}]export ?\{' "$js"; then
    "$terser" "$js" --module --compress --mangle --output "$js.min"
  else
    "$terser" "$js" --compress --mangle --output "$js.min"
  fi
  mv "$js.min" "$js"
done
