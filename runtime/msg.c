/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * msg.c - async-signal-safe text output: a fixed buffer flushed with
 * write(2) or copied into a caller's buffer (whence_format_stack), decimal
 * and hex formatting of our own (no stdio, no malloc), and the "say each
 * problem once" flags for the runtime's stderr messages.
 */
#include "internal.h"

#include <errno.h>
#include <poll.h>
#include <sys/select.h>
#include <time.h>
#include <unistd.h>

__thread int wh_write_wait_ms = -1;
__thread bool wh_write_dropped;

/* poll(2) for room to write in fd, up to ms.  A process whose
 * RLIMIT_NOFILE is 0 cannot poll one descriptor (EINVAL: more than the
 * limit), and a crash report or a SIGQUIT dump to its open stderr was
 * dropped whole (helper-133): select, which the limit does not bound, and
 * where that cannot serve either, no wait (1: write). */
WH_RT static int wait_room(int fd, int ms) {
    struct pollfd q = {.fd = fd, .events = POLLOUT};
    int k = poll(&q, 1, ms);
    if (k >= 0 || errno != EINVAL)
        return k;
    if (fd < 0 || fd >= FD_SETSIZE)
        return 1;
    fd_set w;
    FD_ZERO(&w);
    FD_SET(fd, &w);
    struct timeval tv = {ms / 1000, (ms % 1000) * 1000};
    k = select(fd + 1, NULL, &w, NULL, &tv);
    return k < 0 && errno != EINTR ? 1 : k;
}

/* A write's EAGAIN: a non-blocking fd that is full (a pipe or socket
 * whose reader is behind, as a service's log collector may be), or a
 * socket's send timeout.  Dropped at once, a stack was lost though its
 * reader caught up in a moment (helper-90); waited for without end, a
 * handler writing to its own self-pipe never returned, and a send timeout
 * was outwaited (helper-91).  So it waits for room up to WH_EAGAIN_MS in
 * all per call (a crash report: no longer than it may wait at all), then
 * the rest is dropped.  True to write again. */
#define WH_EAGAIN_MS 1000
WH_RT static bool eagain_wait(int fd, int *waited) {
    int left = WH_EAGAIN_MS - *waited;
    if (wh_write_wait_ms >= 0 && wh_write_wait_ms < left)
        left = wh_write_wait_ms;
    if (left <= 0)
        return false;
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    int k = wait_room(fd, left);
    clock_gettime(CLOCK_MONOTONIC, &b);
    *waited += (int)((b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000) + 1;
    return k > 0 || (k < 0 && errno == EINTR);
}

WH_RT void wh_write_all(int fd, const char *p, size_t n) {
    int waited = 0;
    while (n > 0) {
        if (wh_write_wait_ms >= 0) {
            /* (a crash report: a reader that stopped reading must not hang
             * the dying process; once it timed out, the rest is dropped) */
            int k = wait_room(fd, wh_write_wait_ms);
            if (k == 0)
                wh_write_wait_ms = 0;
            if (k == 0 || (k < 0 && errno != EINTR))
                break;
            if (k < 0)
                continue;
        }
        ssize_t r = write(fd, p, n);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            if ((errno == EAGAIN || errno == EWOULDBLOCK) && eagain_wait(fd, &waited))
                continue;
            break;
        }
        if (r == 0)
            break;
        p += r;
        n -= (size_t)r;
    }
    if (n > 0)
        wh_write_dropped = true;
}

WH_RT void wh_buf_flush(struct wh_buf *w) {
    if (w->fd == WH_BUF_MEM) {
        /* Copy what still fits before the final NUL; count everything. */
        size_t room = w->cap > w->total + 1 ? w->cap - w->total - 1 : 0;
        size_t k = w->n < room ? w->n : room;
        for (size_t i = 0; i < k; i++)
            w->dst[w->total + i] = w->b[i];
        w->total += w->n;
        w->n = 0;
        return;
    }
    if (w->n) {
        /* errno is preserved: a signal handler must not change it. */
        int saved = errno;
        wh_write_all(w->fd, w->b, w->n);
        errno = saved;
    }
    w->n = 0;
}

WH_RT size_t wh_buf_finish_mem(struct wh_buf *w) {
    wh_buf_flush(w);
    if (w->cap)
        w->dst[w->total < w->cap ? w->total : w->cap - 1] = 0;
    return w->total;
}

WH_RT void wh_buf_mem(struct wh_buf *w, const char *s, size_t n) {
    while (n > 0) {
        if (w->n == sizeof w->b)
            wh_buf_flush(w);
        size_t room = sizeof w->b - w->n;
        size_t k = n < room ? n : room;
        for (size_t i = 0; i < k; i++)
            w->b[w->n + i] = s[i];
        w->n += (uint32_t)k;
        s += k;
        n -= k;
    }
}

