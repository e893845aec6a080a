/* The C executor of the conformance suite (tests/conformance/README.md): one case per stdin
 * line through the public C API, one normalized result per stdout line. JSON via cJSON. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>

#include "exto360.h"

/* cJSON keeps numbers as doubles: integers beyond 2^53 would be rounded when printed back. They
 * travel as "#BIG#<digits>" strings inside the executor and are restored in the JSON it passes
 * on, so the library receives every digit (the library itself keeps 64-bit integers exact). */
static char *protect_big_integers(const char *in) {
    size_t n = strlen(in);
    char *out = malloc(n * 2 + 1), *o = out;
    int in_str = 0;
    for (size_t i = 0; i < n;) {
        char ch = in[i];
        if (in_str) {
            *o++ = ch;
            if (ch == '\\' && i + 1 < n) *o++ = in[++i];
            else if (ch == '"') in_str = 0;
            i++;
        } else if (ch == '"') {
            in_str = 1;
            *o++ = in[i++];
        } else if ((ch == '-' || (ch >= '0' && ch <= '9'))) {
            size_t j = i + (ch == '-');
            while (j < n && in[j] >= '0' && in[j] <= '9') j++;
            int is_int = j >= n || (in[j] != '.' && in[j] != 'e' && in[j] != 'E');
            if (is_int && j - i >= 16) {
                o += sprintf(o, "\"#BIG#%.*s\"", (int)(j - i), in + i);
            } else {
                memcpy(o, in + i, j - i);
                o += j - i;
            }
            i = j;
        } else {
            *o++ = in[i++];
        }
    }
    *o = 0;
    return out;
}

static void restore_big_integers(char *s) {
    char *r = s, *w = s;
    while (*r) {
        if (!strncmp(r, "\"#BIG#", 6)) {
            r += 6;
            while (*r && *r != '"') *w++ = *r++;
            if (*r) r++;
        } else {
            *w++ = *r++;
        }
    }
    *w = 0;
}

static char *print(const cJSON *v) {
    char *s = cJSON_PrintUnformatted(v);
    if (s) restore_big_integers(s);
    return s;
}

static char *field_json(const cJSON *o, const char *key) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return v ? print(v) : NULL;
}
static const char *field_str(const cJSON *o, const char *key) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* Collects every page of an iteration into {count, <key>: [...]}. */
static exto360_status collect(exto360_pager *pager, const char *list_key, int user, char **out, exto360_error **err) {
    cJSON *items = cJSON_CreateArray();
    int count = 0;
    char *page = NULL;
    exto360_status st;
    while ((st = exto360_pager_next(pager, &page, err)) == EXTO360_OK && page) {
        cJSON *p = cJSON_Parse(page);
        const cJSON *row;
        cJSON_ArrayForEach(row, cJSON_GetObjectItemCaseSensitive(p, "rows")) {
            const cJSON *src = user ? cJSON_GetObjectItemCaseSensitive(row, "user") : row;
            const char *v = field_str(src, user ? "userName" : "_id");
            if (!v && !user) v = field_str(src, "recordNumber"); /* v2 workflow rows have no _id */
            cJSON_AddItemToArray(items, cJSON_CreateString(v ? v : ""));
            count++;
        }
        cJSON_Delete(p);
        exto360_string_free(page);
    }
    exto360_pager_free(pager);
    if (st == EXTO360_OK) {
        cJSON *res = cJSON_CreateObject();
        cJSON_AddNumberToObject(res, "count", count);
        cJSON_AddItemToObject(res, list_key, items);
        *out = cJSON_PrintUnformatted(res);
        cJSON_Delete(res);
    } else {
        cJSON_Delete(items);
    }
    return st;
}

/* Collects every expanded record of a pager into {count, records: [...]}. */
static exto360_status collect_records(exto360_pager *pager, char **out, exto360_error **err) {
    cJSON *records = cJSON_CreateArray();
    char *rec = NULL;
    exto360_status st;
    while ((st = exto360_pager_next(pager, &rec, err)) == EXTO360_OK && rec) {
        cJSON_AddItemToArray(records, cJSON_Parse(rec));
        exto360_string_free(rec);
    }
    exto360_pager_free(pager);
    if (st == EXTO360_OK) {
        cJSON *res = cJSON_CreateObject();
        cJSON_AddNumberToObject(res, "count", cJSON_GetArraySize(records));
        cJSON_AddItemToObject(res, "records", records);
        *out = print(res);
        cJSON_Delete(res);
    } else {
        cJSON_Delete(records);
    }
    return st;
}

