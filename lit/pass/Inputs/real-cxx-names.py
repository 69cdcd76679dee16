#!/usr/bin/env python3
"""real-cxx-names.py CLANGXX OUT.ll: an IR module with one empty function
per C++ function libstdc++ exports (its real mangled names), for
cxx-names-real.ll."""
import subprocess
import sys

clangxx, out = sys.argv[1], sys.argv[2]
lib = subprocess.run([clangxx, "-print-file-name=libstdc++.so.6"], check=True,
                     capture_output=True, text=True).stdout.strip()
nm = subprocess.run(["llvm-nm", "-D", "--defined-only", lib], check=True,
                    capture_output=True, text=True).stdout
names = sorted({l.split()[-1].split("@")[0] for l in nm.splitlines()
                if len(l.split()) == 3 and l.split()[1] in "TtWw"
                and l.split()[-1].startswith("_Z")})
with open(out, "w") as f:
    f.write('source_filename = "libstdc++"\ntarget triple = "x86_64-unknown-linux-gnu"\n')
    for n in names:
        f.write('define void @"%s"() {\n  ret void\n}\n' % n)
print(len(names), file=sys.stderr)
