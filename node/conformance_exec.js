'use strict'
// The Node executor of the conformance suite (tests/conformance/README.md): one case per stdin
// line through the public `exto360` API, one normalized result per stdout line.
const readline = require('node:readline')
const exto = require('.')
const { Client, Filter } = exto

function client(c) {
  return new Client({
    token: c.token, baseUrl: c.baseUrl, projectId: c.projectId ?? undefined, tenantId: c.tenantId ?? undefined,
    maxRetries: c.maxRetries, retryWrites: c.retryWrites, timeoutMs: c.timeoutMs, rateLimit: c.rateLimit ?? 0,
    initialBackoffMs: c.initialBackoff == null ? undefined : c.initialBackoff * 1000, maxBackoffMs: c.maxBackoff == null ? undefined : c.maxBackoff * 1000,
  })
}

function filter(s) {
  if (s === null || s === undefined || typeof s === 'string') return s
  for (const k of ['and', 'or']) if (s[k]) return s[k].map(filter).reduce((a, b) => a[k](b))
  let f = Filter.field(s.field)
  if (s.type) f = f[s.type.toLowerCase()]()
  const op = { in: 'isIn', is_blank: 'isBlank', is_not_blank: 'isNotBlank', not_contains: 'notContains', starts_with: 'startsWith', ends_with: 'endsWith' }[s.op] ?? s.op
  return op === 'isBlank' || op === 'isNotBlank' ? f[op]() : f[op](s.value)
}

const listOpts = (a) => ({ page: a.page, pageSize: a.pageSize, sort: a.sort, status: a.status, filter: filter(a.filter), localTimeZone: a.localTimeZone })

async function run(c, op, a) {
  const [res, verb] = op.split('.')
  switch (op) {
    case 'health.liveness': case 'health.readiness': return c.health[verb]()
    case 'masters.list': case 'modules.list': return c[res](a.name).list(listOpts(a))
    case 'masters.iter': case 'modules.iter': {
      const ids = []
      for await (const r of c[res](a.name).iter(listOpts(a))) ids.push(r._id)
      return { count: ids.length, ids }
    }
    case 'masters.upsert': return c.masters(a.name).upsert(a.records)
    case 'modules.upsert': return c.modules(a.name).upsert(a.records, { userName: a.userName })
    case 'subTable.upsert': return c.subTable(a.tableId).upsert(a.rows, { moduleName: a.moduleName, recordId: a.recordId })
    case 'workflow.act': return c.workflow(a.module).act(a.recordIds, { action: a.action, userName: a.userName, spaceName: a.spaceName })
    case 'users.grantAccess': {
      const { userName, ...profile } = a.grant.user
      return c.users.grantAccess(userName, { projects: a.grant.projects ?? [], groups: a.grant.groups ?? [], profile })
    }
    case 'users.list': return c.users.list({ page: a.page, pageSize: a.pageSize })
    case 'users.iter': {
      const names = []
      for await (const u of c.users.iter()) names.push(u.user.userName)
      return { count: names.length, userNames: names }
    }
    case 'users.get': return c.users.get(a.username)
    case 'users.groups': return c.users.groups({ onlyProjectGroups: a.onlyProjectGroups })
    case 'users.activate': case 'users.deactivate': {
      const r = await c.users[verb](a.usernames)
      return { ok: r.ok, nMatched: r.nMatched, nModified: r.nModified }
    }
    case 'users.removeAccess': return c.users.removeAccess(a.username, a.projects ?? [], a.groups ?? [])
    case 'users.removeProjectAccess': return c.users.removeProjectAccess(a.username, a.projectIds ?? [])
    case 'filter.render': return filter(a.filter).render()
    case 'version': return exto.version()
  }
  return edition(c, op, a)
}

// ---------------------------------------------------------------------- the current edition

/** `{count, ids}`: each row's `_id`, or `recordNumber` when it has none (v2 workflow rows). */
async function ids(rows) {
  const out = []
  for await (const r of rows) out.push(r._id ?? r.recordNumber)
  return { count: out.length, ids: out }
}

