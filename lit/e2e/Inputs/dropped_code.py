# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
# Writes a C function of N statements, each on a line of its own, for the
# linker to drop (--gc-sections): its line program then covers N rows of
# some 13 bytes each from the tombstone address (crash-line-dropped-code.c).
import sys
n = int(sys.argv[1])
sys.stdout.write('extern volatile int dropped_sink;\nvoid dropped_big(int x) {\n')
for i in range(n):
    sys.stdout.write('    dropped_sink = x * %d + dropped_sink;\n' % (i + 1))
sys.stdout.write('}\n')
