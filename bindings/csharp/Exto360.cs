// Exto360 for .NET: a thin wrapper over libexto360 (the C library) through P/Invoke.
// All API logic (rate limiting, retries, paging, chunking) lives in the library; this file only
// marshals strings and maps errors. Results are JSON strings, or small typed results.
//
//   using (var client = new Exto360.Client("{\"token\": \"...\", \"projectId\": \"Vx6-j2Z\"}"))
//   {
//       string page = client.Masters("LOCATION").List(new Exto360.ListOptions { PageSize = 100 });
//       foreach (string p in client.Masters("LOCATION").Pages()) { ... }
//       Exto360.UpsertResult r = client.Masters("VENDOR").Upsert("[{\"vendor_id\": \"V1\"}]");
//   }
//
// The native library is found (NativeLoader) next to Exto360.dll, in its runtimes/<rid>/native/
// folder (the NuGet layout, as published or referenced in place in a packages folder), or by the
// system's loader (LD_LIBRARY_PATH, /usr/local/lib after `make install`).
using System;
using System.Collections.Generic;
using System.Json;
using System.Runtime.InteropServices;
using System.Text;

namespace Exto360
{
    /// <summary>The kind of an error, as the C library's exto360_status.</summary>
    public enum ErrorKind
    {
        Ok = 0, InvalidArgument = 1, BadRequest = 2, Unauthorized = 3, Forbidden = 4, NotFound = 5,
        RateLimited = 6, Server = 7, Timeout = 8, Connection = 9, InvalidResponse = 10, Internal = 11,
    }

    /// <summary>Any failure of a call. The token never appears in it.</summary>
    public class Exto360Exception : Exception
    {
        /// <summary>What kind of failure (maps the HTTP status).</summary>
        public ErrorKind Kind { get; private set; }
        /// <summary>A stable code: "not_found", "rate_limited", ...</summary>
        public string Code { get; private set; }
        /// <summary>HTTP status of the answer, or 0 when there was none.</summary>
        public int Status { get; private set; }
        /// <summary>The server's error.summary, or null.</summary>
        public string Summary { get; private set; }
        /// <summary>The server's error.detail messages.</summary>
        public string[] Details { get; private set; }
        /// <summary>The whole error as JSON, including "bulk" (which input items were written) for failed bulk writes.</summary>
        public string Json { get; private set; }

        internal Exto360Exception(ErrorKind kind, string code, int status, string message, string summary, string[] details, string json)
            : base(message)
        {
            Kind = kind; Code = code; Status = status; Summary = summary; Details = details; Json = json;
        }
    }

    /// <summary>Options of List/Pages. Every property is optional.</summary>
    public class ListOptions
    {
        public int? Page;
        public int? PageSize;
        /// <summary>Field to sort by; "-field" sorts descending.</summary>
        public string Sort;
        public string Status;
        /// <summary>A filter string in the API's grammar, e.g. "serial_number:NUMBER:gt:1000".</summary>
        public string Filter;
        /// <summary>IANA time zone; required when the filter compares dates.</summary>
        public string LocalTimeZone;

        internal string ToJson()
        {
            var o = new JsonObject();
            if (Page.HasValue) o["page"] = Page.Value;
            if (PageSize.HasValue) o["pageSize"] = PageSize.Value;
            if (Sort != null) o["sort"] = Sort;
            if (Status != null) o["status"] = Status;
            if (Filter != null) o["filter"] = Filter;
            if (LocalTimeZone != null) o["localTimeZone"] = LocalTimeZone;
            return o.ToString();
        }
    }

    /// <summary>What an upsert did, over every request it took.</summary>
    public class UpsertResult
    {
        public string[] InsertedIds { get; private set; }
        public long InsertedCount { get; private set; }
        public long UpdatedCount { get; private set; }

