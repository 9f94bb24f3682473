#!/usr/bin/env bash
# Scan at scale (issue 11): a HAR of CLIENTS logins that leak their sessionKey with a token, each
# followed by a decode request carrying `Authorization: Bearer <token>` (52,000 clients ≈ 100 MB),
# and 2,000 payloads with stale keys (no key opens them). Prints wall time and peak memory of
# `wxdecrypt scan --json`. Usage: tools/bench-scan.sh [CLIENTS]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-52000}
cargo build --release --quiet --bin wxdecrypt --example gen_corpus
target=${CARGO_TARGET_DIR:-target}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$target/release/examples/gen_corpus" "$n" har > "$dir/leaky.har"
"$target/release/examples/gen_corpus" 2000 har stale > "$dir/stale.har"
for f in leaky.har stale.har; do
  size=$(du -h "$dir/$f" | cut -f1)
  /usr/bin/time -f "$f ($size): %e s, %M KB peak resident" \
    "$target/release/wxdecrypt" --lang en scan "$dir/$f" --json --now 1700000000 \
    2>&1 >/dev/null | grep -v 'payload(s)' || true
done
