# Puts a separate debug file where gdb (and whence's crash report) looks
# for it, for the tests of lit/e2e/crash-line-debugfile*.c:
#   by-id ELF FILE DIR   copy FILE to DIR/.build-id/xx/yyyy.debug, xx/yyyy
#                        being ELF's build id (FILE may be another build's)
#   under DIR FILE       move FILE to DIR/<FILE's absolute path> (gdb's
#                        <debug-dir>/<objdir>/<debuglink name>)
#   spoil FILE           overwrite FILE's .debug_line with 0xff bytes (a
#                        damaged debug file that still carries the build id)
#   has-by-id ELF DIR    exit status 0 if DIR has ELF's debug file by build
#                        id (lit.cfg.py: libc6-dbg is installed)
#   zspoil FILE HOW      damage FILE's compressed .debug_line (SHF_COMPRESSED):
#                        HOW = flip (a byte in the middle of the zlib stream),
#                        size (the header's size one too many), huge (a size
#                        of 1 TiB)
#   same-lines REPORT ELF DIR SYMBOLIZER
#                        every frame of REPORT's stack outside instrumented
#                        code ("name(...) (not instrumented)", then
#                        "file:line +0xoff") has the line SYMBOLIZER gives
#                        for name+off (the first frame, the faulting pc) or
#                        name+off-1 (return addresses) in ELF's debug file
#                        under DIR by build id; exit status 1 if one differs
#                        or none was compared
import os
import re
import shutil
import struct
import subprocess
import sys


def sections(data):
    shoff, = struct.unpack_from("<Q", data, 40)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 58)
    hdrs = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]
    stroff = hdrs[shstrndx][4]
    for h in hdrs:
        name = data[stroff + h[0]:data.index(b"\0", stroff + h[0])].decode()
        yield name, h


def build_id(path):
    data = open(path, "rb").read()
    for name, h in sections(data):
        if h[1] != 7:  # SHT_NOTE
            continue
        off, end = h[4], h[4] + h[5]
        while off + 12 <= end:
            nsz, dsz, typ = struct.unpack_from("<III", data, off)
            desc = off + 12 + (nsz + 3) // 4 * 4
            if typ == 3 and data[off + 12:off + 12 + nsz] == b"GNU\0":
                return data[desc:desc + dsz].hex()
            off = desc + (dsz + 3) // 4 * 4
    sys.exit("%s: no build id" % path)


cmd = sys.argv[1]
if cmd == "by-id":
    elf, src, top = sys.argv[2:5]
    bid = build_id(elf)
    dst = os.path.join(top, ".build-id", bid[:2], bid[2:] + ".debug")
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    shutil.copyfile(src, dst)
elif cmd == "under":
    top, src = sys.argv[2:4]
    dst = top + os.path.abspath(src)
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    shutil.move(src, dst)
elif cmd == "spoil":
    path = sys.argv[2]
    data = bytearray(open(path, "rb").read())
    for name, h in sections(bytes(data)):
        if name == ".debug_line":
            data[h[4]:h[4] + h[5]] = b"\xff" * h[5]
    open(path, "wb").write(data)
elif cmd == "has-by-id":
    elf, top = sys.argv[2:4]
    bid = build_id(elf)
    sys.exit(0 if os.path.isfile(os.path.join(top, ".build-id", bid[:2], bid[2:] + ".debug")) else 1)
elif cmd == "zspoil":
    path, how = sys.argv[2:4]
    data = bytearray(open(path, "rb").read())
    for name, h in sections(bytes(data)):
        if name == ".debug_line":
            assert h[2] & 0x800, "not compressed"  # SHF_COMPRESSED
            off, size = h[4], h[5]
            if how == "flip":
                data[off + 24 + (size - 24) // 2] ^= 0x55
            elif how == "size":
                struct.pack_into("<Q", data, off + 8, struct.unpack_from("<Q", data, off + 8)[0] + 1)
            elif how == "huge":
                struct.pack_into("<Q", data, off + 8, 1 << 40)
    open(path, "wb").write(data)
elif cmd == "same-lines":
    report, elf, top, symbolizer = sys.argv[2:6]
    bid = build_id(elf)
    dbg = os.path.join(top, ".build-id", bid[:2], bid[2:] + ".debug")
    lines = open(report, errors="replace").read().split("stack:\n", 1)[1].splitlines()
    compared, first = 0, True
    for name_line, pos_line in zip(lines, lines[1:]):
        if name_line.startswith("\t") or not pos_line.startswith("\t"):
            continue
        exact, first = first, False
        m = re.match(r"(\S+)\(\.\.\.\) \(not instrumented\)$", name_line)
        p = re.match(r"\t(\S+):(\d+) \+0x([0-9a-f]+)$", pos_line)
        if not m or not p:
            continue
        off = int(p.group(3), 16) - (0 if exact else 1)
        out = subprocess.run([symbolizer, "--obj=" + dbg, "%s+%#x" % (m.group(1), off)],
                             capture_output=True, text=True).stdout.splitlines()
        want = out[1].rsplit(":", 2) if len(out) > 1 else ["?", "?", "?"]
        got = (os.path.basename(p.group(1)), p.group(2))
        print("%s+%#x: report %s:%s, symbolizer %s:%s" % (m.group(1), off, got[0], got[1],
                                                           want[0], want[1]))
        if got != (os.path.basename(want[0]), want[1]):
            sys.exit(1)
        compared += 1
    sys.exit(0 if compared else 1)
else:
    sys.exit("unknown command " + cmd)
