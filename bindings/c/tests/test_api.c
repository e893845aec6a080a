/* Tests of the C ABI against the in-process emulator. Plain C11; run under valgrind and ASan. */
#define _DEFAULT_SOURCE /* mkdtemp, unlink, rmdir under -std=c11 */
#include <dirent.h>
#include <pthread.h>
#include <unistd.h>

#include "check.h"

static void test_list_and_errors(const exto360_emulator *emu) {
    exto360_client *c = new_client(emu, NULL);
    char *out = NULL;
    exto360_error *err = NULL;
    exto360_status st = exto360_masters_list(c, "LOCATION", "{\"pageSize\":2,\"sort\":\"-serial_number\"}", &out, &err);
    CHECK(st == EXTO360_OK, "masters_list");
    CHECK(out && strstr(out, "\"total\":6") && strstr(out, "\"PUN\""), "page: %s", out ? out : "(null)");
    exto360_string_free(out);
    out = NULL;

    st = exto360_masters_list(c, "ITEM_MASTER", NULL, &out, &err);
    CHECK(st == EXTO360_NOT_FOUND, "unknown master status %d", (int)st);
    CHECK(out == NULL, "no output on failure");
    CHECK(exto360_error_kind(err) == EXTO360_NOT_FOUND, "kind");
    CHECK(exto360_error_status(err) == 500, "http status %d", exto360_error_status(err));
    CHECK(strcmp(exto360_error_code(err), "not_found") == 0, "code");
    CHECK(strcmp(exto360_error_summary(err), "Service Exception") == 0, "summary");
    CHECK(exto360_error_details_count(err) == 1 && strcmp(exto360_error_detail(err, 0), "ITEM_MASTER not Found.") == 0, "details");
    CHECK(exto360_error_detail(err, 7) == NULL, "detail out of range");
    CHECK(strstr(exto360_error_details_json(err), "\"kind\":\"not_found\"") != NULL, "json");
    exto360_error_free(err);
    err = NULL;

    /* A date filter without a time zone is refused before sending. */
    st = exto360_masters_list(c, "LOCATION", "{\"filter\":{\"field\":\"openedOn\",\"type\":\"DATE\",\"op\":\"ge\",\"value\":\"2024-03-01\"}}", &out, &err);
    CHECK(st == EXTO360_INVALID_ARGUMENT && strstr(exto360_error_message(err), "local_time_zone"), "date filter");
    exto360_error_free(err);
    err = NULL;
    exto360_client_free(c);
}

static void test_bad_arguments(const exto360_emulator *emu) {
    exto360_client *c = new_client(emu, NULL);
    char *out = NULL;
    exto360_error *err = NULL;
    CHECK(exto360_masters_list(NULL, "LOCATION", NULL, &out, &err) == EXTO360_INVALID_ARGUMENT, "NULL client");
    CHECK(strstr(exto360_error_message(err), "client must not be NULL") != NULL, "message names the argument");
    exto360_error_free(err); err = NULL;
    CHECK(exto360_masters_list(c, NULL, NULL, &out, &err) == EXTO360_INVALID_ARGUMENT, "NULL name");
    exto360_error_free(err); err = NULL;
    CHECK(exto360_masters_list(c, "LOCATION", NULL, NULL, &err) == EXTO360_INVALID_ARGUMENT, "NULL out");
    exto360_error_free(err); err = NULL;
    CHECK(exto360_masters_list(c, "LOCATION", "{not json", &out, &err) == EXTO360_INVALID_ARGUMENT, "bad JSON");
    CHECK(strstr(exto360_error_message(err), "args_json is not valid JSON") != NULL, "JSON message");
    exto360_error_free(err); err = NULL;
    const char bad_utf8[] = { 'L', (char)0xff, 0 };
    CHECK(exto360_masters_list(c, bad_utf8, NULL, &out, &err) == EXTO360_INVALID_ARGUMENT, "bad UTF-8");
    CHECK(strstr(exto360_error_message(err), "not valid UTF-8") != NULL, "UTF-8 message");
    exto360_error_free(err); err = NULL;
    CHECK(exto360_masters_upsert(c, "VENDOR", "{\"a\":1}", &out, &err) == EXTO360_INVALID_ARGUMENT, "records not an array");
    exto360_error_free(err); err = NULL;
    CHECK(exto360_masters_list(c, "LOCATION", "[1]", &out, NULL) == EXTO360_INVALID_ARGUMENT, "err may be NULL");
    CHECK(exto360_client_new("{\"tokn\":\"x\"}", NULL, NULL) == EXTO360_INVALID_ARGUMENT, "NULL out");
    exto360_client *c2 = NULL;
    CHECK(exto360_client_new("{\"token\":\"t\",\"baseUrl\":\"http://example.com\"}", &c2, &err) == EXTO360_INVALID_ARGUMENT && c2 == NULL, "insecure URL");
    exto360_error_free(err); err = NULL;
    /* NULL-safe frees and accessors. */
    exto360_client_free(NULL);
    exto360_pager_free(NULL);
    exto360_error_free(NULL);
    exto360_string_free(NULL);
    exto360_emulator_free(NULL);
    CHECK(exto360_error_message(NULL) == NULL && exto360_error_status(NULL) == 0, "NULL error accessors");
    exto360_client_free(c);
}

