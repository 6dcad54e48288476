#!/usr/bin/env bash
# Coverage-guided fuzzing (libFuzzer through cargo fuzz) of everything a user
# can hand the product: spec documents (import, localStorage) and pasted
# registry JSON, through parsing, rules, plan and every emitter.
# Bounded: usage: bash scripts/fuzz.sh [SECONDS (300)] [RUNS (1000000)]
# Seeds: the examples, the spec fixtures of every version, the recorded
# registry JSON, and the golden ARM parameters files. A crash is written to
# fuzz/artifacts/spec/; make it a regression test in tests/ before fixing it.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/setup.sh
source scripts/setup.sh
if ! cargo fuzz --version >/dev/null 2>&1; then
  log "installing cargo-fuzz 0.13.2 (takes ~2 minutes once)"
  cargo install cargo-fuzz --version 0.13.2 --locked --quiet
fi
corpus=fuzz/corpus/spec
mkdir -p "$corpus"
cp examples/*.json tests/fixtures/import/*.json "$corpus"/
for version in tests/fixtures/spec-v*; do
  for f in "$version"/*.json; do cp "$f" "$corpus/$(basename "$version")-$(basename "$f")"; done
done
for f in tests/golden/*/parameters.json; do cp "$f" "$corpus/$(basename "$(dirname "$f")")-parameters.json"; done
# No sanitizer: the code is safe Rust, and a panic is what is looked for.
# RUSTC_BOOTSTRAP lets cargo fuzz's coverage flags through on the stable toolchain.
RUSTC_BOOTSTRAP=1 cargo fuzz run --sanitizer none spec "$corpus" -- \
  -max_total_time="${1:-300}" -runs="${2:-1000000}" -max_len=65536 -print_final_stats=1
