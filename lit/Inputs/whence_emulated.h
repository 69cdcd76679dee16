/*
 * whence_emulated.h - what the tests that measure their own memory read
 * under qemu-user (%emulated_cflags defines WHENCE_EMULATED there): its
 * /proc/self/statm and /proc/self/status are qemu's own (its translation
 * cache grows with load and with each new piece of code), while its
 * /proc/self/maps is the program's.  Included with -I%inputs.
 */
#ifndef WHENCE_EMULATED_H
#define WHENCE_EMULATED_H

#include <stdio.h>

/* The bytes of every mapping of the program; -1 when the maps cannot be
 * read. */
__attribute__((unused)) static long emulated_mapped_bytes(void) {
    FILE *m = fopen("/proc/self/maps", "r");
    if (!m)
        return -1;
    char line[512];
    unsigned long lo, hi, total = 0;
    while (fgets(line, sizeof line, m))
        if (sscanf(line, "%lx-%lx", &lo, &hi) == 2)
            total += hi - lo;
    fclose(m);
    return (long)total;
}

#endif
