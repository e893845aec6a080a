// Exto360 for .NET — documents (upload and download files), workspaces and job status
// (REFERENCE.md §6A). Same rules as Exto360.cs: the C library does the work (streaming from and
// to disk, 100 files per request, temporary file + rename); errors come through Native.Error.
using System;
using System.Collections.Generic;
using System.IO;
using System.Json;
using System.Runtime.InteropServices;

namespace Exto360
{
    /// <summary>One file to upload: a path on disk (streamed from there), with an optional name and content type.</summary>
    public class UploadFile
    {
        public string Path;
        /// <summary>The name the server stores (default: the path's file name).</summary>
        public string Name;
        public string ContentType;
        public UploadFile(string path, string name = null, string contentType = null) { Path = path; Name = name; ContentType = contentType; }

        internal JsonObject ToJson()
        {
            var o = new JsonObject { { "path", Path } };
            if (Name != null) o["name"] = Name;
            if (ContentType != null) o["contentType"] = ContentType;
            return o;
        }
    }

    internal static partial class Native
    {
        [DllImport(Lib)] internal static extern int exto360_documents_upload(ClientHandle c, byte[] files, byte[] args, out IntPtr o, out IntPtr e);
        [DllImport(Lib)] internal static extern int exto360_documents_download(ClientHandle c, byte[] id, byte[] version, byte[] path, out IntPtr o, out IntPtr e);
        [DllImport(Lib)] internal static extern int exto360_documents_download_all(ClientHandle c, byte[] record, byte[] module, byte[] path, out IntPtr o, out IntPtr e);
        [DllImport(Lib)] internal static extern int exto360_workspaces_create(ClientHandle c, byte[] name, byte[] parent, out IntPtr o, out IntPtr e);
        [DllImport(Lib)] internal static extern int exto360_workspaces_list(ClientHandle c, byte[] args, out IntPtr o, out IntPtr e);
        [DllImport(Lib)] internal static extern int exto360_workspaces_get(ClientHandle c, byte[] id, out IntPtr o, out IntPtr e);
        [DllImport(Lib)] internal static extern int exto360_workspaces_update(ClientHandle c, byte[] id, byte[] name, byte[] parent, out IntPtr o, out IntPtr e);
        [DllImport(Lib)] internal static extern int exto360_jobs_create(ClientHandle c, byte[] job, out IntPtr o, out IntPtr e);
        [DllImport(Lib)] internal static extern int exto360_jobs_start(ClientHandle c, byte[] title, byte[] type, out IntPtr o, out IntPtr e);
        [DllImport(Lib)] internal static extern int exto360_jobs_list(ClientHandle c, byte[] args, out IntPtr o, out IntPtr e);
        [DllImport(Lib)] internal static extern int exto360_jobs_update(ClientHandle c, byte[] id, byte[] status, byte[] args, out IntPtr e);
        [DllImport(Lib)] internal static extern int exto360_jobs_log(ClientHandle c, byte[] id, byte[] message, byte[] level, out IntPtr e);
        [DllImport(Lib)] internal static extern int exto360_jobs_fail(ClientHandle c, byte[] id, byte[] message, out IntPtr e);

        /// <summary>Throws the error of a call without output.</summary>
        internal static void Check(int status, IntPtr err) { if (status != 0) throw Error(status, err); }
    }

    public sealed partial class Client
    {
        /// <summary>Files attached to records (the client needs "tenantId" and "projectId").</summary>
        public Documents Documents { get { return new Documents(h); } }
        public Workspaces Workspaces { get { return new Workspaces(h); } }
        /// <summary>Job status and log lines; Run(title, type, job => ...) reports a block as a job.</summary>
        public Jobs Jobs { get { return new Jobs(h); } }
    }

    /// <summary>client.Documents. Results are JSON, as the rest of this package.</summary>
    public sealed class Documents
    {
        readonly ClientHandle h;
        internal Documents(ClientHandle h) { this.h = h; }

