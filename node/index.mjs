// ESM entry: the same objects as the CommonJS one.
import cjs from './index.js'
export const {
  Client, Filter, Field, JobRun, Exto360Error, ApiError, BadRequestError, AuthenticationError, PermissionDeniedError,
  NotFoundError, RateLimitError, ServerError, InvalidResponseError, ConnectionError, TimeoutError,
  InvalidInputError, BulkWriteError, BulkReport, version,
} = cjs
export default cjs
