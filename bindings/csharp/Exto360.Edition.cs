// Exto360 for .NET — the current edition of the API: updates and deletes of records, Expand
// (records with all their sub-table rows), sub-table reads and deletes, hierarchy masters, the
// v2 workflow and build info. Same rules as Exto360.cs: the C library does the work; errors
// come through the one mapping (Native.Error) as Exto360Exception.
using System;
using System.Collections.Generic;
using System.Json;
using System.Runtime.InteropServices;

namespace Exto360
{
    /// <summary>What a delete did over every request it took: how many identifiers the API accepted.</summary>
    public class DeleteResult
    {
        public long DeletedCount { get; private set; }

        internal static DeleteResult Parse(string json)
        {
            return new DeleteResult { DeletedCount = (long)JsonValue.Parse(json)["deletedCount"] };
        }
    }

    /// <summary>Options of Records.Expand. Every property is optional.</summary>
    public class ExpandOptions
    {
        /// <summary>Only these records (_ids); any number (sent 100 per request).</summary>
        public string[] RecordIds;
        public int? Page;
        /// <summary>Records per request, 1..100 (default 50).</summary>
        public int? PageSize;
        /// <summary>Sparse fieldset of the records: "recordNumber" keeps it (and _id), "-customFields" drops it.</summary>
        public string[] Fields;
        /// <summary>Sparse fieldset of every sub-table row.</summary>
        public string[] SubTableFields;
        /// <summary>Rows per sub-table page, 1..100 (default 100).</summary>
        public int? SubTablePageSize;
        /// <summary>A Mongo-style filter as JSON, e.g. {"projectID": "WBls47_"}.</summary>
        public string QueryJson;

        static JsonArray Strings(string[] items)
        {
            var a = new JsonArray();
            foreach (var s in items) a.Add(s);
            return a;
        }

        internal string ToJson()
        {
            var o = new JsonObject();
            if (RecordIds != null) o["recordIds"] = Strings(RecordIds);
            if (Page.HasValue) o["page"] = Page.Value;
            if (PageSize.HasValue) o["pageSize"] = PageSize.Value;
            if (Fields != null) o["fields"] = Strings(Fields);
            if (SubTableFields != null) o["subTableFields"] = Strings(SubTableFields);
            if (SubTablePageSize.HasValue) o["subTablePageSize"] = SubTablePageSize.Value;
            if (QueryJson != null) o["query"] = JsonValue.Parse(QueryJson);
            return o.ToString();
        }
    }

    internal static partial class Native
    {
        [DllImport(Lib)] internal static extern int exto360_build_info(ClientHandle c, out IntPtr o, out IntPtr e);
        [DllImport(Lib)] internal static extern int exto360_masters_update(ClientHandle c, byte[] name, byte[] records, byte[] key, out IntPtr o, out IntPtr e);
        [DllImport(Lib)] internal static extern int exto360_masters_delete(ClientHandle c, byte[] name, byte[] ids, byte[] key, byte[] user, out IntPtr o, out IntPtr e);
        [DllImport(Lib)] internal static extern int exto360_modules_update(ClientHandle c, byte[] name, byte[] records, byte[] key, byte[] user, out IntPtr o, out IntPtr e);
        [DllImport(Lib)] internal static extern int exto360_modules_delete(ClientHandle c, byte[] name, byte[] ids, byte[] key, byte[] user, out IntPtr o, out IntPtr e);
        [DllImport(Lib)] internal static extern int exto360_modules_expand(ClientHandle c, byte[] name, byte[] args, out IntPtr pager, out IntPtr e);
        [DllImport(Lib)] internal static extern int exto360_sub_table_list(ClientHandle c, byte[] table, byte[] args, out IntPtr o, out IntPtr e);
        [DllImport(Lib)] internal static extern int exto360_sub_table_iter(ClientHandle c, byte[] table, byte[] args, out IntPtr pager, out IntPtr e);
        [DllImport(Lib)] internal static extern int exto360_sub_table_delete(ClientHandle c, byte[] table, byte[] numbers, byte[] module, byte[] record, out IntPtr o, out IntPtr e);
        [DllImport(Lib)] internal static extern int exto360_hierarchy_list(ClientHandle c, byte[] name, byte[] args, out IntPtr o, out IntPtr e);
        [DllImport(Lib)] internal static extern int exto360_hierarchy_iter(ClientHandle c, byte[] name, byte[] args, out IntPtr pager, out IntPtr e);
        [DllImport(Lib)] internal static extern int exto360_hierarchy_create(ClientHandle c, byte[] name, byte[] rows, out IntPtr o, out IntPtr e);
        [DllImport(Lib)] internal static extern int exto360_hierarchy_update(ClientHandle c, byte[] name, byte[] rows, out IntPtr o, out IntPtr e);
        [DllImport(Lib)] internal static extern int exto360_workflow_list(ClientHandle c, byte[] module, byte[] args, out IntPtr o, out IntPtr e);
        [DllImport(Lib)] internal static extern int exto360_workflow_iter(ClientHandle c, byte[] module, byte[] args, out IntPtr pager, out IntPtr e);
        [DllImport(Lib)] internal static extern int exto360_workflow_history(ClientHandle c, byte[] module, byte[] number, out IntPtr o, out IntPtr e);
        [DllImport(Lib)] internal static extern int exto360_workflow_transition(ClientHandle c, byte[] module, byte[] step, byte[] record, byte[] args, out IntPtr o, out IntPtr e);

