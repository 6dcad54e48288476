#!/usr/bin/env bash
# Prints the weight of a release build in dist/ (each file, its gzip -9 size)
# and fails above the ceilings of the languages issue (#11):
#   first visit in English                      <= 235,000 B gzip
#   first visit in Korean or Traditional Chinese <= 250,000 B gzip
# A first visit is what the page loads before anyone types: index.html, the
# page's JS (with wasm-bindgen's snippets), its wasm and CSS, and the chosen
# language's catalog. The code generator (emitter-*/) is fetched on the first
# edit and the other catalogs on a switch: printed, not counted.
set -euo pipefail
cd "$(dirname "$0")/../dist"
EN_CEILING=235000
OTHER_CEILING=250000

gz() { gzip -9c "$1" | wc -c; }
row() { printf '%-56s %10d %10d\n' "$1" "$(stat -c %s "$1")" "$(gz "$1")"; }

printf '%-56s %10s %10s\n' file bytes gzip
total=0
for f in index.html *.js snippets/*/*.js *.wasm *.css; do
  [ -e "$f" ] || continue
  row "$f"
  total=$((total + $(gz "$f")))
done
printf '%-56s %10s %10d   (ceiling %d)\n' "first visit, English (gzip)" "" "$total" "$EN_CEILING"
failed=0
[ "$total" -le "$EN_CEILING" ] || { echo "bundle-size: the English first visit is $((total - EN_CEILING)) B over its ceiling" >&2; failed=1; }

for lang in ko zh-TW; do
  f="i18n/$lang.json"
  if [ -e "$f" ]; then
    row "$f"
    with=$((total + $(gz "$f")))
    printf '%-56s %10s %10d   (ceiling %d)\n' "first visit, $lang (gzip)" "" "$with" "$OTHER_CEILING"
    [ "$with" -le "$OTHER_CEILING" ] || { echo "bundle-size: the $lang first visit is $((with - OTHER_CEILING)) B over its ceiling" >&2; failed=1; }
  fi
done

later=0
for f in emitter-*/*; do
  [ -e "$f" ] || continue
  row "$f"
  later=$((later + $(gz "$f")))
done
printf '%-56s %10s %10d\n' "code generator, fetched on the first edit (gzip)" "" "$later"
exit "$failed"
