'use strict'
// Error classes of exto360. Every error is an Exto360Error with a stable `code`; API answers
// are ApiError subclasses chosen by status; a bulk write that failed after writing part of
// its input is a BulkWriteError saying which items were written. The token is never in them.

class Exto360Error extends Error {
  constructor(message, { code = 'error', retries = 0, bulk = null, upload = null } = {}) {
    super(message)
    this.name = new.target.name
    this.code = code
    this.retries = retries
    this.bulk = bulk
    /** For a document upload that did not upload every file: `{uploadedCount, failedCount,
     * unknownCount, files: [{index, fileName, state, document, message}]}`; else null. */
    this.upload = upload
  }
}

class ApiError extends Exto360Error {
  constructor(message, info = {}) {
    super(message, info)
    this.status = info.status ?? null
    this.summary = info.summary ?? null
    this.details = info.details ?? []
    this.path = info.path ?? null
    this.requestId = info.requestId ?? null
    this.timestamp = info.timestamp ?? null
    this.retryAfter = info.retryAfter ?? null
  }
}

class BadRequestError extends ApiError {}
class AuthenticationError extends ApiError {}
class PermissionDeniedError extends ApiError {}
class NotFoundError extends ApiError {}
class RateLimitError extends ApiError {}
class ServerError extends ApiError {}
class InvalidResponseError extends ApiError {}
class ConnectionError extends Exto360Error {}
class TimeoutError extends ConnectionError {}
class InvalidInputError extends Exto360Error {}

/** Which input items of a failed bulk write were written, not written, or may have been. */
class BulkReport {
  constructor({ total, written, notWritten, unknown, insertedIds }) {
    this.total = total
    /** Ids the server inserted for the written items (upserts and sub-table writes). */
    this.insertedIds = insertedIds ?? []
    this.writtenRanges = written
    this.notWrittenRanges = notWritten
    this.unknownRanges = unknown
  }
  static #expand(ranges) {
    const out = []
    for (const [s, e] of ranges) for (let i = s; i < e; i++) out.push(i)
    return out
  }
  get written() { return BulkReport.#expand(this.writtenRanges) }
  get notWritten() { return BulkReport.#expand(this.notWrittenRanges) }
  get unknown() { return BulkReport.#expand(this.unknownRanges) }
}

class BulkWriteError extends Exto360Error {
  constructor(message, { cause, bulk, retries, upload = null }) {
    super(message, { code: 'bulk_write', retries, bulk, upload })
    this.cause = cause
  }
  get written() { return this.bulk.written }
  get notWritten() { return this.bulk.notWritten }
  get unknown() { return this.bulk.unknown }
}

const BY_KIND = {
  bad_request: BadRequestError,
  unauthorized: AuthenticationError,
  forbidden: PermissionDeniedError,
  not_found: NotFoundError,
  rate_limited: RateLimitError,
  server: ServerError,
  invalid_response: InvalidResponseError,
}

const PREFIX = 'exto360:'
const sum = (ranges) => ranges.reduce((n, [s, e]) => n + e - s, 0)

/** The one mapping from a native error to an error class. */
function fromNative(err) {
  if (!(err instanceof Error) || !err.message.startsWith(PREFIX)) return err
  let info
  try {
    info = JSON.parse(err.message.slice(PREFIX.length))
  } catch {
    return err
  }
  const bulk = info.bulk ? new BulkReport(info.bulk) : null
  const opts = { ...info, code: info.kind, bulk, upload: info.upload ?? null }
  let e
  if (BY_KIND[info.kind]) e = new BY_KIND[info.kind](info.message, opts)
  else if (info.kind === 'timeout') e = new TimeoutError(info.message, opts)
  else if (info.kind === 'connection') e = new ConnectionError(info.message, opts)
  else if (info.kind === 'invalid_input') e = new InvalidInputError(info.message, opts)
  else e = new Exto360Error(info.message, opts)
  if (bulk && (bulk.writtenRanges.length || bulk.unknownRanges.length)) {
    const msg = `${info.message} [bulk: ${sum(bulk.writtenRanges)} of ${bulk.total} written, ${sum(bulk.notWrittenRanges)} not written, ${sum(bulk.unknownRanges)} unknown]`
    return new BulkWriteError(msg, { cause: e, bulk, retries: info.retries, upload: opts.upload })
  }
  return e
}

module.exports = {
  Exto360Error, ApiError, BadRequestError, AuthenticationError, PermissionDeniedError, NotFoundError,
  RateLimitError, ServerError, InvalidResponseError, ConnectionError, TimeoutError, InvalidInputError,
  BulkWriteError, BulkReport, fromNative,
}
