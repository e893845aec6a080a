package com.exto360

import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.jsonObject

/** A workspace; [raw] keeps every field of the API's answer. */
data class Workspace(val id: String, val name: String, val parentId: String?, val createdAt: String?, val updatedAt: String?, val raw: JsonObject) {
    internal companion object {
        fun fromJson(e: JsonElement): Workspace {
            val o = e.jsonObject
            fun s(k: String) = (o[k] as? JsonPrimitive)?.takeIf { it.isString }?.content
            return Workspace(s("id") ?: "", s("name") ?: "", s("parentId"), s("createdAt"), s("updatedAt"), o)
        }
    }
}

/** `client.workspaces`. */
class Workspaces internal constructor(private val api: Api) {
    /** Creates a workspace, under [parentId] when given. */
    @JvmSynthetic
    suspend fun create(name: String, parentId: String? = null): Workspace =
        Workspace.fromJson(api.call("workspaces.create", args("name" to text(name), "parentId" to text(parentId))))
    @JvmOverloads
    fun createBlocking(name: String, parentId: String? = null): Workspace = blocking { create(name, parentId) }

    /**
     * One page (pageSize default 25, at most 1000); [filter] in the record-filter grammar,
     * [sort] e.g. `-name`. The API answers a bare array: `total` and `totalPages` are null.
     */
    @JvmSynthetic
    suspend fun list(page: Int = 1, pageSize: Int = 25, filter: Filter? = null, sort: String? = null): Page<Workspace> {
        val p = Page.fromJson(
            api.call("workspaces.list", args("page" to number(page), "pageSize" to number(pageSize), "filter" to filter?.let { JsonPrimitive(it.render()) }, "sort" to text(sort))).jsonObject,
        )
        return Page(p.rows.map(Workspace::fromJson), p.total, p.page, p.pageSize, p.totalPages)
    }
    @JvmOverloads
    fun listBlocking(page: Int = 1, pageSize: Int = 25, filter: Filter? = null, sort: String? = null): Page<Workspace> = blocking { list(page, pageSize, filter, sort) }

    @JvmSynthetic
    suspend fun get(id: String): Workspace = Workspace.fromJson(api.call("workspaces.get", args("id" to text(id))))
    fun getBlocking(id: String): Workspace = blocking { get(id) }

    /** Renames workspace [id], and moves it under [parentId] when given. */
    @JvmSynthetic
    suspend fun update(id: String, name: String, parentId: String? = null): Workspace =
        Workspace.fromJson(api.call("workspaces.update", args("id" to text(id), "name" to text(name), "parentId" to text(parentId))))
    @JvmOverloads
    fun updateBlocking(id: String, name: String, parentId: String? = null): Workspace = blocking { update(id, name, parentId) }

    override fun toString(): String = "Workspaces"
}
