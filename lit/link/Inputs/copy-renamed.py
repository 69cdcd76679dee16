#!/usr/bin/env python3
"""copy-renamed.py SO PREFIX N NAME: writes N copies PREFIX0.so .. of the
shared object SO in which every occurrence of the identifier NAME is
replaced by a name of the same length ending in a base-26 counter
(AAAA, AAAB, ...), so that no two copies are the same image (their whence
records differ) while each still loads and runs.  NAME must be a static
function (not a dynamic symbol: the dynamic linker's hash tables would no
longer find a renamed one)."""
import sys

src, prefix, n, name = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4].encode()
data = open(src, "rb").read()
if data.count(name) < 2:
    sys.exit("copy-renamed.py: %s occurs %d times in %s" % (name, data.count(name), src))
stem = name[:-4]
for i in range(n):
    tag = bytes(ord("A") + i // d % 26 for d in (17576, 676, 26, 1))
    open("%s%d.so" % (prefix, i), "wb").write(data.replace(name, stem + tag))
