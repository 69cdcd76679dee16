#!/usr/bin/env python3
"""records.py IMAGE: the whence records of a linked image as sorted lines
that compare across links of the same objects (addresses become
function+offset, module keys are dropped):
  fn NAME                      a whence_fn record at the entry of symbol NAME
  site FUNC+OFF CHAIN          a whence_site label and its inline chain
then "records bad=N dynrelocs=N": bad counts fn records that are not at a
symbol's entry or whose subprog is not that symbol, and site records that
are outside every function or whose chain does not decode.
Built on lit/pass/Inputs/whence-dump.py."""
import os
import re
import subprocess
import sys

DUMP = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "pass", "Inputs",
                    "whence-dump.py")


def main():
    out = subprocess.run([sys.executable, DUMP, sys.argv[1]], capture_output=True, text=True,
                         check=True).stdout
    lines, bad, dyn = [], 0, -1
    for line in out.splitlines():
        m = re.match(r"fn entry=(\S+) size=\d+ key=\S+ subprog=(\S+)", line)
        if m:
            where, sub = m.groups()
            if where != sub + "+0":
                print("BAD fn record at %s names %s" % (where, sub))
                bad += 1
            lines.append("fn %s" % sub)
            continue
        m = re.match(r"site label=(\S+) loc=(?:\d+|flat) chain=(.*)", line)
        if m:
            where, chain = m.groups()
            if where.startswith("0x") or chain == "?":
                print("BAD site %s chain %s" % (where, chain))
                bad += 1
            lines.append("site %s %s" % (where, chain))
            continue
        m = re.match(r"dynrelocs in-whence=(\d+)", line)
        if m:
            dyn = int(m.group(1))
        elif line.startswith("bad") or "BAD" in line or "not a multiple" in line:
            print("BAD dump: %s" % line)
            bad += 1
    for l in sorted(lines):
        print(l)
    print("records bad=%d dynrelocs=%d" % (bad, dyn))


if __name__ == "__main__":
    main()
