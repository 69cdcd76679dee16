#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""Checks a whence CPU profile against DWARF, with pprof as the reader.

    pprof_check.py PROFILE [--binary NAME=FILE]... [--min-samples N] [--all-named]
                   [--named-leaves] [--foreign NAME=FILE]...

Reads PROFILE with `go tool pprof -raw -symbolize=none` (so what is checked
is what pprof itself understood) and asks llvm-symbolizer (--inlining) about
every location of a mapping that whence named ([FN][FL][LN][IN]):

  caller locations (not first in any sample): the address is inside the
      call instruction, so DWARF's inline chain there is the truth: same
      functions, innermost first, and the same files and lines -- except
      that whence may say 0 (unknown), never another line, and with line
      0 no file;
  leaf locations (first in some sample, an interrupted pc): whence gives
      one frame, the physical function, which must be DWARF's outermost,
      at the line of DWARF's innermost position (the line table's row), or
      0, and 0 where DWARF puts code inlined into it there; or two, the
      first "FUNCTION (inlined code)" at DWARF's innermost position, the
      physical function's at line 0, where DWARF puts inlined code there;
      or, where a line record names the pc, the whole chain as above.

Mappings without the flags (whence's records did not name one of their
locations, such as _start's: has_functions alone when a symbol table
named it) are checked too, at every location that has a file or a line.
The file a mapping names is the one that ran (maybe stripped); --binary
NAME=FILE gives an unstripped copy, matched on the mapping's base name.
DWARF's file:line is compared on the file's base name.  --all-named: every
location must have a name (a function, or OBJECT+0xOFFSET for foreign
code): no unknown frame.  --named-leaves: the same for the innermost
location of every sample (the time is never spent at an unknown place).
--foreign NAME=FILE: the locations of the mapping NAME (an object built
without the plugin; FILE an unstripped copy with its symbol table) must
each have a name, and the name must be the function FILE's symbols put at
the location's address: either that function's name (a dynamic symbol) or
NAME+0xSTART where START is that function's symbol's address.
A call that a frame slot names (-g builds) is checked as any other: its
location's address is its frame's return address - 1 (the runtime before
took its function's entry, where a tool that symbolizes the mapping again
read the function's first line).  Every location's start line (pprof's Function.start_line, read in the
Function's file) must be 0 or DWARF's: the line of the subprogram of the
same frame, whose file is the location's file.
Prints one line per mismatch and a summary "checked callers=N leaves=M
mismatches=K samples=S" (then " foreign=F" with --foreign).
"""
import os
import re
import subprocess
import sys

LLVM = "/usr/lib/llvm-19/bin"


def pprof_raw(path):
    out = subprocess.run(["go", "tool", "pprof", "-raw", "-symbolize=none", path],
                         check=True, capture_output=True, text=True).stdout
    samples, locs, maps = [], {}, {}
    section = None
    cur = None
    for line in out.splitlines():
        if line.startswith("Samples:"):
            section = "samples"
            continue
        if line.startswith("Locations"):
            section = "locs"
            continue
        if line.startswith("Mappings"):
            section = "maps"
            continue
        if section == "samples":
            m = re.match(r"\s*(\d+)\s+(\d+):((?:\s+\d+)*)\s*$", line)
            if m:
                samples.append((int(m.group(1)), [int(x) for x in m.group(3).split()]))
        elif section == "locs":
            m = re.match(r"\s*(\d+): (0x[0-9a-f]+) (?:M=(\d+) )?(.*)$", line)
            if m:
                cur = {"addr": int(m.group(2), 16), "map": int(m.group(3) or 0), "lines": []}
                locs[int(m.group(1))] = cur
                rest = m.group(4)
            elif line.startswith("             ") and cur is not None:
                rest = line.strip()
            else:
                continue
            lm = re.match(r"(.*) (\S*):(-?\d+) s=(\d+)", rest)
            if lm:
                cur["lines"].append((lm.group(1), lm.group(2), int(lm.group(3)), int(lm.group(4))))
        elif section == "maps":
            m = re.match(r"(\d+): (0x[0-9a-f]+)/(0x[0-9a-f]+)/(0x[0-9a-f]+) (\S*)(?: (\S+))?\s*(.*)$", line)
            if m:
                maps[int(m.group(1))] = {"start": int(m.group(2), 16), "limit": int(m.group(3), 16),
                                         "offset": int(m.group(4), 16), "file": m.group(5),
                                         "flags": m.group(7) or ""}
    return samples, locs, maps


def load_segments(path):
    """(p_offset, p_vaddr, p_filesz) of each PT_LOAD of an ELF file."""
    out = subprocess.run([os.path.join(LLVM, "llvm-readelf"), "-lW", path], check=True,
                         capture_output=True, text=True).stdout
    segs = []
    for line in out.splitlines():
        f = line.split()
        if f and f[0] == "LOAD":
            segs.append((int(f[1], 16), int(f[2], 16), int(f[4], 16)))
    return segs


def vaddrs(segs, items):
    """{location id: the ELF virtual address of its address} for
    (id, location, mapping) items: from the mapping's file offset."""
    va = {}
    for lid, l, m in items:
        off = l["addr"] - m["start"] + m["offset"]
        v = None
        for po, pv, pf in segs:
            if po <= off < po + pf:
                v = off - po + pv
        va[lid] = v
    return va


def function_symbols(path):
    """From an ELF file's symbol table: {function symbol: {its addresses}},
    and the [(start, end)] of those with a size."""
    out = subprocess.run([os.path.join(LLVM, "llvm-nm"), "--defined-only", "--no-demangle", "-S",
                          path], check=True, capture_output=True, text=True).stdout
    starts, ranges = {}, []
    for line in out.splitlines():
        f = line.split()
        if len(f) in (3, 4) and f[-2] in "tTwW":
            a = int(f[0], 16)
            starts.setdefault(f[-1], set()).add(a)
            if len(f) == 4:
                ranges.append((a, a + int(f[1], 16)))
    return starts, ranges


def symbolize(path, addrs):
    """{vaddr: [(function, file, line), ...innermost first]}"""
    if not addrs:
        return {}
    inp = "".join("0x%x\n" % a for a in addrs)
    out = subprocess.run([os.path.join(LLVM, "llvm-symbolizer"), "--obj=" + path, "--inlining",
                          "--functions=linkage", "--no-demangle"],
                         input=inp, check=True, capture_output=True, text=True).stdout
    res, blocks = {}, out.strip("\n").split("\n\n")
    for a, block in zip(addrs, blocks):
        ls = block.splitlines()
        frames = []
        for i in range(0, len(ls) - 1, 2):
            fn = ls[i].strip()
            fl = ls[i + 1].strip()
            m = re.match(r"(.*):(\d+):(\d+)$", fl)
            frames.append((fn, os.path.basename(m.group(1)) if m else "?", int(m.group(2)) if m else 0))
        res[a] = frames
    return res


def symbolize_starts(path, addrs):
    """{vaddr: [(function start file's base name, start line), ...innermost
    first]}: DWARF's subprogram (DW_AT_decl_file/line) of each frame; None
    for the file where DWARF has none (-gline-tables-only); then the
    function's start address."""
    if not addrs:
        return {}
    inp = "".join("0x%x\n" % a for a in addrs)
    out = subprocess.run([os.path.join(LLVM, "llvm-symbolizer"), "--obj=" + path, "--inlining",
                          "--verbose"], input=inp, check=True, capture_output=True, text=True).stdout
    res, cur, a = {}, None, iter(addrs)
    for line in out.splitlines() + [""]:
        if not line.strip():
            if cur is not None:
                res[next(a)] = cur
                cur = None
            continue
        cur = cur if cur is not None else []
        t = line.strip()
        if not line[0].isspace():
            cur.append([None, 0, None])  # a frame's function name
        elif t.startswith("Function start filename:") and cur:
            cur[-1][0] = os.path.basename(t.split(":", 1)[1].strip())
        elif t.startswith("Function start line:") and cur:
            cur[-1][1] = int(t.split(":", 1)[1])
        elif t.startswith("Function start address:") and cur:
            cur[-1][2] = int(t.split(":", 1)[1], 16)
    return res


def start_mismatch(got, starts):
    """pprof's Function.start_line is read in the Function's file, the
    frame's: a start line whence gives (not 0) must be DWARF's subprogram's,
    in that file."""
    for g, d in zip(got, starts):
        if g[3] and d[0] is not None and (d[0] != g[1] or d[1] != g[3]):
            return True
    return False


def main():
    args = sys.argv[1:]
    prof, binaries, min_samples, all_named, named_leaves = None, {}, 0, False, False
    foreign = {}
    while args:
        a = args.pop(0)
        if a == "--binary":
            k, v = args.pop(0).split("=", 1)
            binaries[k] = v
        elif a == "--foreign":
            k, v = args.pop(0).split("=", 1)
            foreign[k] = v
        elif a == "--all-named":
            all_named = True
        elif a == "--named-leaves":
            named_leaves = True
        elif a == "--min-samples":
            min_samples = int(args.pop(0))
        else:
            prof = a
    samples, locs, maps = pprof_raw(prof)
    leaves = {ids[0] for _, ids in samples if ids}
    total = sum(c for c, _ in samples)
    bad = 0
    checked = {"callers": 0, "leaves": 0, "inlined code": 0}
    # Group the whence-named locations by their mapping's file.
    by_file, by_foreign = {}, {}
    for lid, l in locs.items():
        if (all_named or (named_leaves and lid in leaves)) and not l["lines"]:
            print("mismatch: location %d at 0x%x has no name" % (lid, l["addr"]))
            bad += 1
        m = maps.get(l["map"])
        if m and os.path.basename(m["file"]) in foreign:
            by_foreign.setdefault(os.path.basename(m["file"]), []).append((lid, l, m))
            continue
        if not m or not l["lines"]:
            continue
        # A mapping whence's records did not name in full (one location of
        # code built without the plugin in it: has_functions at most, when
        # a symbol table named that one) still holds whence's claims:
        # every location with a file or a line.
        if "[LN]" not in m["flags"] and not any(fl or ln for _, fl, ln, _ in l["lines"]):
            continue
        name = os.path.basename(m["file"])
        path = binaries.get(name, m["file"])
        by_file.setdefault(path, []).append((lid, l, m))
    for path, items in by_file.items():
        va = vaddrs(load_segments(path), items)
        truth = symbolize(path, sorted({v for v in va.values() if v is not None}))
        starts = symbolize_starts(path, sorted({v for v in va.values() if v is not None}))
        for lid, l, m in items:
            v = va[lid]
            dw = truth.get(v) if v is not None else None
            got = [(fn, os.path.basename(fl), ln, sl) for fn, fl, ln, sl in l["lines"]]
            st = starts.get(v, []) if v is not None else []
            if not dw or dw[0][0] in ("??", ""):
                print("mismatch: location %d at 0x%x: no DWARF answer (%s)" % (lid, l["addr"], got))
                bad += 1
                continue
            if lid in leaves and len(got) == 1:
                checked["leaves"] += 1
                # (a line of code DWARF puts inlined into the function is
                # not the function's own: whence says so, or gives none)
                own = (0, dw[0][2]) if len(dw) == 1 else (0,)
                if got[0][0] != dw[-1][0] or got[0][2] not in own or start_mismatch(got, st[-1:]):
                    print("mismatch: leaf %d at 0x%x: whence %s, DWARF %s" % (lid, l["addr"], got, dw))
                    bad += 1
                continue
            if (lid in leaves and len(got) == 2 and
                    got[0][0] == got[1][0] + " (inlined code)"):
                # Code inlined into the function, its own function not
                # known: DWARF must say inlined code is there (a chain),
                # at that line, and the function's own line is unknown.
                checked["leaves"] += 1
                checked["inlined code"] += 1
                if (len(dw) < 2 or got[1][0] != dw[-1][0] or got[1][2] != 0 or
                        got[0][2] != dw[0][2] or got[0][1] != dw[0][1] or
                        start_mismatch(got[1:], st[-1:])):
                    print("mismatch: leaf %d at 0x%x: whence %s, DWARF %s" % (lid, l["addr"], got, dw))
                    bad += 1
                continue
            if lid in leaves:
                checked["leaves"] += 1
            else:
                checked["callers"] += 1
            ok = len(got) == len(dw) and all(
                g[0] == d[0] and (g[1] == d[1] or (g[1] == "" and g[2] == 0)) and
                (g[2] == d[2] or g[2] == 0)
                for g, d in zip(got, dw)) and not start_mismatch(got, st)
            if not ok:
                print("mismatch: caller %d at 0x%x: whence %s, DWARF %s" % (lid, l["addr"], got, dw))
                bad += 1
    nforeign = 0
    for name, items in by_foreign.items():
        path = foreign[name]
        va = vaddrs(load_segments(path), items)
        starts = {}
        for lid, l, m in items:
            fm = re.match(r"(.*)\+0x([0-9a-f]+)$", l["lines"][0][0]) if l["lines"] else None
            if fm and fm.group(1) == name:
                starts[lid] = int(fm.group(2), 16)
        truth = symbolize(path, sorted({v for v in va.values() if v is not None}))
        syms, ranges = function_symbols(path)
        for lid, l, m in items:
            nforeign += 1
            dw = truth.get(va[lid]) if va[lid] is not None else None
            fn = dw[-1][0] if dw else "??"
            got = l["lines"][0][0] if len(l["lines"]) == 1 else None
            held = va[lid] is not None and any(b <= va[lid] < e for b, e in ranges)
            if lid in starts and not held:
                # Code no function symbol holds (a PLT's header, which a
                # lazy binding's samples reach): named by an address at or
                # below the location's, never by a function's name.
                ok = va[lid] is not None and starts[lid] <= va[lid]
            elif lid in starts:
                ok = fn not in ("??", "") and starts[lid] in syms.get(fn, ())
            else:
                ok = fn not in ("??", "") and got == fn
            if not ok:
                print("mismatch: foreign %d at 0x%x: named %s, %s has %s there" %
                      (lid, l["addr"], [x[0] for x in l["lines"]], name, fn))
                bad += 1
    if total < min_samples:
        print("too few samples: %d < %d" % (total, min_samples))
        bad += 1
    print("checked callers=%d leaves=%d mismatches=%d samples=%s%s" %
          (checked["callers"], checked["leaves"], bad, "enough" if total >= min_samples else total,
           " foreign=%d" % nforeign if foreign else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
