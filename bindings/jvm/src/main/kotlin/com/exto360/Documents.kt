package com.exto360

import com.exto360.ffi.NativeException
import com.exto360.ffi.NativeReader
import com.exto360.ffi.NativeUpload
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import kotlinx.serialization.json.longOrNull
import java.io.IOException
import java.io.InputStream
import java.nio.file.Path

// Documents: files attached to records (REFERENCE.md §6A). The core does the work — streaming
// from disk or from an InputStream, 100 files a request, the per-file report, downloads into a
// temporary file renamed only when complete — so this file only shapes arguments and answers.

/**
 * One file to upload: a path (streamed from disk), bytes, text, or an `InputStream` (read a
 * piece at a time as the upload sends it, never whole). Build one with [path], [bytes], [text]
 * or [stream].
 */
class UploadFile private constructor(
    /** The name the server stores (for a path, default: its file name). */
    val name: String?,
    /** The part's content type (default: guessed from the name's extension, else `application/octet-stream`). */
    val contentType: String?,
    private val path: Path?,
    private val bytes: ByteArray?,
    private val input: InputStream?,
    private val size: Long?,
) {
    /** The same file under another content type. */
    fun contentType(contentType: String?): UploadFile = UploadFile(name, contentType, path, bytes, input, size)

    internal fun native(): NativeUpload = NativeUpload(
        name, contentType, path?.toString(), bytes, input?.let(::StreamReader), size?.also { if (it < 0) throw Exto360Exception.invalidInput("$name: size must be ≥ 0, not $it") }?.toULong(),
    )

    override fun toString(): String = "UploadFile(${path ?: name}${bytes?.let { ", ${it.size} bytes" } ?: ""}${input?.let { ", stream" } ?: ""})"

    companion object {
        /** The file at [path], sent as [name] (default: the path's file name); read when its request is sent, and again for a retry. */
        @JvmStatic
        @JvmOverloads
        fun path(path: Path, name: String? = null): UploadFile = UploadFile(name, null, path, null, null, null)

        /** [bytes] sent as the file [name]. */
        @JvmStatic
        fun bytes(name: String, bytes: ByteArray): UploadFile = UploadFile(name, null, null, bytes, null, null)

        /** [text] (UTF-8) sent as the file [name]. */
        @JvmStatic
        fun text(name: String, text: String): UploadFile = bytes(name, text.toByteArray(Charsets.UTF_8))

        /**
         * What [input] yields, sent as the file [name], read in 256 KiB pieces on a thread of the
         * library's blocking pool. [size], when known, gives the request a `Content-Length`
         * (otherwise it is sent chunked). A request with a stream is sent once, never retried:
         * its bytes cannot be read again. The stream is not closed.
         */
        @JvmStatic
        @JvmOverloads
        fun stream(name: String, input: InputStream, size: Long? = null): UploadFile = UploadFile(name, null, null, null, input, size)
    }
}

/** An `InputStream` as the native side reads it: up to `max` bytes a call, none at the end. */
private class StreamReader(private val input: InputStream) : NativeReader {
    override fun read(max: UInt): ByteArray {
        val buf = ByteArray(max.toInt())
        val n = try {
            input.readNBytes(buf, 0, buf.size)
        } catch (e: IOException) {
            // The message reaches the upload's error; the exception cannot cross the native side.
            throw NativeException.Failed(JsonObject(mapOf("kind" to JsonPrimitive("connection"), "message" to JsonPrimitive(e.toString()))).toString())
        }
        return if (n == buf.size) buf else buf.copyOf(n)
    }
}

/**
 * Where uploaded files go: attached to record [recordId] of [module], with [meta] (a JSON
 * object), [linkedRefId], [groupId], [folderId], [scope]; [parentId] makes them new versions of
 * that document. All optional.
 */
data class UploadOptions @JvmOverloads constructor(
    val module: String? = null,
    val recordId: String? = null,
    val meta: Map<String, *>? = null,
    val linkedRefId: String? = null,
    val groupId: String? = null,
    val folderId: String? = null,
    val parentId: String? = null,
    val scope: List<String>? = null,
) {
    fun module(v: String?) = copy(module = v)
    fun recordId(v: String?) = copy(recordId = v)
    fun meta(v: Map<String, *>?) = copy(meta = v)
    fun linkedRefId(v: String?) = copy(linkedRefId = v)
    fun groupId(v: String?) = copy(groupId = v)
    fun folderId(v: String?) = copy(folderId = v)
    fun parentId(v: String?) = copy(parentId = v)
    fun scope(v: List<String>?) = copy(scope = v)

    internal fun args(): JsonObject = args(
        "module" to text(module), "recordId" to text(recordId), "meta" to meta?.let { JsonValues.of(it, "meta") }, "linkedRefId" to text(linkedRefId),
        "groupId" to text(groupId), "folderId" to text(folderId), "parentId" to text(parentId), "scope" to scope?.let(JsonValues::strings),
    )
}

/** What became of one file of an upload. */
data class FileReport(
    /** Its index in the list given to `upload`. */
    val index: Int,
    val fileName: String,
    /** `uploaded`, `failed` (the server refused it: see [message]) or `unknown` (its request broke off). */
    val state: String,
    /** The stored document (`documentId`, `locationPath`, `fileName`, `fileSize`, `meta`, ...) when uploaded. */
    val document: JsonObject?,
    /** The server's message for a failed file, or the error of its request. */
    val message: String?,
) {
    /** The stored document's id, when uploaded. */
    val documentId: String? get() = (document?.get("documentId") as? JsonPrimitive)?.content
}

