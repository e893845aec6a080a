'use strict'
// exto360 for Node. Every call runs in the Rust core off the JS thread (rate limiting, retries,
// paging, chunking); this file only shapes arguments and results for JavaScript.

const native = require('./native.js')
const errors = require('./errors.js')
const { Filter, Field } = require('./filter.js')
const { Documents, Workspaces, Jobs, JobRun } = require('./documents.js')
const { call } = require('./call.js')

/** The version of exto360 (e.g. "0.1.0"): one number for the Rust core and every package. */
function version() {
  return native.version()
}

const { fromNative } = errors
const INSPECT = Symbol.for('nodejs.util.inspect.custom')

function config(opts = {}) {
  const known = ['token', 'baseUrl', 'projectId', 'tenantId', 'workspaceId', 'timeoutMs', 'maxRetries', 'rateLimit', 'retryWrites', 'initialBackoffMs', 'maxBackoffMs',
    'rateLimitStore', 'rateLimitNamespace', 'rateLimitFallback', 'rateLimitWorkers']
  for (const k of Object.keys(opts)) {
    if (!known.includes(k)) throw new errors.InvalidInputError(`unknown client option '${k}' (known: ${known.join(', ')})`, { code: 'invalid_input' })
  }
  const cfg = { userAgent: `exto360-node/${version()}` }
  for (const k of ['token', 'baseUrl', 'projectId', 'tenantId', 'workspaceId', 'maxRetries', 'retryWrites', 'rateLimitStore', 'rateLimitNamespace', 'rateLimitFallback', 'rateLimitWorkers']) {
    if (opts[k] !== undefined && opts[k] !== null) cfg[k] = opts[k]
  }
  for (const [ms, key] of [['timeoutMs', 'timeout'], ['initialBackoffMs', 'initialBackoff'], ['maxBackoffMs', 'maxBackoff']]) {
    if (opts[ms] !== undefined && opts[ms] !== null) cfg[key] = opts[ms] / 1000
  }
  if (opts.rateLimit !== undefined) cfg.rateLimit = opts.rateLimit === false || opts.rateLimit === 0 || opts.rateLimit === null ? null : opts.rateLimit
  return cfg
}

async function* pages(n, op, args) {
  let pager
  try {
    pager = n.pages(op, JSON.stringify(args))
  } catch (e) {
    throw fromNative(e)
  }
  try {
    for (;;) {
      let text
      try {
        text = await pager.next()
      } catch (e) {
        throw fromNative(e)
      }
      if (text === null) return
      yield JSON.parse(text)
    }
  } finally {
    pager.close()
  }
}

function filterArg(f) {
  if (f === undefined || f === null || typeof f === 'string') return f ?? null
  if (f instanceof Filter) return f.spec
  throw new TypeError('filter must be a Filter or a string')
}

function listArgs(name, o = {}) {
  const a = { filter: filterArg(o.filter) }
  if (name !== undefined) a.name = name
  for (const k of ['page', 'pageSize', 'sort', 'status', 'localTimeZone']) if (o[k] !== undefined && o[k] !== null) a[k] = o[k]
  return a
}

/** A list argument: any iterable but a lone string or object (a common slip). */
function list(xs, what) {
  if (typeof xs === 'string' || xs === null || typeof xs !== 'object' || typeof xs[Symbol.iterator] !== 'function') {
    throw new errors.InvalidInputError(`${what} must be an array`, { code: 'invalid_input' })
  }
  return Array.from(xs)
}

function records(rs, what = 'records') {
  if (!Array.isArray(rs)) {
    if (rs && typeof rs[Symbol.iterator] === 'function') return Array.from(rs)
    throw new errors.InvalidInputError(`${what} must be an array of objects`, { code: 'invalid_input' })
  }
  return rs
}

class Records {
  constructor(n, kind, name) {
    this._n = n
    this._kind = kind
    this.name = name
  }
  /** One page: `{ rows, total, page, pageSize, totalPages }`. */
  list(opts) {
    return call(this._n, `${this._kind}.list`, listArgs(this.name, opts))
  }
  /** Every page from `opts.page` on, fetched one ahead in the background. */
  pages(opts) {
    return pages(this._n, `${this._kind}.iter`, listArgs(this.name, opts))
  }
  /** Every record, page after page, with bounded memory. */
  async *iter(opts) {
    for await (const p of this.pages(opts)) yield* p.rows
  }
  /** Every record as Arrow IPC stream bytes (read them with `tableFromIPC` of `apache-arrow`). */
  async toArrow(opts) {
    try {
      return await this._n.arrowIpc(`${this._kind}.iter`, JSON.stringify(listArgs(this.name, opts)))
    } catch (e) {
      throw fromNative(e)
    }
  }
}