static void test_writes_and_pager(exto360_emulator *emu) {
    exto360_client *c = new_client(emu, NULL);
    char *out = NULL;
    exto360_error *err = NULL;
    /* 2500 records: three requests. */
    size_t cap = 2500 * 32 + 16, len = 0;
    char *records = malloc(cap);
    len += (size_t)snprintf(records + len, cap - len, "[");
    for (int i = 0; i < 2500; i++) len += (size_t)snprintf(records + len, cap - len, "%s{\"vendor_id\":\"V%d\"}", i ? "," : "", i);
    snprintf(records + len, cap - len, "]");
    CHECK(exto360_masters_upsert(c, "VENDOR", records, &out, &err) == EXTO360_OK, "upsert");
    CHECK(out && strstr(out, "\"insertedCount\":2500"), "upsert result");
    exto360_string_free(out); out = NULL;

    exto360_pager *pager = NULL;
    CHECK(exto360_masters_iter(c, "VENDOR", "{\"pageSize\":1000}", &pager, &err) == EXTO360_OK, "iter");
    int pages = 0;
    char *page = NULL;
    while (exto360_pager_next(pager, &page, &err) == EXTO360_OK && page != NULL) {
        pages++;
        exto360_string_free(page);
    }
    CHECK(pages == 3, "pages %d", pages);
    CHECK(exto360_pager_next(pager, &page, &err) == EXTO360_OK && page == NULL, "stays at the end");
    exto360_pager_free(pager);

    /* A bulk write that fails half way: the error's JSON says what was written. */
    exto360_emulator_set_faults(emu, "[{\"kind\":\"status\",\"status\":422,\"method\":\"POST\",\"bodyContains\":\"\\\"V2200\\\"\"}]", NULL);
    CHECK(exto360_masters_upsert(c, "VENDOR", records, &out, &err) == EXTO360_BAD_REQUEST, "partial upsert");
    CHECK(strstr(exto360_error_details_json(err), "\"written\":[[0,2000]]") != NULL, "bulk report: %s", exto360_error_details_json(err));
    exto360_error_free(err); err = NULL;
    exto360_emulator_set_faults(emu, "[]", NULL);
    free(records);

    /* Modules, sub-tables, workflow, users, health, filters. */
    CHECK(exto360_modules_upsert(c, "CUSTOMMODULE", "[{\"ref_no\":\"R-9\"}]", "johndoe@exto360.com", &out, &err) == EXTO360_OK, "module upsert");
    char id[25] = {0};
    const char *p = out ? strstr(out, "\"insertedIds\":[\"") : NULL;
    if (p) memcpy(id, p + 16, 24);
    exto360_string_free(out); out = NULL;
    char ids[64];
    snprintf(ids, sizeof ids, "[\"%s\"]", id);
    CHECK(exto360_sub_table_upsert(c, "Signatures", "[{\"signer\":\"a@x.com\"}]", "CUSTOMMODULE", id, &out, &err) == EXTO360_OK, "sub-table");
    exto360_string_free(out); out = NULL;
    CHECK(exto360_workflow_act(c, "CUSTOMMODULE", ids, "{\"action\":\"Submit\",\"userName\":\"johndoe@exto360.com\"}", &out, &err) == EXTO360_OK, "workflow");
    CHECK(out && strstr(out, id), "workflow result");
    exto360_string_free(out); out = NULL;
    CHECK(exto360_users_grant_access(c, "{\"user\":{\"userName\":\"jane@exto360.com\"},\"projects\":[{\"projectId\":\"p6iDlWb\"}],\"groups\":[\"G1\"]}", &out, &err) == EXTO360_OK, "grant");
    exto360_string_free(out); out = NULL;
    CHECK(exto360_users_get(c, "jane@exto360.com", &out, &err) == EXTO360_OK && strstr(out, "p6iDlWb"), "get");
    exto360_string_free(out); out = NULL;
    CHECK(exto360_users_list(c, NULL, &out, &err) == EXTO360_OK && strstr(out, "jane@exto360.com"), "list users");
    exto360_string_free(out); out = NULL;
    CHECK(exto360_users_groups(c, true, &out, &err) == EXTO360_OK && strstr(out, "\"groups\":[]"), "groups");
    exto360_string_free(out); out = NULL;
    CHECK(exto360_users_deactivate(c, "[\"jane@exto360.com\"]", &out, &err) == EXTO360_OK && strstr(out, "\"nModified\":1"), "deactivate");
    exto360_string_free(out); out = NULL;
    CHECK(exto360_users_activate(c, "[\"jane@exto360.com\"]", &out, &err) == EXTO360_OK, "activate");
    exto360_string_free(out); out = NULL;
    CHECK(exto360_users_remove_access(c, "jane@exto360.com", "[\"p6iDlWb\"]", "[]", &out, &err) == EXTO360_OK, "remove access");
    exto360_string_free(out); out = NULL;
    CHECK(exto360_users_remove_project_access(c, "jane@exto360.com", "[\"p6iDlWb\"]", &out, &err) == EXTO360_OK, "remove project access");
    exto360_string_free(out); out = NULL;
    exto360_pager *users = NULL;
    CHECK(exto360_users_iter(c, NULL, &users, &err) == EXTO360_OK, "users iter");
    CHECK(exto360_pager_next(users, &out, &err) == EXTO360_OK && out && strstr(out, "admin@exto360.com"), "users page");
    exto360_string_free(out); out = NULL;
    exto360_pager_free(users); /* freed before the end: stops the background task */
    CHECK(exto360_health_liveness(c, &out, &err) == EXTO360_OK && strstr(out, "\"ok\":true"), "liveness");
    exto360_string_free(out); out = NULL;
    CHECK(exto360_health_readiness(c, &out, &err) == EXTO360_OK, "readiness");
    exto360_string_free(out); out = NULL;
    CHECK(exto360_filter_render("{\"and\":[{\"field\":\"n\",\"type\":\"NUMBER\",\"op\":\"gt\",\"value\":3},{\"field\":\"e\",\"op\":\"contains\",\"value\":\"x\"}]}", &out, &err) == EXTO360_OK && strcmp(out, "n:NUMBER:gt:3:and:e:cn:x") == 0, "filter");
    exto360_string_free(out); out = NULL;

    exto360_client *scoped = NULL;
    CHECK(exto360_client_with_project(c, "Vx6-j2Z", &scoped, &err) == EXTO360_OK, "with_project");
    CHECK(exto360_masters_list(scoped, "LOCATION", NULL, &out, &err) == EXTO360_OK && strstr(out, "\"total\":3"), "scoped list");
    exto360_string_free(out); out = NULL;
    exto360_client_free(scoped);
    exto360_client_free(c);
}

