# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
# cfi-jump-table-after-noreturn.c's driver: builds the test with 0 to 15
# bytes of padding in die() until die ends exactly where the -fsanitize=cfi
# jump table's entry for handler starts, then runs that build.
# usage: cfi-end-pad.py NM OUT RUN... -- CLANG ARGS...  (-DPAD=<n> is added)
import subprocess
import sys

args = sys.argv[1:]
sep = args.index("--")
nm, out, run, cc = args[0], args[1], args[2:sep], args[sep + 1:]
for pad in range(16):
    subprocess.run(cc + ["-DPAD=\"%d\"" % pad, "-o", out], check=True)
    syms = {}
    for line in subprocess.run([nm, "-S", out], check=True, capture_output=True,
                               text=True).stdout.splitlines():
        f = line.split()
        if len(f) == 4:
            syms.setdefault(f[3], []).append((int(f[0], 16), int(f[1], 16)))
        elif len(f) == 3:
            syms.setdefault(f[2], []).append((int(f[0], 16), 0))
    die, handler = syms.get("die"), syms.get("handler")
    if die and handler and die[0][0] + die[0][1] == handler[0][0]:
        print("die ends at handler's jump-table entry", flush=True)
        sys.exit(subprocess.run(run + [out]).returncode)
print("no padding put die's end on the jump table")
sys.exit(1)
