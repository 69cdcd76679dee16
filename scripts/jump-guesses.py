#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""jump-guesses.py - does the pass guess right which calls become jumps?

  jump-guesses.py [--plugin SO] [--clang PATH] FILE [-- CFLAGS...]

In -g builds (frame slots) the pass gives no slot to a function whose every
call it expects code generation to turn into a jump (passes/slots.c,
likely_jump): such a function's code stays the plain one.  A wrong guess
costs the frame its line (whence says 0, never another line).  This
compiles FILE at -O2 -g with the plugin twice, to IR and to assembly,
and lists every function that got no slot in the IR yet still makes a
call in the assembly (the pass's own module constructor and destructor
aside).  Exit status 1 when there is one.  docs/SLOTS.md has the rules.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

LLVM = "/usr/lib/llvm-19/bin"


def ir_functions(text):
    """Function name -> (has a slot, number of calls that are not intrinsics)."""
    funcs, cur = {}, None
    for line in text.splitlines():
        m = re.match(r'define .*@("[^"]+"|[\w.$]+)\(', line)
        if m:
            cur = m.group(1).strip('"')
            funcs[cur] = [False, 0]
        elif cur is None:
            continue
        elif line.startswith("}"):
            cur = None
        elif "alloca" in line and "whence.slot" in line:
            funcs[cur][0] = True
        elif re.search(r"\b(call|invoke)\b", line) and "@llvm." not in line:
            funcs[cur][1] += 1
    return funcs


def asm_calls(text):
    """Function name -> call instructions in its code."""
    calls, cur = {}, None
    for line in text.splitlines():
        if line.startswith(".Lfunc_end"):
            cur = None
            continue
        m = re.match(r'^("[^"]+"|[\w$][\w.$]*):', line)
        if m:
            cur = m.group(1).strip('"')
            calls.setdefault(cur, [])
        elif cur and re.match(r"\s+(callq?|bl|blr)\s", line):
            calls[cur].append(line.strip())
    return calls


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--plugin", default=os.path.join(here, "..", "build", "lib", "whence-pass.so"))
    ap.add_argument("--clang", default=None)
    ap.add_argument("file")
    ap.add_argument("cflags", nargs="*")
    a = ap.parse_args()
    clang = a.clang or os.path.join(LLVM, "clang++" if re.search(r"\.(cc|cpp|cxx)$", a.file) else "clang")
    base = [clang, "-O2", "-g", "-fpass-plugin=" + a.plugin] + a.cflags
    with tempfile.TemporaryDirectory() as t:
        ll, s = os.path.join(t, "f.ll"), os.path.join(t, "f.s")
        subprocess.run(base + ["-S", "-emit-llvm", a.file, "-o", ll], check=True)
        subprocess.run(base + ["-S", a.file, "-o", s], check=True)
        funcs = ir_functions(open(ll, errors="replace").read())
        calls = asm_calls(open(s, errors="replace").read())
    wrong = 0
    guessed = [f for f, (slot, n) in funcs.items() if not slot and n and not f.startswith("__whence.")]
    for f in sorted(guessed):
        c = [x for x in calls.get(f, []) if "__stack_chk_fail" not in x]
        if c:
            wrong += 1
            print("kept a call: %s: %s" % (f, "; ".join(c[:3])))
    print("%s: functions without a slot that call: %d, of which keep a call: %d" % (a.file, len(guessed), wrong))
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
