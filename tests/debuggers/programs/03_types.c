// Values of structs, nested structs, arrays (1-D, 2-D, char), pointers,
// unions, enums, bitfields, typedefs, floating point and bool.
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

enum color { RED, GREEN = 5, BLUE };
typedef unsigned long ulong_t;

struct point { int x, y; };
struct rect { struct point lo, hi; const char *name; };
union word { unsigned int u; unsigned char bytes[4]; };
struct flags { unsigned a : 1, b : 3, c : 4; int rest : 8; };
struct node { int val; struct node *next; };

static int area(const struct rect *r) {
  int w = r->hi.x - r->lo.x;           // CHECK: break=area; vars=r,w,h; r->lo={x=1,y=2}; r->hi.y=6; r->name="box"; next->18
  int h = r->hi.y - r->lo.y;           // CHECK: w=3; next->19
  return w * h;                        // CHECK: h=4; bt=area:19,main:45; finish->main:45
}

int main(void) {
  struct point p = {1, 2};
  struct rect r = {{1, 2}, {4, 6}, "box"};
  int arr[5] = {10, 20, 30, 40, 50};
  int grid[2][3] = {{1, 2, 3}, {4, 5, 6}};
  char buf[16] = "hello";
  union word w;
  w.u = 0x04030201u;
  struct flags f = {1, 5, 9, -3};
  enum color c = GREEN;
  ulong_t big = 1ul << 40;
  double d = 2.5;
  float fl = -0.75f;
  bool yes = true;
  int *ip = &arr[2];
  struct point *pp = &p;
  struct node n2 = {2, NULL};
  struct node n1 = {1, &n2};
  int *nothing = NULL;
  char ch = 'q';
  short sh = -7;
  unsigned char uc = 200;
  long long neg = -1234567890123ll;
  int a = area(&r);                    // CHECK: break; p={x=1,y=2}; r.lo.x=1; r.hi={x=4,y=6}; arr=[10,20,30,40,50]
                                       // CHECK@1: grid=[[1,2,3],[4,5,6]]; grid[1][2]=6; buf="hello"; w.u=67305985
                                       // CHECK@1: w.bytes=['\x01','\x02','\x03','\x04']; f.a=1; f.b=5; f.c=9; f.rest=-3
                                       // CHECK@1: c=GREEN; big=1099511627776; d=2.5; fl=-0.75; yes=true
                                       // CHECK@1: ip=->30; *ip=30; pp=->{x=1,y=2}; pp->y=2; n1.next->val=2
                                       // CHECK@1: n1={val=1,next=->{val=2,next=null}}; nothing=null; ch='q'; sh=-7; uc='\xc8'
                                       // CHECK@1: neg=-1234567890123; type(r)=rect; type(big)=ulong_t; type(w)=word
                                       // CHECK@1: eval(arr[1] + arr[3])=60; eval(r.hi.x * 10)=40; eval(sizeof(struct flags))=4
                                       // CHECK@1: vars=p,r,arr,grid,buf,w,f,c,big,d,fl,yes,ip,pp,n2,n1,nothing,ch,sh,uc,neg,a,e2
                                       // CHECK@2: retval=12; next->55
  enum color e2 = (enum color)(a % 7); // (unreachable annotations above end here)
  arr[0] = a;
  memcpy(buf, "world", 6);
  p.x += a;
  printf("%d %d %s %d\n", a, arr[0], buf, p.x);
  return e2 == GREEN ? 0 : 1;          // CHECK: break; e2=GREEN; arr[0]=12; buf="world"; p={x=13,y=2}; continue->exit=0
}
