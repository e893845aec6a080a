'use strict'
// Documents (upload and download files), workspaces and job status (REFERENCE.md §6A). The core
// streams uploads (100 files per request, a per-file report) and writes downloads to a temporary
// file renamed only when complete; this file only shapes arguments for JavaScript.

const { Readable } = require('node:stream')
const native = require('./native.js')
const errors = require('./errors.js')
const { call } = require('./call.js')

const { fromNative } = errors

function opt(args, extra) {
  for (const [k, v] of Object.entries(extra)) if (v !== undefined && v !== null) args[k] = v
  return args
}

function invalid(msg) {
  return new errors.InvalidInputError(msg, { code: 'invalid_input' })
}

const isReadable = (x) => x !== null && typeof x === 'object' && typeof x.pipe === 'function' && typeof x[Symbol.asyncIterator] === 'function'

/** Copies a Readable into a native sink, a chunk at a time, waiting for the upload to take each. */
async function pump(stream, sink) {
  try {
    for await (const chunk of stream) {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk
      if (!(await sink.write(buf))) break // the upload stopped: stop reading
    }
    sink.end()
  } catch (e) {
    sink.fail(`reading the stream failed: ${e && e.message ? e.message : e}`)
  }
}

/**
 * One file of an upload: a path (string), a Buffer, a Readable, or `{ name?, contentType?,
 * path | data | stream, size? }` (a Buffer or Readable needs a name).
 */
function addFile(up, f, i, pumps) {
  let spec = f
  if (typeof f === 'string') spec = { path: f }
  else if (Buffer.isBuffer(f) || f instanceof Uint8Array) spec = { data: f }
  else if (isReadable(f)) spec = { stream: f, name: typeof f.path === 'string' ? require('node:path').basename(f.path) : undefined }
  if (spec === null || typeof spec !== 'object') throw invalid(`files[${i}] must be a path, a Buffer, a Readable or {name, path|data|stream}`)
  const { name, contentType } = spec
  if (typeof spec.path === 'string') return up.addPath(spec.path, name ?? null, contentType ?? null)
  if (!name) throw invalid(`files[${i}] needs a name (give {name, data} or {name, stream})`)
  if (spec.data !== undefined) return up.addBuffer(name, Buffer.from(spec.data.buffer ?? spec.data, spec.data.byteOffset ?? 0, spec.data.byteLength), contentType ?? null)
  if (isReadable(spec.stream)) {
    const sink = up.addStream(name, spec.size ?? null, contentType ?? null)
    pumps.push(() => pump(spec.stream, sink))
    return
  }
  throw invalid(`files[${i}] has none of path, data (a Buffer) or stream (a Readable)`)
}

/** A download as a Readable of Buffers (also an async iterator); `fileName`, `contentType`,
 * `contentLength` from the answer. Errors (a broken-off answer) are emitted as 'error'. */
function toReadable(d) {
  const info = JSON.parse(d.info)
  const stream = Readable.from((async function* () {
    try {
      for (;;) {
        let chunk
        try {
          chunk = await d.next()
        } catch (e) {
          throw fromNative(e)
        }
        if (chunk === null) return
        yield chunk
      }
    } finally {
      d.close()
    }
  })(), { objectMode: false })
  return Object.assign(stream, info)
}

class Documents {
  constructor(n) {
    this._n = n
  }
  /**
   * Uploads any number of files (100 per request), streamed. Resolves to the report
   * `{uploadedCount, failedCount, unknownCount, files}` when every file was uploaded; otherwise
   * rejects (a BulkWriteError when some were stored) with `err.upload`, the per-file report.
   */
  async upload(files, { module, recordId, meta, linkedRefId, groupId, folderId, parentId, scope } = {}) {
    if (typeof files === 'string' || files === null || typeof files !== 'object' || typeof files[Symbol.iterator] !== 'function' || Buffer.isBuffer(files)) {
      throw invalid('files must be an array (wrap a single file in an array)')
    }
    const up = new native.NativeUpload()
    const pumps = []
    Array.from(files).forEach((f, i) => addFile(up, f, i, pumps))
    const args = opt({}, { module, recordId, meta, linkedRefId, groupId, folderId, parentId, scope })
    const sent = up.start(this._n, JSON.stringify(args))
    const pumping = pumps.map((p) => p())
    try {
      return JSON.parse(await sent)
    } catch (e) {
      throw fromNative(e)
    } finally {
      await Promise.all(pumping)
    }
  }
  /** Writes document `id` to `path` (appears only when complete; a failure leaves nothing). */
  async download(id, path, { version } = {}) {
    return call(this._n, 'documents.download', opt({ id, path }, { version }))
  }
  /** Writes the zip of every attachment of record `recordId` (of `module`) to `path`. */
  async downloadAll(recordId, path, { module } = {}) {
    return call(this._n, 'documents.downloadAll', { recordId, module, path })
  }
  /** Document `id` as a Readable of Buffers. */
  async stream(id, { version } = {}) {
    return toReadable(await open(this._n, id, version ?? null, false))
  }
  /** The zip of `downloadAll` as a Readable. */
  async streamAll(recordId, { module } = {}) {
    return toReadable(await open(this._n, recordId, module ?? null, true))
  }
}

