package com.exto360

import kotlinx.coroutines.runBlocking
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertSame
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import org.junit.jupiter.api.io.TempDir
import java.io.ByteArrayInputStream
import java.io.IOException
import java.io.InputStream
import java.nio.file.Files
import java.nio.file.Path
import java.util.zip.ZipInputStream
import kotlin.random.Random

private const val TENANT = "cwWdTZK"
private const val PROJECT = "Vx6-j2Z"

/** Documents, workspaces and jobs against the in-process emulator (the demo dataset). */
class DocumentsTest : EmulatorTest(makeClient = { Exto360Client(token = it.token, baseUrl = it.url, tenantId = TENANT, projectId = PROJECT, rateLimit = 0.0, maxRetries = 1) }) {
    @TempDir
    lateinit var dir: Path

    /** A new empty directory (the class's [dir] is shared by its tests). */
    private fun fresh(): Path = Files.createTempDirectory(dir, "t")

    private fun entries(d: Path): List<String> = Files.list(d).use { s -> s.map { it.fileName.toString() }.sorted().toList() }

    private fun withMaxFileBytes(n: Long, block: () -> Unit) {
        emu.configure(JsonObject(mapOf("maxFileBytes" to JsonPrimitive(n))))
        try {
            block()
        } finally {
            emu.configure(JsonObject(mapOf("maxFileBytes" to JsonPrimitive(52428800))))
        }
    }

    @Test
    fun `a path, a stream of unknown size, bytes and text come back byte-identical`() {
        val rnd = Random(17)
        val big = rnd.nextBytes(3 * 1024 * 1024 + 7) // more than one 256 KiB read of the stream
        val streamed = rnd.nextBytes(1024 * 1024 + 3)
        val small = rnd.nextBytes(100)
        val src = dir.resolve("big.bin").also { Files.write(it, big) }
        val report = client.documents.uploadBlocking(
            listOf(
                UploadFile.path(src),
                UploadFile.stream("streamed.bin", ByteArrayInputStream(streamed)),
                UploadFile.bytes("small.bin", small).contentType("application/x-test"),
                UploadFile.text("note.txt", "Grüße\n"),
            ),
        )
        assertEquals(4, report.uploadedCount)
        assertEquals(listOf("big.bin", "streamed.bin", "small.bin", "note.txt"), report.files.map { it.fileName })
        assertTrue(report.files.all { it.state == "uploaded" && it.message == null })
        val expected = listOf(big, streamed, small, "Grüße\n".toByteArray())
        report.files.zip(expected).forEachIndexed { i, (f, bytes) ->
            val out = dir.resolve("out$i")
            val d = client.documents.downloadBlocking(f.documentId!!, out)
            assertEquals(out, d.path)
            assertEquals(bytes.size.toLong(), d.bytes)
            assertEquals(f.fileName, d.fileName)
            assertArrayEquals(bytes, Files.readAllBytes(out), "file $i")
        }
    }

    @Test
    fun `the suspend forms upload paths and download the first version`() = runBlocking {
        val a = dir.resolve("a.txt").also { Files.writeString(it, "version one") }
        val first = client.documents.uploadPaths(listOf(a)).files.single()
        Files.writeString(a, "version two, longer")
        client.documents.uploadPaths(listOf(a), UploadOptions(parentId = first.documentId))
        val v1 = client.documents.download(first.documentId!!, dir.resolve("v1.txt"), version = "v1")
        assertEquals("version one", Files.readString(v1.path))
        client.documents.download(first.documentId!!, dir.resolve("cur.txt"))
        assertEquals("version two, longer", Files.readString(dir.resolve("cur.txt")))
    }

    @Test
    fun `a partial upload throws BulkWrite with the per-file report`() = withMaxFileBytes(10) {
        val small = dir.resolve("small.txt").also { Files.writeString(it, "small") }
        val big = dir.resolve("big.bin").also { Files.write(it, ByteArray(11)) }
        val e = assertThrows<Exto360Exception.BulkWrite> { client.documents.uploadPathsBlocking(listOf(small, big)) }
        assertEquals(listOf(0), e.written)
        assertEquals(listOf(1), e.notWritten)
        assertEquals(emptyList<Int>(), e.unknown)
        assertEquals(200, e.status)
        assertEquals("errors.error_partial_upload", e.summary)
        assertEquals(listOf("files[1] big.bin: errors.error_file_too_large"), e.details)
        val up = e.upload!!
        assertEquals(Triple(1, 1, 0), Triple(up.uploadedCount, up.failedCount, up.unknownCount))
        assertEquals("uploaded", up.files[0].state)
        assertEquals(e.insertedIds, listOf(up.files[0].documentId))
        assertEquals("failed", up.files[1].state)
        assertEquals("errors.error_file_too_large", up.files[1].message)
        assertNull(up.files[1].document)
        // What the report calls uploaded really is stored, byte for byte.
        client.documents.downloadBlocking(up.files[0].documentId!!, dir.resolve("back.txt"))
        assertEquals("small", Files.readString(dir.resolve("back.txt")))
    }

