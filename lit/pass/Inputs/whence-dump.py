#!/usr/bin/env python3
"""whence-dump.py FILE: decode the whence records of an x86-64 ELF object,
executable or shared object (whence_abi.h layout) into lines FileCheck can
match.  Used by the pass's lit tests to check the bytes the pass emits, so
it reads the ELF itself instead of trusting any of the pass's code.

  mod[i] name=... key=0x... flags=LINES|SITES subprogs=N locs=N size=N
    subprog[j] name=... file=... line=N
    loc[j] subprog=NAME line=N col=N parent=P
  fn entry=WHERE size=N key=0x... subprog=NAME
  fence entry=WHERE size=N key=0x...   (printed last: a whence_fn record
                                       with subprog WHENCE_FN_FENCE)
  site label=WHERE loc=N chain=NAME:L:C <- NAME:L:C ...
  site label=WHERE loc=flat chain=NAME:L:C   (a flat site word: the position
                                in the function the label is in)
  site label=WHERE loc=N of MODNAME chain=...   (a module instrumented
                                before an LTO link, PRELINK, names a loc by
                                its address: here one of another module's,
                                copied by LTO with an inlined function)
  line pc=WHERE loc=N chain=NAME:L:C <- NAME:L:C ...
                               (one per pc word of whence_line, with the loc
                                of the loc word that closes its group)
  dynrelocs in-whence=N        (linked files: dynamic relocations that
                                 patch any whence_* section; must be 0)

WHERE is symbol+offset (sections and relocations of a .o are resolved to
their symbol; in a linked file to the function symbol holding the address).
"""
import struct
import sys

SHT_SYMTAB, SHT_RELA = 2, 4
MAGIC = 0x314E4857
R_X86_64_PC32 = 2
LINE_LOC_TAG, LINE_TAG_MASK = 0x7A000000, 0xFF000000  # whence_abi.h


def u32(b, o):
    return struct.unpack_from("<I", b, o)[0]


class Elf:
    def __init__(self, path):
        self.data = d = open(path, "rb").read()
        if d[:4] != b"\x7fELF" or d[4] != 2 or d[5] != 1:
            sys.exit("whence-dump: %s: not a little-endian ELF64 file" % path)
        self.type = struct.unpack_from("<H", d, 16)[0]
        shoff = struct.unpack_from("<Q", d, 0x28)[0]
        shentsize, shnum, shstrndx = struct.unpack_from("<HHH", d, 0x3A)
        self.sec = []
        for i in range(shnum):
            (name, typ, flags, addr, off, size, link, info, align,
             entsize) = struct.unpack_from("<IIQQQQIIQQ", d, shoff + i * shentsize)
            self.sec.append(dict(idx=i, name_off=name, type=typ, flags=flags,
                                 addr=addr, off=off, size=size, link=link,
                                 info=info))
        strtab = self.sec[shstrndx]
        for s in self.sec:
            s["name"] = self.cstr(strtab["off"] + s["name_off"])
        self.syms = []
        for s in self.sec:
            if s["type"] == SHT_SYMTAB:
                stroff = self.sec[s["link"]]["off"]
                for o in range(s["off"], s["off"] + s["size"], 24):
                    name, info, other, shndx, value, size = struct.unpack_from(
                        "<IBBHQQ", d, o)
                    nm = self.cstr(stroff + name)
                    if (info & 0xF) == 3 and shndx < len(self.sec):  # STT_SECTION
                        nm = self.sec[shndx]["name"]
                    self.syms.append(dict(name=nm, type=info & 0xF, shndx=shndx,
                                          value=value, size=size))

    def cstr(self, off):
        end = self.data.index(b"\0", off)
        return self.data[off:end].decode("utf-8", "replace")

    def sections(self, name):
        return [s for s in self.sec if s["name"] == name]

    def bytes(self, s):
        return self.data[s["off"]:s["off"] + s["size"]]

    def relocs(self, s):
        """{offset in s: (symbol name, addend, type)} for a relocatable file."""
        if not hasattr(self, "_relocs"):
            self._relocs = {}
            for r in self.sec:
                if r["type"] != SHT_RELA:
                    continue
                m = self._relocs.setdefault(r["info"], {})
                for o in range(r["off"], r["off"] + r["size"], 24):
                    off, info, addend = struct.unpack_from("<QQq", self.data, o)
                    sym = self.syms[info >> 32] if (info >> 32) < len(self.syms) else None
                    m[off] = (sym["name"] if sym else "?", addend, info & 0xFFFFFFFF,
                              sym["shndx"] if sym else None, sym["value"] if sym else 0)
        return self._relocs.get(s["idx"], {})

    def func_at(self, addr):
        for s in self.syms:
            if s["type"] == 2 and s["value"] <= addr < s["value"] + max(s["size"], 1):
                return "%s+%d" % (s["name"], addr - s["value"])
        return "0x%x" % addr

    def func_of(self, s, off):
        """The function symbol holding what the int32 at off of s points at."""
        if self.type == 1:
            r = self.relocs(s).get(off)
            if not r or r[3] is None:
                return None
            shndx, addr = r[3], r[1]
        else:
            shndx = None
            addr = s["addr"] + off + struct.unpack_from("<i", self.data, s["off"] + off)[0]
        for y in self.syms:
            if y["type"] == 2 and (shndx is None or y["shndx"] == shndx) and \
                    y["value"] <= addr < y["value"] + max(y["size"], 1):
                return y["name"]
        return None

    def where(self, s, off):
        """What the pc-relative int32 at offset off of section s points at."""
        if self.type == 1:  # ET_REL: the relocation says it
            r = self.relocs(s).get(off)
            if not r:
                return "?"
            name, addend, typ = r[:3]
            # PC32 to the field itself: target = S + A + (field - P) = S + A
            return "%s+%d" % (name, addend) if typ == R_X86_64_PC32 else "?"
        val = struct.unpack_from("<i", self.data, s["off"] + off)[0]
        return self.func_at(s["addr"] + off + val)

    def pc(self, s, off):
        val = struct.unpack_from("<i", self.data, s["off"] + off)[0]
        return s["addr"] + off + val


