/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * test_demangle.c - the runtime's demangler (runtime/cxx/demangle.c).
 * Hand vectors for every construct it implements, each with llvm-cxxfilt's
 * output (LLVM 19) and the function's name span; names it must leave
 * mangled (what it does not implement, and what llvm-cxxfilt rejects too);
 * the output cap; then hostile input: every truncation and many one-byte
 * changes of each vector, random bytes, deep nesting, substitution bombs
 * (24 nested std::vector<T> mangle in 284 bytes and print 570 MB), which
 * must end "not supported" or with a NUL-terminated answer, quickly, never
 * reading past the NUL (each input is malloc'ed to its exact size, for
 * ASan) or writing past the cap; and the stack it takes, measured on a
 * thread whose stack is painted.  The corpus check against llvm-cxxfilt on
 * every symbol of libstdc++ and libLLVM is lit/tools/demangle-corpus.c.
 * Rust's names last: legacy (rust_legacy.c) and v0 (rust_v0.c: vectors
 * with llvm-cxxfilt's output, rejections, hostile input; its corpus check
 * is demangle-corpus.c's too).
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include <cmocka.h>

#include "cxx/demangle.h"
#include "test_arch.h"

struct vec {
    const char *mangled, *full, *name;
};

/* llvm-cxxfilt's output for each, and the name a frame shows. */
static const struct vec vecs[] = {
    {"_Z1fv",
     "f()",
     "f"},
    {"_Z3fooi",
     "foo(int)",
     "foo"},
    {"_ZN1A1B1fEv",
     "A::B::f()",
     "A::B::f"},
    {"_ZNK1A1fEv",
     "A::f() const",
     "A::f"},
    {"_ZNVK1A1fEv",
     "A::f() const volatile",
     "A::f"},
    {"_ZNrVK1A1fEv",
     "A::f() const volatile restrict",
     "A::f"},
    {"_ZNR1A1fEv",
     "A::f() &",
     "A::f"},
    {"_ZNO1A1fEv",
     "A::f() &&",
     "A::f"},
    {"_ZNKR1A1fEv",
     "A::f() const &",
     "A::f"},
    {"_ZSt9terminatev",
     "std::terminate()",
     "std::terminate"},
    {"_ZNSt8ios_base4InitC1Ev",
     "std::ios_base::Init::Init()",
     "std::ios_base::Init::Init"},
    {"_ZNKSt6vectorIiSaIiEE4sizeEv",
     "std::vector<int, std::allocator<int>>::size() const",
     "std::vector<int, std::allocator<int>>::size"},
    {"_ZNSt6vectorIiSaIiEE2atEm",
     "std::vector<int, std::allocator<int>>::at(unsigned long)",
     "std::vector<int, std::allocator<int>>::at"},
    {"_ZNSt6vectorIiSaIiEEixEm",
     "std::vector<int, std::allocator<int>>::operator[](unsigned long)",
     "std::vector<int, std::allocator<int>>::operator[]"},
    {"_ZNSt6vectorIiSaIiEEC1Ev",
     "std::vector<int, std::allocator<int>>::vector()",
     "std::vector<int, std::allocator<int>>::vector"},
    {"_ZNSt6vectorIiSaIiEEC2ERKS1_",
     "std::vector<int, std::allocator<int>>::vector(std::vector<int, std::allocator<int>> const&)",
     "std::vector<int, std::allocator<int>>::vector"},
    {"_ZNSt6vectorIiSaIiEED2Ev",
     "std::vector<int, std::allocator<int>>::~vector()",
     "std::vector<int, std::allocator<int>>::~vector"},
    {"_ZN1AC3Ev",
     "A::A()",
     "A::A"},
    {"_ZN1AD0Ev",
     "A::~A()",
     "A::~A"},
    {"_ZN1AD1Ev",
     "A::~A()",
     "A::~A"},
    {"_ZNSsC1Ev",
     "std::basic_string<char, std::char_traits<char>, std::allocator<char>>::basic_string()",
     "std::basic_string<char, std::char_traits<char>, std::allocator<char>>::basic_string"},
    {"_ZNSs4sizeEv",
     "std::string::size()",
     "std::string::size"},
    {"_ZNSbIwSt11char_traitsIwESaIwEE4sizeEv",
     "std::basic_string<wchar_t, std::char_traits<wchar_t>, std::allocator<wchar_t>>::size()",
     "std::basic_string<wchar_t, std::char_traits<wchar_t>, std::allocator<wchar_t>>::size"},
    {"_ZNSiD0Ev",
     "std::basic_istream<char, std::char_traits<char>>::~basic_istream()",
     "std::basic_istream<char, std::char_traits<char>>::~basic_istream"},
    {"_ZNSoD1Ev",
     "std::basic_ostream<char, std::char_traits<char>>::~basic_ostream()",
     "std::basic_ostream<char, std::char_traits<char>>::~basic_ostream"},
    {"_ZNSdC2Ev",
     "std::basic_iostream<char, std::char_traits<char>>::basic_iostream()",
     "std::basic_iostream<char, std::char_traits<char>>::basic_iostream"},
    {"_ZNSaIcEC2Ev",
     "std::allocator<char>::allocator()",
     "std::allocator<char>::allocator"},
    {"_Z1fSaIcESs",
     "f(std::allocator<char>, std::string)",
     "f"},
    {"_Z1fRSoRSiRSd",
     "f(std::ostream&, std::istream&, std::iostream&)",
     "f"},
    {"_ZNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEE4swapERS4_",
     "std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char>>::swap(std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char>>&)",
     "std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char>>::swap"},
    {"_Z1fPiS_",
     "f(int*, int*)",
     "f"},
    {"_Z1fN1A1BES0_S_",
     "f(A::B, A::B, A)",
     "f"},
    {"_Z1fIiEvT_",
     "void f<int>(int)",
     "f<int>"},
    {"_Z1fIidEvT0_T_",
     "void f<int, double>(double, int)",
     "f<int, double>"},
    {"_ZN1AIiE1fIcEEvT_",
     "void A<int>::f<char>(char)",
     "A<int>::f<char>"},
    {"_Z1fIJidEEvDpT_",
     "void f<int, double>(int, double)",
     "f<int, double>"},
    {"_Z1fIJEEvDpRKT_",
     "void f<>()",
     "f<>"},
    {"_Z1fIJicEEvDpPKT_",
     "void f<int, char>(int const*, char const*)",
     "f<int, char>"},
    {"_Z1fIRiEvOT_",
     "void f<int&>(int&)",
     "f<int&>"},
    {"_Z1fIOiEvRT_",
     "void f<int&&>(int&)",
     "f<int&&>"},
    {"_Z1fILi5ELb1ELj5ELl5ELm5ELx5ELy5ELc65ELin5ELs3EEvv",
     "void f<5, true, 5u, 5l, 5ul, 5ll, 5ull, (char)65, -5, (short)3>()",
     "f<5, true, 5u, 5l, 5ul, 5ll, 5ull, (char)65, -5, (short)3>"},
    {"_Z1fILb0EL1E1ELi0ELDnEEvv",
     "void f<false, (E)1, 0, nullptr>()",
     "f<false, (E)1, 0, nullptr>"},
    {"_Z1fIL_Z1gvEEvv",
     "void f<g()>()",
     "f<g()>"},
    {"_Z1fwbcahstijlmxynofdegz",
     "f(wchar_t, bool, char, signed char, unsigned char, short, unsigned short, int, unsigned int, long, unsigned long, long long, unsigned long long, __int128, unsigned __int128, float, double, long double, __float128, ...)",
     "f"},
    {"_Z1fDiDsDuDnDaDcDhDF16_",
     "f(char32_t, char16_t, char8_t, std::nullptr_t, auto, decltype(auto), half, _Float16)",
     "f"},
    {"_Z1fPKcPVKiPrVKi",
     "f(char const*, int const volatile*, int const volatile restrict*)",
     "f"},
    {"_Z1fRKiOiRKPFvvE",
     "f(int const&, int&&, void (* const&)())",
     "f"},
    {"_Z1fPFvvEPFviEPFPFivEvE",
     "f(void (*)(), void (*)(int), int (* (*)())())",
     "f"},
    {"_Z1fKFvvEPKFvvERFvvEPFvvRE",
     "f(void () const, void (*)() const, void (&)(), void (*)() &)",
     "f"},
    {"_Z1fPDoFvvE",
     "f(void (*)() noexcept)",
     "f"},
    {"_Z1fA10_iPA10_iRA10_iA_i",
     "f(int [10], int (*) [10], int (&) [10], int [])",
     "f"},
    {"_Z1fPA2_A3_i",
     "f(int (*) [2][3])",
     "f"},
    {"_Z1fM1AiM1AFivEM1AKFivE",
     "f(int A::*, int (A::*)(), int (A::*)() const)",
     "f"},
    {"_Z1fM1APFivE",
     "f(int (* A::*)())",
     "f"},
    {"_Z1fDv4_f",
     "f(float vector[4])",
     "f"},
    {"_ZNKSt8functionIFviEEclEi",
     "std::function<void (int)>::operator()(int) const",
     "std::function<void (int)>::operator()"},
    {"_ZN1AplERKS_",
     "A::operator+(A const&)",
     "A::operator+"},
    {"_ZN1AaSEOS_",
     "A::operator=(A&&)",
     "A::operator="},
    {"_ZN1AptEv",
     "A::operator->()",
     "A::operator->"},
    {"_ZN1AcvbEv",
     "A::operator bool()",
     "A::operator bool"},
    {"_ZN1AcvPKcEv",
     "A::operator char const*()",
     "A::operator char const*"},
    /* LLVM's demangler rejects these (it reads a conversion operator's type
     * with template arguments off, also inside that type's own arguments);
     * the plugin names them so too */
    {"_ZNK2ns3FoocvNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEEEv",
     "ns::Foo::operator std::__cxx11::basic_string<char, std::char_traits<char>, "
     "std::allocator<char>>() const",
     "ns::Foo::operator std::__cxx11::basic_string<char, std::char_traits<char>, "
     "std::allocator<char>>"},
    {"_ZNK2ns3FoocvSt6vectorIiSaIiEEEv",
     "ns::Foo::operator std::vector<int, std::allocator<int>>() const",
     "ns::Foo::operator std::vector<int, std::allocator<int>>"},
    {"_ZNK2ns3BoxINSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEEEcvSt6vectorIS6_SaIS6_EEEv",
     "ns::Box<std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char>>>::"
     "operator std::vector<std::__cxx11::basic_string<char, std::char_traits<char>, "
     "std::allocator<char>>, std::allocator<std::__cxx11::basic_string<char, "
     "std::char_traits<char>, std::allocator<char>>>>() const",
     "ns::Box<std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char>>>::"
     "operator std::vector<std::__cxx11::basic_string<char, std::char_traits<char>, "
     "std::allocator<char>>, std::allocator<std::__cxx11::basic_string<char, "
     "std::char_traits<char>, std::allocator<char>>>>"},
    {"_ZN1AixEi",
     "A::operator[](int)",
     "A::operator[]"},
    {"_ZN1AclEv",
     "A::operator()()",
     "A::operator()"},
    {"_ZN1AssERKS_",
     "A::operator<=>(A const&)",
     "A::operator<=>"},
    {"_ZN1AeqERKS_",
     "A::operator==(A const&)",
     "A::operator=="},
    {"_ZN1AntEv",
     "A::operator!()",
     "A::operator!"},
    {"_ZN1AcoEv",
     "A::operator~()",
     "A::operator~"},
    {"_ZN1AdeEv",
     "A::operator*()",
     "A::operator*"},
    {"_ZN1AppEi",
     "A::operator++(int)",
     "A::operator++"},
    {"_ZN1AmmEv",
     "A::operator--()",
     "A::operator--"},
    {"_ZN1AlSEi",
     "A::operator<<=(int)",
     "A::operator<<="},
    {"_ZN1AawEv",
     "A::operator co_await()",
     "A::operator co_await"},
    {"_ZlsRSoRK1A",
     "operator<<(std::ostream&, A const&)",
     "operator<<"},
    {"_ZnwmPv",
     "operator new(unsigned long, void*)",
     "operator new"},
    {"_Znam",
     "operator new[](unsigned long)",
     "operator new[]"},
    {"_ZdlPv",
     "operator delete(void*)",
     "operator delete"},
    {"_ZdaPvm",
     "operator delete[](void*, unsigned long)",
     "operator delete[]"},
    {"_Zli2_xPKcm",
     "operator\"\" _x(char const*, unsigned long)",
     "operator\"\" _x"},
    {"_ZZ4mainE1x",
     "main::x",
     "main::x"},
    {"_ZZ4mainE1x_0",
     "main::x",
     "main::x"},
    {"_ZZ4mainE1x__12_",
     "main::x",
     "main::x"},
    {"_ZZ4mainEs",
     "main::string literal",
     "main::string literal"},
    {"_ZZ4mainEs_0",
     "main::string literal",
     "main::string literal"},
    {"_ZZ4mainEd_1x",
     "main::x",
     "main::x"},
    {"_ZZ1fvEN1B1gEv",
     "f()::B::g()",
     "f()::B::g"},
    {"_ZZN1A1fIiEEvT_ENKUlvE_clEv",
     "void A::f<int>(int)::'lambda'()::operator()() const",
     "void A::f<int>(int)::'lambda'()::operator()"},
    {"_ZZ4mainENKUlvE_clEv",
     "main::'lambda'()::operator()() const",
     "main::'lambda'()::operator()"},
    {"_ZZ4mainENKUlvE0_clEv",
     "main::'lambda0'()::operator()() const",
     "main::'lambda0'()::operator()"},
    {"_ZZ4mainENKUliE_clEi",
     "main::'lambda'(int)::operator()(int) const",
     "main::'lambda'(int)::operator()"},
    {"_ZZ4mainENKUlRKiE_clES0_",
     "main::'lambda'(int const&)::operator()(int const&) const",
     "main::'lambda'(int const&)::operator()"},
    {"_ZZ4mainENKUlT_E_clIiEEDaS_",
     "auto main::'lambda'(auto)::operator()<int>(auto) const",
     "main::'lambda'(auto)::operator()<int>"},
    {"_ZN1AUt_1fEv",
     "A::'unnamed'::f()",
     "A::'unnamed'::f"},
    {"_ZN1AUt0_1fEv",
     "A::'unnamed0'::f()",
     "A::'unnamed0'::f"},
    {"_Z1fN1AUt_E",
     "f(A::'unnamed')",
     "f"},
    {"_ZN12_GLOBAL__N_11fEv",
     "(anonymous namespace)::f()",
     "(anonymous namespace)::f"},
    {"_ZN1A12_GLOBAL__N_11BC2Ev",
     "A::(anonymous namespace)::B::B()",
     "A::(anonymous namespace)::B::B"},
    {"_ZL3fooi",
     "foo(int)",
     "foo"},
    {"_ZN1AL3fooEv",
     "A::foo()",
     "A::foo"},
    {"_Z1fB5cxx11v",
     "f[abi:cxx11]()",
     "f[abi:cxx11]"},
    {"_ZN1A1fB5cxx11Ev",
     "A::f[abi:cxx11]()",
     "A::f[abi:cxx11]"},
    {"_ZN1AB3abiC2Ev",
     "A[abi:abi]::A()",
     "A[abi:abi]::A"},
    {"_ZNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEE12_M_constructIPKcEEvT_S8_St20forward_iterator_tag",
     "void std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char>>::_M_construct<char const*>(char const*, char const*, std::forward_iterator_tag)",
     "std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char>>::_M_construct<char const*>"},
    {"_Z1fv.cold",
     "f() (.cold)",
     "f"},
    {"_Z1fv.isra.0",
     "f() (.isra.0)",
     "f"},
    {"_Z1fv.constprop.0",
     "f() (.constprop.0)",
     "f"},
    {"_Z1fv.constprop.0.isra.0",
     "f() (.constprop.0.isra.0)",
     "f"},
    {"_Z1fv.llvm.123",
     "f() (.llvm.123)",
     "f"},
    {"_ZN1A1fEv.part.0",
     "A::f() (.part.0)",
     "A::f"},
    {"_ZThn8_N1A1fEv",
     "non-virtual thunk to A::f()",
     "non-virtual thunk to A::f"},
    {"_ZTv0_n24_N1A1fEv",
     "virtual thunk to A::f()",
     "virtual thunk to A::f"},
    {"_ZTcv0_n24_h8_N1A1fEv",
     "covariant return thunk to A::f()",
     "covariant return thunk to A::f"},
    {"_ZThn16_NK1A1fIiEEiT_",
     "non-virtual thunk to int A::f<int>(int) const",
     "non-virtual thunk to int A::f<int>"},
    {"_ZTV1A",
     "vtable for A",
     "vtable for A"},
    {"_ZTI1A",
     "typeinfo for A",
     "typeinfo for A"},
    {"_ZTS1A",
     "typeinfo name for A",
     "typeinfo name for A"},
    {"_ZTT1A",
     "VTT for A",
     "VTT for A"},
    {"_ZTH1x",
     "thread-local initialization routine for x",
     "thread-local initialization routine for x"},
    {"_ZTW1x",
     "thread-local wrapper routine for x",
     "thread-local wrapper routine for x"},
    {"_ZGVZ4mainE1x",
     "guard variable for main::x",
     "guard variable for main::x"},
    {"_ZGR1x_",
     "reference temporary for x",
     "reference temporary for x"},
    {"_ZTC1A0_1B",
     "construction vtable for B-in-A",
     "construction vtable for B-in-A"},
    {"_ZN1A1xE",
     "A::x",
     "A::x"},
    {"_ZSt4moveIRiEONSt16remove_referenceIT_E4typeEOS2_",
     "std::remove_reference<int&>::type&& std::move<int&>(int&)",
     "std::move<int&>"},
    {"_Z1fIiEPFvvEv",
     "void (*f<int>())()",
     "f<int>"},
    {"_Z1fIiEPA4_iv",
     "int (*f<int>()) [4]",
     "f<int>"},
    {"_ZlsIiEvv",
     "void operator<<<int>()",
     "operator<<<int>"},
    {"_ZN9__gnu_cxx13new_allocatorIcE8allocateEmPKv",
     "__gnu_cxx::new_allocator<char>::allocate(unsigned long, void const*)",
     "__gnu_cxx::new_allocator<char>::allocate"},
    {"_Z1fSt6vectorIS_IiSaIiEESaIS1_EE",
     "f(std::vector<std::vector<int, std::allocator<int>>, std::allocator<std::vector<int, std::allocator<int>>>>)",
     "f"},
    {"_ZNSt6vectorIS_IiSaIiEESaIS1_EE2atEm",
     "std::vector<std::vector<int, std::allocator<int>>, std::allocator<std::vector<int, std::allocator<int>>>>::at(unsigned long)",
     "std::vector<std::vector<int, std::allocator<int>>, std::allocator<std::vector<int, std::allocator<int>>>>::at"},
    /* std::sort's loop with a lambda of a function template: the lambda's
     * template parameter was read under sort_by's arguments */
    {"_ZSt16__introsort_loopIN9__gnu_cxx17__normal_iteratorIPiSt6vectorIiSaIiEEEElNS0_5__ops15_Iter_comp_iterIZ7sort_byIiEvRS3_IT_SaISA_EEEUlRKiSF_E_EEEvSA_SA_T0_T1_",
     "void std::__introsort_loop<__gnu_cxx::__normal_iterator<int*, std::vector<int, std::allocator<int>>>, long, __gnu_cxx::__ops::_Iter_comp_iter<void sort_by<int>(std::vector<int, std::allocator<int>>&)::'lambda'(int const&, int const&)>>(int, int, long, __gnu_cxx::__ops::_Iter_comp_iter<void sort_by<int>(std::vector<int, std::allocator<int>>&)::'lambda'(int const&, int const&)>)",
     "std::__introsort_loop<__gnu_cxx::__normal_iterator<int*, std::vector<int, std::allocator<int>>>, long, __gnu_cxx::__ops::_Iter_comp_iter<void sort_by<int>(std::vector<int, std::allocator<int>>&)::'lambda'(int const&, int const&)>>"},
    /* a non-type parameter's use, a parameter declaration, a literal expression */
    {"_Z1fILi3EEv1AIXT_EE",
     "void f<3>(A<3>)",
     "f<3>"},
    {"_Z1gITnDaLi5EEv1BIXT_EE",
     "void g<5>(B<5>)",
     "g<5>"},
    {"_Z1fIXLi1EEEvv",
     "void f<1>()",
     "f<1>"},
    {"_Z1fITyiEvT_",
     "void f<int>(int)",
     "f<int>"},
};

