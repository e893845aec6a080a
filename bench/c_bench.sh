#!/usr/bin/env bash
# C benchmark (issue: C library): iterate 100,000 records through the C pager vs. the Rust
# core's own iter, both against one emulator process. Prints figures; never fails on time.
set -euo pipefail
RELEASE=${1:?release dir}   # target/<triple>/release
C_OUT=${2:?staged C dir}    # target/c
data=$(mktemp --suffix .json)
echo '{"tenants":[{"id":"bench","tokens":[{"token":"bench","user":"b@x.com"}],"masters":[{"name":"BIG","generate":{"count":100000}}]}]}' > "$data"
exec 3< <("$RELEASE/exto360-emulator" --port 0 --rate-limit off --data "$data")
read -r line <&3
url=${line#listening on }
trap 'kill %1 2>/dev/null || pkill -f "exto360-emulator --port 0 --rate-limit off --data $data" || true; rm -f "$data"' EXIT
curl -s -X PATCH -H 'content-type: application/json' -d '{"journalLimit":0}' "$url/__emulator/config" > /dev/null
gcc -std=c11 -O2 -I"$C_OUT/include" "$(dirname "$0")/c_bench.c" -L"$C_OUT/lib" -Wl,-rpath,"$C_OUT/lib" -lexto360 -o "$C_OUT/c_bench"
c=$("$C_OUT/c_bench" "$url")
rust=$("$RELEASE/core" iter-cpu "$url")
echo "c pager: iterate 100,000 records: C pager $c s CPU vs Rust core iter $rust s CPU → $(python3 -c "print(f'{$c / $rust:.2f}')")× (goal ≤ 1.2×; best of 3)"
