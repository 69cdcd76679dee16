# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
# seed_demangle.py TEST_C OUTDIR: one seed file per mangled name quoted in
# TEST_C (tests/test_demangle.c), without its "_Z" (fuzz_demangle adds it);
# Rust v0 names ("_R...") without their "_".
import re
import sys

names = sorted(set(re.findall(r'"(_[ZR][^"\\]*)"', open(sys.argv[1]).read())))
for i, n in enumerate(names):
    with open("%s/v%03d" % (sys.argv[2], i), "w") as f:
        f.write(n[2:] if n[1] == "Z" else n[1:])
