#!/usr/bin/env python3
"""check-scan.py BINARY SCANFILE [--ignore-from ARCHIVE]...: compare the runtime's view of
an image (the "scan" lines of Inputs/scan.h) with the image's ELF symbol
table (from llvm-nm, or from a second, unstripped copy of the same image).

Checks, printing one "BAD ..." line per violation:
  * every run the runtime reports is exactly one function symbol: same name,
    value == entry, and entry_ok=1; the run is st_size bytes long, or one
    more (whence_func_for_pc accepts pc == end, a return address after a
    noreturn call) unless another function starts there;
  * every defined function symbol is reported by the runtime, except the
    crt's stubs and the functions of the archives named by --ignore-from
    (an uninstrumented libwhence.a linked in).
Then prints "runtime functions: <sorted names>" and
"check-scan: ok=<0|1> runtime=<n> symbols=<n>".
"""
import re
import subprocess
import sys

# atexit and (__)pthread_atfork are libc_nonshared.a's stubs, linked in for
# libwhence.a (the CPU profiler registers both).
DEFAULT_IGNORE = (r"_start|_init|_fini|_dl_relocate_static_pie|deregister_tm_clones|"
                  r"register_tm_clones|__do_global_dtors_aux|frame_dummy|"
                  r"__libc_csu_.*|atexit|(__)?pthread_atfork|__whence.*|whence_.*|wh_.*|"
                  r".*\.cold(\..*)?")


def symbols(path):
    out = subprocess.run(["llvm-nm", "--defined-only", "-S", "--format=posix", "-A", path],
                         capture_output=True, text=True, check=True).stdout
    syms = {}
    for line in out.splitlines():
        parts = line.split()[1:]  # -A: "file: " or "archive[member]: " first
        if len(parts) < 4 or parts[1] not in "tTwW":
            continue
        name, value, size = parts[0], int(parts[2], 16), int(parts[3], 16)
        if size == 0:
            continue
        syms.setdefault(name, set()).add((value, size))
    return syms


def main():
    binary, scanfile = sys.argv[1], sys.argv[2]
    ignore = re.compile("(%s)$" % DEFAULT_IGNORE)
    ignored = set()
    args = sys.argv[3:]
    while args:
        if args[0] == "--ignore-from":
            ignored |= set(symbols(args[1]))
            args = args[2:]
        else:
            sys.exit("check-scan: unknown argument %s" % args[0])
    syms = symbols(binary)
    starts = {v for defs in syms.values() for v, _ in defs}
    runs = []
    for line in open(scanfile):
        m = re.match(r"scan fn=(\S*) entry=0x([0-9a-f]+) size=(\d+) entry_ok=(\d)", line)
        if m:
            runs.append((m.group(1), int(m.group(2), 16), int(m.group(3)), m.group(4) == "1"))
    bad = 0
    seen = set()
    for name, entry, size, ok in runs:
        if not ok:
            print("BAD entry of %s at 0x%x is not the run's first pc" % (name, entry))
            bad += 1
        defs = syms.get(name, ())
        if (entry, size - 1) in defs and entry + size - 1 in starts:
            # pc == end is the entry of the next function, which is not
            # instrumented (else the run would stop there): reported, not
            # counted (whence_func_for_pc cannot tell it from a return
            # address after a noreturn call).
            print("NOTE %s's end 0x%x is the entry of an uninstrumented function" % (
                name, entry + size - 1))
        elif (entry, size) not in defs and (entry, size - 1) not in defs:
            print("BAD runtime says %s at 0x%x size %d; symbols: %s" % (
                name, entry, size, sorted((hex(v), s) for v, s in syms.get(name, ()))))
            bad += 1
        seen.add((name, entry))
    expect = 0
    for name, defs in sorted(syms.items()):
        if ignore.match(name) or name in ignored:
            continue
        for value, size in defs:
            expect += 1
            if (name, value) not in seen:
                print("BAD symbol %s at 0x%x (size %d) unknown to the runtime" % (name, value, size))
                bad += 1
    print("runtime functions: %s" % " ".join(sorted(n for n, _, _, _ in runs)))
    print("check-scan: ok=%d runtime=%d symbols=%d" % (bad == 0, len(runs), expect))


if __name__ == "__main__":
    main()
