// In -g builds the debugger must see the line table it sees without the
// plugin (docs/DEBUGGERS.md): the slot stores join a neighbour's row, so
// every function names the same source lines as in a build with the same
// frame pointers and no plugin.  Landing pads: a catch, a rethrow, a
// destructor run by the unwinder, a throw (its allocation's cleanup pad).
//
// Was a bug: the slot store before the first call of a landing pad joined
// the row of the instruction before it, the `landingpad`, which clang gives
// the function's closing brace and which emits no code, so the store
// started a row of that line inside the catch (`next` over a rethrow stopped
// on the brace).  The store now looks past instructions that emit no code.
// REQUIRES: x86_64-linux || aarch64-linux
// RUN: %clangxx -O1 -g -fno-omit-frame-pointer -momit-leaf-frame-pointer -S %s -o %t.f1.s
// RUN: %clangxx -O1 -g -fpass-plugin=%plugin -S %s -o %t.b1.s
// RUN: python3 %S/Inputs/loc_lines.py %t.f1.s %t.b1.s
// RUN: %clangxx -O2 -g -fno-omit-frame-pointer -momit-leaf-frame-pointer -S %s -o %t.f2.s
// RUN: %clangxx -O2 -g -fpass-plugin=%plugin -S %s -o %t.b2.s
// RUN: python3 %S/Inputs/loc_lines.py %t.f2.s %t.b2.s
#include <cstdio>
#include <stdexcept>

static volatile int sink;

struct Guard {
  int id;
  explicit Guard(int i) : id(i) {}
  __attribute__((noinline)) ~Guard() { sink = id; }
};

__attribute__((noinline)) int thrower(int x) {
  if (x > 2)
    throw std::runtime_error("too big");
  return x * 10;
}

__attribute__((noinline)) int middle(int x) {
  Guard g(x);
  int r = thrower(x);
  sink = r;
  return r + 1;
}

__attribute__((noinline)) int catcher(int x) {
  try {
    return middle(x);
  } catch (const std::runtime_error &e) {
    sink = -1;
    return -1;
  }
}

__attribute__((noinline)) int rethrower(int x) {
  try {
    return middle(x);
  } catch (...) {
    sink = -2;
    throw;
  }
}

int main(int argc, char **) {
  int again = 0;
  try {
    again = rethrower(argc + 7);
  } catch (const std::exception &e) {
    again = -3;
  }
  std::printf("%d %d\n", catcher(argc + 5), again);
  return 0;
}
