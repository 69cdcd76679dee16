// DBG-CFLAGS: -pthread
// Threads: a breakpoint hit in two worker threads, `thread list` and a
// backtrace per thread, next/finish inside a worker thread.  Workers run
// one at a time and each waits until main sleeps in pthread_join, so every
// thread's position at each stop is deterministic.
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct job { int id; int n; int result; };
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static int shared_total;

static char thread_state(pid_t tid) {  // 'S' once main blocks in pthread_join
  char path[64], buf[256];
  snprintf(path, sizeof path, "/proc/self/task/%d/stat", (int)tid);
  FILE *f = fopen(path, "r");
  if (!f) return '?';
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = 0;
  char *p = strrchr(buf, ')');
  return p && p[1] && p[2] ? p[2] : '?';
}

static int work(struct job *j) {
  int acc = 0;                         // CHECK: break=work; vars=j,acc; threads=2; tbt(1)=main:58
                                       // CHECK@1: j->id=1; bt=work:30,worker:46; tbt(2)=work:30,worker:46; next->33
                                       // CHECK@2: j->id=2; j->n=4; bt=work:30,worker:46; tbt(3)=work:30,worker:46
  for (int i = 1; i <= j->n; i++)      // CHECK@1: acc=0; vars=j,acc,i; next->34
    acc += i * j->id;
  return acc;                          // CHECK: break; vars=j,acc
                                       // CHECK@1: acc=6; finish->worker:46
                                       // CHECK@2: acc=20; bt=work:35,worker:46
}

static void *worker(void *arg) {
  struct job *j = arg;
  while (thread_state(getpid()) != 'S') {
    struct timespec ts = {0, 1000000};
    nanosleep(&ts, NULL);
  }
  j->result = work(j);                 // CHECK: retval=6; vars=arg,j; j->id=1; next->47
  pthread_mutex_lock(&mu);             // CHECK: j->result=6; threads=2
  shared_total += j->result;
  pthread_mutex_unlock(&mu);
  return NULL;
}

int main(void) {
  pthread_t t[2];
  struct job jobs[2] = {{1, 3, 0}, {2, 4, 0}};
  for (int k = 0; k < 2; k++) {
    pthread_create(&t[k], NULL, worker, &jobs[k]);
    pthread_join(t[k], NULL);
  }
  printf("%d %d %d\n", jobs[0].result, jobs[1].result, shared_total);   // CHECK: break; threads=1
                                       // CHECK: jobs=[{id=1,n=3,result=6},{id=2,n=4,result=20}]; shared_total=26
  return shared_total == 26 ? 0 : 1;
}
