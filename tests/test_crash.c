/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * test_crash.c - whence_install_crash_handler, in forked children: the report
 * ("fatal signal N (NAME) at pc 0x...", the faulting function's file:line,
 * the crashing thread's id and name, the stack from the interrupted frame),
 * a previously installed handler still running, the process dying of the
 * same signal, abort(), and a stack overflow reported from the alternate
 * signal stack with both ends of its stack.
 */
#include "test_synth.h"
#include "test_arch.h"
#include "lines/lines.h"

#include <signal.h>
#include <sys/wait.h>

#define RFN __attribute__((noinline, used, section("whcrash_text"), disable_tail_calls))
#define SITE(loc)                                                                  \
    __asm__ volatile("991:\n\t.pushsection whcrash_site,\"a\",@progbits\n\t.balign 4\n\t" \
                     ".long 991b - .\n\t.long %c0\n\t.popsection\n\t"              \
                     ".pushsection whcrash_lines,\"a\",@progbits\n\t.balign 4\n\t" \
                     ".long %c0\n\t.long %c1\n\t.popsection" ::"i"(loc),           \
                     "i"(__LINE__)                                                 \
                     : "memory")
#define BARRIER() __asm__ volatile("" ::: "memory")

extern const char __start_whcrash_text[], __stop_whcrash_text[];
extern const char __start_whcrash_site[], __stop_whcrash_site[];
extern const uint32_t __start_whcrash_lines[], __stop_whcrash_lines[];

enum { F_VICTIM, F_TOP, F_ABORT, F_DEEP, F_COUNT };
enum { L_VICTIM, L_TOP, L_TOP2, L_TOP3, L_ABORT, L_DEEP, L_COUNT };
static const int LOCFN[L_COUNT] = {F_VICTIM, F_TOP, F_TOP, F_TOP, F_ABORT, F_DEEP};
static int LINE[L_COUNT];

static volatile int *volatile null_ptr;
RFN void crash_victim(void) {
    SITE(L_VICTIM); *null_ptr = 42;
    BARRIER();
}
RFN void crash_abort(void) {
    SITE(L_ABORT); abort();
}
#pragma clang diagnostic ignored "-Winfinite-recursion"
RFN int crash_deep(int n) {
    volatile char pad[256];
    pad[n & 255] = (char)n;
    int r;
    SITE(L_DEEP); r = crash_deep(n + 1);
    BARRIER();
    return r + pad[(n + 1) & 255];
}
RFN void crash_top(int which) {
    if (which == 0) {
        SITE(L_TOP); crash_victim();
    } else if (which == 1) {
        SITE(L_TOP2); crash_abort();
    } else {
        SITE(L_TOP3); crash_deep(0);
    }
    BARRIER();
}

static void *const FPTRS[F_COUNT] = {(void *)crash_victim, (void *)crash_top,
                                     (void *)crash_abort, (void *)crash_deep};
static const char *const FNAMES[F_COUNT] = {"crash_victim", "crash_top", "crash_abort",
                                            "crash_deep"};
static unsigned char fnrec[F_COUNT * WHENCE_FN_RECORD_SIZE];
static uint64_t modbuf[4096];

static int setup(void **state) {
    (void)state;
    for (const uint32_t *p = __start_whcrash_lines; p + 1 < __stop_whcrash_lines; p += 2)
        LINE[p[0]] = (int)p[1];
    struct mb *m = mb_new(0xc4a5, __FILE__);
    for (int i = 0; i < F_COUNT; i++)
        mb_subprog(m, FNAMES[i], __FILE__, 1);
    for (int l = 0; l < L_COUNT; l++)
        mb_loc(m, (uint32_t)LOCFN[l], (uint32_t)LINE[l], 0, -1);
    size_t mlen = mb_emit(m, modbuf);
    free(m);
    for (int i = 0; i < F_COUNT; i++) {
        uintptr_t a = (uintptr_t)FPTRS[i], end = (uintptr_t)__stop_whcrash_text;
        for (int j = 0; j < F_COUNT; j++)
            if ((uintptr_t)FPTRS[j] > a && (uintptr_t)FPTRS[j] < end)
                end = (uintptr_t)FPTRS[j];
        unsigned char *r = fnrec + (size_t)i * WHENCE_FN_RECORD_SIZE;
        int32_t rel = (int32_t)(a - (uintptr_t)r);
        uint32_t size = (uint32_t)(end - a), sub = (uint32_t)i;
        uint64_t key = 0xc4a5;
        memcpy(r, &rel, 4);
        memcpy(r + 4, &size, 4);
        uint64_t keysub = key << WHENCE_FN_SUB_BITS | sub;
        memcpy(r + WHENCE_FN_OFF_KEYSUB, &keysub, 8);
    }
    __whence_register(WHENCE_ABI_VERSION, fnrec, fnrec + sizeof fnrec, __start_whcrash_site,
                      __stop_whcrash_site, modbuf, (char *)modbuf + mlen, NULL, NULL);
    return 0;
}

static int child_tid; /* the crashing thread, as the child reports it */

/* (a handler without siginfo, installed before whence's: it runs first,
 * and gives the fault up by putting the default action back) */
static void prev_handler(int sig) {
    static const char msg[] = "previous handler ran\n";
    (void)!write(2, msg, sizeof msg - 1);
    signal(sig, SIG_DFL);
}

/* Runs crash_top(which) in a child with the handler; returns its stderr and
 * the signal it died of (0 if it exited). */
static char *run_child(int which, bool chain, int *died_of) {
    int p[2];
    assert_int_equal(pipe(p), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(p[1], 2);
        close(p[0]);
        /* cmocka catches crashes itself (and would longjmp back into its
         * runner in this child): start from the default actions. */
        signal(SIGSEGV, SIG_DFL);
        signal(SIGABRT, SIG_DFL);
        signal(SIGBUS, SIG_DFL);
        signal(SIGILL, SIG_DFL);
        signal(SIGFPE, SIG_DFL);
        alarm(20);
        if (chain)
            signal(SIGSEGV, prev_handler);
        if (whence_install_crash_handler() != 0)
            _exit(3);
        if (whence_install_crash_handler() != 0) /* twice is fine */
            _exit(4);
        crash_top(which);
        _exit(0);
    }
    close(p[1]);
    child_tid = pid; /* a forked child's one thread has the process's id */
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (n > (64u << 20))
            break; /* runaway output: fail below rather than eat memory */
        if (n + 1 >= cap)
            buf = realloc(buf, cap *= 2);
        ssize_t r = read(p[0], buf + n, cap - n - 1);
        if (r <= 0)
            break;
        n += (size_t)r;
    }
    buf[n] = 0;
    close(p[0]);
    int st;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    *died_of = WIFSIGNALED(st) ? WTERMSIG(st) : 0;
    return buf;
}