/* Expects EXTO360_INVALID_ARGUMENT with a message naming `what`, and frees the error. */
static void expect_invalid(exto360_status st, exto360_error *err, const char *what, const char *call) {
    CHECK(st == EXTO360_INVALID_ARGUMENT, "%s: status %d", call, (int)st);
    const char *msg = exto360_error_message(err);
    CHECK(msg && strstr(msg, what), "%s: message '%s' does not name %s", call, msg ? msg : "(null)", what);
    exto360_error_free(err);
}

/* Every list (and body) parameter: NULL is refused and nothing is sent. */
static void test_null_lists(exto360_emulator *emu) {
    exto360_client *c = new_client(emu, NULL);
    char *out = NULL;
    exto360_error *err = NULL;
    exto360_emulator_reset(emu, NULL);
#define NULL_LIST(call, what) do { err = NULL; out = NULL; exto360_status st_ = (call); expect_invalid(st_, err, what, #call); CHECK(out == NULL, "%s: no output", #call); } while (0)
    NULL_LIST(exto360_masters_upsert(c, "VENDOR", NULL, &out, &err), "records_json must not be NULL");
    NULL_LIST(exto360_modules_upsert(c, "CUSTOMMODULE", NULL, "johndoe@exto360.com", &out, &err), "records_json must not be NULL");
    NULL_LIST(exto360_sub_table_upsert(c, "Signatures", NULL, "CUSTOMMODULE", "000000000000000000000001", &out, &err), "rows_json must not be NULL");
    NULL_LIST(exto360_workflow_act(c, "CUSTOMMODULE", NULL, "{\"action\":\"Submit\",\"userName\":\"johndoe@exto360.com\"}", &out, &err), "record_ids_json must not be NULL");
    NULL_LIST(exto360_users_grant_access(c, NULL, &out, &err), "grant_json must not be NULL");
    NULL_LIST(exto360_users_activate(c, NULL, &out, &err), "usernames_json must not be NULL");
    NULL_LIST(exto360_users_deactivate(c, NULL, &out, &err), "usernames_json must not be NULL");
    NULL_LIST(exto360_users_remove_access(c, "johndoe@exto360.com", NULL, "[]", &out, &err), "projects_json must not be NULL");
    NULL_LIST(exto360_users_remove_access(c, "johndoe@exto360.com", "[\"p6iDlWb\"]", NULL, &out, &err), "groups_json must not be NULL");
    NULL_LIST(exto360_users_remove_project_access(c, "johndoe@exto360.com", NULL, &out, &err), "project_ids_json must not be NULL");
    NULL_LIST(exto360_filter_render(NULL, &out, &err), "filter_json must not be NULL");
    err = NULL;
    exto360_status st = exto360_emulator_set_faults(emu, NULL, &err);
    expect_invalid(st, err, "faults_json must not be NULL", "emulator_set_faults");
#undef NULL_LIST
    CHECK(journal_empty(emu), "a call with a NULL list sent a request");
    /* The message says how to pass an empty list, and an empty list is a valid call. */
    err = NULL;
    exto360_users_activate(c, NULL, &out, &err);
    CHECK(strstr(exto360_error_message(err), "pass \"[]\"") != NULL, "hint: %s", exto360_error_message(err));
    exto360_error_free(err); err = NULL;
    CHECK(exto360_users_activate(c, "[]", &out, &err) == EXTO360_OK, "activate([])");
    exto360_string_free(out); out = NULL;
    exto360_client_free(c);
}

