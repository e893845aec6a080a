#!/usr/bin/env bash
# Runs CMD with an emulator process serving the demo dataset on a free loopback port, as a user's
# CI would: EXTO360_BASE_URL and EXTO360_TOKEN point at it. Stops it (by its PID) afterwards.
#   with_emulator.sh EMULATOR_BIN CMD [ARGS...]
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 EMULATOR_BIN CMD [ARGS...]" >&2; exit 2; }
bin=$1; shift
fifo=$(mktemp -u); mkfifo "$fifo"
"$bin" --port 0 > "$fifo" &
emu=$!
trap 'kill "$emu" 2>/dev/null || true; wait "$emu" 2>/dev/null || true; rm -f "$fifo"' EXIT
exec 3< "$fifo"
read -r -t 30 line <&3 || { echo "the emulator did not start" >&2; exit 1; }
case $line in "listening on "*) ;; *) echo "unexpected emulator output: $line" >&2; exit 1 ;; esac
export EXTO360_BASE_URL=${line#listening on } EXTO360_TOKEN=demo-token
"$@"