class Masters extends Records {
  constructor(n, name) {
    super(n, 'masters', name)
  }
  /** Inserts or updates any number of records (1000 per request). */
  upsert(rs) {
    return call(this._n, 'masters.upsert', { name: this.name, records: records(rs) })
  }
  /** Updates records named by `key` ('refId' or 'recordNumber'), 1000 per request. */
  update(rs, { key } = {}) {
    return call(this._n, 'masters.update', { name: this.name, records: records(rs), key })
  }
  /** Deletes records named by `key`, acting as `userName`; resolves to `{ deletedCount }`. */
  delete(ids, { key, userName } = {}) {
    return call(this._n, 'masters.delete', { name: this.name, ids: list(ids, 'ids'), key, userName })
  }
}

class Modules extends Records {
  constructor(n, name) {
    super(n, 'modules', name)
  }
  upsert(rs, { userName } = {}) {
    return call(this._n, 'modules.upsert', { name: this.name, records: records(rs), userName })
  }
  update(rs, { key, userName } = {}) {
    return call(this._n, 'modules.update', { name: this.name, records: records(rs), key, userName })
  }
  delete(ids, { key, userName } = {}) {
    return call(this._n, 'modules.delete', { name: this.name, ids: list(ids, 'ids'), key, userName })
  }
  /** Every matching record with all its sub-table rows, one at a time (rows read page by page). */
  expand({ recordIds, page, pageSize, fields, subTableFields, subTablePageSize, query } = {}) {
    const a = { name: this.name, page, pageSize, subTablePageSize, query }
    if (recordIds !== undefined && recordIds !== null) a.recordIds = list(recordIds, 'recordIds')
    if (fields !== undefined && fields !== null) a.fields = list(fields, 'fields')
    if (subTableFields !== undefined && subTableFields !== null) a.subTableFields = list(subTableFields, 'subTableFields')
    return pages(this._n, 'modules.expand', a)
  }
}

class SubTable {
  constructor(n, tableId) {
    this._n = n
    this.tableId = tableId
  }
  upsert(rows, { moduleName, recordId } = {}) {
    return call(this._n, 'subTable.upsert', { tableId: this.tableId, rows: records(rows, 'rows'), moduleName, recordId })
  }
  /** One page of the record's rows. */
  list({ moduleName, recordId, page = 1, pageSize = 1000 } = {}) {
    return call(this._n, 'subTable.list', { tableId: this.tableId, moduleName, recordId, page, pageSize })
  }
  pages({ moduleName, recordId, pageSize = 1000 } = {}) {
    return pages(this._n, 'subTable.iter', { tableId: this.tableId, moduleName, recordId, pageSize })
  }
  async *iter(opts) {
    for await (const p of this.pages(opts)) yield* p.rows
  }
  /** Deletes rows by `recordNumber`; resolves to `{ deletedCount }`. */
  delete(recordNumbers, { moduleName, recordId } = {}) {
    return call(this._n, 'subTable.delete', { tableId: this.tableId, recordNumbers: list(recordNumbers, 'recordNumbers'), moduleName, recordId })
  }
}

class Hierarchy {
  constructor(n, name) {
    this._n = n
    this.name = name
  }
  list({ page = 1, pageSize = 1000 } = {}) {
    return call(this._n, 'hierarchy.list', { name: this.name, page, pageSize })
  }
  pages({ pageSize = 1000 } = {}) {
    return pages(this._n, 'hierarchy.iter', { name: this.name, pageSize })
  }
  async *iter(opts) {
    for await (const p of this.pages(opts)) yield* p.rows
  }
  /** Creates rows (1000 per request, in order: a row may name a parent created before it). */
  create(rows) {
    return call(this._n, 'hierarchy.create', { name: this.name, rows: records(rows, 'rows') })
  }
  /** Updates rows named by `sys_rowID`; a new `sys_parentRowID` moves the row. */
  update(rows) {
    return call(this._n, 'hierarchy.update', { name: this.name, rows: records(rows, 'rows') })
  }
}

function workflowArgs(module, o = {}) {
  const a = { module, filter: filterArg(o.filter) }
  for (const k of ['page', 'pageSize', 'recordNumber', 'status', 'responsibleUser', 'responsibleGroup']) if (o[k] !== undefined && o[k] !== null) a[k] = o[k]
  return a
}