        internal static UpsertResult Parse(string json)
        {
            var o = (JsonObject)JsonValue.Parse(json);
            var ids = new List<string>();
            foreach (JsonValue v in (JsonArray)o["insertedIds"]) ids.Add((string)v);
            return new UpsertResult { InsertedIds = ids.ToArray(), InsertedCount = (long)o["insertedCount"], UpdatedCount = (long)o["updatedCount"] };
        }
    }

    /// <summary>
    /// Finds libexto360 before the first call (Client's static constructor). .NET Core resolves runtimes/&lt;rid&gt;/native/ of a
    /// NuGet package itself; Mono and .NET Framework do not, so the library is loaded here by its
    /// full path, and Exto360.dll.config maps "exto360" to its soname (libexto360.so.0), which the
    /// system loader then recognises as already loaded.
    /// </summary>
    internal static class NativeLoader
    {
        [DllImport("libdl.so.2")] static extern IntPtr dlopen(string file, int mode);
        const int RTLD_NOW = 2, RTLD_GLOBAL = 0x100;
        static bool done;

        /// <summary>The places a package or an application puts the library, relative to Exto360.dll.</summary>
        internal static string[] Candidates()
        {
            string dir = System.IO.Path.GetDirectoryName(typeof(NativeLoader).Assembly.Location) ?? ".";
            string native = System.IO.Path.Combine("runtimes", "linux-x64", "native", "libexto360.so");
            return new[] {
                System.IO.Path.Combine(dir, "libexto360.so"),
                System.IO.Path.Combine(dir, native),
                System.IO.Path.GetFullPath(System.IO.Path.Combine(dir, "..", "..", native)),
            };
        }

        internal static void Load()
        {
            lock (typeof(NativeLoader))
            {
                if (done) return;
                done = true;
                if (Environment.OSVersion.Platform != PlatformID.Unix) return;
                foreach (string path in Candidates())
                {
                    if (System.IO.File.Exists(path) && dlopen(path, RTLD_NOW | RTLD_GLOBAL) != IntPtr.Zero) return;
                }
            }
        }
    }

