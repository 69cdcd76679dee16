// Under clang -fpass-plugin the only channel to the pass is the environment: WHENCE_SITES=0/1/auto gates site labels at every -O level, with and without -g.
// RUN: %clang -O2 -gline-tables-only -fpass-plugin=%plugin -S -emit-llvm %s -o - | FileCheck %s --check-prefix=ON
// RUN: env WHENCE_SITES=0 %clang -O2 -gline-tables-only -fpass-plugin=%plugin -S -emit-llvm %s -o - | FileCheck %s --check-prefix=OFF
// RUN: %clang -O0 -g -fpass-plugin=%plugin -S -emit-llvm %s -o - | FileCheck %s --check-prefix=OFF
// RUN: env WHENCE_SITES=1 %clang -O0 -g -fpass-plugin=%plugin -S -emit-llvm %s -o - | FileCheck %s --check-prefix=ON
// RUN: env WHENCE_SITES=auto %clang -O1 -g -fpass-plugin=%plugin -S -emit-llvm %s -o - | FileCheck %s --check-prefix=OFF
// The IR clang would emit must verify after every pass.
// RUN: env WHENCE_SITES=1 %clang -O2 -g -fpass-plugin=%plugin -Xclang -llvm-verify-each -c %s -o /dev/null
// RUN: %clang -O0 -fpass-plugin=%plugin -Xclang -llvm-verify-each -c %s -o /dev/null 2>&1 | FileCheck %s --check-prefix=NOTE
// NOTE: whence: note: {{.*}}env-sites-clang.c: no debug info, lines will be 0 and functions inlined into others will show no frames of their own; compile with -gline-tables-only

void ext(int);

// ON-LABEL: define {{.*}}void @f(
// ON-SAME: !pcsections
// ON: call void asm {{(sideeffect )?}}".Lwhence_site${:uid}:
// ON-NEXT: call void @ext(
// OFF-LABEL: define {{.*}}void @f(
// OFF-SAME: !pcsections
// OFF-NOT: .Lwhence_site
// OFF: call void @ext(
void f(int x) { ext(x); }
