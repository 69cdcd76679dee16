#!/usr/bin/env python3
"""dwarf-norm.py line|line-runs|info FILE: print the parts of llvm-dwarfdump output that
instrumentation must not change, with code addresses and frame offsets
removed, so two builds can be compared with diff.

  line: one row per .debug_line row whose line is not 0, in order:
        "LINE COL FILE DISCRIMINATOR FLAGS" (addresses dropped; rows at line 0
        are inserted code that belongs to no source line, and moving no
        breakpoint).  Sequence ends are kept (end_sequence).  The file table
        and include directories are printed as they are.
  line-runs: as line, then consecutive rows at the same (line, column,
        file, discriminator) become one row carrying the union of their
        flags: a row split in two at the same source position (for
        instance an epilogue_begin row after inserted code that already
        carries the return's position) moves no breakpoint and no step.
  info: the DIE tree, one line per DIE and attribute, indented by depth:
        tags, names, decl_file/decl_line, types (by name), inline and call
        origins (by name), constant values, flags.  Values of attributes that
        hold code addresses or frame/register locations (low_pc, high_pc,
        ranges, location, frame_base, call_return_pc, call_pc, call_value,
        GNU_* addresses) are replaced by "<addr>"/"<loc>"; DIE offsets and
        section offsets are dropped.
"""
import re
import sys

ADDR_ATTRS = {"DW_AT_low_pc", "DW_AT_high_pc", "DW_AT_ranges", "DW_AT_call_return_pc",
              "DW_AT_call_pc", "DW_AT_entry_pc"}
LOC_ATTRS = {"DW_AT_location", "DW_AT_frame_base", "DW_AT_call_value",
             "DW_AT_call_target", "DW_AT_GNU_call_site_value"}
OFFSET_ATTRS = {"DW_AT_stmt_list", "DW_AT_str_offsets_base", "DW_AT_addr_base",
                "DW_AT_loclists_base", "DW_AT_rnglists_base"}


def norm_line(text, runs=False):
    prev = None  # (key, flags) of the pending row in runs mode

    def flush():
        if prev:
            print("row %s %s" % (prev[0], " ".join(sorted(prev[1]))))

    in_table = False
    for ln in text.splitlines():
        if ln.startswith("debug_line[") or ln.startswith("Line table prologue"):
            in_table = False
        if ln.startswith("Address") and "Line" in ln and "Column" in ln:
            in_table = True
            continue
        if not in_table:
            # prologue: file names, directories, but not lengths/offsets
            if re.match(r"\s*(total_length|prologue_length|debug_line\[)", ln):
                continue
            if ln.strip():
                print(re.sub(r"0x[0-9a-f]{8,}", "<off>", ln))
            continue
        if ln.startswith("-"):
            continue
        f = ln.split()
        if len(f) < 7 or not f[0].startswith("0x"):
            if ln.strip():
                print(ln)
            continue
        line, col, file, isa, disc, opidx = f[1:7]
        flags = " ".join(f[7:])
        if line == "0" and "end_sequence" not in flags:
            continue
        if not runs:
            print("row %s %s %s %s %s" % (line, col, file, disc, flags))
            continue
        key = "%s %s %s %s" % (line, col, file, disc)
        if prev and prev[0] == key and "end_sequence" not in prev[1]:
            prev[1].update(flags.split())
        else:
            flush()
            prev = (key, set(flags.split()))
    if runs:
        flush()


def norm_info(text):
    for ln in text.splitlines():
        if "Compile Unit:" in ln:
            # length and next-unit offset follow the code's size
            print(re.sub(r"(length = |next unit at )0x[0-9a-f]+", r"\1<n>",
                         re.sub(r"^0x[0-9a-f]+:\s*", "", ln)))
            continue
        m = re.match(r"^(0x[0-9a-f]+:)?(\s*)(DW_TAG_\w+|DW_AT_\w+|NULL)(.*)$", ln)
        if not m:
            if ln.strip():
                # continuation of a location list or expression
                if re.match(r"^\s*\[0x|^\s*\(0x|^\s*DW_LLE|^\s*DW_OP", ln):
                    continue
                print(ln.strip())
            continue
        indent, what, rest = m.group(2), m.group(3), m.group(4).strip()
        depth = len(indent)
        if what in ADDR_ATTRS:
            rest = "<addr>"
        elif what in LOC_ATTRS:
            rest = "<loc>"
        elif what in OFFSET_ATTRS:
            rest = "<off>"
        else:
            # references print as (0x0000abcd "name"): keep the name only
            rest = re.sub(r"0x[0-9a-f]{8}(\s+)?", "", rest)
        print("%s%s %s" % (" " * depth, what, rest))


def main():
    mode, path = sys.argv[1], sys.argv[2]
    # drop llvm-dwarfdump's "FILE:\tfile format ..." line: it names the file
    text = "\n".join(l for l in open(path).read().splitlines()
                     if "\tfile format " not in l)
    {"line": norm_line, "line-runs": lambda t: norm_line(t, True),
     "info": norm_info}[mode](text)


if __name__ == "__main__":
    main()
