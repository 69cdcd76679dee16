/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * test_capture.c - capture on real frames.  The functions below are placed in
 * their own section (whtest_text) and get real records: whence_fn records
 * built at start-up from their addresses, and whence_site records emitted by
 * the same kind of inline asm label the pass emits (into whtest_site, with the
 * label's __LINE__ in whtest_lines).  That makes them "instrumented code" for
 * the runtime, while the cmocka driver around them is not.
 *
 * Covered: the FP walk and skip (logical frames, tokens for inline chains),
 * whence_caller, qsort's uninstrumented frames (the CFI fallback), a signal
 * handler on top of an asynchronous signal and of a fault (the __restore_rt
 * trampoline and the ucontext), a frameless leaf interrupted by a fault,
 * per-thread results under 8 threads, whence_write_stack's text, and the
 * walk's guards on fake frame chains and fake interrupted contexts.
 */
#include "test_synth.h"
#include "arch/arch.h"

#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <ucontext.h>

#define RFN __attribute__((noinline, used, section("whtest_text"), disable_tail_calls))
#define SITE(loc)                                                                  \
    __asm__ volatile("991:\n\t.pushsection whtest_site,\"a\",@progbits\n\t.balign 4\n\t" \
                     ".long 991b - .\n\t.long %c0\n\t.popsection\n\t"              \
                     ".pushsection whtest_lines,\"a\",@progbits\n\t.balign 4\n\t"  \
                     ".long %c0\n\t.long %c1\n\t.popsection" ::"i"(loc),           \
                     "i"(__LINE__)                                                 \
                     : "memory")
#define BARRIER() __asm__ volatile("" ::: "memory")

extern const char __start_whtest_text[], __stop_whtest_text[];
extern const char __start_whtest_site[], __stop_whtest_site[];
extern const uint32_t __start_whtest_lines[], __stop_whtest_lines[];

/* Frameless leaves with CFI, like a compiler's: fault at entry / mid-body. */
#if defined(__x86_64__)
#define WT_LOAD "movl (%rdi), %eax"
#define WT_NOP_SIZE 1
#else
#define WT_LOAD "ldr w0, [x0]"
#define WT_NOP_SIZE 4
#endif
__asm__(".pushsection whtest_text,\"ax\",@progbits\n"
        ".globl wt_leaf_entry\n.type wt_leaf_entry,@function\nwt_leaf_entry:\n"
        ".cfi_startproc\n\t" WT_LOAD "\n\tret\n.cfi_endproc\n"
        ".globl wt_leaf_mid\n.type wt_leaf_mid,@function\nwt_leaf_mid:\n"
        ".cfi_startproc\n\tnop\n\t" WT_LOAD "\n\tret\n.cfi_endproc\n"
        ".popsection\n");
int wt_leaf_entry(volatile int *p);
int wt_leaf_mid(volatile int *p);

enum {
    F_LEAF, F_MID, F_TOP, F_LEAFI, F_CALLER, F_CMP, F_QTOP, F_HANDLER, F_SIGV, F_STOP,
    F_FAULTV, F_FTOP, F_REC, F_TMAIN, F_STACKL, F_LEAF_ENTRY, F_LEAF_MID, F_COUNT
};
static const char *const FNAMES[F_COUNT] = {
    "leaf", "mid", "top", "leaf_inl", "caller_at", "cmp", "qsort_top", "handler", "sig_victim",
    "sig_top", "fault_victim", "fault_top", "rec", "thread_main", "stack_leaf", "wt_leaf_entry",
    "wt_leaf_mid"};
enum {
    L_LEAF, L_MID, L_TOP, L_INL_AT, L_INL, L_CALLER, L_CMP, L_QTOP, L_HANDLER, L_SIGV, L_STOP,
    L_FAULT, L_FTOP, L_REC, L_REC0, L_TMAIN, L_STACKL_AT, L_STACKL, L_FTOP2, L_COUNT
};
/* loc -> (function it is in, parent loc or -1); lines come from whtest_lines */
static const int LOCDEF[L_COUNT][2] = {
    [L_LEAF] = {F_LEAF, -1},       [L_MID] = {F_MID, -1},         [L_TOP] = {F_TOP, -1},
    [L_INL_AT] = {F_LEAFI, -1},    [L_INL] = {-1, L_INL_AT},      [L_CALLER] = {F_CALLER, -1},
    [L_CMP] = {F_CMP, -1},         [L_QTOP] = {F_QTOP, -1},       [L_HANDLER] = {F_HANDLER, -1},
    [L_SIGV] = {F_SIGV, -1},       [L_STOP] = {F_STOP, -1},       [L_FAULT] = {F_FAULTV, -1},
    [L_FTOP] = {F_FTOP, -1},       [L_REC] = {F_REC, -1},         [L_REC0] = {F_REC, -1},
    [L_TMAIN] = {F_TMAIN, -1},     [L_STACKL] = {-1, L_STACKL_AT}, [L_STACKL_AT] = {F_STACKL, -1},
    [L_FTOP2] = {F_FTOP, -1},
};
static int LINE[L_COUNT];
static uint32_t SUB_HELPER; /* the "inlined" function's subprog */
#define HELPER_LINE 4242

/* ---- the instrumented functions -------------------------------------------------- */
RFN int leaf(int skip, uintptr_t *pcs, int max) {
    int n;
    SITE(L_LEAF); n = whence_callers(skip, pcs, max);
    BARRIER();
    return n;
}
RFN int mid(int skip, uintptr_t *pcs, int max) {
    int n;
    SITE(L_MID); n = leaf(skip, pcs, max);
    BARRIER();
    return n;
}
RFN int top(int skip, uintptr_t *pcs, int max) {
    int n;
    SITE(L_TOP); n = mid(skip, pcs, max);
    BARRIER();
    return n;
}
/* its site pretends a helper was inlined here: helper@4242 inside leaf_inl */
RFN int leaf_inl(int skip, uintptr_t *pcs, int max) {
    int n;
    SITE(L_INL); n = whence_callers(skip, pcs, max);
    BARRIER();
    return n;
}
RFN int mid_inl(int skip, uintptr_t *pcs, int max);
RFN bool caller_at(int skip, whence_frame *out) {
    bool ok;
    SITE(L_CALLER); ok = whence_caller(skip, out);
    BARRIER();
    return ok;
}

static uintptr_t cmp_pcs[16];
static int cmp_n;
RFN int cmp(const void *a, const void *b) {
    if (!cmp_n) {
        SITE(L_CMP); cmp_n = whence_callers(0, cmp_pcs, 16);
    }
    BARRIER();
    return *(const int *)a - *(const int *)b;
}
RFN void qsort_top(int *v, size_t n) {
    SITE(L_QTOP); qsort(v, n, sizeof *v, cmp);
    BARRIER();
}

static uintptr_t sig_pcs[16];
static int sig_n;
static sigjmp_buf sig_jb;
static bool sig_jump;
RFN void handler(int sig, siginfo_t *si, void *uc) {
    (void)sig, (void)si, (void)uc;
    SITE(L_HANDLER); sig_n = whence_callers(0, sig_pcs, 16);
    BARRIER();
    if (sig_jump)
        siglongjmp(sig_jb, 1);
}
RFN void sig_victim(void) {
    SITE(L_SIGV); raise(SIGUSR1);
    BARRIER();
}
RFN void sig_top(void) {
    SITE(L_STOP); sig_victim();
    BARRIER();
}
static volatile int *volatile null_ptr;
RFN void fault_victim(void) {
    SITE(L_FAULT); *null_ptr = 1;
    BARRIER();
}
RFN void fault_top(int which) {
    if (which == 0) {
        SITE(L_FTOP); fault_victim();
    } else if (which == 1) {
        SITE(L_FTOP2); wt_leaf_entry(null_ptr);
    } else {
        wt_leaf_mid(null_ptr);
    }
    BARRIER();
}

RFN int rec(int d, uintptr_t *pcs, int max) {
    int n;
    if (d == 0) {
        SITE(L_REC0); n = whence_callers(0, pcs, max);
    } else {
        SITE(L_REC); n = rec(d - 1, pcs, max);
    }
    BARRIER();
    return n;
}
struct tres { int t, bad; };
RFN void *thread_main(void *arg) {
    struct tres *r = arg;
    uintptr_t pcs[64];
    for (int it = 0; it < 3000; it++) {
        int n;
        SITE(L_TMAIN); n = rec(r->t, pcs, 64);
        BARRIER();
        /* rec x (t+1), then thread_main; start_thread etc. are not ours */
        if (n != r->t + 2) {
            r->bad++;
            continue;
        }
        for (int i = 0; i <= r->t; i++)
            if (strcmp(whence_func_name(whence_func_for_pc(pcs[i])), "rec") != 0)
                r->bad++;
        if (strcmp(whence_func_name(whence_func_for_pc(pcs[n - 1])), "thread_main") != 0)
            r->bad++;
    }
    return NULL;
}

static int stack_fd = -1;
RFN void stack_leaf(int skip) {
    SITE(L_STACKL); whence_write_stack(stack_fd, skip);
    BARRIER();
}

/* ---- registration of the functions above ---------------------------------------- */
static void *const FPTRS[F_COUNT] = {
    (void *)leaf,     (void *)mid,        (void *)top,          (void *)leaf_inl,
    (void *)caller_at, (void *)cmp,       (void *)qsort_top,    (void *)handler,
    (void *)sig_victim, (void *)sig_top,  (void *)fault_victim, (void *)fault_top,
    (void *)rec,      (void *)thread_main, (void *)stack_leaf,  (void *)wt_leaf_entry,
    (void *)wt_leaf_mid};
static unsigned char fnrec[F_COUNT * WHENCE_FN_RECORD_SIZE];
static uint64_t modbuf[16384];
#define KEY 0xc0ffeeull

static int setup(void **state) {
    (void)state;
    for (const uint32_t *p = __start_whtest_lines; p + 1 < __stop_whtest_lines; p += 2)
        LINE[p[0]] = (int)p[1];
    for (int l = 0; l < L_COUNT; l++) /* inlinedAt positions have no label */
        if (!LINE[l])
            LINE[l] = 700 + l;
    struct mb *m = mb_new(KEY, __FILE__);
    for (int i = 0; i < F_COUNT; i++)
        mb_subprog(m, FNAMES[i], __FILE__, 1);
    SUB_HELPER = mb_subprog(m, "helper", "helper.h", 4000);
    for (int l = 0; l < L_COUNT; l++) {
        int f = LOCDEF[l][0];
        uint32_t sub = f < 0 ? SUB_HELPER : (uint32_t)f;
        uint32_t line = f < 0 ? HELPER_LINE : (uint32_t)LINE[l];
        assert_int_equal(mb_loc(m, sub, line, 0, LOCDEF[l][1]), l);
    }
    assert_true(mb_size(m) <= sizeof modbuf);
    size_t mlen = mb_emit(m, modbuf);
    free(m);
    /* sizes: up to the next function in the section */
    for (int i = 0; i < F_COUNT; i++) {
        uintptr_t a = (uintptr_t)FPTRS[i], end = (uintptr_t)__stop_whtest_text;
        for (int j = 0; j < F_COUNT; j++)
            if ((uintptr_t)FPTRS[j] > a && (uintptr_t)FPTRS[j] < end)
                end = (uintptr_t)FPTRS[j];
        unsigned char *r = fnrec + (size_t)i * WHENCE_FN_RECORD_SIZE;
        int32_t rel = (int32_t)(a - (uintptr_t)r);
        uint32_t size = (uint32_t)(end - a), sub = (uint32_t)i;
        uint64_t key = KEY;
        memcpy(r, &rel, 4);
        memcpy(r + 4, &size, 4);
        uint64_t keysub = key << WHENCE_FN_SUB_BITS | sub;
        memcpy(r + WHENCE_FN_OFF_KEYSUB, &keysub, 8);
    }
    __whence_register(WHENCE_ABI_VERSION, fnrec, fnrec + sizeof fnrec, __start_whtest_site,
                      __stop_whtest_site, modbuf, (char *)modbuf + mlen, NULL, NULL);
    return 0;
}

static const char *name_of(uintptr_t pc) { return whence_func_name(whence_func_for_pc(pc)); }

/* ---- tests ------------------------------------------------------------------------- */

static void test_callers_and_skip(void **state) {
    (void)state;
    uintptr_t pcs[16];
    int n = top(0, pcs, 16);
    assert_int_equal(n, 3); /* the cmocka driver above top is not instrumented */
    assert_string_equal(name_of(pcs[0]), "leaf");
    assert_string_equal(name_of(pcs[1]), "mid");
    assert_string_equal(name_of(pcs[2]), "top");
    whence_frames it;
    whence_frame f;
    whence_frames_init(&it, pcs, n);
    int want[] = {L_LEAF, L_MID, L_TOP};
    for (int i = 0; i < 3; i++) {
        assert_true(whence_frames_next(&it, &f));
        assert_int_equal(f.line, LINE[want[i]]);
        assert_string_equal(f.file, __FILE__);
        assert_false(f.inlined);
        assert_int_equal(f.entry, (uintptr_t)FPTRS[i == 0 ? F_LEAF : i == 1 ? F_MID : F_TOP]);
    }
    assert_false(whence_frames_next(&it, &f));

    uintptr_t more[16];
    assert_int_equal(top(1, more, 16), 2);
    assert_int_equal(more[0], pcs[1]);
    assert_int_equal(more[1], pcs[2]);
    assert_int_equal(top(2, more, 16), 1);
    assert_int_equal(more[0], pcs[2]);
    assert_int_equal(top(3, more, 16), 0);
    assert_int_equal(top(50, more, 16), 0);
    more[0] = 7;
    more[1] = 8;
    assert_int_equal(top(0, more, 1), 1);
    assert_int_equal(more[0], pcs[0]);
    assert_int_equal(more[1], 8); /* untouched past the count */
    more[0] = 7;
    assert_int_equal(top(0, more, 0), 0);
    assert_int_equal(top(0, more, -3), 0);
    assert_int_equal(top(-1, more, 4), 0);
    assert_int_equal(more[0], 7);
    assert_int_equal(whence_callers(0, NULL, 4), 0);
}

static void test_inline_tokens(void **state) {
    (void)state;
    uintptr_t pcs[16], more[16];
    int n = leaf_inl(0, pcs, 16);
    assert_int_equal(n, 1);
    whence_frames it;
    whence_frame f;
    whence_frames_init(&it, pcs, n);
    assert_true(whence_frames_next(&it, &f));
    assert_string_equal(f.function, "helper");
    assert_string_equal(f.file, "helper.h");
    assert_int_equal(f.line, HELPER_LINE);
    assert_true(f.inlined);
    assert_int_equal(f.entry, (uintptr_t)leaf_inl);
    assert_string_equal(whence_func_name(f.func), "leaf_inl");
    assert_true(whence_frames_next(&it, &f));
    assert_string_equal(f.function, "leaf_inl");
    assert_int_equal(f.line, LINE[L_INL_AT]);
    assert_false(f.inlined);
    assert_false(whence_frames_next(&it, &f));
    /* skip 1 lands inside the chain: a token */
    assert_int_equal(leaf_inl(1, more, 16), 1);
    assert_int_equal(more[0], wh_token_make(pcs[0], 1));
    assert_ptr_equal(whence_func_for_pc(more[0]), whence_func_for_pc(pcs[0]));
    whence_frames_init(&it, more, 1);
    assert_true(whence_frames_next(&it, &f));
    assert_string_equal(f.function, "leaf_inl");
    assert_int_equal(f.pc, wh_token_make(pcs[0] - 1, 1)); /* the call: ra-1 */
    assert_false(whence_frames_next(&it, &f));
    assert_int_equal(leaf_inl(2, more, 16), 0);
}

static void test_caller(void **state) {
    (void)state;
    whence_frame f;
    assert_true(caller_at(0, &f));
    assert_string_equal(f.function, "caller_at");
    assert_int_equal(f.line, LINE[L_CALLER]);
    assert_string_equal(f.file, __FILE__);
    assert_int_equal(f.entry, (uintptr_t)caller_at);
    assert_non_null(f.func);
    assert_false(f.inlined);
    assert_ptr_equal(whence_func_for_pc(f.pc), f.func);
    assert_false(caller_at(1, &f)); /* the cmocka driver: not instrumented */
    assert_null(f.func);
    assert_string_equal(f.function, "?");
    assert_string_equal(f.file, "?");
    assert_int_equal(f.line, 0);
    assert_int_equal(f.entry, 0);
    assert_false(caller_at(-1, &f));
    assert_true(caller_at(0, NULL));
}

/* glibc's qsort between cmp and qsort_top leaves no usable frame pointer:
 * the CFI fallback must find qsort_top above it. */
static void test_qsort_fallback(void **state) {
    (void)state;
    int v[64];
    for (int i = 0; i < 64; i++)
        v[i] = (i * 37) % 64;
    cmp_n = 0;
    qsort_top(v, 64);
    assert_int_equal(cmp_n, 2);
    assert_string_equal(name_of(cmp_pcs[0]), "cmp");
    assert_string_equal(name_of(cmp_pcs[1]), "qsort_top");
    assert_int_equal(whence_func_line(whence_func_for_pc(cmp_pcs[1]), cmp_pcs[1] - 1, NULL),
                     LINE[L_QTOP]);
}

static void install(int sig, bool jump) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    assert_int_equal(sigaction(sig, &sa, NULL), 0);
    sig_jump = jump;
}

