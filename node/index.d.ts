/**
 * exto360 — the Exto360 Data API from Node.js.
 *
 * Every call runs in the package's Rust core, off the JavaScript thread: it keeps to the API's
 * 3 requests/second, retries what is safe to retry, pages with bounded memory, and writes any
 * number of records in requests the API accepts.
 *
 * @example
 * import { Client, Filter } from 'exto360'
 * const client = new Client() // EXTO360_TOKEN, EXTO360_PROJECT_ID, ... from the environment
 * const page = await client.masters('LOCATION').list({ filter: Filter.field('serial_number').number().gt(1000) })
 * for await (const record of client.masters('LOCATION').iter()) console.log(record._id)
 */

/** Client options. Unset ones fall back to `EXTO360_*` environment variables, then defaults. */
export interface ClientOptions {
  /** Personal access token. Env `EXTO360_TOKEN`. Required. */
  token?: string
  /** Base URL with the `/data` prefix. Default `https://platform.exto360.com/data`. Env `EXTO360_BASE_URL`. */
  baseUrl?: string
  /** Project scope (`X-Project-Id`). Default: none (tenant scope). Env `EXTO360_PROJECT_ID`. */
  projectId?: string
  /** Tenant (`x-tenant-id`), for tokens that reach several tenants. Env `EXTO360_TENANT_ID`. */
  tenantId?: string
  /** Workspace scope (`x-workspace-id`). Env `EXTO360_WORKSPACE_ID`. */
  workspaceId?: string
  /** Timeout of one attempt, in ms. Default 60000; more than 0, at most one day. Env `EXTO360_TIMEOUT` (seconds). */
  timeoutMs?: number
  /** Retries after the first attempt. Default 3, at most 100; wait before retry n = min(maxBackoffMs, initialBackoffMs × 2^(n−1)) × (1 + U[0,1)), or Retry-After if longer. Env `EXTO360_MAX_RETRIES`. */
  maxRetries?: number
  /** First backoff step, in ms. Default 500, at most one hour. */
  initialBackoffMs?: number
  /** Largest backoff step before jitter, in ms. Default 8000, at most one hour. */
  maxBackoffMs?: number
  /** Requests per second shared by every call of this client, 0.001 to 10000; `0`/`false`/`null` for none. Default 3. Env `EXTO360_RATE_LIMIT`. */
  rateLimit?: number | false | null
  /** Also retry POST writes after a 5xx or a lost answer (they may have happened). Default false. */
  retryWrites?: boolean
  /**
   * Share the rate limit with every process and machine using this token, through Redis:
   * `redis://[:password@]host[:port][/db]` or `rediss://`. Default: none (per client). Env
   * `EXTO360_RATE_LIMIT_STORE`. The Redis key is a hash of token and base URL, never the token.
   */
  rateLimitStore?: string
  /** Keeps budgets apart on one Redis (letters, digits, `-_.`). Env `EXTO360_RATE_LIMIT_NAMESPACE`. */
  rateLimitNamespace?: string
  /** When Redis is unreachable: `'local'` (default: continue at rateLimit / rateLimitWorkers, with a warning) or `'fail'` (ConnectionError, nothing sent). Env `EXTO360_RATE_LIMIT_FALLBACK`. */
  rateLimitFallback?: 'local' | 'fail'
  /** Workers sharing the token, for the local fallback's rate. Default 1. Env `EXTO360_RATE_LIMIT_WORKERS`. */
  rateLimitWorkers?: number
}

/** A record as the API sends it. */
export interface ExtoRecord {
  _id: string
  id?: string
  customFields: Record<string, unknown>
  refId?: string
  slug?: string
  recordNumber?: string
  status?: string
  tenantID?: string
  projectID?: string | null
  createdBy?: string
  createdAt?: string
  updatedBy?: string
  updatedAt?: string
  isDeleted?: boolean
  [key: string]: unknown
}

/** One page. `total`/`totalPages` are null when the server answered a bare array. */
export interface Page<T> {
  rows: T[]
  total: number | null
  page: number
  pageSize: number
  totalPages: number | null
}

export interface ListOptions {
  /** 1-based page (for `iter`/`pages`, the first page). Default 1. */
  page?: number
  /** Rows per page, 1..1000. Default 1000. */
  pageSize?: number
  /** Field to sort by; `-field` sorts descending. */
  sort?: string
  /** Only records in this workflow status. */
  status?: string
  /** A `Filter`, or a raw filter string in the API's grammar. */
  filter?: Filter | string | null
  /** IANA time zone; required when the filter compares dates. */
  localTimeZone?: string
}

