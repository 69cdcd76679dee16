// whence_write_all_stacks and whence_install_quit_handler (api.md): 16
// worker threads, each parked in read() at the end of its own path through
// left()/right() (the path spells the thread's number in binary), plus one
// thread that blocks every signal.  The dump is taken from a SIGUSR1
// handler (mode "handler") and by SIGQUIT (mode "quit", in a child whose
// exit status must be death by SIGQUIT, after the SIGQUIT handler it had
// installed before ran).  The program parses the dump
// itself and compares every thread's frames, functions and lines, with the
// path that thread took (lines from __LINE__, thread ids from gettid): each
// thread's stack must be its own.
// REQUIRES: x86_64-linux
// RUN: %clang -O0 -gline-tables-only -Wl,-z,now %whence_cflags -I%inputs %s %whence_libs -o %t.O0
// RUN: %t.O0 handler %t.O0.dump | FileCheck %s --check-prefix=HANDLER
// RUN: FileCheck %s --check-prefix=DUMP < %t.O0.dump
// RUN: %t.O0 quit %t.O0.quit | FileCheck %s --check-prefix=QUIT
// RUN: FileCheck %s --check-prefix=QUITDUMP < %t.O0.quit
// RUN: %clang -O2 -gline-tables-only -Wl,-z,now %whence_cflags -I%inputs %s %whence_libs -o %t.O2
// RUN: %t.O2 handler %t.O2.dump | FileCheck %s --check-prefix=HANDLER
// RUN: %t.O2 quit %t.O2.quit | FileCheck %s --check-prefix=QUIT
// RUN: %clang -O2 -g -Wl,-z,now %whence_cflags -I%inputs %s %whence_libs -o %t.g
// RUN: %t.g handler %t.g.dump | FileCheck %s --check-prefix=HANDLER
// RUN: %t.g quit %t.g.quit | FileCheck %s --check-prefix=QUIT
#define _GNU_SOURCE
#include "whence_e2e.h"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NWORK 16
#define LEVELS 4

// The lines of the calls the paths go through, recorded by the code that
// makes each call, on that call's line.
enum { L_PARK, L_LP, L_LR, L_LL, L_RP, L_RR, L_RL, L_WORKER, L_HANDLER, L_RAISE, L_KILL, NLINES };

// Shared with the parent of a SIGQUIT child (MAP_SHARED).
struct shared {
    int main_tid;
    int tid[NWORK + 1]; // [NWORK]: the thread that blocks every signal
    atomic_int ready;
    int line[NLINES];
};
static struct shared *sh;
static int park_fd[2];
static volatile int sink;

#define LINE_HERE(id) (sh->line[id] = __LINE__)

NOINLINE static void park(int i) {
    atomic_fetch_add(&sh->ready, 1);
    char c; LINE_HERE(L_PARK); sink += (int)read(park_fd[0], &c, 1);
    sink += i;
}

NOINLINE static void right(int i, int level);

NOINLINE static void left(int i, int level) {
    if (level == LEVELS) {
        LINE_HERE(L_LP); park(i);
    } else if (i >> level & 1) {
        LINE_HERE(L_LR); right(i, level + 1);
    } else {
        LINE_HERE(L_LL); left(i, level + 1);
    }
    sink++;
}

NOINLINE static void right(int i, int level) {
    if (level == LEVELS) {
        LINE_HERE(L_RP); park(i);
    } else if (i >> level & 1) {
        LINE_HERE(L_RR); right(i, level + 1);
    } else {
        LINE_HERE(L_RL); left(i, level + 1);
    }
    sink++;
}

NOINLINE static void *worker(void *arg) {
    int i = (int)(intptr_t)arg;
    char name[16];
    snprintf(name, sizeof name, "w%d", i);
    pthread_setname_np(pthread_self(), name);
    sh->tid[i] = (int)syscall(SYS_gettid);
    LINE_HERE(L_WORKER); left(i, 0);
    sink++;
    return NULL;
}

NOINLINE static void *blocker(void *arg) {
    (void)arg;
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, NULL);
    pthread_setname_np(pthread_self(), "blocker");
    sh->tid[NWORK] = (int)syscall(SYS_gettid);
    atomic_fetch_add(&sh->ready, 1);
    char c;
    sink += (int)read(park_fd[0], &c, 1);
    return NULL;
}

// ---- the expected stacks ---------------------------------------------------

struct frame {
    char fn[64];
    int line;
};

