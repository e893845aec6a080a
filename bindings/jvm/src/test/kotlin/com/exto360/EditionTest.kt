package com.exto360

import kotlinx.coroutines.flow.map
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/** The operations of the current edition, through the Kotlin API and a few blocking forms. */
class EditionTest : EmulatorTest() {
    private fun JsonObject.str(k: String) = getValue(k).jsonPrimitive.content
    private val user = "johndoe@exto360.com"

    @Test
    fun `update and delete name records by the caller's key`() = runBlocking {
        val refs = client.masters("LOCATION").list().rows.map { it.str("refId") }
        assertEquals(UpsertResult(emptyList(), 0, 1), client.masters("LOCATION").update(listOf(mapOf("refId" to refs[0], "name" to "B")), RecordKey.REF_ID))
        assertEquals(DeleteResult(2), client.masters("LOCATION").delete(refs.take(2), RecordKey.RECORD_NUMBER, user))
        val m = client.modules("CUSTOMMODULE")
        assertEquals(1L, m.updateBlocking(listOf(mapOf("recordNumber" to "MOD-1", "x" to 1)), RecordKey.RECORD_NUMBER, user).updatedCount)
        assertEquals(DeleteResult(1), m.deleteBlocking(listOf("MOD-1"), RecordKey.RECORD_NUMBER, user))
        assertThrows(Exto360Exception.NotFound::class.java) { m.deleteBlocking(listOf("MOD-1"), RecordKey.RECORD_NUMBER, user) }
        Unit
    }

    @Test
    fun `a 200 with success false is PermissionDenied with a report`() = runBlocking {
        val ref = client.masters("LOCATION").list().rows[0].str("refId")
        val e = assertThrows(Exto360Exception.PermissionDenied::class.java) { client.masters("LOCATION").deleteBlocking(listOf(ref), RecordKey.REF_ID, "jasonsmith@exto360.com") }
        assertEquals(200, e.status)
        assertEquals(listOf(0), e.report!!.notWritten)
    }

    @Test
    fun `expand yields complete records one at a time`() = runBlocking {
        val rid = client.modules("CUSTOMMODULE").upsert(listOf(mapOf("ref_no" to "BIG")), user).insertedIds[0]
        client.subTable("Lines").upsert((0 until 250).map { mapOf("qty" to it) }, "CUSTOMMODULE", rid)
        val recs = client.modules("CUSTOMMODULE").expand(ExpandOptions(recordIds = listOf(rid), subTableFields = listOf("qty"))).toList()
        assertEquals(1, recs.size)
        val qty = recs[0].getValue("subTableData").jsonObject.getValue("Lines").jsonObject.getValue("rows").jsonArray.map { it.jsonObject.str("qty").toInt() }
        assertEquals((0 until 250).toList(), qty)
        val all = client.modules("CUSTOMMODULE").expandBlocking(ExpandOptions().pageSize(1).fields(listOf("recordNumber"))).use { it.asSequence().map { r -> r.str("recordNumber") }.toList() }
        assertEquals(listOf("MOD-1", "MOD-2", "MOD-3", "MOD-4"), all)
        assertThrows(Exto360Exception.InvalidInput::class.java) { runBlocking { client.modules("CUSTOMMODULE").expand(ExpandOptions(pageSize = 101)).toList() } }
        assertEquals(0L, com.exto360.testing.Emulator.liveNativeTasks())
    }

    @Test
    fun `sub-table rows, hierarchy, workflow v2 and build info`() = runBlocking {
        val rid = client.modules("CUSTOMMODULE").list(ListOptions(sort = "-recordNumber")).rows[0].str("_id")
        val st = client.subTable("Signatures")
        assertEquals("SIG-1", st.list("CUSTOMMODULE", rid).rows[0].str("recordNumber"))
        assertEquals(listOf("SIG-1"), st.iter("CUSTOMMODULE", rid, pageSize = 1).map { it.str("recordNumber") }.toList())
        assertEquals(DeleteResult(1), st.delete(listOf("SIG-1"), "CUSTOMMODULE", rid))

        val h = client.hierarchy("ORG_UNIT")
        assertEquals(1L, h.create(listOf(mapOf("sys_rowID" to "X", "sys_parentRowID" to "ORG-4"))).insertedCount)
        assertEquals(1L, h.update(listOf(mapOf("sys_rowID" to "X", "sys_parentRowID" to "ORG-3"))).updatedCount)
        assertEquals("/ORG-1/ORG-3/X", h.iter(pageSize = 2).toList().last().str("sys_path"))
        assertEquals(h.listBlocking().total, h.iterBlocking().use { it.asSequence().count().toLong() })

        val wf = client.withProject("Vx6-j2Z").workflow("CUSTOMMODULE")
        assertEquals(2L, wf.list(WorkflowListOptions(filter = Filter.field("status").eq("Draft") or Filter.field("status").eq("Submitted"))).total)
        val out = wf.transition(WorkflowStep.CREATE, "MOD-1", user, actionName = "Submit", spaceName = "S1", comment = Comment("please")).jsonObject
        assertEquals("Submitted", out.str("status"))
        assertEquals("please", wf.history("MOD-1").jsonObject.getValue("history").jsonArray[0].jsonObject.str("comment"))
        val e = assertThrows(Exto360Exception.InvalidInput::class.java) { wf.transitionBlocking(WorkflowStep.SUBMIT, "MOD-1", user, actionName = "Approve") }
        assertTrue(e.message!!.contains("space_name"), e.message)
        assertThrows(Exto360Exception.InvalidInput::class.java) { client.workflow("CUSTOMMODULE").listBlocking() }
        assertTrue(client.buildInfo().containsKey("version"))
    }
}
