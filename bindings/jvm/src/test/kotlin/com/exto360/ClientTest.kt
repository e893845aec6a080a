package com.exto360

import com.exto360.testing.Emulator
import kotlinx.coroutines.flow.count
import kotlinx.coroutines.flow.map
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.buildJsonObject
import kotlinx.serialization.json.int
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import kotlinx.serialization.json.put
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/** Every operation through the Kotlin (suspend) API against the in-process emulator. */
class ClientTest : EmulatorTest() {
    private fun JsonObject.str(k: String) = getValue(k).jsonPrimitive.content
    private fun JsonObject.field(k: String) = getValue("customFields").jsonObject.getValue(k).jsonPrimitive.content
    private fun lastRequest() = emu.journal().last()
    private fun JsonObject.param(k: String) = getValue("params").jsonArray.map { it.jsonArray }.single { it[0].jsonPrimitive.content == k }[1].jsonPrimitive.content

    @Test
    fun health() = runBlocking {
        assertEquals(JsonPrimitive(true), client.health.liveness()["ok"])
        assertEquals(JsonPrimitive(true), client.health.readiness()["ok"])
    }

    @Test
    fun `list one page with a built filter, sort and paging`() = runBlocking {
        val page = client.masters("LOCATION").list(ListOptions(pageSize = 2, sort = "-serial_number", filter = Filter.field("serial_number").number().gt(1000)))
        assertEquals(listOf("PUN", "CHN"), page.rows.map { it.field("code") })
        assertEquals(4L, page.total)
        assertEquals(2L, page.totalPages)
        assertTrue(page.hasNext)
        assertEquals("serial_number:NUMBER:gt:1000", lastRequest().param("filter"))
        assertEquals("2", lastRequest().param("pageSize"))
    }

    @Test
    fun `a raw filter string is sent as it is`() = runBlocking {
        val page = client.masters("LOCATION").list(ListOptions().filter(Filter.raw("code:eq:BLR")))
        assertEquals(listOf("BLR"), page.rows.map { it.field("code") })
    }

    @Test
    fun `iterate every record page by page`() = runBlocking {
        Emulator(bigDataset(2500)).use { big ->
            Exto360Client(token = big.token, baseUrl = big.url, rateLimit = 0.0).use { c ->
                val ids = c.masters("BIG").iter(ListOptions(pageSize = 1000)).map { it.str("_id") }.toList()
                assertEquals(2500, ids.size)
                assertEquals(2500, ids.toSet().size)
                assertEquals(3, big.journal().size, "three pages of 1000")
                val pages = c.masters("BIG").pages(ListOptions(pageSize = 1000, page = 2)).toList()
                assertEquals(listOf(1000, 500), pages.map { it.rows.size })
            }
        }
    }

    @Test
    fun `upsert masters, then update by the unique field`() = runBlocking {
        val rows = (0 until 2500).map { mapOf("vendor_id" to "V$it", "n" to it, "tags" to listOf("a", null), "when" to java.time.LocalDate.of(2024, 1, 2)) }
        val res = client.masters("VENDOR").upsert(rows)
        assertEquals(2500, res.insertedCount)
        assertEquals(2500, res.insertedIds.size)
        assertEquals(3, emu.journal().count { it.str("method") == "POST" }, "chunks of 1000")
        val again = client.masters("VENDOR").upsert(listOf(buildJsonObject { put("vendor_id", "V7"); put("n", 70) }))
        assertEquals(UpsertResult(emptyList(), 0, 1), again)
        val stored = emu.records("masters", "VENDOR")
        assertEquals(2500, stored.size)
        assertEquals("2024-01-02", stored[0].field("when"))
    }

    @Test
    fun `modules list by status, upsert as a user, sub-table rows and workflow actions`() = runBlocking {
        val drafts = client.modules("CUSTOMMODULE").list(ListOptions(status = "Draft"))
        assertEquals(listOf("R-1"), drafts.rows.map { it.field("ref_no") })
        val res = client.modules("CUSTOMMODULE").upsert(listOf(mapOf("ref_no" to "R-9", "title" to "New")), userName = "johndoe@exto360.com")
        assertEquals(1, res.insertedCount)
        assertEquals("johndoe@exto360.com", lastRequest().param("userName"))

        val id = drafts.rows[0].str("_id")
        val sub = client.subTable("Signatures").upsert(listOf(mapOf("signer" to "a@x.com"), mapOf("signer" to "b@x.com")), moduleName = "CUSTOMMODULE", recordId = id)
        assertEquals(2, sub.insertedCount)

        val moved = client.workflow("CUSTOMMODULE").act(listOf(id), action = "Submit", userName = "johndoe@exto360.com")
        assertEquals(listOf(id), moved.map { it.recordId })
        assertEquals(listOf("R-1"), client.modules("CUSTOMMODULE").list(ListOptions(status = "Submitted")).rows.map { it.field("ref_no") }.filter { it == "R-1" })
    }

