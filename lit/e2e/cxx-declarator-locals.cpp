// Local entities (a local class's function, a lambda) of functions whose
// demangled encoding is not "RET NAME(PARAMS) QUALS": a function template
// returning a function pointer, a reference to an array or a pointer to
// member (the return type is printed around the name: "int (*pick<int>
// (int))(int)"), and functions with a requires-clause, which the
// demangler prints after the parameters ("void f<int>(int) requires
// C<int>", possibly ending in a qualified name itself).  Was a bug: the
// scanner of the demangler's text (passes/names.c) read these as
// "(*pick<int>(int))::L::g" and "void f<int>(int) requires C<int>::L::g";
// the enclosing function is now printed by its name alone, from the
// demangler's tree (passes/plugin.cpp, whence_demangle_function).
// RUN: %clangxx -std=c++20 -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t && %run %t | FileCheck %s
// RUN: %clangxx -std=c++20 -O0 -g %whence_cflags %s %whence_libs -o %t.g && %run %t.g | FileCheck %s
// CHECK: {{^}}pick<int>::{lambda(int)#1}::operator(){{$}}
// CHECK-NEXT: {{^}}pick<int>::L::g{{$}}
// CHECK-NEXT: {{^}}pickn::L::g{{$}}
// CHECK-NEXT: {{^}}arr<int>::L::g{{$}}
// CHECK-NEXT: {{^}}nested<int>::L::g{{$}}
// CHECK-NEXT: {{^}}S::pmf<int>::L::g{{$}}
// CHECK-NEXT: {{^}}S::pmd<int>::L::g{{$}}
// CHECK-NEXT: {{^}}S::cfp<int>::L::g{{$}}
// CHECK-NEXT: {{^}}req<int>::L::g{{$}}
// CHECK-NEXT: {{^}}req<int>::{lambda(int)#1}::operator(){{$}}
// CHECK-NEXT: {{^}}treq<int>::L::g{{$}}
// CHECK-NEXT: {{^}}treq<int>::{lambda(int)#1}::operator(){{$}}
// CHECK-NEXT: {{^}}qreq<int>::L::g{{$}}
// CHECK-NEXT: {{^}}K<int>::h::L::g{{$}}
// CHECK-NEXT: {{^}}both<int>::L::g{{$}}
#include <stdio.h>
#include <whence.h>

#define NOINLINE __attribute__((noinline))

NOINLINE static void show() {
    whence_frame f;
    whence_caller(1, &f);
    printf("%s\n", f.function);
}

// int (*pick<int>(int))(int)::L::g(int)
template <class T> int (*pick(T))(int) {
    struct L {
        NOINLINE static int g(int x) { show(); return x + 1; }
    };
    [](int y) NOINLINE { show(); return y; }(1);
    return L::g;
}
// Not a template: no return type in the mangled name (always read right).
int (*pickn(int))(int) {
    struct L {
        NOINLINE static int g(int x) { show(); return x + 2; }
    };
    return L::g;
}
// int (&arr<int>(int)) [3]::L::g()
template <class T> int (&arr(T))[3] {
    static int a[3];
    struct L {
        NOINLINE static void g() { show(); }
    };
    L::g();
    return a;
}
// void (*(*nested<int>(int))(int))(long)::L::g()
template <class T> void (*(*nested(T))(int))(long) {
    struct L {
        NOINLINE static void g() { show(); }
    };
    L::g();
    return nullptr;
}
struct S {
    int m;
    int f(int x) { return x; }
    // int (S::*S::pmf<int>(int))(int)::L::g()
    template <class T> int (S::*pmf(T))(int) {
        struct L {
            NOINLINE static void g() { show(); }
        };
        L::g();
        return &S::f;
    }
    // int S::* S::pmd<int>(int)::L::g()
    template <class T> int S::*pmd(T) {
        struct L {
            NOINLINE static void g() { show(); }
        };
        L::g();
        return &S::m;
    }
    // int (*S::cfp<int>(int))(int) const::L::g(): qualifiers after the
    // return type's declarator
    template <class T> int (*cfp(T) const)(int) {
        struct L {
            NOINLINE static void g() { show(); }
        };
        L::g();
        return nullptr;
    }
};

template <class T> concept C = sizeof(T) > 1;
namespace ns {
template <class T> struct Tr {
    static constexpr bool L = true;
};
} // namespace ns

// void req<int>(int) requires C<int>::L::g()
template <class T> void req(T) requires C<T> {
    struct L {
        NOINLINE static void g() { show(); }
    };
    L::g();
    [](int y) NOINLINE { show(); return y; }(1);
}
// void treq<int>(T)::L::g(): a requires-clause before the declarator
// (mangled with the template arguments; the demangler prints none)
template <class T> requires C<T> void treq(T) {
    struct L {
        NOINLINE static void g() { show(); }
    };
    L::g();
    [](int y) NOINLINE { show(); return y; }(1);
}
// void qreq<int>(int) requires ns::Tr<int>::L::L::g(): which "::L" ends
// the constraint cannot be told from the text
template <class T> void qreq(T) requires ns::Tr<T>::L {
    struct L {
        NOINLINE static void g() { show(); }
    };
    L::g();
}
// K<int>::h(int) requires C<T>::L::g()
template <class T> struct K {
    void h(T) requires C<T> {
        struct L {
            NOINLINE static void g() { show(); }
        };
        L::g();
    }
};
// int (*both<int>(int))(int) requires C<int>::L::g()
template <class T> int (*both(T))(int) requires C<T> {
    struct L {
        NOINLINE static void g() { show(); }
    };
    L::g();
    return nullptr;
}

int main() {
    S s;
    int r = pick(1)(1);
    r += pickn(1)(1);
    r += arr(1)[0];
    r += nested(1) != nullptr;
    r += (s.*s.pmf(1))(1);
    r += s.*s.pmd(1);
    r += s.cfp(1) != nullptr;
    req(1);
    treq(1);
    qreq(1);
    K<int>().h(1);
    r += both(1) != nullptr;
    return r == 0;
}
