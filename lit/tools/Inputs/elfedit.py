#!/usr/bin/env python3
"""elfedit.py FILE OUT ACTION...: a copy of FILE with bytes changed, for the
whence-link tests.  Actions, applied in order:
  zero=SECTION          the section's bytes all zero (whence_fn, whence_site:
                        a processed image must then still answer the same,
                        from its table alone); nothing if there is none
  arrays=whence_mod     the subprog and loc arrays of every module table in
                        whence_mod all zero (their headers, file lists and
                        strings kept): a processed image must then still
                        answer the same, from the table's packed copies
  flip=SECTION:OFFSET   one byte of the section inverted (a damaged table)
  flipmod=whence_tab:OFFSET  one byte of the table's first module entry
                        (struct whence_tab_mod) inverted
  flipfunc=whence_tab:K:B:MASK  byte B (0-7) of the table's function entry K
                        (struct whence_tab_func) xor MASK
  flipchg=whence_tab:K:MASK  the table's data area (the ranges' descriptions
                        and line tables) byte K xor MASK
  flipbucket=whence_tab:K:MASK  byte K of the table's buckets xor MASK
  flippack=whence_tab:K:MASK  byte K of the first module's packed subprogs
                        and locs xor MASK
  locline=whence_mod:FROM:TO  every 12-byte loc (struct whence_loc) of line
                        FROM in whence_mod gets line TO (a line the
                        runtime's reader rejects: the pass writes none)
  size=SECTION:BYTES    the section header says BYTES (a reservation too small)
  noshdr                no section headers (as sstrip leaves a file)
"""
import struct
import sys


def sections(d):
    shoff, = struct.unpack_from("<Q", d, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", d, 0x3A)
    secs = []
    for i in range(shnum):
        secs.append(list(struct.unpack_from("<IIQQQQIIQQ", d, shoff + i * shentsize)))
    stroff = secs[shstrndx][4]
    names = {}
    for i, s in enumerate(secs):
        end = d.index(b"\0", stroff + s[0])
        names[d[stroff + s[0]:end].decode()] = i
    return shoff, shentsize, secs, names


def main():
    src, out = sys.argv[1], sys.argv[2]
    d = bytearray(open(src, "rb").read())
    for act in sys.argv[3:]:
        shoff, shentsize, secs, names = sections(d)
        if act == "noshdr":
            struct.pack_into("<QHHH", d, 0x28, 0, 0, 0, 0)
            struct.pack_into("<H", d, 0x3A, 0)
            continue
        kind, arg = act.split("=", 1)
        name, _, val = arg.partition(":")
        if kind == "zero" and name not in names:
            continue
        i = names[name]
        s = secs[i]
        off, size = s[4], s[5]
        if kind == "zero":
            d[off:off + size] = bytes(size)
        elif kind == "arrays":
            # whence_mod_header (whence_abi.h): magic, version, header_size,
            # total_size, flags, key, subprog_count/off, loc_count/off, ...
            o = off
            while o + 40 <= off + size:
                magic, _, _, total, flags = struct.unpack_from("<IHHII", d, o)
                if magic != 0x314E4857:
                    o += 8  # padding between module tables
                    continue
                nsub, suboff, nloc, locoff = struct.unpack_from("<IIII", d, o + 24)
                locsz = 8 if flags & 0x10 else 12  # WHENCE_MOD_LOC8
                d[o + suboff:o + suboff + 8 * nsub] = bytes(8 * nsub)
                d[o + locoff:o + locoff + locsz * nloc] = bytes(locsz * nloc)
                o += total
        elif kind == "locline":
            frm, to = (int(x, 0) for x in val.split(":"))
            o, n = off, 0
            while o + 40 <= off + size:
                magic, _, _, total, flags = struct.unpack_from("<IHHII", d, o)
                if magic != 0x314E4857:
                    o += 8
                    continue
                nloc, locoff = struct.unpack_from("<II", d, o + 32)
                if not flags & 0x10:  # WHENCE_MOD_LOC8: no room for such lines
                    for k in range(nloc):
                        at = o + locoff + 12 * k + 4
                        if struct.unpack_from("<I", d, at)[0] == frm:
                            struct.pack_into("<I", d, at, to)
                            n += 1
                o += total
            if not n:
                sys.exit("elfedit: no loc of line %d" % frm)
        elif kind == "flip":
            d[off + int(val, 0)] ^= 0xFF
        elif kind == "flipmod":
            mod_off, = struct.unpack_from("<I", d, off + 84)  # whence_tab_header.mod_off
            d[off + mod_off + int(val, 0)] ^= 0xFF
        elif kind == "flipfunc":
            k, b, mask = (int(x, 0) for x in val.split(":"))
            func_off, = struct.unpack_from("<I", d, off + 68)  # whence_tab_header.func_off
            d[off + func_off + 8 * k + b] ^= mask
        elif kind == "flipchg":
            k, mask = (int(x, 0) for x in val.split(":"))
            data_off, = struct.unpack_from("<I", d, off + 100)  # whence_tab_header.data_off
            d[off + data_off + k] ^= mask
        elif kind == "flipbucket":
            k, mask = (int(x, 0) for x in val.split(":"))
            bucket_off, = struct.unpack_from("<I", d, off + 76)  # whence_tab_header.bucket_off
            d[off + bucket_off + k] ^= mask
        elif kind == "flippack":
            k, mask = (int(x, 0) for x in val.split(":"))
            mod_off, = struct.unpack_from("<I", d, off + 84)  # whence_tab_header.mod_off
            pack, = struct.unpack_from("<I", d, off + mod_off + 16)  # whence_tab_mod.pack
            if not pack:
                sys.exit("elfedit: the first module has no pack")
            d[off + mod_off + 16 + pack + k] ^= mask
        elif kind == "size":
            s[5] = int(val, 0)
            struct.pack_into("<IIQQQQIIQQ", d, shoff + i * shentsize, *s)
        else:
            sys.exit("elfedit: unknown action " + act)
    with open(out, "wb") as f:
        f.write(d)
    import os
    os.chmod(out, os.stat(src).st_mode & 0o7777)


main()
