// rep-leaf.c - chain_leaf of rep.c in a TU of its own (rep.c built with
// -DREP_EXTERN_LEAF): the chain crosses modules.  Its CHECK lines use the
// LEAF prefix (FileCheck --check-prefix=LEAF on this file).
#include "whence_e2e.h"

static volatile int leaf_sink;
extern int main_line[3];
void rep_dump(const char *tag, const uintptr_t *pcs, int n, int *last_line);

NOINLINE void chain_leaf(int depth) {
    uintptr_t pcs[16];
    int n = whence_callers(0, pcs, 16);
    // LEAF: chain fn=chain_leaf file=rep-leaf.c line=[[@LINE-1]] inl=0
    rep_dump("chain", pcs, n, &main_line[0]);
    leaf_sink = depth;
}
