/* fork() after using the library: the child works with clients made before the fork and new
 * ones, and exits; the parent goes on. Plain C11 + POSIX; run under valgrind and ASan.
 *
 * Under valgrind this test runs without leak checking: in the child, what only the parent's
 * (now absent) threads referenced looks lost. Memory errors still fail it, in both processes. */
#define _POSIX_C_SOURCE 200809L /* fork, waitpid, kill, nanosleep */
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

/* Total of the LOCATION master through `c`: 6 in the demo dataset, -1 on failure. */
static int location_total(exto360_client *c) {
    char *out = NULL;
    int total = -1;
    if (exto360_masters_list(c, "LOCATION", "{\"pageSize\":1}", &out, NULL) == EXTO360_OK && strstr(out, "\"total\":6")) total = 6;
    exto360_string_free(out);
    return total;
}

/* What a forked child checks; its exit status is the number of failed checks. */
static int child_after_fork(exto360_emulator *emu, exto360_client *inherited, exto360_pager *inherited_pager) {
    int bad = 0;
    exto360_error *err = NULL;
    char *out = NULL;
    if (location_total(inherited) != 6) { bad++; fprintf(stderr, "child: the client made before fork() failed\n"); }
    exto360_client *fresh = new_client(emu, NULL);
    if (location_total(fresh) != 6) { bad++; fprintf(stderr, "child: a new client failed\n"); }
    exto360_client *scoped = NULL;
    if (exto360_client_with_project(inherited, "Vx6-j2Z", &scoped, NULL) != EXTO360_OK
        || exto360_masters_list(scoped, "LOCATION", NULL, &out, NULL) != EXTO360_OK || !strstr(out, "\"total\":3")) { bad++; fprintf(stderr, "child: scoped client failed\n"); }
    exto360_string_free(out); out = NULL;
    /* A pager of the parent is refused (its fetching ran on the parent's threads); a new one works. */
    if (exto360_pager_next(inherited_pager, &out, &err) != EXTO360_INVALID_ARGUMENT || !strstr(exto360_error_message(err), "fork")) { bad++; fprintf(stderr, "child: inherited pager not refused\n"); }
    exto360_error_free(err); err = NULL;
    exto360_pager_free(inherited_pager);
    exto360_pager *pager = NULL;
    int pages = 0;
    if (exto360_masters_iter(fresh, "LOCATION", "{\"pageSize\":2}", &pager, NULL) == EXTO360_OK)
        while (exto360_pager_next(pager, &out, NULL) == EXTO360_OK && out) { pages++; exto360_string_free(out); out = NULL; }
    exto360_pager_free(pager);
    if (pages != 3) { bad++; fprintf(stderr, "child: new pager gave %d pages\n", pages); }
    /* The emulator serves from the parent; in the child its handle only frees. */
    if (exto360_emulator_journal(emu, &out, &err) != EXTO360_INVALID_ARGUMENT) { bad++; fprintf(stderr, "child: emulator journal not refused\n"); }
    exto360_error_free(err);
    exto360_client_free(scoped);
    exto360_client_free(fresh);
    exto360_client_free(inherited);
    exto360_emulator_free(emu);
    return bad;
}

/* A program that used the library forks: the child works (same and new clients) and exits;
 * the parent's client keeps working. A hung child is killed after 60 s and counts as failed. */
static void test_fork(exto360_emulator *emu) {
    exto360_client *c = new_client(emu, NULL);
    CHECK(location_total(c) == 6, "parent before fork");
    exto360_pager *pager = NULL;
    char *page = NULL;
    CHECK(exto360_masters_iter(c, "LOCATION", "{\"pageSize\":2}", &pager, NULL) == EXTO360_OK, "iter");
    CHECK(exto360_pager_next(pager, &page, NULL) == EXTO360_OK && page, "first page before fork");
    exto360_string_free(page); page = NULL;
    fflush(NULL);
    pid_t child = fork();
    if (child == 0) _exit(child_after_fork(emu, c, pager) ? 1 : 0);
    CHECK(child > 0, "fork failed");
    int status = -1, waited = 0;
    while (child > 0 && waitpid(child, &status, WNOHANG) == 0) {
        if (waited++ > 6000) { kill(child, SIGKILL); waitpid(child, &status, 0); CHECK(0, "the child hung after fork()"); break; }
        nanosleep(&(struct timespec){0, 10 * 1000 * 1000}, NULL);
    }
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %d", status);
    /* The parent goes on with the same client and pager. */
    CHECK(location_total(c) == 6, "parent after fork");
    int pages = 1;
    while (exto360_pager_next(pager, &page, NULL) == EXTO360_OK && page) { pages++; exto360_string_free(page); page = NULL; }
    CHECK(pages == 3, "parent pager after fork: %d pages", pages);
    exto360_pager_free(pager);
    exto360_client_free(c);
}

int main(void) {
    exto360_emulator *emu = NULL;
    if (exto360_emulator_start(NULL, &emu, NULL) != EXTO360_OK) {
        fprintf(stderr, "cannot start the emulator\n");
        return 2;
    }
    test_fork(emu);
    exto360_emulator_free(emu);
    return report("C fork checks");
}
