// The Node quick start: the SDK's main jobs against an in-process emulator (it stands in for
// https://platform.exto360.com/data, 3 requests/second included).
// Run: node node/examples/quickstart.mjs
import { Client, Filter, NotFoundError, BulkWriteError } from 'exto360'
import { startEmulator } from 'exto360/testing'

const emu = startEmulator({ settings: { rateLimit: 3 } })
try {
  // Against the real service: new Client() reads EXTO360_TOKEN, EXTO360_PROJECT_ID, ...
  const client = new Client({ token: emu.token, baseUrl: emu.url, projectId: 'Vx6-j2Z' })
  console.log(String(client), await client.health.readiness())

  const filter = Filter.field('serial_number').number().gt(1000).and(Filter.field('active').primitive().eq(true))
  const page = await client.masters('LOCATION').list({ filter, sort: '-serial_number' })
  console.log(`LOCATION ${filter}: ${page.rows.length} of ${page.total}`, page.rows.map((r) => r.customFields.code))

  const rows = Array.from({ length: 2500 }, (_, i) => ({ vendor_id: `V-${String(i).padStart(4, '0')}`, name: `Vendor ${i}` }))
  const done = await client.masters('VENDOR').upsert(rows) // 3 requests under the rate limit
  console.log(`VENDOR upsert: ${done.insertedCount} inserted, ${done.updatedCount} updated`)
  let n = 0
  for await (const _ of client.masters('VENDOR').iter()) n++
  console.log(`VENDOR iterated: ${n} records`)

  const created = await client.modules('CUSTOMMODULE').upsert([{ ref_no: 'R-100', title: 'Quick start' }], { userName: 'johndoe@exto360.com' })
  const recordId = created.insertedIds[0]
  await client.subTable('Signatures').upsert([{ signer: 'johndoe@exto360.com' }], { moduleName: 'CUSTOMMODULE', recordId })
  console.log('workflow:', await client.workflow('CUSTOMMODULE').act([recordId], { action: 'Submit', userName: 'johndoe@exto360.com', spaceName: 'S1' }))

  // Update, delete (you say how records are named: refId or recordNumber) and a record with
  // every row of its sub-tables.
  const blr = page.rows.find((r) => r.customFields.code === 'BLR').refId
  console.log('update:', (await client.masters('LOCATION').update([{ refId: blr, name: 'Bengaluru (HQ)' }], { key: 'refId' })).updatedCount, 'updated')
  console.log('delete:', (await client.modules('CUSTOMMODULE').delete(['MOD-2'], { key: 'recordNumber', userName: 'johndoe@exto360.com' })).deletedCount, 'deleted')
  for await (const rec of client.modules('CUSTOMMODULE').expand({ recordIds: [recordId] })) {
    console.log(`expanded ${rec.recordNumber}: ${rec.status}, ${rec.subTableData.Signatures.rows.length} signature(s)`)
  }

  await client.users.grantAccess('jane@exto360.com', { projects: [{ projectId: 'Vx6-j2Z', groups: ['GG3'], spaces: ['S1'] }], groups: ['G1'] })
  const jane = await client.users.get('jane@exto360.com')
  console.log('jane:', jane.groups, jane.projects.map((p) => p.projectID))

  try {
    await client.masters('NO_SUCH_MASTER').list()
  } catch (e) {
    if (!(e instanceof NotFoundError)) throw e
    console.log(`expected error: ${e.name} code=${e.code} status=${e.status} details=${JSON.stringify(e.details)}`)
  }
  emu.setFaults([{ kind: 'status', status: 422, method: 'POST', bodyContains: '"V-2200"' }])
  try {
    await client.masters('VENDOR').upsert(rows)
  } catch (e) {
    if (!(e instanceof BulkWriteError)) throw e
    console.log(`bulk failure: ${e.written.length} written, ${e.notWritten.length} not written, ${e.unknown.length} unknown; cause ${e.cause.name}`)
  }
} finally {
  emu.close()
}
