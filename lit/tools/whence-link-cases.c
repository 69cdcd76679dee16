// whence-link's cases and messages: twice in a row (the second run is a
// no-op that says so; the file stays byte-identical, and two runs from the
// same input write the same bytes), a binary without records (a no-op
// with a message), a reservation too small for the table (said; the file
// untouched; exit 1 only under --strict), a file that is not ELF (an
// error), and --check.  A damaged table: the runtime ignores it with one
// message and answers from the records, the same answers; a damaged module
// entry (its packed subprogs and locs): one message, and that module's
// positions are read from its module table, the same answers.
// REQUIRES: (x86_64-linux || aarch64-linux), lld
// DEFINE: %{rep} = %clang -O2 -gline-tables-only %whence_cflags -I%inputs -I%S/../link/Inputs %S/../link/Inputs/rep.c %whence_libs -fuse-ld=lld
// DEFINE: %{edit} = python3 %S/Inputs/elfedit.py
// RUN: rm -rf %t && mkdir -p %t
// RUN: %{rep} -o %t/rep
// RUN: %run %t/rep %t/rep.scan > %t/rep.out 2>&1
//
// Twice:
// RUN: cp %t/rep %t/twice && chmod 750 %t/twice
// RUN: %whence_link %t/twice 2>&1 | count 0
// RUN: stat -c %%a %t/twice | FileCheck %s --check-prefix=MODE
// RUN: cp %t/twice %t/twice.1
// RUN: %whence_link %t/twice 2>&1 | FileCheck %s --check-prefix=TWICE
// RUN: cmp %t/twice %t/twice.1
// RUN: %whence_link -q %t/twice 2>&1 | count 0
// RUN: %whence_link -o %t/again %t/rep && cmp %t/again %t/twice
// RUN: %run %t/twice %t/twice.scan > %t/twice.out 2>&1 && diff %t/rep.out %t/twice.out && diff %t/rep.scan %t/twice.scan
// RUN: %whence_link --check %t/twice 2>&1 | FileCheck %s --check-prefix=CHECKED
// RUN: %whence_link --check %t/rep 2>&1 | FileCheck %s --check-prefix=WOULD
//
// No records:
// RUN: %clang -O2 %s -o %t/plain
// RUN: cp %t/plain %t/plain.orig
// RUN: %whence_link %t/plain 2>&1 | FileCheck %s --check-prefix=NONE
// RUN: cmp %t/plain %t/plain.orig
// RUN: not %whence_link --strict %t/plain 2>&1 | FileCheck %s --check-prefix=NONE
//
// Too small:
// RUN: %{edit} %t/rep %t/small size=whence_tab:64
// RUN: cp %t/small %t/small.orig
// RUN: %whence_link %t/small 2>&1 | FileCheck %s --check-prefix=SMALL
// RUN: cmp %t/small %t/small.orig
// RUN: not %whence_link --strict %t/small 2>&1 | FileCheck %s --check-prefix=SMALL
// RUN: %run %t/small %t/small.scan > %t/small.out 2>&1 && diff %t/rep.out %t/small.out
//
// Records of another ABI version (a binary built by another whence): said
// once, nothing else, the file untouched.
// RUN: %{edit} %t/rep %t/oldabi flip=whence_mod:4
// RUN: cp %t/oldabi %t/oldabi.orig
// RUN: %whence_link %t/oldabi 2>&1 | FileCheck %s --check-prefix=ABI
// RUN: %whence_link %t/oldabi 2>&1 | count 1
// RUN: cmp %t/oldabi %t/oldabi.orig
//
// Not ELF, another machine's file, bad usage:
// RUN: not %whence_link %s 2>&1 | FileCheck %s --check-prefix=NOTELF
// RUN: %clang --target=%other_target -c %s -o %t/other.o
// RUN: not %whence_link %t/other.o 2>&1 | FileCheck %s --check-prefix=OTHER
// RUN: not %whence_link 2>&1 | FileCheck %s --check-prefix=USAGE
// RUN: not %whence_link --check -o %t/x %t/rep 2>&1 | FileCheck %s --check-prefix=CHECKO
//
// A damaged table: its header (the runtime checks it), its body (it does
// not, but never reads outside the table; --check finds it).
// RUN: %{edit} %t/twice %t/bad flip=whence_tab:40
// RUN: %run %t/bad %t/bad.scan > %t/bad.out 2> %t/bad.err
// RUN: diff %t/rep.out %t/bad.out && diff %t/rep.scan %t/bad.scan
// RUN: FileCheck %s --check-prefix=DAMAGED < %t/bad.err
// RUN: %{edit} %t/twice %t/badv flip=whence_tab:4
// RUN: %run %t/badv %t/badv.scan 2>&1 > %t/badv.out | FileCheck %s --check-prefix=VERSION
// RUN: diff %t/rep.out %t/badv.out
// RUN: %{edit} %t/twice %t/badb flip=whence_tab:300
// RUN: %run %t/badb %t/badb.scan > %t/badb.out 2>&1
// RUN: not %whence_link --check %t/badb 2>&1 | FileCheck %s --check-prefix=BODY
// RUN: %{edit} %t/twice %t/badm flipmod=whence_tab:24
// RUN: %run %t/badm %t/badm.scan > %t/badm.out 2> %t/badm.err
// RUN: diff %t/rep.out %t/badm.out && diff %t/rep.scan %t/badm.scan
// RUN: FileCheck %s --check-prefix=PACK < %t/badm.err
// RUN: not %whence_link --check %t/badm 2>&1 | FileCheck %s --check-prefix=PACKCHECK
//
// MODE: 750
// TWICE: twice: it has its lookup table already: nothing to do
// CHECKED: twice: its table answers as its records do at every byte of its code
// WOULD: rep: the table it would get answers as its records do at every byte of its code
// NONE: plain: it holds no whence records (not built with the whence plugin): nothing to do: left unchanged
// SMALL: small: its table needs {{[0-9]+}} bytes and its modules reserved 64 (whence_tab): left unchanged
// ABI: oldabi: its records are of record ABI version 249, and this whence-link reads version {{[0-9]+}} (rebuild it with this whence's plugin): left unchanged
// NOTELF: whence-link-cases.c: not an ELF file
// OTHER: other.o: an {{AArch64|x86-64}} file: this whence-link is built for {{x86-64|AArch64}} (run the whence-link of an {{AArch64|x86-64}} build of whence)
// USAGE: usage: whence-link [options] FILE
// CHECKO: --check writes nothing
// DAMAGED: whence: image at 0x{{[0-9a-f]+}}: ignoring its lookup table (header checksum); answering from its records
// DAMAGED-NOT: whence
// VERSION: ignoring its lookup table (table version); answering from its records
// BODY: badb: its table answers differently from its records at {{[0-9]+}} pcs
// PACK: whence: lookup table at 0x{{[0-9a-f]+}}: ignoring the packed positions of module table 0x{{[0-9a-f]+}} (check or bounds); answering from the module table
// PACK-NOT: whence
// PACKCHECK: whence-link: check: module 0 of the table: its pack is not usable
int main(void) { return 0; }
