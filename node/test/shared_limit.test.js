'use strict'
// Many workers, one token: 4 Node processes share the API's 3 requests/second through Redis.
// Each test starts its own redis-server (Debian's, installed by `make test`) on a free loopback
// port and stops it by PID.
const test = require('node:test')
const assert = require('node:assert/strict')
const net = require('node:net')
const path = require('node:path')
const { spawn, execFileSync } = require('node:child_process')
const exto = require('..')
const { startEmulator } = require('../testing')

async function startRedis() {
  const port = await new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)) })
  })
  const proc = spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no'], { stdio: 'ignore' })
  const cli = (...args) => execFileSync('redis-cli', ['-p', String(port), ...args], { encoding: 'utf8' })
  const deadline = Date.now() + 10000
  for (;;) {
    try { if (cli('PING').trim() === 'PONG') break } catch {}
    assert.ok(Date.now() < deadline, 'redis-server did not start')
    await new Promise((r) => setTimeout(r, 20))
  }
  return { url: `redis://127.0.0.1:${port}/`, cli, stop: () => proc.kill('SIGKILL') }
}

// Starts a worker and resolves once it is ready; `go()` lets it start calling.
function worker(args) {
  const p = spawn(process.execPath, [path.join(__dirname, '..', 'testdata', 'limit_worker.js'), ...args], { stdio: ['pipe', 'pipe', 'inherit'] })
  let out = ''
  const exited = new Promise((resolve) => p.on('exit', (code) => resolve({ code, out: out.trim().split('\n').pop() })))
  const ready = new Promise((resolve) => p.stdout.on('data', (d) => { out += d; if (out.includes('ready')) resolve() }))
  return { ready, exited, go: () => p.stdin.end('go\n') }
}

test('4 processes on one token keep to 3 requests/s together, and the token never reaches Redis', async (t) => {
  const redis = await startRedis()
  const emu = startEmulator({ settings: { rateLimit: 3 } })
  t.after(() => { emu.close(); redis.stop() })
  const workers = [0, 1, 2, 3].map(() => worker([emu.url, emu.token, redis.url, '5']))
  await Promise.all(workers.map((w) => w.ready))
  workers.forEach((w) => w.go())
  const results = await Promise.all(workers.map((w) => w.exited))
  assert.deepEqual(results.map((r) => [r.code, r.out]), Array(4).fill([0, 'done 5']), 'every worker finished without a 429')
  const journal = emu.journal()
  assert.equal(journal.length, 20)
  assert.ok(journal.every((e) => e.status === 200))
  const times = journal.map((e) => Date.parse(e.timestamp)).sort((a, b) => a - b)
  times.forEach((start, i) => {
    const inWindow = times.slice(i).filter((x) => x < start + 1000).length
    assert.ok(inWindow <= 3, `${inWindow} requests within 1 s of ${start}: ${times.map((x) => x - times[0]).join(' ')}`)
  })
  const keys = redis.cli('--scan').split('\n').filter(Boolean)
  assert.equal(keys.length, 1)
  assert.ok(keys[0].startsWith('exto360:rl:') && !keys[0].includes(emu.token) && !redis.cli('GET', keys[0]).includes(emu.token))
})

test('redis stopped mid-run: fail raises ConnectionError, local keeps going', async (t) => {
  const redis = await startRedis()
  const emu = startEmulator()
  t.after(() => { emu.close(); redis.stop() })
  const opts = { token: emu.token, baseUrl: emu.url, rateLimit: 50, rateLimitStore: redis.url, maxRetries: 0 }
  const fail = new exto.Client({ ...opts, rateLimitFallback: 'fail' })
  const local = new exto.Client({ ...opts, rateLimitWorkers: 4 })
  await fail.health.liveness()
  await local.health.liveness()
  redis.stop()
  await new Promise((r) => setTimeout(r, 100))
  await assert.rejects(fail.masters('LOCATION').list(), (e) => e instanceof exto.ConnectionError && /rate limit store redis:\/\/127\.0\.0\.1/.test(e.message))
  assert.equal((await local.masters('LOCATION').list()).total, 6)
})