/* The operations of the current edition (updates, deletes, expand, sub-table reads, hierarchy
 * masters, workflow v2, build info); returns -1 when `op` is not one of them. */
static int run_edition(exto360_client *c, const char *op, const cJSON *a, const char *args, char **out, int *mine, exto360_error **err, char **j1) {
    const char *name = field_str(a, "name");
    exto360_pager *pager = NULL;
    exto360_status st;
    if (!strcmp(op, "build.info")) st = exto360_build_info(c, out, err);
    else if (!strcmp(op, "masters.update")) st = exto360_masters_update(c, name, *j1 = field_json(a, "records"), field_str(a, "key"), out, err);
    else if (!strcmp(op, "masters.delete")) st = exto360_masters_delete(c, name, *j1 = field_json(a, "ids"), field_str(a, "key"), field_str(a, "userName"), out, err);
    else if (!strcmp(op, "modules.update")) st = exto360_modules_update(c, name, *j1 = field_json(a, "records"), field_str(a, "key"), field_str(a, "userName"), out, err);
    else if (!strcmp(op, "modules.delete")) st = exto360_modules_delete(c, name, *j1 = field_json(a, "ids"), field_str(a, "key"), field_str(a, "userName"), out, err);
    else if (!strcmp(op, "modules.expand")) {
        st = exto360_modules_expand(c, name, args, &pager, err);
        if (st == EXTO360_OK) st = collect_records(pager, out, err);
        *mine = 1;
    } else if (!strcmp(op, "subTable.list")) st = exto360_sub_table_list(c, field_str(a, "tableId"), args, out, err);
    else if (!strcmp(op, "subTable.iter")) {
        st = exto360_sub_table_iter(c, field_str(a, "tableId"), args, &pager, err);
        if (st == EXTO360_OK) st = collect(pager, "ids", 0, out, err);
        *mine = 1;
    } else if (!strcmp(op, "subTable.delete"))
        st = exto360_sub_table_delete(c, field_str(a, "tableId"), *j1 = field_json(a, "recordNumbers"), field_str(a, "moduleName"), field_str(a, "recordId"), out, err);
    else if (!strcmp(op, "hierarchy.list")) st = exto360_hierarchy_list(c, name, args, out, err);
    else if (!strcmp(op, "hierarchy.iter")) {
        st = exto360_hierarchy_iter(c, name, args, &pager, err);
        if (st == EXTO360_OK) st = collect(pager, "ids", 0, out, err);
        *mine = 1;
    } else if (!strcmp(op, "hierarchy.create")) st = exto360_hierarchy_create(c, name, *j1 = field_json(a, "rows"), out, err);
    else if (!strcmp(op, "hierarchy.update")) st = exto360_hierarchy_update(c, name, *j1 = field_json(a, "rows"), out, err);
    else if (!strcmp(op, "workflow.list")) st = exto360_workflow_list(c, field_str(a, "module"), args, out, err);
    else if (!strcmp(op, "workflow.iter")) {
        st = exto360_workflow_iter(c, field_str(a, "module"), args, &pager, err);
        if (st == EXTO360_OK) st = collect(pager, "ids", 0, out, err);
        *mine = 1;
    } else if (!strcmp(op, "workflow.history")) st = exto360_workflow_history(c, field_str(a, "module"), field_str(a, "recordNumber"), out, err);
    else if (!strcmp(op, "workflow.transition"))
        st = exto360_workflow_transition(c, field_str(a, "module"), field_str(a, "step"), field_str(a, "recordId"), args, out, err);
    else return -1;
    return (int)st;
}

/* Documents, workspaces and job status; returns -1 when `op` is not one of them. Calls without
 * an answer (jobs.update, jobs.log, jobs.fail) answer {} as the JSON operation does. */
