// Lexical scopes (LLGo's ScopeIf/ScopeFor/ScopeSwitch cases): a variable of
// an inner block is not visible before its block begins, nested blocks,
// shadowing, while/do loops.
#include <stdio.h>

int scope_if(int cond) {
  int a = 1;                           // CHECK: break=scope_if; vars=cond,a; hasnot=b,c; next->8
  if (cond > 0) {                      // CHECK: vars=cond,a; a=1; next->9
    int b = 2;                         // CHECK: vars=cond,a,b; next->10
    a = a + b;                         // CHECK: vars=cond,a,b; b=2; next->11
  } else {                             // CHECK: vars=cond,a,b; a=3; next->15
    int c = 3;
    a = a - c;
  }
  return a;                            // CHECK: vars=cond,a; a=3 CHECK-lldb: next->main:89 CHECK-gdb: next->main:90
}

int scope_else(int cond) {
  int a = 1;                           // CHECK: break=scope_else; vars=cond,a; next->20
  if (cond > 0) {                      // CHECK: vars=cond,a; next->24
    int b = 2;
    a = a + b;
  } else {
    int c = 3;                         // CHECK: vars=cond,a,c; hasnot=b; next->25
    a = a - c;                         // CHECK: c=3; a=1; next->27
  }
  return a;                            // CHECK: vars=cond,a; a=-2; finish->main:90
}

int scope_for(int n) {
  int sum = 0;                         // CHECK: break=scope_for; vars=n,sum; hasnot=i,sq; next->32
  for (int i = 0; i < n; i++) {        // CHECK@1: vars=n,sum,i; hasnot=sq; next->35
                                       // CHECK@2: i=0; vars=n,sum,i; hasnot=sq; next->35
                                       // CHECK@3: i=1; sum=1; next->35
    int sq = i * i;                    // CHECK: vars=n,sum,i,sq; next->38
                                       // CHECK@1: i=0
                                       // CHECK@2: i=1
    sum += sq;                         // CHECK@1: sq=0; next->32
                                       // CHECK@2: sq=1; sum=0; next->32
  }
  return sum;                          // CHECK: break; vars=n,sum; sum=5; hasnot=i,sq; finish->main:91
}

int scope_switch(int k) {
  int r = 0;                           // CHECK: break=scope_switch; vars=k,r; hasnot=one,two; next->46
  switch (k) {                         // CHECK: vars=k,r; next->53
  case 1: {
    int one = 10;
    r = one;
    break;
  }
  case 2: {
    int two = 20;                      // CHECK: vars=k,r,two; hasnot=one; next->54
    r = two;                           // CHECK: two=20; next->55
    break;                             // CHECK: r=20; next->60
  }
  default:
    r = -1;
  }
  return r;                            // CHECK: vars=k,r; r=20; finish->main:92
}

int shadow(int x) {
  int y = x + 1;                       // CHECK: break=shadow; vars=x,y; x=7; next->66
  {
    int x = 100;                       // CHECK: vars=x,x,y; y=8; next->67
    y += x;                            // CHECK: x=100; next->69
    {
      int y = -1;                      // CHECK: vars=x,x,y,y; next->70
      x += y;                          // CHECK: y=-1; x=100; bt=shadow:70,main:93; next->72
    }
    y += x;                            // CHECK: vars=x,x,y; x=99; y=108; next->74
  }
  return x + y;                        // CHECK: vars=x,y; x=7; y=207; finish->main:93
}

int scope_while(int n) {
  int steps = 0;                       // CHECK: break=scope_while; vars=n,steps; next->79
  while (n > 1) {                      // CHECK@1: vars=n,steps; hasnot=half; next->80
    int half = n / 2;                  // CHECK@1: vars=n,steps,half; n=12
    n = half;
    steps++;
  }
  return steps;                        // CHECK: break; steps=3; n=1; vars=n,steps
}

int main(void) {
  int total = 0;                       // CHECK: break; vars=total
  total += scope_if(1);
  total += scope_else(0);
  total += scope_for(3);
  total += scope_switch(2);
  total += shadow(7);                  // CHECK: retval=214; total=26
  total += scope_while(12);
  printf("%d\n", total);               // CHECK: break; total=243
  return 0;
}
