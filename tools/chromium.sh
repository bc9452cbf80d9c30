#!/usr/bin/env bash
# The print tests (tests/e2e/test_print.py) print the HTML export with Debian's Chromium,
# headless. Install it when it is missing (apt-get; through sudo when not root). Does
# nothing when a chromium is already on the PATH.
set -euo pipefail
if command -v chromium >/dev/null; then
    exit 0
fi
as_root=()
if [ "$(id -u)" != 0 ]; then
    if ! command -v sudo >/dev/null; then
        echo "tools/chromium.sh: chromium is missing; install Debian's chromium package as root" >&2
        exit 1
    fi
    as_root=(sudo)
fi
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium
