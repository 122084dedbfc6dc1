#!/usr/bin/env sh
# Trunk's post_build hook (Trunk.toml): removes the custom sections of the
# release build's wasm files in trunk's staging directory with
# `wasm-tools strip --all` (installed by `scripts/bootstrap.sh test`).
# wasm-bindgen writes a `name` section naming the imports it generates
# (6 KB of "Closure(Closure { owned: true, … }) -> Externref"), read only by
# debuggers for stack traces; without it and the `producers` and
# `target_features` sections the first load's wasm is about 0.9 KB smaller
# gzipped (part of the 200 KB first-load budget). Debug builds (`trunk
# serve`) keep them; without wasm-tools the build goes on unstripped and
# says so.
set -eu
[ "${TRUNK_PROFILE:-}" = release ] || exit 0
if ! command -v wasm-tools >/dev/null; then
  echo "scripts/strip-wasm.sh: wasm-tools not installed (scripts/bootstrap.sh test installs it): wasm left with its name section" >&2
  exit 0
fi
find "$TRUNK_STAGING_DIR" -name '*.wasm' -type f | sort | while read -r wasm; do
  wasm-tools strip --all "$wasm" --output "$wasm.stripped"
  mv "$wasm.stripped" "$wasm"
done