        internal delegate int Start(out IntPtr pager, out IntPtr e);

        /// <summary>Starts a pager and iterates it (every item a JSON text), or throws its error.</summary>
        internal static IEnumerable<string> Pager(Start start)
        {
            IntPtr p, e;
            int st = start(out p, out e);
            if (st != 0) throw Error(st, e);
            return Records.Iterate(new PagerHandle(p));
        }
    }

    public sealed partial class Client
    {
        /// <summary>The server build's metadata as JSON: {"name", "version", "branch", "commit", "date"}.</summary>
        public string BuildInfo() { IntPtr o, e; int st = Native.exto360_build_info(h, out o, out e); return Native.Check(st, o, e); }

        /// <summary>Rows of the hierarchy master name (e.g. "ORG_UNIT").</summary>
        public Hierarchy Hierarchy(string name) { return new Hierarchy(h, name); }
    }

    public sealed partial class Records
    {
        /// <summary>Updates any number of records (a JSON array of objects, each naming its record by key and
        /// carrying the fields to change; no _id), 1000 per request. key is "refId" or "recordNumber" (the
        /// two editions of the docs disagree). For modules, userName (an active user) is required.</summary>
        public UpsertResult Update(string recordsJson, string key, string userName = null)
        {
            IntPtr o, e;
            int st = module ? Native.exto360_modules_update(h, name, Native.U8(recordsJson), Native.U8(key), Native.U8(userName), out o, out e)
                            : Native.exto360_masters_update(h, name, Native.U8(recordsJson), Native.U8(key), out o, out e);
            return UpsertResult.Parse(Native.Check(st, o, e));
        }

        /// <summary>Deletes any number of records (idsJson: a JSON array of refIds or recordNumbers, as key says),
        /// acting as userName. A user without the permission gets Kind Forbidden (the API answers 200 with
        /// "success": false). A retry that finds nothing left to delete counts as deleted.</summary>
        public DeleteResult Delete(string idsJson, string key, string userName)
        {
            IntPtr o, e;
            int st = module ? Native.exto360_modules_delete(h, name, Native.U8(idsJson), Native.U8(key), Native.U8(userName), out o, out e)
                            : Native.exto360_masters_delete(h, name, Native.U8(idsJson), Native.U8(key), Native.U8(userName), out o, out e);
            return DeleteResult.Parse(Native.Check(st, o, e));
        }

        /// <summary>Module records with all their sub-table rows, one JSON record at a time (the document with
        /// "subTableData": {"&lt;tableID&gt;": {"total", "rows"}}); rows are read page by page, each record held once.</summary>
        public IEnumerable<string> Expand(ExpandOptions options = null)
        {
            if (!module) throw new InvalidOperationException("Expand reads module records: use client.Modules(name)");
            var args = Native.U8((options ?? new ExpandOptions()).ToJson());
            return Native.Pager((out IntPtr p, out IntPtr e) => Native.exto360_modules_expand(h, name, args, out p, out e));
        }
    }

    public sealed partial class SubTable
    {
        static string Args(string moduleName, string recordId, int page, int pageSize)
        {
            return new JsonObject { { "moduleName", moduleName }, { "recordId", recordId }, { "page", page }, { "pageSize", pageSize } }.ToString();
        }

        /// <summary>One page (JSON) of the rows of the record recordId of moduleName.</summary>
        public string List(string moduleName, string recordId, int page = 1, int pageSize = 1000)
        {
            IntPtr o, e;
            int st = Native.exto360_sub_table_list(h, id, Native.U8(Args(moduleName, recordId, page, pageSize)), out o, out e);
            return Native.Check(st, o, e);
        }

