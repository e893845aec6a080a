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
# The package's `exto360` command, as `npx` runs it from the installed package (`--` keeps npx
# from taking the command's own flags).
cat > cli.mjs <<'JS'
import { startEmulator } from 'exto360/testing'
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
const emu = startEmulator()
fs.writeFileSync('rows.csv', 'vendor_id,n\nV1,1\nV2,2\n')
const env = { ...process.env, EXTO360_BASE_URL: emu.url, EXTO360_TOKEN: emu.token, EXTO360_RATE_LIMIT: 'off' }
const r = spawnSync('npx', ['--no', '--', 'exto360', '--json', 'import', 'masters', 'VENDOR', 'rows.csv'], { encoding: 'utf8', env })
const held = emu.records('masters', 'VENDOR').map((x) => x.customFields.n).sort()
emu.close()
if (r.status !== 0 || JSON.parse(r.stdout).written !== 2 || held.join() !== '1,2') {
  console.error('npx exto360 import failed:', r.status, r.stdout, r.stderr, held)
  process.exit(1)
}
JS
node cli.mjs
echo "npx exto360 (from the installed package): ok"
