package com.exto360

import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.longOrNull

// Argument and result types of the operations of the current edition of the API (record updates
// and deletes, /expand, sub-table reads and deletes, hierarchy masters, workflow v2).

/**
 * How records are named in updates and deletes. Always given: the two editions of the API docs
 * disagree on which name a record goes by (REFERENCE.md §13 C11).
 */
enum class RecordKey(internal val wire: String) {
    REF_ID("refId"),
    RECORD_NUMBER("recordNumber"),
}

/** A v2 workflow step. */
enum class WorkflowStep(internal val wire: String) {
    CREATE("create"),
    SUBMIT("submit"),
    RETURN("return"),
    REOPEN("reopen"),
    REVISION("revision"),
}

/** What a delete did. */
data class DeleteResult(val deletedCount: Long) {
    internal companion object {
        fun fromJson(e: JsonElement) = DeleteResult((e.jsonObject["deletedCount"] as? JsonPrimitive)?.longOrNull ?: 0)
    }
}

/**
 * Options of `modules(..).expand`: which records ([recordIds], or a page of all), which fields
 * and sub-table fields, the sub-table page size, and a raw `query` (a JSON object; the core
 * refuses anything else).
 */
data class ExpandOptions @JvmOverloads constructor(
    val recordIds: List<String>? = null,
    val page: Int? = null,
    val pageSize: Int? = null,
    val fields: List<String>? = null,
    val subTableFields: List<String>? = null,
    val subTablePageSize: Int? = null,
    val query: JsonElement? = null,
) {
    fun recordIds(v: List<String>?) = copy(recordIds = v)
    fun page(v: Int?) = copy(page = v)
    fun pageSize(v: Int?) = copy(pageSize = v)
    fun fields(v: List<String>?) = copy(fields = v)
    fun subTableFields(v: List<String>?) = copy(subTableFields = v)
    fun subTablePageSize(v: Int?) = copy(subTablePageSize = v)
    fun query(v: JsonElement?) = copy(query = v)

    internal fun args(name: String) = args(
        "name" to text(name), "recordIds" to recordIds?.let(JsonValues::strings), "page" to number(page), "pageSize" to number(pageSize),
        "fields" to fields?.let(JsonValues::strings), "subTableFields" to subTableFields?.let(JsonValues::strings),
        "subTablePageSize" to number(subTablePageSize), "query" to query,
    )
}

/** Options of the v2 workflow list of a module (the client must be scoped to a project). */
data class WorkflowListOptions @JvmOverloads constructor(
    val page: Int? = null,
    val pageSize: Int? = null,
    val recordNumber: String? = null,
    val status: String? = null,
    val responsibleUser: String? = null,
    val responsibleGroup: String? = null,
    val filter: Filter? = null,
) {
    fun page(v: Int?) = copy(page = v)
    fun pageSize(v: Int?) = copy(pageSize = v)
    fun recordNumber(v: String?) = copy(recordNumber = v)
    fun status(v: String?) = copy(status = v)
    fun responsibleUser(v: String?) = copy(responsibleUser = v)
    fun responsibleGroup(v: String?) = copy(responsibleGroup = v)
    fun filter(v: Filter?) = copy(filter = v)

    internal fun args(module: String) = args(
        "module" to text(module), "page" to number(page), "pageSize" to number(pageSize), "recordNumber" to text(recordNumber),
        "status" to text(status), "responsibleUser" to text(responsibleUser), "responsibleGroup" to text(responsibleGroup), "filter" to filter?.spec,
    )
}

/** Who a v2 workflow step assigns the record to. */
data class Assignee @JvmOverloads constructor(val users: List<String> = emptyList(), val groups: List<String> = emptyList())

/** A comment on a v2 workflow step. */
data class Comment @JvmOverloads constructor(val text: String, val isPrivate: Boolean = false)

/** Rows of a hierarchy master, e.g. `client.hierarchy("REGIONS")`. */
class Hierarchy internal constructor(private val api: Api, val name: String) {
    /** One page of rows. */
    @JvmSynthetic
    suspend fun list(page: Int = 1, pageSize: Int = 1000): Page<JsonObject> =
        Page.fromJson(api.call("hierarchy.list", args("name" to text(name), "page" to number(page), "pageSize" to number(pageSize))).jsonObject)
    @JvmOverloads
    fun listBlocking(page: Int = 1, pageSize: Int = 1000): Page<JsonObject> = blocking { list(page, pageSize) }

    /** Every row, page after page. */
    @JvmSynthetic
    fun iter(pageSize: Int = 1000): kotlinx.coroutines.flow.Flow<JsonObject> = api.rows("hierarchy.iter", args("name" to text(name), "pageSize" to number(pageSize)))
    @JvmOverloads
    fun iterBlocking(pageSize: Int = 1000): CloseableIterator<JsonObject> = api.rowsBlocking("hierarchy.iter", args("name" to text(name), "pageSize" to number(pageSize)))

    /** Creates rows (1000 a request, in order: a row may name a parent created before it). */
    @JvmSynthetic
    suspend fun create(rows: Iterable<Map<String, *>>): UpsertResult =
        UpsertResult.fromJson(api.call("hierarchy.create", args("name" to text(name), "rows" to JsonValues.objects(rows, "rows"))))
    fun createBlocking(rows: Iterable<Map<String, *>>): UpsertResult = blocking { create(rows) }

    /** Updates rows named by `sys_rowID`; a new `sys_parentRowID` moves the row. */
    @JvmSynthetic
    suspend fun update(rows: Iterable<Map<String, *>>): UpsertResult =
        UpsertResult.fromJson(api.call("hierarchy.update", args("name" to text(name), "rows" to JsonValues.objects(rows, "rows"))))
    fun updateBlocking(rows: Iterable<Map<String, *>>): UpsertResult = blocking { update(rows) }

    override fun toString(): String = "Hierarchy($name)"
}
