// A program that blocks every signal in all its threads (the usual server
// that takes them with sigwait in one) and collects from several: BDWGC
// stops the other threads with its suspend signal, which must stay open.
// Was a bug: every collection aborted, "Signals delivery fails constantly"
// (rc 134).  BDWGC's own pthread_sigmask redirect keeps that signal open;
// libwhence.so's keeps it open for libwhence-gc (helper-99).  (libwhence.a
// redirects nothing: docs/GC.md.)
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O2 -gline-tables-only %whence_cflags %gc_inc %s -o %t %gc_libs && %run %t 2>&1 | FileCheck %s
// CHECK: finalized {{[1-9][0-9]*}}
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <whence_gc.h>

static atomic_int finalized;

static void fin(void *obj, void *arg) {
  (void)obj, (void)arg;
  finalized++;
}

__attribute__((noinline)) static void make(void) {
  void *o = whence_gc_alloc(32);
  whence_set_finalizer(o, fin, NULL);
}

static void *worker(void *a) {
  (void)a;
  for (int i = 0; i < 200; i++) {
    make();
    if (i % 20 == 0)
      whence_gc();
  }
  return NULL;
}

int main(void) {
  sigset_t all;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, NULL);
  pthread_t t[2];
  for (int i = 0; i < 2; i++)
    pthread_create(&t[i], NULL, worker, NULL);
  for (int i = 0; i < 2; i++)
    pthread_join(t[i], NULL);
  for (int i = 0; i < 4 && finalized < 400; i++)
    whence_gc();
  printf("finalized %d\n", (int)finalized);
  return 0;
}
