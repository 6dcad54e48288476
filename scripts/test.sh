#!/usr/bin/env bash
# Sets up what is missing, then runs every test: the native core (rules, plan,
# emitters checked by bash, shellcheck, a PowerShell parser and a stub az), the
# release wasm build with its size, and the browser tests in Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/setup.sh
source scripts/setup.sh

echo "== native tests (cargo test)"
cargo test --locked

echo "== generated az commands through the real Azure CLI parser"
python3 scripts/az-parse-check.py target/debug/registry-wizard .tools/azure-cli/bin/az

echo "== release build (trunk)"
small_std trunk build index.html --release --offline
bash scripts/bundle-size.sh

echo "== browser tests (Chromium)"
node --test tests/e2e/
