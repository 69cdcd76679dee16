#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""Authoring helper: annotate.py FILE LINE 'CHECK: ...' [LINE 'CHECK: ...' ...]
appends the text as a // comment to the given lines (aligned at column 40),
so that adding annotations never shifts line numbers."""
import sys
path = sys.argv[1]
lines = open(path).read().split('\n')
for ln, text in zip(sys.argv[2::2], sys.argv[3::2]):
    i = int(ln) - 1
    code = lines[i].rstrip()
    if '//' in code and 'CHECK' in code.split('//', 1)[1]:
        lines[i] = code + ' ' + text
    else:
        lines[i] = code.ljust(39) + ' // ' + text
open(path, 'w').write('\n'.join(lines))