#define NVECS (sizeof vecs / sizeof vecs[0])

/* An exact-size copy: a read past the NUL is a heap overflow under ASan. */
static size_t dm(const char *m, char *out, size_t cap, size_t *off, size_t *len) {
    size_t n = strlen(m);
    char *c = malloc(n + 1);
    assert_non_null(c);
    memcpy(c, m, n + 1);
    size_t r = wh_demangle(c, out, cap, off, len);
    free(c);
    return r;
}

/* Time limits stretch under qemu-user (the AArch64 tests). */
static double slow(void) { return getenv("WHENCE_TEST_EMULATED") ? 20.0 : 1.0; }

/* The thread's CPU time: the limits catch work that blows up (seconds for
 * one name), and a call preempted on a busy machine must not count (a
 * wall-clock maximum over 200,000 calls once read 292 ms under ASan). */
static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Either "not supported" (0, out "") or a NUL-terminated answer that fits. */
static void sane(const char *m, size_t cap) {
    char out[2048];
    memset(out, 0x5a, sizeof out);
    size_t off = 0, len = 0;
    size_t n = dm(m, out, cap, &off, &len);
    if (n) {
        assert_true(n < cap);
        assert_int_equal(strlen(out), n);
        assert_true(off + len <= n);
    } else {
        assert_int_equal(out[0], 0);
    }
    for (size_t i = cap; i < sizeof out; i++)
        assert_int_equal((unsigned char)out[i], 0x5a);
}

