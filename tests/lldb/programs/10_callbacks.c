// Function pointers and callbacks: a qsort comparator called from libc
// (bt through frames without debug info), a dispatch table, stepping into a
// call through a pointer, a callback receiving a context struct.
#include <stdio.h>
#include <stdlib.h>

struct ctx { int calls; int last; };

static int cmp_int(const void *pa, const void *pb) {
  int a = *(const int *)pa;             // CHECK: break=cmp_int; vars=pa,pb,a,b CHECK@1: bt=cmp_int:10,main:34; next->11
  int b = *(const int *)pb;             // CHECK@1: next->12
  return (a > b) - (a < b);             // CHECK@1: vars=pa,pb,a,b; finish
}

static int op_add(int x, int y) { return x + y; } // CHECK@1: x=1; y=2; bt=op_add:15,main:38; vars=x,y; finish->main:38
static int op_mul(int x, int y) { return x * y; } // CHECK@1: x=2; y=3; bt=op_mul:16,main:38; finish->main:38
static int op_sub(int x, int y) { return x - y; } // CHECK@1: x=3; y=4; eval(x * 100 + y)=304; next->main:38

typedef int (*binop)(int, int);
static const binop table[] = {op_add, op_mul, op_sub};

static void visit(const int *xs, int n, void (*fn)(struct ctx *, int), struct ctx *c) {
  for (int i = 0; i < n; i++)           // CHECK@1: vars=xs,n,fn,c,i; i=4; fn=&record; xs[4]=5; eval(xs[i])=5
    fn(c, xs[i]);
}

static void record(struct ctx *c, int v) {
  c->calls++;                           // CHECK: break=record; vars=c,v CHECK@1: v=1; c->calls=0; bt=record:28,visit:24,main:41 CHECK@5: v=5; c->calls=4; c->last=4; finish->visit:23
  c->last = v;
}

int main(void) {
  int xs[5] = {5, 1, 4, 2, 3};
  qsort(xs, 5, sizeof xs[0], cmp_int);
  int acc = 0;
  for (int k = 0; k < 3; k++) {
    binop f = table[k];
    acc += f(xs[k], xs[k + 1]);         // CHECK: break CHECK@1: f=&op_add; step->op_add:15 CHECK@2: retval=3; acc=0 CHECK@3: k=1; f=&op_mul; step->op_mul:16 CHECK@4: retval=6; acc=3 CHECK@5: f=&op_sub; step->op_sub:17 CHECK@6: acc=9
  }
  struct ctx c = {0, 0};
  visit(xs, 5, record, &c);
  printf("%d %d %d %d\n", xs[0], acc, c.calls, c.last); // CHECK: break; xs=[1,2,3,4,5]; acc=8; c={calls=5,last=5}
  return 0;
}