        /// <summary>Uploads files (any number, 100 per request, streamed from disk). argsJson: {"module", "recordId",
        /// "meta", "linkedRefId", "groupId", "folderId", "parentId", "scope"} or null. Returns the report
        /// {"uploadedCount", "failedCount", "unknownCount", "files": [{"index", "fileName", "state", "document",
        /// "message"}]} when every file was uploaded; otherwise throws Exto360Exception (a partial upload: Kind
        /// BadRequest, Status 200, Summary "errors.error_partial_upload") whose Json has "bulk" and "upload" (the
        /// per-file report).</summary>
        public string Upload(IEnumerable<UploadFile> files, string argsJson = null)
        {
            var a = new JsonArray();
            foreach (var f in files) a.Add(f.ToJson());
            return Upload(a.ToString(), argsJson);
        }

        /// <summary>Upload with the files as JSON: an array of {"path", "name"?, "contentType"?} or {"name", "text"}.</summary>
        public string Upload(string filesJson, string argsJson = null)
        {
            IntPtr o, e;
            int st = Native.exto360_documents_upload(h, Native.U8(filesJson), Native.U8(argsJson), out o, out e);
            return Native.Check(st, o, e);
        }

        /// <summary>Uploads the bytes of a Stream: they are copied to a temporary file first (the C library
        /// sends files by path), which is deleted afterwards. For large files prefer a path.</summary>
        public string Upload(string name, Stream data, string argsJson = null, string contentType = null)
        {
            string tmp = System.IO.Path.GetTempFileName();
            try
            {
                using (var f = File.Create(tmp)) data.CopyTo(f);
                return Upload(new[] { new UploadFile(tmp, name, contentType) }, argsJson);
            }
            finally { File.Delete(tmp); }
        }

        /// <summary>Downloads document id (version "v1", "v2", ... or null for the current one) to path: written beside
        /// it under a temporary name and renamed when complete; on failure nothing is left. Returns {"path", "bytes",
        /// "fileName", "contentType"}.</summary>
        public string Download(string id, string path, string version = null)
        {
            IntPtr o, e;
            int st = Native.exto360_documents_download(h, Native.U8(id), Native.U8(version), Native.U8(path), out o, out e);
            return Native.Check(st, o, e);
        }

        /// <summary>Downloads document id into a Stream (through a temporary file, copied when complete: a failed
        /// download writes nothing to the stream).</summary>
        public void Download(string id, Stream destination, string version = null)
        {
            string dir = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "exto360-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            try
            {
                string tmp = System.IO.Path.Combine(dir, "download");
                Download(id, tmp, version);
                using (var f = File.OpenRead(tmp)) f.CopyTo(destination);
            }
            finally { Directory.Delete(dir, true); }
        }

        /// <summary>Downloads a zip of every attachment of record recordId (of module) to path, like Download.</summary>
        public string DownloadAll(string recordId, string module, string path)
        {
            IntPtr o, e;
            int st = Native.exto360_documents_download_all(h, Native.U8(recordId), Native.U8(module), Native.U8(path), out o, out e);
            return Native.Check(st, o, e);
        }
    }

    /// <summary>client.Workspaces: each result is a workspace as JSON {"id", "name", "parentId", "createdAt", "updatedAt"}.</summary>
    public sealed class Workspaces
    {
        readonly ClientHandle h;
        internal Workspaces(ClientHandle h) { this.h = h; }

        public string Create(string name, string parentId = null) { IntPtr o, e; int st = Native.exto360_workspaces_create(h, Native.U8(name), Native.U8(parentId), out o, out e); return Native.Check(st, o, e); }
        /// <summary>One page {"rows", "total": null, "page", "pageSize", "totalPages": null} (pageSize ≤ 1000, default 25).</summary>
        public string List(int page = 1, int pageSize = 25, string filter = null, string sort = null)
        {
            var a = new JsonObject { { "page", page }, { "pageSize", pageSize } };
            if (filter != null) a["filter"] = filter;
            if (sort != null) a["sort"] = sort;
            IntPtr o, e;
            int st = Native.exto360_workspaces_list(h, Native.U8(a.ToString()), out o, out e);
            return Native.Check(st, o, e);
        }
        public string Get(string id) { IntPtr o, e; int st = Native.exto360_workspaces_get(h, Native.U8(id), out o, out e); return Native.Check(st, o, e); }
        public string Update(string id, string name, string parentId = null) { IntPtr o, e; int st = Native.exto360_workspaces_update(h, Native.U8(id), Native.U8(name), Native.U8(parentId), out o, out e); return Native.Check(st, o, e); }
    }

