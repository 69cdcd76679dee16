// Control flow: nested loops with break/continue, do/while, goto, a
// ternary and short-circuit conditions, several statements on one line.
#include <stdio.h>

static int grid_sum(int rows, int cols) {
  int s = 0;
  for (int r = 0; r < rows; r++) {
    for (int c = 0; c < cols; c++) {    // CHECK@1: vars=rows,cols,s,r,c; c=0; next->9
      if (c == r)                       // CHECK: break; vars=rows,cols,s,r,c CHECK@1: r=0; c=0; next->10 CHECK@4: r=0; c=3; s=3; next->11 CHECK@6: r=1; c=1; s=13 CHECK@12: r=2; c=3; s=66
        continue;                       // CHECK@1: next->8
      if (c > 2)                        // CHECK@1: next->12
        break;                          // CHECK@1: next->15
      s += r * 10 + c;
    }
  }                                     // CHECK@1: vars=rows,cols,s,r; hasnot=c; s=3; r=0
  return s;                             // CHECK: break; s=66; vars=rows,cols,s; hasnot=r,c
}

static int countdown(int n) {
  int steps = 0;                        // CHECK: break=countdown; vars=n,steps; n=10; next->22
  do {
    n -= 3;                             // CHECK@1: n=10; next->23 CHECK@2: n=7; steps=1
    steps++;                            // CHECK@1: next->24
  } while (n > 0);                      // CHECK@1: n=7; steps=1; next->22
  return steps;                         // CHECK: break; steps=4; n=-2
}

static int find(const int *xs, int n, int want) {
  int i = 0;                            // CHECK: break=find; vars=xs,n,want,i; want=9; next->31
again:
  if (i >= n)                           // CHECK@1: i=0; next->33 CHECK@2: i=1
    goto out;
  if (xs[i] == want)                    // CHECK@1: next->35
    return i;                           // CHECK: break; i=2; xs[2]=9; bt=find:34,main:45; finish->main:45
  i++;                                  // CHECK@1: next->36
  goto again;                           // CHECK@1: i=1; next->31
out:
  return -1;
}

int main(void) {
  int a = grid_sum(3, 5);
  int b = countdown(10);
  int xs[4] = {7, 8, 9, 10};
  int c = find(xs, 4, 9);               // CHECK: retval=2; next->46
  int d = (a > 10 && b < 5) ? a + b : a - b; int e = d * 2; // CHECK: break; a=66; b=4; c=2; vars=a,b,xs,c,d,e; next->47
  printf("%d %d %d %d %d\n", a, b, c, d, e); // CHECK: d=70; e=140
  return 0;
}