static int one_line(const char *s) { return s && !strchr(s, '\n') && !strchr(s, '\r'); }

/* Error messages stay on one line even when they repeat input with CR/LF. */
static void test_one_line_messages(exto360_emulator *emu) {
    exto360_client *c = NULL;
    exto360_error *err = NULL;
    CHECK(exto360_client_new("{\"token\":\"t\",\"baseUrl\":\"nope\\r\\nX-Injected: yes\"}", &c, &err) == EXTO360_INVALID_ARGUMENT && c == NULL, "bad base URL");
    CHECK(one_line(exto360_error_message(err)) && strstr(exto360_error_message(err), "base URL"), "message: [%s]", exto360_error_message(err));
    exto360_error_free(err); err = NULL;

    c = new_client(emu, NULL);
    char *out = NULL;
    exto360_emulator_reset(emu, NULL);
    CHECK(exto360_masters_list(c, "LOCATION", "{\"filter\":{\"field\":\"serial_number\",\"op\":\"gt\\r\\nX-Injected: yes\",\"value\":1}}", &out, &err) == EXTO360_INVALID_ARGUMENT, "bad filter op");
    CHECK(one_line(exto360_error_message(err)), "message: [%s]", exto360_error_message(err));
    exto360_error_free(err); err = NULL;
    CHECK(exto360_masters_list(c, "LOCATION", "{\"sort\":\"serial_number\\nX\",\"localTimeZone\":\"Mars/\\r\\nBase\",\"filter\":{\"field\":\"d\",\"type\":\"DATE\",\"op\":\"ge\",\"value\":\"2024-03-01\"}}", &out, &err) != EXTO360_OK, "bad time zone");
    CHECK(one_line(exto360_error_message(err)), "message: [%s]", exto360_error_message(err));
    exto360_error_free(err); err = NULL;
    CHECK(journal_empty(emu), "refused calls sent a request");
    exto360_client_free(c);
}