static void vectors(void **state) {
    (void)state;
    for (size_t i = 0; i < NVECS; i++) {
        char out[WH_DEMANGLE_CAP];
        size_t off = 99, len = 99;
        size_t n = dm(vecs[i].mangled, out, sizeof out, &off, &len);
        if (n != strlen(vecs[i].full) || strcmp(out, vecs[i].full))
            fail_msg("%s: got \"%s\", want \"%s\"", vecs[i].mangled, n ? out : "(unsupported)",
                     vecs[i].full);
        if (len != strlen(vecs[i].name) || memcmp(out + off, vecs[i].name, len))
            fail_msg("%s: name \"%.*s\", want \"%s\"", vecs[i].mangled, (int)len, out + off,
                     vecs[i].name);
    }
}

/* What it does not implement (llvm-cxxfilt prints the value after "="),
 * and names llvm-cxxfilt rejects as well. */
static void unsupported(void **state) {
    (void)state;
    static const char *const names[] = {
        "_Z1fIXadL_Z1gvEEEvv",  /* = void f<&g()>(): an expression */
        "_Z1fIiEDTcl1fIT_EEEv", /* decltype(f<int>()) f<int>() */
        "_Z1fILf3f800000EEvv",  /* void f<0x1p+0f>(): a float literal */
        "_ZN1AcvT_IiEEv",       /* A::operator int<int>(): a forward reference */
        /* a generic lambda's auto in a conversion operator's type (found
         * by fuzz_demangle; LLVM reads T_ there as a forward reference) */
        "_ZcvZ4mainEUlT_E_v", "_ZcvZ4mainENKUlT_E_clIiEEDaS_",
        "_Z1fU3fooi",           /* f(int foo): a vendor qualifier */
        "_ZN1ACI11BEi",         /* A::A(int): an inheriting constructor */
        "_ZN1AUlTyvE_clEv",     /* a lambda's explicit template parameter */
        "_Z1fDB8_",             /* f(_BitInt(8)) */
        "_Z1fIJiEEvT_",         /* a pack outside a pack expansion */
        /* a literal used as a type (found by fuzz_demangle: LLVM prints the
         * encoding with a declarator of its own) */
        "_Z1fIJnnnnnnnnnnnnnnnnnnnnLZ4qnnnnnnnnnnnnnn4nnnFvvEPKicEEvDpPKT_",
        /* a nested name that is only a substitution: LLVM prints the
         * function type it stands for as such, "void (*)() const" */
        "_Z1fKFvvEPNS_E1d",
        "_Z1fW3foov",           /* a module */
        "_ZN1AUb_E",            /* 'block-literal' */
        /* llvm-cxxfilt rejects these too */
        "_ZZ4mainE1x_12", "_Z1fPFvvDoE", "_Z1fvi", "_Z1f_", "_Z0fv", "_Z1", "_Z", "_ZN1AD3Ev",
        "_ZN1AC6Ev", "_ZSt", "_Z1fS_", "_Z1fS0_", "_Z1fT_", "_ZN1AIiEIiEE", "_ZTA", "_ZGI",
        "_ZN1AdtEv", "_ZN1AscEv",
        /* not Itanium names */
        "", "_", "main", "_R3foo", "?f@@YAXXZ", "__Z1fv"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char out[64];
        out[0] = 'x';
        size_t n = dm(names[i], out, sizeof out, NULL, NULL);
        if (n)
            fail_msg("%s: \"%s\", want not supported", names[i], out);
        if (names[i][0] == '_' && names[i][1] == 'Z')
            assert_int_equal(out[0], 0);
    }
    assert_int_equal(wh_demangle(NULL, (char[8]){0}, 8, NULL, NULL), 0);
}

