// Every instruction of a call chain single-stepped (the trap flag), the
// stack walked at each step: the interrupted function's callers are named
// at their call lines, in order, whatever the state of its prologue or
// epilogue.  Was a bug with -fzero-call-used-regs=all (or =used-gpr at
// -O0): between `pop %rbp` and `ret` the epilogue clears registers, and
// the walk took %rbp, already the caller's, for the interrupted function's
// frame pointer: the caller was left out, the stack said complete (a
// third of a profiler's samples of such code; a thread dump named the
// wrong caller).  With -mretpoline (or -mspeculative-load-hardening), a
// call through a pointer goes through a thunk whose `mov %r11,(%rsp)`
// puts the target over a return address: at its ret the walk took the
// target for the return address, and the stack was the handler alone.
// REQUIRES: x86_64-linux
// DEFINE: %{cc} = %clang %whence_cflags %s %whence_libs -o %t
// RUN: %{cc} -O2 -gline-tables-only && %t | FileCheck %s
// RUN: %{cc} -O2 -gline-tables-only -fzero-call-used-regs=all && %t | FileCheck %s
// RUN: %{cc} -O2 -g -fzero-call-used-regs=all && %t | FileCheck %s
// RUN: %{cc} -O0 -g -fzero-call-used-regs=used-gpr && %t | FileCheck %s
// RUN: %{cc} -O2 -gline-tables-only -fzero-call-used-regs=all -mavx2 && %t | FileCheck %s
// RUN: %{cc} -O2 -gline-tables-only -mretpoline && %t | FileCheck %s
// RUN: %{cc} -O0 -g -mretpoline -fzero-call-used-regs=all && %t | FileCheck %s
// RUN: %{cc} -O2 -g -mspeculative-load-hardening && %t | FileCheck %s
// CHECK-NOT: bad at
// CHECK: r=4 steps={{[1-9][0-9]+}} bad=0
#define _GNU_SOURCE
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>
#include <whence.h>

static volatile long sink;
static int steps, bad, shown;
static volatile int stepping, entered;

__attribute__((noinline)) int leaf(int x) {
  sink += x;
  return x + 1;
}
__attribute__((noinline)) int mid(int x) {
  int r = leaf(x); // the call line of mid
  sink += r;
  return r + 2;
}
int (*volatile fp)(int) = mid;
__attribute__((noinline)) int top(int x) {
  int r = fp(x); // the call line of top
  sink += r;
  return r;
}

static const char *const chain[] = {"leaf", "mid", "top", "main"};
static const int chain_line[] = {0, 42, 48, 115};

static int in_chain(const char *fn) {
  for (int i = 0; i < 4; i++)
    if (!strcmp(fn, chain[i]))
      return i;
  return -1;
}

static void trap(int sig, siginfo_t *si, void *ucv) {
  (void)sig, (void)si;
  ucontext_t *uc = ucv;
  uintptr_t pc = uc->uc_mcontext.gregs[REG_RIP];
  const whence_func *fn = whence_func_for_pc(pc);
  bool in_main = fn && !strcmp(whence_func_name(fn), "main");
  if (!stepping || (in_main && entered)) { /* back in main: done */
    uc->uc_mcontext.gregs[REG_EFL] &= ~0x100L;
    return;
  }
  uc->uc_mcontext.gregs[REG_EFL] |= 0x100;
  if (in_main) /* not yet in top */
    return;
  entered = 1;
  steps++;
  uintptr_t pcs[16];
  int n = whence_callers(0, pcs, 16);
  whence_frames it;
  whence_frame f;
  whence_frames_init(&it, pcs, n);
  char names[8][16];
  int lines[8], k = 0;
  while (k < 8 && whence_frames_next(&it, &f)) {
    snprintf(names[k], sizeof names[k], "%s", f.function ? f.function : "?");
    lines[k++] = f.line;
  }
  /* names[0] is this handler; names[1] the interrupted function (or an
   * unknown frame: a thunk); each later one its caller at the call line. */
  int j = k >= 2 ? in_chain(names[1]) : -1;
  if (j < 0 && k >= 3 && in_chain(names[2]) > 0)
    j = in_chain(names[2]) - 1;
  int ok = j >= 0 && k >= 2 + (3 - j);
  for (int i = 2; ok && j + i - 1 <= 3; i++)
    ok = !strcmp(names[i], chain[j + i - 1]) && lines[i] == chain_line[j + i - 1];
  if (!ok) {
    bad++;
    if (shown++ < 5) {
      printf("bad at %s+0x%lx:", fn ? whence_func_name(fn) : "?", fn ? (unsigned long)(pc - whence_func_entry(fn)) : 0ul);
      for (int i = 0; i < k; i++) printf(" %s:%d", names[i], lines[i]);
      printf("\n");
    }
  }
}

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = trap;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGTRAP, &sa, NULL);
  stepping = 1;
  __asm__ volatile("pushfq; orq $0x100, (%%rsp); popfq" ::: "memory", "cc");
  int r = top(1);
  stepping = 0;
  printf("r=%d steps=%d bad=%d\n", r, steps, bad);
  return 0;
}
