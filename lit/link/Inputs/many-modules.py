#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""many-modules.py CC CFLAGS SOURCE OUTDIR N: N translation units built from
SOURCE (-DMOD=k -DNF=<its number of functions>: one to 40 functions each,
every seventh module with some in .text.unlikely (-DCOLD), one module of 40
in the middle among small ones), and OUTDIR/table.c: every function's
address and name, module by module, for the host (lit/link/many-modules.c);
OUTDIR/objs.rsp and OUTDIR/objs-rev.rsp: the objects in module order and in
reverse, as response files for the link."""
import os
import subprocess
import sys

cc, cflags, source, outdir, n = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
os.makedirs(outdir, exist_ok=True)
objs, funcs = [], []
for k in range(n):
    nf = 40 if k == n // 2 else 1 + (k * 7) % 13
    obj = os.path.join(outdir, "m%d.o" % k)
    extra = ["-DCOLD"] if k % 7 == 3 else []
    subprocess.run(cc.split() + cflags.split() + ["-DMOD=%d" % k, "-DNF=%d" % nf] + extra +
                   ["-c", source, "-o", obj], check=True)
    objs.append(obj)
    funcs.append(["m%d_f%d" % (k, i) for i in range(nf)])
with open(os.path.join(outdir, "table.c"), "w") as f:
    for names in funcs:
        for name in names:
            f.write("int %s(int);\n" % name)
    f.write("const struct mm_fn { int (*fn)(int); const char *name; int mod; } mm_fns[] = {\n")
    for k, names in enumerate(funcs):
        for name in names:
            f.write('  {%s, "%s", %d},\n' % (name, name, k))
    f.write("};\nconst int mm_nfns = %d, mm_nmods = %d;\n" % (sum(len(x) for x in funcs), n))
with open(os.path.join(outdir, "objs.rsp"), "w") as f:
    f.write("\n".join(objs) + "\n")
with open(os.path.join(outdir, "objs-rev.rsp"), "w") as f:
    f.write("\n".join(reversed(objs)) + "\n")
