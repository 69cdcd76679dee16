"""Writes a C file of N static functions that run_all(x) calls in turn
(through a table, so none is inlined): an object whose code has no dynamic
symbols, as a library's static functions (libpython's) have none."""
import sys

n, out = int(sys.argv[1]), sys.argv[2]
src = []
for i in range(n):
    src.append("static __attribute__((noinline)) unsigned f%d(unsigned x) "
               "{ for (int k = 0; k < 40; k++) x = x * 2654435761u + %du; return x; }" % (i, i))
src.append("static unsigned (*const tab[])(unsigned) = {%s};" % ",".join("f%d" % i for i in range(n)))
src.append("unsigned run_all(unsigned x) { for (int i = 0; i < %d; i++) x = tab[i](x); return x; }" % n)
with open(out, "w") as f:
    f.write("\n".join(src) + "\n")
