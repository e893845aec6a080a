#!/usr/bin/env bash
# Sizes of what users download and install (issue 12 goals: wheel ≤ 5 MB, Node addon and
# libexto360.so ≤ 12 MB each). Prints figures; never fails on them.
#   sizes.sh WHEELS_DIR PACKAGES_DIR C_PREFIX NODE_DIR
set -euo pipefail
wheels=$1 packages=$2 c=$3 node=$4
row() {  # label file goal_mb
    [ -e "$2" ] || { printf '%-44s %s\n' "$1" "(not built)"; return; }
    awk -v l="$1" -v b="$(stat -Lc %s "$2")" -v g="$3" 'BEGIN {
        mb = b / 1048576; printf "%-44s %7.2f MB%s\n", l, mb, (g == "" ? "" : sprintf("   (goal ≤ %s MB: %s)", g, mb <= g ? "met" : "MISSED")) }'
}
echo "sizes: artefacts users download or install"
row "wheel (manylinux2014, abi3)" "$(ls "$wheels"/exto360-*.whl 2>/dev/null | head -1)" 5
row "sdist" "$(ls "$wheels"/exto360-*.tar.gz 2>/dev/null | head -1)" ""
row "npm exto360 (main package, tarball)" "$(ls "$packages"/npm/exto360-[0-9]*.tgz 2>/dev/null | head -1)" ""
row "npm exto360-linux-x64-gnu (tarball)" "$(ls "$packages"/npm/exto360-linux-x64-gnu-*.tgz 2>/dev/null | head -1)" ""
row "Node addon exto360.linux-x64-gnu.node" "$node/exto360.linux-x64-gnu.node" 12
row "libexto360.so" "$c/lib/libexto360.so" 12
row "libexto360.a (debug info stripped)" "$c/lib/libexto360.a" ""
row "libexto360_testing.so (emulator, tests only)" "$c/lib/libexto360_testing.so" ""
row "NuGet Exto360.nupkg" "$(ls "$packages"/nuget/Exto360.*.nupkg 2>/dev/null | head -1)" ""
