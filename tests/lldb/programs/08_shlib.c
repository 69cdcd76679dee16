// LLDB-LIB: lib/shlib_math.c
// A program with a shared library built from a second source: breakpoints
// by name and by line inside the library, step into a library function and
// into a static function of the library, finish back into the program,
// struct returned by value from the library.
#include <stdio.h>
#include "lib/shlib_math.h"

int main(void) {
  int xs[4] = {3, 9, 0, -2};
  int s = 0;                                 // CHECK: break; vars=xs,s,mm; next->15
  // (two comment lines: the next line with code is 15)

  // step from here goes into the library
  s = lib_scale(7, 3);                       // CHECK@1: step->lib_scale:12
                                             // CHECK@2: retval=21; next->17
  struct pair mm = {0, 0};                   // CHECK: s=21; vars=xs,s,mm
  mm = lib_minmax(xs, 4);                    // CHECK: retval={lo=-2,hi=9}; next->19
  printf("%d %d %d\n", s, mm.lo, mm.hi);     // CHECK: mm={lo=-2,hi=9}; s=21
  return 0;
}
