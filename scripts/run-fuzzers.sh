#!/usr/bin/env bash
# Runs every libFuzzer target in BUILD_DIR for SECONDS each, on its seed corpus in tests/fuzz/corpus.
# A crash leaves its input in build/fuzz/artifacts; turn it into a regression test.
# FUZZ_JOBS targets (default: the number of cores) run at once.
# The run is reproducible: a fixed seed (FUZZ_SEED, default 1) and a fresh working corpus, so a
# CI run explores a prefix of what the same command explored locally. FUZZ_SEED=0 (libFuzzer's
# random seed) with FUZZ_KEEP_CORPUS=1 is the exploratory mode.
set -euo pipefail
build=${1:?build dir}
seconds=${2:-30}
seed=${FUZZ_SEED:-1}
root=$(cd "$(dirname "$0")/.." && pwd)
jobs=${FUZZ_JOBS:-$(nproc)}  # targets fuzzed at once (each is single-threaded)
mkdir -p "$build/artifacts" "$build/status"
rm -f "$build"/status/*

# One target: its exit status goes to $build/status/NAME so that the loop below can run several.
fuzz_one() {
  local bin=$1 name=$2
  local corpus="$root/tests/fuzz/corpus/$name" work="$build/corpus/$name"
  [[ "${FUZZ_KEEP_CORPUS:-0}" == 1 ]] || rm -rf "$work"
  mkdir -p "$work"
  local rc=0
  "$bin" -seed="$seed" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$build/artifacts/${name}-" "$work" "$corpus" 2>"$build/$name.log" || rc=$?
  echo "$rc" > "$build/status/$name"
}

found=0
for bin in "$build"/tests/fuzz/fitcheck_fuzz_*; do
  [[ -x "$bin" && -f "$bin" ]] || continue
  found=$((found + 1))
  name=${bin##*/fitcheck_fuzz_}
  while (( $(jobs -rp | wc -l) >= jobs )); do wait -n || true; done
  echo "fuzz: $name for ${seconds}s"
  fuzz_one "$bin" "$name" &
done
wait
# A fuzz stage that finds nothing to run must not pass silently.
if [[ $found -eq 0 ]]; then
  echo "fuzz: no fitcheck_fuzz_* binaries under $build/tests/fuzz" >&2
  exit 1
fi
status=0
for done_file in "$build"/status/*; do
  name=${done_file##*/}
  if [[ "$(cat "$done_file")" != 0 ]]; then
    echo "fuzz: $name FAILED; see $build/$name.log" >&2
    tail -40 "$build/$name.log" >&2
    status=1
  fi
done
if [[ $(ls "$build"/status | wc -l) -ne $found ]]; then
  echo "fuzz: $found targets started, $(ls "$build"/status | wc -l) finished" >&2
  status=1
fi
exit $status
