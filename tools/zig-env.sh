#!/usr/bin/env bash
# Runs CMD with the environment `cargo zigbuild --target TARGET` gives cargo: zig as the C
# compiler, archiver and linker, for the glibc version in TARGET (x86_64-unknown-linux-gnu.2.17).
#   tools/zig-env.sh TARGET CMD [ARGS...]
#
# Why not `cargo zigbuild`, `maturin --zig` and `napi -x` each on their own: their zig wrappers
# live at different paths (each calls back into its own executable), and cargo hashes the linker
# path into every fingerprint, so the three would rebuild each other's crates. With one
# environment, cargo, maturin and napi share one compiled cache.
# Needs cargo-zigbuild and zig (pip: cargo-zigbuild, ziglang) on PATH.
set -euo pipefail
if [ -n "${ZIG_ENV_DUMP:-}" ]; then  # called back by cargo-zigbuild in place of cargo
    env -0 > "$ZIG_ENV_DUMP"
    exit 0
fi
[ $# -ge 2 ] || { echo "usage: $0 TARGET CMD [ARGS...]" >&2; exit 2; }
target=$1; shift
dump=$(mktemp)
trap 'rm -f "$dump"' EXIT
ZIG_ENV_DUMP=$dump CARGO=$(readlink -f "$0") cargo-zigbuild zigbuild -q --target "$target"
while IFS= read -r -d '' kv; do
    case ${kv%%=*} in
        *-*) ;;  # not a shell name (cargo-zigbuild also sets the dashed spelling of each)
        CC_*|CXX_*|AR_*|RANLIB_*|CARGO_TARGET_*|CARGO_UNSTABLE_TARGET_APPLIES_TO_HOST|CARGO_ZIGBUILD_*|\
        CMAKE_TOOLCHAIN_FILE_*|BINDGEN_EXTRA_CLANG_ARGS_*|__CARGO_TEST_CHANNEL_OVERRIDE_DO_NOT_USE_THIS)
            export "${kv?}" ;;
    esac
done < "$dump"
exec "$@"
