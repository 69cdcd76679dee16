#!/usr/bin/env python3
"""func_line_bytes.py BINARY < "offset line" lines: each line whence_func_line
gave for the byte at offset (the binary's address) against the line table
(llvm-symbolizer on BINARY, or on --dwarf FILE for a stripped BINARY): a line
that is neither 0 (unknown) nor the table's is WRONG."""
import subprocess, sys

args = sys.argv[1:]
dwarf = args[0]
if args[0] == "--dwarf":
    dwarf = args[1]
pairs = [l.split() for l in sys.stdin if l.strip()]
addrs = "\n".join("0x%x" % int(o, 16) for o, _ in pairs) + "\n"
out = subprocess.run(["/usr/lib/llvm-19/bin/llvm-symbolizer", "--no-inlines", "--obj=" + dwarf],
                     input=addrs, capture_output=True, text=True, check=True).stdout
blocks = [b.split("\n") for b in out.strip("\n").split("\n\n")]
exact = unknown = wrong = 0
for (off, line), b in zip(pairs, blocks):
    want = int(b[1].rsplit(":", 2)[-2]) if len(b) > 1 and ":" in b[1] else 0
    got = int(line)
    if got == 0:
        unknown += 1
    elif got == want:
        exact += 1
    else:
        wrong += 1
        if wrong <= 10:
            print("WRONG at %s: whence %d, line table %d" % (off, got, want))
print("bytes %d exact %d unknown %d WRONG %d" % (len(pairs), exact, unknown, wrong))