/* Ids and names with surrounding whitespace are refused, never trimmed on the wire. */
static void test_whitespace_ids(exto360_emulator *emu) {
    exto360_client *c = new_client(emu, NULL), *scoped = NULL;
    char *out = NULL;
    exto360_error *err = NULL;
    exto360_emulator_reset(emu, NULL);
#define REFUSED(call) do { err = NULL; exto360_status st_ = (call); CHECK(st_ == EXTO360_INVALID_ARGUMENT, "%s: status %d", #call, (int)st_); CHECK(one_line(exto360_error_message(err)), "%s: message", #call); exto360_error_free(err); exto360_string_free(out); out = NULL; } while (0)
    REFUSED(exto360_masters_list(c, " LOCATION", NULL, &out, &err));
    REFUSED(exto360_masters_list(c, "LOCATION ", NULL, &out, &err));
    REFUSED(exto360_modules_list(c, "CUSTOMMODULE\t", NULL, &out, &err));
    REFUSED(exto360_users_get(c, " johndoe@exto360.com", &out, &err));
    REFUSED(exto360_modules_upsert(c, "CUSTOMMODULE", "[{\"ref_no\":\"R-1\"}]", "johndoe@exto360.com ", &out, &err));
    REFUSED(exto360_client_with_project(c, " Vx6-j2Z", &scoped, &err));
    CHECK(scoped == NULL, "no scoped client");
    exto360_client_free(scoped);
    char cfg[512];
    snprintf(cfg, sizeof cfg, "{\"token\":\"%s\",\"baseUrl\":\"%s\",\"projectId\":\"Vx6-j2Z \"}", exto360_emulator_token(emu), exto360_emulator_url(emu));
    exto360_client *c2 = NULL;
    REFUSED(exto360_client_new(cfg, &c2, &err));
    CHECK(c2 == NULL, "no client");
    exto360_client_free(c2);
#undef REFUSED
    CHECK(journal_empty(emu), "a name with surrounding whitespace was sent");
    exto360_client_free(c);
}

struct job { exto360_client *c; int ok; };
static void *worker(void *arg) {
    struct job *j = arg;
    for (int i = 0; i < 5; i++) {
        char *out = NULL;
        if (exto360_masters_list(j->c, "LOCATION", NULL, &out, NULL) == EXTO360_OK && strstr(out, "\"total\":6")) j->ok++;
        exto360_string_free(out);
    }
    return NULL;
}

static void test_threads(const exto360_emulator *emu) {
    exto360_client *c = new_client(emu, NULL);
    pthread_t t[4];
    struct job jobs[4] = {{c, 0}, {c, 0}, {c, 0}, {c, 0}};
    for (int i = 0; i < 4; i++) pthread_create(&t[i], NULL, worker, &jobs[i]);
    for (int i = 0; i < 4; i++) pthread_join(t[i], NULL);
    for (int i = 0; i < 4; i++) CHECK(jobs[i].ok == 5, "thread %d: %d of 5", i, jobs[i].ok);
    exto360_client_free(c);
}

/* The current edition: update, delete (the 200 refusal is EXTO360_FORBIDDEN), expand (one
 * record per pager step), sub-table rows, hierarchy, workflow v2, build info. */
