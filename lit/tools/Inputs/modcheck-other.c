/* The second module of whence-link-modcheck.c: its module table stays intact. */
__attribute__((noinline)) int other_fn(int x) { return x * 3 + 1; }
