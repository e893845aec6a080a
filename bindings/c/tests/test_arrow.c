/* The Arrow C stream of records, read by a plain C consumer of the standard structs (as
 * nanoarrow, DuckDB or pyarrow would). Plain C11; run under valgrind and ASan. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exto360.h"
#include "exto360_testing.h"

static int failures = 0;
#define CHECK(cond, ...) do { if (!(cond)) { failures++; fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); } } while (0)

static exto360_client *new_client(const exto360_emulator *emu) {
    char cfg[1024];
    snprintf(cfg, sizeof cfg, "{\"token\":\"%s\",\"baseUrl\":\"%s\",\"rateLimit\":null}", exto360_emulator_token(emu), exto360_emulator_url(emu));
    exto360_client *c = NULL;
    exto360_error *err = NULL;
    CHECK(exto360_client_new(cfg, &c, &err) == EXTO360_OK, "client_new");
    exto360_error_free(err);
    return c;
}

/* The index of the child column `name`, or -1. */
static int64_t column(const struct ArrowSchema *s, const char *name) {
    for (int64_t i = 0; i < s->n_children; i++)
        if (strcmp(s->children[i]->name, name) == 0) return i;
    return -1;
}

/* A schema whose parts are static: releasing it only marks it released. */
static void release_static(struct ArrowSchema *s) { s->release = NULL; }

static int is_null(const struct ArrowArray *a, int64_t row) {
    const uint8_t *validity = a->buffers[0];
    int64_t i = a->offset + row;
    return a->null_count != 0 && validity != NULL && !(validity[i / 8] & (1 << (i % 8)));
}

/* A string of a Utf8 column ("u"): offsets in buffer 1, bytes in buffer 2. */
static void utf8(const struct ArrowArray *a, int64_t row, char *out, size_t size) {
    const int32_t *offsets = a->buffers[1];
    const char *data = a->buffers[2];
    int64_t i = a->offset + row;
    size_t n = (size_t)(offsets[i + 1] - offsets[i]);
    if (n >= size) n = size - 1;
    memcpy(out, data + offsets[i], n);
    out[n] = 0;
}

static int64_t int64_at(const struct ArrowArray *a, int64_t row) {
    return ((const int64_t *)a->buffers[1])[a->offset + row];
}

/* Reads every batch; writes the codes (comma-separated) and counts. Returns get_next's last
 * status (0 at the end). */
static int read_all(struct ArrowArrayStream *s, char *codes, size_t size, int64_t *rows, int64_t *serial_nulls, char *error, size_t esize) {
    struct ArrowSchema schema;
    int rc = s->get_schema(s, &schema);
    CHECK(rc == 0, "get_schema %d", rc);
    if (rc != 0) return rc;
    CHECK(strcmp(schema.format, "+s") == 0, "a record batch is a struct: %s", schema.format);
    int64_t code = column(&schema, "code"), serial = column(&schema, "serial_number");
    CHECK(code >= 0 && serial >= 0, "columns code and serial_number");
    schema.release(&schema);
    CHECK(schema.release == NULL, "a released schema marks itself released");
    codes[0] = 0;
    *rows = 0;
    *serial_nulls = 0;
    for (;;) {
        struct ArrowArray batch;
        rc = s->get_next(s, &batch);
        if (rc != 0) {
            const char *msg = s->get_last_error(s);
            snprintf(error, esize, "%s", msg ? msg : "(no message)");
            return rc;
        }
        if (batch.release == NULL) return 0; /* the end */
        CHECK(batch.n_children > serial, "columns");
        for (int64_t r = 0; r < batch.length; r++) {
            char v[64];
            utf8(batch.children[code], r, v, sizeof v);
            if (strlen(codes) + strlen(v) + 2 < size) {
                if (codes[0]) strcat(codes, ",");
                strcat(codes, v);
            }
            if (is_null(batch.children[serial], r)) (*serial_nulls)++;
            else CHECK(int64_at(batch.children[serial], r) >= 900, "serial numbers");
        }
        *rows += batch.length;
        batch.release(&batch);
    }
}

static void test_table(const exto360_emulator *emu) {
    exto360_client *c = new_client(emu);
    struct ArrowArrayStream s;
    exto360_error *err = NULL;
    exto360_status st = exto360_masters_arrow_stream(c, "LOCATION", "{\"pageSize\":2,\"sort\":\"code\"}", NULL, EXTO360_ARROW_TABLE, &s, &err);
    CHECK(st == EXTO360_OK, "arrow_stream (table): %s", err ? exto360_error_message(err) : "");
    exto360_error_free(err);
    if (st != EXTO360_OK) return;
    exto360_client_free(c); /* the stream keeps what it needs */

    /* The types of the columns, in the C data interface's format strings. */
    struct ArrowSchema schema;
    CHECK(s.get_schema(&s, &schema) == 0, "get_schema");
    const char *want[][2] = {{"_id", "u"}, {"code", "u"}, {"serial_number", "l"}, {"active", "b"}, {"openedOn", "tdD"}, {"tags", "+l"}, {"email_id", "u"}, {"createdAt", "tsm:UTC"}, {"isDeleted", "b"}};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        int64_t k = column(&schema, want[i][0]);
        CHECK(k >= 0 && strcmp(schema.children[k]->format, want[i][1]) == 0, "column %s: %s", want[i][0], k >= 0 ? schema.children[k]->format : "missing");
    }
    schema.release(&schema);

    char codes[256], error[512] = "";
    int64_t rows = 0, nulls = 0;
    int rc = read_all(&s, codes, sizeof codes, &rows, &nulls, error, sizeof error);
    CHECK(rc == 0, "read: %s", error);
    CHECK(rows == 6 && nulls == 1, "rows %lld, null serial numbers %lld", (long long)rows, (long long)nulls);
    CHECK(strcmp(codes, "BLR,CHN,DEL,HYD,MUM,PUN") == 0, "codes %s", codes);
    s.release(&s);
    CHECK(s.release == NULL, "a released stream marks itself released");
}

