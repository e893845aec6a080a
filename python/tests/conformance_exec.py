"""The Python executor of the conformance suite (see tests/conformance/README.md): one case per
stdin line, run through the public `exto360` API, one normalized result per stdout line."""

import json
import sys

import exto360
from exto360 import Client, Filter


def client(cfg):
    rate = cfg.get("rateLimit")
    return Client(
        token=cfg.get("token"),
        base_url=cfg.get("baseUrl"),
        project_id=cfg.get("projectId"),
        tenant_id=cfg.get("tenantId"),
        timeout=cfg["timeoutMs"] / 1000 if cfg.get("timeoutMs") else None,
        max_retries=cfg.get("maxRetries"),
        rate_limit=0 if rate is None else rate,
        retry_writes=cfg.get("retryWrites"),
        initial_backoff=cfg.get("initialBackoff"),
        max_backoff=cfg.get("maxBackoff"),
    )


def build_filter(spec):
    """The neutral filter form through the public builder: Filter.field(f).<type>().<op>(v)."""
    if isinstance(spec, str) or spec is None:
        return spec
    for key, op in (("and", "__and__"), ("or", "__or__")):
        if key in spec:
            parts = [build_filter(p) for p in spec[key]]
            out = parts[0]
            for p in parts[1:]:
                out = getattr(out, op)(p)
            return out
    field = Filter.field(spec["field"])
    typed = getattr(field, spec["type"].lower())() if spec.get("type") else field
    op = {"in": "is_in"}.get(spec["op"], spec["op"])
    method = getattr(typed, op)
    return method() if op in ("is_blank", "is_not_blank") else method(spec.get("value"))


def page(p):
    return {"rows": p.rows, "total": p.total, "page": p.page, "pageSize": p.page_size, "totalPages": p.total_pages}


def upsert(r):
    return {"insertedIds": r.inserted_ids, "insertedCount": r.inserted_count, "updatedCount": r.updated_count}


def run(c, op, a):
    lst = dict(page=a.get("page", 1), page_size=a.get("pageSize", 1000), sort=a.get("sort"), status=a.get("status"),
               filter=build_filter(a.get("filter")), local_time_zone=a.get("localTimeZone"))
    if op == "health.liveness":
        return c.health.liveness()
    if op == "health.readiness":
        return c.health.readiness()
    if op in ("masters.list", "modules.list"):
        return page(getattr(c, op.split(".")[0])(a["name"]).list(**lst))
    if op in ("masters.iter", "modules.iter"):
        rows = list(getattr(c, op.split(".")[0])(a["name"]).iter(**lst))
        return {"count": len(rows), "ids": [r["_id"] for r in rows]}
    if op == "masters.upsert":
        return upsert(c.masters(a["name"]).upsert(a["records"]))
    if op == "modules.upsert":
        return upsert(c.modules(a["name"]).upsert(a["records"], user_name=a["userName"]))
    if op == "subTable.upsert":
        return upsert(c.sub_table(a["tableId"]).upsert(a["rows"], module_name=a["moduleName"], record_id=a["recordId"]))
    if op == "workflow.act":
        out = c.workflow(a["module"]).act(a["recordIds"], action=a["action"], user_name=a["userName"], space_name=a.get("spaceName"))
        return [{"workflowId": r.workflow_id, "recordId": r.record_id} for r in out]
    if op == "users.grantAccess":
        g = a["grant"]
        profile = {k: v for k, v in g["user"].items() if k != "userName"}
        return upsert(c.users.grant_access(g["user"]["userName"], projects=g.get("projects"), groups=g.get("groups"), profile=profile))
    if op == "users.list":
        return page(c.users.list(page=a.get("page", 1), page_size=a.get("pageSize", 1000)))
    if op == "users.iter":
        users = list(c.users.iter())
        return {"count": len(users), "userNames": [u["user"]["userName"] for u in users]}
    if op == "users.get":
        return c.users.get(a["username"])
    if op == "users.groups":
        return c.users.groups(only_project_groups=a.get("onlyProjectGroups", False))
    if op in ("users.activate", "users.deactivate"):
        r = getattr(c.users, op.split(".")[1])(a["usernames"])
        return {"ok": r.ok, "nMatched": r.n_matched, "nModified": r.n_modified}
    if op == "users.removeAccess":
        return c.users.remove_access(a["username"], a.get("projects", []), a.get("groups", []))
    if op == "users.removeProjectAccess":
        return c.users.remove_project_access(a["username"], a.get("projectIds", []))
    if op == "version":
        return exto360.version()
    if op == "filter.render":
        return build_filter(a["filter"]).render()
    return edition(c, op, a)


# ---------------------------------------------------------------------- the current edition


def ids(rows):
    """``{count, ids}``: each row's ``_id``, or ``recordNumber`` when it has none (v2 workflow)."""
    out = [r["_id"] if "_id" in r else r.get("recordNumber") for r in rows]
    return {"count": len(out), "ids": out}


