'use strict'
const test = require('node:test')
const assert = require('node:assert/strict')
const exto = require('..')
const { Client } = exto
const { startEmulator } = require('../testing')

const CASES = [
  [400, 'BadRequestError', 'bad_request'], [401, 'AuthenticationError', 'unauthorized'], [403, 'PermissionDeniedError', 'forbidden'],
  [404, 'NotFoundError', 'not_found'], [413, 'BadRequestError', 'bad_request'], [422, 'BadRequestError', 'bad_request'],
  [429, 'RateLimitError', 'rate_limited'], [500, 'ServerError', 'server'], [502, 'ServerError', 'server'],
  [503, 'ServerError', 'server'], [504, 'ServerError', 'server'],
]

test('every status maps to its class, instanceof works', async (t) => {
  const emu = startEmulator()
  t.after(() => emu.close())
  const client = new Client({ token: emu.token, baseUrl: emu.url, rateLimit: 0, maxRetries: 0 })
  for (const [status, cls, code] of CASES) {
    emu.setFaults([{ kind: 'status', status }])
    const err = await client.masters('LOCATION').list().then(() => null, (e) => e)
    assert.ok(err instanceof exto[cls], `${status} → ${err && err.constructor.name}`)
    assert.ok(err instanceof exto.ApiError && err instanceof exto.Exto360Error && err instanceof Error)
    assert.equal(err.code, code)
    assert.equal(err.status, status)
    assert.deepEqual(err.details, ['Injected fault'])
    assert.equal(err.path, '/api/v1/master-record/LOCATION')
  }
})

test('connection, timeout and retries', async (t) => {
  const emu = startEmulator()
  t.after(() => emu.close())
  const down = new Client({ token: 't', baseUrl: 'http://127.0.0.1:9', rateLimit: 0, maxRetries: 1 })
  const e = await down.health.readiness().then(() => null, (x) => x)
  assert.ok(e instanceof exto.ConnectionError && !(e instanceof exto.ApiError))
  assert.equal(e.retries, 1)
  emu.setFaults([{ kind: 'latency', latencyMs: 800 }])
  const slow = new Client({ token: emu.token, baseUrl: emu.url, rateLimit: 0, maxRetries: 0, timeoutMs: 100 })
  await assert.rejects(slow.masters('LOCATION').list(), exto.TimeoutError)
  emu.setFaults([{ kind: 'status', status: 503, times: 2 }])
  const client = new Client({ token: emu.token, baseUrl: emu.url, rateLimit: 0 })
  assert.equal((await client.masters('LOCATION').list()).total, 6)
})

test('bulk write errors say what was written', async (t) => {
  const emu = startEmulator()
  t.after(() => emu.close())
  const client = new Client({ token: emu.token, baseUrl: emu.url, rateLimit: 0 })
  emu.setFaults([{ kind: 'status', status: 422, method: 'POST', bodyContains: '"V2200"' }])
  const rows = Array.from({ length: 2500 }, (_, i) => ({ vendor_id: `V${i}` }))
  const err = await client.masters('VENDOR').upsert(rows).then(() => null, (e) => e)
  assert.ok(err instanceof exto.BulkWriteError)
  assert.equal(err.code, 'bulk_write')
  assert.equal(err.written.length, 2000)
  assert.deepEqual(err.bulk.notWrittenRanges, [[2000, 2500]])
  assert.ok(err.cause instanceof exto.BadRequestError)
  assert.equal(emu.records('masters', 'VENDOR').length, 2000)
})

test('invalid input rejects before sending', async (t) => {
  const emu = startEmulator()
  t.after(() => emu.close())
  const client = new Client({ token: emu.token, baseUrl: emu.url, rateLimit: 0 })
  await assert.rejects(client.masters('..').list(), exto.InvalidInputError)
  await assert.rejects(client.masters('LOCATION').list({ pageSize: 5000 }), exto.InvalidInputError)
  await assert.rejects(client.masters('VENDOR').upsert('nope'), exto.InvalidInputError)
  await assert.rejects(client.masters('VENDOR').upsert([{ a: 1 }, 3]), (e) => e instanceof exto.InvalidInputError && /records\[1\]/.test(e.message))
  assert.deepEqual(emu.journal(), [])
})