/* raise() from instrumented code: the handler's walk crosses __restore_rt,
 * the interrupted pc is inside libc (fallback from the signal frame). */
static void test_signal_async(void **state) {
    (void)state;
    install(SIGUSR1, false);
    sig_n = 0;
    sig_top();
    assert_int_equal(sig_n, 3);
    assert_string_equal(name_of(sig_pcs[0]), "handler");
    assert_string_equal(name_of(sig_pcs[1]), "sig_victim");
    assert_string_equal(name_of(sig_pcs[2]), "sig_top");
    assert_int_equal(whence_func_line(whence_func_for_pc(sig_pcs[1]), sig_pcs[1] - 1, NULL),
                     LINE[L_SIGV]);
    signal(SIGUSR1, SIG_DFL);
}

/* A fault inside instrumented code: the ucontext's RIP/RBP continue the FP
 * walk; the faulting pc is recorded as pc+1 and maps to the faulting line. */
static void test_signal_fault(void **state) {
    (void)state;
    install(SIGSEGV, true);
    sig_n = 0;
    if (!sigsetjmp(sig_jb, 1))
        fault_top(0);
    assert_int_equal(sig_n, 3);
    assert_string_equal(name_of(sig_pcs[0]), "handler");
    assert_string_equal(name_of(sig_pcs[1]), "fault_victim");
    assert_string_equal(name_of(sig_pcs[2]), "fault_top");
    assert_int_equal(whence_func_line(whence_func_for_pc(sig_pcs[1]), sig_pcs[1] - 1, NULL),
                     LINE[L_FAULT]);
    assert_int_equal(whence_func_line(whence_func_for_pc(sig_pcs[2]), sig_pcs[2] - 1, NULL),
                     LINE[L_FTOP]);

    /* a frameless leaf faulting at its entry: return address at [rsp]
     * (x86-64; AArch64: in x30, found through the CFI) */
    sig_n = 0;
    if (!sigsetjmp(sig_jb, 1))
        fault_top(1);
    assert_int_equal(sig_n, 3);
    assert_int_equal(sig_pcs[1], ((uintptr_t)wt_leaf_entry | WH_TOKEN_EXACT));
    assert_string_equal(name_of(sig_pcs[1]), "wt_leaf_entry");
    assert_string_equal(name_of(sig_pcs[2]), "fault_top");
    assert_int_equal(whence_func_line(whence_func_for_pc(sig_pcs[2]), sig_pcs[2] - 1, NULL),
                     LINE[L_FTOP2]);

    /* mid-body: only the CFI knows; the fallback continues from the frame */
    sig_n = 0;
    if (!sigsetjmp(sig_jb, 1))
        fault_top(2);
    assert_int_equal(sig_n, 3);
    assert_int_equal(sig_pcs[1], ((uintptr_t)wt_leaf_mid + WT_NOP_SIZE) | WH_TOKEN_EXACT);
    assert_string_equal(name_of(sig_pcs[2]), "fault_top");
    signal(SIGSEGV, SIG_DFL);
}