    /// <summary>A job being reported by Jobs.Run.</summary>
    public sealed class JobRun
    {
        readonly ClientHandle h;
        public string Id { get; private set; }
        internal JobRun(ClientHandle h, string id) { this.h = h; Id = id; }
        /// <summary>Appends a log line (level null: the server's "info").</summary>
        public void Log(string message, string level = null) { IntPtr e; Native.Check(Native.exto360_jobs_log(h, Native.U8(Id), Native.U8(message), Native.U8(level), out e), e); }
    }

    /// <summary>client.Jobs: job status of the client's project.</summary>
    public sealed class Jobs
    {
        readonly ClientHandle h;
        internal Jobs(ClientHandle h) { this.h = h; }

        /// <summary>Creates a job (jobJson: {"jobTitle", "jobType", "status"?, "createdBy"?, "meta"?, ...}); returns its id.</summary>
        public string Create(string jobJson)
        {
            IntPtr o, e;
            int st = Native.exto360_jobs_create(h, Native.U8(jobJson), out o, out e);
            return (string)JsonValue.Parse(Native.Check(st, o, e))["id"];
        }
        /// <summary>One page of jobs as JSON (pageSize ≤ 200); projectId null: the client's project.</summary>
        public string List(string projectId = null, int page = 1, int pageSize = 50)
        {
            var a = new JsonObject { { "page", page }, { "pageSize", pageSize } };
            if (projectId != null) a["projectId"] = projectId;
            IntPtr o, e;
            int st = Native.exto360_jobs_list(h, Native.U8(a.ToString()), out o, out e);
            return Native.Check(st, o, e);
        }
        /// <summary>Sets a job's status ("Not Started", "In Progress", "Completed", "Failed"); duration in ms.</summary>
        public void Update(string id, string status, long? durationMs = null, string completedAt = null)
        {
            var a = new JsonObject();
            if (durationMs.HasValue) a["duration"] = durationMs.Value;
            if (completedAt != null) a["completedAt"] = completedAt;
            IntPtr e;
            Native.Check(Native.exto360_jobs_update(h, Native.U8(id), Native.U8(status), Native.U8(a.ToString()), out e), e);
        }
        public void Log(string id, string message, string level = null) { new JobRun(h, id).Log(message, level); }
        /// <summary>Logs message at level "error" and sets the job Failed.</summary>
        public void Fail(string id, string message = null) { IntPtr e; Native.Check(Native.exto360_jobs_fail(h, Native.U8(id), Native.U8(message), out e), e); }

        /// <summary>Starts a job: creates it "In Progress" and returns its id; end it with Update("Completed", ...) or Fail.</summary>
        public string Start(string title, string type)
        {
            IntPtr o, e;
            int st = Native.exto360_jobs_start(h, Native.U8(title), Native.U8(type), out o, out e);
            return (string)JsonValue.Parse(Native.Check(st, o, e))["id"];
        }

        /// <summary>Runs body as a job: created "In Progress", "Completed" (with its duration) when body returns;
        /// if body throws, the exception is logged at level "error", the job set "Failed", and the exception rethrown.</summary>
        public void Run(string title, string type, Action<JobRun> body)
        {
            var job = new JobRun(h, Start(title, type));
            var watch = System.Diagnostics.Stopwatch.StartNew();
            try { body(job); }
            catch (Exception ex)
            {
                // The caller's exception matters more than a failure to report it.
                try { Fail(job.Id, ex.GetType().Name + ": " + ex.Message); } catch (Exto360Exception) { }
                throw;
            }
            Update(job.Id, "Completed", watch.ElapsedMilliseconds);
        }
    }
}
