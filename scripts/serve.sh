#!/usr/bin/env bash
# Installs whatever is missing, then serves the app on loopback with live
# reload: http://127.0.0.1:8080/ (change the port with --port N).
#
#   scripts/serve.sh [more trunk serve options]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh serve
export PATH="${CARGO_INSTALL_ROOT:-${CARGO_HOME:-$HOME/.cargo}}/bin:$PATH" # where cargo install puts tools
exec trunk serve --offline --address 127.0.0.1 "$@"
