/* C pager benchmark: CPU time to iterate every record of master BIG through exto360_pager_next
 * (pages as JSON text) against an emulator at argv[1]. Prints seconds of CPU. */
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "exto360.h"

static double cpu(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static long iterate(exto360_client *c) {
    exto360_pager *pager = NULL;
    exto360_error *err = NULL;
    char *page = NULL;
    long bytes = 0;
    if (exto360_masters_iter(c, "BIG", "{\"pageSize\":1000}", &pager, &err) != EXTO360_OK) return -1;
    while (exto360_pager_next(pager, &page, &err) == EXTO360_OK && page) {
        bytes += (long)strlen(page);
        exto360_string_free(page);
    }
    exto360_pager_free(pager);
    return bytes;
}

int main(int argc, char **argv) {
    if (argc < 2) return 2;
    char cfg[256];
    snprintf(cfg, sizeof cfg, "{\"token\":\"bench\",\"baseUrl\":\"%s\",\"rateLimit\":null}", argv[1]);
    exto360_client *c = NULL;
    if (exto360_client_new(cfg, &c, NULL) != EXTO360_OK) return 1;
    iterate(c); /* warm up */
    double best = 1e9;
    for (int i = 0; i < 3; i++) {
        double t = cpu();
        long bytes = iterate(c);
        double d = cpu() - t;
        if (bytes <= 0) return 1;
        if (d < best) best = d;
    }
    printf("%.3f\n", best);
    exto360_client_free(c);
    return 0;
}
