package com.exto360

import com.exto360.ffi.NativeClient
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import java.time.Duration

/** What a client does when the shared rate-limit store cannot be reached. */
enum class RateLimitFallback(internal val wire: String) {
    /** Go on with an in-process limit of `rateLimit / rateLimitWorkers`, and try the store again after 5 s. */
    LOCAL("local"),
    /** Fail the call with [Exto360Exception.Connection]; nothing is sent. */
    FAIL("fail"),
}

/**
 * A client of the Exto360 Data API. Every setting left null comes from its `EXTO360_*`
 * environment variable, then from the default; a value out of range is an
 * [Exto360Exception.InvalidInput] naming the setting, never clamped.
 *
 * Thread-safe: share one client between threads and coroutines (they share its connections
 * and rate limit). [close] frees it.
 *
 * @param token the API token (`EXTO360_TOKEN`; required).
 * @param baseUrl default `https://platform.exto360.com/data` (`EXTO360_BASE_URL`).
 * @param projectId the `X-Project-Id` scope (`EXTO360_PROJECT_ID`); none: tenant scope.
 * @param tenantId `x-tenant-id` (`EXTO360_TENANT_ID`); [workspaceId] `x-workspace-id` (`EXTO360_WORKSPACE_ID`).
 * @param timeout per request, default 60 s, more than 0 and at most 1 day (`EXTO360_TIMEOUT`, seconds).
 * @param connectTimeout for opening a connection, default 10 s, more than 0 and at most 1 day.
 * @param maxRetries retries after the first attempt, default 3, at most 100 (`EXTO360_MAX_RETRIES`).
 * @param initialBackoff default 0.5 s; [maxBackoff] default 8 s (each at most 1 h). Wait before
 *   retry n = `min(maxBackoff, initialBackoff × 2^(n−1)) × (1 + U[0,1))`, or `Retry-After` if longer (≤ 60 s).
 * @param rateLimit requests per second, default 3 (0.001 to 10,000; `EXTO360_RATE_LIMIT`); `0.0` turns it off.
 * @param retryWrites retry POST writes after a 5xx or a lost answer (default false: a write that may
 *   have happened is never sent again; after a 429 or a failure before sending it always is).
 * @param rateLimitStore `redis://…` (or `rediss://`): share the rate limit with every process on the
 *   same token and host (`EXTO360_RATE_LIMIT_STORE`); default none.
 * @param rateLimitNamespace keeps budgets apart on one store (`EXTO360_RATE_LIMIT_NAMESPACE`).
 * @param rateLimitFallback when the store is unreachable (`EXTO360_RATE_LIMIT_FALLBACK`), default [RateLimitFallback.LOCAL].
 * @param rateLimitWorkers processes sharing the token, for the local fallback's share (`EXTO360_RATE_LIMIT_WORKERS`, default 1).
 * @param userAgent default `exto360-jvm/VERSION`.
 */
class Exto360Client private constructor(private val handle: NativeClient) : AutoCloseable {
    constructor(
        token: String? = null,
        baseUrl: String? = null,
        projectId: String? = null,
        tenantId: String? = null,
        workspaceId: String? = null,
        timeout: Duration? = null,
        connectTimeout: Duration? = null,
        maxRetries: Int? = null,
        initialBackoff: Duration? = null,
        maxBackoff: Duration? = null,
        rateLimit: Double? = null,
        retryWrites: Boolean? = null,
        rateLimitStore: String? = null,
        rateLimitNamespace: String? = null,
        rateLimitFallback: RateLimitFallback? = null,
        rateLimitWorkers: Int? = null,
        userAgent: String? = null,
    ) : this(
        open(
            mapOf(
                "token" to token, "baseUrl" to baseUrl, "projectId" to projectId, "tenantId" to tenantId, "workspaceId" to workspaceId,
                "timeout" to timeout?.let(::seconds), "connectTimeout" to connectTimeout?.let(::seconds), "maxRetries" to maxRetries,
                "initialBackoff" to initialBackoff?.let(::seconds), "maxBackoff" to maxBackoff?.let(::seconds), "retryWrites" to retryWrites,
                "rateLimitStore" to rateLimitStore, "rateLimitNamespace" to rateLimitNamespace, "rateLimitFallback" to rateLimitFallback?.wire,
                "rateLimitWorkers" to rateLimitWorkers, "userAgent" to userAgent, "rateLimit" to rateLimit,
            ).filterValues { it != null },
        ),
    )

    private val api = Api(handle)

    /** The base URL this client talks to. */
    val baseUrl: String
    /** The project scope (`X-Project-Id`), or null for tenant scope. */
    val projectId: String?