def edition(c, op, a):
    if op == "build.info":
        return c.build_info()
    if op in ("masters.update", "modules.update"):
        res = getattr(c, op.split(".")[0])(a["name"])
        extra = {"user_name": a["userName"]} if op == "modules.update" else {}
        return upsert(res.update(a["records"], key=a["key"], **extra))
    if op in ("masters.delete", "modules.delete"):
        r = getattr(c, op.split(".")[0])(a["name"]).delete(a["ids"], key=a["key"], user_name=a["userName"])
        return {"deletedCount": r.deleted_count}
    if op == "modules.expand":
        recs = list(c.modules(a["name"]).expand(record_ids=a.get("recordIds"), page=a.get("page", 1), page_size=a.get("pageSize", 50), fields=a.get("fields"),
                                                sub_table_fields=a.get("subTableFields"), sub_table_page_size=a.get("subTablePageSize", 100), query=a.get("query")))
        return {"count": len(recs), "records": recs}
    t = c.sub_table(a.get("tableId", ""))
    if op == "subTable.list":
        return page(t.list(module_name=a["moduleName"], record_id=a["recordId"], page=a.get("page", 1), page_size=a.get("pageSize", 1000)))
    if op == "subTable.iter":
        return ids(list(t.iter(module_name=a["moduleName"], record_id=a["recordId"], page_size=a.get("pageSize", 1000))))
    if op == "subTable.delete":
        return {"deletedCount": t.delete(a["recordNumbers"], module_name=a["moduleName"], record_id=a["recordId"]).deleted_count}
    h = c.hierarchy(a.get("name", ""))
    if op == "hierarchy.list":
        return page(h.list(page=a.get("page", 1), page_size=a.get("pageSize", 1000)))
    if op == "hierarchy.iter":
        return ids(list(h.iter(page_size=a.get("pageSize", 1000))))
    if op in ("hierarchy.create", "hierarchy.update"):
        return upsert(getattr(h, op.split(".")[1])(a["rows"]))
    w = c.workflow(a.get("module", ""))
    opts = dict(record_number=a.get("recordNumber"), status=a.get("status"), responsible_user=a.get("responsibleUser"), responsible_group=a.get("responsibleGroup"), filter=build_filter(a.get("filter")))
    if op == "workflow.list":
        return page(w.list(page=a.get("page", 1), page_size=a.get("pageSize", 100), **opts))
    if op == "workflow.iter":
        return ids(list(w.iter(page_size=a.get("pageSize", 100), **opts)))
    if op == "workflow.history":
        return w.history(a["recordNumber"])
    if op == "workflow.transition":
        assignee, comment = a.get("assignee") or {}, a.get("comment") or {}
        return w.transition(a["step"], a["recordId"], user_name=a["userName"], action_name=a.get("actionName"), space_name=a.get("spaceName"),
                            assignee_users=assignee.get("users"), assignee_groups=assignee.get("groups"),
                            comment=comment.get("text"), comment_private=comment.get("isPrivate", False))
    return documents(c, op, a)


def downloaded(d):
    return {"path": d.path, "bytes": d.bytes, "fileName": d.file_name, "contentType": d.content_type}


def documents(c, op, a):
    if op == "documents.upload":  # the files' JSON form as the core reads it (the Python forms are tested in test_documents.py)
        return c._native.call("documents.upload", a)
    if op == "documents.download":
        return downloaded(c.documents.download(a.get("id"), a.get("path"), version=a.get("version")))
    if op == "documents.downloadAll":
        return downloaded(c.documents.download_all(a.get("recordId"), a.get("path"), module=a.get("module")))
    if op == "workspaces.create":
        return c.workspaces.create(a.get("name"), parent_id=a.get("parentId"))
    if op == "workspaces.list":
        return page(c.workspaces.list(page=a.get("page", 1), page_size=a.get("pageSize", 25), filter=a.get("filter"), sort=a.get("sort")))
    if op == "workspaces.get":
        return c.workspaces.get(a.get("id"))
    if op == "workspaces.update":
        return c.workspaces.update(a.get("id"), name=a.get("name"), parent_id=a.get("parentId"))
    if op == "jobs.create":
        return c._native.call("jobs.create", a)
    if op == "jobs.start":
        return c._native.call("jobs.start", a)
    if op == "jobs.list":
        return page(c.jobs.list(project_id=a.get("projectId"), page=a.get("page", 1), page_size=a.get("pageSize", 50)))
    if op == "jobs.update":
        c.jobs.update(a.get("id"), status=a.get("status"), duration=a.get("duration"), completed_at=a.get("completedAt"))
        return {}
    if op == "jobs.log":
        c.jobs.log(a.get("id"), a.get("message"), level=a.get("level"), duration=a.get("duration"), time_stamp=a.get("timeStamp"))
        return {}
    if op == "jobs.fail":
        c.jobs.fail(a.get("id"), a.get("message"))
        return {}
    raise exto360.InvalidInputError(f"unknown operation {op}")


def error(e):
    src = e.cause if isinstance(e, exto360.BulkWriteError) else e
    b = e.bulk
    return {
        "kind": src.code, "status": getattr(src, "status", None), "summary": getattr(src, "summary", None),
        "details": getattr(src, "details", None), "retries": e.retries, "message": src.message,
        "bulk": None if b is None else {"total": b.total, "insertedIds": b.inserted_ids, "written": b.written_ranges, "notWritten": b.not_written_ranges, "unknown": b.unknown_ranges},
        "upload": None if e.upload is None else {
            "uploadedCount": e.upload.uploaded_count, "failedCount": e.upload.failed_count, "unknownCount": e.upload.unknown_count,
            "files": [{"index": f.index, "fileName": f.file_name, "state": f.state, "document": f.document, "message": f.message} for f in e.upload.files],
        },
    }


for line in sys.stdin:
    if not line.strip():
        continue
    msg = json.loads(line)
    try:
        reply = {"id": msg["id"], "ok": run(client(msg["client"]), msg["op"], msg["args"])}
    except exto360.Exto360Error as e:
        reply = {"id": msg["id"], "error": error(e)}
    print(json.dumps(reply), flush=True)