def tables(elf):
    mods = []
    for s in elf.sections("whence_mod"):
        b = elf.bytes(s)
        o = 0
        while o + 64 <= len(b):
            (magic, ver, hsz, total, flags, key, nsub, suboff, nloc, locoff,
             strsize, stroff, modname, nfile, fileoff, reserved) = struct.unpack_from(
                 "<IHHIIQIIIIIIIIII", b, o)
            if magic != MAGIC or total < hsz or total % 8 or o + total > len(b):
                print("bad table at 0x%x" % o)
                break
            t = b[o:o + total]

            def s_(off, t=t, stroff=stroff):
                e = t.index(b"\0", stroff + off)
                return t[stroff + off:e].decode("utf-8", "replace")

            files = [s_(struct.unpack_from("<I", t, fileoff + 4 * i)[0]) for i in range(nfile)]

            def file_(f, files=files):
                return files[f - 1] if 0 < f <= len(files) else ""
            # whence_abi.h: subprog {name, line (20 bits) | file << 20};
            # loc {subprog (24 bits) | file << 24, line, parent (20 bits) | column << 20},
            # or with WHENCE_MOD_LOC8 (0x10) loc8 {line (20 bits) | file << 20 (4 bits)
            # | column << 24, subprog (16 bits) | parent << 16}
            subs = [struct.unpack_from("<II", t, suboff + 8 * i) for i in range(nsub)]
            locsz = 8 if flags & 0x10 else 12
            if locsz == 8:
                raw = [struct.unpack_from("<II", t, locoff + 8 * i) for i in range(nloc)]
                raw = [(sp & 0xFFFF, lfc & 0xFFFFF, lfc >> 24, (lfc >> 20) & 0xF, sp >> 16)
                       for lfc, sp in raw]
            else:
                raw = [struct.unpack_from("<III", t, locoff + 12 * i) for i in range(nloc)]
                raw = [(sf & 0xFFFFFF, l, pc >> 20, sf >> 24, pc & 0xFFFFF) for sf, l, pc in raw]
            locs = [(a, l, c, p) for a, l, c, f, p in raw]
            locfiles = [files[f - 1] if 0 < f <= nfile else None for a, l, c, f, p in raw]
            mods.append(dict(ver=ver, hsz=hsz, total=total, flags=flags, key=key,
                             locbase=s["addr"] + o + locoff, locsz=locsz,
                             subs=[(s_(a), file_(lf >> 20), lf & 0xFFFFF) for a, lf in subs],
                             locs=locs, locfiles=locfiles, name=s_(modname), reserved=reserved,
                             pad_ok=t[stroff + strsize:] == b"\0" * (total - stroff - strsize),
                             layout_ok=(suboff == hsz and locoff == suboff + 8 * nsub and
                                        (nfile == 0 or fileoff == locoff + locsz * nloc) and
                                        stroff == locoff + locsz * nloc + 4 * nfile and
                                        stroff + strsize <= total and t[stroff] == 0)))
            o += total
    return mods


