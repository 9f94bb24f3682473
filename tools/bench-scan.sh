#!/usr/bin/env bash
# Scan at scale (issues 8 and 11): a HAR of CLIENTS logins that leak their sessionKey with a token,
# each followed by a decode request carrying `Authorization: Bearer <token>` (104,000 clients ≈
# 200 MB; 52,000 ≈ 100 MB), and 2,000 payloads with stale keys (no key opens them). Prints wall
# time, throughput and peak memory of `wxdecrypt scan --json`.
# Usage: tools/bench-scan.sh [CLIENTS]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-104000}
cargo build --release --quiet --bin wxdecrypt --example gen_corpus
target=${CARGO_TARGET_DIR:-target}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$target/release/examples/gen_corpus" "$n" har > "$dir/leaky.har"
"$target/release/examples/gen_corpus" 2000 har stale > "$dir/stale.har"
for f in leaky.har stale.har; do
  bytes=$(stat -c %s "$dir/$f")
  /usr/bin/time -f "%e %M" -o "$dir/time" \
    "$target/release/wxdecrypt" --lang en scan "$dir/$f" --json --now 1700000000 \
    >/dev/null 2>"$dir/err" || true
  read -r secs kb < <(tail -n 1 "$dir/time")
  awk -v f="$f" -v b="$bytes" -v s="$secs" -v kb="$kb" 'BEGIN {
    printf "%s (%.0f MB): %.2f s, %.0f MB/s, %.0f MB peak resident\n", f, b/1e6, s, (s > 0 ? b/1e6/s : 0), kb/1024 }'
  grep 'payload(s)' "$dir/err" || true
done
