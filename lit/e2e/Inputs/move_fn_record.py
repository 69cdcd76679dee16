#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""Damages one whence_fn record of an ELF file in place: the record of the
function named by argv[2] gets its entry moved by argv[3] bytes (its
pc-relative field rewritten), so that it names code the image does not have.
Used by damaged-fn-record.c."""
import struct
import sys

path, func, delta = sys.argv[1], sys.argv[2], int(sys.argv[3], 0)
data = bytearray(open(path, 'rb').read())
shoff, = struct.unpack_from('<Q', data, 0x28)
shentsize, shnum, shstrndx = struct.unpack_from('<HHH', data, 0x3a)
secs = [struct.unpack_from('<IIQQQQIIQQ', data, shoff + i * shentsize) for i in range(shnum)]
strtab_off = secs[shstrndx][4]


def name(off, base):
    end = data.index(b'\0', base + off)
    return data[base + off:end].decode()


by_name = {name(s[0], strtab_off): s for s in secs}
fn = by_name['whence_fn']
symtab = by_name['.symtab']
strs = secs[symtab[6]]
addr = None
for i in range(symtab[5] // 24):
    st_name, st_info, _, _, st_value, _ = struct.unpack_from('<IBBHQQ', data, symtab[4] + 24 * i)
    if (st_info & 0xf) == 2 and name(st_name, strs[4]) == func:
        addr = st_value
if addr is None:
    sys.exit('no function %s' % func)
done = 0
for off in range(0, fn[5], 16):
    at = fn[4] + off
    rel, = struct.unpack_from('<i', data, at)
    if fn[3] + off + rel == addr:
        struct.pack_into('<i', data, at, rel + delta)
        done += 1
if done != 1:
    sys.exit('found %d records of %s' % (done, func))
open(path, 'wb').write(data)