    @Test
    fun `an upload the server refused entirely is not a BulkWrite but still carries the report`() = withMaxFileBytes(10) {
        val e = assertThrows<Exto360Exception.BadRequest> { client.documents.uploadBlocking(listOf(UploadFile.bytes("big.bin", ByteArray(11)))) }
        assertEquals("errors.error_upload_failed", e.summary)
        assertEquals("failed", e.upload!!.files.single().state)
        assertEquals(0, e.report!!.writtenCount.toInt())
    }

    @Test
    fun `a stream that fails while read is an error naming it, and nothing is reported uploaded`() {
        val broken = object : InputStream() {
            var left = 300_000
            override fun read(): Int = if (left-- > 0) 1 else throw IOException("disk unplugged")
        }
        val e = assertThrows<Exto360Exception> { client.documents.uploadBlocking(listOf(UploadFile.stream("broken.bin", broken))) }
        assertTrue(e.message!!.contains("disk unplugged"), e.message)
        assertTrue((e.upload?.uploadedCount ?: 0) == 0, "${e.upload}")
    }

    @Test
    fun `files without a name or with two sources are refused before sending`() {
        val e = assertThrows<Exto360Exception.InvalidInput> { client.documents.uploadBlocking(listOf(UploadFile.stream("", ByteArrayInputStream(ByteArray(1))))) }
        assertTrue(e.message!!.contains("no file name"), e.message)
        assertThrows<Exto360Exception.InvalidInput> { client.documents.uploadPathsBlocking(listOf(dir.resolve("missing.txt"))) }
        assertEquals(0, emu.journal().size)
    }

    @Test
    fun `a truncated download leaves no file, and keeps the one already there`() {
        val id = client.documents.uploadBlocking(listOf(UploadFile.bytes("p.bin", Random(3).nextBytes(200_000)))).files[0].documentId!!
        val dir = fresh()
        emu.setFaults(listOf(JsonObject(mapOf("kind" to JsonPrimitive("truncate"), "path" to JsonPrimitive("/api/v1/documents/download")))))
        assertThrows<Exto360Exception.Connection> { client.documents.downloadBlocking(id, dir.resolve("p.bin")) }
        assertEquals(emptyList<String>(), entries(dir))

        Files.writeString(dir.resolve("p.bin"), "old")
        emu.setFaults(listOf(JsonObject(mapOf("kind" to JsonPrimitive("truncate"), "path" to JsonPrimitive("/api/v1/documents/download")))))
        assertThrows<Exto360Exception.Connection> { client.documents.downloadBlocking(id, dir.resolve("p.bin")) }
        assertEquals(listOf("p.bin"), entries(dir))
        assertEquals("old", Files.readString(dir.resolve("p.bin")))
    }

    @Test
    fun `downloadAll writes a zip of the record's attachments`() {
        val record = client.modules("CUSTOMMODULE").listBlocking().rows[0].getValue("_id").jsonPrimitive.content
        client.documents.uploadBlocking(listOf(UploadFile.text("attached.txt", "attached body")), UploadOptions(module = "CUSTOMMODULE", recordId = record))
        val zip = client.documents.downloadAllBlocking(record, "CUSTOMMODULE", dir.resolve("all.zip"))
        val names = mutableMapOf<String, String>()
        ZipInputStream(Files.newInputStream(zip.path)).use { z ->
            while (true) {
                val e = z.nextEntry ?: break
                names[e.name] = String(z.readAllBytes())
            }
        }
        assertEquals("attached body", names["attached.txt"], "$names")
    }

    @Test
    fun `workspaces are created, listed, read and renamed`() {
        val west = client.workspaces.createBlocking("Test West")
        val plant = client.workspaces.createBlocking("Test Plant", west.id)
        assertEquals(west.id, plant.parentId)
        val page = client.workspaces.listBlocking(filter = Filter.raw("name:sw:Test"), sort = "name")
        assertEquals(listOf("Test Plant", "Test West"), page.rows.map { it.name })
        assertNull(page.total)
        assertEquals("Test Plant", client.workspaces.getBlocking(plant.id).name)
        assertEquals("Test Plant 2", client.workspaces.updateBlocking(plant.id, "Test Plant 2").name)
        assertEquals("Test Plant 2", client.workspaces.getBlocking(plant.id).name)
    }

