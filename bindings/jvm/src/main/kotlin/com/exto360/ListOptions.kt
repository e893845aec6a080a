package com.exto360

import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive

/**
 * Options of a record list or iteration. Unset values are the API's defaults (page 1; 1000
 * rows a page). From Java: `new ListOptions().pageSize(100).filter(f)` (each call returns a copy).
 *
 * @property sort a field name, `-field` for descending.
 * @property status a workflow status (modules).
 * @property localTimeZone an IANA zone, required when the filter compares dates.
 */
data class ListOptions @JvmOverloads constructor(
    val page: Int? = null,
    val pageSize: Int? = null,
    val sort: String? = null,
    val status: String? = null,
    val filter: Filter? = null,
    val localTimeZone: String? = null,
) {
    fun page(page: Int?): ListOptions = copy(page = page)
    fun pageSize(pageSize: Int?): ListOptions = copy(pageSize = pageSize)
    fun sort(sort: String?): ListOptions = copy(sort = sort)
    fun status(status: String?): ListOptions = copy(status = status)
    fun filter(filter: Filter?): ListOptions = copy(filter = filter)
    fun localTimeZone(localTimeZone: String?): ListOptions = copy(localTimeZone = localTimeZone)

    internal fun args(name: String): JsonObject {
        val m = linkedMapOf<String, JsonElement>("name" to JsonPrimitive(name))
        page?.let { m["page"] = JsonPrimitive(it) }
        pageSize?.let { m["pageSize"] = JsonPrimitive(it) }
        sort?.let { m["sort"] = JsonPrimitive(it) }
        status?.let { m["status"] = JsonPrimitive(it) }
        filter?.let { m["filter"] = it.spec }
        localTimeZone?.let { m["localTimeZone"] = JsonPrimitive(it) }
        return JsonObject(m)
    }
}
