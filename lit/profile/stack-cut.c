// A sample whose walk ended before the stack did ends with a frame that
// says why, as a printed stack's last line does.  A JIT's code (PCRE2's,
// for GLib's regexes) gave one-frame samples, "<unknown>", read as whole
// stacks; glibc 2.36's __mpn_submul_1, whose unwind tables keep the return
// address at the CFA of its entry after it pushed %rbx and %rbp, gave a
// caller at address 0x5 (the saved %rbp) and nothing below (helper-139).
// A return address in the first page is no code: the walk ends there.
// REQUIRES: x86_64-linux, go
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t
// RUN: env WHENCE_CPUPROFILE=%t.jit.pb.gz %t jit
// RUN: %pprof -traces -symbolize=none %t.jit.pb.gz | FileCheck %s --check-prefix=JIT
// RUN: env WHENCE_CPUPROFILE=%t.cfi.pb.gz %t cfi
// RUN: %pprof -traces -symbolize=none %t.cfi.pb.gz | FileCheck %s --check-prefix=CFI
// RUN: %pprof -raw %t.cfi.pb.gz | FileCheck %s --check-prefix=RAW
// JIT: {{^ +[0-9.]+m?s +<unknown>$}}
// JIT-NEXT: {{^ +}}[stack cut: code outside every loaded object (a JIT's)]
// CFI-DAG: {{^ +[0-9.]+m?s +}}wrong_cfi{{$}}
// CFI-DAG: {{^ +[0-9.]+m?s +}}wrong_cfi_fp{{$}}
// CFI-NOT: <unknown>
// CFI: [stack cut: unwind tables that led to no code]
// RAW-NOT: {{^ +[0-9]+: 0x[1-9a-f] }}
#include <string.h>
#include <sys/mman.h>

/* wrong_cfi(n): loops n times after pushing %rbx and a 5, its unwind
 * tables saying the return address is at the CFA of its entry throughout
 * (glibc's __mpn_submul_1, whose %rbp held a count).  wrong_cfi_fp: the
 * same after pushing %rbp, a stack address. */
__asm__(".text\n"
        ".globl wrong_cfi\n"
        ".type wrong_cfi,@function\n"
        "wrong_cfi:\n"
        ".cfi_startproc\n"
        "pushq %rbx\n"
        "pushq $5\n"
        "1: decq %rdi\n"
        "jnz 1b\n"
        "addq $8,%rsp\n"
        "popq %rbx\n"
        "ret\n"
        ".cfi_endproc\n"
        ".size wrong_cfi,.-wrong_cfi\n"
        ".globl wrong_cfi_fp\n"
        ".type wrong_cfi_fp,@function\n"
        "wrong_cfi_fp:\n"
        ".cfi_startproc\n"
        "pushq %rbp\n"
        "movq %rsp,%rbp\n"
        "1: decq %rdi\n"
        "jnz 1b\n"
        "popq %rbp\n"
        "ret\n"
        ".cfi_endproc\n"
        ".size wrong_cfi_fp,.-wrong_cfi_fp\n");

void wrong_cfi(long n);
void wrong_cfi_fp(long n);

typedef void (*fn)(long);

__attribute__((noinline)) static void run(fn f) {
    f(1000000000L);
    __asm__ volatile("");
}

int main(int argc, char **argv) {
    if (argc > 1 && !strcmp(argv[1], "cfi")) {
        run(wrong_cfi);
        run(wrong_cfi_fp);
        return 0;
    }
    /* mov %rdi,%rcx; 1: dec %rcx; jnz 1b; ret */
    static const unsigned char code[] = {0x48, 0x89, 0xf9, 0x48, 0xff, 0xc9, 0x75, 0xfb, 0xc3};
    void *p = mmap(0, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS,
                   -1, 0);
    if (p == MAP_FAILED)
        return 2;
    memcpy(p, code, sizeof code);
    run((fn)p);
    return 0;
}
