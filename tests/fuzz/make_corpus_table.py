#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""make_corpus_table.py ELF OUT [FLAGS]: one fuzz_table input from a linked,
instrumented ELF that whence-link processed: its whence_tab (the table,
cut to the header's total_size) and its whence_mod, behind fuzz_table.c's
16-byte header (FLAGS default 1: F_FIX, the header made to describe the
fuzzer's layout)."""
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_corpus import sections  # noqa: E402  (name -> (address, offset, size))

WHT1 = 0x31544857  # WHENCE_TAB_MAGIC


def main():
    elf, out = sys.argv[1], sys.argv[2]
    flags = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    data = open(elf, "rb").read()
    s = sections(elf)
    if "whence_mod" not in s or "whence_tab" not in s:
        sys.exit("no whence_tab or no whence_mod in " + elf)
    _, o, n = s["whence_tab"]
    tab = data[o:o + n]  # (before whence-link: no bytes of its own, no magic)
    magic, = struct.unpack_from("<I", tab, 0) if len(tab) >= 12 else (0,)
    total, = struct.unpack_from("<I", tab, 8) if len(tab) >= 12 else (0,)
    if magic != WHT1 or total == 0 or total > len(tab):
        sys.exit("whence_tab of " + elf + " holds no table (whence-link it first)")
    tab = tab[:total]
    _, o, n = s["whence_mod"]
    mod = data[o:o + n]
    span, = struct.unpack_from("<I", tab, 60)
    hdr = struct.pack("<BBHIII", flags, 1, 1, span, len(tab), 0)
    open(out, "wb").write(hdr + tab + mod)
    print("%s: table %d bytes, modules %d bytes, span %d" % (out, len(tab), len(mod), span))


main()
