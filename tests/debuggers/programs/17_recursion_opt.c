// DBG-OPT: O0 O2
// Recursion the optimizer keeps: a breakpoint hit at every depth, bt
// growing one frame per level, finish unwinding one level at a time, and
// a tree walk whose second recursive call becomes a jump at -O2.
#include <stdio.h>

#define NOINLINE __attribute__((noinline))

static volatile int sink;

struct node {
  int val;
  struct node *left, *right;
};

NOINLINE int down(int n) {
  if (n <= 0) {                         // CHECK: break=down CHECK@1: n=3; bt=down:17,main:55 CHECK@2: n=2; bt=down:17,down:21,main:55 CHECK@4: n=0; bt=down:17,down:21,down:21,down:21,main:55; next->18
    sink = n;                           // CHECK: n=0; bt=down:18,down:21,down:21,down:21,main:55 CHECK-O0: finish->down:21 CHECK-O2: finish->down:22
    return 1;
  }
  int r = down(n - 1);                  // CHECK-O0@1: retval=1; n=1; bt=down:21,down:21,down:21,main:55; finish->down:21 CHECK-O0@2: retval=3; n=2; finish->down:21 CHECK-O0@3: retval=8; n=3; bt=down:21,main:55; finish->main:55
  sink += r;                            // CHECK-O2@1: retval=1; n=1; bt=down:22,down:21,down:21,main:55; finish->down:22 CHECK-O2@2: retval=3; n=2; finish->down:22 CHECK-O2@3: retval=8; n=3; bt=down:22,main:55; finish->main:55
  return r * 2 + n;
}

NOINLINE int sum_tree(const struct node *t) {
  if (!t)
    return 0;
  int l = sum_tree(t->left);
  sink = l;                             // CHECK: break CHECK@1: l=0; t->val=1; bt=sum_tree:30,sum_tree:29,sum_tree:29,main:56 CHECK@2: l=1; t->val=2; bt=sum_tree:30,sum_tree:29,main:56 CHECK@3: l=0; t->val=3 CHECK-O0@3: bt=sum_tree:30,sum_tree:31,sum_tree:29,main:56 CHECK-O2@3: bt=sum_tree:30,sum_tree:29,main:56 CHECK@4: l=6; t->val=4; bt=sum_tree:30,main:56
  return t->val + l + sum_tree(t->right);
}

NOINLINE int ping(int n);

NOINLINE int pong(int n) {
  int r = ping(n - 1);                  // CHECK: break=pong CHECK@1: n=2; bt=pong:37,ping:45,main:57 CHECK@2: n=1; bt=pong:37,ping:45,pong:37,ping:45,main:57; step->ping:43
  sink = r;                             // CHECK-O2: retval=0; bt=pong:38,ping:45,pong:37,ping:45,main:57
  return r + 1;
}

NOINLINE int ping(int n) {
  if (n <= 0)                           // CHECK: n=0; bt=ping:43,pong:37,ping:45,pong:37,ping:45,main:57 CHECK-O0: finish->pong:37 CHECK-O2: finish->pong:38
    return 0;
  int r = pong(n);
  sink = r;
  return r * 2;
}

int main(int argc, char **argv) {
  (void)argv;
  struct node leaf1 = {1, 0, 0}, leaf3 = {3, 0, 0};
  struct node mid = {2, &leaf1, &leaf3};
  struct node root = {4, &mid, 0};
  int a = down(argc + 2);               // CHECK: retval=19
  int b = sum_tree(&root);
  int c = ping(argc + 1);
  printf("%d %d %d\n", a, b, c);        // CHECK: break; a=19; b=10; c=6; continue->exit=0
  return 0;
}
