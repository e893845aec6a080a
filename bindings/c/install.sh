#!/usr/bin/env bash
# Installs the C libraries built in BUILD_DIR under PREFIX:
#   include/exto360.h, include/exto360_testing.h
#   lib/libexto360.so.VERSION (+ .so.MAJOR, .so links), lib/libexto360.a
#   lib/libexto360_testing.so.VERSION (+ links)       the emulator, for tests only
#   lib/pkgconfig/exto360.pc, exto360-testing.pc
#   lib/cmake/exto360/exto360Config.cmake (+ ConfigVersion): exto360::exto360, exto360::static,
#   exto360::testing
# Every file found relative to itself (pkg-config's ${pcfiledir}, CMake's list dir), so the tree
# can be moved or unpacked anywhere.
set -euo pipefail
usage() { echo "usage: $0 BUILD_DIR PREFIX VERSION" >&2; exit 2; }
[ $# -eq 3 ] || usage
build=$1 prefix=$2 version=$3
major=${version%%.*}
here=$(cd "$(dirname "$0")" && pwd)

install -d "$prefix/include" "$prefix/lib/pkgconfig" "$prefix/lib/cmake/exto360"
install -m 644 "$here/include/exto360.h" "$here/include/exto360_testing.h" "$prefix/include/"
for name in exto360 exto360_testing; do
    install -m 755 "$build/lib$name.so" "$prefix/lib/lib$name.so.$version"
    ln -sfn "lib$name.so.$version" "$prefix/lib/lib$name.so.$major"
    ln -sfn "lib$name.so.$major" "$prefix/lib/lib$name.so"
done
# The static library keeps its symbol table (the linker needs it), not its debug info.
install -m 644 "$build/libexto360.a" "$prefix/lib/libexto360.a"
strip --strip-debug "$prefix/lib/libexto360.a"

for pc in exto360 exto360-testing; do
    sed -e "s|@VERSION@|$version|" "$here/$pc.pc.in" > "$prefix/lib/pkgconfig/$pc.pc"
done
sed -e "s|@VERSION@|$version|" "$here/cmake/exto360Config.cmake.in" > "$prefix/lib/cmake/exto360/exto360Config.cmake"
sed -e "s|@VERSION@|$version|" "$here/cmake/exto360ConfigVersion.cmake.in" > "$prefix/lib/cmake/exto360/exto360ConfigVersion.cmake"
