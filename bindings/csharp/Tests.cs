// Tests of the C# wrapper against the in-process emulator of libexto360. Exit code 0 = all pass.
using System;
using System.Json;
using System.Linq;
using System.Runtime.InteropServices;
using Exto360;

static class Emu
{
    [DllImport("exto360_testing")] static extern int exto360_emulator_start(byte[] opts, out IntPtr emu, out IntPtr err);
    [DllImport("exto360_testing")] static extern IntPtr exto360_emulator_url(IntPtr emu);
    [DllImport("exto360_testing")] static extern IntPtr exto360_emulator_token(IntPtr emu);
    [DllImport("exto360_testing")] static extern int exto360_emulator_set_faults(IntPtr emu, byte[] faults, out IntPtr err);
    [DllImport("exto360_testing")] static extern void exto360_emulator_free(IntPtr emu);
    static byte[] U8(string s) { var b = System.Text.Encoding.UTF8.GetBytes(s + "\0"); return b; }
    static string Str(IntPtr p) { return Marshal.PtrToStringAnsi(p); }
    public static IntPtr Start(string options = null) { IntPtr e, err; if (exto360_emulator_start(options == null ? null : U8(options), out e, out err) != 0) throw new Exception("emulator"); return e; }
    public static string Url(IntPtr e) { return Str(exto360_emulator_url(e)); }
    public static string Token(IntPtr e) { return Str(exto360_emulator_token(e)); }
    public static void Faults(IntPtr e, string json) { IntPtr err; exto360_emulator_set_faults(e, U8(json), out err); }
    public static void Stop(IntPtr e) { exto360_emulator_free(e); }
}

static class Tests
{
    static int failures;
    static void Check(bool ok, string what) { if (!ok) { failures++; Console.Error.WriteLine("FAIL: " + what); } }
    static T Throws<T>(Action a, string what) where T : Exception
    {
        try { a(); } catch (T e) { return e; } catch (Exception e) { Check(false, what + ": wrong exception " + e.GetType().Name + " " + e.Message); return null; }
        Check(false, what + ": no exception");
        return null;
    }

    static string Cfg(IntPtr emu) { return "{\"token\":\"" + Emu.Token(emu) + "\",\"baseUrl\":\"" + Emu.Url(emu) + "\",\"rateLimit\":null,\"tenantId\":\"cwWdTZK\",\"projectId\":\"Vx6-j2Z\",\"initialBackoff\":0.001,\"maxBackoff\":0.002}"; }