    internal static partial class Native
    {
        const string Lib = "exto360";
        [DllImport(Lib)] internal static extern IntPtr exto360_version();
        [DllImport(Lib)] internal static extern void exto360_string_free(IntPtr s);
        [DllImport(Lib)] internal static extern void exto360_error_free(IntPtr e);
        [DllImport(Lib)] internal static extern int exto360_error_kind(IntPtr e);
        [DllImport(Lib)] internal static extern IntPtr exto360_error_code(IntPtr e);
        [DllImport(Lib)] internal static extern int exto360_error_status(IntPtr e);
        [DllImport(Lib)] internal static extern IntPtr exto360_error_message(IntPtr e);
        [DllImport(Lib)] internal static extern IntPtr exto360_error_summary(IntPtr e);
        [DllImport(Lib)] internal static extern UIntPtr exto360_error_details_count(IntPtr e);
        [DllImport(Lib)] internal static extern IntPtr exto360_error_detail(IntPtr e, UIntPtr i);
        [DllImport(Lib)] internal static extern IntPtr exto360_error_details_json(IntPtr e);
        [DllImport(Lib)] internal static extern int exto360_client_new(byte[] config, out IntPtr client, out IntPtr err);
        [DllImport(Lib)] internal static extern int exto360_client_with_project(ClientHandle c, byte[] project, out IntPtr client, out IntPtr err);
        [DllImport(Lib)] internal static extern void exto360_client_free(IntPtr c);
        [DllImport(Lib)] internal static extern int exto360_health_liveness(ClientHandle c, out IntPtr o, out IntPtr e);
        [DllImport(Lib)] internal static extern int exto360_health_readiness(ClientHandle c, out IntPtr o, out IntPtr e);
        [DllImport(Lib)] internal static extern int exto360_masters_list(ClientHandle c, byte[] name, byte[] args, out IntPtr o, out IntPtr e);
        [DllImport(Lib)] internal static extern int exto360_modules_list(ClientHandle c, byte[] name, byte[] args, out IntPtr o, out IntPtr e);
        [DllImport(Lib)] internal static extern int exto360_masters_upsert(ClientHandle c, byte[] name, byte[] records, out IntPtr o, out IntPtr e);
        [DllImport(Lib)] internal static extern int exto360_modules_upsert(ClientHandle c, byte[] name, byte[] records, byte[] user, out IntPtr o, out IntPtr e);
        [DllImport(Lib)] internal static extern int exto360_masters_iter(ClientHandle c, byte[] name, byte[] args, out IntPtr pager, out IntPtr e);
        [DllImport(Lib)] internal static extern int exto360_modules_iter(ClientHandle c, byte[] name, byte[] args, out IntPtr pager, out IntPtr e);
        [DllImport(Lib)] internal static extern int exto360_users_iter(ClientHandle c, byte[] args, out IntPtr pager, out IntPtr e);
        [DllImport(Lib)] internal static extern int exto360_pager_next(PagerHandle p, out IntPtr page, out IntPtr e);
        [DllImport(Lib)] internal static extern void exto360_pager_free(IntPtr p);
        [DllImport(Lib)] internal static extern int exto360_sub_table_upsert(ClientHandle c, byte[] table, byte[] rows, byte[] module, byte[] record, out IntPtr o, out IntPtr e);
        [DllImport(Lib)] internal static extern int exto360_workflow_act(ClientHandle c, byte[] module, byte[] ids, byte[] args, out IntPtr o, out IntPtr e);
        [DllImport(Lib)] internal static extern int exto360_users_grant_access(ClientHandle c, byte[] grant, out IntPtr o, out IntPtr e);
        [DllImport(Lib)] internal static extern int exto360_users_list(ClientHandle c, byte[] args, out IntPtr o, out IntPtr e);
        [DllImport(Lib)] internal static extern int exto360_users_get(ClientHandle c, byte[] username, out IntPtr o, out IntPtr e);
        [DllImport(Lib)] internal static extern int exto360_users_groups(ClientHandle c, [MarshalAs(UnmanagedType.I1)] bool onlyProjectGroups, out IntPtr o, out IntPtr e);
        [DllImport(Lib)] internal static extern int exto360_users_activate(ClientHandle c, byte[] names, out IntPtr o, out IntPtr e);
        [DllImport(Lib)] internal static extern int exto360_users_deactivate(ClientHandle c, byte[] names, out IntPtr o, out IntPtr e);
        [DllImport(Lib)] internal static extern int exto360_users_remove_access(ClientHandle c, byte[] username, byte[] projects, byte[] groups, out IntPtr o, out IntPtr e);
        [DllImport(Lib)] internal static extern int exto360_users_remove_project_access(ClientHandle c, byte[] username, byte[] projects, out IntPtr o, out IntPtr e);
        [DllImport(Lib)] internal static extern int exto360_filter_render(byte[] filter, out IntPtr o, out IntPtr e);

        /// <summary>A NUL-terminated UTF-8 copy of s (null stays null).</summary>
        internal static byte[] U8(string s)
        {
            if (s == null) return null;
            var b = Encoding.UTF8.GetBytes(s);
            Array.Resize(ref b, b.Length + 1);
            return b;
        }

        /// <summary>A borrowed UTF-8 C string as a .NET string.</summary>
        internal static string Str(IntPtr p)
        {
            if (p == IntPtr.Zero) return null;
            int n = 0;
            while (Marshal.ReadByte(p, n) != 0) n++;
            var b = new byte[n];
            Marshal.Copy(p, b, 0, n);
            return Encoding.UTF8.GetString(b);
        }

        /// <summary>Takes ownership of a library string: copies it and frees it.</summary>
        internal static string Take(IntPtr p)
        {
            try { return Str(p); } finally { if (p != IntPtr.Zero) exto360_string_free(p); }
        }

