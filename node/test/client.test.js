'use strict'
const test = require('node:test')
const assert = require('node:assert/strict')
const exto = require('..')
const { Client, Filter } = exto
const { startEmulator } = require('../testing')

function setup(t, opts = {}) {
  const emu = startEmulator(opts)
  t.after(() => emu.close())
  return { emu, client: new Client({ token: emu.token, baseUrl: emu.url, rateLimit: 0 }) }
}
const params = (e) => Object.fromEntries(e.params)

test('list sends the documented request and resolves a page', async (t) => {
  const { emu, client } = setup(t)
  const page = await client.withProject('Vx6-j2Z').masters('LOCATION').list({ page: 1, pageSize: 2, sort: 'createdAt', status: 'Approved', filter: 'serial_number:NUMBER:eq:1234' })
  assert.equal(page.total, 1)
  assert.equal(page.rows[0].customFields.code, 'BLR')
  assert.deepEqual([page.page, page.pageSize, page.totalPages], [1, 2, 1])
  const e = emu.journal()[0]
  assert.deepEqual(params(e), { page: '1', pageSize: '2', sort: 'createdAt', status: 'Approved', filter: 'serial_number:NUMBER:eq:1234' })
  assert.equal(e.headers['x-project-id'], 'Vx6-j2Z')
  assert.equal(e.headers.authorization, 'Bearer ***')
  assert.match(e.headers['user-agent'], /^exto360-node\//)
})

test('filters render through the core', async (t) => {
  const { client } = setup(t)
  const f = Filter.field('serial_number').number().gt(2000).and(Filter.field('active').primitive().eq(true)).or(Filter.field('code').string().eq('DEL'))
  assert.equal(String(f), 'serial_number:NUMBER:gt:2000:and:active:PRIMITIVE:eq:true:or:code:STRING:eq:DEL')
  const page = await client.masters('LOCATION').list({ filter: f })
  assert.deepEqual(page.rows.map((r) => r.customFields.code).sort(), ['CHN', 'DEL', 'PUN'])
  assert.throws(() => Filter.field('n').number().contains('x').render(), exto.InvalidInputError)
  assert.equal(Filter.field('d').date().eq(new Date('2024-03-22T10:00:00Z')).render(), 'd:DATE:eq:2024-03-22')
  await assert.rejects(client.masters('LOCATION').list({ filter: Filter.field('d').date().eq('2024-03-22') }), (e) => e instanceof exto.InvalidInputError && /local_time_zone/.test(e.message))
})

test('iter walks every page in both list shapes', async (t) => {
  const { emu, client } = setup(t)
  emu.loadDataset({ tenants: [{ id: 't', tokens: [{ token: emu.token, user: 'a@x.com' }], masters: [{ name: 'BIG', generate: { count: 2345 } }] }] })
  const seq = []
  for await (const r of client.masters('BIG').iter()) seq.push(r.customFields.seq)
  assert.equal(seq.length, 2345)
  assert.equal(seq[2344], 2345)
  assert.equal(emu.journal().length, 3)
  emu.configure({ listShape: 'array' })
  let n = 0
  for await (const p of client.masters('BIG').pages({ pageSize: 1000 })) {
    assert.equal(p.total, null)
    n += p.rows.length
  }
  assert.equal(n, 2345)
  // Leaving a loop early stops the background fetching without errors.
  for await (const r of client.masters('BIG').iter({ pageSize: 10 })) if (r.customFields.seq > 3) break
})

test('upsert of any size, modules, sub-tables and workflow', async (t) => {
  const { emu, client } = setup(t)
  const res = await client.masters('VENDOR').upsert(Array.from({ length: 2500 }, (_, i) => ({ vendor_id: `V${i}`, n: i })))
  assert.deepEqual([res.insertedCount, res.insertedIds.length, res.updatedCount], [2500, 2500, 0])
  assert.equal(emu.journal().length, 3)
  const mod = await client.modules('CUSTOMMODULE').upsert([{ ref_no: 'R-9' }], { userName: 'johndoe@exto360.com' })
  const rid = mod.insertedIds[0]
  await client.subTable('Signatures').upsert([{ signer: 'a@x.com' }], { moduleName: 'CUSTOMMODULE', recordId: rid })
  assert.deepEqual(params(emu.journal().at(-1)), { moduleName: 'CUSTOMMODULE', recordName: rid, recordId: rid })
  const moved = await client.workflow('CUSTOMMODULE').act([rid], { action: 'Submit', userName: 'johndoe@exto360.com' })
  assert.equal(moved[0].recordId, rid)
  await assert.rejects(client.withProject('Vx6-j2Z').workflow('CUSTOMMODULE').act([rid], { action: 'Approve', userName: 'johndoe@exto360.com' }), exto.InvalidInputError)
})

test('users and health', async (t) => {
  const { emu, client } = setup(t)
  const g = await client.users.grantAccess('jane@exto360.com', { projects: [{ projectId: 'p6iDlWb', groups: ['Ops'], spaces: ['S1'] }], groups: ['G1'], profile: { firstName: 'Jane' } })
  assert.equal(g.insertedCount, 1)
  assert.deepEqual(emu.journal().at(-1).body.user, { userName: 'jane@exto360.com', email: 'jane@exto360.com', firstName: 'Jane' })
  assert.equal((await client.users.get('jane@exto360.com')).user.firstName, 'Jane')
  assert.equal((await client.users.list()).rows.length, 5)
  const names = []
  for await (const u of client.users.iter()) names.push(u.user.userName)
  assert.equal(names.at(-1), 'jane@exto360.com')
  assert.deepEqual((await client.users.groups({ onlyProjectGroups: true })).groups, [])
  assert.equal((await client.users.deactivate(['jane@exto360.com'])).nModified, 1)
  assert.equal((await client.users.activate(['jane@exto360.com'])).nModified, 1)
  assert.deepEqual(await client.users.removeAccess('jane@exto360.com', ['p6iDlWb'], ['G1']), { status: 'success' })
  assert.deepEqual(await client.users.removeProjectAccess('jane@exto360.com', ['p6iDlWb']), { status: 'success' })
  assert.equal((await client.health.liveness()).ok, true)
  assert.deepEqual(await client.health.readiness(), { ok: true })
})

test('the token never shows', (t) => {
  const { emu } = setup(t)
  const c = new Client({ token: 's3cr3t-token', baseUrl: emu.url })
  const util = require('node:util')
  for (const s of [String(c), JSON.stringify(c), util.inspect(c, { showHidden: true, depth: 5 })]) assert.ok(!s.includes('s3cr3t'), s)
})

test('environment fallback and bad options', (t) => {
  const { emu } = setup(t)
  process.env.EXTO360_TOKEN = emu.token
  process.env.EXTO360_BASE_URL = emu.url
  try {
    assert.equal(new Client().toJSON().baseUrl, emu.url + '/')
  } finally {
    delete process.env.EXTO360_TOKEN
    delete process.env.EXTO360_BASE_URL
  }
  assert.throws(() => new Client(), (e) => e instanceof exto.InvalidInputError && /EXTO360_TOKEN/.test(e.message))
  assert.throws(() => new Client({ token: 't', baseUrl: 'http://example.com' }), exto.InvalidInputError)
  assert.throws(() => new Client({ token: 't', tokn: 'x' }), /unknown client option 'tokn'/)
})

test('ESM import gives the same classes', async () => {
  const esm = await import('../index.mjs')
  assert.equal(esm.Client, Client)
  assert.equal(esm.NotFoundError, exto.NotFoundError)
  const testing = await import('../testing.mjs')
  assert.equal(typeof testing.startEmulator, 'function')
})

test('version() is the native core version and the package version', () => {
  assert.equal(typeof exto.version, 'function')
  assert.equal(exto.version(), require('../package.json').version)
  assert.match(exto.version(), /^\d+\.\d+\.\d+/)
})
