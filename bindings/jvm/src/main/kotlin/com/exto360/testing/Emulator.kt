package com.exto360.testing

import com.exto360.ffi.NativeEmulator
import com.exto360.ffi.liveTasks
import com.exto360.native
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonObject
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse

/**
 * An emulator of the Exto360 Data API running in this process on `127.0.0.1` (a free port),
 * for your tests:
 *
 * ```
 * Emulator().use { emu ->
 *     Exto360Client(token = emu.token, baseUrl = emu.url, rateLimit = 0.0).use { client ->
 *         client.masters("LOCATION").upsertBlocking(listOf(mapOf("code" to "BLR", "name" to "Bengaluru")))
 *     }
 *     check(emu.journal().last()["method"].toString() == "\"POST\"")
 * }
 * ```
 *
 * It serves the built-in demo dataset (masters LOCATION, ITEM, VENDOR; module CUSTOMMODULE with
 * a workflow and sub-tables; users; two projects) unless given one. Its rate limit is off unless
 * `settings` say `{"rateLimit": 3}`. Datasets, settings and fault rules are described in the
 * emulator's README.
 *
 * @param dataset a whole dataset (default: the demo dataset).
 * @param settings emulator settings over the defaults (`rateLimit`, `listShape`, ...).
 * @param token replaces the dataset's first token.
 */
class Emulator @JvmOverloads constructor(dataset: JsonObject? = null, settings: JsonObject? = null, token: String? = null) : AutoCloseable {
    private val emu: NativeEmulator = native { NativeEmulator(dataset?.toString(), token) }

    /** The base URL for a client, e.g. `http://127.0.0.1:41234`. */
    val url: String = emu.url()

    /** The token the emulator accepts. */
    val token: String = emu.token()

    private val http: HttpClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()

    init {
        if (settings != null) {
            try {
                configure(settings)
            } catch (e: Throwable) {
                close()
                throw e
            }
        }
    }

    /** Every API request so far: method, path, query, params, headers (token masked), body, status. */
    fun journal(): List<JsonObject> = admin("GET", "/journal").jsonObject.getValue("entries").jsonArray.map { it.jsonObject }

    fun clearJournal() {
        admin("DELETE", "/journal")
    }

    /** Back to the dataset; clears the journal, faults and rate-limit state. */
    fun reset() {
        admin("POST", "/reset")
    }

    /** Replaces the fault rules, e.g. `[{"kind": "status", "status": 503, "times": 2}]` (kinds: status, latency, reset, truncate). */
    fun setFaults(faults: List<JsonObject>) {
        admin("PUT", "/faults", JsonArray(faults))
    }

    /** Changes settings (`rateLimit`, `listShape`, `userListShape`, `frozenTime`, ...) and returns them all. */
    fun configure(settings: JsonObject): JsonObject = admin("PATCH", "/config", settings).jsonObject

    /** Replaces the data with [dataset] (and clears the journal). */
    fun loadDataset(dataset: JsonObject) {
        admin("PUT", "/dataset", dataset)
    }

    /** Every stored record of [kind] (`"masters"`/`"modules"`) [name], with sub-table rows under `subTables`. */
    fun records(kind: String, name: String): List<JsonObject> = admin("GET", "/records/$kind/$name").jsonArray.map { it.jsonObject }

    /** Stops the server; idempotent. */
    override fun close() {
        emu.stop()
        emu.close()
    }

    override fun toString(): String = "Emulator(url=$url)"

    private fun admin(method: String, path: String, body: JsonElement? = null): JsonElement {
        val publisher = body?.let { HttpRequest.BodyPublishers.ofString(it.toString()) } ?: HttpRequest.BodyPublishers.noBody()
        val req = HttpRequest.newBuilder(URI.create("$url/__emulator$path")).method(method, publisher).header("content-type", "application/json").build()
        val res = http.send(req, HttpResponse.BodyHandlers.ofString())
        require(res.statusCode() == 200) { "emulator admin $method $path: ${res.statusCode()} ${res.body()}" }
        return Json.parseToJsonElement(res.body())
    }

    companion object {
        /**
         * Native calls in flight plus open page streams in this process: 0 once every client call
         * and iteration has ended or been cancelled. For tests that check nothing is left running.
         */
        @JvmStatic
        fun liveNativeTasks(): Long = liveTasks()
    }
}
