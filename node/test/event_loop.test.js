'use strict'
const test = require('node:test')
const assert = require('node:assert/strict')
const { Client } = require('..')
const { startEmulator } = require('../testing')

test('the event loop keeps ticking during a long rate-limited bulk upsert', async (t) => {
  // 3 requests/s on both sides plus latency: 4 requests take over a second of waiting.
  const emu = startEmulator({ settings: { rateLimit: 3 } })
  t.after(() => emu.close())
  emu.setFaults([{ kind: 'latency', latencyMs: 100 }])
  const client = new Client({ token: emu.token, baseUrl: emu.url, rateLimit: 3 })
  let ticks = 0
  const timer = setInterval(() => ticks++, 10)
  const started = Date.now()
  const res = await client.masters('VENDOR').upsert(Array.from({ length: 4000 }, (_, i) => ({ vendor_id: `V${i}` })))
  clearInterval(timer)
  const elapsed = Date.now() - started
  assert.equal(res.insertedCount, 4000)
  assert.ok(elapsed >= 900, `4 requests at 3/s took only ${elapsed} ms`)
  // A blocked loop would not tick at all; a free one ticks about every 10 ms.
  assert.ok(ticks >= elapsed / 10 / 4, `only ${ticks} ticks in ${elapsed} ms: the JS thread was blocked`)
})
