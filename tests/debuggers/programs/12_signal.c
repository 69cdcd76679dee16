// Signals: LLDB stops when the program raises SIGUSR1, the handler's
// breakpoint is hit with the interrupted frames below it in bt, stepping
// inside the handler, and finish back out through the signal trampoline.
#include <signal.h>
#include <stdio.h>
#include <string.h>

static volatile sig_atomic_t got;
static int handled_in;

static void handler(int sig) {
  got = sig;                            // CHECK: break=handler; vars=sig; sig=10; bt=handler:12,trigger:18,main:27; next->13
  handled_in = 1;                       // CHECK: eval(got)=10; eval(handled_in)=0; next->14
}                                       // CHECK: eval(handled_in)=1; finish

static int trigger(int which) {
  int before = got;                     // CHECK: break=trigger; vars=which,before; which=10; next->18
  raise(which);                         // CHECK: before=0; bt=trigger:18,main:27
  return got - before;                  // CHECK: break; vars=which,before; before=0; eval(got - before)=10; finish->main:27
}

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = handler;
  sigaction(SIGUSR1, &sa, NULL);
  int delta = trigger(SIGUSR1);         // CHECK: retval=10; vars=sa,delta; next->28
  printf("%d %d\n", delta, handled_in); // CHECK: delta=10; eval(handled_in)=1
  return delta == SIGUSR1 ? 0 : 1;
}
