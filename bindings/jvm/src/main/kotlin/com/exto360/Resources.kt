package com.exto360

import kotlinx.coroutines.flow.Flow
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.jsonObject

// Every operation comes twice: `suspend fun x(..)` for Kotlin (hidden from Java) and
// `fun xBlocking(..)` for Java and plain threads. Each is one call of an `exto360::json`
// operation of the core (named as in the conformance suite) and a decoding of its answer, so an
// operation is added by writing these two lines and the decoder of a new result type.

/** The arguments of an operation, without the unset (null) ones. */
internal fun args(vararg kv: Pair<String, JsonElement?>): JsonObject = JsonObject(kv.filter { it.second != null }.associate { it.first to it.second!! })

internal fun text(s: String?): JsonElement? = s?.let(::JsonPrimitive)

internal fun number(n: Int?): JsonElement? = n?.let(::JsonPrimitive)

/** Records of a master or custom module: list one page, iterate all, with bounded memory. */
abstract class Records internal constructor(internal val api: Api, private val kind: String, val name: String) {
    /** One page. */
    @JvmSynthetic
    suspend fun list(options: ListOptions = ListOptions()): Page<JsonObject> = Page.fromJson(api.call("$kind.list", options.args(name)).jsonObject)
    @JvmOverloads
    fun listBlocking(options: ListOptions = ListOptions()): Page<JsonObject> = blocking { list(options) }

    /** Every page from `options.page` on, fetched one ahead in the background. */
    @JvmSynthetic
    fun pages(options: ListOptions = ListOptions()): Flow<Page<JsonObject>> = api.pages("$kind.iter", options.args(name))
    @JvmOverloads
    fun pagesBlocking(options: ListOptions = ListOptions()): CloseableIterator<Page<JsonObject>> = api.pagesBlocking("$kind.iter", options.args(name))

    /** Every record, page after page: one page in memory at a time. */
    @JvmSynthetic
    fun iter(options: ListOptions = ListOptions()): Flow<JsonObject> = api.rows("$kind.iter", options.args(name))
    @JvmOverloads
    fun iterBlocking(options: ListOptions = ListOptions()): CloseableIterator<JsonObject> = api.rowsBlocking("$kind.iter", options.args(name))

    override fun toString(): String = "${javaClass.simpleName}($name)"
}

/** Master records, e.g. `client.masters("LOCATION")`. */
class Masters internal constructor(api: Api, name: String) : Records(api, "masters", name) {
    /** Inserts or updates any number of records (1000 a request); a record is a `JsonObject` or any `Map`. */
    @JvmSynthetic
    suspend fun upsert(records: Iterable<Map<String, *>>): UpsertResult =
        UpsertResult.fromJson(api.call("masters.upsert", args("name" to text(name), "records" to JsonValues.objects(records, "records"))))
    fun upsertBlocking(records: Iterable<Map<String, *>>): UpsertResult = blocking { upsert(records) }

    /** Updates records named by [key] (1000 a request). */
    @JvmSynthetic
    suspend fun update(records: Iterable<Map<String, *>>, key: RecordKey): UpsertResult =
        UpsertResult.fromJson(api.call("masters.update", args("name" to text(name), "records" to JsonValues.objects(records, "records"), "key" to text(key.wire))))
    fun updateBlocking(records: Iterable<Map<String, *>>, key: RecordKey): UpsertResult = blocking { update(records, key) }

    /** Deletes the records [ids] (named by [key]) as [userName]. */
    @JvmSynthetic
    suspend fun delete(ids: Iterable<String>, key: RecordKey, userName: String): DeleteResult = DeleteResult.fromJson(
        api.call("masters.delete", args("name" to text(name), "ids" to JsonValues.strings(ids), "key" to text(key.wire), "userName" to text(userName))),
    )
    fun deleteBlocking(ids: Iterable<String>, key: RecordKey, userName: String): DeleteResult = blocking { delete(ids, key, userName) }
}

/** Custom-module records, e.g. `client.modules("CUSTOMMODULE")`. */
class Modules internal constructor(api: Api, name: String) : Records(api, "modules", name) {
    /** Inserts or updates any number of records as the user [userName] (an e-mail address). */
    @JvmSynthetic
    suspend fun upsert(records: Iterable<Map<String, *>>, userName: String): UpsertResult = UpsertResult.fromJson(
        api.call("modules.upsert", args("name" to text(name), "records" to JsonValues.objects(records, "records"), "userName" to text(userName))),
    )
    fun upsertBlocking(records: Iterable<Map<String, *>>, userName: String): UpsertResult = blocking { upsert(records, userName) }

