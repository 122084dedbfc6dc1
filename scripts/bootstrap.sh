#!/usr/bin/env bash
# Installs whatever is missing to serve the app (mode `serve`) or to run every
# test (mode `test`, the default), and nothing that is already there.
# Idempotent: every step checks first, so a second run only prints checks.
#
#   scripts/bootstrap.sh [serve|test]
#
# Needs: Rust via rustup, node + npm (test mode), and root or sudo for apt
# (test mode, only if chromium is missing). Reaches only crates.io, npm and
# Debian. Versions and the reasons for them: DEVELOPERS.md.
set -euo pipefail
mode="${1:-test}"
case "$mode" in
  serve | test) ;;
  *) echo "usage: scripts/bootstrap.sh [serve|test]" >&2; exit 2 ;;
esac
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14 # the version index.html and Trunk.toml are tested with; see DEVELOPERS.md
WASM_TOOLS_VERSION=1.263.0 # strips the release wasm's custom sections (scripts/strip-wasm.sh)

say() { printf '[bootstrap] %s\n' "$*" >&2; }
die() { printf '[bootstrap] error: %s\n' "$*" >&2; exit 1; }
# "tool 1.2.3 (extra)" -> "1.2.3"; empty when the tool is missing or prints nothing.
version_of() { "$@" 2>/dev/null | head -n 1 | grep -oE '[0-9]+\.[0-9]+\.[0-9]+' | head -n 1 || true; }

# The wasm-bindgen CLI must be exactly the version of the wasm-bindgen crate in
# Cargo.lock (its schema check rejects any other), so read it from there.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock 2>/dev/null
}
WASM_BINDGEN_VERSION="$(wasm_bindgen_version)"
WASM_BINDGEN_VERSION="${WASM_BINDGEN_VERSION:-0.2.130}"

# cargo install builds in release with the tool's own profile; trunk's asks for
# fat LTO with one codegen unit, several minutes of single-core linking. Our
# copy need not be the smallest or fastest binary, so trade that for time.
install_crate() {
  say "installing $*  (compiles from crates.io, several minutes, once)"
  local started=$SECONDS
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install "$@"
  say "  done in $((SECONDS - started)) s"
}

export PATH="${CARGO_INSTALL_ROOT:-${CARGO_HOME:-$HOME/.cargo}}/bin:$PATH" # where cargo install puts tools
command -v cargo >/dev/null || die "cargo not found: install Rust with rustup (https://rustup.rs), then re-run"
command -v rustup >/dev/null || die "rustup not found: this project expects a rustup-managed toolchain (for the wasm32 target)"

# 1. The WebAssembly target.
if ! rustup target list --installed | grep -x wasm32-unknown-unknown >/dev/null; then
  say "adding Rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# 2. trunk, exactly this version.
have="$(version_of trunk --version)"
if [ "$have" != "$TRUNK_VERSION" ]; then
  [ -z "$have" ] || say "trunk $have found, want $TRUNK_VERSION: replacing it"
  install_crate --locked --force trunk --version "$TRUNK_VERSION"
fi

# 3. wasm-bindgen CLI (wasm-bindgen, wasm-bindgen-test-runner), exactly the
#    crate's version. Not --locked: the lockfile shipped with 0.2.130 names a
#    crate version the registry here does not serve.
have="$(version_of wasm-bindgen --version)"
runner="$(version_of wasm-bindgen-test-runner --version)"
if [ "$have" != "$WASM_BINDGEN_VERSION" ] || [ "$runner" != "$WASM_BINDGEN_VERSION" ]; then
  [ -z "$have" ] || say "wasm-bindgen $have found, want $WASM_BINDGEN_VERSION: replacing it"
  install_crate --force wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

if [ "$mode" = test ]; then
  # 4. A browser and its driver, from Debian (never a downloaded browser).
  #    The two Debian packages are built together, so their versions match.
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    command -v apt-get >/dev/null || die "chromium and chromedriver are missing and there is no apt-get: install them with your package manager"
    sudo=""
    if [ "$(id -u)" != 0 ]; then
      command -v sudo >/dev/null || die "installing chromium needs root or sudo"
      sudo=sudo
    fi
    say "installing Debian chromium and chromium-driver (apt)"
    $sudo apt-get update -qq
    # With recommends: they bring the fonts the screenshots are drawn with.
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver >/dev/null
  fi
  browser="$(version_of chromium --version)"
  driver="$(version_of chromedriver --version)"
  [ "${browser%%.*}" = "${driver%%.*}" ] ||
    die "chromium $browser and chromedriver $driver differ in major version: reinstall both (apt-get install chromium chromium-driver)"

  # 5. wasm-tools, only its `strip` command (about 2 minutes to compile):
  #    the release build's post_build hook strips the wasm's name section
  #    (scripts/strip-wasm.sh), part of the first-load budget.
  have="$(version_of wasm-tools --version)"
  if [ "$have" != "$WASM_TOOLS_VERSION" ]; then
    [ -z "$have" ] || say "wasm-tools $have found, want $WASM_TOOLS_VERSION: replacing it"
    install_crate --locked --force wasm-tools --version "$WASM_TOOLS_VERSION" --no-default-features --features strip
  fi

  # 6. npm packages: the end-to-end test's playwright-core, which drives the
  #    Debian chromium (nothing downloads a browser), and terser, which
  #    minifies the release build's JavaScript (scripts/minify-js.sh).
  for dir in tests/e2e scripts/minify; do
    [ -f "$dir/package.json" ] || continue
    command -v npm >/dev/null || die "npm not found: install node and npm (Debian: apt-get install nodejs npm)"
    lock=$dir/package-lock.json
    stamp=$dir/node_modules/.package-lock.json # written by npm after an install
    if [ ! -f "$stamp" ] || { [ -f "$lock" ] && [ "$lock" -nt "$stamp" ]; } || [ "$dir/package.json" -nt "$stamp" ]; then
      say "installing npm packages ($dir)"
      export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
      if [ -f "$lock" ]; then
        (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
      else
        say "  no $lock: using npm install (commit the lockfile it writes)"
        (cd "$dir" && npm install --no-audit --no-fund --loglevel=error)
      fi
    fi
  done
fi

say "ready ($mode): $(rustc --version | cut -d' ' -f1-2), trunk $TRUNK_VERSION, wasm-bindgen $WASM_BINDGEN_VERSION$(
  [ "$mode" = test ] && printf ', wasm-tools %s, chromium %s' "$WASM_TOOLS_VERSION" "$(version_of chromium --version)")"
