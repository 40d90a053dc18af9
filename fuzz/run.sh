#!/usr/bin/env bash
# Seeds, builds and runs the fuzz targets one after another, one libFuzzer process at a time.
#
#   fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...]
#
# One process: no -jobs/-workers (with them libFuzzer forks child processes that log to
# fuzz-N.log). Default: 1440 s (24 min) each, in the order cfn_yaml hcl_eval cfn_json plan_json
# rego_metadata. The corpus (fuzz/corpus/<target>) grows across runs; crashes land in
# fuzz/artifacts/<target>/. Each run's log is fuzz/logs/<target>-<UTC time>-<pid>.log, ending with
# libFuzzer's final stats and /usr/bin/time -v (CPU seconds, peak RSS); a summary line per
# target is printed at the end. Needs cargo-fuzz (`cargo install cargo-fuzz --locked`); the
# stable toolchain is used with RUSTC_BOOTSTRAP=1. See docs/reliability.md, "Fuzzing".
set -euo pipefail

cd "$(dirname "$0")"
seconds="${1:-1440}"
shift || true
targets=("$@")
if [ "${#targets[@]}" -eq 0 ]; then
    targets=(cfn_yaml hcl_eval cfn_json plan_json rego_metadata)
fi

export RUSTC_BOOTSTRAP=1
export CARGO_BUILD_JOBS="${CARGO_BUILD_JOBS:-1}"
# Coverage-guided, no sanitizer (the workspace forbids unsafe code), release with debug
# assertions (overflow checks).
flags=(--sanitizer none -O -a)

python3 seed.py
cargo fuzz build "${flags[@]}"

dict_of() {
    case "$1" in
        cfn_json | cfn_yaml) echo dicts/cfn.dict ;;
        hcl_eval) echo dicts/hcl.dict ;;
        plan_json) echo dicts/plan.dict ;;
        rego_metadata) echo dicts/rego.dict ;;
    esac
}

mkdir -p logs
summary=()
for target in "${targets[@]}"; do
    mkdir -p "corpus/$target" "artifacts/$target"
    log="logs/$target-$(date -u +%Y%m%dT%H%M%SZ)-$$.log"
    echo "== $target for ${seconds}s -> fuzz/$log"
    status=0
    # The binary itself, not `cargo fuzz run`: /usr/bin/time then counts fuzzing only, never a
    # rebuild (the workspace crates may have changed since the build above).
    /usr/bin/time -v "target/x86_64-unknown-linux-gnu/release/$target" "corpus/$target" \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -max_len=65536 -dict="$(dict_of "$target")" -print_final_stats=1 \
        -artifact_prefix="artifacts/$target/" >"$log" 2>&1 || status=$?
    execs=$(grep -oP 'stat::number_of_executed_units:\s*\K\d+' "$log" | tail -1 || true)
    cov=$(grep -oP '#\d+\s+DONE\s+cov: \K\d+' "$log" | tail -1 || true)
    cpu_user=$(grep -oP 'User time \(seconds\): \K[\d.]+' "$log" || true)
    cpu_sys=$(grep -oP 'System time \(seconds\): \K[\d.]+' "$log" || true)
    rss=$(grep -oP 'Maximum resident set size \(kbytes\): \K\d+' "$log" || true)
    files=$(find "corpus/$target" -type f | wc -l)
    line="$target status=$status execs=${execs:-?} cov=${cov:-?} user_s=${cpu_user:-?} sys_s=${cpu_sys:-?} max_rss_kb=${rss:-?} corpus_files=$files"
    echo "$line"
    summary+=("$line")
done
echo "== summary"
printf '%s\n' "${summary[@]}"
