// The JVM executor of the conformance suite (tests/conformance/README.md): one case per stdin
// line through the public Kotlin API, one normalized result per stdout line.
package com.exto360.conformance

import com.exto360.Assignee
import com.exto360.Comment
import com.exto360.DeleteResult
import com.exto360.ExpandOptions
import com.exto360.Exto360
import com.exto360.Exto360Client
import com.exto360.RecordKey
import com.exto360.WorkflowListOptions
import com.exto360.WorkflowStep
import com.exto360.Exto360Exception
import com.exto360.Filter
import com.exto360.ListOptions
import com.exto360.Page
import com.exto360.ProjectGrant
import com.exto360.UploadReport
import com.exto360.UpsertResult
import com.exto360.DownloadedFile
import com.exto360.Workspace
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.buildJsonArray
import kotlinx.serialization.json.buildJsonObject
import kotlinx.serialization.json.doubleOrNull
import kotlinx.serialization.json.intOrNull
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import kotlinx.serialization.json.put
import java.nio.file.Path
import java.time.Duration

private fun JsonObject.str(k: String): String? = (this[k] as? JsonPrimitive)?.takeIf { it.isString }?.content
private fun JsonObject.int(k: String): Int? = (this[k] as? JsonPrimitive)?.intOrNull
private fun JsonObject.seconds(k: String): Duration? = (this[k] as? JsonPrimitive)?.doubleOrNull?.let { Duration.ofNanos((it * 1e9).toLong()) }
private fun JsonObject.strings(k: String): List<String> = (this[k] as? JsonArray)?.map { it.jsonPrimitive.content } ?: emptyList()

private fun client(c: JsonObject) = Exto360Client(
    token = c.str("token"), baseUrl = c.str("baseUrl"), projectId = c.str("projectId"), tenantId = c.str("tenantId"),
    maxRetries = c.int("maxRetries"), retryWrites = (c["retryWrites"] as? JsonPrimitive)?.content?.toBooleanStrictOrNull(),
    timeout = c.int("timeoutMs")?.let { Duration.ofMillis(it.toLong()) }, initialBackoff = c.seconds("initialBackoff"), maxBackoff = c.seconds("maxBackoff"),
    rateLimit = (c["rateLimit"] as? JsonPrimitive)?.doubleOrNull ?: 0.0,
)

/** A filter's JSON form through the language's builder. */
private fun filter(s: JsonElement?): Filter? = when (s) {
    null, JsonNull -> null
    is JsonPrimitive -> Filter.raw(s.content)
    is JsonObject -> s["and"]?.let { p -> p.jsonArray.map { filter(it)!! }.reduce { a, b -> a and b } }
        ?: s["or"]?.let { p -> p.jsonArray.map { filter(it)!! }.reduce { a, b -> a or b } }
        ?: condition(s)
    else -> error("bad filter $s")
}

private fun condition(s: JsonObject): Filter {
    var f = Filter.field(s.str("field") ?: "")
    f = when (s.str("type")) {
        "NUMBER" -> f.number()
        "STRING" -> f.string()
        "DATE" -> f.date()
        "PRIMITIVE" -> f.primitive()
        else -> f
    }
    val v = s["value"]
    return when (s.str("op")) {
        "eq" -> f.eq(v)
        "ne" -> f.ne(v)
        "gt" -> f.gt(v)
        "ge" -> f.ge(v)
        "lt" -> f.lt(v)
        "le" -> f.le(v)
        "contains" -> f.contains(v)
        "not_contains" -> f.notContains(v)
        "starts_with" -> f.startsWith(v)
        "ends_with" -> f.endsWith(v)
        "in" -> f.isIn((v as? JsonArray) ?: listOf(v))
        "is_blank" -> f.isBlank()
        "is_not_blank" -> f.isNotBlank()
        else -> error("bad op ${s["op"]}")
    }
}

private fun opts(a: JsonObject) = ListOptions(a.int("page"), a.int("pageSize"), a.str("sort"), a.str("status"), filter(a["filter"]), a.str("localTimeZone"))

private fun page(p: Page<JsonObject>) = buildJsonObject {
    put("rows", JsonArray(p.rows)); put("total", p.total); put("page", p.page); put("pageSize", p.pageSize); put("totalPages", p.totalPages)
}

