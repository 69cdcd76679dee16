// A set-user-ID program linked with libwhence.so, run by another user,
// read WHENCE_CPUPROFILE with getenv: the user made it write its profile,
// as root, over a root-only file (any file: /etc/shadow), or create one
// (helper-90).  Every WHENCE_* variable is now read with secure_getenv,
// which a set-user-ID program does not see, as glibc ignores LD_PRELOAD
// there.
// REQUIRES: x86_64-linux, root-setpriv
// RUN: rm -rf %t && mkdir -p %t/rootonly && chmod 700 %t/rootonly
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t/prog
// RUN: %clang -O2 -gline-tables-only %whence_cflags %s %whence_static -lpthread -ldl -o %t/prog-a
// RUN: chmod 4755 %t/prog %t/prog-a
// RUN: echo precious > %t/rootonly/victim && chmod 600 %t/rootonly/victim
// RUN: env WHENCE_CPUPROFILE=%t/rootonly/victim setpriv --reuid=65534 --regid=65534 --clear-groups %t/prog
// RUN: env WHENCE_CPUPROFILE=%t/rootonly/created setpriv --reuid=65534 --regid=65534 --clear-groups %t/prog
// RUN: env WHENCE_CPUPROFILE=%t/rootonly/victim setpriv --reuid=65534 --regid=65534 --clear-groups %t/prog-a
// RUN: FileCheck %s < %t/rootonly/victim
// RUN: not test -e %t/rootonly/created
// The same variable in an ordinary run still profiles.
// RUN: env WHENCE_CPUPROFILE=%t/own.pb.gz %t/prog && test -s %t/own.pb.gz
// CHECK: {{^precious$}}
int main(void) {
    return 0;
}
