#!/usr/bin/env python3
"""record-size.py IMAGE: bytes of whence records vs line tables of IMAGE:
  records=N lines=N within-target=<1 if records <= lines>"""
import struct
import sys

d = open(sys.argv[1], "rb").read()
shoff = struct.unpack_from("<Q", d, 0x28)[0]
shentsize, shnum, shstrndx = struct.unpack_from("<HHH", d, 0x3A)
secs = [struct.unpack_from("<IIQQQQIIQQ", d, shoff + i * shentsize) for i in range(shnum)]
stroff = secs[shstrndx][4]


def name(s):
    o = stroff + s[0]
    return d[o:d.index(b"\0", o)].decode()


size = {name(s): s[5] for s in secs}
rec = sum(size.get(n, 0) for n in ("whence_fn", "whence_site", "whence_line", "whence_mod"))
lines = sum(size.get(n, 0) for n in (".debug_line", ".debug_line_str"))
print("records=%d lines=%d within-target=%d" % (rec, lines, rec <= lines))
