package com.exto360

import kotlinx.coroutines.runBlocking
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import java.time.Duration

/** Every error kind is its own class with the API's facts, and never carries the token. */
class ErrorsTest : EmulatorTest(token = SECRET, makeClient = {
    Exto360Client(token = SECRET, baseUrl = it.url, rateLimit = 0.0, maxRetries = 1, initialBackoff = Duration.ofMillis(5), maxBackoff = Duration.ofMillis(10))
}) {
    private val secret = SECRET
    private fun faults(vararg json: String) = emu.setFaults(json.map { Json.parseToJsonElement(it).jsonObject })

    private inline fun <reified E : Exto360Exception> fails(crossinline block: suspend () -> Unit): E {
        val e = assertThrows(E::class.java) { runBlocking { block() } }
        for (text in listOf(e.message ?: "", e.toString(), e.details.joinToString(), e.stackTraceToString())) {
            assertFalse(text.contains(secret), "the token leaked into: $text")
        }
        return e
    }

    @Test
    fun `an unknown master is NotFound with the API's facts`() {
        val e = fails<Exto360Exception.NotFound> { client.masters("NOPE").list() }
        assertEquals("not_found", e.code)
        assertEquals(500, e.status)
        assertEquals("Service Exception", e.summary)
        assertTrue(e.details.any { it.contains("not Found") }, e.details.toString())
    }

    @Test
    fun `a wrong token is Authentication and is not retried`() {
        Exto360Client(token = "wrong-$secret", baseUrl = emu.url, rateLimit = 0.0).use { c ->
            val e = fails<Exto360Exception.Authentication> { c.masters("LOCATION").list() }
            assertEquals(401, e.status)
            assertEquals(0, e.retries)
            assertFalse(e.toString().contains("wrong-$secret"))
        }
    }

    @Test
    fun `a refused request is BadRequest, a forbidden one PermissionDenied`() {
        faults("""{"kind": "status", "status": 400}""")
        assertEquals(400, fails<Exto360Exception.BadRequest> { client.users.list() }.status)
        faults("""{"kind": "status", "status": 403}""")
        assertEquals(403, fails<Exto360Exception.PermissionDenied> { client.users.list() }.status)
    }

    @Test
    fun `a name stays one path segment`() {
        fails<Exto360Exception.NotFound> { client.masters("a/../b").list() }
        assertEquals("/api/v1/master-record/a%2F..%2Fb", emu.journal().single()["path"]!!.jsonPrimitive.content)
    }

    @Test
    fun `429 after every retry is RateLimited, with Retry-After`() {
        faults("""{"kind": "status", "status": 429, "retryAfter": 0}""")
        val e = fails<Exto360Exception.RateLimited> { client.masters("LOCATION").list() }
        assertEquals(429, e.status)
        assertEquals(1, e.retries)
        assertEquals(2, emu.journal().size)
        assertNotNull(e.retryAfter)
    }

    @Test
    fun `5xx after every retry is Server, a transient one is retried away`() {
        faults("""{"kind": "status", "status": 503}""")
        val e = fails<Exto360Exception.Server> { client.masters("LOCATION").list() }
        assertEquals(503, e.status)
        faults("""{"kind": "status", "status": 503, "times": 1}""")
        runBlocking { assertEquals(6, client.masters("LOCATION").list().rows.size) }
    }

    @Test
    fun `a slow answer is Timeout`() {
        faults("""{"kind": "latency", "latencyMs": 2000}""")
        Exto360Client(token = secret, baseUrl = emu.url, rateLimit = 0.0, maxRetries = 0, timeout = Duration.ofMillis(200)).use { c ->
            val e = fails<Exto360Exception.Timeout> { c.health.readiness() }
            assertEquals("timeout", e.code)
        }
    }

    @Test
    fun `nobody listening is Connection`() {
        val port = java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()).use { it.localPort }
        Exto360Client(token = secret, baseUrl = "http://127.0.0.1:$port", rateLimit = 0.0, maxRetries = 0).use { c ->
            fails<Exto360Exception.Connection> { c.health.liveness() }
        }
    }

    @Test
    fun `an unreachable shared rate-limit store follows its fallback`() {
        val port = java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()).use { it.localPort }
        val store = "redis://127.0.0.1:$port"
        Exto360Client(token = secret, baseUrl = emu.url, rateLimit = 50.0, rateLimitStore = store, rateLimitFallback = RateLimitFallback.FAIL).use { c ->
            fails<Exto360Exception.Connection> { c.masters("LOCATION").list() }
        }
        assertEquals(0, emu.journal().size, "fail: nothing is sent")
        Exto360Client(token = secret, baseUrl = emu.url, rateLimit = 50.0, rateLimitStore = store, rateLimitNamespace = "jvm-test", rateLimitWorkers = 2).use { c ->
            runBlocking { assertEquals(6, c.masters("LOCATION").list().rows.size) }
        }
        assertEquals(1, emu.journal().size, "local (the default): sent under the in-process limit")
    }

    @Test
    fun `bad settings and arguments are InvalidInput before anything is sent`() {
        val cfg = assertThrows(Exto360Exception.InvalidInput::class.java) { Exto360Client(token = secret, baseUrl = emu.url, maxRetries = 101) }
        assertTrue(cfg.message!!.contains("retries"), cfg.message)
        assertThrows(Exto360Exception.InvalidInput::class.java) { Exto360Client(token = secret, baseUrl = emu.url, timeout = Duration.ZERO) }
        assertThrows(Exto360Exception.InvalidInput::class.java) { Exto360Client(token = secret, baseUrl = "http://example.com") }
        fails<Exto360Exception.InvalidInput> { client.masters("LOCATION").list(ListOptions(filter = Filter.field("openedOn").date().gt("2024-01-01"))) }
        fails<Exto360Exception.InvalidInput> { client.masters("LOCATION").list(ListOptions(filter = Filter.field("a").number().gt(listOf(1, 2)))) }
        fails<Exto360Exception.InvalidInput> { client.masters("LOCATION").list(ListOptions(page = -1)) }
        fails<Exto360Exception.InvalidInput> { client.masters("LOCATION").list(ListOptions(pageSize = 1001)) }
        val nan = fails<Exto360Exception.InvalidInput> { client.masters("VENDOR").upsert(listOf(mapOf("vendor_id" to "V1", "x" to Double.NaN))) }
        assertTrue(nan.message!!.contains("records[0].x"), nan.message)
        val cyclic = HashMap<String, Any?>()
        cyclic["self"] = cyclic
        val deep = fails<Exto360Exception.InvalidInput> { client.masters("VENDOR").upsert(listOf(cyclic)) }
        assertTrue(deep.message!!.contains("deeper"), deep.message)
        fails<Exto360Exception.InvalidInput> { client.masters("VENDOR").upsert(listOf(mapOf("x" to Any()))) }
        assertThrows(Exto360Exception.InvalidInput::class.java) { Filter.raw("a:eq:1") and Filter.field("b").eq(1) }
        assertEquals(0, emu.journal().size, "nothing was sent")
    }

    @Test
    fun `a bulk write that failed part-way says what was written, not written and unknown`() {
        // Chunk 2 of 3 is answered 500 after the work was done (unknown to the client); chunk 3 is refused (not written).
        faults(
            """{"kind": "status", "status": 500, "afterWork": true, "method": "POST", "bodyContains": "\"V1500\""}""",
            """{"kind": "status", "status": 400, "method": "POST", "bodyContains": "\"V2200\""}""",
        )
        val rows = (0 until 2500).map { mapOf("vendor_id" to "V$it") }
        val e = fails<Exto360Exception.BulkWrite> { client.masters("VENDOR").upsert(rows) }
        assertEquals("bulk_write", e.code)
        assertEquals(2500L, e.report!!.total)
        assertEquals(listOf(0L until 1000L), e.report.writtenRanges)
        assertEquals(listOf(1000L until 2000L), e.report.unknownRanges)
        assertEquals(listOf(2000L until 2500L), e.report.notWrittenRanges)
        assertEquals(1000, e.written.size)
        assertEquals(2000, e.notWritten.first())
        assertEquals(1000, e.insertedIds.size)
        assertTrue(e.message!!.contains("1000 of 2500 written, 500 not written, 1000 unknown"), e.message)
        assertEquals(2000, emu.records("masters", "VENDOR").size, "the emulator applied chunks 1 and 2")
    }

    @Test
    fun `a bulk write refused whole is the plain error with a report of nothing written`() {
        faults("""{"kind": "status", "status": 400, "method": "POST"}""")
        val e = fails<Exto360Exception.BadRequest> { client.masters("VENDOR").upsert(listOf(mapOf("vendor_id" to "V1"))) }
        assertEquals(listOf(0), e.report!!.notWritten)
        assertEquals(emptyList<Int>(), e.report.written)
    }

    @Test
    fun `Java sees one sealed hierarchy`() {
        val kinds = Exto360Exception::class.java.declaredClasses.filter { Exto360Exception::class.java.isAssignableFrom(it) }.map { it.simpleName }.toSet()
        assertEquals(
            setOf("BadRequest", "Authentication", "PermissionDenied", "NotFound", "RateLimited", "Server", "Timeout", "Connection", "InvalidResponse", "InvalidInput", "Internal", "BulkWrite"),
            kinds,
        )
    }
}

private const val SECRET = "tok-never-in-errors-981"
