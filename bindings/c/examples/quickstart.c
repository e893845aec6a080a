/* The C quick start: the SDK's main jobs against an in-process emulator (it stands in for
 * https://platform.exto360.com/data, 3 requests/second included).
 *
 *   make -C bindings/c/examples run        (or: make demo at the top)
 *
 * Against the real service: exto360_client_from_env() with EXTO360_TOKEN set. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exto360.h"
#include "exto360_testing.h" /* the emulator; a production program needs only exto360.h */

/* Prints the error (if any), frees it, and says whether the call succeeded. */
static int ok(exto360_status st, exto360_error *err, const char *what) {
    if (st == EXTO360_OK) return 1;
    fprintf(stderr, "%s failed: [%s, HTTP %d] %s\n", what, exto360_error_code(err), exto360_error_status(err), exto360_error_message(err));
    exto360_error_free(err);
    return 0;
}

int main(void) {
    exto360_emulator *emu = NULL;
    exto360_error *err = NULL;
    if (!ok(exto360_emulator_start("{\"settings\":{\"rateLimit\":3}}", &emu, &err), err, "emulator")) return 1;

    char config[512];
    snprintf(config, sizeof config, "{\"token\":\"%s\",\"baseUrl\":\"%s\",\"projectId\":\"Vx6-j2Z\"}", exto360_emulator_token(emu), exto360_emulator_url(emu));
    exto360_client *client = NULL;
    if (!ok(exto360_client_new(config, &client, &err), err, "client")) return 1;
    printf("libexto360 %s\n", exto360_version());

    char *out = NULL;
    const char *args = "{\"pageSize\":10,\"sort\":\"-serial_number\",\"filter\":{\"field\":\"serial_number\",\"type\":\"NUMBER\",\"op\":\"gt\",\"value\":1000}}";
    if (ok(exto360_masters_list(client, "LOCATION", args, &out, &err), err, "list")) {
        printf("LOCATION page: %.160s...\n", out);
        exto360_string_free(out);
    }

    if (ok(exto360_masters_upsert(client, "VENDOR", "[{\"vendor_id\":\"V1\",\"name\":\"Acme\"},{\"vendor_id\":\"V2\",\"name\":\"Globex\"}]", &out, &err), err, "upsert")) {
        printf("upsert: %s\n", out);
        exto360_string_free(out);
    }

    exto360_pager *pager = NULL;
    if (ok(exto360_masters_iter(client, "LOCATION", "{\"pageSize\":2}", &pager, &err), err, "iter")) {
        int pages = 0;
        char *page = NULL;
        while (ok(exto360_pager_next(pager, &page, &err), err, "next page") && page) {
            pages++;
            exto360_string_free(page);
        }
        printf("iterated %d pages\n", pages);
        exto360_pager_free(pager);
    }

    if (ok(exto360_users_get(client, "johndoe@exto360.com", &out, &err), err, "user")) {
        printf("user: %.120s...\n", out);
        exto360_string_free(out);
    }

    /* Errors are typed: kind, HTTP status, server details. */
    exto360_status st = exto360_masters_list(client, "NO_SUCH_MASTER", NULL, &out, &err);
    if (st == EXTO360_NOT_FOUND) {
        printf("expected error: %s (HTTP %d): %s\n", exto360_error_code(err), exto360_error_status(err), exto360_error_detail(err, 0));
        exto360_error_free(err);
    }

    exto360_client_free(client);
    exto360_emulator_free(emu);
    return 0;
}