    init {
        val d = JsonValues.parse(handle.describe()).jsonObject
        baseUrl = d.getValue("baseUrl").jsonPrimitive.content
        projectId = (d["projectId"] as? JsonPrimitive)?.takeIf { it.isString }?.content
    }

    /** Records of the master [name] (e.g. `"LOCATION"`). */
    fun masters(name: String): Masters = Masters(api, name)

    /** Records of the custom module [name] (e.g. `"CUSTOMMODULE"`). */
    fun modules(name: String): Modules = Modules(api, name)

    /** The sub-table [tableId] of module records. */
    fun subTable(tableId: String): SubTable = SubTable(api, tableId)

    /** Workflow actions of the module [module]. */
    fun workflow(module: String): Workflow = Workflow(api, module)

    /** Rows of the hierarchy master [name]. */
    fun hierarchy(name: String): Hierarchy = Hierarchy(api, name)

    /** The server build's metadata: `{name, version, branch, commit, date, ...}`. */
    @JvmSynthetic
    suspend fun buildInfo(): JsonObject = api.call("build.info", args()).jsonObject
    fun buildInfoBlocking(): JsonObject = blocking { buildInfo() }

    /** Users and their access. */
    val users: Users = Users(api)

    /** Health checks. */
    val health: Health = Health(api)

    /** Files attached to records: upload, download, download all as a zip (the client needs `tenantId` and `projectId`). */
    val documents: Documents = Documents(api)

    /** Workspaces: create, list, get, update. */
    val workspaces: Workspaces = Workspaces(api)

    /** Job status and log lines; `jobs.run(title, type) { job -> ... }` reports a block as a job. */
    val jobs: Jobs = Jobs(api)

    /** A client for another project (null: tenant scope), sharing connections and the rate limit. */
    fun withProject(projectId: String?): Exto360Client = Exto360Client(native { handle.withProject(projectId) })

    /** Frees the native client; calls in flight finish first. */
    override fun close() = handle.close()

    /** Base URL and scope; never the token. */
    override fun toString(): String = "Exto360Client(baseUrl=$baseUrl${projectId?.let { ", projectId=$it" } ?: ""})"

    /** A Java-friendly way to set the same options: `Exto360Client.builder().token(t).baseUrl(u).build()`. */
    class Builder internal constructor() {
        private val cfg = linkedMapOf<String, Any?>()
        fun token(v: String) = apply { cfg["token"] = v }
        fun baseUrl(v: String) = apply { cfg["baseUrl"] = v }
        fun projectId(v: String?) = apply { cfg["projectId"] = v }
        fun tenantId(v: String?) = apply { cfg["tenantId"] = v }
        fun workspaceId(v: String?) = apply { cfg["workspaceId"] = v }
        fun timeout(v: Duration) = apply { cfg["timeout"] = seconds(v) }
        fun connectTimeout(v: Duration) = apply { cfg["connectTimeout"] = seconds(v) }
        fun maxRetries(v: Int) = apply { cfg["maxRetries"] = v }
        fun initialBackoff(v: Duration) = apply { cfg["initialBackoff"] = seconds(v) }
        fun maxBackoff(v: Duration) = apply { cfg["maxBackoff"] = seconds(v) }
        /** Requests per second; 0 turns the limit off. */
        fun rateLimit(v: Double) = apply { cfg["rateLimit"] = v }
        fun retryWrites(v: Boolean) = apply { cfg["retryWrites"] = v }
        fun rateLimitStore(v: String) = apply { cfg["rateLimitStore"] = v }
        fun rateLimitNamespace(v: String) = apply { cfg["rateLimitNamespace"] = v }
        fun rateLimitFallback(v: RateLimitFallback) = apply { cfg["rateLimitFallback"] = v.wire }
        fun rateLimitWorkers(v: Int) = apply { cfg["rateLimitWorkers"] = v }
        fun userAgent(v: String) = apply { cfg["userAgent"] = v }
        fun build(): Exto360Client = Exto360Client(open(cfg.filterValues { it != null }))
    }

    companion object {
        /** A client from the `EXTO360_*` environment variables alone (`EXTO360_TOKEN` is required). */
        @JvmStatic
        fun fromEnv(): Exto360Client = Exto360Client(open(emptyMap()))

        @JvmStatic
        fun builder(): Builder = Builder()

        private fun seconds(d: Duration): Double = d.toNanos() / 1e9

        private fun open(cfg: Map<String, Any?>): NativeClient = native { NativeClient(JsonValues.of(cfg, "client config").toString()) }
    }
}

/** The library itself. */
object Exto360 {
    /** The version of the exto360 core inside this package, e.g. `0.1.0`. */
    @JvmStatic
    fun version(): String = com.exto360.ffi.version()
}

