/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * test_insn.c - the x86-64 length decoder (runtime/arch/x86_64_insn.h)
 * that tells whence_func_line which instruction holds a pc: lengths and
 * "is a near call" of the encodings compilers emit (prefixes, REX, VEX,
 * EVEX, the 0f 38 and 0f 3a maps, ModRM with SIB and every displacement,
 * every immediate size) as objdump decodes them, the quick path equal to
 * the full one wherever it answers, and a cut instruction never given a
 * length.  (Checked on whole libraries against objdump when it was
 * written: docs/DESIGN.md.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "arch/x86_64_insn.h"

struct insn {
    const char *hex;
    unsigned len; /* 0: not decoded here */
    bool call;
};

static const struct insn cases[] = {
    {"55", 1, false},                                 /* push %rbp */
    {"4889e5", 3, false},                             /* mov %rsp,%rbp */
    {"89fb", 2, false},                               /* mov %edi,%ebx */
    {"bf05000000", 5, false},                         /* mov $5,%edi */
    {"48b80102030405060708", 10, false},              /* movabs $imm64,%rax */
    {"66b80100", 4, false},                           /* mov $1,%ax */
    {"e801020304", 5, true},                          /* call rel32 */
    {"ffd0", 2, true},                                /* call *%rax */
    {"41ffd3", 3, true},                              /* call *%r11 */
    {"ff55d0", 3, true},                              /* call *-0x30(%rbp) */
    {"ff1425e8030000", 7, true},                      /* call *0x3e8 (SIB, no base) */
    {"ff15ca2f0000", 6, true},                        /* call *disp32(%rip) */
    {"3effd0", 3, true},                              /* notrack call *%rax */
    {"3ee800000000", 6, true},                        /* ds call rel32 */
    {"ff25ca2f0000", 6, false},                       /* jmp *disp32(%rip) */
    {"ff5010", 3, true},                              /* call *0x10(%rax) */
    {"488d3d00000000", 7, false},                     /* lea disp32(%rip),%rdi */
    {"488b442408", 5, false},                         /* mov 8(%rsp),%rax */
    {"488b8424c8000000", 8, false},                   /* mov 0xc8(%rsp),%rax */
    {"4883c408", 4, false},                           /* add $8,%rsp */
    {"4881ec00010000", 7, false},                     /* sub $0x100,%rsp */
    {"c70424ffffffff", 7, false},                     /* movl $-1,(%rsp) */
    {"66c7042401ff", 6, false},                       /* movw $0xff01,(%rsp) */
    {"f6c101", 3, false},                             /* test $1,%cl */
    {"f7c100010000", 6, false},                       /* test $0x100,%ecx */
    {"f7d8", 2, false},                               /* neg %eax */
    {"a10807060504030201", 9, false},                 /* movabs 0x...,%eax */
    {"7405", 2, false},                               /* je rel8 */
    {"0f8401020304", 6, false},                       /* je rel32 */
    {"0f1f4000", 4, false},                           /* nopl 0(%rax) */
    {"662e0f1f840000000000", 10, false},              /* nopw %cs:0(%rax,%rax,1) */
    {"f30f1efa", 4, false},                           /* endbr64 */
    {"f20f1005f80f0000", 8, false},                   /* movsd disp32(%rip),%xmm0 */
    {"660fd6442408", 6, false},                       /* movq %xmm0,8(%rsp) */
    {"660f3a0fc108", 6, false},                       /* palignr $8,%xmm1,%xmm0 */
    {"660f3800c1", 5, false},                         /* pshufb %xmm1,%xmm0 */
    {"c5f877", 3, false},                             /* vzeroupper */
    {"c5fd6f0424", 5, false},                         /* vmovdqa (%rsp),%ymm0 */
    {"c4e27d5805ff000000", 9, false},                 /* vpbroadcastd disp32(%rip),%ymm0 */
    {"c4e3fd00c01b", 6, false},                       /* vpermq $0x1b,%ymm0,%ymm0 */
    {"62f17c486f0424", 7, false},                     /* vmovdqu64 (%rsp),%zmm0 (EVEX) */
    {"62f1fd48fe4c2401", 8, false},                   /* vpaddq 0x40(%rsp),%zmm0,%zmm1 (disp8*N) */
    {"c8100000", 4, false},                           /* enter $0x10,$0 */
    {"c21000", 3, false},                             /* ret $0x10 */
    {"c3", 1, false},                                 /* ret */
    {"f0480fb10a", 5, false},                         /* lock cmpxchg %rcx,(%rdx) */
    {"0fa2", 2, false},                               /* cpuid */
    {"0fc8", 2, false},                               /* bswap %eax */
    {"0fbae103", 4, false},                           /* bt $3,%ecx */
    {"8f0424", 3, false},                             /* pop (%rsp) */
    {"66664b35578890f6", 8, false},                   /* xor $imm32,%rax: REX.W over 66 */
    {"486689c0", 0, false},                           /* (a prefix after REX: not decoded) */
    {"8fe978c7db", 0, false},                         /* XOP: not decoded */
    {"0f0f", 0, false},                               /* 3DNow!: not decoded */
    {"06", 0, false},                                 /* push %es: not in 64-bit mode */
    {"62", 0, false},                                 /* cut EVEX */
};

static size_t unhex(const char *h, unsigned char *out) {
    size_t n = strlen(h) / 2;
    for (size_t i = 0; i < n; i++) {
        unsigned v = 0;
        for (int k = 0; k < 2; k++) {
            char c = h[2 * i + k];
            v = v * 16 + (unsigned)(c <= '9' ? c - '0' : c - 'a' + 10);
        }
        out[i] = (unsigned char)v;
    }
    return n;
}

static void test_lengths(void **state) {
    (void)state;
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        unsigned char b[64];
        memset(b, 0x90, sizeof b); /* (bytes after it: nops) */
        size_t n = unhex(cases[k].hex, b);
        bool call = false;
        unsigned len = wh_x86_insn_len(b, sizeof b, &call);
        if (len != cases[k].len || (len && call != cases[k].call))
            fail_msg("%s: length %u call %d, want %u %d", cases[k].hex, len, call, cases[k].len,
                     cases[k].call);
        /* the quick path: the same, or no answer */
        bool qcall = false;
        unsigned q = wh_x86_insn_len_quick(b, &qcall);
        if (q && (q != len || qcall != call))
            fail_msg("%s: quick length %u call %d, full %u %d", cases[k].hex, q, qcall, len, call);
        /* cut anywhere before its end: no length (never one that reads past n) */
        for (size_t cut = 0; len && cut < n; cut++) {
            unsigned short_len = wh_x86_insn_len(b, cut, &call);
            if (short_len)
                fail_msg("%s cut to %zu bytes: length %u", cases[k].hex, cut, short_len);
        }
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lengths),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
