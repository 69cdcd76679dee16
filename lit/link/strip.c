// Stripped binaries: whence's records are allocated sections, not DWARF, so
// llvm-strip --strip-debug, llvm-strip -s (no .symtab either), and GNU
// strip --strip-debug / -s change no answer.  For a -gline-tables-only PIE
// (Inputs/rep.c: its whole output, names, files and lines, plus the
// runtime's view of every pc of its code, Inputs/scan.h) and for a program
// with a linked and a dlopen'ed DSO (multi-dso.c, every image stripped),
// the outputs after stripping are byte-identical to those before, and the
// stripped files really have lost .debug_line (and .symtab for -s).
// REQUIRES: (x86_64-linux || aarch64-linux), lld
// DEFINE: %{cc} = %clang -O2 -gline-tables-only %whence_cflags -I%inputs
// RUN: rm -rf %t && mkdir -p %t/ref %t/dbg %t/all %t/gdbg %t/gall
// RUN: %{cc} -I%S/Inputs %S/Inputs/rep.c %whence_libs -o %t/ref/rep
// RUN: %{cc} -fPIC -shared -DLINKED %S/multi-dso.c %whence_libs -o %t/ref/libwlinked.so
// RUN: %{cc} -fPIC -shared -DPLUG %S/multi-dso.c %whence_libs -o %t/ref/libwplug.so
// RUN: %{cc} -DMAIN %S/multi-dso.c -L%t/ref -lwlinked %whence_libs -o %t/ref/main
// The reference answers, and they are the right ones:
// RUN: %run %t/ref/rep %t/ref/rep.scan > %t/ref/rep.out 2>&1
// RUN: FileCheck --check-prefixes=CHECK,ONE_TU %S/Inputs/rep.c < %t/ref/rep.out
// RUN: env LD_LIBRARY_PATH=%t/ref %run %t/ref/main %t/ref/libwplug.so > %t/ref/dso.out 2>&1
// RUN: FileCheck %S/multi-dso.c < %t/ref/dso.out
// RUN: llvm-readelf -S %t/ref/rep | FileCheck %s --check-prefix=HAS
// RUN: llvm-readelf -S %t/ref/libwplug.so | FileCheck %s --check-prefix=HAS
//
// RUN: llvm-strip --strip-debug %t/ref/rep -o %t/dbg/rep
// RUN: llvm-strip -s %t/ref/rep -o %t/all/rep
// RUN: %if ld.bfd %{ strip --strip-debug %t/ref/rep -o %t/gdbg/rep %}
// RUN: %if ld.bfd %{ strip -s %t/ref/rep -o %t/gall/rep %}
// RUN: llvm-strip --strip-debug %t/ref/libwlinked.so -o %t/dbg/libwlinked.so
// RUN: llvm-strip --strip-debug %t/ref/libwplug.so -o %t/dbg/libwplug.so
// RUN: llvm-strip --strip-debug %t/ref/main -o %t/dbg/main
// RUN: llvm-strip -s %t/ref/libwlinked.so -o %t/all/libwlinked.so
// RUN: llvm-strip -s %t/ref/libwplug.so -o %t/all/libwplug.so
// RUN: llvm-strip -s %t/ref/main -o %t/all/main
// RUN: %if ld.bfd %{ strip -s %t/ref/libwlinked.so -o %t/gall/libwlinked.so %}
// RUN: %if ld.bfd %{ strip -s %t/ref/libwplug.so -o %t/gall/libwplug.so %}
// RUN: %if ld.bfd %{ strip -s %t/ref/main -o %t/gall/main %}
// RUN: llvm-readelf -S %t/dbg/rep | FileCheck %s --check-prefix=DBG --implicit-check-not=.debug_
// RUN: llvm-readelf -S %t/dbg/libwplug.so | FileCheck %s --check-prefix=DBG --implicit-check-not=.debug_
// RUN: llvm-readelf -S %t/dbg/main | FileCheck %s --check-prefix=DBG --implicit-check-not=.debug_
// RUN: llvm-readelf -S %t/all/rep | FileCheck %s --check-prefix=ALL --implicit-check-not=.debug_ --implicit-check-not=.symtab
// RUN: llvm-readelf -S %t/all/libwplug.so | FileCheck %s --check-prefix=ALL --implicit-check-not=.debug_ --implicit-check-not=.symtab
// RUN: llvm-readelf -S %t/all/main | FileCheck %s --check-prefix=ALL --implicit-check-not=.debug_ --implicit-check-not=.symtab
// RUN: %if ld.bfd %{ llvm-readelf -S %t/gall/rep | FileCheck %s --check-prefix=ALL --implicit-check-not=.debug_ --implicit-check-not=.symtab %}
// RUN: %if ld.bfd %{ llvm-readelf -S %t/gall/libwplug.so | FileCheck %s --check-prefix=ALL --implicit-check-not=.debug_ --implicit-check-not=.symtab %}
// RUN: %if ld.bfd %{ llvm-readelf -S %t/gall/main | FileCheck %s --check-prefix=ALL --implicit-check-not=.debug_ --implicit-check-not=.symtab %}
//
// RUN: %run %t/dbg/rep %t/dbg/rep.scan > %t/dbg/rep.out 2>&1
// RUN: diff %t/ref/rep.out %t/dbg/rep.out
// RUN: diff %t/ref/rep.scan %t/dbg/rep.scan
// RUN: %run %t/all/rep %t/all/rep.scan > %t/all/rep.out 2>&1
// RUN: diff %t/ref/rep.out %t/all/rep.out
// RUN: diff %t/ref/rep.scan %t/all/rep.scan
// RUN: %if ld.bfd %{ %t/gdbg/rep %t/gdbg/rep.scan > %t/gdbg/rep.out 2>&1 %}
// RUN: %if ld.bfd %{ diff %t/ref/rep.out %t/gdbg/rep.out %}
// RUN: %if ld.bfd %{ diff %t/ref/rep.scan %t/gdbg/rep.scan %}
// RUN: %if ld.bfd %{ %t/gall/rep %t/gall/rep.scan > %t/gall/rep.out 2>&1 %}
// RUN: %if ld.bfd %{ diff %t/ref/rep.out %t/gall/rep.out %}
// RUN: %if ld.bfd %{ diff %t/ref/rep.scan %t/gall/rep.scan %}
// The stripped program loads the stripped DSOs (LD_LIBRARY_PATH before its
// rpath):
// RUN: env LD_LIBRARY_PATH=%t/dbg %run %t/dbg/main %t/dbg/libwplug.so > %t/dbg/dso.out 2>&1
// RUN: diff %t/ref/dso.out %t/dbg/dso.out
// RUN: env LD_LIBRARY_PATH=%t/all %run %t/all/main %t/all/libwplug.so > %t/all/dso.out 2>&1
// RUN: diff %t/ref/dso.out %t/all/dso.out
// RUN: %if ld.bfd %{ env LD_LIBRARY_PATH=%t/gall %run %t/gall/main %t/gall/libwplug.so > %t/gall/dso.out 2>&1 %}
// RUN: %if ld.bfd %{ diff %t/ref/dso.out %t/gall/dso.out %}
//
// HAS-DAG: whence_fn
// HAS-DAG: whence_site
// HAS-DAG: whence_mod
// HAS-DAG: .debug_line
// HAS-DAG: .symtab
// DBG-DAG: whence_fn
// DBG-DAG: whence_site
// DBG-DAG: whence_mod
// DBG-DAG: .symtab
// ALL-DAG: whence_fn
// ALL-DAG: whence_site
// ALL-DAG: whence_mod
