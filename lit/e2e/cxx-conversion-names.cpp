// Conversion operators to class template specializations whose own
// template arguments hold a substitution with arguments (std::string is
// basic_string<char, char_traits<char>, allocator<char>>: "SaIcE") are
// named like every other C++ function.  LLVM 19's demangler reads a
// conversion operator's type with template arguments switched off, and
// kept them off inside that type's arguments: it read no such name
// (llvm-cxxfilt prints them mangled), and the record carried the debug
// info's bare "operator basic_string", without its class, or the
// linkage name.  The shim reads a name the demangler failed on a second
// time, template arguments switched back on inside template arguments
// (plugin.cpp, ArgsParser).  Template conversion operators read as
// llvm-cxxfilt and c++filt print them ("operator char*<char>"), here
// also one whose type has a defaulted allocator ("operator
// std::vector<long><long>", which both leave mangled).  Out of line and
// inlined; at -O0 and -O2, with -g, -gline-tables-only and no debug info.
// REQUIRES: x86_64-linux || aarch64-linux
// DEFINE: %{cxx} = %clangxx -std=c++17 %whence_cflags %s %whence_libs
// RUN: %{cxx} -O0 -gline-tables-only -o %t.lt0 && %run %t.lt0 | FileCheck %s --check-prefixes=CHECK,DBG
// RUN: %{cxx} -O2 -gline-tables-only -o %t.lt2 && %run %t.lt2 | FileCheck %s --check-prefixes=CHECK,DBG
// RUN: %{cxx} -O2 -g -o %t.g2 && %run %t.g2 | FileCheck %s --check-prefixes=CHECK,DBG
// RUN: %{cxx} -O2 -o %t.nd 2>/dev/null && %run %t.nd | FileCheck %s
#include <cstdio>
#include <map>
#include <string>
#include <vector>
#include <whence.h>

#define NI __attribute__((noinline))
/* the function it is in, and the one inlined it is in (if any) */
#define SHOW(tag)                                                                  \
    do {                                                                           \
        uintptr_t pcs[4];                                                          \
        whence_frames it;                                                          \
        whence_frame f;                                                            \
        whence_frames_init(&it, pcs, whence_callers(0, pcs, 4));                   \
        if (whence_frames_next(&it, &f))                                           \
            printf("%s fn=%s line=%d\n", tag, f.function, f.line);                 \
        if (f.inlined && whence_frames_next(&it, &f))                              \
            printf("%s in fn=%s\n", tag, f.function);                              \
    } while (0)

namespace ns {
struct Foo {
    int v;
    NI operator std::string() const { SHOW("str"); return std::to_string(v); }
    NI operator std::vector<int>() const { SHOW("vec"); return {v}; }
    NI operator std::map<std::string, std::vector<int>>() const { SHOW("map"); return {}; }
    template <class T> NI operator T *() const { SHOW("tptr"); return nullptr; }
    template <class T> NI operator std::vector<T>() const { SHOW("tvec"); return {}; }
    __attribute__((always_inline)) operator std::vector<std::string>() const {
        SHOW("inl");
        return {};
    }
};
template <class T> struct Box {
    T t;
    NI operator T() const { SHOW("box"); return t; }
    NI operator std::vector<T>() const { SHOW("boxvec"); return {t}; }
};
} // namespace ns

NI size_t use_inline(const ns::Foo &f) {
    std::vector<std::string> v = f;
    return v.size();
}

int main() {
    ns::Foo f{3};
    std::string s = f;
    std::vector<int> v = f;
    std::map<std::string, std::vector<int>> m = f;
    char *p = f;
    std::vector<long> vl = f;
    size_t n = use_inline(f);
    ns::Box<std::string> b{"x"};
    std::string bs = b;
    std::vector<std::string> bv = b;
    return (int)(s.size() + v.size() + m.size() + (p != nullptr) + vl.size() + n + bs.size() +
                 bv.size()) - 4;
}
// CHECK: str fn=ns::Foo::operator std::string line=
// DBG-SAME: [[#@LINE-37]]
// CHECK: vec fn=ns::Foo::operator std::vector<int> line=
// DBG-SAME: [[#@LINE-38]]
// CHECK: map fn=ns::Foo::operator std::map<std::string, std::vector<int>> line=
// CHECK: tptr fn=ns::Foo::operator char*<char> line=
// CHECK: tvec fn=ns::Foo::operator std::vector<long><long> line=
// DBG: inl fn=ns::Foo::operator std::vector<std::string> line=[[#@LINE-37]]
// DBG-NEXT: inl in fn=use_inline
// CHECK: box fn=ns::Box<std::string>::operator std::string line=
// DBG-SAME: [[#@LINE-34]]
// CHECK: boxvec fn=ns::Box<std::string>::operator std::vector<std::string> line=
