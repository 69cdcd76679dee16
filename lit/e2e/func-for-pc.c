// FuncForPC / Func.FileLine: a function pointer gives the function (name,
// entry == the pointer, FileLine(entry) == its first line); a return address
// inside it gives the same function and FileLine(ret-1) == the line of that
// call; whence_callers entries likewise.  NULL for 0, data, stack and heap
// addresses; NULL (or the documented dynamic-symbol fallback with line 0) for
// libc and for libwhence's own code.  The NULL accessors behave as documented.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O0 -gline-tables-only %whence_cflags -I%inputs %s %whence_libs -o %t.O0 && %run %t.O0 | FileCheck %s
// RUN: %clang -O2 -gline-tables-only %whence_cflags -I%inputs %s %whence_libs -o %t.O2 && %run %t.O2 | FileCheck %s
// RUN: %clang -O2 -gline-tables-only -fno-pie -no-pie %whence_cflags -I%inputs %s %whence_libs -o %t.np && %run %t.np | FileCheck %s
// RUN: %clang -O0 -gline-tables-only %whence_cflags -I%inputs %s %whence_static -lpthread -ldl -o %t.st && %run %t.st | FileCheck %s
// RUN: %if aarch64-linux %{ %clang -O2 -gline-tables-only -mbranch-protection=standard -fno-pie -no-pie %whence_cflags -I%inputs %s %whence_libs -o %t.pac && %run %t.pac | FileCheck %s %}
#include "whence_e2e.h"

#include <stdlib.h>

static volatile int sink;
static int global_data = 42;
static uintptr_t ret_inside, callers_entry;

NOINLINE static uintptr_t grab(void) {
    return (uintptr_t)__builtin_return_address(0);
}

NOINLINE int target(int x) {
    // CHECK: target: name=target entry_ok=1 first_line=[[@LINE-1]] file=func-for-pc.c
    ret_inside = grab();
    // CHECK-NEXT: ret: name=target entry_ok=1 line=[[@LINE-1]] file=func-for-pc.c
    uintptr_t pc;
    whence_callers(0, &pc, 1); callers_entry = pc;
    // CHECK-NEXT: callers: name=target entry_ok=1 line=[[@LINE-1]]
    sink = x;
    return x * 3;
}

// A static function and main, for good measure.
NOINLINE static int helper_static(int x) { return x + 1; }
// CHECK-NEXT: helper_static: name=helper_static entry_ok=1 first_line=[[@LINE-1]]

static void show_fn(const char *tag, uintptr_t pc, uintptr_t want_entry, int lookup_pc_adj, int first) {
    const whence_func *f = whence_func_for_pc(pc);
    const char *file = NULL;
    int line = whence_func_line(f, pc + lookup_pc_adj, &file);
    printf("%s: name=%s entry_ok=%d %s=%d file=%s\n", tag, whence_func_name(f),
           whence_func_entry(f) == want_entry, first ? "first_line" : "line", line, e2e_base(file));
}

static int is_ours(const char *name) {
    static const char *const ours[] = {"grab", "target", "helper_static", "show_fn", "is_ours",
                                       "outside", "main", "e2e_base", "e2e_print",
                                       "e2e_is_unknown", "e2e_dump"};
    for (unsigned i = 0; i < sizeof ours / sizeof ours[0]; i++)
        if (strcmp(name, ours[i]) == 0)
            return 1;
    return 0;
}

// For code that is not instrumented: NULL, or the documented fallback through
// the dynamic symbol table (a name that is not one of ours, line 0).
static void outside(const char *tag, uintptr_t pc) {
    const whence_func *f = whence_func_for_pc(pc);
    if (!f) {
        printf("%s: null\n", tag);
        return;
    }
    const char *file = NULL;
    int line = whence_func_line(f, pc, &file);
    printf("%s: fallback %s\n", tag,
           line == 0 && !is_ours(whence_func_name(f)) && whence_func_entry(f) <= pc ? "ok" : "BAD");
}

int main(void) {
    sink = target(5) + helper_static(1);
    uintptr_t t = (uintptr_t)&target;
    show_fn("target", t, t, 0, 1);
    show_fn("ret", ret_inside, t, -1, 0);
    show_fn("callers", callers_entry, t, -1, 0);
    show_fn("helper_static", (uintptr_t)&helper_static, (uintptr_t)&helper_static, 0, 1);
    // The same function object for every pc inside target.
    printf("same=%d\n", whence_func_for_pc(t) == whence_func_for_pc(ret_inside) &&
                            whence_func_for_pc(t) == whence_func_for_pc(callers_entry));
    // CHECK-NEXT: same=1
    // FileLine with file == NULL is allowed.
    printf("null-file-ok=%d\n", whence_func_line(whence_func_for_pc(t), t, NULL) > 0);
    // CHECK-NEXT: null-file-ok=1

    // The NULL accessors.
    const char *file = "unset";
    printf("nil: for_pc(0)=%p name='%s' entry=%lu line=%d file=%s\n",
           (void *)whence_func_for_pc(0), whence_func_name(NULL),
           (unsigned long)whence_func_entry(NULL), whence_func_line(NULL, t, &file), file);
    // CHECK-NEXT: nil: for_pc(0)=(nil) name='' entry=0 line=0 file=?

    // Addresses that are not code at all.
    int on_stack = 0;
    void *heap = malloc(64);
    printf("data=%p stack=%p heap=%p minus1=%p one=%p\n",
           (void *)whence_func_for_pc((uintptr_t)&global_data),
           (void *)whence_func_for_pc((uintptr_t)&on_stack),
           (void *)whence_func_for_pc((uintptr_t)heap), (void *)whence_func_for_pc(UINTPTR_MAX),
           (void *)whence_func_for_pc(1));
    // CHECK-NEXT: data=(nil) stack=(nil) heap=(nil) minus1=(nil) one=(nil)
    free(heap);

    // Code that is not instrumented.
    outside("printf", (uintptr_t)&printf);
    // CHECK-NEXT: printf: {{null|fallback ok}}
    outside("qsort+5", (uintptr_t)&qsort + 5);
    // CHECK-NEXT: qsort+5: {{null|fallback ok}}
    outside("whence_caller", (uintptr_t)&whence_caller);
    // CHECK-NEXT: whence_caller: {{null|fallback ok}}
    outside("whence_func_for_pc", (uintptr_t)&whence_func_for_pc);
    // CHECK-NEXT: whence_func_for_pc: {{null|fallback ok}}
    return 0;
}