async function open(n, id, second, all) {
  try {
    return await n.openDownload(id, second, all)
  } catch (e) {
    throw fromNative(e)
  }
}

class Workspaces {
  constructor(n) {
    this._n = n
  }
  create(name, { parentId } = {}) {
    return call(this._n, 'workspaces.create', opt({ name }, { parentId }))
  }
  /** One page `{rows, total: null, page, pageSize, totalPages: null}` (the API answers a bare array). */
  list({ page = 1, pageSize = 25, filter, sort } = {}) {
    return call(this._n, 'workspaces.list', opt({ page, pageSize }, { filter, sort }))
  }
  get(id) {
    return call(this._n, 'workspaces.get', { id })
  }
  update(id, { name, parentId } = {}) {
    return call(this._n, 'workspaces.update', opt({ id, name }, { parentId }))
  }
}

/** A job being reported by `client.jobs.run`. */
class JobRun {
  constructor(n, id) {
    this._n = n
    this.id = id
  }
  /** Appends a log line. */
  async log(message, { level } = {}) {
    await call(this._n, 'jobs.log', opt({ id: this.id, message }, { level }))
  }
}

class Jobs {
  constructor(n) {
    this._n = n
  }
  /** Creates a job (the project is the client's); resolves to its id. `fields`: more job fields (API names). */
  async create(title, type, { status, createdBy, meta, ...fields } = {}) {
    const job = opt({ ...fields, jobTitle: title, jobType: type }, { status, createdBy, meta })
    return (await call(this._n, 'jobs.create', { job })).id
  }
  /** Creates a job In Progress; resolves to its id (end it with update() or fail(); run() does both). */
  async start(title, type) {
    return (await call(this._n, 'jobs.start', { title, type })).id
  }
  list({ projectId, page = 1, pageSize = 50 } = {}) {
    return call(this._n, 'jobs.list', opt({ page, pageSize }, { projectId }))
  }
  async update(id, { status, duration, completedAt } = {}) {
    await call(this._n, 'jobs.update', opt({ id, status }, { duration, completedAt }))
  }
  async log(id, message, { level, duration, timeStamp } = {}) {
    await call(this._n, 'jobs.log', opt({ id, message }, { level, duration, timeStamp }))
  }
  /** Logs `message` at level error and sets the job Failed. */
  async fail(id, message) {
    await call(this._n, 'jobs.fail', opt({ id }, { message }))
  }
  /**
   * Reports `fn` as a job: creates it In Progress, runs `await fn(job)`, then sets Completed
   * (with the duration) and resolves to fn's result; if fn throws, logs the error at level
   * error, sets Failed and rethrows the error.
   */
  async run(title, type, fn) {
    if (typeof fn !== 'function') throw invalid('jobs.run needs a function: run(title, type, async job => {...})')
    const id = await this.start(title, type)
    const job = new JobRun(this._n, id)
    const started = Date.now()
    let result
    try {
      result = await fn(job)
    } catch (err) {
      const line = err instanceof Error ? `${err.name}: ${err.message}` : String(err)
      try {
        await this.fail(id, line)
      } catch (failErr) {
        // The caller's error matters more; say why the job may still show In Progress.
        if (err instanceof Error && err.jobStatusError === undefined) err.jobStatusError = failErr
      }
      throw err
    }
    await this.update(id, { status: 'Completed', duration: Date.now() - started })
    return result
  }
}

module.exports = { Documents, Workspaces, Jobs, JobRun }
