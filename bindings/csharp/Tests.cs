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
    public static IntPtr Start() { IntPtr e, err; if (exto360_emulator_start(null, out e, out err) != 0) throw new Exception("emulator"); return e; }
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
        Emu.Stop(emu);
        if (failures > 0) { Console.Error.WriteLine(failures + " check(s) failed"); return 1; }
        Console.WriteLine("all C# checks passed");
        return 0;
    }
}