def flagstr(f, names):
    out = [n for bit, n in names if f & bit]
    return "|".join(out) if out else "0"


def chain(mod, idx):
    parts = []
    seen = 0
    while True:
        sub, line, col, parent = mod["locs"][idx]
        parts.append("%s:%d:%d" % (mod["subs"][sub][0], line, col))
        if not parent or seen > 1000:
            break
        idx = parent - 1
        seen += 1
    return " <- ".join(parts)


def main():
    elf = Elf(sys.argv[1])
    mods = tables(elf)
    bykey = {m["key"]: m for m in mods}
    for i, m in enumerate(mods):
        print("mod[%d] name=%s key=0x%010x flags=%s subprogs=%d locs=%d size=%d "
              "version=%d header=%d layout=%s" % (
                  i, m["name"], m["key"],
                  flagstr(m["flags"], [(1, "LINES"), (2, "SITES"), (4, "SLOTS"), (0x20, "PRELINK")]),
                  len(m["subs"]), len(m["locs"]), m["total"], m["ver"], m["hsz"],
                  "ok" if m["layout_ok"] and m["pad_ok"] and not m["reserved"] else "BAD"))
        for j, (name, file, line) in enumerate(m["subs"]):
            print("  subprog[%d] name=%s file=%s line=%d" % (j, name, file, line))
        for j, (sub, line, col, parent) in enumerate(m["locs"]):
            print("  loc[%d] subprog=%s line=%d col=%d parent=%d%s" % (
                j, m["subs"][sub][0] if sub < len(m["subs"]) else "?", line, col, parent,
                " file=" + m["locfiles"][j] if m["locfiles"][j] is not None else ""))
    fns = []  # (pc, size, key, sub) in linked files
    fences = []
    for s in elf.sections("whence_fn"):
        b = elf.bytes(s)
        if len(b) % 16:
            print("whence_fn section size %d is not a multiple of 16" % len(b))
        for o in range(0, len(b) - len(b) % 16, 16):
            size, keysub = struct.unpack_from("<IQ", b, o + 4)
            key, sub = keysub >> 24, keysub & 0xffffff
            if sub == 0xffffff:  # WHENCE_FN_FENCE: not a function
                fences.append("fence entry=%s size=%d key=0x%010x" % (elf.where(s, o), size, key))
                continue
            m = bykey.get(key)
            name = m["subs"][sub][0] if m and sub < len(m["subs"]) else "?"
            if elf.type != 1:
                fns.append((elf.pc(s, o), size, key, sub))
            print("fn entry=%s size=%d key=0x%010x subprog=%s" % (
                elf.where(s, o), size, key, name))
    def mod_for(s, o):
        """(module table, subprog index of the function) of a record's pc."""
        m = mods[0] if len(mods) == 1 and elf.type == 1 else None
        sub = None
        if elf.type != 1:
            pc = elf.pc(s, o)
            for fpc, fsize, key, fsub in fns:
                if fpc <= pc < fpc + max(fsize, 1):
                    m, sub = bykey.get(key), fsub
        elif m:  # a relocatable file: the function is the symbol the label is in
            fname = elf.func_of(s, o)
            for j, sp in enumerate(m["subs"]):
                if sp[0] == fname:
                    sub = j
        return m, sub

    for s in elf.sections("whence_site"):
        b = elf.bytes(s)
        for o in range(0, len(b) - len(b) % 8, 8):
            loc = u32(b, o + 4)
            m, sub = mod_for(s, o)
            if m and m["flags"] & 0x20:
                # instrumented before an LTO link: the word is the loc's
                # address, relative to the word (in an object file, 0 and a
                # relocation)
                if elf.type == 1:  # the relocation: S + A - P, S the table
                    r = elf.relocs(s).get(o + 4)
                    if not r or r[2] != R_X86_64_PC32:
                        print("site label=%s loc=? (no relocation)" % elf.where(s, o))
                        continue
                    a = r[4] + r[1]
                else:
                    a = s["addr"] + o + 4 + struct.unpack_from("<i", b, o + 4)[0]
                owner = [x for x in mods if x["locbase"] <= a < x["locbase"] + x["locsz"] * len(x["locs"])
                         and (a - x["locbase"]) % x["locsz"] == 0]
                if not owner:
                    print("site label=%s loc=? (no loc at its address)" % elf.where(s, o))
                    continue
                x = owner[0]
                loc = (a - x["locbase"]) // x["locsz"]
                if x is not m:
                    print("site label=%s loc=%d of %s chain=%s" % (elf.where(s, o), loc, x["name"],
                                                                   chain(x, loc)))
                    continue
            if loc & 0x80000000:
                line, col = (loc & 0x7fffffff) >> 11, loc & 0x7ff
                name = m["subs"][sub][0] if m and sub is not None and sub < len(m["subs"]) else "?"
                print("site label=%s loc=flat chain=%s:%d:%d" % (elf.where(s, o), name, line, col))
                continue
            ch = chain(m, loc) if m and loc < len(m["locs"]) else "?"
            print("site label=%s loc=%d chain=%s" % (elf.where(s, o), loc, ch))
    # whence_line: a stream of 32-bit words (alignment 1): pc words
    # (pc-relative) and loc words (LINE_LOC_TAG | loc) that give the loc of
    # every pc word since the previous loc word.  In a relocatable file a
    # pc word is one with a relocation.
    for s in elf.sections("whence_line"):
        b = elf.bytes(s)
        if len(b) % 4:
            print("whence_line section size %d is not a multiple of 4" % len(b))
        pending = []
        for o in range(0, len(b) - len(b) % 4, 4):
            w = u32(b, o)
            if elf.type == 1:
                is_loc = o not in elf.relocs(s)
                if is_loc and w & LINE_TAG_MASK != LINE_LOC_TAG:
                    print("whence_line word at %d is neither a pc nor a loc: 0x%08x" % (o, w))
                    continue
            else:
                is_loc = w & LINE_TAG_MASK == LINE_LOC_TAG
            if not is_loc:
                pending.append(o)
                continue
            loc = w & ~LINE_TAG_MASK
            if not pending:
                print("whence_line loc word at %d has no pc word" % o)
            for po in pending:
                m = mod_for(s, po)[0]
                ch = chain(m, loc) if m and loc < len(m["locs"]) else "?"
                print("line pc=%s loc=%d chain=%s" % (elf.where(s, po), loc, ch))
            pending = []
        for po in pending:
            print("line pc=%s loc=? (no loc word follows)" % elf.where(s, po))
    if elf.type != 1:
        ranges = [(s["addr"], s["addr"] + s["size"]) for s in elf.sec
                  if s["name"].startswith("whence_") and s["addr"]]
        n = 0
        for r in elf.sec:
            if r["type"] == SHT_RELA and r["flags"] & 2:  # SHF_ALLOC: dynamic
                for o in range(r["off"], r["off"] + r["size"], 24):
                    off = struct.unpack_from("<Q", elf.data, o)[0]
                    n += any(a <= off < b for a, b in ranges)
        print("dynrelocs in-whence=%d" % n)
    for f in fences:
        print(f)


if __name__ == "__main__":
    main()
