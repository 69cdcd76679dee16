#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""scan-calls.py - is whence's line of every call of a program exact?

  scan-calls.py [options] PROGRAM [SHARED_OBJECT...]

PROGRAM is built with the plugin and linked with scripts/scan-calls.c (its
main).  Every call instruction of PROGRAM (unless --no-program) and of each
SHARED_OBJECT (which PROGRAM loads with dlopen) is found with llvm-objdump;
whence's frame for its return address (whence_frames, asked inside PROGRAM)
is compared with llvm-symbolizer's innermost frame for the address before
it (the DWARF line table: build with -g or -gline-tables-only).  A call is

  exact         whence's line (and file name) is the symbolizer's;
  unknown       whence's line is 0;
  dwarf 0       the symbolizer's line is 0, whence names one; or the call
                is one of _Unwind_Resume, which code generation makes of a
                resume instruction with no position of its own (the line
                table goes on with the instruction before: at -O2 often an
                inlined destructor's line), and whence names the resume's
                (lit/e2e/resume-site.cpp checks it against -O0's table,
                where the call has the resume's row);
  WRONG         both name a line, and they differ; or whence names a line
                for a call that code generation makes after the pass ran,
                with no position of its own (__stack_chk_fail,
                __emutls_get_address, __morestack: whence can only have
                taken another call's label; the line table often goes on
                with the instruction before, which hid this);
  not ours      whence knows no function there (not instrumented).

The summary is printed per module; every WRONG call (up to --show) is
listed with its callee.  Exit status 1 when any call is WRONG.  --dump FILE
writes whence's whole answer for every call (module, return address, each
frame's function, file, line and inlined flag) and the summary lines, one
call a line, for comparing two builds of the same code (scan-link.sh: a
file and its copy processed by whence-link).  The line
table can be the wrong one: LLVM 19 gives the slow call of a partially
inlined sqrt the location of the next instruction (docs/PROOF.md, section 5).
"""
import argparse
import collections
import os
import re
import subprocess
import sys

# Calls code generation makes after the pass ran, which have no label: whence
# never knows their line.
UNLABELLED = re.compile(r"\b(__stack_chk_fail|__emutls_get_address|__morestack)\b")

LLVM_BIN = os.environ.get("LLVM_BIN", "/usr/lib/llvm-19/bin")


def calls_of(path, objdump):
    """[(return address, callee, function)] of every call instruction."""
    # (-z: runs of zero bytes are disassembled too, not shown as "...":
    # mold pads between functions with zeros, and the instruction after a
    # call must be the call's own next one)
    out = subprocess.run([objdump, "-d", "-z", "--no-show-raw-insn", path], capture_output=True,
                         text=True, check=True).stdout
    arch = "aarch64" if re.search(r"file format elf64-(little)?aarch64", out) else "x86-64"
    lines = out.split("\n")
    calls = []
    fn = None
    insn = re.compile(r"^\s+([0-9a-f]+):\s+(.*)$")
    head = re.compile(r"^[0-9a-f]+ <(.*)>:$")
    if arch == "aarch64":
        is_call = re.compile(r"^(bl|blr|blra[ab]z?)\s")
    else:
        is_call = re.compile(r"(^|\s)callq?\s")
    for i, line in enumerate(lines):
        m = head.match(line)
        if m:
            fn = m.group(1)
            continue
        m = insn.match(line)
        if not m or not fn or not is_call.search(m.group(2)):
            continue
        addr = int(m.group(1), 16)
        if arch == "aarch64":
            ra = addr + 4
        else:
            # The return address is the next instruction's.  Bytes decoded
            # as a call right before a function's symbol (the signature of
            # -fsanitize=function, kcfi hashes) are no call.
            ra = None
            for j in range(i + 1, min(i + 6, len(lines))):
                if head.match(lines[j]):
                    break
                n = insn.match(lines[j])
                if n:
                    ra = int(n.group(1), 16)
                    break
            if ra is None:
                continue
        t = re.search(r"<([^>+]*)", m.group(2))
        calls.append((ra, t.group(1) if t else "(indirect)", fn))
    return calls


def ask_whence(run, program, queries):
    """whence's frames [(known, function, file, line)] of each (module, ra)."""
    inp = "".join("%s %x\n" % (mod, ra) for mod, ra in queries)
    r = subprocess.run(run + [os.path.abspath(program)], input=inp, capture_output=True, text=True)
    if r.returncode:
        sys.exit("scan-calls: %s exited with %d\n%s" % (program, r.returncode, r.stderr))
    # A module the program could not load (dlopen: an undefined symbol...)
    # would answer "not ours" for every call: a scan that cannot fail.
    unloaded = [l for l in r.stderr.split("\n") if l.startswith("scan-calls: ")]
    if unloaded:
        sys.exit("scan-calls: %s could not load a module:\n%s" % (program, "\n".join(unloaded)))
    stacks, cur = [], []
    for line in r.stdout.split("\n"):
        if line.startswith("W\t"):
            w = line.split("\t")
            cur.append((w[1] == "1", w[2], w[3], int(w[4]), w[5] == "1"))
        elif line == "END":
            stacks.append(cur)
            cur = []
    if len(stacks) != len(queries):
        sys.exit("scan-calls: %s answered %d of %d queries (is it linked with scan-calls.c?)"
                 % (program, len(stacks), len(queries)))
    return stacks


def ask_dwarf(symbolizer, path, addrs):
    """The symbolizer's innermost (file, line) at each address."""
    r = subprocess.run([symbolizer, "--obj=" + path, "--inlining"],
                       input="".join("0x%x\n" % a for a in addrs), capture_output=True,
                       text=True, check=True)
    out = []
    for group in r.stdout.strip("\n").split("\n\n"):
        g = group.split("\n")
        fl = g[1].rsplit(":", 2) if len(g) > 1 else ["?", "0", "0"]
        out.append((fl[0], int(fl[1]) if fl[1].isdigit() else 0))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("program")
    ap.add_argument("shared", nargs="*")
    ap.add_argument("--no-program", action="store_true", help="scan the shared objects only")
    ap.add_argument("--run", default="", help="command prefix to run PROGRAM (e.g. qemu-aarch64)")
    ap.add_argument("--show", type=int, default=20, help="WRONG calls listed (default 20)")
    ap.add_argument("-v", "--verbose", action="store_true", help="list unknown and dwarf 0 calls too")
    ap.add_argument("--dump", help="write every call's frames to this file")
    ap.add_argument("--objdump", default=os.path.join(LLVM_BIN, "llvm-objdump"))
    ap.add_argument("--symbolizer", default=os.path.join(LLVM_BIN, "llvm-symbolizer"))
    a = ap.parse_args()
    modules = ([] if a.no_program else [("-", a.program)]) + [(os.path.abspath(s), s) for s in a.shared]
    wrong_total = 0
    dump = open(a.dump, "w") if a.dump else None
    for mod, path in modules:
        calls = calls_of(path, a.objdump)
        stacks = ask_whence(a.run.split(), a.program, [(mod, ra) for ra, _, _ in calls])
        truth = ask_dwarf(a.symbolizer, path, [ra - 1 for ra, _, _ in calls])
        stat = collections.Counter()
        wrong = []
        for (ra, callee, fn), st, (tfile, tline) in zip(calls, stacks, truth):
            if dump:
                dump.write("%s 0x%x %s\n" % (os.path.basename(path), ra, " | ".join(
                    "%d %s %s:%d%s" % (k, f, fi, li, " inlined" if inl else "")
                    for k, f, fi, li, inl in st)))
            if not st or not any(f[0] for f in st):
                stat["not ours"] += 1
                continue
            _, wfn, wfile, wline, _ = st[0]
            same_file = os.path.basename(wfile) == os.path.basename(tfile) or tfile == "??"
            what = "  %s+0x%x (in %s) calling %s: whence %s:%d (%s), dwarf %s:%d" % (
                os.path.basename(path), ra, fn, callee, wfile, wline, wfn, tfile, tline)
            if wline == 0:
                stat["unknown"] += 1
                if a.verbose:
                    print("  unknown" + what)
            elif UNLABELLED.search(callee):
                stat["WRONG"] += 1
                wrong.append("  WRONG" + what)
            elif wline == tline and same_file:
                stat["exact"] += 1
            elif tline == 0 or re.search(r"\b_Unwind_(SjLj_)?Resume\b", callee):
                stat["dwarf 0"] += 1
                if a.verbose:
                    print("  dwarf 0" + what)
            else:
                stat["WRONG"] += 1
                wrong.append("  WRONG" + what)
        order = ["exact", "unknown", "dwarf 0", "WRONG", "not ours"]
        summary = "%s: %d calls, %s" % (os.path.basename(path), len(calls),
                                        ", ".join("%s %d" % (k, stat[k]) for k in order))
        print(summary)
        if dump:
            dump.write("# " + summary + "\n")
        for w in wrong[:a.show]:
            print(w)
        wrong_total += len(wrong)
    return 1 if wrong_total else 0


if __name__ == "__main__":
    sys.exit(main())
