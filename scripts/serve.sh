#!/usr/bin/env bash
# Sets up what is missing, then builds and serves the app on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
# Only what building and serving the page needs; the test tools come with test.sh.
SETUP_FOR=serve
# shellcheck source=scripts/setup.sh
source scripts/setup.sh
# No live-reload client: its inline script would fall outside the page's
# Content-Security-Policy (scripts/csp.py), and this command serves the app to use.
small_std trunk serve index.html --release --offline --no-autoreload --address 127.0.0.1 --port "${PORT:-8080}"