static void expect(const char *out, const char *s) {
    if (!strstr(out, s))
        fail_msg("missing \"%s\" in:\n%s", s, out);
}

static void test_segv_report(void **state) {
    (void)state;
    int sig;
    char *out = run_child(0, false, &sig);
    assert_int_equal(sig, SIGSEGV);
    char want[1024];
    expect(out, "fatal signal 11 (SIGSEGV) at pc 0x");
    expect(out, "(address 0x0)\n");
    snprintf(want, sizeof want, "fault in crash_victim at %s:%d\n", __FILE__, LINE[L_VICTIM]);
    expect(out, want);
    char comm[64];
    t_thread_name(getpid(), comm, sizeof comm); /* the forked child's, too */
    snprintf(want, sizeof want, "thread %d \"%s\"\nstack:\ncrash_victim(...)\n\t%s:%d +0x",
             child_tid, comm, __FILE__, LINE[L_VICTIM]);
    expect(out, want);
    snprintf(want, sizeof want, "crash_top(...)\n\t%s:%d +0x", __FILE__, LINE[L_TOP]);
    expect(out, want);
    free(out);
}

static void test_chained(void **state) {
    (void)state;
    int sig;
    char *out = run_child(0, true, &sig);
    assert_int_equal(sig, SIGSEGV);
    expect(out, "fatal signal 11 (SIGSEGV)");
    expect(out, "previous handler ran\n");
    /* (with a sanitizer's runtime in the process, whose own handler would
     * end it with _exit, an earlier handler runs after the report) */
#ifdef T_SANITIZED
    assert_true(strstr(out, "fatal signal") < strstr(out, "previous handler ran"));
#else
    assert_true(strstr(out, "previous handler ran") < strstr(out, "fatal signal"));
#endif
    free(out);
}

static void test_abort(void **state) {
    (void)state;
    int sig;
    /* libc's own files only: with libc6-dbg installed, /usr/lib/debug's
     * symbol table names the innermost frame (__pthread_kill_implementation). */
    wh_dbg_set_dirs("");
    char *out = run_child(1, false, &sig);
    wh_dbg_set_dirs("/usr/lib/debug");
    assert_int_equal(sig, SIGABRT);
    expect(out, "fatal signal 6 (SIGABRT) at pc 0x");
    /* raised, not a fault */
    expect(out, " (raised by the process itself)\n");
    expect(out, "received outside instrumented code, in ");
    assert_null(strstr(out, "fault outside"));
    /* libc's abort, named by its dynamic symbol, above the caller */
    expect(out, "\nabort(...) (not instrumented)\n\t");
    char want[1024];
    snprintf(want, sizeof want, "crash_abort(...)\n\t%s:%d +0x", __FILE__, LINE[L_ABORT]);
    expect(out, want);
    assert_true(strstr(out, "\nabort(...)") < strstr(out, want));
    snprintf(want, sizeof want, "crash_top(...)\n\t%s:%d +0x", __FILE__, LINE[L_TOP2]);
    expect(out, want);
    free(out);
}

static void test_stack_overflow(void **state) {
    (void)state;
    int sig;
    char *out = run_child(2, false, &sig);
    assert_int_equal(sig, SIGSEGV);
    expect(out, "fatal signal 11 (SIGSEGV)");
    expect(out, "crash_deep(...)\n\t");
    expect(out, " more frames elided...\n");
    /* Both ends: 200 frames in all, the outermost being who started it:
     * crash_top, and below it the test's own frames (not instrumented:
     * shown, as a host's are; the C library's start code is not). */
    char want[1024];
    snprintf(want, sizeof want, "crash_top(...)\n\t%s:%d +0x", __FILE__, LINE[L_TOP3]);
    expect(out, want);
    const char *top = strstr(out, want);
    assert_true(top > strstr(out, " more frames elided...\n"));
    assert_true(count_str(out, "(...)") == 200);
    int below = count_str(top, "(...)") - 1;
    assert_true(below >= 2);
    assert_true(count_str(out, "crash_deep(...)") == 199 - below);
    expect(top, "\nrun_child(...) (not instrumented)\n");
    assert_true(strstr(out, "__libc_start") == NULL);
    free(out);
}

int main(int argc, char **argv) {
    if (argc > 1) { /* by hand: test_crash N runs one crash in this process */
        setup(NULL);
        whence_install_crash_handler();
        crash_top(atoi(argv[1]));
        return 0;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_segv_report),
        cmocka_unit_test(test_chained),
        cmocka_unit_test(test_abort),
        cmocka_unit_test(test_stack_overflow),
    };
    return cmocka_run_group_tests_name("crash", tests, setup, NULL);
}