/* A name that does not fit is not supported; nothing is written past the
 * cap; the span pointers may be NULL. */
static void output_cap(void **state) {
    (void)state;
    const char *m = "_ZNSt6vectorIiSaIiEE2atEm";
    const char *full = "std::vector<int, std::allocator<int>>::at(unsigned long)";
    size_t l = strlen(full);
    char out[128];
    for (size_t cap = 0; cap <= l + 8; cap++) {
        memset(out, 0x5a, sizeof out);
        size_t n = wh_demangle(m, out, cap, NULL, NULL);
        if (cap > l) {
            assert_int_equal(n, l);
            assert_string_equal(out, full);
        } else {
            assert_int_equal(n, 0);
            if (cap)
                assert_int_equal(out[0], 0);
        }
        for (size_t i = cap; i < sizeof out; i++)
            assert_int_equal((unsigned char)out[i], 0x5a);
    }
    /* a clone suffix counts too */
    assert_int_equal(wh_demangle("_Z1fv.cold", out, 11, NULL, NULL), 0);
    assert_int_equal(wh_demangle("_Z1fv.cold", out, 12, NULL, NULL), 11);
}

static void truncations(void **state) {
    (void)state;
    for (size_t i = 0; i < NVECS; i++) {
        size_t n = strlen(vecs[i].mangled);
        char *t = malloc(n + 1);
        for (size_t k = 0; k <= n; k++) {
            memcpy(t, vecs[i].mangled, k);
            t[k] = 0;
            sane(t, 2048);
            sane(t, 16);
        }
        free(t);
    }
}