        /// <summary>The one mapping from a library error to an exception (frees the error).</summary>
        internal static Exception Error(int status, IntPtr err)
        {
            if (err == IntPtr.Zero) return new Exto360Exception((ErrorKind)status, "internal", 0, "exto360 call failed (" + status + ")", null, new string[0], "{}");
            try
            {
                int n = (int)exto360_error_details_count(err);
                var details = new string[n];
                for (int i = 0; i < n; i++) details[i] = Str(exto360_error_detail(err, (UIntPtr)i));
                return new Exto360Exception((ErrorKind)exto360_error_kind(err), Str(exto360_error_code(err)), exto360_error_status(err),
                    Str(exto360_error_message(err)), Str(exto360_error_summary(err)), details, Str(exto360_error_details_json(err)));
            }
            finally { exto360_error_free(err); }
        }

        /// <summary>Returns the JSON of a successful call, or throws its error.</summary>
        internal static string Check(int status, IntPtr output, IntPtr err)
        {
            if (status != 0) { if (output != IntPtr.Zero) exto360_string_free(output); throw Error(status, err); }
            return Take(output);
        }
    }

    internal sealed class ClientHandle : SafeHandle
    {
        public ClientHandle() : base(IntPtr.Zero, true) { }
        internal ClientHandle(IntPtr p) : base(IntPtr.Zero, true) { SetHandle(p); }
        public override bool IsInvalid { get { return handle == IntPtr.Zero; } }
        protected override bool ReleaseHandle() { Native.exto360_client_free(handle); return true; }
    }

    internal sealed class PagerHandle : SafeHandle
    {
        internal PagerHandle(IntPtr p) : base(IntPtr.Zero, true) { SetHandle(p); }
        public override bool IsInvalid { get { return handle == IntPtr.Zero; } }
        protected override bool ReleaseHandle() { Native.exto360_pager_free(handle); return true; }
    }

    /// <summary>The Exto360 Data API client. Thread-safe; dispose it when done.</summary>
    public sealed partial class Client : IDisposable
    {
        readonly ClientHandle h;

        // Every native call starts from a Client, and Mono resolves a P/Invoke when it compiles the
        // calling method, without running the class's static constructor first: the library is
        // found here, before an instance's methods are compiled. A static member runs the loader
        // and only then calls a separate (not inlined) method that holds the P/Invoke: Client.Version
        // as a program's first call failed from the NuGet package otherwise.
        static Client() { NativeLoader.Load(); }

        /// <summary>From a JSON config: {"token", "baseUrl", "projectId", "tenantId", "timeout" (s), "maxRetries", "initialBackoff", "maxBackoff" (s), "retryWrites", "rateLimit",
        /// "rateLimitStore" ("redis://…", shared by every process on the token), "rateLimitNamespace", "rateLimitFallback" ("local"/"fail"), "rateLimitWorkers"} — see exto360_client_new.
        /// Unset keys come from the EXTO360_* environment variables.</summary>
        public Client(string configJson)
        {
            IntPtr c, e;
            int st = Native.exto360_client_new(Native.U8(configJson), out c, out e);
            if (st != 0) throw Native.Error(st, e);
            h = new ClientHandle(c);
        }

        Client(ClientHandle handle) { h = handle; }

        /// <summary>A client configured from the EXTO360_* environment variables.</summary>
        public static Client FromEnv() { return new Client("{}"); }

        /// <summary>The library version.</summary>
        public static string Version { get { NativeLoader.Load(); return VersionNative(); } }
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        static string VersionNative() { return Native.Str(Native.exto360_version()); }

        /// <summary>A client for another project (null: tenant scope), sharing connections and the rate limit.</summary>
        public Client WithProject(string projectId)
        {
            IntPtr c, e;
            int st = Native.exto360_client_with_project(h, Native.U8(projectId), out c, out e);
            if (st != 0) throw Native.Error(st, e);
            return new Client(new ClientHandle(c));
        }

