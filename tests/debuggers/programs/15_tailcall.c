// DBG-OPT: O0 O1
// Calls in tail position and optimized code: at -O1 clang turns `return
// g(x)` into a jump, so the caller's frame is gone from bt.  The plugin
// disables tail calls (whence needs every frame) and keeps frame pointers:
// at -O1 this is where a difference to the plain build would show.
#include <stdio.h>

__attribute__((noinline)) int leaf(int x) {
  volatile int y = x * 3;               // CHECK: break=leaf CHECK-O0: vars=x,y; x=5; bt=leaf:9,middle:14,top:18,main:30; finish->middle:14 CHECK-O1: finish CHECK-O1-lldb: bt=leaf:9,middle^:14,top:18,main:30 CHECK-O1-gdb: bt=leaf:9,top:18,main:30
  return y + 1;
}

__attribute__((noinline)) int middle(int x) {
  return leaf(x + 1);                   // CHECK-O0: retval=16; finish->top:18
}

__attribute__((noinline)) int top(int x) {
  int r = middle(x * 2);                // CHECK-O0: retval=16; next->19
  return r - 1;                         // CHECK-O0: r=16
}

__attribute__((noinline)) int sum_to(int n, int acc) {
  if (n == 0)                           // CHECK: break=sum_to CHECK-O0@1: n=4; acc=0 CHECK-O0@5: n=0; acc=10; bt=sum_to:23,sum_to:25,sum_to:25,sum_to:25,sum_to:25,main:31
    return acc;
  return sum_to(n - 1, acc + n);
}

int main(int argc, char **argv) {
  (void)argv;
  int a = top(argc + 1);
  int s = sum_to(argc + 3, 0);
  printf("%d %d\n", a, s);              // CHECK: break CHECK-O0: a=15; s=10
  return 0;
}