    // Documents, workspaces and jobs: byte-identical round trip, interrupted download, partial upload, Jobs.Run.
    static void Documents(IntPtr emu)
    {
        string dir = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "exto360-cs-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(dir);
        var data = new byte[3 * 1024 * 1024 + 17];
        for (int i = 0; i < data.Length; i++) data[i] = (byte)((i * 7 + i / 251) % 256);
        string src = System.IO.Path.Combine(dir, "big.bin");
        System.IO.File.WriteAllBytes(src, data);
        using (var client = new Client(Cfg(emu)))
        {
            string repJson = client.Documents.Upload(new[] { new UploadFile(src), new UploadFile(src, "copy.bin") }, "{\"meta\":{\"k\":1}}");
            var rep = JsonValue.Parse(repJson);
            Check((int)rep["uploadedCount"] == 2 && (string)rep["files"][1]["fileName"] == "copy.bin", "upload " + repJson);
            string id = (string)rep["files"][0]["document"]["documentId"];
            string dst = System.IO.Path.Combine(dir, "out.bin");
            Check((long)JsonValue.Parse(client.Documents.Download(id, dst))["bytes"] == data.Length, "download bytes");
            Check(System.IO.File.ReadAllBytes(dst).SequenceEqual(data), "downloaded bytes are the uploaded bytes");
            System.IO.File.Delete(dst);
            using (var ms = new System.IO.MemoryStream(new byte[] { 1, 2, 3 }))
            {
                var r2 = JsonValue.Parse(client.Documents.Upload("s.bin", ms));
                var back = new System.IO.MemoryStream();
                client.Documents.Download((string)r2["files"][0]["document"]["documentId"], back);
                Check(back.ToArray().SequenceEqual(new byte[] { 1, 2, 3 }), "stream round trip");
            }
            Emu.Faults(emu, "[{\"kind\":\"truncate\",\"path\":\"/api/v1/documents/download\"}]");
            var cut = Throws<Exto360Exception>(() => client.Documents.Download(id, dst), "truncated download");
            if (cut != null) Check(cut.Kind == ErrorKind.Connection, "connection error " + cut.Kind);
            Check(System.IO.Directory.GetFileSystemEntries(dir).Length == 1, "nothing left by the interrupted download");
            Emu.Faults(emu, "[]");

            var w = JsonValue.Parse(client.Workspaces.Create("Plant A"));
            Check((string)JsonValue.Parse(client.Workspaces.Update((string)w["id"], "Plant B"))["name"] == "Plant B", "workspace update");
            Check(client.Workspaces.List(1, 1000).Contains("Plant B") && client.Workspaces.Get((string)w["id"]).Contains("Plant B"), "workspaces list/get");
            string okId = null, badId = null;
            client.Jobs.Run("Nightly import", "Import", job => { okId = job.Id; job.Log("read 10 rows"); });
            Throws<InvalidOperationException>(() => client.Jobs.Run("Broken", "Import", job => { badId = job.Id; throw new InvalidOperationException("boom"); }), "Run rethrows");
            var jobs = (JsonArray)JsonValue.Parse(client.Jobs.List(null, 1, 200))["rows"];
            Func<string, JsonValue> find = jid => jobs.First(j => (string)j["_id"] == jid);
            Check((string)find(okId)["status"] == "Completed" && find(okId)["log"].ToString().Contains("read 10 rows"), "job completed");
            Check((string)find(badId)["status"] == "Failed" && find(badId)["log"].ToString().Contains("InvalidOperationException: boom"), "job failed " + find(badId).ToString());
        }
        IntPtr small = Emu.Start("{\"settings\":{\"maxFileBytes\":10}}");
        using (var client = new Client(Cfg(small)))
        {
            System.IO.File.WriteAllText(System.IO.Path.Combine(dir, "s.txt"), "small");
            System.IO.File.WriteAllText(System.IO.Path.Combine(dir, "b.txt"), "01234567890");
            var partial = Throws<Exto360Exception>(() => client.Documents.Upload(new[] { new UploadFile(System.IO.Path.Combine(dir, "s.txt")), new UploadFile(System.IO.Path.Combine(dir, "b.txt")) }), "partial upload");
            if (partial != null)
            {
                var j = JsonValue.Parse(partial.Json);
                Check(partial.Kind == ErrorKind.BadRequest && partial.Status == 200 && partial.Summary == "errors.error_partial_upload", "partial kind");
                Check((int)j["upload"]["uploadedCount"] == 1 && (string)j["upload"]["files"][1]["state"] == "failed", "per-file report " + partial.Json);
            }
        }
        Emu.Stop(small);
        System.IO.Directory.Delete(dir, true);
    }