/** What an upsert did over every request it took; `insertedIds` lists new documents only. */
export interface UpsertResult {
  insertedIds: string[]
  insertedCount: number
  updatedCount: number
}

export interface WorkflowResult {
  workflowId: string
  recordId: string
}

export interface ProjectAccess {
  projectID: string
  groups: string[]
  spaces: string[]
}

export interface UserAccess {
  user: { userName: string; firstName?: string; lastName?: string; fullName?: string; email?: string; status?: number; [key: string]: unknown }
  groups: string[]
  projects: ProjectAccess[]
}

export interface Groups {
  projects: ProjectAccess[]
  groups: string[]
}

/** The summed database result of activate/deactivate. */
export interface BulkWriteResult {
  ok: number
  nMatched: number
  nModified: number
  [key: string]: unknown
}

/** How records are named in updates and deletes. The two editions of the docs disagree (`refId` on the [V] masters page, `recordNumber` in its reference), so you say which. */
export type RecordKey = 'refId' | 'recordNumber'

/** What a delete did: how many identifiers the API accepted (it does not say how many records matched). */
export interface DeleteResult {
  deletedCount: number
}

/** A module record with every row of its sub-tables. */
export interface ExpandedRecord extends ExtoRecord {
  subTableData: Record<string, { total: number | null; rows: Array<Record<string, unknown>> }>
}

export interface ExpandOptions {
  /** Only these records (`_id`s); any number, sent 100 per request. */
  recordIds?: Iterable<string>
  /** The records page to start from. Default 1. */
  page?: number
  /** Records per request, 1..100. Default 50. */
  pageSize?: number
  /** Sparse fieldset of the records: `['recordNumber']` keeps it (and `_id`), `['-customFields']` drops it. */
  fields?: Iterable<string>
  /** Sparse fieldset of every sub-table row. */
  subTableFields?: Iterable<string>
  /** Rows per sub-table page, 1..100. Default 100. */
  subTablePageSize?: number
  /** A Mongo-style filter merged into the record match, e.g. `{ projectID: 'WBls47_' }`. */
  query?: Record<string, unknown>
}

export interface WorkflowListOptions {
  page?: number
  /** Rows per page, 1..100. Default 100. */
  pageSize?: number
  recordNumber?: string
  status?: string
  responsibleUser?: string
  responsibleGroup?: string
  /** A `Filter` (sent with each AND-group in parentheses, the v2 DSL) or a raw string such as `(a:eq:1:or:b:eq:2)`. */
  filter?: Filter | string | null
}

/** The v2 workflow actions. */
export type WorkflowStep = 'create' | 'submit' | 'return' | 'reopen' | 'revision'

export interface TransitionOptions {
  /** Acting user, an active user of the tenant. */
  userName: string
  /** Required except for `revision`. */
  actionName?: string | null
  /** Required when the client is scoped to a project. */
  spaceName?: string | null
  /** Users and groups to make responsible (not for `revision`). */
  assignee?: { users?: Iterable<string>; groups?: Iterable<string> }
  /** A comment, as text or `{ text, isPrivate }`. */
  comment?: string | { text: string; isPrivate?: boolean }
}

declare class Records {
  readonly name: string
  /** One page (default page 1 of 1000 rows). */
  list(options?: ListOptions): Promise<Page<ExtoRecord>>
  /** Every page from `options.page` on, fetched one ahead in the background. */
  pages(options?: ListOptions): AsyncGenerator<Page<ExtoRecord>, void, undefined>
  /** Every record, page after page, with bounded memory. */
  iter(options?: ListOptions): AsyncGenerator<ExtoRecord, void, undefined>
  /**
   * Every record as Arrow columns: the bytes of an Arrow IPC stream, which `tableFromIPC` of the
   * `apache-arrow` package reads. Pages are read into columns in the Rust core as they arrive (no
   * object per record): record attributes typed (`createdAt`/`updatedAt` UTC timestamps, ...),
   * one column per custom field (`customFields.<name>` where the name is also an attribute's),
   * types inferred and widened across pages (int → float → string; a field that is sometimes a
   * list holds each value's JSON text). Integers are `Int64` (read as `BigInt`).
   *
   * @example
   * import { tableFromIPC } from 'apache-arrow'
   * const table = tableFromIPC(await client.masters('LOCATION').toArrow({ filter: 'active:eq:true' }))
   * console.log(table.numRows, table.getChild('code')?.toArray())
   */
  toArrow(options?: ListOptions): Promise<Buffer>
}