        public Records Masters(string name) { return new Records(h, name, false); }
        public Records Modules(string name) { return new Records(h, name, true); }
        public SubTable SubTable(string tableId) { return new SubTable(h, tableId); }
        public Workflow Workflow(string module) { return new Workflow(h, module); }
        public Users Users { get { return new Users(h); } }
        public Health Health { get { return new Health(h); } }

        /// <summary>Renders a filter object (JSON: {"field", "type", "op", "value"} or {"and"/"or": [...]}) in the API's grammar.</summary>
        public static string RenderFilter(string filterJson)
        {
            NativeLoader.Load();
            return RenderFilterNative(filterJson);
        }

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        static string RenderFilterNative(string filterJson)
        {
            IntPtr o, e;
            int st = Native.exto360_filter_render(Native.U8(filterJson), out o, out e);
            return Native.Check(st, o, e);
        }

        public void Dispose() { h.Dispose(); }
    }

    /// <summary>Records of one master or module.</summary>
    public sealed partial class Records
    {
        readonly ClientHandle h; readonly byte[] name; readonly bool module;
        internal Records(ClientHandle h, string name, bool module) { this.h = h; this.name = Native.U8(name); this.module = module; }

        /// <summary>One page as JSON: {"rows": [...], "total", "page", "pageSize", "totalPages"}.</summary>
        public string List(ListOptions options = null)
        {
            IntPtr o, e;
            var args = Native.U8((options ?? new ListOptions()).ToJson());
            int st = module ? Native.exto360_modules_list(h, name, args, out o, out e) : Native.exto360_masters_list(h, name, args, out o, out e);
            return Native.Check(st, o, e);
        }

        /// <summary>Every page (as JSON), fetched one ahead in the background, with bounded memory.</summary>
        public IEnumerable<string> Pages(ListOptions options = null)
        {
            IntPtr p, e;
            var args = Native.U8((options ?? new ListOptions()).ToJson());
            int st = module ? Native.exto360_modules_iter(h, name, args, out p, out e) : Native.exto360_masters_iter(h, name, args, out p, out e);
            if (st != 0) throw Native.Error(st, e);
            return Iterate(new PagerHandle(p));
        }

        internal static IEnumerable<string> Iterate(PagerHandle pager)
        {
            using (pager)
            {
                for (;;)
                {
                    IntPtr page, e;
                    int st = Native.exto360_pager_next(pager, out page, out e);
                    if (st != 0) throw Native.Error(st, e);
                    if (page == IntPtr.Zero) yield break;
                    yield return Native.Take(page);
                }
            }
        }

        /// <summary>Inserts or updates any number of records (a JSON array of objects), 1000 per request.
        /// For modules, userName (an active user) is required.</summary>
        public UpsertResult Upsert(string recordsJson, string userName = null)
        {
            IntPtr o, e;
            int st = module ? Native.exto360_modules_upsert(h, name, Native.U8(recordsJson), Native.U8(userName), out o, out e)
                            : Native.exto360_masters_upsert(h, name, Native.U8(recordsJson), out o, out e);
            return UpsertResult.Parse(Native.Check(st, o, e));
        }
    }

    public sealed partial class SubTable
    {
        readonly ClientHandle h; readonly byte[] id;
        internal SubTable(ClientHandle h, string id) { this.h = h; this.id = Native.U8(id); }
        /// <summary>Writes rows (a JSON array) under the module record recordId of moduleName.</summary>
        public UpsertResult Upsert(string rowsJson, string moduleName, string recordId)
        {
            IntPtr o, e;
            int st = Native.exto360_sub_table_upsert(h, id, Native.U8(rowsJson), Native.U8(moduleName), Native.U8(recordId), out o, out e);
            return UpsertResult.Parse(Native.Check(st, o, e));
        }
    }