    /** Updates records named by [key] as [userName] (1000 a request). */
    @JvmSynthetic
    suspend fun update(records: Iterable<Map<String, *>>, key: RecordKey, userName: String): UpsertResult = UpsertResult.fromJson(
        api.call("modules.update", args("name" to text(name), "records" to JsonValues.objects(records, "records"), "key" to text(key.wire), "userName" to text(userName))),
    )
    fun updateBlocking(records: Iterable<Map<String, *>>, key: RecordKey, userName: String): UpsertResult = blocking { update(records, key, userName) }

    /** Deletes the records [ids] (named by [key]) as [userName]. */
    @JvmSynthetic
    suspend fun delete(ids: Iterable<String>, key: RecordKey, userName: String): DeleteResult = DeleteResult.fromJson(
        api.call("modules.delete", args("name" to text(name), "ids" to JsonValues.strings(ids), "key" to text(key.wire), "userName" to text(userName))),
    )
    fun deleteBlocking(ids: Iterable<String>, key: RecordKey, userName: String): DeleteResult = blocking { delete(ids, key, userName) }

    /** Every matching record with all its sub-table rows (`subTableData`), one record at a time. */
    @JvmSynthetic
    fun expand(options: ExpandOptions = ExpandOptions()): Flow<JsonObject> = api.items("modules.expand", options.args(name))
    @JvmOverloads
    fun expandBlocking(options: ExpandOptions = ExpandOptions()): CloseableIterator<JsonObject> = api.itemsBlocking("modules.expand", options.args(name))
}

/** A sub-table of a module record. */
class SubTable internal constructor(private val api: Api, val tableId: String) {
    /** Writes any number of rows into the sub-table of record [recordId] of module [moduleName]. */
    @JvmSynthetic
    suspend fun upsert(rows: Iterable<Map<String, *>>, moduleName: String, recordId: String): UpsertResult = UpsertResult.fromJson(
        api.call(
            "subTable.upsert",
            args("tableId" to text(tableId), "rows" to JsonValues.objects(rows, "rows"), "moduleName" to text(moduleName), "recordId" to text(recordId)),
        ),
    )
    fun upsertBlocking(rows: Iterable<Map<String, *>>, moduleName: String, recordId: String): UpsertResult = blocking { upsert(rows, moduleName, recordId) }

    private fun where(moduleName: String, recordId: String) = arrayOf("tableId" to text(tableId), "moduleName" to text(moduleName), "recordId" to text(recordId))

    /** One page of the rows of record [recordId] of module [moduleName]. */
    @JvmSynthetic
    suspend fun list(moduleName: String, recordId: String, page: Int = 1, pageSize: Int = 1000): Page<JsonObject> =
        Page.fromJson(api.call("subTable.list", args(*where(moduleName, recordId), "page" to number(page), "pageSize" to number(pageSize))).jsonObject)
    @JvmOverloads
    fun listBlocking(moduleName: String, recordId: String, page: Int = 1, pageSize: Int = 1000): Page<JsonObject> = blocking { list(moduleName, recordId, page, pageSize) }

    /** Every row of the record, page after page. */
    @JvmSynthetic
    fun iter(moduleName: String, recordId: String, pageSize: Int = 1000): Flow<JsonObject> = api.rows("subTable.iter", args(*where(moduleName, recordId), "pageSize" to number(pageSize)))
    @JvmOverloads
    fun iterBlocking(moduleName: String, recordId: String, pageSize: Int = 1000): CloseableIterator<JsonObject> =
        api.rowsBlocking("subTable.iter", args(*where(moduleName, recordId), "pageSize" to number(pageSize)))

    /** Deletes rows by their `recordNumber`. */
    @JvmSynthetic
    suspend fun delete(recordNumbers: Iterable<String>, moduleName: String, recordId: String): DeleteResult =
        DeleteResult.fromJson(api.call("subTable.delete", args(*where(moduleName, recordId), "recordNumbers" to JsonValues.strings(recordNumbers))))
    fun deleteBlocking(recordNumbers: Iterable<String>, moduleName: String, recordId: String): DeleteResult = blocking { delete(recordNumbers, moduleName, recordId) }

