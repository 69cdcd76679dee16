/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/* zloop.c - a zlib compression loop for scripts/bench-realworld.sh.
 *   zloop c LEVEL ROUNDS FILE   deflate FILE's bytes ROUNDS times at LEVEL
 *   zloop d ROUNDS FILE          deflate once (level 1), inflate ROUNDS times
 * Prints the compressed size and a CRC of the last output; exits non-zero if
 * a round-trip does not give the input back. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static unsigned char *slurp(const char *path, uLong *n) {
    FILE *f = fopen(path, "rb");
    if (!f) { perror(path); exit(2); }
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *p = malloc(len ? len : 1);
    if (!p || fread(p, 1, len, f) != (size_t)len) { perror("read"); exit(2); }
    fclose(f);
    *n = (uLong)len;
    return p;
}

int main(int argc, char **argv) {
    if (argc < 4 || (argv[1][0] == 'c' && argc < 5)) {
        fprintf(stderr, "usage: zloop c LEVEL ROUNDS FILE | zloop d ROUNDS FILE\n");
        return 2;
    }
    int comp = argv[1][0] == 'c';
    int level = comp ? atoi(argv[2]) : 1;
    int rounds = atoi(argv[comp ? 3 : 2]);
    uLong n;
    unsigned char *in = slurp(argv[comp ? 4 : 3], &n);
    uLong cap = compressBound(n), clen = cap;
    unsigned char *z = malloc(cap), *out = malloc(n ? n : 1);
    uLong crc = 0;
    for (int r = 0; r < (comp ? rounds : 1); r++) {
        clen = cap;
        if (compress2(z, &clen, in, n, level) != Z_OK) { fprintf(stderr, "compress2 failed\n"); return 1; }
        crc = crc32(crc, z, (uInt)clen);
    }
    for (int r = 0; r < (comp ? 1 : rounds); r++) {
        uLong olen = n;
        if (uncompress(out, &olen, z, clen) != Z_OK || olen != n || memcmp(out, in, n) != 0) {
            fprintf(stderr, "round trip failed\n");
            return 1;
        }
    }
    printf("%lu -> %lu crc %08lx\n", n, clen, crc);
    return 0;
}