/* Results are per thread: 8 threads at different depths, concurrently. */
static void test_threads(void **state) {
    (void)state;
    pthread_t th[8];
    struct tres r[8];
    for (int t = 0; t < 8; t++) {
        r[t] = (struct tres){t * 3, 0};
        pthread_create(&th[t], NULL, thread_main, &r[t]);
    }
    for (int t = 0; t < 8; t++) {
        pthread_join(th[t], NULL);
        assert_int_equal(r[t].bad, 0);
    }
}

static void test_write_stack(void **state) {
    (void)state;
    int p[2];
    assert_int_equal(pipe(p), 0);
    stack_fd = p[1];
    stack_leaf(0);
    stack_leaf(1);
    stack_leaf(2);
    close(p[1]);
    char buf[4096];
    ssize_t n = read(p[0], buf, sizeof buf - 1);
    close(p[0]);
    assert_true(n > 0);
    buf[n] = 0;
    char want[2048];
    uintptr_t ra_off = 0;
    /* the offset is the return address minus the entry: parse and check */
    const char *l3 = strstr(buf, "stack_leaf(...)\n\t");
    assert_non_null(l3);
    snprintf(want, sizeof want, "stack_leaf(...)\n\t%s:%d +0x", __FILE__, LINE[L_STACKL_AT]);
    const char *o = strstr(buf, want);
    assert_non_null(o);
    ra_off = strtoul(o + strlen(want), NULL, 16);
    assert_true(ra_off > 0 && ra_off < 256);
    snprintf(want, sizeof want,
             "helper(...) (inlined)\n\thelper.h:%d\n"
             "stack_leaf(...)\n\t%s:%d +0x%lx\n"
             "stack_leaf(...)\n\t%s:%d +0x%lx\n",
             HELPER_LINE, __FILE__, LINE[L_STACKL_AT], (unsigned long)ra_off, __FILE__,
             LINE[L_STACKL_AT], (unsigned long)ra_off);
    if (strcmp(buf, want))
        fprintf(stderr, "got:\n%s\nwant:\n%s\n", buf, want);
    assert_string_equal(buf, want);
    whence_write_stack(-1, 0); /* bad fd: nothing, no crash */
}

