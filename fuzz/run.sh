#!/usr/bin/env bash
# `make fuzz`: every cargo-fuzz target for FUZZ_SECONDS each (default 60), then a bounded
# schemathesis run against the emulator (SCHEMATHESIS_SECONDS, default 120; 0 skips it).
# Installs what it needs: nightly Rust (rustup) and cargo-fuzz (crates.io); schemathesis from
# PyPI into fuzz/.venv. Stops at the first finding (the input is saved under
# fuzz/artifacts/<target>/) and exits non-zero. FUZZ_TARGETS picks targets.
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_EACH=${FUZZ_SECONDS:-60}
ST_SECONDS=${SCHEMATHESIS_SECONDS:-120}
TARGETS=${FUZZ_TARGETS:-filter_json filter_tree call_args page tape emulator_filter}
CARGO_FUZZ_VERSION=0.13.2

rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
cargo +nightly fuzz --version >/dev/null 2>&1 || cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked

# -a: debug assertions and overflow checks on, so arithmetic overflow is a finding too.
FUZZ=(cargo +nightly fuzz)
BUILD=(-O -a)
"${FUZZ[@]}" build "${BUILD[@]}"

summary=()
start=$SECONDS
for t in $TARGETS; do
  mkdir -p "fuzz/corpus/$t" "fuzz/seeds/$t"
  opts=(-max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -max_len=8192)
  [ -f "fuzz/dict/$t.dict" ] && opts+=(-dict="fuzz/dict/$t.dict")
  log="fuzz/artifacts/$t.log"
  mkdir -p fuzz/artifacts
  echo "== $t (${SECONDS_EACH}s)"
  # New inputs go to fuzz/corpus/<t> (not committed); fuzz/seeds/<t> is read only.
  if ! "${FUZZ[@]}" run "${BUILD[@]}" "$t" "fuzz/corpus/$t" "fuzz/seeds/$t" -- "${opts[@]}" >"$log" 2>&1; then
    tail -40 "$log"
    echo "FINDING in $t: see $log and fuzz/artifacts/$t/" >&2
    exit 1
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  secs=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
  summary+=("$(printf '%-16s %6ss %12s execs %8s/s  %s' "$t" "$secs" "$runs" "$(( runs / (secs > 0 ? secs : 1) ))" "$cov")")
done

if [ "$ST_SECONDS" != 0 ]; then
  fuzz/schemathesis.sh "$ST_SECONDS"
fi

echo
echo "make fuzz: no findings ($(( SECONDS - start ))s)"
printf '%s\n' "${summary[@]}"