    private fun job(id: String): JsonObject = client.jobs.listBlocking(pageSize = 200).rows.single { (it["_id"] ?: it["id"])!!.jsonPrimitive.content == id }

    @Test
    fun `the job helper marks a job Completed with its duration`() = runBlocking {
        var id = ""
        val n = client.jobs.run("Nightly load", "Load") { job ->
            id = job.id
            job.log("120 rows read")
            120
        }
        assertEquals(120, n)
        val j = job(id)
        assertEquals(Jobs.COMPLETED, j.getValue("status").jsonPrimitive.content)
        assertNotNull(j["duration"])
        assertTrue(j.getValue("log").jsonArray.any { it.jsonObject["message"]?.jsonPrimitive?.content == "120 rows read" })
    }

    @Test
    fun `the job helper logs the error, marks the job Failed and rethrows the same exception`() {
        var id = ""
        val boom = IllegalStateException("disk full")
        val thrown = assertThrows<IllegalStateException> {
            runBlocking {
                client.jobs.run("Nightly load", "Load") { job ->
                    id = job.id
                    job.log("starting")
                    throw boom
                }
            }
        }
        assertSame(boom, thrown)
        val j = job(id)
        assertEquals(Jobs.FAILED, j.getValue("status").jsonPrimitive.content)
        val last = j.getValue("log").jsonArray.last().jsonObject
        assertEquals("error", last.getValue("level").jsonPrimitive.content)
        assertEquals("IllegalStateException: disk full", last.getValue("message").jsonPrimitive.content)
    }

    @Test
    fun `the blocking job helper does the same, and a failure to report is suppressed, not thrown`() {
        var id = ""
        val e = assertThrows<ArithmeticException> {
            client.jobs.runBlocking<Int>("Export", "Export") { job ->
                id = job.id
                throw ArithmeticException("/ by zero")
            }
        }
        assertEquals(Jobs.FAILED, job(id).getValue("status").jsonPrimitive.content)
        assertEquals(0, e.suppressed.size)

        // The server refuses the Failed update: the caller still gets its own exception.
        emu.setFaults(listOf(JsonObject(mapOf("kind" to JsonPrimitive("status"), "status" to JsonPrimitive(400), "method" to JsonPrimitive("PUT")))))
        val mine = RuntimeException("mine")
        val got = assertThrows<RuntimeException> { client.jobs.runBlocking<Unit>("Export", "Export") { throw mine } }
        assertSame(mine, got)
        assertTrue(got.suppressed.single() is Exto360Exception.BadRequest, got.suppressed.toList().toString())
    }

    @Test
    fun `jobs are created, updated, logged and failed by id`() {
        val id = client.jobs.createBlocking(mapOf("jobTitle" to "Import vendors", "jobType" to "Import", "status" to Jobs.NOT_STARTED))
        client.jobs.updateBlocking(id, Jobs.IN_PROGRESS)
        client.jobs.logBlocking(id, "half way", "warning")
        client.jobs.failBlocking(id, "gave up")
        val j = job(id)
        assertEquals(Jobs.FAILED, j.getValue("status").jsonPrimitive.content)
        assertEquals(listOf("half way", "gave up"), j.getValue("log").jsonArray.map { it.jsonObject.getValue("message").jsonPrimitive.content })
        assertThrows<Exto360Exception.InvalidInput> { client.jobs.listBlocking(pageSize = 201) }
        assertFalse(client.jobs.listBlocking().rows.isEmpty())
    }

    @Test
    fun `the JSON form takes the operation's arguments as the other languages do`() {
        val r = client.documents.uploadJsonBlocking(JsonObject(mapOf("files" to JsonArray(listOf(JsonObject(mapOf("name" to JsonPrimitive("n.txt"), "text" to JsonPrimitive("abc"))))))))
        assertEquals("n.txt", r.files.single().fileName)
        val e = assertThrows<Exto360Exception.InvalidInput> { client.documents.uploadJsonBlocking(JsonObject(mapOf("files" to JsonArray(emptyList()), "meta" to JsonPrimitive("x")))) }
        assertTrue(e.message!!.contains("meta") || e.message!!.contains("no files"), e.message)
    }
}
