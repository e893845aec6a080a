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

test('a lost answer then a 429 stays unknown; written chunks carry their inserted ids', async (t) => {
  const emu = startEmulator()
  t.after(() => emu.close())
  const client = new Client({ token: emu.token, baseUrl: emu.url, rateLimit: 0, maxRetries: 1, retryWrites: true, initialBackoffMs: 1, maxBackoffMs: 2 })
  emu.setFaults([{ kind: 'status', status: 503, afterWork: true, times: 1 }, { kind: 'status', status: 429, times: 1 }])
  const e = await client.masters('VENDOR').upsert([{ vendor_id: 'a' }]).then(() => null, (x) => x)
  assert.ok(e instanceof exto.BulkWriteError, String(e))
  assert.deepEqual([e.unknown, e.notWritten], [[0], []])
  assert.ok(e.cause instanceof exto.RateLimitError)

  emu.setFaults([{ kind: 'status', status: 422, bodyContains: '"V1000"' }])
  const rows = Array.from({ length: 1500 }, (_, i) => ({ vendor_id: `V${i}` }))
  const e2 = await client.masters('VENDOR').upsert(rows).then(() => null, (x) => x)
  assert.equal(e2.bulk.insertedIds.length, 1000)
  assert.deepEqual(e2.notWritten, Array.from({ length: 500 }, (_, i) => 1000 + i))
})

test('config numbers out of range are refused, hostile filters are errors', async (t) => {
  const emu = startEmulator()
  t.after(() => emu.close())
  for (const [opts, needle] of [[{ timeoutMs: 1e23 }, 'at most 86400'], [{ rateLimit: 1e-300 }, 'between 0.001 and 10000'], [{ maxRetries: 1e6 }, 'at most 100'], [{ initialBackoffMs: 1e15 }, 'at most 3600']]) {
    assert.throws(() => new Client({ token: emu.token, baseUrl: emu.url, ...opts }), (e) => e instanceof exto.InvalidInputError && e.message.includes(needle), JSON.stringify(opts))
  }
  const { Filter } = exto
  let f = Filter.field('f0').eq(1).or(Filter.field('g0').eq(2))
  for (let i = 1; i < 22; i++) f = f.and(Filter.field(`f${i}`).eq(1).or(Filter.field(`g${i}`).eq(2)))
  const client = new Client({ token: emu.token, baseUrl: emu.url, rateLimit: 0 })
  await assert.rejects(client.masters('LOCATION').list({ filter: f }), (e) => e instanceof exto.InvalidInputError && /expands to 4194304 OR-groups/.test(e.message))
  let chain = Filter.field('a').eq(0)
  for (let i = 1; i < 200; i++) chain = chain.and(Filter.field('a').eq(i))
  assert.equal(chain.render().split(':and:').length, 200, 'a long chain stays flat')
  assert.deepEqual(emu.journal(), [])
})
