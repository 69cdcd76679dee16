// DBG-OPT: O0 O2
//
// C++ exceptions: a throw caught two frames up, a rethrow, a destructor run
// by the unwinder, `next` over a call that throws and over a rethrow.
//
#include <cstdio>
#include <stdexcept>

#define NOINLINE __attribute__((noinline))

static volatile int sink;

struct Guard {
  int id;
  explicit Guard(int i) : id(i) {}
  NOINLINE ~Guard() { sink = id; }      // CHECK: locate=Guard::~Guard; this->id=2; bt=Guard::~Guard:16,middle:30,catcher:34,main:52; finish->middle:30
};

NOINLINE int thrower(int x) {
  if (x > 2)                            // CHECK: locate=thrower; x=8; bt=thrower:20,middle:27,rethrower:43,main:56; next->21
    throw std::runtime_error("too big"); // CHECK: next
  return x * 10;
}

NOINLINE int middle(int x) {
  Guard g(x);
  int r = thrower(x);                   // CHECK: break CHECK@1: x=2; g.id=2; bt=middle:27,catcher:34,main:52; next->28 CHECK@2: x=7; bt=middle:27,catcher:34,main:53; next CHECK@3: x=8; bt=middle:27,rethrower:43,main:56; step->thrower:20
  sink = r;                             // CHECK: r=20; next->29
  return r + 1;                         // CHECK: next->30
}                                       // CHECK@1: step->Guard::~Guard:16 CHECK-O0@2: finish->catcher:34 CHECK-O2@2: finish->catcher:39

NOINLINE int catcher(int x) {
  try {
    return middle(x);                   // CHECK-O0: retval=21
  } catch (const std::runtime_error &e) {
    sink = -1;                          // CHECK: break; x=7; bt=catcher:36,main:53 CHECK-O0: next->37 CHECK-O2: next->38
    return -1;
  }
}                                       // CHECK-O2: retval=21

NOINLINE int rethrower(int x) {
  try {
    return middle(x);
  } catch (...) {
    sink = -2;                          // CHECK: break; x=8; bt=rethrower:45,main:56; next->46
    throw;                              // CHECK-O0: next CHECK-O2: next->47
  }
}

int main(int argc, char **) {
  int k = argc + 1;
  int ok = catcher(k);
  int caught = catcher(k + 5);
  int again = 0;
  try {
    again = rethrower(k + 6);
  } catch (const std::exception &e) {
    again = -3;                         // CHECK-O0: break; bt=main:58
  }                                     // CHECK-O2: break; bt=main:59
  std::printf("%d %d %d\n", ok, caught, again); // CHECK: break; ok=21; caught=-1; again=-3; continue->exit=0
  return 0;
}
