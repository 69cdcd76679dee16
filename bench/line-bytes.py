#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""line-bytes.py: the bytes of a linked binary's line tables that belong to
the instrumented code, i.e. without the line tables of the units whose
primary source lies under EXCLUDE (libwhence's own, linked statically into
the benchmarks).  Counts each kept unit's .debug_line contribution and the
distinct .debug_line_str strings its directories and file names use.

  line-bytes.py DWARFDUMP BINARY EXCLUDE_DIR
"""
import re
import subprocess
import sys


def tables(text):
    cur = None
    for line in text.splitlines():
        if line.startswith("debug_line["):
            if cur:
                yield cur
            cur = {"len": 0, "strings": [], "primary": None}
            continue
        if cur is None:
            continue
        m = re.match(r"\s+total_length: 0x([0-9a-f]+)", line)
        if m:
            cur["len"] = int(m.group(1), 16) + 4  # DWARF32: the length field itself
            continue
        m = re.match(r'include_directories\[\s*\d+\] = (?:\.debug_line_str\[0x[0-9a-f]+\] = )?"(.*)"$', line)
        if m:
            cur["strings"].append(m.group(1))
            continue
        m = re.match(r'\s+name: (?:\.debug_line_str\[0x[0-9a-f]+\] = )?"(.*)"$', line)
        if m:
            cur["strings"].append(m.group(1))
            if cur["primary"] is None:
                cur["primary"] = m.group(1)
    if cur:
        yield cur


def main():
    dump, binary, exclude = sys.argv[1:4]
    exclude = exclude.rstrip("/") + "/"
    text = subprocess.run([dump, "--debug-line", binary], capture_output=True, text=True,
                          check=True).stdout
    total, strings = 0, set()
    for t in tables(text):
        if t["primary"] and t["primary"].startswith(exclude):
            continue
        total += t["len"]
        strings.update(t["strings"])
    print(total + sum(len(s.encode()) + 1 for s in strings))


if __name__ == "__main__":
    main()
