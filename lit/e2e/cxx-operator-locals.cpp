// Local entities (a lambda, a local class) of operator functions, whose
// demangled names the pass's scanner (passes/names.c) must read past.
// Were bugs: a literal operator lost its name with its return type
// ("_x::Lit::g"), and the demangler's "operator<<long, char>" for
// operator< with two template arguments was read as operator<<, the rest
// up to its last space taken for a return type ("char>::{lambda...}").
// A conversion function's type runs to what follows it: its lambda's
// 'lambda'(int) is read (a local entity's enclosing function is printed
// by its name alone, passes/plugin.cpp: "operator int::'lambda'(int)").
// RUN: %clangxx -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t && %run %t | FileCheck %s
// RUN: %clangxx -O0 -g %whence_cflags %s %whence_libs -o %t.g && %run %t.g | FileCheck %s
// CHECK: operator"" _x::Lit::g
// CHECK-NEXT: ns::operator< <long, char>::{lambda(long const&, long const&)#1}::operator()
// CHECK-NEXT: {{^}}operator<<::Inner::g
// CHECK-NEXT: {{^}}Conv::operator int::{lambda(int)#1}::operator(){{$}}
#include <stdio.h>
#include <whence.h>

__attribute__((noinline)) static void show() {
    whence_frame f;
    whence_caller(1, &f);
    printf("%s\n", f.function);
}

unsigned long long operator""_x(unsigned long long v) {
    struct Lit {
        __attribute__((noinline)) static int g() {
            show();
            return 2;
        }
    };
    return v + Lit::g();
}

namespace ns {
template <class T, class U> struct P {
    T a;
    U b;
};
template <class T, class U> bool operator<(const P<T, U> &x, const P<T, U> &y) {
    auto cmp = [](const T &p, const T &q) __attribute__((noinline)) {
        show();
        return p < q;
    };
    return cmp(x.a, y.a);
}
} // namespace ns

struct Out {
    int n;
};
Out &operator<<(Out &o, int v) {
    struct Inner {
        __attribute__((noinline)) static int g() {
            show();
            return 1;
        }
    };
    o.n += v + Inner::g();
    return o;
}

struct Conv {
    operator int() const {
        return [](int v) __attribute__((noinline)) {
            show();
            return v;
        }(1);
    }
};

int main() {
    ns::P<long, char> p{1, 'a'}, q{2, 'b'};
    Out o{0};
    unsigned long long x = 12_x;
    bool lt = p < q;
    o << 3;
    int c = Conv();
    return (int)(x + lt + o.n + c) == 0;
}
