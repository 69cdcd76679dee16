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
import os
import shutil
import struct
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
else:
    sys.exit("unknown command " + cmd)
