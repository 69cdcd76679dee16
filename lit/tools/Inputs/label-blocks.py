#!/usr/bin/env python3
"""label-blocks.py ASM: does every labelled call have its own label?

Reads clang -S output of a module built with the plugin.  A labelled call
is a call instruction of a function that has site labels (the pass labels
every call it sees; a call that code generation makes after a labelled one
is followed by that one's separator, an empty inline asm).  The
runtime names a return address by the last .Lwhence_site label at or before
it in the code, so a labelled call must come after its own label with no
other call in between, in layout order.  Prints one "BAD" line per call
whose last label before it was already another call's, then
"label-blocks: <calls> labelled calls, <bad> without a label of their own".
"""
import re
import sys

lines = open(sys.argv[1]).read().split("\n")
# The functions with site labels.
labelled_fns = set()
fn = "?"
for l in lines:
    m = re.match(r"^([A-Za-z_][\w.]*):", l)
    if m:
        fn = m.group(1)
    elif re.match(r"^\.Lwhence_site\d+:", l):
        labelled_fns.add(fn)
label = None
consumed = False
calls = bad = 0
fn = "?"
for i, l in enumerate(lines):
    m = re.match(r"^([A-Za-z_][\w.]*):", l)
    if m:
        fn, label = m.group(1), None
        continue
    if re.match(r"^\.Lwhence_site\d+:", l):
        label, consumed = l[:-1], False
        continue
    if not re.match(r"^\s+callq?\s", l):
        continue
    nxt = [x.strip() for x in lines[i + 1:i + 12]
           if x.strip() and not x.strip().startswith((".loc", ".Ltmp", "# kill"))]
    labelled = fn in labelled_fns or any(nxt[k] == "#APP" and nxt[k + 1] == "#NO_APP"
                                         for k in range(min(len(nxt) - 1, 4)))
    if labelled:
        calls += 1
        if label is None or consumed:
            bad += 1
            print("BAD %s: `%s` (asm line %d): the last label before it is %s" % (
                fn, l.strip(), i + 1, "another call's (%s)" % label if label else "none"))
    if label:
        consumed = True
print("label-blocks: %d labelled calls, %d without a label of their own" % (calls, bad))
