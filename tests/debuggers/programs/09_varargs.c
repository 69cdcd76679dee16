// Variadic functions: named parameters, va_list, a va_arg loop, a vprintf wrapper (ap: stack garbage until va_start; frame layout moves it).
// DBG-NOVALUE: ap
#include <stdarg.h>
#include <stdio.h>

static int sum_ints(int count, ...) {
  va_list ap;
  va_start(ap, count);                  // CHECK: break=sum_ints; vars=count,ap,total; count=4; next->9
  int total = 0;                        // CHECK: ap[0].gp_offset=8; next->10
  for (int i = 0; i < count; i++) {     // CHECK@1: vars=count,ap,total,i; total=0; next->11 CHECK@2: i=0; vars=count,ap,total,i; next->11
    int v = va_arg(ap, int);            // CHECK: vars=count,ap,total,i,v; CHECK@1: i=0; next->12 CHECK@2: i=1; next->12
    total += v;                         // CHECK@1: v=1; total=0; ap[0].gp_offset=16; next->10 CHECK@2: v=2; total=1; bt=sum_ints:12,main:38; finish->main:38
  }
  va_end(ap);
  return total;
}

static double avg(int count, ...) {
  va_list ap;
  double s = 0;                         // CHECK: vars=count,ap,s; count=3; next->21
  va_start(ap, count);                  // CHECK: next->22
  for (int i = 0; i < count; i++)       // CHECK@1: vars=count,ap,s,i; next->23
    s += va_arg(ap, double);            // CHECK@1: s=0; i=0; finish->main:39
  va_end(ap);
  return count ? s / count : 0;
}

static int logf_(char *out, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);                    // CHECK: vars=out,fmt,ap,n; fmt="%s=%d"; next->31
  int n = vsnprintf(out, 64, fmt, ap);  // CHECK: next->33
  va_end(ap);
  return n;                             // CHECK: n=4; out="t=10"; bt=logf_:33,main:40; finish->main:40
}

int main(void) {
  char line[64];
  int t = sum_ints(4, 1, 2, 3, 4);      // CHECK: break; vars=line,t,a,n CHECK@2: retval=10; next->39
  double a = avg(3, 1.0, 2.0, 6.0);     // CHECK@1: t=10; step->avg:20 CHECK@2: retval=3; next->40
  int n = logf_(line, "%s=%d", "t", t); // CHECK@1: a=3; step->logf_:30 CHECK@2: retval=4; next->41
  printf("%s %g %d\n", line, a, n);     // CHECK: line="t=10"; n=4; a=3; t=10; continue->exit=0
  return t == 10 ? 0 : 1;
}