// Thread i's frames, innermost first: park, the LEVELS+1 functions of its
// path (left at level 0, then right where bit level-1 of i is set), worker.
static int expect_worker(int i, struct frame *f) {
    int n = 0;
    snprintf(f[n].fn, sizeof f[n].fn, "park");
    f[n++].line = sh->line[L_PARK];
    for (int level = LEVELS; level >= 0; level--) {
        int is_right = level > 0 && (i >> (level - 1) & 1);
        snprintf(f[n].fn, sizeof f[n].fn, is_right ? "right" : "left");
        if (level == LEVELS)
            f[n].line = is_right ? sh->line[L_RP] : sh->line[L_LP];
        else if (i >> level & 1)
            f[n].line = is_right ? sh->line[L_RR] : sh->line[L_LR];
        else
            f[n].line = is_right ? sh->line[L_RL] : sh->line[L_LL];
        n++;
    }
    snprintf(f[n].fn, sizeof f[n].fn, "worker");
    f[n++].line = sh->line[L_WORKER];
    return n;
}

// ---- parsing the dump ------------------------------------------------------

struct section {
    int tid;
    char name[32];
    char status[96]; // what follows the header's ':' ("" for a stack)
    int n;
    struct frame f[64];
};

static int parse(const char *path, struct section *s, int max) {
    FILE *in = fopen(path, "r");
    if (!in)
        return -1;
    char line[512];
    int n = -1;
    while (fgets(line, sizeof line, in)) {
        line[strcspn(line, "\n")] = 0;
        int tid;
        char name[32];
        int used = 0;
        if (sscanf(line, "thread %d \"%31[^\"]\":%n", &tid, name, &used) == 2 && used) {
            if (++n >= max)
                break;
            s[n].tid = tid;
            snprintf(s[n].name, sizeof s[n].name, "%s", name);
            snprintf(s[n].status, sizeof s[n].status, "%s", line + used);
            s[n].n = 0;
        } else if (n >= 0 && line[0] == '<') {
            continue; /* (<signal handler called>: no frame) */
        } else if (n >= 0 && line[0] == '\t') {
            char *colon = strrchr(line, ':');
            if (s[n].n > 0 && colon)
                s[n].f[s[n].n - 1].line = atoi(colon + 1);
        } else if (n >= 0 && line[0] && s[n].n < 64) {
            char *paren = strstr(line, "(...)");
            struct frame *f = &s[n].f[s[n].n++];
            snprintf(f->fn, sizeof f->fn, "%.*s", paren ? (int)(paren - line) : 63, line);
            f->line = -1;
        }
    }
    fclose(in);
    return n + 1;
}

static int same(const struct section *s, const struct frame *want, int n) {
    if (s->n != n || s->status[0])
        return 0;
    for (int k = 0; k < n; k++)
        if (strcmp(s->f[k].fn, want[k].fn) != 0 || s->f[k].line != want[k].line)
            return 0;
    return 1;
}

static void show(const char *why, const struct section *s, const struct frame *want, int n) {
    printf("BAD %s: thread %d \"%s\"%s\n", why, s->tid, s->name, s->status);
    for (int k = 0; k < s->n; k++)
        printf("  got  %s:%d\n", s->f[k].fn, s->f[k].line);
    for (int k = 0; k < n; k++)
        printf("  want %s:%d\n", want[k].fn, want[k].line);
}

// Checks the dump in path; main_want is the calling thread's stack.
static void verify(const char *path, const struct frame *main_want, int main_n) {
    static struct section s[64];
    int n = parse(path, s, 64);
    int ok = 0, bad = 0, blocked = 0;
    printf("sections=%d first_is_main=%d\n", n, n > 0 && s[0].tid == sh->main_tid);
    if (n > 0 && same(&s[0], main_want, main_n) && strcmp(s[0].name, "main") == 0)
        ok++;
    else if (n > 0)
        bad++, show("main", &s[0], main_want, main_n);
    for (int k = 1; k < n; k++) {
        int i = 0;
        while (i <= NWORK && sh->tid[i] != s[k].tid)
            i++;
        if (i == NWORK) {
            if (strcmp(s[k].name, "blocker") == 0 &&
                strcmp(s[k].status, " not answering (signal blocked)") == 0)
                blocked++;
            else
                bad++, show("blocker", &s[k], NULL, 0);
            continue;
        }
        struct frame want[16];
        int wn = i < NWORK ? expect_worker(i, want) : 0;
        char name[16];
        snprintf(name, sizeof name, "w%d", i);
        if (i < NWORK && same(&s[k], want, wn) && strcmp(s[k].name, name) == 0)
            ok++;
        else
            bad++, show("worker", &s[k], want, wn);
    }
    printf("ok=%d blocked=%d bad=%d\n", ok, blocked, bad);
}

// ---- the program -----------------------------------------------------------

static int dump_fd = -1, dump_ret;

NOINLINE static void on_usr1(int sig) {
    (void)sig;
    LINE_HERE(L_HANDLER); dump_ret = whence_write_all_stacks(dump_fd);
}

