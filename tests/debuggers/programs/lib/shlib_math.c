// The shared library of 08_shlib.c: built with the same flags (and plugin)
// into libshlib_math.so.
#include "shlib_math.h"

static int clamp(int v, int lo, int hi) {   // a static function inside the library
  if (v < lo)                                // CHECK-O0: vars=v,lo,hi; v=21; hi=100; bt=clamp:6,lib_scale:14,main:16; next->8
    return lo;
  return v > hi ? hi : v;                    // CHECK-O0: finish->lib_scale:14
}

int lib_scale(int v, int k) {
  int scaled = v * k;                        // CHECK-O0: break=lib_scale; vars=v,k,scaled; v=7; k=3 CHECK-O1: break=lib_scale; v=7; k=3; bt=lib_scale:12,main:16
                                             // CHECK-O0: bt=lib_scale:12,main:16; next->14
  return clamp(scaled, 0, 100);              // CHECK-O0@1: scaled=21; step->clamp:6
                                             // CHECK-O0@2: retval=21; finish->main:16
}

struct pair lib_minmax(const int *xs, int n) {
  struct pair p = {xs[0], xs[0]};            // CHECK-O0: break=lib_minmax; n=4; xs[3]=-2
  for (int i = 1; i < n; i++) {
    if (xs[i] < p.lo) p.lo = xs[i];
    if (xs[i] > p.hi) p.hi = xs[i];
  }
  return p;                                  // CHECK-O0: break; p={lo=-2,hi=9}; vars=xs,n,p; finish->main:19
}
