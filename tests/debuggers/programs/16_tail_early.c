// DBG-OPT: O0 O2
// Tail calls after an early return, the shape release builds are full of:
// at -O2 `return leaf(x + 1)` after `if (...) return 0;` is a jump, so the
// caller's frame is gone from bt (LLDB rebuilds it as an artificial frame,
// gdb 13 does not) and `finish` from the callee returns past it.  The
// plugin keeps these jumps (frame slots need nothing at returns), so the
// debugger sees the same frames as without it.  Also `f(); return 0;` and
// `f(); return x;`, whose calls stay calls.
#include <stdio.h>

#define NOINLINE __attribute__((noinline))

static volatile int sink;

NOINLINE int leaf(int x) {
  sink = x;                             // CHECK: break=leaf CHECK@1: x=2 CHECK-O0@1: bt=leaf:16,early:28,main:57; finish->early:28 CHECK-O2-lldb@1: bt=leaf:16,early^:28,main:57 CHECK-O2-gdb@1: bt=leaf:16,main:57 CHECK-O2@1: finish->main:57 CHECK@2: x=4 CHECK-O0@2: bt=leaf:16,early_two:36,main:58; finish->early_two:36 CHECK-O2-lldb@2: bt=leaf:16,early_two^:36,main:58 CHECK-O2-gdb@2: bt=leaf:16,main:58 CHECK-O2@2: finish->main:58 CHECK@3: x=6; bt=leaf:16,call_then_zero:40,main:60; finish->call_then_zero:41 CHECK@4: x=3 CHECK-O0@4: bt=leaf:16,early:28,chain:52,main:62; finish->early:28 CHECK-O2-lldb@4: bt=leaf:16,early^:28,chain^:52,main:62 CHECK-O2-gdb@4: bt=leaf:16,main:62 CHECK-O2@4: finish->main:63
  return x * 3 + 1;
}

NOINLINE int other(int x) {
  sink = -x;                            // CHECK-O0: locate=other
  return x - 1;                         // CHECK-O2: locate=other
}

NOINLINE int early(int x) {
  if (x == 0)                           // CHECK: break=early; next->28 CHECK@1: x=1; bt=early:26,main:57 CHECK@2: x=2 CHECK-O0@2: bt=early:26,chain:52,main:62 CHECK-O2-lldb@2: bt=early:26,chain^:52,main:62 CHECK-O2-gdb@2: bt=early:26,main:62
    return 0;
  return leaf(x + 1);                   // CHECK-O0@1: step->leaf:16 CHECK-O0@2: retval=7 CHECK-O0@3: step->leaf:16 CHECK-O0@4: retval=10 CHECK-O2: step->leaf:16
}

NOINLINE int early_two(int x) {
  if (x < 0)                            // CHECK: x=2; bt=early_two:32,main:58; next->34
    return other(-x);                   // CHECK: break; x=-1; bt=early_two:33,main:59
  if (x > 100)                         // CHECK: next->36
    return 7;
  return leaf(x * 2);                   // CHECK@1: x=2; step->leaf:16 CHECK-O0@2: retval=13
}

NOINLINE int call_then_zero(int x) {
  leaf(x + 5);                          // CHECK: break=call_then_zero; x=1; bt=call_then_zero:40,main:60; next->leaf:16
  return 0;                             // CHECK: retval=19; bt=call_then_zero:41,main:60 CHECK-O0: finish->main:60 CHECK-O2: next->main:61
}

NOINLINE int call_then_x(int x) {
  other(x);                             // CHECK: break=call_then_x; x=3; next->46
  return x;                             // CHECK: x=3; bt=call_then_x:46,main:61 CHECK-O0: finish->main:61 CHECK-O2: finish->main:62
}

NOINLINE int chain(int x) {
  if (x > 1000)                         // CHECK: break=chain; x=1; next->52
    return -1;
  return early(x + 1);                  // CHECK: step->early:26
}

int main(int argc, char **argv) {
  (void)argv;
  int a = early(argc);
  int b = early_two(argc + 1);          // CHECK: break CHECK@1: step->early_two:32 CHECK-O2@2: retval=13
  int c = early_two(-argc);
  int d = call_then_zero(argc);
  int e = call_then_x(argc + 2);
  int f = chain(argc);
  printf("%d %d %d %d %d %d\n", a, b, c, d, e, f); // CHECK: break
  return 0;                             // CHECK: break; continue->exit=0
}