/** `client.masters(name)`. */
export declare class Masters extends Records {
  /** Inserts or updates any number of records (flat `{field: value}` objects), 1000 per request. A record with a unique field updates its match. Rejects with `BulkWriteError` when part was written before a failure. */
  upsert(records: Iterable<Record<string, unknown>>): Promise<UpsertResult>
  /** Updates records (1000 per request): each object names its record by `key` and carries the fields to change; `_id` is refused. Retried like a read. `updatedCount` says how many were found. */
  update(records: Iterable<Record<string, unknown>>, options: { key: RecordKey }): Promise<UpsertResult>
  /** Deletes records named by `key`, acting as `userName`. A user without the permission rejects with `PermissionDeniedError` (the API answers 200 with `success: false`). A retry that finds nothing left to delete counts as deleted. */
  delete(ids: Iterable<string>, options: { key: RecordKey; userName: string }): Promise<DeleteResult>
}

/** `client.modules(name)`. */
export declare class Modules extends Records {
  /** Like `Masters.upsert`, acting as `userName` (an active user). */
  upsert(records: Iterable<Record<string, unknown>>, options: { userName: string }): Promise<UpsertResult>
  /** Like `Masters.update`, acting as `userName`. */
  update(records: Iterable<Record<string, unknown>>, options: { key: RecordKey; userName: string }): Promise<UpsertResult>
  /** Like `Masters.delete` (the API answers 404 when no record matches). */
  delete(ids: Iterable<string>, options: { key: RecordKey; userName: string }): Promise<DeleteResult>
  /** Every matching record with all its sub-table rows, one at a time: rows are read page by page before a record is yielded, records one page ahead. */
  expand(options?: ExpandOptions): AsyncGenerator<ExpandedRecord, void, undefined>
}

/** `client.subTable(tableId)`. */
export declare class SubTable {
  readonly tableId: string
  /** Writes rows under the module record `recordId` (its `_id`) of `moduleName`. */
  upsert(rows: Iterable<Record<string, unknown>>, options: { moduleName: string; recordId: string }): Promise<UpsertResult>
  /** One page of the record's rows (each with its `recordNumber`). */
  list(options: { moduleName: string; recordId: string; page?: number; pageSize?: number }): Promise<Page<Record<string, unknown>>>
  pages(options: { moduleName: string; recordId: string; pageSize?: number }): AsyncGenerator<Page<Record<string, unknown>>, void, undefined>
  iter(options: { moduleName: string; recordId: string; pageSize?: number }): AsyncGenerator<Record<string, unknown>, void, undefined>
  /** Deletes rows by `recordNumber`, 1000 per request; rows already gone are skipped. */
  delete(recordNumbers: Iterable<string>, options: { moduleName: string; recordId: string }): Promise<DeleteResult>
}

/** `client.hierarchy(name)`: rows with `sys_rowID`, `sys_parentRowID` and `sys_path`. There is no delete. */
export declare class Hierarchy {
  readonly name: string
  list(options?: { page?: number; pageSize?: number }): Promise<Page<ExtoRecord>>
  pages(options?: { pageSize?: number }): AsyncGenerator<Page<ExtoRecord>, void, undefined>
  iter(options?: { pageSize?: number }): AsyncGenerator<ExtoRecord, void, undefined>
  /** Creates rows, 1000 per request, one request after another (a row may name a parent created before it). Not retried after a lost answer unless `retryWrites`. */
  create(rows: Iterable<Record<string, unknown>>): Promise<UpsertResult>
  /** Updates rows named by `sys_rowID`; a new `sys_parentRowID` moves the row. */
  update(rows: Iterable<Record<string, unknown>>): Promise<UpsertResult>
}