async function edition(c, op, a) {
  const [res, verb] = op.split('.')
  const wfOpts = { page: a.page, pageSize: a.pageSize, recordNumber: a.recordNumber, status: a.status, responsibleUser: a.responsibleUser, responsibleGroup: a.responsibleGroup, filter: filter(a.filter) }
  switch (op) {
    case 'build.info': return c.buildInfo()
    case 'masters.update': case 'modules.update': return c[res](a.name).update(a.records, { key: a.key, userName: a.userName })
    case 'masters.delete': case 'modules.delete': return c[res](a.name).delete(a.ids, { key: a.key, userName: a.userName })
    case 'modules.expand': {
      const records = []
      for await (const r of c.modules(a.name).expand(a)) records.push(r)
      return { count: records.length, records }
    }
    case 'subTable.list': return c.subTable(a.tableId).list(a)
    case 'subTable.iter': return ids(c.subTable(a.tableId).iter(a))
    case 'subTable.delete': return c.subTable(a.tableId).delete(a.recordNumbers, a)
    case 'hierarchy.list': return c.hierarchy(a.name).list(a)
    case 'hierarchy.iter': return ids(c.hierarchy(a.name).iter(a))
    case 'hierarchy.create': case 'hierarchy.update': return c.hierarchy(a.name)[verb](a.rows)
    case 'workflow.list': return c.workflow(a.module).list(wfOpts)
    case 'workflow.iter': return ids(c.workflow(a.module).iter(wfOpts))
    case 'workflow.history': return c.workflow(a.module).history(a.recordNumber)
    case 'workflow.transition': return c.workflow(a.module).transition(a.step, a.recordId, a)
    // The files' JSON form as the core reads it (Buffers and Readables are tested in test/documents.test.js).
    case 'documents.upload': return c.documents.upload((a.files ?? []).map((f) => (f && typeof f === 'object' && typeof f.text === 'string' && f.path === undefined ? { ...f, data: Buffer.from(f.text) } : f)), a)
    case 'documents.download': return c.documents.download(a.id, a.path, a)
    case 'documents.downloadAll': return c.documents.downloadAll(a.recordId, a.path, a)
    case 'workspaces.create': return c.workspaces.create(a.name, a)
    case 'workspaces.list': return c.workspaces.list(a)
    case 'workspaces.get': return c.workspaces.get(a.id)
    case 'workspaces.update': return c.workspaces.update(a.id, a)
    case 'jobs.create': { const j = a.job ?? {}; return { id: await c.jobs.create(j.jobTitle ?? j.title, j.jobType ?? j.type, j) } }
    case 'jobs.start': return { id: await c.jobs.start(a.title, a.type) }
    case 'jobs.list': return c.jobs.list(a)
    case 'jobs.update': await c.jobs.update(a.id, a); return {}
    case 'jobs.log': await c.jobs.log(a.id, a.message, a); return {}
    case 'jobs.fail': await c.jobs.fail(a.id, a.message); return {}
  }
  throw new exto.InvalidInputError(`unknown operation ${op}`)
}

function error(e) {
  const src = e instanceof exto.BulkWriteError ? e.cause : e
  const b = e.bulk
  return {
    kind: src.code, status: src.status ?? null, summary: src.summary ?? null, details: src.details ?? null, retries: e.retries, message: src.message,
    bulk: b ? { total: b.total, insertedIds: b.insertedIds, written: b.writtenRanges, notWritten: b.notWrittenRanges, unknown: b.unknownRanges } : null,
    upload: e.upload ?? null,
  }
}

// Cases carry integers beyond 2^53; JSON.parse would round them. Keep them as BigInt in filters
// (the builder accepts BigInt) and as numbers elsewhere (what a JS caller would have).
function parseCase(line) {
  const marked = line.replace(/([:\[,]\s*)(-?\d{16,})(?=\s*[,}\]])/g, '$1"__big__$2"')
  const big = (v, asBigInt) => {
    if (typeof v === 'string' && v.startsWith('__big__')) return asBigInt ? BigInt(v.slice(7)) : Number(v.slice(7))
    if (Array.isArray(v)) return v.map((x) => big(x, asBigInt))
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, big(x, asBigInt || k === 'filter')]))
    return v
  }
  return big(JSON.parse(marked), false)
}

const rl = readline.createInterface({ input: process.stdin })
let chain = Promise.resolve()
rl.on('line', (line) => {
  if (!line.trim()) return
  chain = chain.then(async () => {
    const msg = parseCase(line)
    let reply
    try {
      reply = { id: msg.id, ok: await run(client(msg.client), msg.op, msg.args) }
    } catch (e) {
      if (!(e instanceof exto.Exto360Error)) throw e
      reply = { id: msg.id, error: error(e) }
    }
    process.stdout.write(JSON.stringify(reply) + '\n')
  })
})