/* ---- guards, on fake frames ------------------------------------------------------- */
struct sinkbuf {
    uintptr_t pcs[32];
    int n;
};
static bool collect(void *ctx, uintptr_t pc, struct wh_pcinfo *pi) {
    (void)pi;
    struct sinkbuf *s = ctx;
    s->pcs[s->n++] = pc;
    return s->n < 32;
}

static struct img *fake;
/* Fake functions, 64 bytes apart, each 32 (x86-64) or 48 (AArch64) bytes:
 *   FA  x86-64: push rbp; mov rsp,rbp; nops; ret at 31
 *       AArch64: stp x29,x30,[sp,#-16]!; mov x29,sp; nops;
 *                ldp x29,x30,[sp],#16 at 20; ret at 24
 *   FB  the same prologue
 *   FC  x86-64: endbr64 first
 *       AArch64: paciasp; sub sp,sp,#32; stp x29,x30,[sp,#16];
 *                add x29,sp,#16; nops; ldp x29,x30,[sp,#16] at 20;
 *                add sp,sp,#32; autiasp; ret at 32
 *   FL  a frameless leaf */
#define FA 0
#define FB 64
#if defined(__x86_64__)
#define FB_SET_UP 10
#else
#define FB_SET_UP 12
#endif
#define FC 128
#define FL 192
#define FZ 256 /* an epilogue that clears registers before its ret */
#define TRAMP 1024
#if defined(__x86_64__)
#define FSIZE 32
#else
#define FSIZE 48
static void put32(unsigned char *t, size_t off, const uint32_t *w, size_t n) {
    memcpy(t + off, w, n * 4);
}
#endif