static int run_documents(exto360_client *c, const char *op, const cJSON *a, const char *args, char **out, int *mine, exto360_error **err, char **j1) {
    exto360_status st;
    int quiet = 0;
    if (!strcmp(op, "documents.upload")) st = exto360_documents_upload(c, *j1 = field_json(a, "files"), args, out, err);
    else if (!strcmp(op, "documents.download")) st = exto360_documents_download(c, field_str(a, "id"), field_str(a, "version"), field_str(a, "path"), out, err);
    else if (!strcmp(op, "documents.downloadAll")) st = exto360_documents_download_all(c, field_str(a, "recordId"), field_str(a, "module"), field_str(a, "path"), out, err);
    else if (!strcmp(op, "workspaces.create")) st = exto360_workspaces_create(c, field_str(a, "name"), field_str(a, "parentId"), out, err);
    else if (!strcmp(op, "workspaces.list")) st = exto360_workspaces_list(c, args, out, err);
    else if (!strcmp(op, "workspaces.get")) st = exto360_workspaces_get(c, field_str(a, "id"), out, err);
    else if (!strcmp(op, "workspaces.update")) st = exto360_workspaces_update(c, field_str(a, "id"), field_str(a, "name"), field_str(a, "parentId"), out, err);
    else if (!strcmp(op, "jobs.create")) st = exto360_jobs_create(c, *j1 = field_json(a, "job"), out, err);
    else if (!strcmp(op, "jobs.start")) st = exto360_jobs_start(c, field_str(a, "title"), field_str(a, "type"), out, err);
    else if (!strcmp(op, "jobs.list")) st = exto360_jobs_list(c, args, out, err);
    else if (!strcmp(op, "jobs.update")) { st = exto360_jobs_update(c, field_str(a, "id"), field_str(a, "status"), args, err); quiet = 1; }
    else if (!strcmp(op, "jobs.log")) { st = exto360_jobs_log(c, field_str(a, "id"), field_str(a, "message"), field_str(a, "level"), err); quiet = 1; }
    else if (!strcmp(op, "jobs.fail")) { st = exto360_jobs_fail(c, field_str(a, "id"), field_str(a, "message"), err); quiet = 1; }
    else return -1;
    if (quiet && st == EXTO360_OK) {
        *out = malloc(3);
        if (*out) memcpy(*out, "{}", 3);
        *mine = 1;
    }
    return (int)st;
}

