#!/usr/bin/env bash
# Installs the npm tarballs (the main package and this platform's package, as `npm pack` made
# them) into an empty folder and runs the Node quick start there: proves `files` is complete and
# that the main package finds its native addon in the platform package.
#   npm_consumer.sh MAIN_TGZ PLATFORM_TGZ
set -euo pipefail
abs() { echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"; }
main=$(abs "$1") platform=$(abs "$2")
here=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
echo '{"name": "consumer", "private": true, "type": "module"}' > package.json
npm install --no-audit --no-fund --loglevel=error "$platform" "$main"
test ! -e node_modules/exto360/*.node  # the addon comes from the platform package only
cp "$here/node/examples/quickstart.mjs" .
node quickstart.mjs > quickstart.log || { cat quickstart.log; exit 1; }
node -e 'const e = require("exto360"); console.log("exto360", e.version(), "from", require.resolve("exto360"))'
echo "node quick start: ok ($(wc -l < quickstart.log) lines)"