static void make_fake(void) {
    if (fake)
        return;
    fake = img_new(4096, 8, 0, 8192);
    struct mb *m = mb_new(0xfa4e, "fake.c");
    for (int i = 0; i < 5; i++) {
        char n[8];
        snprintf(n, sizeof n, "fk%d", i);
        mb_subprog(m, n, "fake.c", 1);
    }
    unsigned char *t = fake->text;
#if defined(__x86_64__)
    for (int f = 0; f < 4; f++)
        memset(t + f * 64, 0x90, 32);
    memcpy(t + FA, "\x55\x48\x89\xe5", 4);
    t[FA + 31] = 0xc3;
    memcpy(t + FB, "\x55\x48\x89\xe5", 4);
    memcpy(t + FC, "\xf3\x0f\x1e\xfa\x55\x48\x89\xe5", 8);
    memcpy(t + TRAMP, "\x48\xc7\xc0\x0f\x00\x00\x00\x0f\x05", 9);
    /* FC + 20: pop %rbp; jmp FA (a tail call to another function) */
    int32_t rel = FA - (FC + 26);
    t[FC + 20] = 0x5d;
    t[FC + 21] = 0xe9;
    memcpy(t + FC + 22, &rel, 4);
    /* FB + 20: a byte 0x5d, then a jmp inside the function (not a tail call) */
    memcpy(t + FB + 20, "\x5d\xeb\x02", 3);
    /* FB + 24: pop %rbp; jmp *%rax (a call through a pointer, as a tail call);
     * FB + 27: pop %rbp; jmp *0x10(%r8) (a virtual one) */
    memcpy(t + FB + 24, "\x5d\xff\xe0", 3);
    memcpy(t + FB + 27, "\x5d\x41\xff\x60\x10", 5);
    /* FZ: -fzero-call-used-regs' epilogue: pop %rbp; xor %ecx,%ecx;
     * xorps %xmm0,%xmm0; fldz; fstp %st(0); vzeroupper; ret */
    memset(t + FZ, 0x90, 32);
    memcpy(t + FZ, "\x55\x48\x89\xe5", 4);
    memcpy(t + FZ + 18, "\x5d\x31\xc9\x0f\x57\xc0\xd9\xee\xdd\xd8\xc5\xf8\x77\xc3", 14);
    /* FZ + 8: vreducesd $0xc3, %xmm2, %xmm1, %xmm0 (EVEX, opcode map 0f3a:
     * not a clear, and its immediate no ret) */
    memcpy(t + FZ + 8, "\x62\xf3\xf5\x08\x57\xc2\xc3", 7);
#else
    static const uint32_t nop = 0xd503201f;
    for (int f = 0; f < 4; f++)
        for (int i = 0; i < FSIZE / 4; i++)
            put32(t, (size_t)f * 64 + (size_t)i * 4, &nop, 1);
    static const uint32_t pro[] = {0xa9bf7bfd, 0x910003fd}, epi[] = {0xa8c17bfd, 0xd65f03c0};
    put32(t, FA, pro, 2);
    put32(t, FA + 20, epi, 2);
    put32(t, FB, pro, 2);
    static const uint32_t cpro[] = {0xd503233f, 0xd10083ff, 0xa9017bfd, 0x910043fd},
                          cepi[] = {0xa9417bfd, 0x910083ff, 0xd50323bf, 0xd65f03c0},
                          ret = 0xd65f03c0, tramp[] = {0xd2801168, 0xd4000001};
    put32(t, FC, cpro, 4);
    put32(t, FC + 20, cepi, 4);
    put32(t, FL + 8, &ret, 1);
    put32(t, TRAMP, tramp, 2);
    /* FZ: ldp x29, x30; mov x1, #0; movi v0.2d, #0; mov w0, #0; ret */
    static const uint32_t zepi[] = {0xa8c17bfd, 0xd2800001, 0x6f00e400, 0x52800000, 0xd65f03c0};
    for (int i = 0; i < FSIZE / 4; i++)
        put32(t, FZ + (size_t)i * 4, &nop, 1);
    put32(t, FZ, pro, 2);
    put32(t, FZ + 20, zepi, 5);
#endif
    img_fn(fake, FA, FSIZE, 0xfa4e, 0);
    img_fn(fake, FB, FSIZE, 0xfa4e, 1);
    img_fn(fake, FC, FSIZE, 0xfa4e, 2);
    img_fn(fake, FL, FSIZE, 0xfa4e, 3);
    img_fn(fake, FZ, FSIZE, 0xfa4e, 4);
    /* The trampoline: code of the image (its bytes are read only inside
     * an image's code or a loaded object's segment), named by no function. */
    img_fn(fake, TRAMP, 16, 0xfa4e, WHENCE_FN_FENCE);
    img_mod(fake, m);
    img_register(fake);
    free(m);
}