/* One byte changed, at every position, to characters that mean something
 * to the grammar and to a few that do not. */
static void one_byte_changes(void **state) {
    (void)state;
    static const char alphabet[] = "_0123456789SETIJLNZKVrROPFAMDpvBUClt\x01\x80\xff";
    for (size_t i = 0; i < NVECS; i++) {
        size_t n = strlen(vecs[i].mangled);
        char *t = malloc(n + 1);
        for (size_t k = 2; k < n; k++)
            for (size_t a = 0; a < sizeof alphabet - 1; a++) {
                memcpy(t, vecs[i].mangled, n + 1);
                t[k] = alphabet[a];
                sane(t, 2048);
            }
        free(t);
    }
}

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint64_t next(void) {
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* Random names from the grammar's characters (and any byte), each answered
 * within a few milliseconds. */
static void random_names(void **state) {
    (void)state;
    static const char alphabet[] = "_0123456789SETIJLNZKVrROPFAMDpvBUCltisdcmSt_1A1B";
    char t[96];
    double worst = 0;
    for (int r = 0; r < 200000; r++) {
        size_t n = 2 + next() % 80;
        t[0] = '_';
        t[1] = 'Z';
        for (size_t k = 2; k < n; k++) {
            uint64_t x = next();
            t[k] = (x & 15) ? alphabet[(x >> 4) % (sizeof alphabet - 1)] : (char)(1 + (x >> 8) % 255);
        }
        t[n] = 0;
        double t0 = now();
        sane(t, 2048);
        double dt = now() - t0;
        if (dt > worst)
            worst = dt;
    }
    print_message("random names: slowest %.3f ms\n", worst * 1e3);
    assert_true(worst < 0.25 * slow()); /* (a preempted call on a busy machine) */
}

static char *repeat(const char *head, const char *unit, size_t n, const char *mid, const char *unit2,
                    size_t n2) {
    size_t lh = strlen(head), lu = strlen(unit), lm = strlen(mid), lu2 = strlen(unit2);
    char *s = malloc(lh + lu * n + lm + lu2 * n2 + 1), *p = s;
    memcpy(p, head, lh);
    p += lh;
    for (size_t i = 0; i < n; i++, p += lu)
        memcpy(p, unit, lu);
    memcpy(p, mid, lm);
    p += lm;
    for (size_t i = 0; i < n2; i++, p += lu2)
        memcpy(p, unit2, lu2);
    *p = 0;
    return s;
}

/* Nesting beyond the stack budget fails cleanly; a name too long for the
 * output or for 16-bit offsets is not supported. */
static void deep_nesting(void **state) {
    (void)state;
    char *s[] = {
        repeat("_Z1f", "P", 100000, "i", "", 0),
        repeat("_Z1f", "N1AI", 3000, "i", "EE", 3000),
        repeat("_Z1f", "PF", 5000, "v", "E", 5000),
        repeat("_Z1f", "A1_", 5000, "i", "", 0),
        repeat("_Z", "Z", 5000, "1fv", "E1x", 5000),
        repeat("_Z1fIi", "IJ", 5000, "", "E", 5000),
        repeat("_Z1f", "i", 70000, "", "", 0),
    };
    for (size_t i = 0; i < sizeof s / sizeof s[0]; i++) {
        double t0 = now();
        sane(s[i], 2048);
        assert_int_equal(dm(s[i], (char[2048]){0}, 2048, NULL, NULL), 0);
        assert_true(now() - t0 < 0.5 * slow());
        free(s[i]);
    }
    /* a modest depth is fine */
    char *ok = repeat("_Z1f", "P", 8, "i", "", 0);
    char out[256];
    assert_int_equal(dm(ok, out, sizeof out, NULL, NULL), 14);
    free(ok);
}

/* Substitutions that double what they print at each level. */
static void substitution_bombs(void **state) {
    (void)state;
    /* void bomb(std::vector<...24 levels...<int>>&): 570 MB from llvm-cxxfilt */
    const char *vec24 = "_Z4bombRSt6vectorIS_IS_IS_IS_IS_IS_IS_IS_IS_IS_IS_IS_IS_IS_IS_IS_IS_IS_IS_IS_IS_IS_IS_IiSaIiEESaIS1_EESaIS3_EESaIS5_EESaIS7_EESaIS9_EESaISB_EESaISD_EESaISF_EESaISH_EESaISJ_EESaISL_EESaISN_EESaISP_EESaISR_EESaIST_EESaISV_EESaISX_EESaISZ_EESaIS11_EESaIS13_EESaIS15_EESaIS17_EESaIS19_EE";
    char out[WH_DEMANGLE_CAP];
    double t0 = now();
    assert_int_equal(dm(vec24, out, sizeof out, NULL, NULL), 0);
    /* std::pair<S1_, S1_>, each parameter twice the last */
    char bomb[4096] = "_Z1fSt4pairIiiE";
    for (int i = 0; i < 40; i++) {
        char unit[32];
        snprintf(unit, sizeof unit, i ? "S_IS%d_S%d_E" : "S_IS0_S0_E", i, i);
        strcat(bomb, unit);
    }
    assert_int_equal(dm(bomb, out, sizeof out, NULL, NULL), 0);
    static char big[1 << 20];
    assert_int_equal(dm(bomb, big, sizeof big, NULL, NULL), 0);
    assert_int_equal(dm(vec24, big, sizeof big, NULL, NULL), 0);
    assert_true(now() - t0 < 0.5 * slow());
    /* the first levels print */
    strcpy(bomb, "_Z1fSt4pairIiiES_IS0_S0_E");
    assert_int_equal(dm(bomb, out, sizeof out, NULL, NULL),
                     strlen("f(std::pair<int, int>, std::pair<std::pair<int, int>, std::pair<int, int>>)"));
}

/* Nested-name prefixes each starting with the one before: read again,
 * they nest without a type between them. */
static const char prefix_chain[] = "_Z1fN1a1bENS_1c1dENS1_1e1fENS3_1g1hENS5_1i1jENS7_1k1lENS9_1m1nENSB_1o1pENSD_1q1rENSF_1s1tENSH_1u1vENSJ_1w1xENSL_1y1zENSN_1A1BENSP_1C1DENSR_1E1FENST_1G1HENSV_1I1JENSX_1K1LENSZ_1M1NENS11_1O1PENS13_1Q1RENS15_1S1TENS17_1U1VENS19_1W1XENS1B_1Y1ZENS1D_1c1dE";

/* ---- stack ---- */

#define STACK_SIZE (256u << 10)
static char *inputs[NVECS + 16];
static size_t ninputs;
static uintptr_t stack_base;

static void *stack_thread(void *arg) {
    (void)arg;
    stack_base = (uintptr_t)__builtin_frame_address(0);
    static char out[WH_DEMANGLE_CAP];
    for (size_t i = 0; i < ninputs; i++)
        if (inputs[i][1] == 'R')
            wh_rust_v0(inputs[i], out, sizeof out, NULL, NULL);
        else
            wh_demangle(inputs[i], out, sizeof out, NULL, NULL);
    return NULL;
}

/* The deepest byte any vector or bomb touched below the caller's frame. */
static void stack_use(void **state) {
    (void)state;
    for (size_t i = 0; i < NVECS; i++)
        inputs[ninputs++] = (char *)vecs[i].mangled;
    inputs[ninputs++] = repeat("_Z1f", "P", 100000, "i", "", 0);
    inputs[ninputs++] = repeat("_Z1f", "N1AI", 3000, "i", "EE", 3000);
    inputs[ninputs++] = repeat("_Z1f", "PF", 5000, "v", "E", 5000);
    inputs[ninputs++] = repeat("_Z", "Z", 5000, "1fv", "E1x", 5000);
    inputs[ninputs++] = repeat("_Z1fIi", "IJ", 5000, "", "E", 5000);
    inputs[ninputs++] = repeat("_Z1f", "RKSt6vectorI", 400, "i", "E", 400);
    inputs[ninputs++] = (char *)prefix_chain;
    inputs[ninputs++] = repeat("_RINvCs1_1a1f", "R", 100000, "h", "E", 1);
    inputs[ninputs++] = repeat("_RINvCs1_1a1f", "INtCs1_1a1S", 3000, "h", "EE", 3000);
    inputs[ninputs++] = repeat("_RINvCs1_1a1f", "FG_", 3000, "u", "Eu", 3000);
    inputs[ninputs++] = repeat("_R", "Nv", 5000, "Cs1_1a", "1f", 5000);
    char *stack = mmap(NULL, STACK_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    assert_true(stack != MAP_FAILED);
    memset(stack, 0xa5, STACK_SIZE);
    pthread_attr_t a;
    pthread_attr_init(&a);
    pthread_attr_setstack(&a, stack, STACK_SIZE);
    pthread_t t;
    assert_int_equal(pthread_create(&t, &a, stack_thread, NULL), 0);
    pthread_join(t, NULL);
    size_t low = 0;
    while (low < STACK_SIZE && (unsigned char)stack[low] == 0xa5)
        low++;
    size_t used = stack_base - ((uintptr_t)stack + low);
    print_message("stack: %zu bytes below the caller's frame\n", used);
#ifndef T_SANITIZED
    assert_true(used < 3584);
#endif
    munmap(stack, STACK_SIZE);
}

/* Rust's legacy names: what the Itanium demangler gives, rewritten as
 * rustc-demangle prints them without the hash (wh_rust_legacy); names that
 * are not Rust's stay as they are. */
static void rust_legacy(void **state) {
    (void)state;
    static const struct {
        const char *mangled, *want;
    } v[] = {
        {"_ZN4main8cb_fault28_$u7b$$u7b$closure$u7d$$u7d$17h0123456789abcdefE",
         "main::cb_fault::{{closure}}"},
        {"_ZN4core3ptr85drop_in_place$LT$std..rt..lang_start$LT$$LP$$RP$$GT$..$u7b$$u7b$closure"
         "$u7d$$u7d$$GT$17h0123456789abcdefE",
         "core::ptr::drop_in_place<std::rt::lang_start<()>::{{closure}}>"},
        {"_ZN59_$LT$main..Wrapper$LT$T$GT$$u20$as$u20$core..fmt..Debug$GT$3fmt17h0123456789abcdefE",
         "<main::Wrapper<T> as core::fmt::Debug>::fmt"},
        {"_ZN3std2rt10lang_start17h0123456789abcdefE", "std::rt::lang_start"},
        /* not Rust's: an unknown escape, no hash, a short hash, C++ */
        {"_ZN3foo8$XX$abcd17h0123456789abcdefE", NULL},
        {"_ZN3foo3barE", NULL},
        {"_ZN3foo15h0123456789abcdE", NULL},
        {"_ZN3foo3barEv", NULL},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        char out[WH_DEMANGLE_CAP], before[WH_DEMANGLE_CAP];
        size_t off, len;
        assert_true(wh_demangle(v[i].mangled, out, sizeof out, &off, &len) > 0);
        memcpy(before, out, sizeof out);
        size_t r = wh_rust_legacy(out + off, len);
        if (!v[i].want) {
            assert_int_equal(r, 0);
            assert_memory_equal(out, before, sizeof out); /* untouched */
            continue;
        }
        assert_int_equal(r, strlen(v[i].want));
        assert_string_equal(out + off, v[i].want);
    }
}

/* Rust's v0 names: llvm-cxxfilt's output (LLVM 19) for each, the name
 * span without a suffix; what LLVM rejects or this reader does not
 * implement (punycode) stays mangled; hostile input ends quickly and never
 * writes past the cap. */
static void rust_v0(void **state) {
    (void)state;
    static const struct {
        const char *mangled, *want;
        size_t name_len;
    } v[] = {
        {"_RNvNtCsjrHSEGnQ3l9_3std2rt19lang_start_internal", "std::rt::lang_start_internal", 28},
        {"_RNvNtCsjrHSEGnQ3l9_3std2rt19lang_start_internal.cold",
         "std::rt::lang_start_internal (.cold)", 28},
        {"_RNCNCNCNvNtCsjrHSEGnQ3l9_3std2rt19lang_start_internal00s_0B9_",
         "std::rt::lang_start_internal::{closure#0}::{closure#0}::{closure#1}", 67},
        {"_RNCINvMs0_NtNtCsjrHSEGnQ3l9_3std4sync4onceNtB8_4Once9call_onceNCNvNtBc_2rt7cleanup0E0Bc_",
         "<std::sync::once::Once>::call_once::<std::rt::cleanup::{closure#0}>::{closure#0}", 80},
        {"_RNvMs3_NtCslNYArtu3iFV_5alloc7raw_vecINtB5_6RawVecTNtNtCsduwmD7cSIQq_5gimli6common15"
         "DebugInfoOffsetNtBP_18DebugArangesOffsetEE8grow_oneCsjrHSEGnQ3l9_3std",
         "<alloc::raw_vec::RawVec<(gimli::common::DebugInfoOffset, "
         "gimli::common::DebugArangesOffset)>>::grow_one",
         103},
        {"_RINvNtCs1234_4core3ptr13drop_in_placeRShEB4_", "core::ptr::drop_in_place::<&[u8]>", 33},
        {"_RNvXs_NtCs1_4main1aINtB4_1WlENtNtCs2_4core3fmt5Debug3fmt",
         "<main::a::W<i32> as core::fmt::Debug>::fmt", 42},
        {"_RNvYpNtCs1_1a1T1f", "<_ as a::T>::f", 14},
        {"_RNvMCs1_1aINtB2_1SOPeE1f", "<a::S<*mut *const str>>::f", 26},
        {"_RNvNSNvCs1_1a1f7vtable_3foo", "a::f::{shim:vtable_#0}::foo", 27},
        {"_RINvCs1_1a1fKj2a_Kane_Kb1_Kc41_Kc27_Kc7f_Kcffff_Kca_KpE",
         "a::f::<42, -14, true, 'A', '\\'', '\\u{7f}', '\\u{ffff}', '\\n', _>", 0},
        {"_RINvCs1_1a1fKo123456789abcdef0123_E", "a::f::<0x123456789abcdef0123>", 0},
        {"_RINvCs1_1a1fFG0_UKCRL0_hRL1_hEuFK9rust_callEaE",
         "a::f::<for<'a, 'b> unsafe extern \"C\" fn(&'b u8, &'a u8), extern \"rust-call\" fn() -> i8>", 0},
        {"_RINvCs1_1a1fDG_INtCs2_1b1TRL0_hEp1XlEL_E", "a::f::<dyn for<'a> b::T<&'a u8, X = i32>>", 0},
        {"_RINvCs1_1a1fTlETlmEL_QL_eAhj2a_E", "a::f::<(i32,), (i32, u32), '_, &mut str, [u8; 42]>", 0},
        /* rejected by LLVM too: a forward back reference, a stray byte, a
         * number with a leading zero, an unbound lifetime, a non-hex digit */
        {"_RNvCs1_1aB9_", NULL, 0},
        {"_RNvCs1_1a1fX", NULL, 0},
        {"_RNvCs1_1a01f", NULL, 0},
        {"_RINvCs1_1a1fRL0_hE", NULL, 0},
        {"_RINvCs1_1a1fKjA_E", NULL, 0},
        /* not implemented: punycode */
        {"_RNvCs1_1au3fooa", NULL, 0},
        /* not Rust's */
        {"_Z1fv", NULL, 0},
        {"_R", NULL, 0},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        char out[WH_DEMANGLE_CAP];
        size_t off = 99, len = 99;
        size_t n = wh_rust_v0(v[i].mangled, out, sizeof out, &off, &len);
        if (!v[i].want) {
            assert_int_equal(n, 0);
            assert_int_equal(out[0], 0);
            continue;
        }
        assert_string_equal(out, v[i].want);
        assert_int_equal(n, strlen(v[i].want));
        assert_int_equal(off, 0);
        assert_int_equal(len, v[i].name_len ? v[i].name_len : n);
        /* one byte short of room: not supported, nothing half-written */
        char *small = malloc(n);
        assert_int_equal(wh_rust_v0(v[i].mangled, small, n, NULL, NULL), 0);
        assert_int_equal(small[0], 0);
        free(small);
        /* every truncation and one-byte change: an answer or none, quickly */
        size_t m = strlen(v[i].mangled);
        for (size_t k = 2; k <= m; k++) {
            char *t = malloc(k + 1);
            memcpy(t, v[i].mangled, k);
            t[k] = 0;
            size_t r = wh_rust_v0(t, out, sizeof out, NULL, NULL);
            assert_true(r < sizeof out && strlen(out) == r);
            for (const char *c = "_0aBEINRpu."; *c; c++) {
                if (k == m)
                    break;
                char keep = t[k - 1];
                t[k - 1] = *c;
                r = wh_rust_v0(t, out, sizeof out, NULL, NULL);
                assert_true(r < sizeof out && strlen(out) == r);
                t[k - 1] = keep;
            }
            free(t);
        }
    }
    /* back references that double what they print at each level */
    char bomb[4096] = "_RINvCs1_1a1fh";
    size_t at = strlen("_RINvCs1_1a1f") - 2; /* the "h", after "_R" */
    for (int i = 0; i < 40; i++) {
        char unit[64], b62[16];
        size_t x = at - 1, k = 0; /* base 62, one less */
        char d[16];
        if (at == 0)
            b62[0] = 0;
        else {
            do
                d[k++] = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"[x % 62];
            while (x /= 62);
            for (size_t j = 0; j < k; j++)
                b62[j] = d[k - 1 - j];
            b62[k] = 0;
        }
        at = strlen(bomb) - 2;
        snprintf(unit, sizeof unit, "TB%s_B%s_E", b62, b62);
        strcat(bomb, unit);
    }
    strcat(bomb, "E");
    char out[WH_DEMANGLE_CAP];
    static char big[1 << 20];
    double t0 = now();
    assert_int_equal(wh_rust_v0(bomb, out, sizeof out, NULL, NULL), 0);
    assert_int_equal(wh_rust_v0(bomb, big, sizeof big, NULL, NULL), 0);
    assert_true(now() - t0 < 0.5 * slow());
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(vectors),        cmocka_unit_test(unsupported),
        cmocka_unit_test(output_cap),     cmocka_unit_test(truncations),
        cmocka_unit_test(one_byte_changes), cmocka_unit_test(random_names),
        cmocka_unit_test(deep_nesting),   cmocka_unit_test(substitution_bombs),
        cmocka_unit_test(stack_use),      cmocka_unit_test(rust_legacy),
        cmocka_unit_test(rust_v0),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
