package com.exto360

import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import kotlinx.serialization.json.longOrNull

private fun JsonObject.long(k: String): Long? = (this[k] as? JsonPrimitive)?.longOrNull

/**
 * One page of a list. [total] and [totalPages] are null when the server answered a bare array.
 * Iterable over its [rows].
 */
data class Page<T>(val rows: List<T>, val total: Long?, val page: Int, val pageSize: Int, val totalPages: Long?) : Iterable<T> {
    /** Whether another page may follow. */
    val hasNext: Boolean
        get() = rows.isNotEmpty() && (totalPages?.let { page < it } ?: (rows.size >= pageSize))

    override fun iterator(): Iterator<T> = rows.iterator()

    internal companion object {
        fun fromJson(o: JsonObject): Page<JsonObject> =
            Page(o.getValue("rows").objects(), o.long("total"), o.long("page")?.toInt() ?: 1, o.long("pageSize")?.toInt() ?: 0, o.long("totalPages"))
    }
}

/** What an upsert (or sub-table write) did over every request it took; [insertedIds] lists new documents only. */
data class UpsertResult(val insertedIds: List<String>, val insertedCount: Long, val updatedCount: Long) {
    internal companion object {
        fun fromJson(e: JsonElement): UpsertResult {
            val o = e.jsonObject
            return UpsertResult(o["insertedIds"]?.jsonArray?.map { it.jsonPrimitive.content } ?: emptyList(), o.long("insertedCount") ?: 0, o.long("updatedCount") ?: 0)
        }
    }
}

/** One record moved by a workflow action. */
data class WorkflowResult(val workflowId: String, val recordId: String) {
    internal companion object {
        fun listFromJson(e: JsonElement): List<WorkflowResult> =
            e.objects().map { WorkflowResult(it.getValue("workflowId").jsonPrimitive.content, it.getValue("recordId").jsonPrimitive.content) }
    }
}

/** The summed database result of activate/deactivate; [raw] keeps every field. */
data class BulkWriteResult(val ok: Long, val nMatched: Long, val nModified: Long, val raw: JsonObject) {
    internal companion object {
        fun fromJson(e: JsonElement): BulkWriteResult {
            val o = e.jsonObject
            return BulkWriteResult(o.long("ok") ?: 0, o.long("nMatched") ?: 0, o.long("nModified") ?: 0, o)
        }
    }
}

/** A project to grant a user access to, with the project's groups and spaces. */
data class ProjectGrant @JvmOverloads constructor(val projectId: String, val groups: List<String> = emptyList(), val spaces: List<String> = emptyList())