private fun upsert(r: UpsertResult) = buildJsonObject {
    put("insertedIds", JsonArray(r.insertedIds.map(::JsonPrimitive))); put("insertedCount", r.insertedCount); put("updatedCount", r.updatedCount)
}

private fun collected(key: String, items: List<JsonElement>) = buildJsonObject { put("count", items.size); put(key, JsonArray(items)) }

/** The rows as they are, objects or not: what a Java caller with raw types could pass (the core refuses non-objects). */
@Suppress("UNCHECKED_CAST")
private fun rows(a: JsonObject, k: String): List<Map<String, *>> = a.getValue(k).jsonArray as List<Map<String, *>>

private suspend fun run(c: Exto360Client, op: String, a: JsonObject): JsonElement {
    val u = c.users
    return when (op) {
        "health.liveness" -> c.health.liveness()
        "health.readiness" -> c.health.readiness()
        "masters.list" -> page(c.masters(a.str("name")!!).list(opts(a)))
        "modules.list" -> page(c.modules(a.str("name")!!).list(opts(a)))
        "masters.iter" -> collected("ids", c.masters(a.str("name")!!).iter(opts(a)).toList().map { it.getValue("_id") })
        "modules.iter" -> collected("ids", c.modules(a.str("name")!!).iter(opts(a)).toList().map { it.getValue("_id") })
        "masters.upsert" -> upsert(c.masters(a.str("name")!!).upsert(rows(a, "records")))
        "modules.upsert" -> upsert(c.modules(a.str("name")!!).upsert(rows(a, "records"), a.str("userName")!!))
        "subTable.upsert" -> upsert(c.subTable(a.str("tableId")!!).upsert(rows(a, "rows"), a.str("moduleName")!!, a.str("recordId")!!))
        "workflow.act" -> buildJsonArray {
            c.workflow(a.str("module")!!).act(a.strings("recordIds"), a.str("action")!!, a.str("userName")!!, a.str("spaceName")).forEach {
                add(buildJsonObject { put("workflowId", it.workflowId); put("recordId", it.recordId) })
            }
        }
        "users.grantAccess" -> {
            val g = a.getValue("grant").jsonObject
            val user = g.getValue("user").jsonObject
            val projects = (g["projects"] as? JsonArray)?.map { it.jsonObject }?.map { ProjectGrant(it.str("projectId")!!, it.strings("groups"), it.strings("spaces")) } ?: emptyList()
            upsert(u.grantAccess(user.str("userName")!!, projects, g.strings("groups"), user - "userName"))
        }
        "users.list" -> page(u.list(a.int("page") ?: 1, a.int("pageSize") ?: 1000))
        "users.iter" -> collected("userNames", u.iter().toList().map { it.getValue("user").jsonObject.getValue("userName") })
        "users.get" -> u.get(a.str("username")!!)
        "users.groups" -> u.groups((a["onlyProjectGroups"] as? JsonPrimitive)?.content == "true")
        "users.activate", "users.deactivate" -> {
            val r = if (op == "users.activate") u.activate(a.strings("usernames")) else u.deactivate(a.strings("usernames"))
            buildJsonObject { put("ok", r.ok); put("nMatched", r.nMatched); put("nModified", r.nModified) }
        }
        "users.removeAccess" -> u.removeAccess(a.str("username")!!, a.strings("projects"), a.strings("groups"))
        "users.removeProjectAccess" -> u.removeProjectAccess(a.str("username")!!, a.strings("projectIds"))
        "filter.render" -> JsonPrimitive(filter(a["filter"])!!.render())
        "version" -> JsonPrimitive(Exto360.version())
        else -> edition(c, op, a)
    }
}

// ---------------------------------------------------------------------- the current edition

private fun key(a: JsonObject) = RecordKey.entries.single { it.name.replace("_", "") == a.str("key")!!.uppercase() }

/** `{count, ids}`: each row's `_id`, or `recordNumber` when it has none (v2 workflow rows). */
private suspend fun ids(rows: Flow<JsonObject>) = collected("ids", rows.toList().map { it["_id"] ?: it.getValue("recordNumber") })