/** `client.workflow(module)`. */
export declare class Workflow {
  readonly module: string
  /** Applies `action` to records, 100 per request, in order. Not retried after a 5xx or lost answer unless `retryWrites`. `spaceName` is required in a project scope. */
  act(recordIds: Iterable<string>, options: { action: string; userName: string; spaceName?: string | null }): Promise<WorkflowResult[]>
  /** One page of the v2 workflow list (the client must be scoped to a project). */
  list(options?: WorkflowListOptions): Promise<Page<Record<string, unknown>>>
  pages(options?: WorkflowListOptions): AsyncGenerator<Page<Record<string, unknown>>, void, undefined>
  iter(options?: WorkflowListOptions): AsyncGenerator<Record<string, unknown>, void, undefined>
  /** The step history of one record, as the API answers it. */
  history(recordNumber: string): Promise<Record<string, unknown>>
  /** A v2 action on one record (its `_id` or `recordNumber`). Not retried after a 5xx unless `retryWrites`. */
  transition(step: WorkflowStep, recordId: string, options: TransitionOptions): Promise<Record<string, unknown>>
}

/** `client.users`. */
export declare class Users {
  /** Grants access to projects (ids or `{projectId, groups, spaces}`) and tenant groups; creates the user from `profile` (API names) when new. */
  grantAccess(userName: string, options?: { projects?: Iterable<string | { projectId: string; groups?: string[]; spaces?: string[] }>; groups?: Iterable<string>; profile?: Record<string, unknown> }): Promise<UpsertResult>
  list(options?: { page?: number; pageSize?: number }): Promise<Page<UserAccess>>
  iter(options?: { pageSize?: number }): AsyncGenerator<UserAccess, void, undefined>
  get(username: string): Promise<UserAccess>
  groups(options?: { onlyProjectGroups?: boolean }): Promise<Groups>
  /** Activates any number of users (1000 per request). */
  activate(usernames: Iterable<string>): Promise<BulkWriteResult>
  /** Deactivates any number of users; their access is kept. */
  deactivate(usernames: Iterable<string>): Promise<BulkWriteResult>
  /** Removes the user from projects and groups (at most 100 each). */
  removeAccess(username: string, projects: Iterable<string>, groups?: Iterable<string>): Promise<{ status?: string }>
  /** Removes the user from projects (at most 100). */
  removeProjectAccess(username: string, projectIds: Iterable<string>): Promise<{ status?: string }>
}

/** `client.health`. */
export declare class Health {
  liveness(): Promise<{ ok: boolean; cpuPercent?: number; memPercent?: number }>
  readiness(): Promise<{ ok: boolean }>
}

/** A stored document as the upload answers it. */
export interface UploadedDocument {
  documentId: string
  locationPath?: string | null
  fileName?: string | null
  fileSize?: number | null
  meta?: Record<string, unknown> | null
  [key: string]: unknown
}
/** One file of an upload, in input order. */
export interface FileReport {
  index: number
  fileName: string
  /** `uploaded`; `failed` (not stored: `message` says why); `unknown` (its answer was lost). */
  state: 'uploaded' | 'failed' | 'unknown'
  document: UploadedDocument | null
  message: string | null
}
export interface UploadReport {
  uploadedCount: number
  failedCount: number
  unknownCount: number
  files: FileReport[]
}
/**
 * One file to upload: a path, a Buffer/Uint8Array (needs a name: use the object form), a
 * Readable (a `fs.ReadStream` is named after its path), or `{name, contentType, path | data | stream, size}`.
 */
export type UploadSource =
  | string
  | NodeJS.ReadableStream
  | { path: string; name?: string; contentType?: string }
  | { name: string; data: Uint8Array; contentType?: string }
  | { name: string; stream: NodeJS.ReadableStream; size?: number; contentType?: string }
export interface UploadOptions {
  module?: string
  /** The record the files attach to (with `module`). */
  recordId?: string
  meta?: Record<string, unknown>
  linkedRefId?: string
  groupId?: string
  folderId?: string
  /** Upload new versions of this document. */
  parentId?: string
  scope?: string[]
}
/** A download written to `path` (it appears only when complete). */
export interface DownloadedFile {
  path: string
  bytes: number
  fileName: string | null
  contentType: string | null
}
/** A download as a stream of Buffers; breaks off with an error if the answer does. */
export type DocumentStream = import('node:stream').Readable & { fileName: string | null; contentType: string | null; contentLength: number | null }