static void test_current_edition(exto360_emulator *emu) {
    CHECK(exto360_emulator_reset(emu, NULL) == EXTO360_OK, "reset");
    exto360_client *c = new_client(emu, NULL);
    char *out = NULL;
    exto360_error *err = NULL;
    CHECK(exto360_build_info(c, &out, &err) == EXTO360_OK && strstr(out, "exto-data-api"), "build info");
    exto360_string_free(out); out = NULL;

    CHECK(exto360_masters_update(c, "LOCATION", "[{\"refId\":\"nope123\",\"x\":1}]", "refId", &out, &err) == EXTO360_OK && strstr(out, "\"updatedCount\":0"), "update: %s", out ? out : "?");
    exto360_string_free(out); out = NULL;
    CHECK(exto360_masters_update(c, "LOCATION", "[{\"refId\":\"a\",\"_id\":\"b\"}]", "refId", &out, &err) == EXTO360_INVALID_ARGUMENT && strstr(exto360_error_message(err), "_id"), "_id refused");
    exto360_error_free(err); err = NULL;
    CHECK(exto360_masters_update(c, "LOCATION", "[]", NULL, &out, &err) == EXTO360_INVALID_ARGUMENT && strstr(exto360_error_message(err), "key"), "NULL key");
    exto360_error_free(err); err = NULL;
    CHECK(exto360_masters_update(c, "LOCATION", "[]", "id", &out, &err) == EXTO360_INVALID_ARGUMENT, "unknown key");
    exto360_error_free(err); err = NULL;

    exto360_status st = exto360_masters_delete(c, "LOCATION", "[\"x\"]", "refId", "jasonsmith@exto360.com", &out, &err);
    CHECK(st == EXTO360_FORBIDDEN && exto360_error_status(err) == 200, "success:false is forbidden (%d)", (int)st);
    CHECK(exto360_error_details_count(err) == 1 && strstr(exto360_error_detail(err, 0), "permission"), "detail");
    CHECK(strstr(exto360_error_details_json(err), "\"notWritten\":[[0,1]]") != NULL, "report: %s", exto360_error_details_json(err));
    exto360_error_free(err); err = NULL;
    CHECK(exto360_modules_delete(c, "CUSTOMMODULE", "[\"MOD-2\"]", "recordNumber", "johndoe@exto360.com", &out, &err) == EXTO360_OK && strstr(out, "\"deletedCount\":1"), "module delete");
    exto360_string_free(out); out = NULL;

    exto360_pager *pager = NULL;
    CHECK(exto360_modules_expand(c, "CUSTOMMODULE", "{\"pageSize\":1,\"subTablePageSize\":1}", &pager, &err) == EXTO360_OK, "expand");
    int records = 0, signed_rows = 0;
    char *rec = NULL;
    while (exto360_pager_next(pager, &rec, &err) == EXTO360_OK && rec) {
        records++;
        CHECK(strstr(rec, "\"subTableData\":{") != NULL, "record %s", rec);
        if (strstr(rec, "\"SIG-1\"")) signed_rows++;
        exto360_string_free(rec);
    }
    exto360_pager_free(pager);
    CHECK(records == 2 && signed_rows == 1, "expanded %d records, %d with a signature", records, signed_rows);
    CHECK(exto360_modules_expand(c, "CUSTOMMODULE", "{\"pageSize\":101}", &pager, &err) == EXTO360_OK, "bad options surface on the first step");
    CHECK(exto360_pager_next(pager, &rec, &err) == EXTO360_INVALID_ARGUMENT && rec == NULL, "page size 101");
    exto360_error_free(err); err = NULL;
    exto360_pager_free(pager);

    CHECK(exto360_sub_table_list(c, "Lines", "{\"moduleName\":\"CUSTOMMODULE\"}", &out, &err) == EXTO360_INVALID_ARGUMENT && strstr(exto360_error_message(err), "recordId"), "recordId required");
    exto360_error_free(err); err = NULL;
    CHECK(exto360_hierarchy_iter(c, "ORG_UNIT", "{\"pageSize\":3}", &pager, &err) == EXTO360_OK, "hierarchy iter");
    int pages = 0;
    while (exto360_pager_next(pager, &rec, &err) == EXTO360_OK && rec) { pages++; exto360_string_free(rec); }
    exto360_pager_free(pager);
    CHECK(pages == 2, "hierarchy pages %d", pages);
    CHECK(exto360_workflow_transition(c, "CUSTOMMODULE", NULL, "MOD-1", "{}", &out, &err) == EXTO360_INVALID_ARGUMENT, "NULL step");
    exto360_error_free(err); err = NULL;
    CHECK(exto360_workflow_transition(c, "CUSTOMMODULE", "submit", "MOD-1", "{\"userName\":\"johndoe@exto360.com\",\"actionName\":\"Submit\"}", &out, &err) == EXTO360_OK && strstr(out, "Submitted"), "transition");
    exto360_string_free(out); out = NULL;
    CHECK(exto360_workflow_history(c, "CUSTOMMODULE", "MOD-1", &out, &err) == EXTO360_OK && strstr(out, "\"toStep\":\"Submitted\""), "history");
    exto360_string_free(out); out = NULL;
    exto360_client_free(c);
}