private fun workflowOpts(a: JsonObject) = WorkflowListOptions(
    a.int("page"), a.int("pageSize"), a.str("recordNumber"), a.str("status"), a.str("responsibleUser"), a.str("responsibleGroup"), filter(a["filter"]),
)

private fun strs(a: JsonObject, k: String): List<String>? = (a[k] as? JsonArray)?.map { it.jsonPrimitive.content }

private suspend fun edition(c: Exto360Client, op: String, a: JsonObject): JsonElement = when (op) {
    "build.info" -> c.buildInfo()
    "masters.update" -> upsert(c.masters(a.str("name")!!).update(rows(a, "records"), key(a)))
    "modules.update" -> upsert(c.modules(a.str("name")!!).update(rows(a, "records"), key(a), a.str("userName")!!))
    "masters.delete" -> deleted(c.masters(a.str("name")!!).delete(a.strings("ids"), key(a), a.str("userName")!!))
    "modules.delete" -> deleted(c.modules(a.str("name")!!).delete(a.strings("ids"), key(a), a.str("userName")!!))
    "modules.expand" -> {
        val opts = ExpandOptions(strs(a, "recordIds"), a.int("page"), a.int("pageSize"), strs(a, "fields"), strs(a, "subTableFields"), a.int("subTablePageSize"), a["query"]?.takeUnless { it is JsonNull })
        val records = c.modules(a.str("name")!!).expand(opts).toList()
        buildJsonObject { put("count", records.size); put("records", JsonArray(records)) }
    }
    "subTable.list" -> page(c.subTable(a.str("tableId")!!).list(a.str("moduleName")!!, a.str("recordId")!!, a.int("page") ?: 1, a.int("pageSize") ?: 1000))
    "subTable.iter" -> ids(c.subTable(a.str("tableId")!!).iter(a.str("moduleName")!!, a.str("recordId")!!, a.int("pageSize") ?: 1000))
    "subTable.delete" -> deleted(c.subTable(a.str("tableId")!!).delete(a.strings("recordNumbers"), a.str("moduleName")!!, a.str("recordId")!!))
    "hierarchy.list" -> page(c.hierarchy(a.str("name")!!).list(a.int("page") ?: 1, a.int("pageSize") ?: 1000))
    "hierarchy.iter" -> ids(c.hierarchy(a.str("name")!!).iter(a.int("pageSize") ?: 1000))
    "hierarchy.create" -> upsert(c.hierarchy(a.str("name")!!).create(rows(a, "rows")))
    "hierarchy.update" -> upsert(c.hierarchy(a.str("name")!!).update(rows(a, "rows")))
    "workflow.list" -> page(c.workflow(a.str("module")!!).list(workflowOpts(a)))
    "workflow.iter" -> ids(c.workflow(a.str("module")!!).iter(workflowOpts(a)))
    "workflow.history" -> c.workflow(a.str("module")!!).history(a.str("recordNumber")!!)
    "workflow.transition" -> {
        val step = WorkflowStep.valueOf(a.str("step")!!.uppercase())
        val assignee = (a["assignee"] as? JsonObject)?.let { Assignee(it.strings("users"), it.strings("groups")) }
        val comment = when (val cm = a["comment"]) {
            is JsonPrimitive -> if (cm.isString) Comment(cm.content) else null
            is JsonObject -> Comment(cm.str("text")!!, (cm["isPrivate"] as? JsonPrimitive)?.content == "true")
            else -> null
        }
        c.workflow(a.str("module")!!).transition(step, a.str("recordId")!!, a.str("userName")!!, a.str("actionName"), a.str("spaceName"), assignee, comment)
    }
    else -> documents(c, op, a)
}

// ---------------------------------------------------------------------- documents, workspaces, jobs

private fun uploaded(r: UploadReport) = buildJsonObject {
    put("uploadedCount", r.uploadedCount); put("failedCount", r.failedCount); put("unknownCount", r.unknownCount)
    put(
        "files",
        buildJsonArray {
            r.files.forEach { f ->
                add(buildJsonObject { put("index", f.index); put("fileName", f.fileName); put("state", f.state); put("document", f.document ?: JsonNull); put("message", f.message) })
            }
        },
    )
}