static void test_stream_and_its_errors(const exto360_emulator *emu) {
    exto360_client *c = new_client(emu);
    struct ArrowArrayStream s;
    exto360_error *err = NULL;
    /* A stream takes its schema from the first page; the third page brings a new field. */
    exto360_status st = exto360_masters_arrow_stream(c, "LOCATION", "{\"pageSize\":2,\"sort\":\"code\"}", NULL, EXTO360_ARROW_STREAM, &s, &err);
    CHECK(st == EXTO360_OK, "arrow_stream: %s", err ? exto360_error_message(err) : "");
    exto360_error_free(err);
    err = NULL;
    char codes[256], error[512] = "";
    int64_t rows = 0, nulls = 0;
    int rc = read_all(&s, codes, sizeof codes, &rows, &nulls, error, sizeof error);
    CHECK(rc != 0, "a page that does not fit ends the stream with an error");
    CHECK(strstr(error, "page 3 does not fit the schema of the first page: field 'email_id'") != NULL, "the error names the field: %s", error);
    CHECK(rows == 4 && strcmp(codes, "BLR,CHN,DEL,HYD") == 0, "the pages before it were read: %s", codes);
    s.release(&s);

    /* An explicit schema, built by hand as any producer would: its columns only. The library
     * reads it during the call; releasing it stays with its producer (here, nothing to free). */
    struct ArrowSchema code = {.format = "u", .name = "code", .flags = ARROW_FLAG_NULLABLE, .release = release_static};
    struct ArrowSchema serial = {.format = "l", .name = "serial_number", .flags = ARROW_FLAG_NULLABLE, .release = release_static};
    struct ArrowSchema *kids[] = {&code, &serial};
    struct ArrowSchema root = {.format = "+s", .name = "", .n_children = 2, .children = kids, .release = release_static};
    st = exto360_masters_arrow_stream(c, "LOCATION", "{\"pageSize\":2,\"sort\":\"code\"}", &root, EXTO360_ARROW_STREAM, &s, &err);
    CHECK(st == EXTO360_OK, "explicit schema: %s", err ? exto360_error_message(err) : "");
    exto360_error_free(err);
    err = NULL;
    CHECK(root.release != NULL, "the caller's schema is not released by the library");
    if (st == EXTO360_OK) {
        struct ArrowSchema got;
        CHECK(s.get_schema(&s, &got) == 0 && got.n_children == 2, "exactly the schema's columns");
        got.release(&got);
        rc = read_all(&s, codes, sizeof codes, &rows, &nulls, error, sizeof error);
        CHECK(rc == 0 && rows == 6 && nulls == 1, "explicit schema reads every page: %s", error);
        s.release(&s);
    }
    root.release(&root);
    st = exto360_masters_arrow_stream(c, "LOCATION", NULL, &root, EXTO360_ARROW_STREAM, &s, &err);
    CHECK(st == EXTO360_INVALID_ARGUMENT && strstr(exto360_error_message(err), "schema has been released"), "a released schema is refused");
    exto360_error_free(err);
    err = NULL;

    /* Released early: the background page fetching stops, nothing leaks. */
    st = exto360_modules_arrow_stream(c, "CUSTOMMODULE", "{\"pageSize\":1}", NULL, EXTO360_ARROW_STREAM, &s, &err);
    CHECK(st == EXTO360_OK, "modules arrow stream");
    struct ArrowArray one;
    CHECK(s.get_next(&s, &one) == 0 && one.release != NULL && one.length == 1, "one module record");
    one.release(&one);
    s.release(&s);

    /* Bad arguments: a status and a message, never a crash; `out` untouched. */
    memset(&s, 0, sizeof s);
    CHECK(exto360_masters_arrow_stream(NULL, "LOCATION", NULL, NULL, EXTO360_ARROW_TABLE, &s, &err) == EXTO360_INVALID_ARGUMENT && s.release == NULL, "NULL client");
    exto360_error_free(err); err = NULL;
    CHECK(exto360_masters_arrow_stream(c, "LOCATION", NULL, NULL, EXTO360_ARROW_TABLE, NULL, &err) == EXTO360_INVALID_ARGUMENT, "NULL out");
    exto360_error_free(err); err = NULL;
    CHECK(exto360_masters_arrow_stream(c, "LOCATION", NULL, NULL, (exto360_arrow_mode)7, &s, &err) == EXTO360_INVALID_ARGUMENT, "unknown mode");
    CHECK(strstr(exto360_error_message(err), "mode must be") != NULL, "mode message");
    exto360_error_free(err); err = NULL;
    CHECK(exto360_masters_arrow_stream(c, "NOPE", NULL, NULL, EXTO360_ARROW_STREAM, &s, &err) == EXTO360_NOT_FOUND && s.release == NULL, "unknown master");
    exto360_error_free(err); err = NULL;
    exto360_client_free(c);
}

int main(void) {
    exto360_emulator *emu = NULL;
    exto360_error *err = NULL;
    if (exto360_emulator_start(NULL, &emu, &err) != EXTO360_OK) {
        fprintf(stderr, "emulator: %s\n", exto360_error_message(err));
        return 1;
    }
    test_table(emu);
    test_stream_and_its_errors(emu);
    exto360_emulator_free(emu);
    if (failures) {
        fprintf(stderr, "%d check(s) failed\n", failures);
        return 1;
    }
    puts("test_arrow: all checks passed");
    return 0;
}
