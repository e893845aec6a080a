#!/usr/bin/env bash
# JVM benchmark (issue 15): iterate 100,000 records through the Kotlin/Java package vs the Rust
# core's own iter and vs java.net.http.HttpClient + kotlinx.serialization by hand, all against
# one emulator process; then the peak RSS of a JVM with a 64 MB heap iterating 1,000,000 records.
# Prints figures; never fails on time.
set -euo pipefail
RELEASE=${1:?release dir}        # target/<triple>/release
JAR=${2:?self-contained jar}     # bindings/jvm/target/exto360-V-all.jar
CLASSES=${3:?test classes}       # bindings/jvm/target/test-classes (JvmBenchKt)
data=$(mktemp --suffix .json)
emulator=
trap 'kill $emulator 2>/dev/null || true; rm -f "$data"' EXIT

# Starts an emulator serving COUNT records of master BIG; sets $url and $emulator.
start_emulator() {
  echo '{"tenants":[{"id":"bench","tokens":[{"token":"bench","user":"b@x.com"}],"masters":[{"name":"BIG","generate":{"count":'"$1"'}}]}]}' > "$data"
  exec 3< <("$RELEASE/exto360-emulator" --port 0 --rate-limit off --data "$data")
  emulator=$!
  read -r line <&3
  url=${line#listening on }
  curl -s -X PATCH -H 'content-type: application/json' -d '{"journalLimit":0}' "$url/__emulator/config" > /dev/null
}

start_emulator 100000
rust=$("$RELEASE/core" iter-cpu "$url")
java -cp "$JAR:$CLASSES" com.exto360.bench.JvmBenchKt "$url" "$rust"
kill $emulator
start_emulator 1000000
java -Xmx64m -cp "$JAR:$CLASSES" com.exto360.bench.JvmBenchKt memory "$url"
