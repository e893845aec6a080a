// The Java quick start: the SDK's main jobs through the blocking API, against an in-process
// emulator (it stands in for https://platform.exto360.com/data, 3 requests/second included).
//
// Run (nothing else to install; the native library is inside the jar):
//   java -cp exto360-VERSION-all.jar bindings/jvm/examples/java/Quickstart.java

import com.exto360.CloseableIterator;
import com.exto360.Exto360;
import com.exto360.Exto360Client;
import com.exto360.Exto360Exception;
import com.exto360.Filter;
import com.exto360.ListOptions;
import com.exto360.Page;
import com.exto360.ProjectGrant;
import com.exto360.UpsertResult;
import com.exto360.testing.Emulator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import kotlinx.serialization.json.JsonElementKt;
import kotlinx.serialization.json.JsonObject;
import kotlinx.serialization.json.JsonPrimitive;

public class Quickstart {
    static String code(JsonObject record) {
        return JsonElementKt.getJsonPrimitive(JsonElementKt.getJsonObject(record.get("customFields")).get("code")).getContent();
    }

    public static void main(String[] args) {
        JsonObject settings = new JsonObject(Map.of("rateLimit", JsonElementKt.JsonPrimitive(3)));
        try (Emulator emu = new Emulator(null, settings);
             // Against the real service: Exto360Client.fromEnv() reads EXTO360_TOKEN, EXTO360_PROJECT_ID, ...
             Exto360Client client = Exto360Client.builder().token(emu.getToken()).baseUrl(emu.getUrl()).projectId("Vx6-j2Z")
                 .maxRetries(3).timeout(Duration.ofSeconds(30)).build()) {
            System.out.println(client + " — exto360 " + Exto360.version());
            System.out.println("readiness: " + client.getHealth().readinessBlocking());

            Filter f = Filter.field("serial_number").number().gt(1000).and(Filter.field("active").primitive().eq(true));
            Page<JsonObject> page = client.masters("LOCATION").listBlocking(new ListOptions().filter(f).sort("-serial_number"));
            System.out.println("LOCATION " + f + ": " + page.getRows().size() + " of " + page.getTotal() + ": "
                + page.getRows().stream().map(Quickstart::code).collect(Collectors.toList()));

            List<Map<String, Object>> rows = IntStream.range(0, 2500)
                .mapToObj(i -> Map.<String, Object>of("vendor_id", String.format("V-%04d", i), "name", "Vendor " + i)).collect(Collectors.toList());
            UpsertResult done = client.masters("VENDOR").upsertBlocking(rows); // 3 requests under the limit
            System.out.println("VENDOR upsert: " + done.getInsertedCount() + " inserted, " + done.getUpdatedCount() + " updated");
            try (CloseableIterator<JsonObject> it = client.masters("VENDOR").iterBlocking()) {
                long n = 0;
                while (it.hasNext()) { it.next(); n++; }
                System.out.println("VENDOR iterated: " + n + " records");
            }

            String recordId = client.modules("CUSTOMMODULE").upsertBlocking(List.of(Map.of("ref_no", "R-100", "title", "Quick start")), "johndoe@exto360.com").getInsertedIds().get(0);
            client.subTable("Signatures").upsertBlocking(List.of(Map.of("signer", "johndoe@exto360.com")), "CUSTOMMODULE", recordId);
            System.out.println("workflow: " + client.workflow("CUSTOMMODULE").actBlocking(List.of(recordId), "Submit", "johndoe@exto360.com", "S1"));

            client.getUsers().grantAccessBlocking("jane@exto360.com", List.of(new ProjectGrant("Vx6-j2Z", List.of("GG3"), List.of("S1"))), List.of("G1"), Map.of("firstName", "Jane"));
            JsonObject jane = client.getUsers().getBlocking("jane@exto360.com");
            System.out.println("jane: " + jane.get("groups") + " " + jane.get("projects"));
            try (var users = client.getUsers().iterBlocking().stream()) {
                System.out.println("users: " + users.map(u -> JsonElementKt.getJsonObject(u.get("user")).get("userName")).collect(Collectors.toList()));
            }
            System.out.println("deactivated: " + client.getUsers().deactivateBlocking(List.of("jane@exto360.com")).getNModified());
            client.getUsers().activateBlocking(List.of("jane@exto360.com"));
            client.getUsers().removeAccessBlocking("jane@exto360.com", List.of("Vx6-j2Z"), List.of("G1"));
            client.getUsers().removeProjectAccessBlocking("jane@exto360.com", List.of("Vx6-j2Z"));
            System.out.println("tenant-wide LOCATION: " + client.withProject(null).masters("LOCATION").listBlocking().getTotal());

            try {
                client.masters("NO_SUCH_MASTER").listBlocking();
            } catch (Exto360Exception.NotFound e) {
                System.out.println("expected error: NotFound status=" + e.getStatus() + " details=" + e.getDetails());
            }

            emu.setFaults(List.of(new JsonObject(Map.of("kind", JsonElementKt.JsonPrimitive("status"), "status", JsonElementKt.JsonPrimitive(422),
                "method", JsonElementKt.JsonPrimitive("POST"), "bodyContains", JsonElementKt.JsonPrimitive("\"V-2200\"")))));
            try {
                client.masters("VENDOR").upsertBlocking(rows);
            } catch (Exto360Exception.BulkWrite e) {
                System.out.println("bulk failure: " + e.getWritten().size() + " written, " + e.getNotWritten().size() + " not written, "
                    + e.getUnknown().size() + " unknown; cause " + e.getCause().getClass().getSimpleName());
            }
        }
    }
}
