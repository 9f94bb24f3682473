#!/usr/bin/env bash
# Batch throughput: generate a reproducible corpus of phone payloads (one in 50 with a stale key)
# and time `wxdecrypt batch` on 1 thread and on all cores. Usage: tools/bench-batch.sh [LINES]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000000}
cargo build --release --quiet --bin wxdecrypt --example gen_corpus
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
target/release/examples/gen_corpus "$n" > "$dir/corpus.jsonl"
echo "corpus: $n lines, $(du -h "$dir/corpus.jsonl" | cut -f1)"
cores=$(nproc)
rate_of() { sed -n 's/.*(\([0-9]*\)\/s).*/\1/p' <<<"$1"; }
for t in 1 "$cores"; do
  # Best of three, writing the reports to a file and to /dev/null (the pipeline without the disk).
  for out in "$dir/out.jsonl" /dev/null; do
    best=0
    for _ in 1 2 3; do
      line=$(target/release/wxdecrypt --lang en batch "$dir/corpus.jsonl" -o "$out" \
        --threads "$t" --appid wx0123456789abcdef --now 1700000000 2>&1 >/dev/null | tail -1 || true)
      rate=$(rate_of "$line")
      [[ ${rate:-0} -gt $best ]] && best=$rate
    done
    echo "threads=$t output=$out: $best payloads/s"
  done
done
