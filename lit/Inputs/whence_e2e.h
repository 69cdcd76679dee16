/*
 * whence_e2e.h - small printing helpers shared by the end-to-end tests in
 * lit/e2e.  Every helper is static and only ever called *after* a capture,
 * so none of them appears in a captured stack.  Included with -I%inputs.
 */
#ifndef WHENCE_E2E_H
#define WHENCE_E2E_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <whence.h>

#define E2E_UNUSED __attribute__((unused))
#define NOINLINE __attribute__((noinline))
#define ALWAYS_INLINE static inline __attribute__((always_inline))

/* The file as recorded at compile time may be absolute or relative: tests
 * match the last path component only. */
E2E_UNUSED static const char *e2e_base(const char *p) {
    if (!p)
        return "(null)";
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

/* One line per logical frame:
 *   <tag> fn=<function> file=<basename> line=<n> inl=<0|1>
 * The trailing "inl=" keeps "line=12" from matching "line=123". */
E2E_UNUSED static void e2e_print(const char *tag, const whence_frame *f) {
    printf("%s fn=%s file=%s line=%d inl=%d\n", tag, f->function, e2e_base(f->file),
           f->line, (int)f->inlined);
}

/* Is *f exactly the "unknown" frame that whence_caller fills in when it
 * returns false?  (pc is not specified for it, everything else is.) */
E2E_UNUSED static int e2e_is_unknown(const whence_frame *f) {
    return f->func == NULL && f->function && strcmp(f->function, "?") == 0 && f->file &&
           strcmp(f->file, "?") == 0 && f->line == 0 && f->column == 0 && f->entry == 0 &&
           !f->inlined;
}

/* Expands pcs[0..n) and prints every logical frame with e2e_print, then
 * "<tag> end frames=<count>". */
E2E_UNUSED static int e2e_dump(const char *tag, const uintptr_t *pcs, int n) {
    whence_frames it;
    whence_frame f;
    int k = 0;
    whence_frames_init(&it, pcs, n);
    while (whence_frames_next(&it, &f)) {
        e2e_print(tag, &f);
        k++;
    }
    printf("%s end frames=%d\n", tag, k);
    return k;
}

/* "<head> <function> <function> ...": the functions of pcs[0..n) on one
 * line. */
E2E_UNUSED static void e2e_names(const char *head, const uintptr_t *pcs, int n) {
    whence_frames it;
    whence_frame f;
    whence_frames_init(&it, pcs, n);
    printf("%s", head);
    while (whence_frames_next(&it, &f))
        printf(" %s", f.function);
    printf("\n");
}

#endif /* WHENCE_E2E_H */
