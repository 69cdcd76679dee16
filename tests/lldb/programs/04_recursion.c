// Recursion: a breakpoint hit at every depth, bt grows one frame per level,
// finish unwinds one level at a time, mutual recursion.
#include <stdio.h>

static int fact(int n) {
  if (n <= 1)                          // CHECK: break=fact; vars=n
                                       // CHECK@1: n=4; bt=fact:6,main:32
                                       // CHECK@2: n=3; bt=fact:6,fact:11,main:32
                                       // CHECK@4: n=1; bt=fact:6,fact:11,fact:11,fact:11,main:32; next->10
    return 1;                          // CHECK: n=1; finish->fact:11
  return n * fact(n - 1);              // CHECK@1: retval=1; n=2; bt=fact:11,fact:11,fact:11,main:32; finish->fact:11
                                       // CHECK@2: retval=2; n=3; finish->fact:11
                                       // CHECK@3: retval=6; n=4; bt=fact:11,main:32; finish->main:32
}

static int is_odd(unsigned n);

static int is_even(unsigned n) {
  return n == 0 ? 1 : is_odd(n - 1);   // CHECK: vars=n
                                       // CHECK@1: n=4; bt=is_even:19,main:33
                                       // CHECK@3: n=0; bt=is_even:19,is_odd:26,is_even:19,is_odd:26,is_even:19,main:33
                                       // CHECK@3: continue->main:34
}

static int is_odd(unsigned n) {
  return n == 0 ? 0 : is_even(n - 1);  // CHECK: break=is_odd
                                       // CHECK@1: n=3; bt=is_odd:26,is_even:19,main:33; step->is_even:19
                                       // CHECK@2: n=1; step->is_even:19
}

int main(void) {
  int f = fact(4);                     // CHECK@1: retval=24; vars=f,e; next->33
  int e = is_even(4);                  // CHECK@1: f=24; step->is_even:19
  printf("%d %d\n", f, e);             // CHECK: break; e=1; f=24
  return 0;
}
