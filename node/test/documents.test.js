'use strict'
// Documents, workspaces and job status against the emulator: byte-identical round trips from
// paths, Buffers and Readables, partial uploads reported per file, interrupted downloads
// leaving nothing, and jobs.run marking Failed.
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { Readable } = require('node:stream')
const exto = require('..')
const { startEmulator } = require('../testing')

function setup(t) {
  const emu = startEmulator()
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exto360-docs-'))
  t.after(() => {
    emu.close()
    fs.rmSync(dir, { recursive: true, force: true })
  })
  const client = new exto.Client({ token: emu.token, baseUrl: emu.url, rateLimit: 0, tenantId: 'cwWdTZK', projectId: 'Vx6-j2Z', initialBackoffMs: 1, maxBackoffMs: 2 })
  return { emu, dir, client }
}

function payload(n) {
  const b = Buffer.alloc(n)
  for (let i = 0; i < n; i++) b[i] = (i * 7 + Math.floor(i / 251)) % 256
  return b
}

test('upload from a path, a Buffer and Readables, download byte-identical', async (t) => {
  const { dir, client } = setup(t)
  const big = payload(3 * 1024 * 1024 + 17)
  fs.writeFileSync(path.join(dir, 'big.bin'), big)
  let pulled = 0
  const piece = payload(64 * 1024)
  const generated = Readable.from((function* () { for (let i = 0; i < 20; i++) { pulled++; yield piece } })())
  const res = await client.documents.upload([
    path.join(dir, 'big.bin'),
    { name: 'b.bin', data: Buffer.from([0, 1, 255]) },
    fs.createReadStream(path.join(dir, 'big.bin')),
    { name: 'gen.bin', stream: generated },
  ], { meta: { k: 1 } })
  assert.equal(res.uploadedCount, 4)
  assert.deepEqual(res.files.map((f) => f.fileName), ['big.bin', 'b.bin', 'big.bin', 'gen.bin'])
  assert.equal(pulled, 20)
  assert.deepEqual(res.files[0].document.meta, { k: 1 })
  const expected = [big, Buffer.from([0, 1, 255]), big, Buffer.concat(Array(20).fill(piece))]
  for (const [i, f] of res.files.entries()) {
    const out = await client.documents.download(f.document.documentId, path.join(dir, `out${i}`))
    assert.equal(out.bytes, expected[i].length)
    assert.ok(fs.readFileSync(path.join(dir, `out${i}`)).equals(expected[i]), `file ${i} differs`)
  }
  const s = await client.documents.stream(res.files[0].document.documentId)
  assert.equal(s.contentLength, big.length)
  const chunks = []
  for await (const c of s) chunks.push(c)
  assert.ok(chunks.length > 1)
  assert.ok(Buffer.concat(chunks).equals(big))
})

test('a partial upload rejects with the per-file report', async (t) => {
  const { emu, client } = setup(t)
  emu.configure({ maxFileBytes: 10 })
  const err = await client.documents.upload([{ name: 'small.txt', data: Buffer.from('small') }, { name: 'big.bin', data: Buffer.alloc(11) }]).then(() => null, (e) => e)
  assert.ok(err instanceof exto.BulkWriteError, String(err))
  assert.deepEqual(err.written, [0])
  assert.deepEqual(err.notWritten, [1])
  assert.equal(err.cause.summary, 'errors.error_partial_upload')
  assert.equal(err.upload.uploadedCount, 1)
  assert.equal(err.upload.files[1].state, 'failed')
  assert.match(err.upload.files[1].message, /too_large/)
  const none = await client.documents.upload([{ name: 'big.bin', data: Buffer.alloc(11) }]).then(() => null, (e) => e)
  assert.ok(none instanceof exto.BadRequestError)
  assert.equal(none.upload.failedCount, 1)
})