    public sealed partial class Workflow
    {
        readonly ClientHandle h; readonly byte[] module;
        internal Workflow(ClientHandle h, string module) { this.h = h; this.module = Native.U8(module); }
        /// <summary>Applies action to records (recordIdsJson: a JSON array of _id strings), 100 per request.
        /// Returns JSON [{"workflowId", "recordId"}...]. spaceName is required in a project scope.</summary>
        public string Act(string recordIdsJson, string action, string userName, string spaceName = null)
        {
            var args = new JsonObject { { "action", action }, { "userName", userName } };
            if (spaceName != null) args["spaceName"] = spaceName;
            IntPtr o, e;
            int st = Native.exto360_workflow_act(h, module, Native.U8(recordIdsJson), Native.U8(args.ToString()), out o, out e);
            return Native.Check(st, o, e);
        }
    }

    public sealed class Users
    {
        readonly ClientHandle h;
        internal Users(ClientHandle h) { this.h = h; }
        delegate int Call(out IntPtr o, out IntPtr e);
        static string Run(Call f) { IntPtr o, e; int st = f(out o, out e); return Native.Check(st, o, e); }

        /// <summary>Grants access; grantJson is the API body {"user": {"userName", ...}, "projects": [{"projectId", "groups", "spaces"}], "groups": [...]}.</summary>
        public UpsertResult GrantAccess(string grantJson) { return UpsertResult.Parse(Run((out IntPtr o, out IntPtr e) => Native.exto360_users_grant_access(h, Native.U8(grantJson), out o, out e))); }
        /// <summary>One page of users as JSON.</summary>
        public string List(int page = 1, int pageSize = 1000) { return Run((out IntPtr o, out IntPtr e) => Native.exto360_users_list(h, Native.U8("{\"page\":" + page + ",\"pageSize\":" + pageSize + "}"), out o, out e)); }
        /// <summary>Every page of users (as JSON).</summary>
        public IEnumerable<string> Pages(int pageSize = 1000)
        {
            IntPtr p, e;
            int st = Native.exto360_users_iter(h, Native.U8("{\"pageSize\":" + pageSize + "}"), out p, out e);
            if (st != 0) throw Native.Error(st, e);
            return Records.Iterate(new PagerHandle(p));
        }
        public string Get(string username) { return Run((out IntPtr o, out IntPtr e) => Native.exto360_users_get(h, Native.U8(username), out o, out e)); }
        public string Groups(bool onlyProjectGroups = false) { return Run((out IntPtr o, out IntPtr e) => Native.exto360_users_groups(h, onlyProjectGroups, out o, out e)); }
        /// <summary>Activates any number of users (usernamesJson: a JSON array); returns the summed result JSON.</summary>
        public string Activate(string usernamesJson) { return Run((out IntPtr o, out IntPtr e) => Native.exto360_users_activate(h, Native.U8(usernamesJson), out o, out e)); }
        public string Deactivate(string usernamesJson) { return Run((out IntPtr o, out IntPtr e) => Native.exto360_users_deactivate(h, Native.U8(usernamesJson), out o, out e)); }
        public string RemoveAccess(string username, string projectsJson, string groupsJson = "[]") { return Run((out IntPtr o, out IntPtr e) => Native.exto360_users_remove_access(h, Native.U8(username), Native.U8(projectsJson), Native.U8(groupsJson), out o, out e)); }
        public string RemoveProjectAccess(string username, string projectIdsJson) { return Run((out IntPtr o, out IntPtr e) => Native.exto360_users_remove_project_access(h, Native.U8(username), Native.U8(projectIdsJson), out o, out e)); }
    }

    public sealed class Health
    {
        readonly ClientHandle h;
        internal Health(ClientHandle h) { this.h = h; }
        public string Liveness() { IntPtr o, e; int st = Native.exto360_health_liveness(h, out o, out e); return Native.Check(st, o, e); }
        public string Readiness() { IntPtr o, e; int st = Native.exto360_health_readiness(h, out o, out e); return Native.Check(st, o, e); }
    }
}