    override fun toString(): String = "SubTable($tableId)"
}

/** Workflow actions of a module. */
class Workflow internal constructor(private val api: Api, val module: String) {
    /** Applies [action] to any number of records (100 a request) as [userName]. */
    @JvmSynthetic
    suspend fun act(recordIds: Iterable<String>, action: String, userName: String, spaceName: String? = null): List<WorkflowResult> = WorkflowResult.listFromJson(
        api.call(
            "workflow.act",
            args("module" to text(module), "recordIds" to JsonValues.strings(recordIds), "action" to text(action), "userName" to text(userName), "spaceName" to text(spaceName)),
        ),
    )
    @JvmOverloads
    fun actBlocking(recordIds: Iterable<String>, action: String, userName: String, spaceName: String? = null): List<WorkflowResult> =
        blocking { act(recordIds, action, userName, spaceName) }

    /** One page of the v2 workflow list (the client must be scoped to a project). */
    @JvmSynthetic
    suspend fun list(options: WorkflowListOptions = WorkflowListOptions()): Page<JsonObject> = Page.fromJson(api.call("workflow.list", options.args(module)).jsonObject)
    @JvmOverloads
    fun listBlocking(options: WorkflowListOptions = WorkflowListOptions()): Page<JsonObject> = blocking { list(options) }

    /** Every row of the v2 workflow list, page after page. */
    @JvmSynthetic
    fun iter(options: WorkflowListOptions = WorkflowListOptions()): Flow<JsonObject> = api.rows("workflow.iter", options.args(module))
    @JvmOverloads
    fun iterBlocking(options: WorkflowListOptions = WorkflowListOptions()): CloseableIterator<JsonObject> = api.rowsBlocking("workflow.iter", options.args(module))

    /** The step history of one record (the API's answer). */
    @JvmSynthetic
    suspend fun history(recordNumber: String): JsonElement = api.call("workflow.history", args("module" to text(module), "recordNumber" to text(recordNumber)))
    fun historyBlocking(recordNumber: String): JsonElement = blocking { history(recordNumber) }

    /** A v2 step on record [recordId] as [userName] (the API's answer). */
    @JvmSynthetic
    suspend fun transition(
        step: WorkflowStep, recordId: String, userName: String, actionName: String? = null, spaceName: String? = null, assignee: Assignee? = null, comment: Comment? = null,
    ): JsonElement = api.call(
        "workflow.transition",
        args(
            "module" to text(module), "step" to text(step.wire), "recordId" to text(recordId), "userName" to text(userName), "actionName" to text(actionName),
            "spaceName" to text(spaceName), "assignee" to assignee?.let { JsonValues.of(mapOf("users" to it.users, "groups" to it.groups), "assignee") },
            "comment" to comment?.let { JsonValues.of(mapOf("text" to it.text, "isPrivate" to it.isPrivate), "comment") },
        ),
    )
    @JvmOverloads
    fun transitionBlocking(
        step: WorkflowStep, recordId: String, userName: String, actionName: String? = null, spaceName: String? = null, assignee: Assignee? = null, comment: Comment? = null,
    ): JsonElement = blocking { transition(step, recordId, userName, actionName, spaceName, assignee, comment) }

    override fun toString(): String = "Workflow($module)"
}

/** Users and their access. */
class Users internal constructor(private val api: Api) {
    /**
     * Grants [userName] (an e-mail address) access to [projects] and tenant [groups]; creates the
     * user from [profile] (API field names: `firstName`, `applicationRole`, ...) when new.
     */
    @JvmSynthetic
    suspend fun grantAccess(userName: String, projects: List<ProjectGrant> = emptyList(), groups: Iterable<String> = emptyList(), profile: Map<String, *> = emptyMap<String, Any>()): UpsertResult {
        val user = JsonObject(JsonValues.of(profile, "profile").jsonObject + ("userName" to JsonPrimitive(userName)))
        val ps = JsonValues.of(projects.map { mapOf("projectId" to it.projectId, "groups" to it.groups, "spaces" to it.spaces) }, "projects")
        return UpsertResult.fromJson(api.call("users.grantAccess", args("grant" to args("user" to user, "projects" to ps, "groups" to JsonValues.strings(groups)))))
    }
    @JvmOverloads
    fun grantAccessBlocking(userName: String, projects: List<ProjectGrant> = emptyList(), groups: Iterable<String> = emptyList(), profile: Map<String, *> = emptyMap<String, Any>()): UpsertResult =
        blocking { grantAccess(userName, projects, groups, profile) }