private fun downloaded(d: DownloadedFile) = buildJsonObject {
    put("path", d.path.toString()); put("bytes", d.bytes); put("fileName", d.fileName); put("contentType", d.contentType)
}

private fun workspacePage(p: Page<Workspace>) = page(Page(p.rows.map { it.raw }, p.total, p.page, p.pageSize, p.totalPages))

/** The argument as the API would get it: a Java caller can pass "" where a value is missing. */
private fun JsonObject.req(k: String): String = str(k) ?: ""

private suspend fun documents(c: Exto360Client, op: String, a: JsonObject): JsonElement = when (op) {
    // The files' JSON form as the core reads it (the typed forms are tested in DocumentsTest).
    "documents.upload" -> uploaded(c.documents.uploadJson(a))
    "documents.download" -> downloaded(c.documents.download(a.req("id"), Path.of(a.req("path")), a.str("version")))
    "documents.downloadAll" -> downloaded(c.documents.downloadAll(a.req("recordId"), a.req("module"), Path.of(a.req("path"))))
    "workspaces.create" -> c.workspaces.create(a.req("name"), a.str("parentId")).raw
    "workspaces.list" -> workspacePage(c.workspaces.list(a.int("page") ?: 1, a.int("pageSize") ?: 25, a.str("filter")?.let(Filter::raw), a.str("sort")))
    "workspaces.get" -> c.workspaces.get(a.req("id")).raw
    "workspaces.update" -> c.workspaces.update(a.req("id"), a.req("name"), a.str("parentId")).raw
    "jobs.create" -> buildJsonObject { put("id", c.jobs.create(a.getValue("job").jsonObject)) }
    "jobs.start" -> buildJsonObject { put("id", c.jobs.start(a.req("title"), a.req("type")).id) }
    "jobs.list" -> page(c.jobs.list(a.str("projectId"), a.int("page") ?: 1, a.int("pageSize") ?: 50))
    "jobs.update" -> {
        c.jobs.update(a.req("id"), a.req("status"), (a["duration"] as? JsonPrimitive)?.content?.toLongOrNull()?.let(Duration::ofMillis), a.str("completedAt"))
        JsonObject(emptyMap())
    }
    "jobs.log" -> JsonObject(emptyMap()).also { c.jobs.log(a.req("id"), a.req("message"), a.str("level")) }
    "jobs.fail" -> JsonObject(emptyMap()).also { c.jobs.fail(a.req("id"), a.str("message")) }
    else -> error("unknown operation $op")
}

private fun deleted(r: DeleteResult) = buildJsonObject { put("deletedCount", r.deletedCount) }

private fun error(e: Exto360Exception): JsonObject {
    val src = if (e is Exto360Exception.BulkWrite) e.cause else e
    val b = e.report
    fun ranges(rs: List<LongRange>) = JsonArray(rs.map { JsonArray(listOf(JsonPrimitive(it.first), JsonPrimitive(it.last + 1))) })
    return buildJsonObject {
        put("kind", src.code); put("status", src.status); put("summary", src.summary); put("details", JsonArray(src.details.map(::JsonPrimitive)))
        put("retries", e.retries); put("message", src.message)
        put(
            "bulk",
            b?.let {
                buildJsonObject {
                    put("total", it.total); put("insertedIds", JsonArray(it.insertedIds.map(::JsonPrimitive)))
                    put("written", ranges(it.writtenRanges)); put("notWritten", ranges(it.notWrittenRanges)); put("unknown", ranges(it.unknownRanges))
                }
            } ?: JsonNull,
        )
        put("upload", e.upload?.let(::uploaded) ?: JsonNull)
    }
}

fun main() {
    val out = System.out.bufferedWriter()
    while (true) {
        val line = readlnOrNull() ?: break
        if (line.isBlank()) continue
        val msg = Json.parseToJsonElement(line).jsonObject
        val reply = try {
            val result = runBlocking { client(msg.getValue("client").jsonObject).use { run(it, msg.str("op")!!, msg.getValue("args").jsonObject) } }
            buildJsonObject { put("id", msg.getValue("id")); put("ok", result) }
        } catch (e: Exto360Exception) {
            buildJsonObject { put("id", msg.getValue("id")); put("error", error(e)) }
        }
        out.write(reply.toString())
        out.newLine()
        out.flush()
    }
}