test('a failing Readable fails the upload without hanging', async (t) => {
  const { client } = setup(t)
  const broken = new Readable({ read() { this.destroy(new Error('disk gone')) } })
  await assert.rejects(client.documents.upload([{ name: 'x.bin', stream: broken }]), (e) => e instanceof exto.Exto360Error && /disk gone/.test(e.message) && e.upload && e.upload.files[0].state !== 'uploaded')
  await assert.rejects(client.documents.upload([Buffer.from('x')]), exto.InvalidInputError)
  await assert.rejects(client.documents.upload('a.txt'), exto.InvalidInputError)
})

test('an interrupted download leaves no file', async (t) => {
  const { emu, dir, client } = setup(t)
  const res = await client.documents.upload([{ name: 'p.bin', data: payload(200000) }])
  const id = res.files[0].document.documentId
  emu.setFaults([{ kind: 'truncate', path: '/api/v1/documents/download' }])
  await assert.rejects(client.documents.download(id, path.join(dir, 'p.bin')), exto.ConnectionError)
  assert.deepEqual(fs.readdirSync(dir), [])
  emu.setFaults([{ kind: 'truncate', path: '/api/v1/documents/download' }])
  const s = await client.documents.stream(id)
  await assert.rejects((async () => { for await (const _ of s); })(), exto.ConnectionError)
})

test('downloadAll writes a zip', async (t) => {
  const { dir, client } = setup(t)
  const rec = (await client.modules('CUSTOMMODULE').list()).rows[0]._id
  await client.documents.upload([{ name: 'a.txt', data: Buffer.from('A') }], { module: 'CUSTOMMODULE', recordId: rec })
  const out = await client.documents.downloadAll(rec, path.join(dir, 'all.zip'), { module: 'CUSTOMMODULE' })
  const zip = fs.readFileSync(out.path)
  assert.equal(zip.readUInt32LE(0), 0x04034b50) // a zip's local file header
  assert.ok(zip.includes(Buffer.from('a.txt')))
})

test('workspaces', async (t) => {
  const { client } = setup(t)
  const w = await client.workspaces.create('Plant A')
  const c = await client.workspaces.create('Line 1', { parentId: w.id })
  assert.equal(c.parentId, w.id)
  assert.equal((await client.workspaces.update(w.id, { name: 'Plant B' })).name, 'Plant B')
  assert.equal((await client.workspaces.get(w.id)).name, 'Plant B')
  const page = await client.workspaces.list({ pageSize: 1000 })
  assert.equal(page.total, null)
  assert.ok(page.rows.some((r) => r.name === 'Line 1'))
  await assert.rejects(client.workspaces.get('000000000000000000000000'), exto.NotFoundError)
})

async function job(client, id) {
  return (await client.jobs.list({ pageSize: 200 })).rows.find((j) => (j._id ?? j.id) === id)
}

test('jobs.run completes, or marks Failed and rethrows', async (t) => {
  const { client } = setup(t)
  let okId
  const out = await client.jobs.run('Nightly import', 'Import', async (j) => {
    okId = j.id
    await j.log('read 10 rows')
    return 42
  })
  assert.equal(out, 42)
  const done = await job(client, okId)
  assert.equal(done.status, 'Completed')
  assert.deepEqual(done.log.map((l) => l.message), ['read 10 rows'])
  let badId
  await assert.rejects(client.jobs.run('Broken', 'Import', async (j) => {
    badId = j.id
    throw new RangeError('boom')
  }), RangeError)
  const failed = await job(client, badId)
  assert.equal(failed.status, 'Failed')
  assert.equal(failed.log.at(-1).level, 'error')
  assert.match(failed.log.at(-1).message, /RangeError: boom/)
  const id = await client.jobs.create('Manual', 'Export', { status: 'Not Started' })
  await client.jobs.log(id, 'half way')
  await client.jobs.update(id, { status: 'Completed', duration: 5 })
  assert.equal((await job(client, id)).status, 'Completed')
  await assert.rejects(client.jobs.run('x', 'NotAType', async () => {}), exto.InvalidInputError)
})
