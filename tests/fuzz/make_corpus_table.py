#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""make_corpus_table.py ELF OUT [FLAGS]: one fuzz_table input from a linked,
instrumented ELF that whence-link processed: its whence_tab (the table,
cut to the header's total_size) and its whence_mod, behind fuzz_table.c's
16-byte header (FLAGS default 1: F_FIX, the header made to describe the
fuzzer's layout)."""
import struct
import subprocess
import sys

B = "/usr/lib/llvm-19/bin"


def sections(elf):
    out = subprocess.run([B + "/llvm-readelf", "-SW", elf], check=True,
                         capture_output=True, text=True).stdout
    secs = {}
    for line in out.splitlines():
        line = line.strip()
        if not line.startswith("["):
            continue
        parts = line[line.index("]") + 1:].split()
        if len(parts) < 5 or parts[2] == "Address":
            continue
        name, typ, _addr, off, size = parts[:5]
        secs[name] = (typ, int(off, 16), int(size, 16))
    return secs


def main():
    elf, out = sys.argv[1], sys.argv[2]
    flags = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    data = open(elf, "rb").read()
    s = sections(elf)
    if "whence_mod" not in s or s.get("whence_tab", ("NOBITS",))[0] == "NOBITS":
        sys.exit("no table or no whence_mod in " + elf + " (whence-link it first)")
    _, o, n = s["whence_tab"]
    tab = data[o:o + n]
    total, = struct.unpack_from("<I", tab, 8)
    if total == 0 or total > len(tab):
        sys.exit("whence_tab of " + elf + " holds no table")
    tab = tab[:total]
    _, o, n = s["whence_mod"]
    mod = data[o:o + n]
    span, = struct.unpack_from("<I", tab, 60)
    hdr = struct.pack("<BBHIII", flags, 1, 1, span, len(tab), 0)
    open(out, "wb").write(hdr + tab + mod)
    print("%s: table %d bytes, modules %d bytes, span %d" % (out, len(tab), len(mod), span))


main()
