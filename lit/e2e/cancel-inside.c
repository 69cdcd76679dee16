// Deferred pthread_cancel acting inside whence: at the cancellation points
// whence's own calls reach (sigtimedwait, write, open, read, close), a
// thread cancelled while whence held its dump claim or the profiler's lock
// left it held for good: every later dump spun for ever, every later
// profile start waited for ever, and a first line lookup cancelled at its
// close() kept the binary's file open.  A pending cancel now acts at the
// program's next cancellation point after whence returns; a profile
// stopped into a pipe nobody reads stays cancellable there (the profile
// is lost, the profiler is not).
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -lpthread -o %t
// RUN: %run %t dump 2>&1 | FileCheck %s --check-prefix=DUMP
// RUN: %run %t profile 2>&1 | FileCheck %s --check-prefix=PROF
// RUN: %run %t line 2>&1 | FileCheck %s --check-prefix=LINE
// DUMP: victim cancelled
// DUMP: goroutine-like dump: {{[1-9]}}
// PROF: stopper cancelled
// PROF: second start 0, stop 0
// LINE: victim cancelled
// LINE: line {{[1-9][0-9]*}}, descriptors +0
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <whence.h>

static sem_t go;
static const char *mode;
static volatile int sink;

static int fds(void) {
    int n = 0;
    DIR *d = opendir("/proc/self/fd");
    if (!d)
        return -1;
    while (readdir(d))
        n++;
    closedir(d);
    return n;
}

__attribute__((noinline)) int work(int *v, int n) {
    int s = 0;
    for (int i = 0; i < n; i++)
        s += v[i] * 3;
    return s;
}

/* A cancel request arrives while cancellation is off; whence's call is the
 * first cancellation point after it is on again. */
static void *victim(void *a) {
    (void)a;
    pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, NULL);
    sem_post(&go);
    sleep(1);
    pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, NULL);
    if (!strcmp(mode, "dump")) {
        whence_install_quit_handler();
        whence_write_all_stacks(open("/dev/null", O_WRONLY));
    } else {
        const char *file;
        uintptr_t mid = (uintptr_t)work + 8; /* a pc between calls: its line is the file's */
        whence_func_line(whence_func_for_pc(mid), mid, &file);
    }
    pthread_testcancel();
    return NULL;
}

static int pfd[2];
static void *stopper(void *a) {
    (void)a;
    whence_profile_stop(); /* blocks writing: nobody reads the pipe */
    return NULL;
}

static void cancel_victim(void) {
    pthread_t t;
    sem_init(&go, 0, 0);
    pthread_create(&t, NULL, victim, NULL);
    sem_wait(&go);
    pthread_cancel(t);
    void *r;
    pthread_join(t, &r);
    printf("victim %s\n", r == PTHREAD_CANCELED ? "cancelled" : "returned");
}

int main(int argc, char **argv) {
    alarm(60); /* a hang fails the test */
    mode = argc > 1 ? argv[1] : "dump";
    setvbuf(stdout, NULL, _IONBF, 0);
    if (!strcmp(mode, "dump")) {
        cancel_victim();
        int n = whence_write_all_stacks(open("/dev/null", O_WRONLY));
        printf("goroutine-like dump: %d\n", n);
    } else if (!strcmp(mode, "profile")) {
        if (pipe(pfd) != 0 || whence_profile_start(pfd[1], 1000) != 0)
            return 2;
        int v[64] = {1};
        for (int i = 0; i < 2000000; i++)
            sink += work(v, 64);
        fcntl(pfd[1], F_SETFL, O_NONBLOCK);
        char junk[4096] = {0};
        while (write(pfd[1], junk, sizeof junk) > 0) {
        }
        fcntl(pfd[1], F_SETFL, 0);
        pthread_t t;
        pthread_create(&t, NULL, stopper, NULL);
        sleep(1);
        pthread_cancel(t);
        void *r;
        pthread_join(t, &r);
        printf("stopper %s\n", r == PTHREAD_CANCELED ? "cancelled" : "returned");
        int p2[2];
        if (pipe(p2) != 0)
            return 2;
        int e = whence_profile_start(p2[1], 100);
        printf("second start %d, stop %d\n", e, whence_profile_stop());
    } else {
        int before = fds();
        cancel_victim();
        const char *file = "?";
        uintptr_t mid = (uintptr_t)work + 8;
        int line = whence_func_line(whence_func_for_pc(mid), mid, &file);
        printf("line %d, descriptors %+d\n", line, fds() - before);
    }
    return 0;
}
