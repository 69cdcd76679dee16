// DBG-OPT: O0 O1
// Function pointers and callbacks: a qsort comparator called from libc
// (bt through frames without debug info), a dispatch table, stepping into a
// call through a pointer, a callback receiving a context struct.
#include <stdio.h>
#include <stdlib.h>

struct ctx { int calls; int last; };

static int cmp_int(const void *pa, const void *pb) {
  int a = *(const int *)pa;             // CHECK-O0: break=cmp_int; vars=pa,pb,a,b CHECK-O0@1: bt=cmp_int:11,main:35; next->12
  int b = *(const int *)pb;             // CHECK-O0@1: next->13
  return (a > b) - (a < b);             // CHECK-O0@1: vars=pa,pb,a,b; finish CHECK-O1: break CHECK-O1@1: bt=cmp_int:13,main:35
}

static int op_add(int x, int y) { return x + y; } // CHECK-O0@1: x=1; y=2; bt=op_add:16,main:39; vars=x,y; finish->main:39
static int op_mul(int x, int y) { return x * y; } // CHECK-O0@1: x=2; y=3; bt=op_mul:17,main:39; finish->main:39
static int op_sub(int x, int y) { return x - y; } // CHECK-O0@1: x=3; y=4; eval(x * 100 + y)=304 CHECK-O0-lldb@1: next->main:39 CHECK-O0-gdb@1: next->main:37

typedef int (*binop)(int, int);
static const binop table[] = {op_add, op_mul, op_sub};

static void visit(const int *xs, int n, void (*fn)(struct ctx *, int), struct ctx *c) {
  for (int i = 0; i < n; i++)           // CHECK-O0@1: vars=xs,n,fn,c,i; i=4; fn=&record; xs[4]=5; eval(xs[i])=5
    fn(c, xs[i]);
}

static void record(struct ctx *c, int v) {
  c->calls++;                           // CHECK-O0: break=record; vars=c,v CHECK-O0@1: v=1; c->calls=0; bt=record:29,visit:25,main:42 CHECK-O0@5: v=5; c->calls=4; c->last=4; finish->visit:24
  c->last = v;
}

int main(void) {
  int xs[5] = {5, 1, 4, 2, 3};
  qsort(xs, 5, sizeof xs[0], cmp_int);
  int acc = 0;
  for (int k = 0; k < 3; k++) {
    binop f = table[k];
    acc += f(xs[k], xs[k + 1]);         // CHECK-O0: break CHECK-O0@1: f=&op_add; step->op_add:16 CHECK-O0@2: retval=3; acc=0 CHECK-O0@3: k=1; f=&op_mul; step->op_mul:17 CHECK-O0@4: retval=6; acc=3 CHECK-O0@5: f=&op_sub; step->op_sub:18 CHECK-O0-lldb@6: acc=9
  }
  struct ctx c = {0, 0};
  visit(xs, 5, record, &c);
  printf("%d %d %d %d\n", xs[0], acc, c.calls, c.last); // CHECK-O0: break; xs=[1,2,3,4,5]; acc=8; c={calls=5,last=5} CHECK-O1: break; bt=main:43
  return 0;
}