    /** One page of users: `{"user": {...}, "groups": [...], "projects": [...]}` objects. */
    @JvmSynthetic
    suspend fun list(page: Int = 1, pageSize: Int = 1000): Page<JsonObject> =
        Page.fromJson(api.call("users.list", args("page" to JsonPrimitive(page), "pageSize" to JsonPrimitive(pageSize))).jsonObject)
    @JvmOverloads
    fun listBlocking(page: Int = 1, pageSize: Int = 1000): Page<JsonObject> = blocking { list(page, pageSize) }

    /** Every user, page after page. */
    @JvmSynthetic
    fun iter(pageSize: Int = 1000): Flow<JsonObject> = api.rows("users.iter", args("pageSize" to JsonPrimitive(pageSize)))
    @JvmOverloads
    fun iterBlocking(pageSize: Int = 1000): CloseableIterator<JsonObject> = api.rowsBlocking("users.iter", args("pageSize" to JsonPrimitive(pageSize)))

    /** One user's access: `{"user": {...}, "groups": [...], "projects": [...]}`. */
    @JvmSynthetic
    suspend fun get(username: String): JsonObject = api.call("users.get", args("username" to text(username))).jsonObject
    fun getBlocking(username: String): JsonObject = blocking { get(username) }

    /** The tenant's groups (`{"projects": [...], "groups": [...]}`), or only the project groups. */
    @JvmSynthetic
    suspend fun groups(onlyProjectGroups: Boolean = false): JsonObject = api.call("users.groups", args("onlyProjectGroups" to JsonPrimitive(onlyProjectGroups))).jsonObject
    @JvmOverloads
    fun groupsBlocking(onlyProjectGroups: Boolean = false): JsonObject = blocking { groups(onlyProjectGroups) }

    /** Activates any number of users (1000 a request). */
    @JvmSynthetic
    suspend fun activate(usernames: Iterable<String>): BulkWriteResult = BulkWriteResult.fromJson(api.call("users.activate", args("usernames" to JsonValues.strings(usernames))))
    fun activateBlocking(usernames: Iterable<String>): BulkWriteResult = blocking { activate(usernames) }

    /** Deactivates any number of users (1000 a request). */
    @JvmSynthetic
    suspend fun deactivate(usernames: Iterable<String>): BulkWriteResult = BulkWriteResult.fromJson(api.call("users.deactivate", args("usernames" to JsonValues.strings(usernames))))
    fun deactivateBlocking(usernames: Iterable<String>): BulkWriteResult = blocking { deactivate(usernames) }

    /** Removes [username]'s access to [projects] and tenant [groups]. */
    @JvmSynthetic
    suspend fun removeAccess(username: String, projects: Iterable<String>, groups: Iterable<String> = emptyList()): JsonObject =
        api.call("users.removeAccess", args("username" to text(username), "projects" to JsonValues.strings(projects), "groups" to JsonValues.strings(groups))).jsonObject
    @JvmOverloads
    fun removeAccessBlocking(username: String, projects: Iterable<String>, groups: Iterable<String> = emptyList()): JsonObject = blocking { removeAccess(username, projects, groups) }

    /** Removes [username] from the projects [projectIds]. */
    @JvmSynthetic
    suspend fun removeProjectAccess(username: String, projectIds: Iterable<String>): JsonObject =
        api.call("users.removeProjectAccess", args("username" to text(username), "projectIds" to JsonValues.strings(projectIds))).jsonObject
    fun removeProjectAccessBlocking(username: String, projectIds: Iterable<String>): JsonObject = blocking { removeProjectAccess(username, projectIds) }
}

/** The API's health checks. */
class Health internal constructor(private val api: Api) {
    /** `{"ok", "cpuPercent", "memPercent"}`. */
    @JvmSynthetic
    suspend fun liveness(): JsonObject = api.call("health.liveness", args()).jsonObject
    fun livenessBlocking(): JsonObject = blocking { liveness() }

    /** `{"ok"}`. */
    @JvmSynthetic
    suspend fun readiness(): JsonObject = api.call("health.readiness", args()).jsonObject
    fun readinessBlocking(): JsonObject = blocking { readiness() }
}
