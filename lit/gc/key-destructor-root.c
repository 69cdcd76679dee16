// A thread's pthread key destructor that still uses an object only its
// key's value holds, while another thread collects: the object must stay
// alive until the destructor is done.  Was a bug: whence-gc's own key,
// which unregisters the thread, is created at start-up, before any key of
// the program, and glibc runs a round of destructors in key order, so the
// thread's stack was no longer scanned while the program's destructor ran:
// the object was finalized and its memory reused under it (helper-99).
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O2 -gline-tables-only %whence_cflags %gc_inc %s -o %t %gc_libs -lpthread && %run %t 2>&1 | FileCheck %s
// RUN: %clang -O0 -gline-tables-only %whence_cflags %gc_inc %s -o %t.O0 %gc_libs -lpthread && %run %t.O0 2>&1 | FileCheck %s
// CHECK-NOT: BAD
// CHECK: uses=50 bad=0
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>
#include <whence_gc.h>

struct obj {
  long magic;
  long data[7];
};
static atomic_int finalized, in_dtor, done;
static pthread_key_t key;
static int uses, bad;

static void fin(void *o, void *arg) {
  (void)arg;
  ((struct obj *)o)->magic = 0;
  finalized = 1;
}

static void dtor(void *v) {
  struct obj *p = v;
  in_dtor = 1;
  for (int i = 0; i < 50; i++, uses++) {
    if (finalized || p->magic != 0x1234) {
      if (bad++ < 3)
        printf("BAD: finalized=%d magic=%lx\n", (int)finalized, (long)p->magic);
    }
    usleep(2000);
  }
  done = 1;
}

__attribute__((noinline)) static struct obj *make(void) {
  struct obj *p = whence_gc_alloc(sizeof *p);
  p->magic = 0x1234;
  whence_set_finalizer(p, fin, NULL);
  return p;
}

static void *thread(void *a) {
  (void)a;
  pthread_setspecific(key, make()); /* the only reference: the key's value */
  return NULL;
}

__attribute__((noinline)) static void churn(void) {
  for (int i = 0; i < 2000; i++) {
    volatile char *c = whence_gc_alloc(64);
    c[0] = 1;
  }
}

int main(void) {
  whence_gc();
  pthread_key_create(&key, dtor);
  pthread_t t;
  pthread_create(&t, NULL, thread, NULL);
  while (!done) {
    if (in_dtor) {
      whence_gc();
      churn();
    } else {
      usleep(100);
    }
  }
  pthread_join(t, NULL);
  printf("uses=%d bad=%d\n", uses, bad);
  return 0;
}