/* `*mine` is set when `*out` was made here (free with free()) rather than by the library. */
static exto360_status run(exto360_client *c, const char *op, const cJSON *a, char **out, int *mine, exto360_error **err) {
    char *args = print(a);
    const char *name = field_str(a, "name");
    exto360_status st = EXTO360_INVALID_ARGUMENT;
    exto360_pager *pager = NULL;
    char *j1 = NULL, *j2 = NULL, *j3 = NULL;
    if (!strcmp(op, "health.liveness")) st = exto360_health_liveness(c, out, err);
    else if (!strcmp(op, "health.readiness")) st = exto360_health_readiness(c, out, err);
    else if (!strcmp(op, "masters.list")) st = exto360_masters_list(c, name, args, out, err);
    else if (!strcmp(op, "modules.list")) st = exto360_modules_list(c, name, args, out, err);
    else if (!strcmp(op, "masters.iter") || !strcmp(op, "modules.iter")) {
        st = op[1] == 'a' ? exto360_masters_iter(c, name, args, &pager, err) : exto360_modules_iter(c, name, args, &pager, err);
        if (st == EXTO360_OK) st = collect(pager, "ids", 0, out, err);
        *mine = 1;
    } else if (!strcmp(op, "masters.upsert")) st = exto360_masters_upsert(c, name, j1 = field_json(a, "records"), out, err);
    else if (!strcmp(op, "modules.upsert")) st = exto360_modules_upsert(c, name, j1 = field_json(a, "records"), field_str(a, "userName"), out, err);
    else if (!strcmp(op, "subTable.upsert")) st = exto360_sub_table_upsert(c, field_str(a, "tableId"), j1 = field_json(a, "rows"), field_str(a, "moduleName"), field_str(a, "recordId"), out, err);
    else if (!strcmp(op, "workflow.act")) st = exto360_workflow_act(c, field_str(a, "module"), j1 = field_json(a, "recordIds"), args, out, err);
    else if (!strcmp(op, "users.grantAccess")) st = exto360_users_grant_access(c, j1 = field_json(a, "grant"), out, err);
    else if (!strcmp(op, "users.list")) st = exto360_users_list(c, args, out, err);
    else if (!strcmp(op, "users.iter")) {
        st = exto360_users_iter(c, args, &pager, err);
        if (st == EXTO360_OK) st = collect(pager, "userNames", 1, out, err);
        *mine = 1;
    } else if (!strcmp(op, "users.get")) st = exto360_users_get(c, field_str(a, "username"), out, err);
    else if (!strcmp(op, "users.groups")) st = exto360_users_groups(c, cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(a, "onlyProjectGroups")), out, err);
    else if (!strcmp(op, "users.activate") || !strcmp(op, "users.deactivate")) {
        j1 = field_json(a, "usernames");
        st = op[6] == 'a' ? exto360_users_activate(c, j1, out, err) : exto360_users_deactivate(c, j1, out, err);
        if (st == EXTO360_OK) { /* normal form: {ok, nMatched, nModified} */
            cJSON *r = cJSON_Parse(*out), *n = cJSON_CreateObject();
            const char *keys[] = {"ok", "nMatched", "nModified"};
            for (int i = 0; i < 3; i++) cJSON_AddItemToObject(n, keys[i], cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(r, keys[i]), 1));
            exto360_string_free(*out);
            *out = cJSON_PrintUnformatted(n);
            *mine = 1;
            cJSON_Delete(r);
            cJSON_Delete(n);
        }
    } else if (!strcmp(op, "users.removeAccess")) st = exto360_users_remove_access(c, field_str(a, "username"), j1 = field_json(a, "projects"), j2 = field_json(a, "groups"), out, err);
    else if (!strcmp(op, "users.removeProjectAccess")) st = exto360_users_remove_project_access(c, field_str(a, "username"), j1 = field_json(a, "projectIds"), out, err);
    else if (!strcmp(op, "version")) {
        cJSON *s = cJSON_CreateString(exto360_version()); /* static: not freed */
        *out = cJSON_PrintUnformatted(s);
        *mine = 1;
        cJSON_Delete(s);
        st = EXTO360_OK;
    } else if (!strcmp(op, "filter.render")) {
        char *text = NULL;
        st = exto360_filter_render(j3 = field_json(a, "filter"), &text, err);
        if (st == EXTO360_OK) {
            cJSON *s = cJSON_CreateString(text);
            *out = cJSON_PrintUnformatted(s);
            *mine = 1;
            cJSON_Delete(s);
            exto360_string_free(text);
        }
    } else {
        int r = run_edition(c, op, a, args, out, mine, err, &j1);
        if (r < 0) r = run_documents(c, op, a, args, out, mine, err, &j1);
        if (r >= 0) st = (exto360_status)r;
    }
    free(args); free(j1); free(j2); free(j3);
    return st;
}

int main(void) {
    static char line[1 << 22];
    while (fgets(line, sizeof line, stdin)) {
        char *safe = protect_big_integers(line);
        cJSON *msg = cJSON_Parse(safe);
        free(safe);
        if (!msg) continue;
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(msg, "id");
        char *cfg = field_json(msg, "client");
        exto360_client *client = NULL;
        exto360_error *err = NULL;
        char *out = NULL;
        int mine = 0;
        exto360_status st = exto360_client_new(cfg, &client, &err);
        if (st == EXTO360_OK) st = run(client, field_str(msg, "op"), cJSON_GetObjectItemCaseSensitive(msg, "args"), &out, &mine, &err);
        /* ids are numbers; out and the error's JSON are JSON texts spliced in as they are. */
        if (st == EXTO360_OK) printf("{\"id\":%d,\"ok\":%s}\n", (int)id->valuedouble, out ? out : "null");
        else printf("{\"id\":%d,\"error\":%s}\n", (int)id->valuedouble, err ? exto360_error_details_json(err) : "{\"kind\":\"internal\"}");
        fflush(stdout);
        if (mine) free(out);
        else exto360_string_free(out);
        exto360_error_free(err);
        exto360_client_free(client);
        free(cfg);
        cJSON_Delete(msg);
    }
    return 0;
}
