; The object file: whence_fn holds 16-byte packed records {pc32 entry, u32 size, u64 key << 24 | subprog} ("WAL", link-order to the function's text, align 1; a comdat function's record and sites in its group), whence_site 8-byte {pc32 label, u32 loc} records ("AL", one section per function, link-order to the function's section, align 4), whence_mod the 8-aligned retained ("AR") table; no whence_line without debug info (line-records.ll has them); the constructor and its .init_array.1 in the constructor's group; the note naming the constructor (.note.whence, "AGR", in its own group); fence records (a whence_fn record with subprog 0xffffff, passes/split.c) on the module's end marker (its own retained section) and on the constructor and destructor (in their groups).
; RUN: %opt -load-pass-plugin=%plugin -passes='whence' %s -o %t.bc 2>/dev/null
; RUN: %llc -filetype=obj %t.bc -o %t.o
; RUN: llvm-readelf -S -g %t.o | FileCheck %s --check-prefix=SECT
; RUN: llvm-objdump -s -j whence_fn -j whence_site -j whence_mod %t.o | FileCheck %s --check-prefix=BYTES
; RUN: llvm-readelf -r %t.o | FileCheck %s --check-prefix=RELOC

source_filename = "sections.c"
target triple = "x86_64-unknown-linux-gnu"

$inl = comdat any

declare void @ext()

define void @a() {
  call void @ext()
  ret void
}

define void @b() {
  call void @ext()
  call void @ext()
  ret void
}

define linkonce_odr void @inl() comdat {
  call void @ext()
  ret void
}

; SECT:      [{{ *}}[[TEXT:[0-9]+]]] .text PROGBITS
; SECT:      ] whence_site PROGBITS 0000000000000000 {{[0-9a-f]+}} 000008 00 AL [[TEXT]] 0 4
; SECT:      ] whence_fn PROGBITS 0000000000000000 {{[0-9a-f]+}} 000020 00 WAL [[TEXT]] 0 1
; SECT:      ] whence_site PROGBITS 0000000000000000 {{[0-9a-f]+}} 000010 00 AL [[TEXT]] 0 4
; SECT:      [{{ *}}[[INL:[0-9]+]]] .text.inl PROGBITS {{.*}} AXG 0 0 16
; SECT:      [{{ *}}[[INLSITE:[0-9]+]]] whence_site PROGBITS 0000000000000000 {{[0-9a-f]+}} 000008 00 ALG [[INL]] 0 4
; SECT:      [{{ *}}[[INLFN:[0-9]+]]] whence_fn PROGBITS 0000000000000000 {{[0-9a-f]+}} 000010 00 WALG [[INL]] 0 1
; SECT:      [{{ *}}[[FENCE:[0-9]+]]] .text..L__whence.fence PROGBITS {{.*}} AXR 0 0 16
; SECT:      ] whence_fn PROGBITS 0000000000000000 {{[0-9a-f]+}} 000010 00 WAL [[FENCE]] 0 1
; SECT:      [{{ *}}[[CTOR:[0-9]+]]] .text.__whence.module_ctor PROGBITS {{.*}} AXG 0 0 16
; SECT:      [{{ *}}[[CTORFN:[0-9]+]]] whence_fn PROGBITS 0000000000000000 {{[0-9a-f]+}} 000010 00 WALG [[CTOR]] 0 1
; SECT:      [{{ *}}[[DTOR:[0-9]+]]] .text.__whence.module_dtor PROGBITS {{.*}} AXG 0 0 16
; SECT:      [{{ *}}[[DTORFN:[0-9]+]]] whence_fn PROGBITS 0000000000000000 {{[0-9a-f]+}} 000010 00 WALG [[DTOR]] 0 1
; SECT:      ] whence_mod PROGBITS 0000000000000000 {{[0-9a-f]+}} 000070 00 AR 0 0 8
; SECT:      [{{ *}}[[INIT:[0-9]+]]] .init_array.1 INIT_ARRAY {{.*}} WAG 0 0 8
; SECT:      [{{ *}}[[FINI:[0-9]+]]] .fini_array.1 FINI_ARRAY {{.*}} WAG 0 0 8
; SECT:      [{{ *}}[[NOTE:[0-9]+]]] .note.whence NOTE {{.*}} AGR 0 0 4
; SECT-NEXT: .rela.note.whence RELA
; SECT-NOT:  whence
; SECT:      COMDAT group section [{{ *[0-9]+}}] `.group' [inl] contains 6 sections:
; SECT-NEXT:    [Index] Name
; SECT-NEXT:    [{{ *}}[[INL]]] .text.inl
; SECT-NEXT:    [{{ *[0-9]+}}] .rela.text.inl
; SECT-NEXT:    [{{ *}}[[INLSITE]]] whence_site
; SECT-NEXT:    [{{ *[0-9]+}}] .relawhence_site
; SECT-NEXT:    [{{ *}}[[INLFN]]] whence_fn
; SECT-NEXT:    [{{ *[0-9]+}}] .relawhence_fn
; SECT:      COMDAT group section [{{ *[0-9]+}}] `.group' [__whence.module_ctor] contains 6 sections:
; SECT-NEXT:    [Index] Name
; SECT-NEXT:    [{{ *}}[[CTOR]]] .text.__whence.module_ctor
; SECT-NEXT:    [{{ *[0-9]+}}] .rela.text.__whence.module_ctor
; SECT-NEXT:    [{{ *}}[[CTORFN]]] whence_fn
; SECT-NEXT:    [{{ *[0-9]+}}] .relawhence_fn
; SECT-NEXT:    [{{ *}}[[INIT]]] .init_array.1
; SECT:      COMDAT group section [{{ *[0-9]+}}] `.group' [__whence.module_dtor] contains 6 sections:
; SECT-NEXT:    [Index] Name
; SECT-NEXT:    [{{ *}}[[DTOR]]] .text.__whence.module_dtor
; SECT-NEXT:    [{{ *[0-9]+}}] .rela.text.__whence.module_dtor
; SECT-NEXT:    [{{ *}}[[DTORFN]]] whence_fn
; SECT-NEXT:    [{{ *[0-9]+}}] .relawhence_fn
; SECT-NEXT:    [{{ *}}[[FINI]]] .fini_array.1
; SECT:      COMDAT group section [{{ *[0-9]+}}] `.group' [__whence.note] contains 2 sections:
; SECT-NEXT:    [Index] Name
; SECT-NEXT:    [{{ *}}[[NOTE]]] .note.whence

