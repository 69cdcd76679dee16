/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * test_threads.c - whence_write_all_stacks' protocol, with threads parked
 * in uninstrumented code (lit/e2e/all-threads.c checks the frames of
 * instrumented ones): every thread listed once, the caller first, with its
 * id and name; a thread that blocks every signal listed as such at once;
 * bad descriptors; several threads dumping at the same time (each waits
 * for the other, and answers the other's request meanwhile); a thread that
 * exits during the dumps.  The sanitizer builds run this too.
 */
#include "test_synth.h"
#include "test_arch.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/syscall.h>

#define NPARK 8
static int park_fd[2];
static atomic_int parked;
static int tids[NPARK + 1];

static void *parker(void *arg) {
    int i = (int)(intptr_t)arg;
    char name[16];
    if (i == NPARK) {
        sigset_t all;
        sigfillset(&all);
        pthread_sigmask(SIG_BLOCK, &all, NULL);
        snprintf(name, sizeof name, "blocker");
    } else {
        snprintf(name, sizeof name, "park%d", i);
    }
    pthread_setname_np(pthread_self(), name);
    tids[i] = (int)syscall(SYS_gettid);
    atomic_fetch_add(&parked, 1);
    char c;
    while (read(park_fd[0], &c, 1) < 0 && errno == EINTR)
        ;
    return NULL;
}

static pthread_t th[NPARK + 1];
static int base; /* threads before ours: 1, or 2 with TSan's own */

static int count_tasks(void) {
    int n = 0;
    DIR *d = opendir("/proc/self/task");
    for (struct dirent *e; d && (e = readdir(d)) != NULL;)
        n += e->d_name[0] != '.';
    if (d)
        closedir(d);
    return n;
}

static int setup(void **state) {
    (void)state;
    assert_int_equal(pipe(park_fd), 0);
    for (int i = 0; i <= NPARK; i++)
        pthread_create(&th[i], NULL, parker, (void *)(intptr_t)i);
    while (atomic_load(&parked) < NPARK + 1)
        usleep(1000);
    base = count_tasks() - (NPARK + 1);
    return 0;
}

static int teardown(void **state) {
    (void)state;
    close(park_fd[1]); /* every read() returns 0 */
    for (int i = 0; i <= NPARK; i++)
        pthread_join(th[i], NULL);
    return 0;
}

/* The text of a dump into a temporary file, and its return value. */
static char *dump(int *ret) {
    FILE *f = tmpfile();
    assert_non_null(f);
    *ret = whence_write_all_stacks(fileno(f));
    long n = lseek(fileno(f), 0, SEEK_END);
    char *s = calloc(1, (size_t)n + 1);
    assert_int_equal(pread(fileno(f), s, (size_t)n, 0), n);
    fclose(f);
    return s;
}

static void test_every_thread_once(void **state) {
    (void)state;
    int ret;
    char *s = dump(&ret);
    assert_int_equal(ret, base + NPARK + 1);
    assert_int_equal(count_str(s, "thread "), base + NPARK + 1);
    char want[128];
    /* The caller first. */
    char comm[64];
    t_thread_name((int)syscall(SYS_gettid), comm, sizeof comm);
    snprintf(want, sizeof want, "thread %d \"%s\":\n", (int)syscall(SYS_gettid), comm);
    assert_true(strncmp(s, want, strlen(want)) == 0);
    for (int i = 0; i < NPARK; i++) {
        snprintf(want, sizeof want, "thread %d \"park%d\":\n(no frames in instrumented code)\n\n",
                 tids[i], i);
        if (!strstr(s, want))
            fail_msg("missing \"%s\" in:\n%s", want, s);
    }
    snprintf(want, sizeof want, "thread %d \"blocker\": not answering (signal blocked)\n\n",
             tids[NPARK]);
    if (!strstr(s, want))
        fail_msg("missing \"%s\" in:\n%s", want, s);
    free(s);
}

static void test_bad_fd(void **state) {
    (void)state;
    assert_int_equal(whence_write_all_stacks(-1), -EBADF);
    assert_int_equal(whence_write_all_stacks(1 << 20), -EBADF);
    /* open, but not for writing: nothing could be written */
    int ro = open("/dev/null", O_RDONLY), dir = open(".", O_RDONLY | O_DIRECTORY);
    assert_true(ro >= 0 && dir >= 0);
    assert_int_equal(whence_write_all_stacks(ro), -EBADF);
    assert_int_equal(whence_write_all_stacks(dir), -EBADF);
    close(ro);
    close(dir);
}

static atomic_int go;
/* Every dumper stays alive (and answers) until all have dumped: a sleep
 * loop rather than a barrier, since TSan holds signals back while a thread
 * waits in pthread_barrier_wait but not in nanosleep. */
static atomic_int dumped;
static void *dumper(void *arg) {
    (void)arg;
    while (!atomic_load(&go))
        ;
    int ret;
    char *s = dump(&ret);
    atomic_fetch_add(&dumped, 1);
    while (atomic_load(&dumped) < 4)
        usleep(1000);
    /* The other dumpers and this one, the parked threads, the main thread. */
    int want = base + NPARK + 1 + 4;
    if (ret != want || count_str(s, "thread ") != want)
        fprintf(stderr, "dumper: ret %d, %d threads in:\n%s", ret, count_str(s, "thread "), s);
    free(s);
    return (void *)(intptr_t)(ret == want);
}

static void *short_lived(void *arg) {
    (void)arg;
    usleep(100);
    return NULL;
}

static void test_concurrent_dumps(void **state) {
    (void)state;
    pthread_t d[4];
    atomic_store(&go, 0);
    atomic_store(&dumped, 0);
    for (int i = 0; i < 4; i++)
        pthread_create(&d[i], NULL, dumper, NULL);
    atomic_store(&go, 1);
    int ok = 0;
    for (int i = 0; i < 4; i++) {
        void *r;
        pthread_join(d[i], &r);
        ok += (int)(intptr_t)r;
    }
    assert_int_equal(ok, 4);
}

static atomic_int churning;
static void *churner(void *arg) {
    (void)arg;
    while (atomic_load(&churning)) {
        pthread_t t;
        if (pthread_create(&t, NULL, short_lived, NULL) == 0)
            pthread_join(t, NULL);
    }
    return NULL;
}

/* Threads that come and go during the dumps: each is listed or not, the
 * dump neither crashes nor waits for them. */
static void test_threads_come_and_go(void **state) {
    (void)state;
    /* The previous test's joined threads may still be listed in
     * /proc/self/task for a moment (their exit is not complete when the
     * join returns; seen under qemu-user on a loaded machine). */
    for (int i = 0; i < 2000 && count_tasks() != base + NPARK + 1; i++)
        usleep(1000);
    pthread_t c;
    atomic_store(&churning, 1);
    pthread_create(&c, NULL, churner, NULL);
    for (int k = 0; k < 20; k++) {
        int ret;
        char *s = dump(&ret);
        /* ours, the churner, and its short-lived threads: the one alive
         * and, for a moment after their join (under qemu-user on a loaded
         * machine), the ones before it, until their exit completes */
        assert_true(ret >= base + NPARK + 2 && ret <= base + NPARK + 2 + 4);
        assert_int_equal(count_str(s, "thread "), ret);
        free(s);
    }
    atomic_store(&churning, 0);
    pthread_join(c, NULL);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_thread_once),
        cmocka_unit_test(test_bad_fd),
        cmocka_unit_test(test_concurrent_dumps),
        cmocka_unit_test(test_threads_come_and_go),
    };
    return cmocka_run_group_tests_name("threads", tests, setup, teardown);
}
