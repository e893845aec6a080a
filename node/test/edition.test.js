'use strict'
// The current edition from Node: updates, deletes, expand, sub-table rows, hierarchy masters,
// the v2 workflow, build info — and their errors through the one mapping (errors.js).
const test = require('node:test')
const assert = require('node:assert/strict')
const exto = require('..')
const { Client, Filter } = exto
const { startEmulator } = require('../testing')

function setup(t) {
  const emu = startEmulator()
  t.after(() => emu.close())
  return { emu, client: new Client({ token: emu.token, baseUrl: emu.url, rateLimit: 0, initialBackoffMs: 1, maxBackoffMs: 2 }) }
}

test('update and delete name records by the caller\'s key', async (t) => {
  const { emu, client } = setup(t)
  const refs = (await client.masters('LOCATION').list()).rows.map((r) => r.refId)
  assert.deepEqual(await client.masters('LOCATION').update([{ refId: refs[0], name: 'B' }], { key: 'refId' }), { insertedIds: [], insertedCount: 0, updatedCount: 1 })
  await assert.rejects(client.masters('LOCATION').update([{ refId: refs[0], _id: 'x' }], { key: 'refId' }), exto.InvalidInputError)
  await assert.rejects(client.masters('LOCATION').update([{ refId: refs[0] }], {}), (e) => e instanceof exto.InvalidInputError && /key/.test(e.message))
  assert.throws(() => client.masters('LOCATION').delete('abc', { key: 'refId', userName: 'u' }), exto.InvalidInputError)
  assert.deepEqual(await client.masters('LOCATION').delete(refs.slice(0, 2), { key: 'recordNumber', userName: 'johndoe@exto360.com' }), { deletedCount: 2 })
  assert.deepEqual(emu.journal().at(-1).body, [{ recordNumber: refs[0] }, { recordNumber: refs[1] }])
  const m = client.modules('CUSTOMMODULE')
  assert.equal((await m.update([{ recordNumber: 'MOD-1', x: 1 }], { key: 'recordNumber', userName: 'johndoe@exto360.com' })).updatedCount, 1)
  // The answer of the delete is lost; the retry finds nothing left (404): deleted.
  emu.setFaults([{ kind: 'reset', afterWork: true, times: 1 }])
  assert.deepEqual(await m.delete(['MOD-1'], { key: 'recordNumber', userName: 'johndoe@exto360.com' }), { deletedCount: 1 })
  await assert.rejects(m.delete(['MOD-1'], { key: 'recordNumber', userName: 'johndoe@exto360.com' }), exto.NotFoundError)
})

test('a 200 with success false is a PermissionDeniedError with a report', async (t) => {
  const { client } = setup(t)
  const ref = (await client.masters('LOCATION').list()).rows[0].refId
  await assert.rejects(client.masters('LOCATION').delete([ref], { key: 'refId', userName: 'jasonsmith@exto360.com' }), (e) => {
    assert.ok(e instanceof exto.PermissionDeniedError, e.constructor.name)
    assert.equal(e.status, 200)
    assert.deepEqual(e.details, ["User doesn't have permission to delete the record"])
    assert.deepEqual(e.bulk.notWritten, [0])
    return true
  })
})

test('expand yields complete records', async (t) => {
  const { client } = setup(t)
  const { insertedIds: [rid] } = await client.modules('CUSTOMMODULE').upsert([{ ref_no: 'BIG' }], { userName: 'johndoe@exto360.com' })
  await client.subTable('Lines').upsert(Array.from({ length: 250 }, (_, i) => ({ qty: i })), { moduleName: 'CUSTOMMODULE', recordId: rid })
  const recs = []
  for await (const r of client.modules('CUSTOMMODULE').expand({ recordIds: [rid], subTableFields: ['qty'] })) recs.push(r)
  assert.equal(recs.length, 1)
  assert.deepEqual(recs[0].subTableData.Lines.rows.map((r) => r.qty), Array.from({ length: 250 }, (_, i) => i))
  const all = []
  for await (const r of client.modules('CUSTOMMODULE').expand({ pageSize: 1, fields: ['recordNumber'] })) all.push(r.recordNumber)
  assert.deepEqual(all, ['MOD-1', 'MOD-2', 'MOD-3', 'MOD-4'])
  await assert.rejects(async () => { for await (const _ of client.modules('CUSTOMMODULE').expand({ pageSize: 101 })) { /* nothing */ } }, exto.InvalidInputError)
})

test('sub-tables, hierarchy, workflow v2 and build info', async (t) => {
  const { client } = setup(t)
  const rid = (await client.modules('CUSTOMMODULE').list({ sort: '-recordNumber' })).rows[0]._id
  const st = client.subTable('Signatures')
  assert.equal((await st.list({ moduleName: 'CUSTOMMODULE', recordId: rid })).rows[0].recordNumber, 'SIG-1')
  const rows = []
  for await (const r of st.iter({ moduleName: 'CUSTOMMODULE', recordId: rid, pageSize: 1 })) rows.push(r.recordNumber)
  assert.deepEqual(rows, ['SIG-1'])
  assert.deepEqual(await st.delete(['SIG-1'], { moduleName: 'CUSTOMMODULE', recordId: rid }), { deletedCount: 1 })
  const h = client.hierarchy('ORG_UNIT')
  assert.equal((await h.create([{ sys_rowID: 'X', sys_parentRowID: 'ORG-4' }])).insertedCount, 1)
  assert.equal((await h.update([{ sys_rowID: 'X', sys_parentRowID: 'ORG-3' }])).updatedCount, 1)
  const paths = []
  for await (const r of h.iter({ pageSize: 2 })) paths.push(r.sys_path)
  assert.equal(paths.at(-1), '/ORG-1/ORG-3/X')
  const wf = client.withProject('Vx6-j2Z').workflow('CUSTOMMODULE')
  assert.equal((await wf.list({ filter: Filter.field('status').eq('Draft').or(Filter.field('status').eq('Submitted')) })).total, 2)
  const out = await wf.transition('create', 'MOD-1', { userName: 'johndoe@exto360.com', actionName: 'Submit', spaceName: 'S1', comment: 'please' })
  assert.equal(out.status, 'Submitted')
  assert.equal((await wf.history('MOD-1')).history[0].comment, 'please')
  await assert.rejects(wf.transition('submit', 'MOD-1', { userName: 'johndoe@exto360.com', actionName: 'Approve' }), (e) => e instanceof exto.InvalidInputError && /space_name/.test(e.message))
  await assert.rejects(client.workflow('CUSTOMMODULE').list(), exto.InvalidInputError)
  assert.equal((await client.buildInfo()).name, 'exto-data-api')
})
