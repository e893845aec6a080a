// Node benchmarks (issue: Node package). Printed figures, never pass/fail.
// 1. Iterate 100,000 records: CPU time of client.masters(n).iter() vs a fetch + JSON.parse loop
//    over the same pages (goal ≤ 1.0×); and JSON text + JSON.parse vs objects built through N-API.
// 2. Peak RSS iterating 1,000,000 records (goal ≤ 120 MB), in a child process.
// The emulator runs as a separate process (EMULATOR_BIN), so its work is not counted.
import { spawn, execFileSync } from 'node:child_process'
import { createInterface } from 'node:readline'
import { readFileSync, writeFileSync, unlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const exto = require('../node/index.js')
const EMULATOR = process.env.EMULATOR_BIN ?? 'target/release/exto360-emulator'

async function startEmulator(count) {
  const file = join(tmpdir(), `exto360-node-bench-${process.pid}-${count}.json`)
  writeFileSync(file, JSON.stringify({ tenants: [{ id: 'bench', tokens: [{ token: 'bench', user: 'b@x.com' }], masters: [{ name: 'BIG', generate: { count } }] }] }))
  const proc = spawn(EMULATOR, ['--port', '0', '--rate-limit', 'off', '--data', file], { stdio: ['ignore', 'pipe', 'inherit'] })
  const line = await new Promise((resolve) => createInterface({ input: proc.stdout }).once('line', resolve))
  const url = line.split('listening on ')[1]
  await fetch(`${url}/__emulator/config`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: '{"journalLimit":0}' })
  return { url, close: () => { proc.kill(); unlinkSync(file) } }
}

const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6 }
async function bestOf(n, fn) {
  let best = null
  for (let i = 0; i < n; i++) {
    const c0 = cpu(), w0 = performance.now()
    const count = await fn()
    const r = [cpu() - c0, (performance.now() - w0) / 1000, count]
    if (!best || r[0] < best[0]) best = r
  }
  return best
}

if (process.argv[2] === 'memory-child') {
  // VmHWM, not resourceUsage().maxRSS: the latter survives exec and would report the parent's peak.
  const hwm = () => Number(readFileSync('/proc/self/status', 'utf8').match(/VmHWM:\s+(\d+)/)[1]) / 1024
  const client = new exto.Client({ token: 'bench', baseUrl: process.argv[3], rateLimit: 0 })
  const before = hwm()
  const t = performance.now()
  let n = 0
  for await (const r of client.masters('BIG').iter()) n += r._id ? 1 : 0
  const peak = hwm()
  console.log(`node iter memory: ${n} records in ${((performance.now() - t) / 1000).toFixed(1)} s, peak RSS ${peak.toFixed(1)} MB (before iterating ${before.toFixed(1)} MB; goal ≤ 120 MB)`)
  process.exit(0)
}

const emu = await startEmulator(100_000)
try {
  const client = new exto.Client({ token: 'bench', baseUrl: emu.url, rateLimit: 0 })
  const url = `${emu.url}/api/v1/master-record/BIG`
  const ours = async () => { let n = 0; for await (const r of client.masters('BIG').iter()) n += r._id ? 1 : 0; return n }
  const hand = async () => {
    let n = 0
    for (let page = 1; ; page++) {
      const body = JSON.parse(await (await fetch(`${url}?page=${page}&pageSize=1000`, { headers: { authorization: 'Bearer bench' } })).text())
      for (const r of body.rows) n += r._id ? 1 : 0
      if (body.page >= body.totalPages) return n
    }
  }
  // The two ways of handing a page to JS, on the same list calls: JSON text + JSON.parse, or
  // objects built through N-API (serde_json → napi values).
  const native = client._n
  const viaText = async () => { let n = 0; for (let p = 1; p <= 100; p++) n += JSON.parse(await native.call('masters.list', JSON.stringify({ name: 'BIG', page: p, pageSize: 1000 }))).rows.length; return n }
  const viaNapi = async () => { let n = 0; for (let p = 1; p <= 100; p++) n += (await native.callObjects('masters.list', JSON.stringify({ name: 'BIG', page: p, pageSize: 1000 }))).rows.length; return n }
  await ours(); await hand()
  const results = { 'exto360 iter': await bestOf(3, ours), 'fetch + JSON.parse': await bestOf(3, hand) }
  const base = results['fetch + JSON.parse'][0]
  for (const [name, [c, w, n]] of Object.entries(results)) console.log(`node iterate 100,000: ${name.padEnd(20)} ${c.toFixed(3)} s CPU (${w.toFixed(2)} s wall, ${n} rows) → ${(c / base).toFixed(2)}× fetch`)
  console.log(`node iterate 100,000: goal exto360 ≤ 1.0× fetch + JSON.parse CPU → ${(results['exto360 iter'][0] / base).toFixed(2)}×`)
  const t = await bestOf(3, viaText), o = await bestOf(3, viaNapi)
  console.log(`node page hand-off: JSON text + JSON.parse ${t[0].toFixed(3)} s CPU vs N-API objects ${o[0].toFixed(3)} s CPU for 100,000 records → text is ${(o[0] / t[0]).toFixed(2)}× cheaper (the package uses text)`)
} finally {
  emu.close()
}

const big = await startEmulator(1_000_000)
try {
  process.stdout.write(execFileSync(process.execPath, [new URL(import.meta.url).pathname, 'memory-child', big.url]))
} finally {
  big.close()
}
