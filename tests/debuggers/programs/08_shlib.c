// DBG-LIB: lib/shlib_math.c
// DBG-OPT: O0 O1
// A program with a shared library built from a second source: breakpoints
// by name and by line inside the library, step into a library function and
// into a static function of the library, finish back into the program,
// struct returned by value from the library.
#include <stdio.h>
#include "lib/shlib_math.h"

int main(void) {
  int xs[4] = {3, 9, 0, -2};
  int s = 0;                                 // CHECK-O0: break; vars=xs,s,mm; next->16
  // (two comment lines: the next line with code is 15)

  // step from here goes into the library
  s = lib_scale(7, 3);                       // CHECK-O0@1: step->lib_scale:12
                                             // CHECK-O0@2: retval=21; next->18
  struct pair mm = {0, 0};                   // CHECK-O0: s=21; vars=xs,s,mm
  mm = lib_minmax(xs, 4);                    // CHECK-O0: retval={lo=-2,hi=9}; next->20
  printf("%d %d %d\n", s, mm.lo, mm.hi);     // CHECK-O0: mm={lo=-2,hi=9}; s=21 CHECK-O1: break; bt=main:20
  return 0;
}