/** The per-file report of an upload: every file is in [files], in the order given. */
data class UploadReport(val uploadedCount: Int, val failedCount: Int, val unknownCount: Int, val files: List<FileReport>) {
    internal companion object {
        fun fromJson(o: JsonObject): UploadReport {
            fun n(k: String) = (o[k] as? JsonPrimitive)?.longOrNull?.toInt() ?: 0
            fun s(f: JsonObject, k: String) = (f[k] as? JsonPrimitive)?.takeIf { it.isString }?.content
            val files = o["files"]?.jsonArray?.map { it.jsonObject }?.map { f ->
                FileReport(f.getValue("index").jsonPrimitive.content.toInt(), s(f, "fileName") ?: "", s(f, "state") ?: "unknown", f["document"] as? JsonObject, s(f, "message"))
            } ?: emptyList()
            return UploadReport(n("uploadedCount"), n("failedCount"), n("unknownCount"), files)
        }
    }
}

/** A download written to [path]: its size and the server's name and type for it. */
data class DownloadedFile(val path: Path, val bytes: Long, val fileName: String?, val contentType: String?) {
    internal companion object {
        fun fromJson(o: JsonObject): DownloadedFile {
            fun s(k: String) = (o[k] as? JsonPrimitive)?.takeIf { it.isString }?.content
            return DownloadedFile(Path.of(s("path")!!), (o["bytes"] as? JsonPrimitive)?.longOrNull ?: 0, s("fileName"), s("contentType"))
        }
    }
}

/** `client.documents`: files attached to records. The client needs `tenantId` and `projectId`. */
class Documents internal constructor(private val api: Api) {
    /**
     * Uploads any number of files (100 a request), streamed. Returns the report when every file
     * was uploaded. Otherwise throws: an [Exto360Exception.BulkWrite] when some files were (or
     * may have been) stored, else the error itself (a [Exto360Exception.BadRequest] with status
     * 200 and summary `errors.error_upload_failed` when the server refused them all); either way
     * its [Exto360Exception.upload] is the per-file report. Uploads are writes: retried only as
     * the client's `retryWrites` allows, and never with a stream.
     */
    @JvmSynthetic
    suspend fun upload(files: List<UploadFile>, options: UploadOptions = UploadOptions()): UploadReport {
        val natives = files.map { it.native() }
        return UploadReport.fromJson(native { JsonValues.parse(api.client.upload(natives, options.args().toString())) }.jsonObject)
    }
    @JvmOverloads
    fun uploadBlocking(files: List<UploadFile>, options: UploadOptions = UploadOptions()): UploadReport = blocking { upload(files, options) }

    /** The files at [paths], each under its own file name. */
    @JvmSynthetic
    suspend fun uploadPaths(paths: List<Path>, options: UploadOptions = UploadOptions()): UploadReport = upload(paths.map { UploadFile.path(it) }, options)
    @JvmOverloads
    fun uploadPathsBlocking(paths: List<Path>, options: UploadOptions = UploadOptions()): UploadReport = blocking { uploadPaths(paths, options) }

    /**
     * [upload] with the operation's JSON arguments, as the other languages' JSON calls and the
     * conformance suite give them: `{"files": [{"path", "name"?, "contentType"?} or {"name",
     * "text", "contentType"?}, ...], "module"?, "recordId"?, "meta"?, ...}`. Whatever is
     * malformed is an [Exto360Exception.InvalidInput] naming it; nothing is sent.
     */
    @JvmSynthetic
    suspend fun uploadJson(args: JsonObject): UploadReport = UploadReport.fromJson(api.call("documents.upload", args).jsonObject)
    fun uploadJsonBlocking(args: JsonObject): UploadReport = blocking { uploadJson(args) }

    /**
     * Writes document [id] (its current version, or [version]: `"v1"`, `"v2"`, ...) to [path]:
     * into a temporary file beside it, renamed only when complete; a failed or interrupted
     * download leaves nothing behind (a file already at [path] is kept).
     */
    @JvmSynthetic
    suspend fun download(id: String, path: Path, version: String? = null): DownloadedFile =
        DownloadedFile.fromJson(api.call("documents.download", args("id" to text(id), "version" to text(version), "path" to text(path.toString()))).jsonObject)
    @JvmOverloads
    fun downloadBlocking(id: String, path: Path, version: String? = null): DownloadedFile = blocking { download(id, path, version) }

    /** Writes a zip of every attachment of record [recordId] of [module] to [path], like [download]. */
    @JvmSynthetic
    suspend fun downloadAll(recordId: String, module: String, path: Path): DownloadedFile = DownloadedFile.fromJson(
        api.call("documents.downloadAll", args("recordId" to text(recordId), "module" to text(module), "path" to text(path.toString()))).jsonObject,
    )
    fun downloadAllBlocking(recordId: String, module: String, path: Path): DownloadedFile = blocking { downloadAll(recordId, module, path) }

    override fun toString(): String = "Documents"
}
