// The C# executor of the conformance suite (tests/conformance/README.md): one case per stdin
// line through the public Exto360 classes, one normalized result per stdout line.
using System;
using System.Collections.Generic;
using System.Json;
using System.Linq;
using Exto360;

static class ConformanceExec
{
    static string S(JsonValue o, string k) { return o.ContainsKey(k) && o[k] != null ? (string)o[k] : null; }
    static string J(JsonValue o, string k) { return o.ContainsKey(k) && o[k] != null ? o[k].ToString() : null; }
    static long? L(JsonValue o, string k) { return o.ContainsKey(k) && o[k] != null ? (long?)(long)o[k] : null; }
    static int? I(JsonValue o, string k) { return o.ContainsKey(k) && o[k] != null ? (int?)(int)o[k] : null; }

    static ListOptions Opts(JsonValue a)
    {
        // A filter object goes through the library's renderer; strings pass as they are.
        string filter = null;
        if (a.ContainsKey("filter") && a["filter"] != null)
            filter = a["filter"].JsonType == JsonType.String ? (string)a["filter"] : Client.RenderFilter(a["filter"].ToString());
        return new ListOptions { Page = I(a, "page"), PageSize = I(a, "pageSize"), Sort = S(a, "sort"), Status = S(a, "status"), Filter = filter, LocalTimeZone = S(a, "localTimeZone") };
    }

    static string Collect(IEnumerable<string> pages, string key, bool users)
    {
        var items = new JsonArray();
        foreach (var p in pages)
            foreach (JsonValue row in (JsonArray)JsonValue.Parse(p)["rows"])
                items.Add(users ? row["user"]["userName"] : row["_id"]);
        return new JsonObject { { "count", items.Count }, { key, items } }.ToString();
    }

    static string Upsert(UpsertResult r)
    {
        return new JsonObject { { "insertedIds", new JsonArray(r.InsertedIds.Select(x => (JsonValue)x)) }, { "insertedCount", r.InsertedCount }, { "updatedCount", r.UpdatedCount } }.ToString();
    }

    static string Bulk(string json)
    {
        var r = JsonValue.Parse(json);
        return new JsonObject { { "ok", r["ok"] }, { "nMatched", r["nMatched"] }, { "nModified", r["nModified"] } }.ToString();
    }

    static string Run(Client c, string op, JsonValue a)
    {
        switch (op)
        {
            case "health.liveness": return c.Health.Liveness();
            case "health.readiness": return c.Health.Readiness();
            case "masters.list": return c.Masters(S(a, "name")).List(Opts(a));
            case "modules.list": return c.Modules(S(a, "name")).List(Opts(a));
            case "masters.iter": return Collect(c.Masters(S(a, "name")).Pages(Opts(a)), "ids", false);
            case "modules.iter": return Collect(c.Modules(S(a, "name")).Pages(Opts(a)), "ids", false);
            case "masters.upsert": return Upsert(c.Masters(S(a, "name")).Upsert(J(a, "records")));
            case "modules.upsert": return Upsert(c.Modules(S(a, "name")).Upsert(J(a, "records"), S(a, "userName")));
            case "subTable.upsert": return Upsert(c.SubTable(S(a, "tableId")).Upsert(J(a, "rows"), S(a, "moduleName"), S(a, "recordId")));
            case "workflow.act": return c.Workflow(S(a, "module")).Act(J(a, "recordIds"), S(a, "action"), S(a, "userName"), S(a, "spaceName"));
            case "users.grantAccess": return Upsert(c.Users.GrantAccess(J(a, "grant")));
            case "users.list": return c.Users.List(I(a, "page") ?? 1, I(a, "pageSize") ?? 1000);
            case "users.iter": return Collect(c.Users.Pages(), "userNames", true);
            case "users.get": return c.Users.Get(S(a, "username"));
            case "users.groups": return c.Users.Groups(a.ContainsKey("onlyProjectGroups") && (bool)a["onlyProjectGroups"]);
            case "users.activate": return Bulk(c.Users.Activate(J(a, "usernames")));
            case "users.deactivate": return Bulk(c.Users.Deactivate(J(a, "usernames")));
            case "users.removeAccess": return c.Users.RemoveAccess(S(a, "username"), J(a, "projects") ?? "[]", J(a, "groups") ?? "[]");
            case "users.removeProjectAccess": return c.Users.RemoveProjectAccess(S(a, "username"), J(a, "projectIds") ?? "[]");
            case "version": return new JsonPrimitive(Client.Version).ToString();
            case "filter.render": return new JsonPrimitive(Client.RenderFilter(a["filter"].ToString())).ToString();
        }
        return Edition(c, op, a);
    }

    // ------------------------------------------------------------------ the current edition

    static string[] Strs(JsonValue o, string k) { return o.ContainsKey(k) && o[k] != null ? ((JsonArray)o[k]).Select(x => (string)x).ToArray() : null; }

    /// <summary>{count, ids}: each row's _id, or recordNumber when it has none (v2 workflow rows).</summary>
    static string Ids(IEnumerable<string> pages)
    {
        var ids = new JsonArray();
        foreach (var p in pages)
            foreach (JsonValue row in (JsonArray)JsonValue.Parse(p)["rows"])
                ids.Add(row.ContainsKey("_id") ? row["_id"] : row["recordNumber"]);
        return new JsonObject { { "count", ids.Count }, { "ids", ids } }.ToString();
    }

