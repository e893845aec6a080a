package com.exto360;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.exto360.testing.Emulator;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import kotlinx.serialization.json.JsonElementKt;
import kotlinx.serialization.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Java callers are first-class: only the blocking API, plain Java types, try-with-resources. */
class BlockingApiTest {
    private static String code(JsonObject record) {
        return JsonElementKt.getJsonPrimitive(JsonElementKt.getJsonObject(record.get("customFields")).get("code")).getContent();
    }

    @Test
    void everyKindOfCallFromJava() {
        try (Emulator emu = new Emulator();
             Exto360Client client = Exto360Client.builder().token(emu.getToken()).baseUrl(emu.getUrl()).rateLimit(0).maxRetries(1)
                 .initialBackoff(Duration.ofMillis(5)).build()) {
            Page<JsonObject> page = client.masters("LOCATION").listBlocking(new ListOptions().pageSize(2).filter(Filter.field("active").primitive().eq(true)));
            assertEquals(2, page.getRows().size());
            assertEquals(Long.valueOf(5), page.getTotal());

            List<String> codes = new ArrayList<>();
            try (CloseableIterator<JsonObject> it = client.masters("LOCATION").iterBlocking(new ListOptions().pageSize(4))) {
                while (it.hasNext()) codes.add(code(it.next()));
            }
            assertEquals(List.of("BLR", "MUM", "DEL", "CHN", "HYD", "PUN"), codes);
            try (var stream = client.masters("LOCATION").iterBlocking().stream()) {
                assertEquals(List.of("BLR", "MUM"), stream.map(BlockingApiTest::code).limit(2).collect(Collectors.toList()));
            }

            List<Map<String, Object>> rows = IntStream.range(0, 1200).mapToObj(i -> Map.<String, Object>of("vendor_id", "V" + i, "n", i)).collect(Collectors.toList());
            UpsertResult res = client.masters("VENDOR").upsertBlocking(rows);
            assertEquals(1200, res.getInsertedCount());

            String id = JsonElementKt.getJsonPrimitive(client.modules("CUSTOMMODULE").listBlocking(new ListOptions().status("Draft")).getRows().get(0).get("_id")).getContent();
            assertEquals(1, client.subTable("Lines").upsertBlocking(List.of(Map.of("qty", 3)), "CUSTOMMODULE", id).getInsertedCount());
            List<WorkflowResult> moved = client.workflow("CUSTOMMODULE").actBlocking(List.of(id), "Submit", "johndoe@exto360.com");
            assertEquals(id, moved.get(0).getRecordId());
            assertEquals(1, client.modules("CUSTOMMODULE").upsertBlocking(List.of(Map.of("ref_no", "R-7")), "johndoe@exto360.com").getInsertedCount());

            Users users = client.getUsers();
            assertEquals(1, users.grantAccessBlocking("jane@exto360.com", List.of(new ProjectGrant("p6iDlWb"))).getInsertedCount());
            assertEquals(5, users.listBlocking().getRows().size());
            int n = 0;
            try (CloseableIterator<JsonObject> it = users.iterBlocking(2)) {
                while (it.hasNext()) { it.next(); n++; }
            }
            assertEquals(5, n);
            assertTrue(users.getBlocking("jane@exto360.com").containsKey("user"));
            assertTrue(users.groupsBlocking().containsKey("groups"));
            assertEquals(1, users.deactivateBlocking(List.of("jane@exto360.com")).getNModified());
            assertEquals(1, users.activateBlocking(List.of("jane@exto360.com")).getNModified());
            assertEquals("\"success\"", users.removeAccessBlocking("jane@exto360.com", List.of("p6iDlWb")).get("status").toString());
            assertEquals("\"success\"", users.removeProjectAccessBlocking("admin@exto360.com", List.of("Vx6-j2Z")).get("status").toString());
            assertTrue(client.getHealth().livenessBlocking().containsKey("ok"));
            assertTrue(client.getHealth().readinessBlocking().containsKey("ok"));
        }
    }