/* Writes `n` patterned bytes to `path`; returns them (free them). */
static unsigned char *write_payload(const char *path, size_t n) {
    unsigned char *b = malloc(n);
    for (size_t i = 0; i < n; i++) b[i] = (unsigned char)((i * 7 + i / 251) % 256);
    FILE *f = fopen(path, "wb");
    fwrite(b, 1, n, f);
    fclose(f);
    return b;
}

static int same_file(const char *path, const unsigned char *want, size_t n) {
    FILE *f = fopen(path, "rb");
    if (!f) return 0;
    unsigned char *got = malloc(n + 1);
    size_t len = fread(got, 1, n + 1, f);
    fclose(f);
    int same = len == n && memcmp(got, want, n) == 0;
    free(got);
    return same;
}

/* Entries of `dir` other than . and .. */
static int dir_entries(const char *dir) {
    DIR *d = opendir(dir);
    int n = 0;
    for (struct dirent *e; d && (e = readdir(d));) n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    if (d) closedir(d);
    return n;
}

/* The "documentId" at the `k`-th occurrence in `json` copied into `out`. */
static void nth_document_id(const char *json, int k, char *out, size_t cap) {
    const char *p = json;
    for (int i = 0; i <= k && p; i++) { p = strstr(p, "\"documentId\":\""); if (p && i < k) p++; }
    out[0] = 0;
    if (p) { p += strlen("\"documentId\":\""); size_t n = strcspn(p, "\""); if (n < cap) { memcpy(out, p, n); out[n] = 0; } }
}

static void test_documents(exto360_emulator *emu) {
    exto360_client *c = new_client(emu, ",\"tenantId\":\"cwWdTZK\",\"projectId\":\"Vx6-j2Z\",\"initialBackoff\":0.001,\"maxBackoff\":0.002");
    char *out = NULL;
    exto360_error *err = NULL;
    char dir[] = "/tmp/exto360-c-docs-XXXXXX";
    CHECK(mkdtemp(dir) != NULL, "mkdtemp");
    char src[128], dst[128], files[512];
    snprintf(src, sizeof src, "%s/big.bin", dir);
    size_t n = 3 * 1024 * 1024 + 17;
    unsigned char *big = write_payload(src, n);
    snprintf(files, sizeof files, "[{\"path\":\"%s\"},{\"path\":\"%s\",\"name\":\"copy.bin\",\"contentType\":\"application/x-test\"}]", src, src);
    exto360_status st = exto360_documents_upload(c, files, "{\"meta\":{\"k\":1}}", &out, &err);
    CHECK(st == EXTO360_OK && strstr(out, "\"uploadedCount\":2") && strstr(out, "\"fileName\":\"copy.bin\""), "upload: %s", out ? out : exto360_error_message(err));
    char id[64];
    nth_document_id(out ? out : "", 1, id, sizeof id);
    exto360_string_free(out); out = NULL;
    snprintf(dst, sizeof dst, "%s/out.bin", dir);
    st = exto360_documents_download(c, id, NULL, dst, &out, &err);
    CHECK(st == EXTO360_OK && strstr(out, "\"bytes\":3145745"), "download: %s", out ? out : exto360_error_message(err));
    CHECK(same_file(dst, big, n), "downloaded bytes are the uploaded bytes");
    exto360_string_free(out); out = NULL;
    unlink(dst);

    /* An interrupted download leaves nothing behind. */
    exto360_emulator_set_faults(emu, "[{\"kind\":\"truncate\",\"path\":\"/api/v1/documents/download\"}]", NULL);
    st = exto360_documents_download(c, id, NULL, dst, &out, &err);
    CHECK(st == EXTO360_CONNECTION && out == NULL, "truncated download: %d", (int)st);
    CHECK(dir_entries(dir) == 1, "only the source file is left (%d entries)", dir_entries(dir));
    exto360_error_free(err); err = NULL;
    exto360_emulator_set_faults(emu, "[]", NULL);

    /* Bad input: not an array, NULL path; no client scope. */
    CHECK(exto360_documents_upload(c, "{\"path\":\"x\"}", NULL, &out, &err) == EXTO360_INVALID_ARGUMENT, "files not an array");
    exto360_error_free(err); err = NULL;
    CHECK(exto360_documents_download(c, id, NULL, NULL, &out, &err) == EXTO360_INVALID_ARGUMENT, "NULL path");
    exto360_error_free(err); err = NULL;

    /* Workspaces and jobs. */
    CHECK(exto360_workspaces_create(c, "Plant A", NULL, &out, &err) == EXTO360_OK && strstr(out, "\"name\":\"Plant A\""), "workspace");
    exto360_string_free(out); out = NULL;
    CHECK(exto360_workspaces_list(c, NULL, &out, &err) == EXTO360_OK && strstr(out, "\"total\":null"), "workspaces list");
    exto360_string_free(out); out = NULL;
    CHECK(exto360_jobs_start(c, "Nightly import", "Import", &out, &err) == EXTO360_OK, "job start");
    char job[64] = "";
    const char *idp = out ? strstr(out, "\"id\":\"") : NULL;
    if (idp) sscanf(idp + 6, "%63[^\"]", job);
    exto360_string_free(out); out = NULL;
    CHECK(exto360_jobs_log(c, job, "read 10 rows", NULL, &err) == EXTO360_OK, "job log");
    CHECK(exto360_jobs_fail(c, job, "disk full", &err) == EXTO360_OK, "job fail");
    CHECK(exto360_jobs_list(c, "{\"pageSize\":200}", &out, &err) == EXTO360_OK && strstr(out, "\"status\":\"Failed\"") && strstr(out, "disk full"), "job failed: %s", out ? out : "");
    exto360_string_free(out); out = NULL;
    CHECK(exto360_jobs_update(c, job, "Completed", "{\"duration\":5}", &err) == EXTO360_OK, "job update");
    CHECK(exto360_jobs_update(c, job, "Done", NULL, &err) != EXTO360_OK, "unknown status refused");
    exto360_error_free(err); err = NULL;
    free(big);
    unlink(src);
    rmdir(dir);
    exto360_client_free(c);
}

