/* What the C tests share: a CHECK that counts failures, a client of the emulator, the journal. */
#ifndef EXTO360_TEST_CHECK_H
#define EXTO360_TEST_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exto360.h"
#include "exto360_testing.h"

static int failures = 0;
#define CHECK(cond, ...) do { if (!(cond)) { failures++; fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); } } while (0)

/* A client of the emulator without rate limit; `extra` adds config keys (",\"k\":v"). */
static inline exto360_client *new_client(const exto360_emulator *emu, const char *extra) {
    char cfg[1024];
    snprintf(cfg, sizeof cfg, "{\"token\":\"%s\",\"baseUrl\":\"%s\",\"rateLimit\":null%s}", exto360_emulator_token(emu), exto360_emulator_url(emu), extra ? extra : "");
    exto360_client *c = NULL;
    exto360_error *err = NULL;
    exto360_status st = exto360_client_new(cfg, &c, &err);
    CHECK(st == EXTO360_OK && c != NULL, "client_new: %s", err ? exto360_error_message(err) : "?");
    exto360_error_free(err);
    return c;
}

/* The emulator's journal holds no request. */
static inline int journal_empty(const exto360_emulator *emu) {
    char *journal = NULL;
    int empty = exto360_emulator_journal(emu, &journal, NULL) == EXTO360_OK && strcmp(journal, "[]") == 0;
    if (!empty) fprintf(stderr, "journal: %.300s\n", journal ? journal : "(null)");
    exto360_string_free(journal);
    return empty;
}

/* The summary line of a run; the exit status. */
static inline int report(const char *what) {
    if (failures) {
        fprintf(stderr, "%s: %d check(s) failed\n", what, failures);
        return 1;
    }
    printf("%s: all checks passed\n", what);
    return 0;
}

#endif