    static string Delete(DeleteResult r) { return new JsonObject { { "deletedCount", r.DeletedCount } }.ToString(); }

    static string Edition(Client c, string op, JsonValue a)
    {
        switch (op)
        {
            case "build.info": return c.BuildInfo();
            case "masters.update": return Upsert(c.Masters(S(a, "name")).Update(J(a, "records"), S(a, "key")));
            case "masters.delete": return Delete(c.Masters(S(a, "name")).Delete(J(a, "ids"), S(a, "key"), S(a, "userName")));
            case "modules.update": return Upsert(c.Modules(S(a, "name")).Update(J(a, "records"), S(a, "key"), S(a, "userName")));
            case "modules.delete": return Delete(c.Modules(S(a, "name")).Delete(J(a, "ids"), S(a, "key"), S(a, "userName")));
            case "modules.expand":
            {
                var o = new ExpandOptions { RecordIds = Strs(a, "recordIds"), Page = I(a, "page"), PageSize = I(a, "pageSize"), Fields = Strs(a, "fields"), SubTableFields = Strs(a, "subTableFields"), SubTablePageSize = I(a, "subTablePageSize"), QueryJson = J(a, "query") };
                var records = new JsonArray(c.Modules(S(a, "name")).Expand(o).Select(JsonValue.Parse));
                return new JsonObject { { "count", records.Count }, { "records", records } }.ToString();
            }
            case "subTable.list": return c.SubTable(S(a, "tableId")).List(S(a, "moduleName"), S(a, "recordId"), I(a, "page") ?? 1, I(a, "pageSize") ?? 1000);
            case "subTable.iter": return Ids(c.SubTable(S(a, "tableId")).Pages(S(a, "moduleName"), S(a, "recordId"), I(a, "pageSize") ?? 1000));
            case "subTable.delete": return Delete(c.SubTable(S(a, "tableId")).Delete(J(a, "recordNumbers"), S(a, "moduleName"), S(a, "recordId")));
            case "hierarchy.list": return c.Hierarchy(S(a, "name")).List(I(a, "page") ?? 1, I(a, "pageSize") ?? 1000);
            case "hierarchy.iter": return Ids(c.Hierarchy(S(a, "name")).Pages(I(a, "pageSize") ?? 1000));
            case "hierarchy.create": return Upsert(c.Hierarchy(S(a, "name")).Create(J(a, "rows")));
            case "hierarchy.update": return Upsert(c.Hierarchy(S(a, "name")).Update(J(a, "rows")));
            case "workflow.list": return c.Workflow(S(a, "module")).List(a.ToString());
            case "workflow.iter": return Ids(c.Workflow(S(a, "module")).Pages(a.ToString()));
            case "workflow.history": return c.Workflow(S(a, "module")).History(S(a, "recordNumber"));
            case "workflow.transition": return c.Workflow(S(a, "module")).Transition(S(a, "step"), S(a, "recordId"), a.ToString());
            case "documents.upload": return c.Documents.Upload(J(a, "files"), a.ToString());
            case "documents.download": return c.Documents.Download(S(a, "id"), S(a, "path"), S(a, "version"));
            case "documents.downloadAll": return c.Documents.DownloadAll(S(a, "recordId"), S(a, "module"), S(a, "path"));
            case "workspaces.create": return c.Workspaces.Create(S(a, "name"), S(a, "parentId"));
            case "workspaces.list": return c.Workspaces.List(I(a, "page") ?? 1, I(a, "pageSize") ?? 25, S(a, "filter"), S(a, "sort"));
            case "workspaces.get": return c.Workspaces.Get(S(a, "id"));
            case "workspaces.update": return c.Workspaces.Update(S(a, "id"), S(a, "name"), S(a, "parentId"));
            case "jobs.create": return new JsonObject { { "id", c.Jobs.Create(J(a, "job")) } }.ToString();
            case "jobs.start": return new JsonObject { { "id", c.Jobs.Start(S(a, "title"), S(a, "type")) } }.ToString();
            case "jobs.list": return c.Jobs.List(S(a, "projectId"), I(a, "page") ?? 1, I(a, "pageSize") ?? 50);
            case "jobs.update": c.Jobs.Update(S(a, "id"), S(a, "status"), L(a, "duration"), S(a, "completedAt")); return "{}";
            case "jobs.log": c.Jobs.Log(S(a, "id"), S(a, "message"), S(a, "level")); return "{}";
            case "jobs.fail": c.Jobs.Fail(S(a, "id"), S(a, "message")); return "{}";
        }
        throw new ArgumentException("unknown operation " + op);
    }

    static void Main()
    {
        string line;
        while ((line = Console.ReadLine()) != null)
        {
            if (line.Trim().Length == 0) continue;
            var msg = JsonValue.Parse(line);
            string reply;
            try
            {
                using (var c = new Client(msg["client"].ToString()))
                    reply = "{\"id\":" + msg["id"].ToString() + ",\"ok\":" + Run(c, (string)msg["op"], msg["args"]) + "}";
            }
            catch (Exto360Exception e)
            {
                reply = "{\"id\":" + msg["id"].ToString() + ",\"error\":" + e.Json + "}";
            }
            Console.WriteLine(reply);
            Console.Out.Flush();
        }
    }
}
