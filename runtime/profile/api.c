/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * api.c - whence_profile_start / whence_profile_stop, and the profile's
 * life around fork, dlclose and exit.
 *
 *   start    installs the SIGPROF handler (EBUSY if the program has its
 *            own), takes a first look at the loaded objects, and gives
 *            every thread a CPU-time timer plus the process-wide
 *            fallback timer for finding new threads (timers.c);
 *            from then on the handler does all the work there is while
 *            the program runs (handler.c)
 *   stop     deletes the timers, waits for handlers still running, drains
 *            what is left, names it (agg.c, resolve.c) and writes
 *            profile.proto, gzipped, to the fd
 *   dlclose  an instrumented image that is about to be unloaded calls
 *            wh_profile_unloading from its destructor (registry.c): what
 *            was sampled so far is named right there, while the image is
 *            still mapped, so its frames keep their names
 *   fork     the child inherits no timer; its copy of the running profile
 *            is dropped (its whence_profile_stop says ECHILD, rather than
 *            write the parent's samples a second time into the parent's
 *            file).  Under WHENCE_CPUPROFILE the child starts a profile of
 *            its own, to FILE.PID, sampled from its 50th ms of CPU time
 *            on (WH_PR_CHILD_HOLD_NS).
 *   exit     WHENCE_CPUPROFILE=FILE profiles a whole run: started when
 *            libwhence is loaded, written by an atexit handler (before any
 *            image is unloaded); _exit and death by a signal write nothing.
 *            A process started by a profiled one (WHENCE_CPUPROFILE_OWNER
 *            names the first) writes FILE.PID, not over the first's file.
 *
 * One profile at a time per process (EBUSY), as in Go.  api_lock orders
 * start and stop; the aggregated profile is touched only by ordinary code
 * that holds the raw table's lock (the hook and stop).  Naming calls
 * dl_iterate_phdr, which takes the loader's list lock; a dlclose runs the
 * destructors, and so the hook, before it takes that lock, so the hook
 * waiting for a stop in progress cannot deadlock with it.
 */
#define _GNU_SOURCE
#include "profile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define WH_MAX_HZ 10000
#define WH_INFLIGHT_WAIT_NS 1000000000LL

struct wh_pr_raw wh_pr_raw;

static pthread_mutex_t api_lock = PTHREAD_MUTEX_INITIALIZER;

static struct {
    /* under api_lock */
    bool running;
    bool forked;                 /* a child of a process that was profiling */
    int fd;                      /* -1: WHENCE_CPUPROFILE's file, opened at stop */
    long period_ns;
    uint64_t sess;
    int64_t t0_mono, t0_real;
    char exe[PATH_MAX];
    /* under wh_pr_raw.lock */
    bool agg_live;
    struct wh_pr_agg agg;
} P;

static _Atomic int wh_pr_active;     /* a profile runs (the dlclose hook's fast check) */
static _Atomic uint64_t wh_pr_sessions;

/* WHENCE_CPUPROFILE */
static struct {
    bool on;
    int hz;
    char base[PATH_MAX];  /* FILE, absolute */
    char path[PATH_MAX];  /* FILE, or FILE.PID */
    bool had;             /* FILE was a regular file when this process took it, */
    struct stat was;      /* this one */
} env;

