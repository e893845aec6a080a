package com.exto360

import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.intOrNull
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import kotlinx.serialization.json.long
import java.time.Duration

/**
 * Every error of the SDK. [code] is the core's stable kind (`not_found`, `rate_limited`, ...,
 * or `bulk_write`); API answers carry [status], [summary], [details] and [requestId]. The token
 * is never in an error. Unchecked: catch the subclass you can handle.
 *
 * A bulk write (upserts, workflow actions, activate/deactivate) that failed after some of its
 * items may have been written is a [BulkWrite], whose [report] says which were written, which
 * were not and which may have been; its [cause] is the error that stopped it.
 *
 * An upload that did not store every file (`documents.upload`) carries [upload], the per-file
 * report; it is a [BulkWrite] when some files were (or may have been) stored.
 */
sealed class Exto360Exception private constructor(
    message: String,
    /** The kind: `bad_request`, `unauthorized`, `forbidden`, `not_found`, `rate_limited`, `server`, `timeout`, `connection`, `invalid_response`, `invalid_input`, `internal`, or `bulk_write`. */
    val code: String,
    /** The HTTP status, when the server answered. */
    val status: Int?,
    /** The API's one-line summary (`"Not Found"`, ...). */
    val summary: String?,
    /** The API's detail lines. */
    val details: List<String>,
    /** The server's request id, when it sent one. */
    val requestId: String?,
    /** How many times the request was retried before this error. */
    val retries: Int,
    /** How long the server asked to wait (`Retry-After`), when it did. */
    val retryAfter: Duration?,
    /** For bulk writes: which input items were written, not written, or may have been. */
    val report: BulkReport?,
    /** For uploads: what became of each file (uploaded / failed with the server's message / unknown). */
    val upload: UploadReport?,
    cause: Throwable?,
) : RuntimeException(message, cause) {

    private constructor(i: Info) : this(i.message, i.code, i.status, i.summary, i.details, i.requestId, i.retries, i.retryAfter, i.report, i.upload, null)

    /** 400: the API refused the request as malformed. */
    class BadRequest internal constructor(i: Info) : Exto360Exception(i)
    /** 401: the token is missing, wrong or expired. */
    class Authentication internal constructor(i: Info) : Exto360Exception(i)
    /** 403: the token may not do this. */
    class PermissionDenied internal constructor(i: Info) : Exto360Exception(i)
    /** 404, or the API's 500 "not Found." for an unknown master/module/record. */
    class NotFound internal constructor(i: Info) : Exto360Exception(i)
    /** 429 after every retry. */
    class RateLimited internal constructor(i: Info) : Exto360Exception(i)
    /** 5xx after every retry. */
    class Server internal constructor(i: Info) : Exto360Exception(i)
    /** The request timed out (after every retry that was safe). */
    class Timeout internal constructor(i: Info) : Exto360Exception(i)
    /** The server could not be reached, or the connection broke. */
    class Connection internal constructor(i: Info) : Exto360Exception(i)
    /** The server's answer could not be understood. */
    class InvalidResponse internal constructor(i: Info) : Exto360Exception(i)
    /** The call was refused before anything was sent; [message] says what was wrong. */
    class InvalidInput internal constructor(i: Info) : Exto360Exception(i)
    /** A bug of the library (reported, not a crash). */
    class Internal internal constructor(i: Info) : Exto360Exception(i)

    /** A bulk write that wrote part of its input: see [written], [notWritten], [unknown]. */
    class BulkWrite internal constructor(cause: Exto360Exception, report: BulkReport) : Exto360Exception(
        "${cause.message} [bulk: ${report.writtenCount} of ${report.total} written, ${report.notWrittenCount} not written, ${report.unknownCount} unknown]",
        "bulk_write", cause.status, cause.summary, cause.details, cause.requestId, cause.retries, cause.retryAfter, report, cause.upload, cause,
    ) {
        /** The error that stopped the write. */
        override val cause: Exto360Exception get() = super.cause as Exto360Exception
        /** Indices of the input items that were written. */
        val written: List<Int> get() = report!!.written
        /** Indices of the items that were certainly not written: safe to send again. */
        val notWritten: List<Int> get() = report!!.notWritten
        /** Indices of the items that may have been written: check before sending again. */
        val unknown: List<Int> get() = report!!.unknown
        /** Ids the server inserted for the written items. */
        val insertedIds: List<String> get() = report!!.insertedIds
    }

    internal class Info(
        val message: String, val code: String, val status: Int? = null, val summary: String? = null, val details: List<String> = emptyList(),
        val requestId: String? = null, val retries: Int = 0, val retryAfter: Duration? = null, val report: BulkReport? = null,
        val upload: UploadReport? = null,
    )

    internal companion object {
        /** The one mapping from the core's error JSON (`exto360::json::error_json`) to a class. */
        fun fromJson(text: String): Exto360Exception {
            val o = JsonValues.parse(text).jsonObject
            fun str(k: String) = (o[k] as? JsonPrimitive)?.takeIf { it.isString }?.content
            val report = (o["bulk"] as? JsonObject)?.let(BulkReport::fromJson)
            val info = Info(
                message = str("message") ?: text, code = str("kind") ?: "internal", status = (o["status"] as? JsonPrimitive)?.intOrNull,
                summary = str("summary"), details = (o["details"] as? kotlinx.serialization.json.JsonArray)?.map { it.jsonPrimitive.content } ?: emptyList(),
                requestId = str("requestId"), retries = (o["retries"] as? JsonPrimitive)?.intOrNull ?: 0,
                retryAfter = (o["retryAfter"] as? JsonPrimitive)?.content?.toDoubleOrNull()?.let { Duration.ofNanos((it * 1e9).toLong()) }, report = report,
                upload = (o["upload"] as? JsonObject)?.let(UploadReport::fromJson),
            )
            val e = of(info)
            return if (report != null && (report.writtenCount > 0 || report.unknownCount > 0)) BulkWrite(e, report) else e
        }

        fun of(i: Info): Exto360Exception = when (i.code) {
            "bad_request" -> BadRequest(i)
            "unauthorized" -> Authentication(i)
            "forbidden" -> PermissionDenied(i)
            "not_found" -> NotFound(i)
            "rate_limited" -> RateLimited(i)
            "server" -> Server(i)
            "timeout" -> Timeout(i)
            "connection" -> Connection(i)
            "invalid_response" -> InvalidResponse(i)
            "invalid_input" -> InvalidInput(i)
            else -> Internal(i)
        }

        fun invalidInput(message: String): Exto360Exception = InvalidInput(Info(message, "invalid_input"))
    }
}

