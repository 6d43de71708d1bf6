#!/usr/bin/env bash
# Installs what the browser tests (tests/browser, marker `browser`) need. Idempotent; CI calls it.
#  - Debian's chromium (Playwright's own browser download does not work here);
#  - axe-core and htmx from the npm registry, vendored into the repository if missing.
# The Python playwright driver and babel come from uv.lock (`make install-test`).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-.venv/bin/python}"
AXE_VERSION="4.10.3"
HTMX_VERSION="2.0.4"

if ! command -v chromium >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO=sudo  # as install-system.sh: root, or a user with sudo
    $SUDO apt-get install -y --no-install-recommends chromium \
        || { $SUDO apt-get update && $SUDO apt-get install -y --no-install-recommends chromium; }
fi

vendor() {  # vendor <npm package@version> <file inside the package> <destination>
    local spec="$1" inner="$2" dest="$3"
    [ -s "$dest" ] && return 0
    local tmp
    tmp="$(mktemp -d)"
    (cd "$tmp" && npm pack --silent "$spec" >/dev/null && tar -xzf ./*.tgz)
    mkdir -p "$(dirname "$dest")"
    cp "$tmp/package/$inner" "$dest"
    rm -rf "$tmp"
}
vendor "axe-core@$AXE_VERSION" axe.min.js tests/browser/vendor/axe.min.js
vendor "htmx.org@$HTMX_VERSION" dist/htmx.min.js asta/web/static/vendor/htmx.min.js

chromium --version
"$PYTHON" -c "import playwright, babel; print('playwright and babel ready')"
