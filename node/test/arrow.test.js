'use strict'
// toArrow(): Arrow IPC bytes that the apache-arrow package reads.
const test = require('node:test')
const assert = require('node:assert/strict')
const { tableFromIPC, Type } = require('apache-arrow')
const exto = require('..')
const { startEmulator } = require('../testing')

function setup(t) {
  const emu = startEmulator()
  t.after(() => emu.close())
  return { emu, client: new exto.Client({ token: emu.token, baseUrl: emu.url, rateLimit: 0 }) }
}

test('toArrow gives a table apache-arrow reads, typed and flattened', async (t) => {
  const { client } = setup(t)
  const bytes = await client.masters('LOCATION').toArrow({ pageSize: 2, sort: 'code' })
  assert.ok(Buffer.isBuffer(bytes))
  const table = tableFromIPC(bytes)
  assert.equal(table.numRows, 6)
  const type = (name) => table.schema.fields.find((f) => f.name === name).type
  assert.equal(type('code').typeId, Type.Utf8)
  assert.equal(type('serial_number').typeId, Type.Int)
  assert.equal(type('createdAt').typeId, Type.Timestamp)
  assert.equal(type('createdAt').timezone, 'UTC')
  assert.equal(type('openedOn').typeId, Type.Date)
  assert.equal(type('tags').typeId, Type.List)
  assert.deepEqual(table.getChild('code').toArray(), ['BLR', 'CHN', 'DEL', 'HYD', 'MUM', 'PUN'])
  assert.deepEqual(Array.from(table.getChild('serial_number')), [1234n, 2100n, 900n, null, 1500n, 3000n])
  assert.deepEqual(Array.from(table.getChild('active')), [true, true, false, true, true, true])
  // A field first seen on the last page (email_id) is null on the earlier ones.
  assert.deepEqual(Array.from(table.getChild('email_id')), [null, null, null, null, null, 'pune@exto360.com'])
  assert.deepEqual(Array.from(table.getChild('tags').get(0)), ['south', 'hq'])
  const row = table.get(0).toJSON()
  assert.equal(row.status, 'Approved')
  assert.equal(typeof row._id, 'string')
})

test('toArrow of an empty list, and errors keep their class', async (t) => {
  const { emu, client } = setup(t)
  const table = tableFromIPC(await client.masters('VENDOR').toArrow())
  assert.equal(table.numRows, 0)
  await assert.rejects(client.masters('NOPE').toArrow(), exto.NotFoundError)
  emu.setFaults([{ kind: 'status', status: 401 }])
  await assert.rejects(client.masters('LOCATION').toArrow(), exto.AuthenticationError)
})