/** `client.documents`. */
export declare class Documents {
  /**
   * Uploads any number of files (100 per request), streamed. Resolves when every file was
   * uploaded; otherwise rejects (a `BulkWriteError` when some were stored) with `err.upload`.
   */
  upload(files: Iterable<UploadSource>, options?: UploadOptions): Promise<UploadReport>
  /** Writes document `id` to `path` via a temporary file renamed when complete; a failure leaves nothing. */
  download(id: string, path: string, options?: { version?: string }): Promise<DownloadedFile>
  /** Writes the zip of every attachment of record `recordId` to `path`. */
  downloadAll(recordId: string, path: string, options: { module: string }): Promise<DownloadedFile>
  stream(id: string, options?: { version?: string }): Promise<DocumentStream>
  streamAll(recordId: string, options: { module: string }): Promise<DocumentStream>
}

export interface Workspace {
  id: string
  name: string
  parentId: string | null
  createdAt?: string
  updatedAt?: string
  [key: string]: unknown
}
/** `client.workspaces`. */
export declare class Workspaces {
  create(name: string, options?: { parentId?: string }): Promise<Workspace>
  /** One page (`pageSize` ≤ 1000); `total` and `totalPages` are null (the API answers a bare array). */
  list(options?: { page?: number; pageSize?: number; filter?: string; sort?: string }): Promise<Page<Workspace>>
  get(id: string): Promise<Workspace>
  update(id: string, options: { name: string; parentId?: string }): Promise<Workspace>
}

export type JobStatus = 'Not Started' | 'In Progress' | 'Completed' | 'Failed'
export type JobType = 'Summarize' | 'Spread' | 'Import' | 'Export' | 'Load' | 'Copy' | 'Scenario_Creation' | 'Schedule' | 'CX' | 'SSM' | 'ItemMasterIntegration' | 'CxStepDates' | 'Slotting Job'
/** A job being reported by `jobs.run`. */
export declare class JobRun {
  readonly id: string
  log(message: string, options?: { level?: string }): Promise<void>
}
/** `client.jobs`. */
export declare class Jobs {
  create(title: string, type: JobType, options?: { status?: JobStatus; createdBy?: string; meta?: Record<string, unknown>; [field: string]: unknown }): Promise<string>
  /** Creates a job In Progress; resolves to its id. */
  start(title: string, type: JobType): Promise<string>
  /** One page (`pageSize` ≤ 200) of `projectId`'s jobs (default: the client's project). */
  list(options?: { projectId?: string; page?: number; pageSize?: number }): Promise<Page<Record<string, unknown>>>
  update(id: string, options: { status: JobStatus; duration?: number; completedAt?: string }): Promise<void>
  log(id: string, message: string, options?: { level?: string; duration?: number; timeStamp?: string }): Promise<void>
  /** Logs `message` at level error and sets the job Failed. */
  fail(id: string, message?: string): Promise<void>
  /**
   * Runs `fn` as a job: created In Progress, Completed (with its duration) when `fn` resolves;
   * if it throws, the error is logged, the job set Failed and the error rethrown.
   */
  run<T>(title: string, type: JobType, fn: (job: JobRun) => Promise<T> | T): Promise<T>
}

/** The Exto360 Data API client. */
export declare class Client {
  constructor(options?: ClientOptions)
  readonly users: Users
  readonly health: Health
  /** Files attached to records (the client needs `tenantId` and `projectId`). */
  readonly documents: Documents
  readonly workspaces: Workspaces
  /** Job status and log lines; `run(title, type, async job => ...)` reports a function as a job. */
  readonly jobs: Jobs
  /** A copy scoped to another project (`null`: tenant scope), sharing connections and the rate limit. */
  withProject(projectId: string | null): Client
  masters(name: string): Masters
  modules(name: string): Modules
  subTable(tableId: string): SubTable
  workflow(module: string): Workflow
  /** Rows of the hierarchy master `name` (e.g. `ORG_UNIT`). */
  hierarchy(name: string): Hierarchy
  /** The server build's metadata. */
  buildInfo(): Promise<{ name?: string; version?: string; branch?: string; commit?: string; date?: string; [key: string]: unknown }>
  /** Base URL and scope; never the token. */
  toJSON(): { baseUrl: string; projectId: string | null; tenantId: string | null }
}

/** A filter expression; `and` binds tighter than `or`. */
export declare class Filter {
  static field(name: string): Field
  and(other: Filter): Filter
  or(other: Filter): Filter
  /** The filter in the API's grammar; throws `InvalidInputError` when it cannot be sent. */
  render(): string
  toString(): string
}

