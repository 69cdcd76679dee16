#!/usr/bin/env python3
"""tailcalls.py BASE.s PLUGIN.s: the tail calls (`# TAILCALL` jumps) of two
x86-64 assembly files, as sorted "function jmp callee" lines, must be the
same; prints them (of the second file) and exits 1 with both lists when they
differ, whatever the two builds' code layout."""
import re
import sys


def tailcalls(path):
    fn, out = None, []
    for line in open(path):
        m = re.match(r"^([A-Za-z_.$][\w.$]*):", line)
        if m and not m.group(1).startswith(".L"):
            fn = m.group(1)
        m = re.search(r"\bj\w+\s+([\w.$@]+)\s+# TAILCALL", line)
        if m and fn:
            out.append("%s jmp %s" % (fn, m.group(1).split("@")[0]))
    return sorted(out)


base, plug = tailcalls(sys.argv[1]), tailcalls(sys.argv[2])
print("\n".join(plug))
if base != plug:
    sys.stderr.write("tail calls differ:\n  without plugin: %s\n  with plugin:    %s\n" % (base, plug))
    sys.exit(1)