/* A file over the server's size limit: the upload fails as partial, with the per-file report. */
static void test_partial_upload(void) {
    exto360_emulator *emu = NULL;
    exto360_error *err = NULL;
    CHECK(exto360_emulator_start("{\"settings\":{\"maxFileBytes\":10}}", &emu, &err) == EXTO360_OK, "emulator");
    exto360_client *c = new_client(emu, ",\"tenantId\":\"cwWdTZK\",\"projectId\":\"Vx6-j2Z\"");
    char *out = NULL;
    exto360_status st = exto360_documents_upload(c, "[{\"name\":\"small.txt\",\"text\":\"small\"},{\"name\":\"big.txt\",\"text\":\"01234567890\"}]", NULL, &out, &err);
    CHECK(st == EXTO360_BAD_REQUEST && out == NULL, "partial upload status %d", (int)st);
    CHECK(exto360_error_status(err) == 200 && strcmp(exto360_error_summary(err), "errors.error_partial_upload") == 0, "partial summary");
    const char *j = exto360_error_details_json(err);
    CHECK(strstr(j, "\"written\":[[0,1]]") && strstr(j, "\"notWritten\":[[1,2]]"), "bulk: %s", j);
    CHECK(strstr(j, "\"upload\":{") && strstr(j, "\"state\":\"failed\"") && strstr(j, "error_file_too_large"), "per-file report: %s", j);
    exto360_error_free(err);
    exto360_client_free(c);
    exto360_emulator_free(emu);
}

int main(void) {
    exto360_emulator *emu = NULL;
    exto360_error *err = NULL;
    if (exto360_emulator_start(NULL, &emu, &err) != EXTO360_OK) {
        fprintf(stderr, "cannot start the emulator: %s\n", exto360_error_message(err));
        return 2;
    }
    printf("exto360 %s, emulator at %s\n", exto360_version(), exto360_emulator_url(emu));
    test_list_and_errors(emu);
    test_bad_arguments(emu);
    test_writes_and_pager(emu);
    test_threads(emu);
    test_current_edition(emu);
    char *journal = NULL;
    CHECK(exto360_emulator_journal(emu, &journal, NULL) == EXTO360_OK && strstr(journal, "Bearer ***") && !strstr(journal, "demo-token"), "journal masks the token");
    exto360_string_free(journal);
    test_null_lists(emu);
    test_one_line_messages(emu);
    test_whitespace_ids(emu);
    test_documents(emu);
    test_partial_upload();
    exto360_emulator_free(emu);
    return report("C API checks");
}