class Workflow {
  constructor(n, module) {
    this._n = n
    this.module = module
  }
  act(recordIds, { action, userName, spaceName } = {}) {
    return call(this._n, 'workflow.act', { module: this.module, recordIds: Array.from(recordIds), action, userName, spaceName: spaceName ?? null })
  }
  /** One page of the v2 workflow list (the client must be scoped to a project). */
  list(opts) {
    return call(this._n, 'workflow.list', workflowArgs(this.module, opts))
  }
  pages(opts) {
    return pages(this._n, 'workflow.iter', workflowArgs(this.module, opts))
  }
  async *iter(opts) {
    for await (const p of this.pages(opts)) yield* p.rows
  }
  /** The step history of one record. */
  history(recordNumber) {
    return call(this._n, 'workflow.history', { module: this.module, recordNumber })
  }
  /** A v2 action: `step` is 'create', 'submit', 'return', 'reopen' or 'revision'. */
  transition(step, recordId, { userName, actionName, spaceName, assignee, comment } = {}) {
    const a = { module: this.module, step, recordId, userName, actionName: actionName ?? null, spaceName: spaceName ?? null }
    if (assignee) a.assignee = { users: list(assignee.users ?? [], 'assignee.users'), groups: list(assignee.groups ?? [], 'assignee.groups') }
    if (comment !== undefined && comment !== null) a.comment = typeof comment === 'string' ? { text: comment, isPrivate: false } : comment
    return call(this._n, 'workflow.transition', a)
  }
}

class Users {
  constructor(n) {
    this._n = n
  }
  grantAccess(userName, { projects = [], groups = [], profile = {} } = {}) {
    const user = { ...profile, userName }
    const ps = Array.from(projects, (p) =>
      typeof p === 'string' ? { projectId: p, groups: [], spaces: [] } : { projectId: p.projectId ?? p.projectID, groups: p.groups ?? [], spaces: p.spaces ?? [] },
    )
    return call(this._n, 'users.grantAccess', { grant: { user, projects: ps, groups: Array.from(groups) } })
  }
  list({ page = 1, pageSize = 1000 } = {}) {
    return call(this._n, 'users.list', { page, pageSize })
  }
  async *iter({ pageSize = 1000 } = {}) {
    for await (const p of pages(this._n, 'users.iter', { pageSize })) yield* p.rows
  }
  get(username) {
    return call(this._n, 'users.get', { username })
  }
  groups({ onlyProjectGroups = false } = {}) {
    return call(this._n, 'users.groups', { onlyProjectGroups })
  }
  activate(usernames) {
    return call(this._n, 'users.activate', { usernames: Array.from(usernames) })
  }
  deactivate(usernames) {
    return call(this._n, 'users.deactivate', { usernames: Array.from(usernames) })
  }
  removeAccess(username, projects, groups = []) {
    return call(this._n, 'users.removeAccess', { username, projects: Array.from(projects), groups: Array.from(groups) })
  }
  removeProjectAccess(username, projectIds) {
    return call(this._n, 'users.removeProjectAccess', { username, projectIds: Array.from(projectIds) })
  }
}

class Health {
  constructor(n) {
    this._n = n
  }
  liveness() {
    return call(this._n, 'health.liveness')
  }
  readiness() {
    return call(this._n, 'health.readiness')
  }
}

class Client {
  /**
   * @param {object} [options] token, baseUrl, projectId, tenantId, timeoutMs, maxRetries,
   *   rateLimit (requests/s; 0/false for none), retryWrites — unset ones from EXTO360_* env vars.
   */
  constructor(options = {}, nativeClient = undefined) {
    if (nativeClient) {
      this._n = nativeClient
    } else {
      try {
        this._n = new native.NativeClient(JSON.stringify(config(options)))
      } catch (e) {
        throw fromNative(e)
      }
    }
    this.users = new Users(this._n)
    this.health = new Health(this._n)
    this.documents = new Documents(this._n)
    this.workspaces = new Workspaces(this._n)
    this.jobs = new Jobs(this._n)
  }
  /** A copy scoped to another project (`null`: tenant scope). */
  withProject(projectId) {
    try {
      return new Client({}, this._n.withProject(projectId ?? null))
    } catch (e) {
      throw fromNative(e)
    }
  }
  masters(name) {
    return new Masters(this._n, name)
  }
  modules(name) {
    return new Modules(this._n, name)
  }
  subTable(tableId) {
    return new SubTable(this._n, tableId)
  }
  workflow(module) {
    return new Workflow(this._n, module)
  }
  /** Rows of the hierarchy master `name`. */
  hierarchy(name) {
    return new Hierarchy(this._n, name)
  }
  /** The server build's metadata: `{ name, version, branch, commit, date }`. */
  buildInfo() {
    return call(this._n, 'build.info')
  }
  /** Base URL and scope; never the token. */
  toJSON() {
    return JSON.parse(this._n.describe())
  }
  toString() {
    const d = this.toJSON()
    return `Client(${d.baseUrl}${d.projectId ? `, project ${d.projectId}` : ''})`
  }
  [INSPECT]() {
    return this.toString()
  }
}

// The error classes are exported; the native-error mapping stays internal.
const { fromNative: _internal, ...errorClasses } = errors
module.exports = { Client, Filter, Field, JobRun, ...errorClasses, version }