static void test_walk_guards(void **state) {
    (void)state;
    make_fake();
    static uintptr_t st[4096] __attribute__((aligned(16)));
    uintptr_t A = img_pc(fake, FA + 5), B = img_pc(fake, FB + 5);
    struct sinkbuf s;
#define RESET() (memset(st, 0, sizeof st), memset(&s, 0, sizeof s))
    RESET(); /* a good chain ending in ra 0 */
    st[0] = (uintptr_t)&st[4]; st[1] = A;
    st[4] = (uintptr_t)&st[8]; st[5] = B;
    wh_walk_fp((uintptr_t)st, collect, &s);
    assert_int_equal(s.n, 2);
    assert_int_equal(s.pcs[0], A);
    assert_int_equal(s.pcs[1], B);
    RESET(); /* next fp lower: stop */
    st[0] = (uintptr_t)&st[4]; st[1] = A;
    st[4] = (uintptr_t)&st[2]; st[5] = B; st[3] = A;
    wh_walk_fp((uintptr_t)st, collect, &s);
    assert_int_equal(s.n, 2);
    RESET(); /* next fp equal: stop */
    st[0] = (uintptr_t)&st[0]; st[1] = A;
    wh_walk_fp((uintptr_t)st, collect, &s);
    assert_int_equal(s.n, 1);
    RESET(); /* misaligned */
    st[0] = (uintptr_t)&st[4] + 4; st[1] = A;
    wh_walk_fp((uintptr_t)st, collect, &s);
    assert_int_equal(s.n, 1);
    RESET(); /* stride over 16 MiB */
    st[0] = (uintptr_t)st + (32u << 20); st[1] = A;
    wh_walk_fp((uintptr_t)st, collect, &s);
    assert_int_equal(s.n, 1);
    RESET(); /* ra outside instrumented code (the unwinder cannot match a fake frame) */
    st[0] = (uintptr_t)&st[4]; st[1] = img_pc(fake, 3000);
    wh_walk_fp((uintptr_t)st, collect, &s);
    assert_int_equal(s.n, 0);
    RESET();
    wh_walk_fp(0, collect, &s);
    wh_walk_fp(3, collect, &s);
    assert_int_equal(s.n, 0);

    RESET(); /* a signal frame in the chain: continue from the ucontext */
    st[0] = (uintptr_t)&st[4]; st[1] = A;
    st[5] = img_pc(fake, TRAMP);
    ucontext_t uc;
    memset(&uc, 0, sizeof uc);
#if defined(__x86_64__)
    st[4] = (uintptr_t)&st[8];
    uc.uc_mcontext.gregs[REG_RIP] = (greg_t)img_pc(fake, FB + 10); /* frame set up */
    uc.uc_mcontext.gregs[REG_RSP] = (greg_t)(uintptr_t)&st[2000];
    uc.uc_mcontext.gregs[REG_RBP] = (greg_t)(uintptr_t)&st[2100];
    memcpy(&st[6], &uc, sizeof uc); /* at fp+16 */
#else
    /* The kernel's frame record follows {siginfo, ucontext}: the handler's
     * frame (at st[4]) links to it, and it repeats the ucontext's x29/x30. */
    size_t frame = (sizeof(siginfo_t) + sizeof uc + 15) / 16 * 16, rec = 6 + frame / 8 + 8;
    st[4] = (uintptr_t)&st[rec];
    uc.uc_mcontext.pc = img_pc(fake, FB + 12); /* frame set up */
    uc.uc_mcontext.sp = (uintptr_t)&st[2000];
    uc.uc_mcontext.regs[29] = (uintptr_t)&st[2100];
    uc.uc_mcontext.regs[30] = 0x1234;
    uint32_t magic = 0x46508001;
    memcpy(uc.uc_mcontext.__reserved, &magic, 4);
    st[rec] = uc.uc_mcontext.regs[29];
    st[rec + 1] = uc.uc_mcontext.regs[30];
    memcpy((char *)&st[rec] - frame + sizeof(siginfo_t), &uc, sizeof uc);
#endif
    st[2101] = img_pc(fake, FC + 9);
    wh_walk_fp((uintptr_t)st, collect, &s);
    assert_int_equal(s.n, 3);
    assert_int_equal(s.pcs[0], A);
    assert_int_equal(s.pcs[1], wh_token_pc(s.pcs[1]) | WH_TOKEN_EXACT);
    assert_int_equal(wh_token_pc(s.pcs[1]) - img_pc(fake, FB), FB_SET_UP);
    assert_int_equal(s.pcs[2], img_pc(fake, FC + 9));
}

