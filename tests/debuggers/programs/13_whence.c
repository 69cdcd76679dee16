// DBG-WHENCE: yes
// DBG-NOVALUE: fr, fr2, depth, pcs, ok, line, l, v, total, retval
// A program that itself uses whence (linked with libwhence): debugging
// whence-using code.  The values whence computes legitimately differ with
// and without the plugin (that is what the plugin is for), so the runner
// does not compare the values computed from whence answers (and return
// values of finish) between variants;
// everything else (stops, scopes, bt, other values) must be identical.
#include <stdio.h>
#include <stdint.h>
#include <whence.h>

static int where_line(void) {
  whence_frame fr;
  bool ok = whence_caller(1, &fr);      // CHECK: break=where_line; vars=fr,ok,line; bt=where_line:15,chain2:21,chain1:26,main:33; next->16
  int line = ok ? fr.line : -1;         // CHECK: next->17
  return line;                          // CHECK: vars=fr,ok,line; type(fr)=whence_frame; finish->chain2:21
}

static int chain2(int k) {
  int l = where_line();                 // CHECK: vars=k,l; k=2; next->22
  return l + k;                         // CHECK: finish->chain1:26
}

static int chain1(int k) {
  int v = chain2(k + 1);                // CHECK: vars=k,v,pcs,depth; k=1; next->28
  uintptr_t pcs[8];
  int depth = whence_callers(0, pcs, 8); // CHECK: next->29
  return v + (depth > 0 ? 0 : 0);       // CHECK: bt=chain1:29,main:33; finish->main:33
}

int main(void) {
  int total = chain1(1);                // CHECK: vars=total,fr2; next->35
  whence_frame fr2;
  whence_caller(0, &fr2);               // CHECK: next->36
  printf("%d %s:%d\n", total, fr2.function, fr2.line); // CHECK: bt=main:36; vars=total,fr2
  return 0;
}