        /// <summary>Every page (JSON) of the record's rows.</summary>
        public IEnumerable<string> Pages(string moduleName, string recordId, int pageSize = 1000)
        {
            var args = Native.U8(Args(moduleName, recordId, 1, pageSize));
            return Native.Pager((out IntPtr p, out IntPtr e) => Native.exto360_sub_table_iter(h, id, args, out p, out e));
        }

        /// <summary>Deletes rows by recordNumber (a JSON array of strings), 1000 per request.</summary>
        public DeleteResult Delete(string recordNumbersJson, string moduleName, string recordId)
        {
            IntPtr o, e;
            int st = Native.exto360_sub_table_delete(h, id, Native.U8(recordNumbersJson), Native.U8(moduleName), Native.U8(recordId), out o, out e);
            return DeleteResult.Parse(Native.Check(st, o, e));
        }
    }

    public sealed partial class Workflow
    {
        /// <summary>One page (JSON) of the v2 workflow list; argsJson: {"page", "pageSize" (≤ 100), "recordNumber",
        /// "status", "responsibleUser", "responsibleGroup", "filter"}. The client must be scoped to a project.</summary>
        public string List(string argsJson = null)
        {
            IntPtr o, e;
            int st = Native.exto360_workflow_list(h, module, Native.U8(argsJson), out o, out e);
            return Native.Check(st, o, e);
        }

        /// <summary>Every page (JSON) of the v2 workflow list.</summary>
        public IEnumerable<string> Pages(string argsJson = null)
        {
            var args = Native.U8(argsJson);
            return Native.Pager((out IntPtr p, out IntPtr e) => Native.exto360_workflow_iter(h, module, args, out p, out e));
        }

        /// <summary>The step history (JSON) of one record.</summary>
        public string History(string recordNumber)
        {
            IntPtr o, e;
            int st = Native.exto360_workflow_history(h, module, Native.U8(recordNumber), out o, out e);
            return Native.Check(st, o, e);
        }

        /// <summary>Takes a v2 action: step is "create", "submit", "return", "reopen" or "revision"; argsJson:
        /// {"userName", "actionName", "spaceName", "assignee": {"users", "groups"}, "comment": {"text", "isPrivate"}}.</summary>
        public string Transition(string step, string recordId, string argsJson)
        {
            IntPtr o, e;
            int st = Native.exto360_workflow_transition(h, module, Native.U8(step), Native.U8(recordId), Native.U8(argsJson), out o, out e);
            return Native.Check(st, o, e);
        }
    }

    /// <summary>Rows of one hierarchy master (sys_rowID, sys_parentRowID, sys_path). There is no delete.</summary>
    public sealed class Hierarchy
    {
        readonly ClientHandle h; readonly byte[] name;
        internal Hierarchy(ClientHandle h, string name) { this.h = h; this.name = Native.U8(name); }

        /// <summary>One page of rows as JSON.</summary>
        public string List(int page = 1, int pageSize = 1000)
        {
            IntPtr o, e;
            int st = Native.exto360_hierarchy_list(h, name, Native.U8("{\"page\":" + page + ",\"pageSize\":" + pageSize + "}"), out o, out e);
            return Native.Check(st, o, e);
        }

        /// <summary>Every page of rows (as JSON).</summary>
        public IEnumerable<string> Pages(int pageSize = 1000)
        {
            var args = Native.U8("{\"pageSize\":" + pageSize + "}");
            return Native.Pager((out IntPtr p, out IntPtr e) => Native.exto360_hierarchy_iter(h, name, args, out p, out e));
        }

        /// <summary>Creates rows (a JSON array), 1000 per request, in order.</summary>
        public UpsertResult Create(string rowsJson)
        {
            IntPtr o, e;
            int st = Native.exto360_hierarchy_create(h, name, Native.U8(rowsJson), out o, out e);
            return UpsertResult.Parse(Native.Check(st, o, e));
        }

        /// <summary>Updates rows named by sys_rowID (a new sys_parentRowID moves the row).</summary>
        public UpsertResult Update(string rowsJson)
        {
            IntPtr o, e;
            int st = Native.exto360_hierarchy_update(h, name, Native.U8(rowsJson), out o, out e);
            return UpsertResult.Parse(Native.Check(st, o, e));
        }
    }
}