/* Interrupted contexts at each point of a prologue / epilogue.  slot_words:
 * where the return address is when the frame is not set up, words above
 * the stack pointer (x86-64), or -1 for the link register (AArch64). */
static void ctx_case(size_t rip_off, int slot_words, bool frame_set_up, int want_n) {
    static uintptr_t st[64] __attribute__((aligned(16)));
    struct sinkbuf s;
    memset(st, 0, sizeof st);
    memset(&s, 0, sizeof s);
    uintptr_t ra = img_pc(fake, FB + 7);
    uintptr_t rsp = (uintptr_t)&st[8], rbp = (uintptr_t)&st[32];
    struct wh_regs r = {.pc = img_pc(fake, rip_off), .fp = rbp, .sp = rsp};
    if (frame_set_up) {
        st[33] = ra;           /* [rbp+8] */
    } else {
        if (slot_words < 0)
            r.lr = ra;
        else
            st[8 + slot_words] = ra; /* [rsp] or [rsp+8] */
        st[33] = img_pc(fake, FA + 20); /* the caller's caller, via the caller's rbp */
    }
    wh_walk_context(&r, collect, &s);
    assert_int_equal(s.n, want_n);
    assert_int_equal(s.pcs[0], img_pc(fake, rip_off) | WH_TOKEN_EXACT);
    if (want_n > 1)
        assert_int_equal(s.pcs[1], ra);
    if (want_n > 2)
        assert_int_equal(s.pcs[2], img_pc(fake, FA + 20));
}