WH_RT static int64_t clock_ns(clockid_t c) {
    struct timespec ts;
    clock_gettime(c, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* ---- start ------------------------------------------------------------------------------- */

static void atfork_child(void);
static pthread_once_t atfork_once = PTHREAD_ONCE_INIT;
WH_RT static void atfork_register(void) { pthread_atfork(NULL, NULL, atfork_child); }

/* The address of the program's first loaded segment. */
WH_RT static int first_load(struct dl_phdr_info *info, size_t size, void *arg) {
    (void)size;
    for (int i = 0; i < info->dlpi_phnum; i++)
        if (info->dlpi_phdr[i].p_type == PT_LOAD) {
            *(uintptr_t *)arg = info->dlpi_addr + info->dlpi_phdr[i].p_vaddr;
            break;
        }
    return 1; /* (the first object is the program) */
}

/* The program's file, for its mapping: the file mapped at its first
 * segment, as /proc/self/maps names it.  /proc/self/exe is the executed
 * file, the dynamic loader's for `ld.so ./prog`, which named the program
 * "ld-linux-x86-64.so.2" and its plain code ld-linux-x86-64.so.2+0x1820;
 * it serves where /proc/self/maps cannot be read. */
WH_RT static void program_path(char *buf, size_t len) {
    uintptr_t at = 0;
    dl_iterate_phdr(first_load, &at);
    FILE *f = at ? fopen("/proc/self/maps", "re") : NULL;
    char line[PATH_MAX + 128];
    bool found = false;
    while (f && !found && fgets(line, sizeof line, f)) {
        unsigned long lo, hi;
        int path = 0;
        if (sscanf(line, "%lx-%lx %*s %*s %*s %*s %n", &lo, &hi, &path) < 2 || !path ||
            at < lo || at >= hi || line[path] != '/')
            continue;
        size_t n = strcspn(line + path, "\n");
        if (n < len) {
            memcpy(buf, line + path, n);
            buf[n] = 0;
            found = true;
        }
        break;
    }
    if (f)
        fclose(f);
    if (!found) {
        ssize_t n = readlink("/proc/self/exe", buf, len - 1);
        buf[n > 0 ? n : 0] = 0;
    }
}

WH_RT static int start_locked(int fd, int hz, long hold_ns) {
    struct wh_pr_ring *ring = wh_pr_ring_get();
    if (!ring)
        return ENOMEM;
    int e = wh_pr_handler_install();
    if (e)
        return e;
    pthread_once(&atfork_once, atfork_register);
    program_path(P.exe, sizeof P.exe);

    P.fd = fd;
    P.period_ns = 1000000000L / hz;
    /* Session numbers never repeat in a process; a signal or a ring slot of
     * an older one is recognised as such. */
    P.sess = atomic_fetch_add(&wh_pr_sessions, 1) + 1;
    P.t0_mono = clock_ns(CLOCK_MONOTONIC);
    P.t0_real = clock_ns(CLOCK_REALTIME);
    atomic_store(&wh_pr_dropped, 0);
    atomic_store(&wh_pr_no_tp, 0);
    atomic_store(&wh_pr_overrun, 0);
    atomic_store(&wh_pr_itimer, 0);
    wh_raw_lock(&wh_pr_raw);
    wh_raw_clear(&wh_pr_raw);
    wh_agg_init(&P.agg, P.exe);
    wh_resolve_objects(&P.agg); /* what is loaded to begin with */
    P.agg_live = true;
    wh_raw_unlock(&wh_pr_raw);
    atomic_store(&wh_pr_active, 1);
    atomic_store(&wh_pr_session, P.sess);

    e = wh_pr_timers_start(&wh_pr_timers, P.period_ns, P.sess << WH_PR_SESS_SHIFT, hold_ns);
    if (e) {
        wh_pr_timers_stop(&wh_pr_timers, false); /* those armed before the failure */
        atomic_store(&wh_pr_session, 0);
        atomic_store(&wh_pr_active, 0);
        wh_raw_lock(&wh_pr_raw);
        P.agg_live = false;
        wh_agg_free(&P.agg);
        wh_raw_unlock(&wh_pr_raw);
        return e;
    }
    P.running = true;
    P.forked = false;
    return 0;
}

/* api_lock, with cancellation off while it is held (its holder writes and
 * sleeps: a cancel there kept the lock, and every later start waited). */
WH_RT static int api_enter(void) {
    int c = wh_cancel_off();
    pthread_mutex_lock(&api_lock);
    return c;
}

WH_RT static void api_leave(int c) {
    pthread_mutex_unlock(&api_lock);
    wh_cancel_restore(c);
}

WH_EXPORT WH_RT int whence_profile_start(int fd, int hz) {
    if (wh_too_early())
        return EAGAIN;
    if (hz <= 0 || hz > WH_MAX_HZ)
        return EINVAL;
    if (fd < 0 || fcntl(fd, F_GETFD) < 0)
        return EBADF;
    wh_check_built();
    int c = api_enter();
    int e = P.running ? EBUSY : start_locked(fd, hz, 0);
    api_leave(c);
    return e;
}

/* ---- stop ----------------------------------------------------------------------------------- */

WH_RT static int write_all(int fd, const char *p, size_t n) {
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return w < 0 ? errno : EIO;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

WH_RT static void env_path_pid(void);

WH_RT static int open_env_file(void) {
    /* FILE (a regular file) written or made since this process took it:
     * by another process of the run that did not know it was not the
     * first (a program that starts the next with an environment of its
     * own, as nginx's binary upgrade does, drops WHENCE_CPUPROFILE_OWNER),
     * whose profile it would replace without a word (helper-131). */
    struct stat st;
    if (!strcmp(env.path, env.base) && strncmp(env.base, "/dev/", 5) != 0 &&
        strncmp(env.base, "/proc/", 6) != 0 && stat(env.path, &st) == 0 && S_ISREG(st.st_mode) &&
        (!env.had || st.st_dev != env.was.st_dev || st.st_ino != env.was.st_ino ||
         st.st_size != env.was.st_size || st.st_mtim.tv_sec != env.was.st_mtim.tv_sec ||
         st.st_mtim.tv_nsec != env.was.st_mtim.tv_nsec)) {
        env_path_pid();
        fprintf(stderr,
                "whence: WHENCE_CPUPROFILE: %s was written by another process since this one "
                "started (one that was not passed WHENCE_CPUPROFILE_OWNER): writing %s\n",
                env.base, env.path);
    }
    int fd = open(env.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        int e = errno;
        fprintf(stderr, "whence: WHENCE_CPUPROFILE: cannot write %s: %s\n", env.path, strerror(e));
        errno = e;
    }
    return fd;
}

/* A stopped profile, encoded under api_lock and written after it: the
 * write may block (a pipe nobody reads yet) and must stay cancellable,
 * and a thread cancelled in it must not keep the lock (every later start
 * would wait for it).  Cancelled there, the profile is lost, nothing else. */
struct stopped {
    struct wh_vec proto, gz;
    int e;      /* ENOMEM: not encoded */
    int fd;     /* the caller's, or -1: WHENCE_CPUPROFILE's file */
    int opened; /* that file, while open */
};

WH_RT static void stopped_free(void *arg) {
    struct stopped *o = arg;
    if (o->opened >= 0)
        (void)close(o->opened);
    wh_vec_free(&o->proto);
    wh_vec_free(&o->gz);
}

WH_RT static int write_stopped(struct stopped *o) {
    int e = o->e;
    o->opened = -1;
    pthread_cleanup_push(stopped_free, o);
    int fd = o->fd >= 0 ? o->fd : (o->opened = open_env_file());
    if (fd < 0)
        e = errno;
    else if (!e)
        e = write_all(fd, o->gz.p, o->gz.n);
    if (o->opened >= 0) {
        if (close(o->opened) != 0 && !e)
            e = errno;
        o->opened = -1;
    }
    pthread_cleanup_pop(1);
    return e;
}

WH_RT static void stop_locked(struct stopped *o) {
    bool itimer = wh_pr_timers.itimer != 0, taken = wh_pr_handler_taken();
    /* (with another handler on SIGPROF no thread took the samples) */
    uint64_t blocked = wh_pr_timers_stop(&wh_pr_timers, !taken);
    int64_t t1 = clock_ns(CLOCK_MONOTONIC);
    /* A handler that saw the session before it was cleared finishes its
     * sample; then the ring and the raw table hold everything. */
    atomic_store_explicit(&wh_pr_session, 0, memory_order_seq_cst);
    for (int64_t t = t1; atomic_load_explicit(&wh_pr_inflight, memory_order_seq_cst) &&
                         t - t1 < WH_INFLIGHT_WAIT_NS;
         t = clock_ns(CLOCK_MONOTONIC)) {
        struct timespec ts = {0, 100000};
        nanosleep(&ts, NULL);
    }

    struct wh_pr_meta meta = {
        .time_nanos = P.t0_real,
        .duration_nanos = t1 - P.t0_mono,
        .period_ns = P.period_ns,
        .overrun = atomic_load(&wh_pr_overrun),
        .blocked = blocked,
        .itimer = itimer,
        .taken = taken,
    };
    struct wh_vec proto = {0}, gz = {0};
    *o = (struct stopped){.fd = P.fd};
    wh_raw_lock(&wh_pr_raw);
    wh_agg_convert(&P.agg, &wh_pr_raw, wh_pr_ring_now(), P.sess);
    meta.dropped = atomic_load(&wh_pr_dropped);
    wh_agg_add_synthetic(&P.agg, "[dropped samples]", meta.dropped);
    /* (their time, not their stacks: tp.c) */
    wh_agg_add_synthetic(&P.agg, "[threads without a thread pointer]",
                         atomic_load(&wh_pr_no_tp));
    /* (their time, measured by their CPU clocks: timers.c) */
    wh_agg_add_synthetic(&P.agg, "[threads that blocked SIGPROF]", blocked);
    bool ok = wh_pprof_encode(&P.agg, &meta, &proto) &&
              wh_gzip((const uint8_t *)proto.p, proto.n, &gz);
    P.agg_live = false;
    wh_agg_free(&P.agg);
    wh_raw_free(&wh_pr_raw);
    wh_raw_unlock(&wh_pr_raw);
    atomic_store(&wh_pr_active, 0);
    P.running = false;
    o->proto = proto;
    o->gz = gz;
    o->e = ok ? 0 : ENOMEM;
}

WH_EXPORT WH_RT int whence_profile_stop(void) {
    int c = api_enter();
    struct stopped o;
    bool was = P.running;
    int e = was ? 0 : P.forked ? ECHILD : EINVAL;
    if (was)
        stop_locked(&o);
    api_leave(c);
    return was ? write_stopped(&o) : e;
}

/* A copy of the runtime in a shared object (libwhence.a linked into it)
 * that is unloaded while its profile runs stops the profile first, which
 * writes it as whence_profile_stop does, and takes its SIGPROF handler
 * with it (kept after a stop to ignore late signals): the timers and the
 * handler would outlive its code. */
__attribute__((destructor)) WH_RT static void profile_unload(void) {
    if (!wh_copy_in_shared_object())
        return;
    if (atomic_load_explicit(&wh_pr_active, memory_order_acquire))
        (void)whence_profile_stop();
    wh_pr_handler_release();
}

/* ---- dlclose ------------------------------------------------------------------------------------ */

struct range_q {
    uintptr_t addr, lo, hi;
};

WH_RT static int range_cb(struct dl_phdr_info *info, size_t size, void *arg) {
    (void)size;
    struct range_q *q = arg;
    uintptr_t lo, hi;
    wh_load_span(info, false, &lo, &hi);
    if (q->addr < lo || q->addr >= hi)
        return 0;
    q->lo = lo;
    q->hi = hi;
    return 1;
}

WH_RT void wh_profile_unloading(const void *mod_start) {
    if (!atomic_load_explicit(&wh_pr_active, memory_order_acquire))
        return;
    struct range_q q = {(uintptr_t)mod_start, 0, 0};
    dl_iterate_phdr(range_cb, &q);
    wh_raw_lock(&wh_pr_raw);
    if (P.agg_live) {
        wh_agg_convert(&P.agg, &wh_pr_raw, wh_pr_ring_now(), P.sess);
        /* Again for the samples taken meanwhile (this thread's among them:
         * its stack holds the image's destructor). */
        wh_agg_convert(&P.agg, &wh_pr_raw, wh_pr_ring_now(), P.sess);
        if (q.hi > q.lo)
            wh_agg_unloading(&P.agg, q.lo, q.hi);
    }
    wh_raw_unlock(&wh_pr_raw);
}

/* ---- fork -------------------------------------------------------------------------------------- */

static void env_start(void);

WH_RT static void atfork_child(void) {
    /* Only this thread exists here: whatever the parent's other threads
     * held is free now. */
    api_lock = (pthread_mutex_t)PTHREAD_MUTEX_INITIALIZER;
    atomic_store(&wh_pr_raw.lock, 0);
    atomic_store(&wh_pr_timers.lock, 0);
    bool was = P.running;
    atomic_store(&wh_pr_session, 0);
    atomic_store(&wh_pr_active, 0);
    atomic_store(&wh_pr_inflight, 0);
    struct wh_pr_ring *ring = wh_pr_ring_now();
    if (ring)
        wh_pr_ring_reset(ring);
    if (!was)
        return;
    wh_pr_timers_forget(&wh_pr_timers); /* the timers stayed with the parent */
    wh_agg_free(&P.agg);
    wh_raw_free(&wh_pr_raw);
    P.agg_live = false;
    P.running = false;
    P.forked = true;
    if (env.on)
        env_start();
}

/* ---- WHENCE_CPUPROFILE -------------------------------------------------------------------------- */

WH_RT static void env_finish(void) {
    int c = api_enter();
    struct stopped o;
    bool was = P.running && P.fd < 0;
    if (was)
        stop_locked(&o);
    api_leave(c);
    if (was)
        (void)write_stopped(&o);
}

/* WHENCE_CPUPROFILE's file is written before any image is unloaded: at
 * exit the loader's destructor pass (_dl_fini) unloads them all, and each
 * instrumented one that goes names the samples so far first
 * (wh_profile_unloading), under the profile: PostgreSQL's backends spent
 * 110-140 ms each reading its line table at exit, a fifth to four fifths
 * of their profiles, as pthread_sigmask (helper-112).  That pass is an
 * exit handler too, registered by the C library's start after the
 * constructors of the libraries loaded with the program ran, libwhence's
 * (env_init) among them; exit handlers run last registered first.  So
 * env_finish is registered again by the program's own constructor, which
 * runs after that registration and before the program registers its own
 * exit handlers: it runs after them and before the unloading
 * (env_finish does its work once).  Not by a library's loaded later: an
 * exit handler the program registered before that dlopen ran after the
 * profile was written, its time left out (helper-117).  A program built
 * without the plugin writes after the unloading, as before. */
WH_RT void wh_profile_registered(void) {
    if (env.on)
        atexit(env_finish);
}

/* FILE.PID into env.path. */
WH_RT static void env_path_pid(void) {
    snprintf(env.path, sizeof env.path, "%s.%d", env.base, (int)getpid());
}

WH_RT static void env_start(void) {
    if (P.forked)
        env_path_pid();
    int c = api_enter();
    /* (a child's: not before WH_PR_CHILD_HOLD_NS of its CPU time; one
     * that asks for a profile itself knows what it does with SIGPROF) */
    int e = P.running ? EBUSY : start_locked(-1, env.hz, P.forked ? WH_PR_CHILD_HOLD_NS : 0);
    api_leave(c);
    if (e)
        fprintf(stderr, "whence: WHENCE_CPUPROFILE: not profiling: %s\n",
                e == EBUSY ? "SIGPROF is in use" : strerror(e));
}

WH_RT static void env_init_own(void);

/* (setenv, fopen and the profiler's start allocate: see wh_own_walk) */
__attribute__((constructor)) WH_RT static void env_init(void) {
    wh_own_walk++;
    env_init_own();
    wh_own_walk--;
}

/* (secure_getenv, as every WHENCE_* variable is read: a set-user-ID or
 * set-group-ID program ignores them.  Run by a user, such a program
 * linked with libwhence.so wrote its profile as root over any file the
 * user named, /etc/shadow included: helper-90.) */
WH_RT static void env_init_own(void) {
    const char *path = secure_getenv("WHENCE_CPUPROFILE");
    if (!path || !*path)
        return;
    const char *hz = secure_getenv("WHENCE_CPUPROFILE_HZ");
    env.hz = hz && *hz ? atoi(hz) : 100;
    if (env.hz <= 0 || env.hz > WH_MAX_HZ) {
        fprintf(stderr, "whence: WHENCE_CPUPROFILE_HZ=%s: not a rate from 1 to %d\n", hz,
                WH_MAX_HZ);
        return;
    }
    /* Absolute, so that a chdir does not move the file. */
    if (path[0] != '/' && getcwd(env.base, sizeof env.base - 2)) {
        size_t n = strlen(env.base);
        snprintf(env.base + n, sizeof env.base - n, "/%s", path);
    } else {
        snprintf(env.base, sizeof env.base, "%s", path);
    }
    snprintf(env.path, sizeof env.path, "%s", env.base);
    /* (what FILE is now: not the clock, which a file's time need not
     * follow, nor a device's or a pipe's time, which this process's own
     * output moves, nor /dev/stdout's file: helper-135) */
    env.had = stat(env.base, &env.was) == 0 && S_ISREG(env.was.st_mode);
    /* The first process of a run owns FILE; the processes it starts write
     * FILE.PID. */
    char me[24];
    snprintf(me, sizeof me, "%d", (int)getpid());
    const char *owner = secure_getenv("WHENCE_CPUPROFILE_OWNER");
    if (owner && *owner && strcmp(owner, me) != 0)
        env_path_pid();
    else
        setenv("WHENCE_CPUPROFILE_OWNER", me, 1);
    env.on = true;
    atexit(env_finish);
    env_start();
}