interface BlankChecks {
  /** `eq:null` */
  isBlank(): Filter
  /** `ne:null` */
  isNotBlank(): Filter
}
export interface NumberField extends BlankChecks {
  eq(v: number | string): Filter
  ne(v: number | string): Filter
  gt(v: number | string): Filter
  ge(v: number | string): Filter
  lt(v: number | string): Filter
  le(v: number | string): Filter
  isIn(values: Iterable<number | string>): Filter
}
export interface StringField extends BlankChecks {
  eq(v: string): Filter
  ne(v: string): Filter
  contains(v: string): Filter
  notContains(v: string): Filter
  startsWith(v: string): Filter
  endsWith(v: string): Filter
  isIn(values: Iterable<string>): Filter
}
export interface DateField extends BlankChecks {
  eq(v: string | Date): Filter
  ne(v: string | Date): Filter
  gt(v: string | Date): Filter
  ge(v: string | Date): Filter
  lt(v: string | Date): Filter
  le(v: string | Date): Filter
}
export interface PrimitiveField extends BlankChecks {
  eq(v: boolean | number | string): Filter
  ne(v: boolean | number | string): Filter
}
/** A field before its type is chosen; its own operators send no type token. */
export declare class Field implements BlankChecks {
  number(): NumberField
  string(): StringField
  date(): DateField
  primitive(): PrimitiveField
  eq(v: unknown): Filter
  ne(v: unknown): Filter
  gt(v: unknown): Filter
  ge(v: unknown): Filter
  lt(v: unknown): Filter
  le(v: unknown): Filter
  contains(v: string): Filter
  notContains(v: string): Filter
  startsWith(v: string): Filter
  endsWith(v: string): Filter
  isIn(values: Iterable<unknown>): Filter
  isBlank(): Filter
  isNotBlank(): Filter
}

export type ErrorCode = 'bad_request' | 'unauthorized' | 'forbidden' | 'not_found' | 'rate_limited' | 'server' | 'invalid_response' | 'connection' | 'timeout' | 'invalid_input' | 'bulk_write' | 'error'

/** Base of every exto360 error. `code` is stable; `retries` says how often the call was retried. */
export declare class Exto360Error extends Error {
  readonly code: ErrorCode
  readonly retries: number
  /** For failed bulk writes: which input items were written. */
  readonly bulk: BulkReport | null
  /** For a document upload that did not upload every file: each file's outcome. */
  readonly upload: UploadReport | null
}
/** The API answered an error status. */
export declare class ApiError extends Exto360Error {
  readonly status: number | null
  readonly summary: string | null
  readonly details: string[]
  readonly path: string | null
  readonly requestId: string | null
  readonly timestamp: string | null
  /** Seconds, from `Retry-After`. */
  readonly retryAfter: number | null
}
/** 400, 405, 413, 414, 422. */
export declare class BadRequestError extends ApiError {}
/** 401. */
export declare class AuthenticationError extends ApiError {}
/** 403. */
export declare class PermissionDeniedError extends ApiError {}
/** 404, or the 500 "Service Exception" for an unknown master or module. */
export declare class NotFoundError extends ApiError {}
/** 429 after every allowed retry. */
export declare class RateLimitError extends ApiError {}
/** 5xx. */
export declare class ServerError extends ApiError {}
/** An answer the client cannot read. */
export declare class InvalidResponseError extends ApiError {}
/** The connection failed or broke. */
export declare class ConnectionError extends Exto360Error {}
/** No answer within the timeout. */
export declare class TimeoutError extends ConnectionError {}
/** Refused before sending: the arguments cannot make a valid request. */
export declare class InvalidInputError extends Exto360Error {}
/** Which input items of a bulk write were written, not written, or may have been (0-based). */
export declare class BulkReport {
  readonly total: number
  /** Ids the server inserted for the written items (upserts and sub-table writes), in input order. */
  readonly insertedIds: string[]
  readonly written: number[]
  readonly notWritten: number[]
  readonly unknown: number[]
  readonly writtenRanges: Array<[number, number]>
  readonly notWrittenRanges: Array<[number, number]>
  readonly unknownRanges: Array<[number, number]>
}
/** A bulk write failed after part of it was (or may have been) written; `cause` is the typed error. */
export declare class BulkWriteError extends Exto360Error {
  readonly cause: Exto360Error
  readonly bulk: BulkReport
  readonly written: number[]
  readonly notWritten: number[]
  readonly unknown: number[]
}

/** The version of exto360 (e.g. "0.1.0"): one number for the Rust core and every package. */
export declare function version(): string