    @Test
    void errorsAreCaughtByClass() {
        try (Emulator emu = new Emulator(); Exto360Client client = Exto360Client.builder().token(emu.getToken()).baseUrl(emu.getUrl()).rateLimit(0).build()) {
            Exto360Exception.NotFound e = assertThrows(Exto360Exception.NotFound.class, () -> client.masters("NOPE").listBlocking());
            assertEquals("not_found", e.getCode());
            assertEquals(Integer.valueOf(500), e.getStatus());
            try {
                client.getUsers().getBlocking("ghost@exto360.com");
            } catch (Exto360Exception.NotFound | Exto360Exception.BadRequest expected) {
                assertFalse(expected.getMessage().contains(emu.getToken()));
            }
            // Raw types let Java pass anything as a record: refused with a clear error, nothing sent.
            @SuppressWarnings({"rawtypes", "unchecked"})
            List notRecords = List.of(Map.of("vendor_id", "V1"), 3, "x");
            Exto360Exception.InvalidInput bad = assertThrows(Exto360Exception.InvalidInput.class, () -> client.masters("VENDOR").upsertBlocking(notRecords));
            assertTrue(bad.getMessage().contains("records"), bad.getMessage());
            Exto360Exception any = assertThrows(Exto360Exception.class, () -> Exto360Client.builder().token("t").baseUrl(emu.getUrl()).maxRetries(1000).build());
            assertTrue(any instanceof Exto360Exception.InvalidInput);
        }
    }

    @Test
    void documentsWorkspacesAndJobsFromJava(@TempDir Path dir) throws Exception {
        try (Emulator emu = new Emulator();
             Exto360Client client = Exto360Client.builder().token(emu.getToken()).baseUrl(emu.getUrl()).tenantId("cwWdTZK").projectId("Vx6-j2Z").rateLimit(0).build()) {
            Path a = Files.writeString(dir.resolve("a.txt"), "from a path");
            byte[] streamed = "from a stream".getBytes(StandardCharsets.UTF_8);
            UploadReport r = client.getDocuments().uploadBlocking(
                List.of(UploadFile.path(a), UploadFile.stream("s.txt", new ByteArrayInputStream(streamed), (long) streamed.length)),
                new UploadOptions().meta(Map.of("source", "java")));
            assertEquals(2, r.getUploadedCount());
            DownloadedFile d = client.getDocuments().downloadBlocking(r.getFiles().get(1).getDocumentId(), dir.resolve("back.txt"));
            assertEquals("from a stream", Files.readString(d.getPath()));

            emu.configure(new JsonObject(Map.of("maxFileBytes", JsonElementKt.JsonPrimitive(5))));
            Exto360Exception.BulkWrite partial = assertThrows(Exto360Exception.BulkWrite.class,
                () -> client.getDocuments().uploadPathsBlocking(List.of(a, Files.writeString(dir.resolve("b.txt"), "ok"))));
            assertEquals(List.of(1), partial.getWritten());
            assertEquals("failed", partial.getUpload().getFiles().get(0).getState());

            Workspace w = client.getWorkspaces().createBlocking("Java");
            assertEquals("Java 2", client.getWorkspaces().updateBlocking(w.getId(), "Java 2").getName());

            int n = client.getJobs().runBlocking("Java job", "Load", job -> {
                job.logBlocking("working");
                return 7;
            });
            assertEquals(7, n);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> client.getJobs().runBlocking("Java job", "Load", job -> {
                throw new IllegalStateException("no");
            }));
            assertEquals("no", e.getMessage());
            List<String> statuses = client.getJobs().listBlocking().getRows().stream()
                .filter(j -> JsonElementKt.getJsonPrimitive(j.get("jobTitle")).getContent().equals("Java job"))
                .map(j -> JsonElementKt.getJsonPrimitive(j.get("status")).getContent()).sorted().collect(Collectors.toList());
            assertEquals(List.of(Jobs.COMPLETED, Jobs.FAILED), statuses);
        }
    }

    @Test
    void versionAndFilterText() {
        assertEquals(System.getProperty("exto360.pomVersion"), Exto360.version());
        Filter f = Filter.field("serial_number").number().gt(1000).or(Filter.field("code").string().isIn(List.of("BLR", "MUM")));
        assertEquals("serial_number:NUMBER:gt:1000:or:code:STRING:in:BLR|MUM", f.render());
    }
}
