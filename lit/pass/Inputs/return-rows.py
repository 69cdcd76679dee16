#!/usr/bin/env python3
# return-rows.py BASE PLUGIN: for each call of each function of the two
# builds of one program (-O0 -g, with and without the plugin), the
# line-table row its return address falls in (line:column, and whether the
# row starts there: where `finish` and a step out of the callee stop), and
# the calls whose rows differ.  Prints "calls N differ D".
import bisect, re, subprocess, sys


def rows(exe):
    out = subprocess.run(["llvm-dwarfdump", "--debug-line", exe], capture_output=True,
                         text=True, check=True).stdout
    r = []
    for line in out.splitlines():
        f = line.split()
        if f and f[0].startswith("0x") and len(f) > 3:
            r.append((int(f[0], 16), int(f[1]), int(f[2])))
    return r


def returns(exe):
    out = subprocess.run(["llvm-objdump", "-d", "--no-show-raw-insn", "--section=.text", exe],
                         capture_output=True, text=True, check=True).stdout
    res, name, after_call = {}, None, False
    for line in out.splitlines():
        m = re.match(r"^[0-9a-f]+ <(.*)>:", line)
        if m:
            name, after_call = m.group(1), False
            continue
        if not name or "whence" in name or not re.match(r"^\s+[0-9a-f]+:", line):
            continue
        if after_call:
            res.setdefault(name, []).append(int(line.split(":")[0], 16))
        after_call = re.search(r"\tcall[q]?\s", line) is not None
    return res


def return_rows(exe):
    r = rows(exe)
    addrs = [a for a, _, _ in r]
    out = {}
    for fn, ras in returns(exe).items():
        for ra in ras:
            i = bisect.bisect_right(addrs, ra) - 1
            out.setdefault(fn, []).append("%d:%d%s" % (r[i][1], r[i][2],
                                                      " (row start)" if r[i][0] == ra else ""))
    return out


base, plug = return_rows(sys.argv[1]), return_rows(sys.argv[2])
n = d = 0
for fn in sorted(base):
    if len(base[fn]) != len(plug.get(fn, [])):
        print("%s: %d calls, %d with the plugin" % (fn, len(base[fn]), len(plug.get(fn, []))))
        d += 1
        continue
    for k, (x, y) in enumerate(zip(base[fn], plug[fn])):
        n += 1
        if x != y:
            d += 1
            print("%s call %d: returns into %s, with the plugin %s" % (fn, k, x, y))
print("calls %d differ %d" % (n, d))
