// Basic stepping: breakpoints by name and by file:line, next/step/finish,
// frame variable at every stop, bt with lines.
#include <stdio.h>

static int add(int a, int b) {
  int s = a + b;                       // CHECK: break=add; vars=a,b,s; a=2; b=3; bt=add:6,compute:15,main:26; next->7
  return s;                            // CHECK: s=5; vars=a,b,s; finish->compute:15
}

int compute(int n) {
  int total = 0;                       // CHECK: break=compute; vars=n,total,twice; n=4; bt=compute:11,main:26
                                       // CHECK: next->13
  int twice = n * 2;                   // CHECK: total=0; next->15
  // the call line is reached twice: before the call and after `finish`
  total = add(2, 3);                   // CHECK@1: twice=8; step->add:6
                                       // CHECK@2: retval=5; total=0; next->17
  total += twice;                      // CHECK: total=5; next->18
  return total;                        // CHECK: total=13; vars=n,total,twice; finish->main:26
}

int main(void) {
  int result = 0;                      // CHECK: break=main; vars=result,x; bt=main:22; next->23
  int x = 4;                           // CHECK: result=0; next->26
  // comment lines and blank lines have no line-table rows

  result = compute(x);                 // CHECK@1: x=4; step->compute:11
                                       // CHECK@2: retval=13; result=0; next->28
  printf("%d\n", result);              // CHECK: result=13; x=4; next->29
  return result == 13 ? 0 : 1;         // CHECK: break; vars=result,x; continue->exit=0
}
