// DBG-OPT: O0 O1
// Recursion: a breakpoint hit at every depth, bt grows one frame per level,
// finish unwinds one level at a time, mutual recursion.
#include <stdio.h>

static int fact(int n) {
  if (n <= 1)                          // CHECK-O0: break=fact; vars=n
                                       // CHECK-O0@1: n=4; bt=fact:7,main:33
                                       // CHECK-O0@2: n=3; bt=fact:7,fact:12,main:33
                                       // CHECK-O0@4: n=1; bt=fact:7,fact:12,fact:12,fact:12,main:33; next->11
    return 1;                          // CHECK-O0: n=1; finish->fact:12
  return n * fact(n - 1);              // CHECK-O0@1: retval=1; n=2; bt=fact:12,fact:12,fact:12,main:33; finish->fact:12
                                       // CHECK-O0@2: retval=2; n=3; finish->fact:12
                                       // CHECK-O0@3: retval=6; n=4; bt=fact:12,main:33; finish->main:33
}

static int is_odd(unsigned n);

static int is_even(unsigned n) {
  return n == 0 ? 1 : is_odd(n - 1);   // CHECK-O0: vars=n
                                       // CHECK-O0@1: n=4; bt=is_even:20,main:34
                                       // CHECK-O0@3: n=0; bt=is_even:20,is_odd:27,is_even:20,is_odd:27,is_even:20,main:34
                                       // CHECK-O0@3: continue->main:35
}

static int is_odd(unsigned n) {
  return n == 0 ? 0 : is_even(n - 1);  // CHECK-O0: break=is_odd
                                       // CHECK-O0@1: n=3; bt=is_odd:27,is_even:20,main:34; step->is_even:20
                                       // CHECK-O0@2: n=1; step->is_even:20
}

int main(void) {
  int f = fact(4);                     // CHECK-O0@1: retval=24; vars=f,e; next->34
  int e = is_even(4);                  // CHECK-O0@1: f=24; step->is_even:20
  printf("%d %d\n", f, e);             // CHECK-O0: break; e=1; f=24 CHECK-O1: break; bt=main:35; f=24; e=1
  return 0;
}
