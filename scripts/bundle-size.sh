#!/usr/bin/env bash
# Prints the first-visit weight of a release build in dist/: each file's size
# and gzip -9 size, and the total gzip (the budget is 150 KB, issue #3).
set -euo pipefail
cd "$(dirname "$0")/../dist"
total=0
printf '%-48s %10s %10s\n' file bytes gzip
for f in index.html *.js *.wasm *.css; do
  [ -e "$f" ] || continue
  raw=$(stat -c %s "$f")
  gz=$(gzip -9c "$f" | wc -c)
  total=$((total + gz))
  printf '%-48s %10d %10d\n' "$f" "$raw" "$gz"
done
printf '%-48s %10s %10d\n' "first visit (gzip)" "" "$total"
