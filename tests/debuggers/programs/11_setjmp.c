// DBG-NOVALUE: env
// setjmp/longjmp: breakpoint after setjmp hit on both returns, longjmp out of nested calls (jmp_buf: value not compared).
#include <setjmp.h>
#include <stdio.h>

static jmp_buf env;
static int depth_reached;

static void fail(int code) {
  depth_reached = code;                 // CHECK: break=fail; vars=code; code=30; bt=fail:10,dive:17,dive:18,dive:18,main:26; next->11
  longjmp(env, code);                   // CHECK: eval(depth_reached)=30; next->24
}

static void dive(int n) {
  int here = n * 10;                    // CHECK: break=dive; vars=n,here CHECK@1: n=1; bt=dive:15,main:26 CHECK@3: n=3; bt=dive:15,dive:18,dive:18,main:26; next->16
  if (n == 3)                           // CHECK: here=30; next->17
    fail(here);                         // CHECK: step->fail:10
  dive(n + 1);
}

int main(void) {
  volatile int attempts = 0;
  int r = setjmp(env);
  attempts++;                           // CHECK: break; vars=attempts,r CHECK@1: r=0; attempts=0; next->25 CHECK@2: r=30; attempts=1; next->25
  if (r == 0) {                         // CHECK@1: attempts=1; next->26 CHECK@2: attempts=2; r=30; next->28
    dive(1);                            // CHECK@1: next->dive:15
  }
  printf("%d %d %d\n", r, attempts, depth_reached); // CHECK: break; r=30; attempts=2; eval(depth_reached)=30
  return r == 30 ? 0 : 1;
}