WH_RT void wh_buf_str(struct wh_buf *w, const char *s) {
    size_t n = 0;
    while (s[n])
        n++;
    wh_buf_mem(w, s, n);
}

WH_RT void wh_buf_name_n(struct wh_buf *w, const char *s, size_t len) {
    static const char hex[] = "0123456789abcdef";
    size_t n = 0;
    while (n < len) {
        unsigned char c = (unsigned char)s[n];
        if (c >= 0x20 && c != 0x7f) {
            n++;
            continue;
        }
        wh_buf_mem(w, s, n);
        char e[4] = {'\\', 'x', hex[c >> 4], hex[c & 15]};
        wh_buf_mem(w, e, 4);
        s += n + 1;
        len -= n + 1;
        n = 0;
    }
    wh_buf_mem(w, s, n);
}

WH_RT void wh_buf_name(struct wh_buf *w, const char *s) {
    size_t n = 0;
    while (s[n])
        n++;
    wh_buf_name_n(w, s, n);
}

WH_RT void wh_buf_dec(struct wh_buf *w, uint64_t v) {
    char t[20];
    int i = 20;
    do {
        t[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    wh_buf_mem(w, t + i, (size_t)(20 - i));
}

WH_RT void wh_buf_hex(struct wh_buf *w, uint64_t v) {
    char t[18];
    int i = 18;
    do {
        t[--i] = "0123456789abcdef"[v & 15];
        v >>= 4;
    } while (v);
    t[--i] = 'x';
    t[--i] = '0';
    wh_buf_mem(w, t + i, (size_t)(18 - i));
}

static _Atomic uint32_t wh_said;

WH_RT void wh_say_image(uintptr_t addr, const char *why) {
    struct wh_buf w = {.fd = 2};
    wh_buf_str(&w, "whence: ignoring image at ");
    wh_buf_hex(&w, addr);
    wh_buf_str(&w, ": ");
    wh_buf_str(&w, why);
    wh_buf_str(&w, "\n");
    wh_buf_flush(&w);
}

/* An image whose buckets could not be built (no memory, or a sandbox
 * that refuses mmap) is not ignored: its records answer every lookup, as
 * they answer a process's first ones, only slower.  Said once. */
WH_RT void wh_say_no_buckets(uintptr_t addr) {
    if (!wh_once(WH_ONCE_NOMEM))
        return;
    struct wh_buf w = {.fd = 2};
    wh_buf_str(&w, "whence: image at ");
    wh_buf_hex(&w, addr);
    wh_buf_str(&w, ": out of memory building its lookup buckets; its records answer instead "
                   "(slower lookups)\n");
    wh_buf_flush(&w);
}

/* A program built without the plugin (gcc, or clang without -fpass-plugin)
 * links and runs, and every stack comes out empty: say why, once. */
WH_RT void wh_say_unbuilt(void) {
    /* An image that registered and was refused has been reported already,
     * with the real reason. */
    uint32_t refused = WH_ONCE_VERSION | WH_ONCE_FULL | WH_ONCE_UNALIGNED | WH_ONCE_BADBOUNDS;
    uint32_t said = atomic_load_explicit(&wh_said, memory_order_relaxed);
    if ((said & (refused | WH_ONCE_UNBUILT)) || wh_unbuilt_pending() || !wh_once(WH_ONCE_UNBUILT))
        return;
    struct wh_buf w = {.fd = 2};
    if (atomic_load_explicit(&wh_empty_image, memory_order_relaxed))
        /* (the plugin ran: telling the user to build with it misleads) */
        wh_buf_str(&w, "whence: code built with the whence plugin registered without its "
                       "records (its section bounds were null: code a JIT linked, which "
                       "defines no __start_/__stop_ symbols, or a link that dropped them all), "
                       "so stacks are empty\n");
    else
        wh_buf_str(&w, "whence: no code built with the whence plugin is loaded, so stacks are "
                       "empty: compile with clang-19 -gline-tables-only "
                       "-fpass-plugin=$(pkg-config --variable=plugin whence)\n");
    wh_buf_flush(&w);
}

WH_RT bool wh_once(uint32_t bit) {
    return !(atomic_fetch_or_explicit(&wh_said, bit, memory_order_relaxed) & bit);
}

WH_RT uint64_t wh_hash(uint64_t h, const void *p, size_t n) {
    const unsigned char *b = p;
    while (n >= 8) {
        uint64_t x;
        __builtin_memcpy(&x, b, 8);
        h = (h ^ x) * 0x100000001b3ull;
        h ^= h >> 29;
        b += 8;
        n -= 8;
    }
    while (n--) {
        h = (h ^ *b++) * 0x100000001b3ull;
    }
    return h;
}
