#!/usr/bin/env bash
# Runs the fuzz targets with cargo fuzz (libFuzzer, nightly toolchain): each for SECONDS (default
# 60), starting from the seeds in fuzz/seeds/ and growing fuzz/corpus/. Prints, per target, the
# executions, coverage and features reached, and whether it crashed.
#   fuzz/run.sh [SECONDS] [TARGET…]
# RUNS=N stops a target after N executions if that comes before SECONDS (a campaign:
# RUNS=10000000 fuzz/run.sh 720). LOG_DIR=dir keeps each target's libFuzzer log there.
# SANITIZER=none builds without AddressSanitizer (cargo fuzz's default): the crate forbids unsafe
# code, so ASan only watches the dependencies, at 2-3× the cost an execution.
set -euo pipefail
cd "$(dirname "$0")"
secs="${1:-60}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    mapfile -t targets < <(cargo +nightly fuzz list --fuzz-dir .)
fi
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
san=(${SANITIZER:+-s "$SANITIZER"})
cargo +nightly fuzz build --fuzz-dir . -O "${san[@]}"
status=0
for t in "${targets[@]}"; do
    mkdir -p "corpus/$t"
    log="$(mktemp)"
    if cargo +nightly fuzz run --fuzz-dir . -O "${san[@]}" "$t" "corpus/$t" "seeds/$t" -- \
        -max_total_time="$secs" ${RUNS:+-runs="$RUNS"} -print_final_stats=1 >"$log" 2>&1; then
        result="ok"
    else
        result="CRASH (see fuzz/artifacts/$t)"
        status=1
    fi
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo '?')
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || echo '?')
    ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || echo '?')
    # The execution at which coverage (edges) last grew: a plateau shows as a value far below runs.
    lastcov=$(awk '/cov: /{for(i=1;i<=NF;i++) if($i=="cov:") c=$(i+1); if(c!=p){p=c; n=$1}} END{gsub("#","",n); print n}' "$log")
    took=$(grep -o 'Done [0-9]* runs in [0-9]* second' "$log" | grep -o '[0-9]* second' | grep -o '[0-9]*' || echo "$secs")
    printf '%-8s %s s  %s runs  cov %s (last grew at run %s)  ft %s  %s\n' "$t" "$took" "$runs" "$cov" "$lastcov" "$ft" "$result"
    if [ "$result" != ok ]; then tail -40 "$log"; fi
    if [ -n "${LOG_DIR:-}" ]; then mkdir -p "$LOG_DIR" && cp "$log" "$LOG_DIR/$t.log"; fi
    rm -f "$log"
done
exit $status