    @Test
    fun `the eight user-access calls and iteration`() = runBlocking {
        val u = client.users
        val granted = u.grantAccess("jane@exto360.com", listOf(ProjectGrant("p6iDlWb", groups = listOf("Ops"), spaces = listOf("S1"))), listOf("G1"), mapOf("firstName" to "Jane", "applicationRole" to "PME"))
        assertEquals(1, granted.insertedCount)
        val body = lastRequest().getValue("body").jsonObject
        assertEquals("jane@exto360.com", body.getValue("user").jsonObject.str("userName"))
        assertEquals("p6iDlWb", body.getValue("projects").jsonArray[0].jsonObject.str("projectId"))

        val page = u.list(page = 1, pageSize = 1000)
        assertEquals(5, page.rows.size)
        assertEquals(5, u.iter(pageSize = 2).count())
        assertEquals("Jane", u.get("jane@exto360.com").getValue("user").jsonObject.str("firstName"))
        assertEquals(listOf("G1", "G2", "Group3", "Group4"), u.groups().getValue("groups").jsonArray.map { it.jsonPrimitive.content })
        assertEquals(emptyList<Any>(), u.groups(onlyProjectGroups = true).getValue("groups").jsonArray)

        val off = u.deactivate(listOf("johndoe@exto360.com", "ghost@exto360.com"))
        assertEquals(1, off.nMatched)
        assertEquals(1, off.nModified)
        assertEquals(1, u.activate(listOf("johndoe@exto360.com")).nModified)
        assertEquals("success", u.removeAccess("admin@exto360.com", listOf("p6iDlWb"), listOf("G1")).str("status"))
        assertEquals("success", u.removeProjectAccess("admin@exto360.com", listOf("Vx6-j2Z")).str("status"))
        val admin = u.get("admin@exto360.com")
        assertEquals(emptyList<Any>(), admin.getValue("projects").jsonArray.map { it.jsonObject.str("projectID") })
    }

    @Test
    fun `project scope is a header, and withProject shares the client`() = runBlocking {
        val scoped = client.withProject("Vx6-j2Z")
        assertEquals("Vx6-j2Z", scoped.projectId)
        val page = scoped.masters("LOCATION").list()
        assertEquals(3, page.rows.size)
        assertEquals("Vx6-j2Z", lastRequest().getValue("headers").jsonObject.str("x-project-id"))
        assertNull(scoped.withProject(null).projectId)
        scoped.close()
    }

    @Test
    fun `the client's text names the host, never the token`() {
        Exto360Client(token = "tok-secret-42", baseUrl = emu.url, projectId = "P1").use { c ->
            assertTrue(c.baseUrl.startsWith(emu.url), c.baseUrl)
            assertEquals("Exto360Client(baseUrl=${c.baseUrl}, projectId=P1)", c.toString())
            assertFalse(c.toString().contains("tok-secret-42"))
        }
    }

    @Test
    fun `the builder sets the same options as the constructor`() = runBlocking {
        Exto360Client.builder().token(emu.token).baseUrl(emu.url).rateLimit(0.0).maxRetries(0).timeout(java.time.Duration.ofSeconds(5))
            .initialBackoff(java.time.Duration.ofMillis(10)).maxBackoff(java.time.Duration.ofMillis(20)).retryWrites(true)
            .rateLimitFallback(RateLimitFallback.FAIL).rateLimitWorkers(2).userAgent("jvm-test/1").build().use { c ->
                assertEquals(6, c.masters("LOCATION").list().rows.size)
                assertEquals("jvm-test/1", lastRequest().getValue("headers").jsonObject.str("user-agent"))
            }
    }

    @Test
    fun `the default user agent names the JVM package and its version`() = runBlocking {
        client.health.liveness()
        assertEquals("exto360-jvm/${Exto360.version()}", lastRequest().getValue("headers").jsonObject.str("user-agent"))
    }

    @Test
    fun `version is the core's and the pom's`() {
        assertTrue(Exto360.version().matches(Regex("""\d+\.\d+\.\d+.*""")), Exto360.version())
        assertEquals(System.getProperty("exto360.pomVersion"), Exto360.version(), "pom.xml <version> and the Cargo workspace version differ")
    }

    @Test
    fun `the emulator helper reports settings and faults`() {
        val s = emu.configure(buildJsonObject { put("listShape", "array") })
        assertEquals("array", s.str("listShape"))
        runBlocking {
            val page = client.masters("LOCATION").list()
            assertEquals(6, page.rows.size)
            assertNull(page.total, "a bare array has no total")
        }
        emu.configure(buildJsonObject { put("listShape", "object") })
        assertEquals(1, emu.journal().size)
        emu.clearJournal()
        assertEquals(0, emu.journal().size)
    }

    companion object {
        fun bigDataset(count: Int): JsonObject = kotlinx.serialization.json.Json.parseToJsonElement(
            """{"tenants":[{"id":"t","tokens":[{"token":"big-token","user":"b@x.com"}],"masters":[{"name":"BIG","generate":{"count":$count}}]}]}""",
        ).jsonObject
    }
}

internal fun JsonObject.int(k: String) = getValue(k).jsonPrimitive.int