/**
 * Which input items of a bulk write were written, not written, or may have been, as merged
 * index ranges (end exclusive) over the input, and the ids the written chunks inserted.
 */
data class BulkReport(
    val total: Long,
    val insertedIds: List<String>,
    val writtenRanges: List<LongRange>,
    val notWrittenRanges: List<LongRange>,
    val unknownRanges: List<LongRange>,
) {
    val written: List<Int> get() = expand(writtenRanges)
    val notWritten: List<Int> get() = expand(notWrittenRanges)
    val unknown: List<Int> get() = expand(unknownRanges)
    val writtenCount: Long get() = writtenRanges.sumOf { it.count().toLong() }
    val notWrittenCount: Long get() = notWrittenRanges.sumOf { it.count().toLong() }
    val unknownCount: Long get() = unknownRanges.sumOf { it.count().toLong() }

    internal companion object {
        private fun expand(ranges: List<LongRange>): List<Int> = ranges.flatMap { r -> r.map { it.toInt() } }

        fun fromJson(o: JsonObject): BulkReport {
            fun ranges(k: String) = o[k]?.jsonArray?.map { val p = it.jsonArray; p[0].jsonPrimitive.long until p[1].jsonPrimitive.long } ?: emptyList()
            return BulkReport(
                o["total"]?.jsonPrimitive?.long ?: 0, o["insertedIds"]?.jsonArray?.map { it.jsonPrimitive.content } ?: emptyList(),
                ranges("written"), ranges("notWritten"), ranges("unknown"),
            )
        }
    }
}
