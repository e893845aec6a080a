// Type-checked with `tsc --noEmit -p node/examples`: every public API with its types.
import { Client, Filter, ApiError, BulkWriteError, InvalidInputError, NotFoundError, RateLimitError, TimeoutError, ConnectionError,
  type ExtoRecord, type Page, type UpsertResult, type WorkflowResult, type UserAccess, type Groups, type BulkWriteResult,
  type DeleteResult, type ExpandedRecord, type RecordKey, type WorkflowStep, type Hierarchy,
  type UploadReport, type DownloadedFile, type DocumentStream, type Workspace, type JobRun } from 'exto360'
import { startEmulator, type Emulator } from 'exto360/testing'
import { tableFromIPC, type Table } from 'apache-arrow'

async function main(): Promise<void> {
  const emu: Emulator = startEmulator({ settings: { rateLimit: 3 } })
  const client = new Client({ token: emu.token, baseUrl: emu.url, projectId: 'Vx6-j2Z', timeoutMs: 30_000, maxRetries: 3, rateLimit: 3, retryWrites: false })
  const tenant: Client = client.withProject(null)

  const f: Filter = Filter.field('serial_number').number().gt(1000).and(Filter.field('email_id').string().contains('x')).or(Filter.field('d').date().ge(new Date()))
  const text: string = f.render()
  const page: Page<ExtoRecord> = await client.masters('LOCATION').list({ page: 1, pageSize: 100, sort: '-createdAt', status: 'Approved', filter: f, localTimeZone: 'UTC' })
  const first: ExtoRecord | undefined = page.rows[0]
  for await (const r of tenant.masters('LOCATION').iter({ filter: 'serial_number:gt:1' })) console.log(r._id, r.customFields)
  for await (const p of client.modules('CUSTOMMODULE').pages({ pageSize: 10 })) console.log(p.totalPages)
  const bytes: Buffer = await client.masters('LOCATION').toArrow({ pageSize: 100, filter: f })
  const table: Table = tableFromIPC(bytes)
  console.log(table.numRows, table.getChild('code')?.toArray())

  const up: UpsertResult = await client.masters('VENDOR').upsert([{ vendor_id: 'V1' }])
  await client.modules('CUSTOMMODULE').upsert([{ ref_no: 'R' }], { userName: 'johndoe@exto360.com' })
  await client.subTable('Signatures').upsert([{ signer: 'x' }], { moduleName: 'CUSTOMMODULE', recordId: up.insertedIds[0] ?? '' })
  const moved: WorkflowResult[] = await client.workflow('CUSTOMMODULE').act(['id'], { action: 'Submit', userName: 'u', spaceName: 'S1' })

  await client.users.grantAccess('jane@exto360.com', { projects: ['p6iDlWb', { projectId: 'Vx6-j2Z', groups: ['GG3'], spaces: ['S1'] }], groups: ['G1'], profile: { firstName: 'Jane' } })
  const users: Page<UserAccess> = await client.users.list({ page: 1, pageSize: 1000 })
  for await (const u of client.users.iter()) console.log(u.user.userName)
  const one: UserAccess = await client.users.get('jane@exto360.com')
  const groups: Groups = await client.users.groups({ onlyProjectGroups: true })
  const act: BulkWriteResult = await client.users.activate(['jane@exto360.com'])
  await client.users.deactivate(['jane@exto360.com'])
  await client.users.removeAccess('jane@exto360.com', ['p6iDlWb'], ['G1'])
  await client.users.removeProjectAccess('jane@exto360.com', ['Vx6-j2Z'])
  // The current edition.
  const key: RecordKey = 'refId'
  const upd: UpsertResult = await client.masters('LOCATION').update([{ refId: 'abc', name: 'x' }], { key })
  const del: DeleteResult = await client.masters('LOCATION').delete(['abc'], { key: 'recordNumber', userName: 'u' })
  await client.modules('CUSTOMMODULE').update([{ recordNumber: 'MOD-1' }], { key: 'recordNumber', userName: 'u' })
  await client.modules('CUSTOMMODULE').delete(['MOD-1'], { key: 'recordNumber', userName: 'u' })
  for await (const r of client.modules('CUSTOMMODULE').expand({ pageSize: 10, subTablePageSize: 100, fields: ['recordNumber'], query: { projectID: 'Vx6-j2Z' } })) {
    const rec: ExpandedRecord = r
    console.log(rec.subTableData.Lines?.rows.length)
  }
  const rows: Page<Record<string, unknown>> = await client.subTable('Lines').list({ moduleName: 'CUSTOMMODULE', recordId: 'id', pageSize: 10 })
  for await (const row of client.subTable('Lines').iter({ moduleName: 'CUSTOMMODULE', recordId: 'id' })) console.log(row.recordNumber)
  await client.subTable('Lines').delete(['LIN-1'], { moduleName: 'CUSTOMMODULE', recordId: 'id' })
  const h: Hierarchy = client.hierarchy('ORG_UNIT')
  await h.create([{ sys_parentRowID: 'ORG-1', name: 'x' }])
  await h.update([{ sys_rowID: 'ORG-2', name: 'y' }])
  for await (const r of h.iter({ pageSize: 100 })) console.log(r.sys_path)
  const wf = client.workflow('CUSTOMMODULE')
  const step: WorkflowStep = 'submit'
  await wf.list({ pageSize: 100, status: 'Draft', filter: Filter.field('status').eq('Draft') })
  for await (const r of wf.iter({ filter: '(status:eq:Draft)' })) console.log(r.recordNumber)
  await wf.history('MOD-1')
  await wf.transition(step, 'MOD-1', { userName: 'u', actionName: 'Submit', spaceName: 'S1', assignee: { users: ['a'], groups: ['QA'] }, comment: { text: 'hi', isPrivate: true } })
  const info = await client.buildInfo()
  console.log(upd, del, rows.total, info.version)
  const live: boolean = (await client.health.liveness()).ok
  const ready: boolean = (await client.health.readiness()).ok

  try {
    await client.masters('X').list()
  } catch (e) {
    if (e instanceof BulkWriteError) console.log(e.written, e.notWritten, e.unknown, e.cause.code)
    else if (e instanceof NotFoundError || e instanceof RateLimitError) console.log(e.status, e.summary, e.details, e.path, e.requestId, e.retryAfter)
    else if (e instanceof ApiError) console.log(e.code, e.retries)
    else if (e instanceof TimeoutError || e instanceof ConnectionError || e instanceof InvalidInputError) console.log(e.message)
  }
  // Documents, workspaces, jobs.
  const docs: UploadReport = await client.documents.upload(['a.txt', { name: 'b.bin', data: new Uint8Array([1]) }, { name: 'c', stream: process.stdin, size: 3 }], { module: 'CUSTOMMODULE', recordId: 'r', meta: { k: 1 } })
  const saved: DownloadedFile = await client.documents.download(docs.files[0].document?.documentId ?? '', 'out.txt', { version: 'v1' })
  const s: DocumentStream = await client.documents.stream('id')
  for await (const chunk of s) console.log((chunk as Buffer).length, s.fileName, s.contentLength)
  const ws: Workspace = await client.workspaces.create('W', { parentId: undefined })
  const n: number = await client.jobs.run('Import', 'Import', async (job: JobRun) => { await job.log('x', { level: 'info' }); return 1 })
  await client.jobs.update(await client.jobs.create('t', 'Export', { status: 'Not Started' }), { status: 'Completed', duration: 5 })
  try {
    await client.documents.upload(['x'])
  } catch (e) {
    if (e instanceof BulkWriteError && e.upload) console.log(e.upload.files.map((f) => [f.state, f.message]))
  }
  console.log(saved.bytes, ws.name, n)
  emu.setFaults([{ kind: 'status', status: 503, times: 1 }])
  emu.configure({ rateLimit: null })
  console.log(text, first, moved, users, one, groups, act, live, ready, emu.journal().length, emu.records('masters', 'VENDOR'))
  emu.reset()
  emu.close()
}

void main()
