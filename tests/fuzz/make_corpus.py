#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""make_corpus.py ELF OUT [FLAGS]: one fuzz_records input from a linked,
instrumented ELF: its whence_fn, whence_site and whence_mod sections, with
every pc-relative field rewritten as an offset from the start of the text
(fuzz_records.c's F_RELOC_FN | F_RELOC_SITE form)."""
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
        name, _typ, addr, off, size = parts[:5]
        secs[name] = (int(addr, 16), int(off, 16), int(size, 16))
    return secs


def main():
    elf, out = sys.argv[1], sys.argv[2]
    flags = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    data = open(elf, "rb").read()
    s = sections(elf)
    if "whence_mod" not in s:
        sys.exit("no whence_mod in " + elf)

    def raw(name):
        if name not in s:
            return 0, b""
        a, o, n = s[name]
        return a, data[o:o + n]

    ta, _, tn = s[".text"]
    fa, fn = raw("whence_fn")
    sa, site = raw("whence_site")
    _, mod = raw("whence_mod")
    fn = bytearray(fn)
    for i in range(0, len(fn) - 19, 20):
        rel, = struct.unpack_from("<i", fn, i)
        struct.pack_into("<i", fn, i, fa + i + rel - ta)
    site = bytearray(site)
    for i in range(0, len(site) - 7, 8):
        rel, = struct.unpack_from("<i", site, i)
        struct.pack_into("<i", site, i, sa + i + rel - ta)
    text_len = min(tn, 1 << 20) - 1  # fuzz_records: text_len % 1 MiB + 1
    hdr = struct.pack("<BBHIII", flags, 1, 1, text_len, len(fn), len(site))
    open(out, "wb").write(hdr + bytes(fn) + bytes(site) + mod)


if __name__ == "__main__":
    main()
