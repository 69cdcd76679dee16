#!/usr/bin/env python3
"""gen-huge.py N: print an IR module with one function making N calls, each
with its own inlined location chain (three levels, so 3*N locs), and a
switch fanning into N/8 blocks.  Stress input for the pass."""
import sys

n = int(sys.argv[1])
print('source_filename = "huge.c"')
print('target triple = "x86_64-unknown-linux-gnu"')
print("declare void @ext(i32)")
print("define void @huge(i32 %sel) !dbg !10 {")
print("entry:")
blocks = max(1, n // 8)
print("  switch i32 %%sel, label %%b0 [%s]" % " ".join(
    "i32 %d, label %%b%d" % (i, i) for i in range(1, blocks)))
md = []
nid = 100
for b in range(blocks):
    print("b%d:" % b)
    for k in range(8):
        i = b * 8 + k
        # leaf:i <- mid:i <- huge:i
        top, midl, leaf = nid, nid + 1, nid + 2
        nid += 3
        md.append("!%d = distinct !DILocation(line: %d, column: 1, scope: !10)" % (top, i + 1))
        md.append("!%d = distinct !DILocation(line: %d, column: 2, scope: !11, inlinedAt: !%d)" % (midl, i + 1, top))
        md.append("!%d = !DILocation(line: %d, column: 3, scope: !12, inlinedAt: !%d)" % (leaf, i + 1, midl))
        print("  call void @ext(i32 %d), !dbg !%d" % (i, leaf))
    print("  br label %%b%d" % (b + 1) if b + 1 < blocks else "  ret void")
print("}")
print("!llvm.dbg.cu = !{!0}")
print("!llvm.module.flags = !{!2}")
print('!0 = distinct !DICompileUnit(language: DW_LANG_C11, file: !1, producer: "gen", isOptimized: true, runtimeVersion: 0, emissionKind: LineTablesOnly)')
print('!1 = !DIFile(filename: "huge.c", directory: "/src")')
print('!2 = !{i32 2, !"Debug Info Version", i32 3}')
print("!5 = !DISubroutineType(types: !{})")
for i, name in ((10, "huge"), (11, "mid"), (12, "leaf")):
    print('!%d = distinct !DISubprogram(name: "%s", scope: !1, file: !1, line: 1, type: !5, scopeLine: 1, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !0)' % (i, name))
print("\n".join(md))