    static int Main()
    {
        IntPtr emu = Emu.Start();
        string cfg = "{\"token\":\"" + Emu.Token(emu) + "\",\"baseUrl\":\"" + Emu.Url(emu) + "\",\"rateLimit\":null,\"maxRetries\":0}";
        using (var client = new Client(cfg))
        {
            Console.WriteLine("libexto360 " + Client.Version);
            var page = (JsonObject)JsonValue.Parse(client.Masters("LOCATION").List(new ListOptions { PageSize = 2, Sort = "-serial_number" }));
            Check((int)page["total"] == 6 && ((JsonArray)page["rows"]).Count == 2, "list");
            Check((string)page["rows"][0]["customFields"]["code"] == "PUN", "sort");

            var nf = Throws<Exto360Exception>(() => client.Masters("ITEM_MASTER").List(), "unknown master");
            if (nf != null)
            {
                Check(nf.Kind == ErrorKind.NotFound && nf.Code == "not_found" && nf.Status == 500, "not found kind/status");
                Check(nf.Summary == "Service Exception" && nf.Details.SequenceEqual(new[] { "ITEM_MASTER not Found." }), "details");
            }
            var bad = Throws<Exto360Exception>(() => client.Masters("LOCATION").List(new ListOptions { PageSize = 5000 }), "bad page size");
            if (bad != null) Check(bad.Kind == ErrorKind.InvalidArgument, "invalid argument");
            Throws<Exto360Exception>(() => client.Masters("VENDOR").Upsert("{not json"), "bad JSON");

            var records = "[" + string.Join(",", Enumerable.Range(0, 2500).Select(i => "{\"vendor_id\":\"V" + i + "\"}")) + "]";
            var r = client.Masters("VENDOR").Upsert(records);
            Check(r.InsertedCount == 2500 && r.InsertedIds.Length == 2500 && r.UpdatedCount == 0, "upsert 2500");
            int n = 0;
            foreach (var p in client.Masters("VENDOR").Pages(new ListOptions { PageSize = 1000 })) n += ((JsonArray)JsonValue.Parse(p)["rows"]).Count;
            Check(n == 2500, "pages " + n);

            Emu.Faults(emu, "[{\"kind\":\"status\",\"status\":422,\"method\":\"POST\",\"bodyContains\":\"\\\"V2200\\\"\"}]");
            var bulk = Throws<Exto360Exception>(() => client.Masters("VENDOR").Upsert(records), "bulk failure");
            if (bulk != null) Check(bulk.Kind == ErrorKind.BadRequest && bulk.Json.Contains("\"written\":[[0,2000]]"), "bulk report " + bulk.Json);
            Emu.Faults(emu, "[]");

            var mod = client.Modules("CUSTOMMODULE").Upsert("[{\"ref_no\":\"R-9\"}]", "johndoe@exto360.com");
            string id = mod.InsertedIds[0];
            Check(client.SubTable("Signatures").Upsert("[{\"signer\":\"a@x.com\"}]", "CUSTOMMODULE", id).InsertedCount == 1, "sub-table");
            Check(client.Workflow("CUSTOMMODULE").Act("[\"" + id + "\"]", "Submit", "johndoe@exto360.com").Contains(id), "workflow");
            Throws<Exto360Exception>(() => client.WithProject("Vx6-j2Z").Workflow("CUSTOMMODULE").Act("[\"" + id + "\"]", "Approve", "johndoe@exto360.com"), "space required");

            Check(client.Users.GrantAccess("{\"user\":{\"userName\":\"jane@exto360.com\"},\"projects\":[{\"projectId\":\"p6iDlWb\"}]}").InsertedCount == 1, "grant");
            Check(client.Users.Get("jane@exto360.com").Contains("p6iDlWb"), "get");
            Check(client.Users.List().Contains("jane@exto360.com"), "list users");
            Check(client.Users.Pages().Count() == 1, "user pages");
            Check(client.Users.Groups(true).Contains("\"groups\":[]"), "groups");
            Check(client.Users.Deactivate("[\"jane@exto360.com\"]").Contains("\"nModified\":1"), "deactivate");
            Check(client.Users.Activate("[\"jane@exto360.com\"]").Contains("\"nModified\":1"), "activate");
            Check(client.Users.RemoveAccess("jane@exto360.com", "[\"p6iDlWb\"]").Contains("success"), "remove access");
            Check(client.Users.RemoveProjectAccess("jane@exto360.com", "[\"p6iDlWb\"]").Contains("success"), "remove project access");
            Check(client.Health.Liveness().Contains("\"ok\":true") && client.Health.Readiness().Contains("true"), "health");
            Check(Client.RenderFilter("{\"field\":\"n\",\"type\":\"NUMBER\",\"op\":\"in\",\"value\":[1,2]}") == "n:NUMBER:in:1|2", "filter");
            using (var scoped = client.WithProject("Vx6-j2Z"))
                Check((int)JsonValue.Parse(scoped.Masters("LOCATION").List())["total"] == 3, "with project");

            var auth = Throws<Exto360Exception>(() => { using (var c = new Client("{\"token\":\"s3cr3t\",\"baseUrl\":\"" + Emu.Url(emu) + "\"}")) c.Masters("LOCATION").List(); }, "bad token");
            if (auth != null) Check(auth.Kind == ErrorKind.Unauthorized && !auth.Message.Contains("s3cr3t") && !auth.Json.Contains("s3cr3t"), "401 without the token");
            Throws<Exto360Exception>(() => new Client("{\"token\":\"t\",\"baseUrl\":\"http://example.com\"}"), "insecure URL refused");

            // The current edition.
            Check(client.BuildInfo().Contains("exto-data-api"), "build info");
            var loc = (JsonObject)JsonValue.Parse(client.Masters("LOCATION").List());
            string refId = (string)loc["rows"][0]["refId"];
            Check(client.Masters("LOCATION").Update("[{\"refId\":\"" + refId + "\",\"name\":\"B\"}]", "refId").UpdatedCount == 1, "update");
            var denied = Throws<Exto360Exception>(() => client.Masters("LOCATION").Delete("[\"" + refId + "\"]", "refId", "jasonsmith@exto360.com"), "success false");
            if (denied != null) Check(denied.Kind == ErrorKind.Forbidden && denied.Status == 200 && denied.Json.Contains("\"notWritten\":[[0,1]]"), "forbidden " + denied.Json);
            Check(client.Masters("LOCATION").Delete("[\"" + refId + "\"]", "refId", "johndoe@exto360.com").DeletedCount == 1, "delete");
            var expanded = client.Modules("CUSTOMMODULE").Expand(new ExpandOptions { PageSize = 1, SubTablePageSize = 1 }).ToList();
            Check(expanded.Count == 4 && expanded.All(x => x.Contains("\"subTableData\":{")), "expand " + expanded.Count);
            Throws<InvalidOperationException>(() => client.Masters("LOCATION").Expand().ToList(), "expand of a master");
            var big = Throws<Exto360Exception>(() => client.Modules("CUSTOMMODULE").Expand(new ExpandOptions { PageSize = 101 }).ToList(), "page size 101");
            if (big != null) Check(big.Kind == ErrorKind.InvalidArgument, "invalid expand options");
            Check(client.SubTable("Signatures").Pages("CUSTOMMODULE", id).Count() == 1, "sub-table pages");
            var sig = JsonValue.Parse(client.SubTable("Signatures").List("CUSTOMMODULE", id));
            Check(client.SubTable("Signatures").Delete("[\"" + (string)sig["rows"][0]["recordNumber"] + "\"]", "CUSTOMMODULE", id).DeletedCount == 1, "sub-table delete");
            var h = client.Hierarchy("ORG_UNIT");
            Check(h.Create("[{\"sys_rowID\":\"X1\",\"sys_parentRowID\":\"ORG-1\"}]").InsertedCount == 1 && h.Update("[{\"sys_rowID\":\"X1\",\"sys_parentRowID\":\"ORG-2\"}]").UpdatedCount == 1, "hierarchy writes");
            Check(h.Pages(2).Count() == 3 && h.List(1, 10).Contains("/ORG-1/ORG-2/X1"), "hierarchy reads");
            using (var scoped = client.WithProject("Vx6-j2Z"))
            {
                var wf = scoped.Workflow("CUSTOMMODULE");
                Check((int)JsonValue.Parse(wf.List("{\"pageSize\":1}"))["total"] == 2 && wf.Pages("{\"pageSize\":1}").Count() == 2, "workflow list");
                Check(wf.Transition("submit", "MOD-2", "{\"userName\":\"johndoe@exto360.com\",\"actionName\":\"Approve\",\"spaceName\":\"S1\"}").Contains("Approved"), "transition");
                Check(wf.History("MOD-2").Contains("Approve"), "history");
                Throws<Exto360Exception>(() => wf.Transition("submit", "MOD-1", "{\"userName\":\"johndoe@exto360.com\",\"actionName\":\"Submit\"}"), "space required");
            }
        }
        Documents(emu);
        Emu.Stop(emu);
        if (failures > 0) { Console.Error.WriteLine(failures + " check(s) failed"); return 1; }
        Console.WriteLine("all C# checks passed");
        return 0;
    }
}
