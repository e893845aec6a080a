#!/usr/bin/env bash
# Checks what a native artefact promises users, and prints its size:
#   check_native.sh LIB EXPORT_PREFIX [SONAME]
# - runs on glibc ≥ 2.17 (manylinux2014): no newer GLIBC_ symbol version is needed;
# - stripped: no symbol table, no debug sections;
# - exports only functions named EXPORT_PREFIX* (napi addons: napi_register_module_v1);
# - with SONAME: carries that soname.
set -euo pipefail
lib=$1 prefix=$2 soname=${3:-}
fail() { echo "FAIL $lib: $*" >&2; exit 1; }
[ -f "$lib" ] || fail "missing"

newest=$(objdump -T "$lib" | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -V | tail -1)
[ "$(printf '%s\n2.17\n' "$newest" | sort -V | tail -1)" = "2.17" ] || fail "needs GLIBC_$newest (> 2.17)"

readelf -S "$lib" | grep -qE '\.symtab|\.debug_' && fail "not stripped"

others=$(nm -D --defined-only "$lib" | awk '{print $3}' | grep -v "^$prefix" || true)
[ -z "$others" ] || fail "exports more than $prefix*: $(echo $others | head -c 300)"
count=$(nm -D --defined-only "$lib" | awk '{print $3}' | grep -c "^$prefix")
[ "$count" -gt 0 ] || fail "exports nothing named $prefix*"

if [ -n "$soname" ]; then
    got=$(readelf -d "$lib" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
    [ "$got" = "$soname" ] || fail "soname '$got', expected '$soname'"
fi
mb=$(awk -v b="$(stat -Lc %s "$lib")" 'BEGIN { printf "%.1f", b / 1048576 }')
printf '%-36s %5s MB  %3d exports  max GLIBC_%s%s\n' "$(basename "$lib")" "$mb" "$count" "$newest" "${soname:+  soname $soname}"
