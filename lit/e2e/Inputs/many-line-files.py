# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
# Writes N calls g(__FILE__, __LINE__), each after a #line directive naming
# a file of its own (line-file-overflow.c).
import sys
n = int(sys.argv[1])
for i in range(n):
    sys.stdout.write('#line %d "gen%03d.y"\n    g(__FILE__, __LINE__);\n' % (100 + i, i))