static void test_context_states(void **state) {
    (void)state;
    make_fake();
#if defined(__aarch64__)
    ctx_case(FA, -1, false, 3);      /* at the entry: x30 */
    ctx_case(FA + 4, -1, false, 3);  /* after stp x29, x30: x29 not yet set */
    ctx_case(FA + 8, 0, true, 2);    /* frame set up: [x29+8] */
    ctx_case(FA + 20, 0, true, 2);   /* on the ldp x29, x30: still set up */
    ctx_case(FA + 24, -1, false, 3); /* on the ret: x29, x30 restored */
    ctx_case(FC, -1, false, 3);      /* paciasp */
    ctx_case(FC + 4, -1, false, 3);  /* sub sp */
    ctx_case(FC + 8, -1, false, 3);  /* stp x29, x30 */
    ctx_case(FC + 12, -1, false, 3); /* on add x29, sp, #16 */
    ctx_case(FC + 16, 0, true, 2);   /* set up */
    ctx_case(FC + 20, 0, true, 2);   /* on the ldp */
    ctx_case(FC + 24, -1, false, 3); /* add sp after the ldp */
    ctx_case(FC + 28, -1, false, 3); /* autiasp */
    ctx_case(FC + 32, -1, false, 3); /* ret */
    ctx_case(FC + 36, 0, true, 2);   /* after the ret (other code): set up */
    ctx_case(FL + 4, 0, false, 1);   /* frameless leaf: needs CFI, which fake code has not */
    ctx_case(FZ + 20, 0, true, 2);   /* on the ldp */
    ctx_case(FZ + 24, -1, false, 3); /* clearing registers after it: restored */
    ctx_case(FZ + 28, -1, false, 3);
    ctx_case(FZ + 32, -1, false, 3);
    ctx_case(FZ + 36, -1, false, 3); /* the ret */
#else
    ctx_case(FA, 0, false, 3);      /* at the entry: [rsp] */
    ctx_case(FA + 1, 1, false, 3);  /* after push %rbp: [rsp+8] */
    ctx_case(FA + 31, 0, false, 3); /* on the ret: [rsp] */
    ctx_case(FA + 8, 0, true, 2);   /* frame set up: [rbp+8] */
    ctx_case(FC + 2, 0, false, 3);  /* inside endbr64 */
    ctx_case(FC + 4, 0, false, 3);  /* after endbr64 */
    ctx_case(FC + 5, 1, false, 3);  /* after endbr64; push */
    ctx_case(FC + 12, 0, true, 2);
    ctx_case(FC + 21, 0, false, 3); /* on a tail call's jmp after pop %rbp: [rsp] */
    ctx_case(FB + 21, 0, true, 2);  /* a jmp within the function: the frame is set up */
    ctx_case(FB + 25, 0, false, 3); /* on jmp *%rax after pop %rbp: [rsp] */
    ctx_case(FB + 28, 0, false, 3); /* on jmp *0x10(%r8) after pop %rbp: [rsp] */
    ctx_case(FL + 3, 0, false, 1);  /* frameless leaf: needs CFI, which fake code has not */
    ctx_case(FZ + 8, 0, true, 2);   /* on vreducesd $0xc3: the frame is set up */
    ctx_case(FZ + 18, 0, true, 2);  /* on the pop %rbp */
    ctx_case(FZ + 19, 0, false, 3); /* clearing registers after it: [rsp] */
    ctx_case(FZ + 21, 0, false, 3);
    ctx_case(FZ + 24, 0, false, 3);
    ctx_case(FZ + 26, 0, false, 3);
    ctx_case(FZ + 28, 0, false, 3); /* vzeroupper */
    ctx_case(FZ + 31, 0, false, 3); /* the ret */
#endif
    /* a pc outside instrumented code: nothing */
    struct sinkbuf s = {0};
    struct wh_regs r = {.pc = img_pc(fake, 3000)};
    wh_walk_context(&r, collect, &s);
    assert_int_equal(s.n, 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_callers_and_skip), cmocka_unit_test(test_inline_tokens),
        cmocka_unit_test(test_caller),           cmocka_unit_test(test_qsort_fallback),
        cmocka_unit_test(test_signal_async),     cmocka_unit_test(test_signal_fault),
        cmocka_unit_test(test_threads),          cmocka_unit_test(test_write_stack),
        cmocka_unit_test(test_walk_guards),      cmocka_unit_test(test_context_states),
    };
    return cmocka_run_group_tests_name("capture", tests, setup, NULL);
}
