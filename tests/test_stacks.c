/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * test_stacks.c - the printing half of the runtime on a synthetic image:
 * whence_format_stack into buffers of every exact size (heap blocks of
 * exactly len bytes, so the sanitizer build catches a write past len), and
 * the depth limit's two ends on a 300-entry stack (every entry names its
 * own offset, so which frames were kept can be read back), past the
 * 100-frame cap of the outer end too.
 */
#include "test_synth.h"

#define NENT 300
static struct img *g;
static uintptr_t ent[NENT];

static int setup(void **state) {
    (void)state;
    struct mb *m = mb_new(0x57ac, "stacks.c");
    mb_subprog(m, "alpha", "stacks.c", 10);
    mb_subprog(m, "beta", "stacks.c", 20);
    mb_subprog(m, "gamma", "stacks.c", 30);
    g = img_new(3 * 1024, 3, 3, 1 << 16);
    for (uint32_t i = 0; i < 3; i++) {
        img_fn(g, i * 1024, 1024, 0x57ac, i);
        /* a call at each function's entry, on its first line + 1 */
        img_site(g, i * 1024, mb_loc(m, i, 11 + 10 * i, 0, -1));
    }
    img_mod(g, m);
    free(m);
    img_register(g);
    /* Return addresses: entry i is in function i % 3 at offset i + 1. */
    for (int i = 0; i < NENT; i++)
        ent[i] = img_pc(g, (size_t)(i % 3) * 1024 + (size_t)i + 1);
    return 0;
}

static void test_format_every_length(void **state) {
    (void)state;
    size_t total = whence_format_stack(NULL, 0, ent, 5);
    char *full = malloc(total + 1);
    assert_int_equal(whence_format_stack(full, total + 1, ent, 5), total);
    assert_int_equal(strlen(full), total);
    assert_string_equal(full, "alpha(...)\n\tstacks.c:11 +0x1\n"
                              "beta(...)\n\tstacks.c:21 +0x2\n"
                              "gamma(...)\n\tstacks.c:31 +0x3\n"
                              "alpha(...)\n\tstacks.c:11 +0x4\n"
                              "beta(...)\n\tstacks.c:21 +0x5\n");
    for (size_t len = 0; len <= total + 1; len++) {
        char *b = malloc(len ? len : 1); /* exactly len bytes */
        if (len)
            memset(b, 'X', len);
        assert_int_equal(whence_format_stack(len ? b : NULL, len, ent, 5), total);
        if (len) {
            assert_memory_equal(b, full, len - 1 < total ? len - 1 : total);
            assert_int_equal(b[len - 1 < total ? len - 1 : total], 0);
        }
        free(b);
    }
    /* A long text crosses the 512-byte staging buffer many times. */
    size_t big = whence_format_stack(NULL, 0, ent, NENT);
    char *bb = malloc(big + 1);
    assert_int_equal(whence_format_stack(bb, big + 1, ent, NENT), big);
    assert_int_equal(strlen(bb), big);
    assert_int_equal(count_str(bb, "(...)\n\tstacks.c:"), NENT);
    for (size_t len = big - 600; len <= big + 1; len += 37) {
        char *b = malloc(len);
        assert_int_equal(whence_format_stack(b, len, ent, NENT), big);
        assert_memory_equal(b, bb, len - 1 < big ? len - 1 : big);
        free(b);
    }
    free(bb);
    free(full);
}

/* The entries whose frames a printed text shows, in order, and the
 * elided count (-1 if no elision line). */
static int frames_of(const char *text, int *idx, long *elided, int *at) {
    int n = 0;
    *elided = -1;
    *at = -1;
    for (const char *p = text; *p;) {
        const char *nl = strchr(p, '\n');
        long v;
        unsigned off;
        if (sscanf(p, "...%ld more frames elided...", &v) == 1) {
            *elided = v;
            *at = n;
        } else if (p[0] == '\t' && sscanf(strstr(p, "+0x"), "+0x%x", &off) == 1) {
            idx[n++] = (int)off - 1;
        }
        p = nl ? nl + 1 : p + strlen(p);
    }
    return n;
}

static void test_depth_two_ends(void **state) {
    (void)state;
    static const int limits[] = {0, 1, 2, 3, 10, 199, 200, 201, 250, 299, 300, 301, 1000};
    static char text[1 << 16];
    for (size_t li = 0; li < sizeof limits / sizeof limits[0]; li++) {
        int lim = limits[li];
        whence_set_stack_depth(lim);
        size_t len = whence_format_stack(text, sizeof text, ent, NENT);
        assert_true(len < sizeof text);
        int idx[NENT + 1], at;
        long elided;
        int n = frames_of(text, idx, &elided, &at);
        if (lim == 0 || lim >= NENT) {
            assert_int_equal(n, NENT);
            assert_int_equal(elided, -1);
            for (int i = 0; i < n; i++)
                assert_int_equal(idx[i], i);
            continue;
        }
        int outer = lim / 2 < 100 ? lim / 2 : 100, inner = lim - outer;
        assert_int_equal(n, lim);
        assert_int_equal(elided, NENT - lim);
        assert_int_equal(at, inner);
        for (int i = 0; i < inner; i++)
            assert_int_equal(idx[i], i);
        for (int i = 0; i < outer; i++)
            assert_int_equal(idx[inner + i], NENT - outer + i);
    }
    assert_int_equal(whence_set_stack_depth(0), 1000);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format_every_length),
        cmocka_unit_test(test_depth_two_ends),
    };
    return cmocka_run_group_tests_name("stacks", tests, setup, NULL);
}
