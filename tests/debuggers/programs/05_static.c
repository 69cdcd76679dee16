// Static functions, function-scope statics (kept across calls), file-scope
// globals (read with expressions), a function called through a static
// pointer, and calling a function from the expression evaluator.
#include <stdio.h>

static int counter;                    // file-scope static
int global_limit = 3;
static const char *names[] = {"zero", "one", "two"};

static int bump(int by) {
  static int calls = 0;                // function-scope static
  calls++;                             // CHECK: break=bump; vars=by
                                       // CHECK@1: calls=0; by=1; eval(counter)=0
                                       // CHECK@3: calls=2; by=3; eval(counter)=3; bt=bump:12,run:22,main:28; next->15
  counter += by;                       // CHECK: calls=3; by=3; next->16
  return calls;                        // CHECK: eval(counter)=6; eval(names[calls - 1])="two"; finish->run:22
}

static int run(int n) {
  int last = 0;                        // CHECK: break=run; vars=n,last; hasnot=i; n=3; eval(global_limit)=3
  for (int i = 1; i <= n; i++)        // CHECK: i=3; next->23
    last = bump(i);                    // CHECK: retval=3; last=2; i=3; vars=n,last,i; next->21
  return last;                         // CHECK: last=3; eval(bump(10) + 100)=104; eval(counter)=16
}

int main(void) {
  int (*fp)(int) = run;                // CHECK: break; vars=fp,r; eval(counter)=0; next->28
  int r = fp(global_limit);            // CHECK@1: fp=&run; eval(global_limit * 2)=6; step->run:20
  printf("%d %d %s\n", r, counter, names[r - 1]);       // CHECK: break; r=3; eval(counter)=16; eval(names[1])="one"
  return 0;
}
