# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
# demangle-corpus.py DRIVER LIB...: every defined "_Z" or "_R" (Rust v0)
# symbol of each
# library's dynamic symbol table (a bare name is looked for where the
# dynamic linker would find it; LLVM's next to llvm-nm) through DRIVER
# (lit/tools/demangle-corpus.c, the runtime's demangler) and through
# llvm-cxxfilt (LLVM 19's, first on PATH under lit).  Each must be "not
# supported" or byte-identical, and its name span must end where a frame's
# name does (before the parameters, at a clone suffix or at the end).  A
# name llvm-cxxfilt leaves as it is (LLVM 19 fails on conversion operators
# to std::string and the like) is compared with GNU c++filt's reading,
# both without the space GNU puts between closing brackets ("> >"), when
# c++filt is there.
# Prints the supported share per library (all names; function symbols;
# function symbols with the crash report's 1024-byte buffer) and
# "mismatches N"; "share ok" when every library's function share is at
# least --min-functions percent.  Exit status 1 on any mismatch.
import argparse
import os
import shutil
import subprocess
import sys

ap = argparse.ArgumentParser()
ap.add_argument("driver")
ap.add_argument("libs", nargs="+")
ap.add_argument("--min-functions", type=float, default=95.0)
args = ap.parse_args()
nm_tool = shutil.which("llvm-nm")
cxxfilt = shutil.which("llvm-cxxfilt")
gnu_cxxfilt = shutil.which("c++filt")


def find(lib):
    if os.sep in lib:
        return lib
    arch = os.uname().machine
    dirs = [os.path.join(os.path.dirname(os.path.realpath(nm_tool)), "..", "lib")]
    dirs += ["/usr/lib/%s-linux-gnu" % arch, "/lib/%s-linux-gnu" % arch, "/usr/lib64", "/usr/lib"]
    for d in dirs:
        if os.path.exists(os.path.join(d, lib)):
            return os.path.join(d, lib)
    sys.exit("no %s" % lib)


def unspaced(t):
    while "> >" in t:
        t = t.replace("> >", ">>")
    return t


def run(cmd, text):
    return subprocess.run(cmd, input=text, check=True, capture_output=True,
                          text=True).stdout.splitlines()


mismatches = 0
share_ok = True
for lib in args.libs:
    nm = run([nm_tool, "-D", "--defined-only", find(lib)], "")
    names, funcs = set(), set()
    for line in nm:
        parts = line.split()
        if len(parts) < 3 or not parts[2].startswith(("_Z", "_R")):
            continue
        name = parts[2].split("@")[0]
        names.add(name)
        if parts[1] in "TtWwi":
            funcs.add(name)
    names = sorted(names)
    text = "".join(n + "\n" for n in names)
    ref = run([cxxfilt], text)
    got = run([args.driver], text)
    small = run([args.driver, "1024"], text)
    assert len(ref) == len(names) == len(got) == len(small)
    rejected = [i for i, (n, r, g) in enumerate(zip(names, ref, got)) if r == n and g != "-"]
    gnu_read = set()
    if rejected and gnu_cxxfilt:
        gnu = run([gnu_cxxfilt], "".join(names[i] + "\n" for i in rejected))
        for i, r in zip(rejected, gnu):
            ref[i] = r
            gnu_read.add(names[i])
    ok = okf = oks = 0
    for n, r, g, sm in zip(names, ref, got, small):
        if g == "-":
            continue
        out, off, ln = g.rsplit("\t", 2)
        off, ln = int(off), int(ln)
        rest = out[off + ln:]
        if n in gnu_read and unspaced(out) == unspaced(r):
            r = out
        if (out != r or off + ln > len(out) or
                not (rest == "" or rest.startswith("(") or rest.startswith(" ("))):
            mismatches += 1
            if mismatches <= 20:
                print("MISMATCH %s\n  mine: %s [%d,%d)\n  ref:  %s" % (n, out, off, off + ln, r))
            continue
        if sm != "-" and sm != g:
            mismatches += 1
            print("MISMATCH at 1024 bytes %s\n  %s\n  %s" % (n, sm, g))
            continue
        ok += 1
        okf += n in funcs
        oks += n in funcs and sm != "-"
    pct = lambda a, b: 100.0 * a / max(1, b)
    print("%s: %d of %d names (%.2f%%), %d of %d functions (%.2f%%), %.2f%% in 1024 bytes, "
          "%d that llvm-cxxfilt fails on" %
          (lib, ok, len(names), pct(ok, len(names)), okf, len(funcs), pct(okf, len(funcs)),
           pct(oks, len(funcs)), len(rejected)))
    share_ok = share_ok and pct(okf, len(funcs)) >= args.min_functions
print("mismatches %d" % mismatches)
print("share ok" if share_ok else "share below %.1f%%" % args.min_functions)
sys.exit(1 if mismatches else 0)
