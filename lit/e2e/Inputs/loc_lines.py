# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""loc_lines.py PLAIN.s PLUGIN.s: the source lines each function's line
table rows name (.loc directives; line 0 left out) must be the same set in
both builds: code the plugin inserts joins its neighbours' rows and brings
no line of its own.  Prints each function whose plugin build names a line
the plain build does not (or the reverse) and exits 1; else prints how many
functions it compared."""
import re
import sys


def lines(path):
    out, fn = {}, None
    with open(path) as f:
        for line in f:
            m = re.match(r'^([A-Za-z_$][\w$.]*):', line)
            if m and not m.group(1).startswith('.'):
                fn = m.group(1)
                out.setdefault(fn, set())
                continue
            m = re.match(r'\s+\.loc\s+\d+\s+(\d+)', line)
            if m and fn and int(m.group(1)):
                out[fn].add(int(m.group(1)))
    return out


plain, plugin = lines(sys.argv[1]), lines(sys.argv[2])
both = sorted(f for f in plain if f in plugin)
bad = 0
for fn in both:
    extra, missing = plugin[fn] - plain[fn], plain[fn] - plugin[fn]
    if extra or missing:
        bad += 1
        print('%s: lines only with the plugin %s, only without %s'
              % (fn, sorted(extra), sorted(missing)))
print('%d functions compared, %d differ' % (len(both), bad))
sys.exit(1 if bad or not both else 0)