static void previous_quit(int sig) {
    static const char msg[] = "previous SIGQUIT handler ran\n";
    (void)sig;
    write(2, msg, sizeof msg - 1);
}

static void start_threads(void) {
    pthread_t t;
    if (pipe(park_fd) != 0)
        exit(2);
    // Workers leave SIGQUIT and SIGUSR1 to the main thread.
    sigset_t set, old;
    sigemptyset(&set);
    sigaddset(&set, SIGQUIT);
    sigaddset(&set, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &set, &old);
    for (int i = 0; i < NWORK; i++)
        pthread_create(&t, NULL, worker, (void *)(intptr_t)i);
    pthread_create(&t, NULL, blocker, NULL);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    // Wait until every thread sleeps in its read().
    while (atomic_load(&sh->ready) < NWORK + 1)
        usleep(1000);
    for (int i = 0; i <= NWORK; i++) {
        for (;;) {
            char path[64], stat[256] = {0};
            snprintf(path, sizeof path, "/proc/self/task/%d/stat", sh->tid[i]);
            int fd = open(path, O_RDONLY);
            ssize_t r = fd >= 0 ? read(fd, stat, sizeof stat - 1) : -1;
            if (fd >= 0)
                close(fd);
            char *p = r > 0 ? strrchr(stat, ')') : NULL;
            if (p && p[1] == ' ' && p[2] == 'S')
                break;
            usleep(1000);
        }
    }
}

int main(int argc, char **argv) {
    if (argc < 3)
        return 2;
    sh = mmap(NULL, sizeof *sh, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    pthread_setname_np(pthread_self(), "main");
    if (strcmp(argv[1], "handler") == 0) {
        sh->main_tid = (int)syscall(SYS_gettid);
        start_threads();
        dump_fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
        signal(SIGUSR1, on_usr1);
        LINE_HERE(L_RAISE); pthread_kill(pthread_self(), SIGUSR1);
        close(dump_fd);
        printf("returned=%d\n", dump_ret);
        // HANDLER: returned=18
        struct frame want[2] = {{"on_usr1", sh->line[L_HANDLER]}, {"main", sh->line[L_RAISE]}};
        verify(argv[2], want, 2);
        // HANDLER-NEXT: sections=18 first_is_main=1
        // HANDLER-NEXT: ok=17 blocked=1 bad=0
        return 0;
    }
    // quit: a child takes SIGQUIT; its stderr goes to argv[2].
    pid_t pid = fork();
    if (pid == 0) {
        struct rlimit no_core = {0, 0};
        setrlimit(RLIMIT_CORE, &no_core);
        int fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2(fd, 2);
        sh->main_tid = (int)syscall(SYS_gettid);
        pthread_setname_np(pthread_self(), "main");
        signal(SIGQUIT, previous_quit); // chained by the quit handler
        if (whence_install_quit_handler() != 0 || whence_install_quit_handler() != 0)
            _exit(3);
        start_threads();
        LINE_HERE(L_KILL); kill(getpid(), SIGQUIT);
        _exit(4); // not reached: the default action of SIGQUIT ends the process
    }
    int st;
    waitpid(pid, &st, 0);
    printf("child: signaled=%d sig=%d\n", WIFSIGNALED(st), WIFSIGNALED(st) ? WTERMSIG(st) : -1);
    // QUIT: child: signaled=1 sig=3
    struct frame want[1] = {{"main", sh->line[L_KILL]}};
    verify(argv[2], want, 1);
    // QUIT-NEXT: sections=18 first_is_main=1
    // QUIT-NEXT: ok=17 blocked=1 bad=0
    return 0;
}

// The dump's own text, as a user reads it.
// DUMP: thread [[#MAIN:]] "main":
// DUMP-NEXT: on_usr1(...)
// DUMP-NEXT: {{^}}	{{.*}}all-threads.c:{{[0-9]+}} +0x{{[0-9a-f]+$}}
// DUMP-NEXT: <signal handler called>
// DUMP-NEXT: main(...)
// DUMP: thread {{[0-9]+}} "w5":
// DUMP-NEXT: park(...)
// DUMP-NEXT: {{^}}	{{.*}}all-threads.c:{{[0-9]+}} +0x{{[0-9a-f]+$}}
// DUMP-NEXT: left(...)
// DUMP: thread {{[0-9]+}} "blocker": not answering (signal blocked)
// QUITDUMP: SIGQUIT: quit
// QUITDUMP-EMPTY:
// QUITDUMP-NEXT: thread {{[0-9]+}} "main":
// QUITDUMP-NEXT: main(...)
// QUITDUMP: thread {{[0-9]+}} "blocker": not answering (signal blocked)
// QUITDUMP-EMPTY:
// QUITDUMP-NEXT: previous SIGQUIT handler ran