; Records of a (11 bytes: push/mov/call/pop/ret), b (16 bytes), inl: entry 0
; (a relocation), size, subprog 0, 1, 2 in the low 24 bits of keysub, the
; 40-bit key above.  Sites: label 0 (a relocation) and a flat site word (no
; location: line 0, column 0), so the table has no locs.
; BYTES:      Contents of section whence_site:
; BYTES-NEXT:  0000 00000000 00000080
; BYTES:      Contents of section whence_fn:
; BYTES-NEXT:  0000 00000000 0b000000 000000[[KA:[0-9a-f]{2}]] [[KB:[0-9a-f]{6}]][[KC:[0-9a-f]{2}]]
; BYTES-NEXT:  0010 00000000 10000000 010000[[KA]] [[KB]][[KC]]
; BYTES:      Contents of section whence_site:
; BYTES-NEXT:  0000 00000000 00000080 00000000 00000080
; BYTES:      Contents of section whence_site:
; BYTES-NEXT:  0000 00000000 00000080
; BYTES:      Contents of section whence_fn:
; BYTES-NEXT:  0000 00000000 0b000000 020000[[KA]] [[KB]][[KC]]
; The module's end marker (passes/split.c: movabs $key, %rax; ret, 11
; bytes): a fence record, subprog 0xffffff (so have the constructor and
; destructor, in their groups).
; BYTES:      Contents of section whence_fn:
; BYTES-NEXT:  0000 00000000 0b000000 ffffff[[KA]] [[KB]][[KC]]
; Table: magic "WHN1", version 6, header 64, total 0x70, flags SITES|FENCED, key
; (the same 40 bits), 3 subprogs at 0x40, no locs (at 0x58), no file table
; (at 0x58), 0x14 bytes of strings at 0x58, module name at string 1,
; reserved 0; subprogs {name, line 0 | no file}; strings; zero padding to 8.
; BYTES:      Contents of section whence_mod:
; BYTES-NEXT:  0000 57484e31 06004000 70000000 0a000000
; BYTES-NEXT:  0010 [[KA]][[KB]] [[KC]]000000 03000000 40000000
; BYTES-NEXT:  0020 00000000 58000000 14000000 58000000
; BYTES-NEXT:  0030 01000000 00000000 58000000 00000000
; BYTES-NEXT:  0040 0c000000 00000000 0e000000 00000000
; BYTES-NEXT:  0050 10000000 00000000 00736563 74696f6e  .........section
; BYTES-NEXT:  0060 732e6300 61006200 696e6c00 00000000  s.c.a.b.inl.....

; Only pc-relative relocations in the records: nothing for a dynamic linker.
; The first label sits after a's push %rbp; mov %rsp,%rbp (4 bytes).
; RELOC:      Relocation section '.relawhence_site'
; RELOC-NEXT: Offset
; RELOC-NEXT: 0000000000000000 {{[0-9a-f]+}} R_X86_64_PC32 0000000000000000 .text + 4
; RELOC:      Relocation section '.relawhence_fn'
; RELOC-NEXT: Offset
; RELOC-NEXT: 0000000000000000 {{[0-9a-f]+}} R_X86_64_PC32 0000000000000000 .text + 0
; RELOC-NEXT: 0000000000000010 {{[0-9a-f]+}} R_X86_64_PC32 0000000000000000 .text + 10
; RELOC-EMPTY:
