'use strict'
// The package's `exto360` bin: the Rust command line in-process, run as `node bin/exto360.js`
// (`npx exto360` from the installed tarballs is checked by tests/packaging/npm_consumer.sh; `--` keeps npx from taking
// the command's flags, such as --json or --version, for its own).
const test = require('node:test')
const assert = require('node:assert/strict')
const { spawnSync } = require('node:child_process')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { startEmulator } = require('../testing')

const BIN = path.join(__dirname, '..', 'bin', 'exto360.js')

function env(emu) {
  const e = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('EXTO360_')))
  return { ...e, EXTO360_BASE_URL: emu.url, EXTO360_TOKEN: emu.token, EXTO360_RATE_LIMIT: 'off' }
}

test('the bin runs the command line', (t) => {
  const emu = startEmulator()
  t.after(() => emu.close())
  let r = spawnSync(process.execPath, [BIN, '--version'], { encoding: 'utf8' })
  assert.equal(r.status, 0)
  assert.match(r.stdout, /^exto360 \d/)
  r = spawnSync(process.execPath, [BIN, '--json', 'health'], { encoding: 'utf8', env: env(emu) })
  assert.equal(r.status, 0, r.stderr)
  assert.equal(JSON.parse(r.stdout).readiness.ok, true)
  r = spawnSync(process.execPath, [BIN, 'export', 'masters', 'LOCATION', '--format', 'jsonl'], { encoding: 'utf8', env: env(emu) })
  assert.equal(r.status, 0, r.stderr)
  assert.equal(r.stdout.trim().split('\n').length, 6)
  r = spawnSync(process.execPath, [BIN, 'import', 'masters'], { encoding: 'utf8' })
  assert.equal(r.status, 2, 'usage error')
})

test('Ctrl-C reaches the command, not node', async (t) => {
  const emu = startEmulator()
  t.after(() => emu.close())
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exto360-int-'))
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }))
  const rows = path.join(dir, 'rows.jsonl')
  fs.writeFileSync(rows, Array.from({ length: 20000 }, (_, i) => JSON.stringify({ vendor_id: `V${i}` })).join('\n'))
  const { spawn } = require('node:child_process')
  const child = spawn(process.execPath, [BIN, '--json', 'import', 'masters', 'VENDOR', rows], { env: { ...env(emu), EXTO360_RATE_LIMIT: '5' } })
  let out = ''
  child.stdout.on('data', (d) => { out += d })
  const exited = new Promise((resolve) => child.on('close', (code) => resolve(code)))
  const checkpoint = `${rows}.exto360-checkpoint`
  const deadline = Date.now() + 60000
  while (!(fs.existsSync(checkpoint) && (fs.readFileSync(checkpoint, 'utf8').match(/"done"/g) || []).length >= 2)) {
    assert.ok(Date.now() < deadline, 'the import makes progress')
    await new Promise((r) => setTimeout(r, 50))
  }
  child.kill('SIGINT')
  assert.equal(await exited, 130)
  const result = JSON.parse(out)
  assert.equal(result.interrupted, true)
  assert.equal(result.written + result.notSent, 20000)
})
