#!/usr/bin/env python3
"""Makes every executable PT_LOAD of an ELF64 file execute-only (p_flags
R E -> E), as ld.lld --execute-only does on AArch64: lit/e2e/execute-only.c."""
import struct
import sys

path = sys.argv[1]
with open(path, "r+b") as f:
    data = bytearray(f.read())
    phoff, = struct.unpack_from("<Q", data, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
    n = 0
    for i in range(phnum):
        off = phoff + i * phentsize
        p_type, p_flags = struct.unpack_from("<II", data, off)
        if p_type == 1 and p_flags & 1:  # PT_LOAD, PF_X
            struct.pack_into("<I", data, off + 4, 1)  # PF_X only
            n += 1
    f.seek(0)
    f.write(data)
print("execute-only segments: %d" % n)
