// C++ in a profile: pprof shows whence's demangled names (namespaces,
// classes, template arguments; no parameter lists, as Go's names), an
// inlined member function as an (inline) frame with its call's line, and a
// lambda called by std::sort through libstdc++'s templates, which are
// instrumented code too (compiled into this file).  Also after strip -s:
// the names come from whence's records, not from symbols.
// REQUIRES: (x86_64-linux || aarch64-linux), go
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clangxx -O2 -gline-tables-only %whence_cflags %s %whence_libs -o %t/cxx
// RUN: llvm-strip -s %t/cxx -o %t/cxx-s
// RUN: %run %t/cxx %t/p.pb.gz | FileCheck %s --check-prefix=OUT
// RUN: %pprof -top -symbolize=none %t/p.pb.gz | FileCheck %s --check-prefix=TOP
// pprof's default view kept the names too: it simplified a function whose
// system_name was its name, and read geo::Grid<unsigned long>::sum as
// geo::Grid::sum, merged with any other Grid<T>::sum (helper-113):
// RUN: %pprof -top %t/p.pb.gz | FileCheck %s --check-prefix=TOP
// RUN: %pprof -traces -lines -symbolize=none %t/p.pb.gz > %t/p.traces
// RUN: FileCheck %s --check-prefix=TRACE < %t/p.traces
// RUN: FileCheck %s --check-prefix=SORT < %t/p.traces
// RUN: %run %t/cxx-s %t/s.pb.gz | FileCheck %s --check-prefix=OUT
// RUN: %pprof -top -symbolize=none %t/s.pb.gz | FileCheck %s --check-prefix=TOP
// RUN: %pprof -traces -lines -symbolize=none %t/s.pb.gz > %t/s.traces
// RUN: FileCheck %s --check-prefix=TRACE < %t/s.traces
// RUN: FileCheck %s --check-prefix=SORT < %t/s.traces
//
// OUT: stop=0
// TOP: flat  flat%
// TOP-DAG: {{^ +[0-9.]*[1-9][0-9.]*m?s .* geo::Grid<unsigned long>::sum( \(inlined code\))?$}}
// TOP-DAG: {{^ +[0-9.]*[1-9][0-9.]*m?s .* geo::detail::mix$}}
#include <algorithm>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
#include <vector>
#include <whence.h>

#define NOINLINE __attribute__((noinline))

static volatile unsigned long sink;

namespace geo {
namespace detail {
NOINLINE unsigned long mix(unsigned long n) {
    unsigned long x = n;
    for (unsigned long i = 0; i < n; i++) x = (x ^ i) * 0x9e3779b97f4a7c15ul;
    return x;
}
} // namespace detail

template <typename T> struct Grid {
    std::vector<T> v;
    NOINLINE T sum(int reps) const {
        T s = 0;
        for (int r = 0; r < reps; r++)
            for (T x : v) s = s * 3 + x;
        return s;
    }
    // TRACE: {{^ +[0-9.]+m?s +}}geo::Grid<unsigned long>::sum {{/.*}}
    __attribute__((always_inline)) T total(int reps) const {
        return sum(reps) + detail::mix(reps * 20000ul);
    }
    // TRACE-NEXT: {{^ +}}geo::Grid<unsigned long>::total {{.*}}cxx.cpp:[[@LINE-2]] (inline){{$}}
};

struct Runner {
    NOINLINE void go(std::vector<unsigned> &v) {
        std::sort(v.begin(), v.end(), [](unsigned a, unsigned b) {
            for (int i = 0; i < 8; i++) sink = sink + (a ^ i);
            return a < b;
        });
        // SORT: {{^ +}}std::sort<{{.*}}geo::Runner::go{{.*}} {{.*}}stl_algo.h:{{[0-9]+}} (inline){{$}}
        // SORT-NEXT: {{^ +}}geo::Runner::go {{.*}}cxx.cpp:[[@LINE-5]]{{$}}
    }
};
} // namespace geo

NOINLINE static unsigned long run_grid(void) {
    geo::Grid<unsigned long> g{std::vector<unsigned long>(50000, 3)};
    return g.total(2000);
    // TRACE-NEXT: {{^ +}}run_grid {{.*}}cxx.cpp:[[@LINE-1]]{{$}}
}

int main(int argc, char **argv) {
    int fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int e = whence_profile_start(fd, 1000);
    if (e)
        printf("error: whence_profile_start: %d\n", e);
    sink += run_grid();
    // TRACE-NEXT: {{^ +}}main {{.*}}cxx.cpp:[[@LINE-1]]{{$}}
    std::vector<unsigned> v(1000000);
    for (unsigned i = 0; i < v.size(); i++)
        v[i] = i * 2654435761u;
    geo::Runner().go(v);
    // SORT-NEXT: {{^ +}}main {{.*}}cxx.cpp:[[@LINE-1]]{{$}}
    e = whence_profile_stop();
    printf("stop=%d\n", e);
    close(fd);
    return 0;
}
