#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""probe-report.py: reads the stacks bench/realworld/probe.c wrote (one
probe.<pid>.<n>.tsv per process and image) and checks every frame whence
named against the project's sources.

  probe-report.py --project NAME --src TREE [--summary FILE] PROBE_DIR

For every distinct logical frame (function, file, line):
  * named: function is not "?", file is not "?", line > 0;
  * found: the file is in TREE (recorded paths are as the compiler saw them:
    absolute, or relative to the compile directory; matched by path suffix);
  * call:  the source line holds a call (an identifier or `)` followed by
    `(`, not a keyword such as if/while/sizeof);
  * callee: the line names the callee: the next-inner frame's function (or its
    name without a trailing `_`, as zlib's deflateInit macro for
    deflateInit_), or for the innermost frame and for allocation hooks an
    allocation function (malloc/calloc/realloc or a project hook or macro
    such as ZALLOC, customAlloc, memctl.malloc).  Informational.
And for every distinct physical frame (return address in an object): whence's
logical frames equal llvm-symbolizer's answer for address - 1 from the DWARF
line tables of the same build (function, file, line of each inlined frame).
Prints the most frequent allocation sites and one deep stack, then a
one-line summary (also written to --summary).  Exit status 1 if a named frame
inside the sources is on a line without a call, or nothing was sampled.
"""
import argparse
import collections
import glob
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from srclines import has_call  # noqa: E402

ALLOC_RE = re.compile(r"alloc|ALLOC|malloc|MALLOC|memctl|Alloc")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--project", required=True)
    ap.add_argument("--src", required=True)
    ap.add_argument("--summary")
    ap.add_argument("--symbolizer", default="/usr/lib/llvm-19/bin/llvm-symbolizer")
    ap.add_argument("--list", help="write every distinct frame with its checks to this file")
    ap.add_argument("dir")
    a = ap.parse_args()
    src = os.path.abspath(a.src)

    stacks = collections.Counter()   # tuple of frames -> samples
    physmap = {}                     # tuple of frames -> ((object, address)...), physical index per frame
    rebuilt = set()
    slot_entries = set()             # distinct slot-frame entries (-g builds)
    calls = procs = 0
    for path in glob.glob(os.path.join(a.dir, "probe.*.tsv")):
        procs += 1
        cur, cnt = None, 0
        with open(path, errors="replace") as f:
            for line in f:
                p = line.rstrip("\n").split("\t")
                if p[0] == "C":
                    calls += int(p[1])
                elif p[0] == "S":
                    if cur is not None:
                        stacks[tuple(cur)] += cnt
                        physmap.setdefault(tuple(cur), (tuple(phys), tuple(fphys)))
                    cur, cnt, phys, fphys = [], int(p[1]), [], []
                elif p[0] == "P" and cur is not None and len(p) >= 4:
                    obj = p[3]
                    if len(p) >= 6 and p[5] == "slot":   # a -g module's frame: its call's record
                        slot_entries.add((obj, p[2]))
                        phys.append(("?", int(p[2], 16)))
                        continue
                    # an object rebuilt after the run (zstd's test targets
                    # relink zstd and datagen) is not the code that ran
                    if len(p) >= 5 and os.path.isfile(obj) and int(os.stat(obj).st_mtime) != int(p[4]):
                        rebuilt.add(obj)
                        obj = "?"
                    phys.append((obj, int(p[2], 16)))
                elif p[0] == "F" and cur is not None and len(p) >= 6:
                    cur.append((p[3], p[4], int(p[5]), p[2] == "1"))
                    fphys.append(int(p[6]) if len(p) >= 7 else -1)
        if cur is not None:
            stacks[tuple(cur)] += cnt
            physmap.setdefault(tuple(cur), (tuple(phys), tuple(fphys)))

    samples = sum(stacks.values())
    if samples == 0:
        msg = "no samples (probe saw %d calls in %d files)" % (calls, procs)
        print(msg)
        if a.summary:
            open(a.summary, "w").write(msg)
        return 1

    # index of the tree: path suffixes -> files
    files = {}
    for dp, _dn, fn in os.walk(src):
        for n in fn:
            if n.endswith((".c", ".h", ".inc", ".y", ".l")):
                full = os.path.join(dp, n)
                files.setdefault(n, []).append(full)

    cache = {}

    def resolve(fname):
        if fname in cache:
            return cache[fname]
        r = None
        if os.path.isabs(fname) and os.path.isfile(fname) and fname.startswith(src + "/"):
            r = fname
        else:
            norm = os.path.normpath(fname)
            cands = files.get(os.path.basename(norm), [])
            # longest path-suffix match, e.g. "../lib/compress/zstd_compress.c"
            parts = [x for x in norm.split("/") if x not in ("..", ".")]
            best, bestlen = None, -1
            for c in cands:
                cp = c.split("/")
                k = 0
                while k < len(parts) and k < len(cp) and cp[-1 - k] == parts[-1 - k]:
                    k += 1
                if k > bestlen:
                    best, bestlen = c, k
            r = best
        cache[fname] = r
        return r

    lines_cache = {}

    def src_line(path, n):
        if path not in lines_cache:
            with open(path, errors="replace") as f:
                lines_cache[path] = f.read().split("\n")
        ls = lines_cache[path]
        return ls[n - 1] if 0 < n <= len(ls) else None

    frames = {}  # (fn, file, line) -> dict
    site_count = collections.Counter()
    for st, cnt in stacks.items():
        for d, (fn, fl, ln, inl) in enumerate(st):
            key = (fn, fl, ln)
            callee = st[d - 1][0] if d > 0 else None
            e = frames.setdefault(key, {"samples": 0, "callees": set()})
            e["samples"] += cnt
            e["callees"].add(callee)
        if st:
            site_count[(st[0][0], st[0][1], st[0][2])] += cnt

    named = found = call = callee_ok = 0
    bad, outside, hashline = [], [], []
    for (fn, fl, ln), e in frames.items():
        if fn == "?" or fl == "?" or ln <= 0:
            bad.append(("unnamed", fn, fl, ln, ""))
            continue
        named += 1
        path = resolve(fl)
        text = src_line(path, ln) if path else None
        if text is None:
            outside.append((fn, fl, ln))
            continue
        found += 1
        if has_call(text, src_line(path, ln + 1) or ""):
            call += 1
        elif any(l.startswith("#line") for l in lines_cache[path]):
            # The file has #line directives (generated parsers and lexers):
            # is the line right in a file that a #line names?
            named_files = set(re.findall(r'^#line\s+\d+\s+"([^"]+)"', "\n".join(lines_cache[path]), re.M))
            other = [o for o in (resolve(n) for n in named_files) if o and o != path]
            hit = [o for o in other if has_call(src_line(o, ln) or "", src_line(o, ln + 1) or "")]
            hashline.append((fn, fl, ln))
            bad.append(("no call on line; file has #line directives, line %d of %s holds a call: %s" %
                        (ln, ",".join(os.path.relpath(h, src) for h in hit) or "none",
                         (src_line(hit[0], ln) or "").strip() if hit else ""), fn, fl, ln, text.strip()))
        else:
            bad.append(("no call on line", fn, fl, ln, text.strip()))
        ok = False
        for c in e["callees"]:
            if c is None:
                ok = ok or bool(ALLOC_RE.search(text))
            else:
                # the name, a macro spelling of it (deflateInit for
                # deflateInit_), or an allocation hook called through a
                # project macro/pointer (ZALLOC for zcalloc)
                ok = ok or c in text or c.rstrip("_") in text or \
                    bool(ALLOC_RE.search(c) and ALLOC_RE.search(text))
        callee_ok += ok
        e["callee_ok"] = ok

    if a.list:
        with open(a.list, "w") as f:
            for (fn, fl, ln), e in sorted(frames.items(), key=lambda kv: (kv[0][1], kv[0][2])):
                path = resolve(fl) if fl != "?" else None
                text = (src_line(path, ln) or "") if path else ""
                nxt = (src_line(path, ln + 1) or "") if path else ""
                f.write("%s\t%s:%d\tcall=%s\tcallee=%s(%s)\t%s\n" % (
                    fn, fl, ln, int(has_call(text, nxt)), int(e.get("callee_ok", False)),
                    ",".join(sorted(c or "<alloc>" for c in e["callees"])), text.strip()))

    # The same frames from the DWARF line tables of the same build:
    # llvm-symbolizer on each physical frame's return address - 1.
    byobj = collections.defaultdict(set)
    for st, (phys, fphys) in physmap.items():
        for obj, addr in phys:
            if obj != "?" and os.path.isfile(obj):
                byobj[obj].add(addr - 1)
    dwarf = {}   # (obj, addr-1) -> [(function, file, line)...] innermost first
    for obj, addrs in byobj.items():
        addrs = sorted(addrs)
        try:
            r = subprocess.run([a.symbolizer, "--obj=" + obj, "--inlining", "--functions=linkage"],
                               input="\n".join("%#x" % x for x in addrs) + "\n",
                               capture_output=True, text=True, timeout=300)
        except (OSError, subprocess.TimeoutExpired):
            continue
        blocks = r.stdout.strip("\n").split("\n\n")
        for x, b in zip(addrs, blocks):
            ls = b.split("\n")
            fr = []
            for i in range(0, len(ls) - 1, 2):
                m = re.match(r"(.*):(\d+):(\d+)$", ls[i + 1])
                fr.append((ls[i], m.group(1) if m else ls[i + 1], int(m.group(2)) if m else 0))
            dwarf[(obj, x)] = fr

    def same_file(w, d):
        if os.path.isabs(w):
            return os.path.normpath(w) == os.path.normpath(d)
        return os.path.normpath(d).endswith("/" + os.path.normpath(w).lstrip("./"))

    dw_checked = dw_ok = dw_better = 0
    dw_better_ex = collections.OrderedDict()
    dw_bad = collections.OrderedDict()
    dw_seen = set()
    for st, (phys, fphys) in physmap.items():
        for j, (obj, addr) in enumerate(phys):
            key = (obj, addr - 1)
            if key not in dwarf or key in dw_seen:
                continue
            dw_seen.add(key)
            wf = [st[d] for d in range(len(st)) if d < len(fphys) and fphys[d] == j]
            df = dwarf[key]
            dw_checked += 1
            good = len(wf) == len(df) and all(
                w[0] == d[0] and w[2] == d[2] and same_file(w[1], d[1]) for w, d in zip(wf, df))
            if good:
                dw_ok += 1
                continue
            # Where they differ: whence's frames are consistent with the
            # source (each line calls the next-inner frame's function: the
            # physical callee found by the frame walk, or the allocator) and
            # DWARF's are not (a line-0 row, a row merged from several calls,
            # or a row inherited from the previous instruction).
            first = next(d for d in range(len(st)) if d < len(fphys) and fphys[d] == j)
            inner = st[first - 1][0] if first > 0 else None

            def names(fl, ln, callee):
                pth = resolve(fl) if fl != "?" else None
                if not pth or ln <= 0:
                    return False
                txt = src_line(pth, ln) or ""
                if callee and txt.rstrip().endswith(callee):   # `(` on the next line
                    return True
                if callee is None or ALLOC_RE.search(callee):
                    return bool(ALLOC_RE.search(txt)) or (callee is not None and callee in txt)
                return callee in txt or callee.rstrip("_") in txt

            def line_call(fl, ln):
                pth = resolve(fl) if fl != "?" else None
                return bool(pth and ln > 0 and has_call(src_line(pth, ln) or "", src_line(pth, ln + 1) or ""))

            def consistent(frs):
                callee = inner
                for fr in frs:
                    if not names(fr[1], fr[2], callee):
                        return False
                    callee = fr[0]
                return True

            better = wf[-1][0] == df[-1][0] and consistent(wf) and not consistent(df)
            if not better and wf[-1][0] == df[-1][0] and any(d[2] == 0 for d in df):
                # DWARF has no line for the call; whence's lines each hold a call
                better = all(names(w[1], w[2], "") or line_call(w[1], w[2]) for w in wf)
            if better:
                dw_better += 1
                dw_better_ex.setdefault(key, (wf, df))
            else:
                dw_bad[key] = (wf, df + [("(callee: %s)" % (inner or "malloc/calloc/realloc"), "", 0)])

    def short(fl):
        p = resolve(fl)
        return os.path.relpath(p, src) if p else fl

    out = []
    out.append("%s: %d processes/images, %d allocation calls, %d sampled stacks (%d distinct), "
               "%d distinct frames" % (a.project, procs, calls, samples, len(stacks), len(frames)))
    out.append("  top allocation sites (innermost frame: the function that called malloc/calloc/realloc):")
    for (fn, fl, ln), c in site_count.most_common(8):
        path = resolve(fl)
        text = (src_line(path, ln) or "").strip() if path else "(not in tree)"
        out.append("    %6d  %s at %s:%d    | %s" % (c, fn, short(fl), ln, text[:70]))
    deep = max(stacks, key=lambda s: (len(s), stacks[s]))
    out.append("  deepest sampled stack (%d logical frames, %d samples):" % (len(deep), stacks[deep]))
    for fn, fl, ln, inl in deep:
        path = resolve(fl)
        text = (src_line(path, ln) or "").strip() if path else ""
        out.append("    %s%s at %s:%d    | %s" % (fn, " (inlined)" if inl else "", short(fl), ln, text[:60]))
    for (obj, x), (wf, df) in list(dw_better_ex.items())[:3]:
        out.append("  DWARF's row does not call the callee, whence's line does: %s+%#x:" % (os.path.basename(obj), x))
        out.append("      whence: " + " <- ".join("%s %s:%d" % (w[0], w[1], w[2]) for w in wf))
        out.append("      dwarf:  " + " <- ".join("%s %s:%d" % (d[0], d[1], d[2]) for d in df))
    for (obj, x), (wf, df) in list(dw_bad.items())[:12]:
        out.append("  DWARF MISMATCH %s+%#x:" % (os.path.basename(obj), x))
        out.append("      whence: " + " <- ".join("%s %s:%d" % (w[0], w[1], w[2]) for w in wf))
        out.append("      dwarf:  " + " <- ".join("%s %s:%d" % (d[0], d[1], d[2]) for d in df))
    for kind, fn, fl, ln, text in bad[:20]:
        out.append("  BAD %s: %s at %s:%d | %s" % (kind, fn, fl, ln, text))
    if slot_entries:
        out.append("  not checked against DWARF: %d distinct frames of -g modules (caller-frame slots name "
                   "their call by its record, not by a return address; their lines are checked "
                   "against the source)" % len(slot_entries))
    if rebuilt:
        out.append("  not checked against DWARF: %d objects rebuilt after they ran (%s)" %
                   (len(rebuilt), ", ".join(sorted(os.path.basename(o) for o in rebuilt))))
    if outside:
        out.append("  %d named frames outside the source tree (not checked), e.g. %s" %
                   (len(outside), ", ".join("%s at %s:%d" % o for o in outside[:3])))
    top = site_count.most_common(1)[0][0]
    summary = ("%d/%d named; %d/%d return addresses match DWARF (llvm-symbolizer, inlined frames incl.)%s%s; "
               "%d/%d lines hold a call (%d name the callee)%s; top: %s at %s:%d" %
               (named, len(frames), dw_ok, dw_checked,
                " + %d where DWARF's row does not name the callee (line 0, merged or inherited rows) and whence's does"
                % dw_better if dw_better else "",
                " (+ %d slot frames of -g modules, by source only)" % len(slot_entries) if slot_entries else "",
                call, found, callee_ok,
                "; %d wrong file under #line (whence bug)" % len(hashline) if hashline else "",
                top[0], os.path.basename(top[1]), top[2]))
    out.append("  " + summary)
    print("\n".join(out))
    if a.summary:
        with open(a.summary, "w") as f:
            f.write(summary)
    return 0 if (call == found and named == len(frames) and found > 0 and dw_ok + dw_better == dw_checked) else 1


if __name__ == "__main__":
    sys.exit(main())
