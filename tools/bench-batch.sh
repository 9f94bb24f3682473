#!/usr/bin/env bash
# Batch throughput, side by side in one run on one corpus (issue 8): the official Node.js sample in
# a loop (tools/node-sample-loop.js, when node is installed), a bare Rust decrypt loop
# (examples/naive_loop.rs: serde + base64 + AES-CBC into a typed struct, no diagnosis, no report),
# and `wxdecrypt batch` on 1 thread and on all cores, reports to a file and to /dev/null, with the
# default report and with `--compact`. Then callgrind instructions per payload (valgrind, when
# installed) for the naive loop and for batch on 1 thread: the instructions of N payloads minus
# those of an empty input, over N.
#   tools/bench-batch.sh [LINES] [CALLGRIND_LINES]     (defaults 300000 and 20000)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-300000}
cg=${2:-20000}
cargo build --release --quiet --bin wxdecrypt --example gen_corpus --example naive_loop
target=${CARGO_TARGET_DIR:-target}
bin="$target/release/wxdecrypt"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$target/release/examples/gen_corpus" "$n" > "$dir/corpus.jsonl"
echo "corpus: $n phone payloads (one in 50 with a stale key), $(du -h "$dir/corpus.jsonl" | cut -f1)"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u +%F)"
cores=$(nproc)
rate_of() { sed -n 's/.*(\([0-9]*\)\/s).*/\1/p' <<<"$1"; }
# best RATE of three runs of "$@" (the rate is the last "(N/s)" on stderr)
best_of3() {
  local best=0 line rate
  for _ in 1 2 3; do
    line=$("$@" 2>&1 >/dev/null | tail -1 || true)
    rate=$(rate_of "$line")
    [[ ${rate:-0} -gt $best ]] && best=$rate
  done
  echo "$best"
}
if command -v node >/dev/null; then
  printf '%-44s %9s payloads/s\n' "official Node sample ($(node --version))" \
    "$(best_of3 sh -c "node tools/node-sample-loop.js < '$dir/corpus.jsonl'")"
fi
printf '%-44s %9s payloads/s\n' "naive Rust loop" \
  "$(best_of3 sh -c "'$target/release/examples/naive_loop' < '$dir/corpus.jsonl'")"
for t in 1 "$cores"; do
  for mode in "" "--compact"; do
    for out in "$dir/out.jsonl" /dev/null; do
      r=$(best_of3 "$bin" --lang en batch "$dir/corpus.jsonl" -o "$out" $mode --threads "$t" \
        --appid wx0123456789abcdef --now 1700000000)
      printf '%-44s %9s payloads/s\n' "batch --threads $t ${mode:-(full)} -> ${out##*/}" "$r"
    done
  done
done
if command -v valgrind >/dev/null; then
  head -n "$cg" "$dir/corpus.jsonl" > "$dir/cg.jsonl"
  : > "$dir/empty.jsonl"
  instr() { # total instructions of "$@" reading $1's file on stdin
    local input=$1; shift
    valgrind --tool=callgrind --callgrind-out-file="$dir/cg.out" "$@" < "$input" >/dev/null 2>"$dir/cg.err"
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$dir/cg.err"
  }
  per() { echo $(( ($1 - $2) / cg )); }
  nl=$(instr "$dir/cg.jsonl" "$target/release/examples/naive_loop")
  n0=$(instr "$dir/empty.jsonl" "$target/release/examples/naive_loop")
  echo "callgrind, $cg payloads: naive loop $(per "$nl" "$n0") instructions/payload"
  for mode in "" "--compact"; do
    b=$(instr "$dir/cg.jsonl" "$bin" --lang en batch - -o /dev/null $mode --threads 1 \
      --appid wx0123456789abcdef --now 1700000000)
    b0=$(instr "$dir/empty.jsonl" "$bin" --lang en batch - -o /dev/null $mode --threads 1 \
      --appid wx0123456789abcdef --now 1700000000)
    echo "callgrind, $cg payloads: batch --threads 1 ${mode:-(full)} $(per "$b" "$b0") instructions/payload"
  done
fi
