// DBG-OPT: O0 O1
// Inlined functions: always_inline helpers (inlined even at -O0) show up as
// inlined frames (marked *) in bt, `frame variable` works inside them,
// break=NAME resolves to the helper's line in every inlined copy, step
// enters inlined bodies and finish leaves them.  At -O1 plain static
// helpers are inlined too.
#include <stdio.h>

static inline __attribute__((always_inline)) int square(int v) {
  int sq = v * v;                      // CHECK-O1: break=square; vars=v
                                       // CHECK-O1@1: v=3; bt=square*:10,sum_squares:28,main:45
                                       // CHECK-O1@2: v=4; bt=square*:10,sum_squares:30,main:45
                                       // CHECK-O1@3: v=5; bt=square*:10,cube*:21,twice*:36,main:47
                                       // CHECK-O0: locate=square; vars=v,sq
                                       // CHECK-O0@1: v=3; bt=square*:10,sum_squares:28,main:45; next->17
                                       // CHECK-O0@2: v=5; bt=square*:10,cube*:21,twice:36,main:47; finish->cube:21
  return sq;                           // CHECK-O0: sq=9; vars=v,sq; finish->sum_squares:28
}

static inline __attribute__((always_inline)) int cube(int v) {
  return square(v) * v;                // CHECK-O0: break=cube; func=cube; vars=v
                                       // CHECK-O0@1: v=5; bt=cube*:21,twice:36,main:47; step->square:10
                                       // CHECK-O0@2: bt=cube*:21,twice:36,main:47; finish->twice:36
}

__attribute__((noinline)) int sum_squares(int a, int b) {
  volatile int acc = 0;                // volatile keeps acc observable at -O1
  acc += square(a);                    // CHECK-O0@1: break; vars=a,b,acc; acc=0; step->square:10
                                       // CHECK-O0@2: acc=0; next->30
  acc += square(b);                    // CHECK-O0: acc=9; next->31
  return acc;                          // CHECK: break; acc=25; bt=sum_squares:31,main:45
                                       // CHECK-O0: vars=a,b,acc; a=3; b=4; finish->main:45
}

static int twice(int t) {              // a plain static helper: inlined into main at -O1
  volatile int c = cube(t);            // CHECK-O0@1: break=twice; vars=t,c; t=5
                                       // CHECK-O0@2: func=twice; next->38
  return 2 * c;                        // CHECK-O0: c=125; finish->main:47
}

int main(int argc, char **argv) {
  (void)argv;
  int x = argc + 2;
  int y = argc + 3;
  int r = sum_squares(x, y);           // CHECK-O0: break; vars=argc,argv,x,y,r,t; x=3; y=4
                                       // CHECK-O0@2: retval=25; next->47
  int t = twice(argc + 4);             // CHECK-O0@1: r=25; step->twice:36
                                       // CHECK-O0@2: retval=250; next->49
  printf("%d %d\n", r, t);             // CHECK: break; bt=main:49; r=25; t=250
  return r == 25 && t == 250 ? 0 : 1;
}
