// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// crash.cpp - one C++ program, built once per stack-trace tool, for
// docs/COMPARISON.md (run by scripts/compare.sh).  The tool is chosen at
// compile time:
//   -DUSE_WHENCE    whence (plugin + libwhence; whence.hpp)
//   -DUSE_BACKWARD  backward-cpp (backward.hpp, libdw for files and lines)
//   -DUSE_BOOST     Boost.Stacktrace (libbacktrace backend for files and lines)
// and the scenario at run time:
//   segv      a null pointer written 3 frames below main (in a lambda of a
//             function template called by a member function)
//   abort     abort() there
//   overflow  unbounded recursion
//   uncaught  an exception thrown there, never caught
//   caught    the same exception caught in main: where was it thrown?
//   bench     ns per capture of a 32-frame stack, and per printing it
//             (names, files, lines); cold = the first print in the process
// Every tool is used the way its documentation shows: a crash handler for
// the signals (backward::SignalHandling; for Boost a handler that prints
// boost::stacktrace::stacktrace(), with an alternate stack as the others
// have), a terminate handler for Boost, and in the catch block whatever
// each tool offers for an exception.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#if defined(USE_WHENCE)
#include <whence.hpp>
#elif defined(USE_BACKWARD)
#define BACKWARD_HAS_DW 1
#include <backward.hpp>
#elif defined(USE_BOOST)
#define BOOST_STACKTRACE_LINK
#include <boost/stacktrace.hpp>
#include <csignal>
#include <exception>
#include <unistd.h>
#else
#error "define USE_WHENCE, USE_BACKWARD or USE_BOOST"
#endif

#define NOINLINE __attribute__((noinline))

static int *volatile nullp;
static volatile int sink;

// ---- the tool -------------------------------------------------------------
#if defined(USE_WHENCE)
static const char *tool = "whence";
static void install() { whence_install_crash_handler(); }
static void print_origin() {
    std::cout << "caught exception thrown at:\n" << whence::exception_stacktrace();
}
struct Trace {
    whence::stacktrace st;
    NOINLINE void capture() { st = whence::stacktrace::current(); }
    std::string print() const { return st.to_string(); }
};
#elif defined(USE_BACKWARD)
static const char *tool = "backward-cpp";
static backward::SignalHandling *handling;
static void install() { handling = new backward::SignalHandling(); }
static void print_origin() {
    // backward-cpp has no throw-site trace: the handler's own stack.
    backward::StackTrace st;
    st.load_here(64);
    backward::Printer p;
    p.snippet = false;
    std::cout << "caught exception; stack in the handler:\n";
    p.print(st, std::cout);
}
struct Trace {
    backward::StackTrace st;
    NOINLINE void capture() { st.load_here(64); }
    std::string print() const {
        std::ostringstream os;
        backward::Printer p;
        p.snippet = false;
        p.print(st, os);
        return os.str();
    }
};
#elif defined(USE_BOOST)
static const char *tool = "Boost.Stacktrace";
static void on_signal(int sig) {
    ::signal(sig, SIG_DFL);
    std::cerr << "signal " << sig << ", stack:\n" << boost::stacktrace::stacktrace() << std::flush;
    ::raise(sig);
}
static void on_terminate() {
    std::cerr << "std::terminate, stack:\n" << boost::stacktrace::stacktrace() << std::flush;
    std::abort();
}
static void install() {
    static char altstack[1 << 16];
    stack_t ss = {};
    ss.ss_sp = altstack;
    ss.ss_size = sizeof altstack;
    sigaltstack(&ss, nullptr);
    struct sigaction sa = {};
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_ONSTACK;
    sigaction(SIGSEGV, &sa, nullptr);
    sigaction(SIGABRT, &sa, nullptr);
    std::set_terminate(on_terminate);
}
static void print_origin() {
    // Boost 1.74 has no throw-site trace: the handler's own stack.
    std::cout << "caught exception; stack in the handler:\n" << boost::stacktrace::stacktrace();
}
struct Trace {
    boost::stacktrace::stacktrace st{0, 0};
    NOINLINE void capture() { st = boost::stacktrace::stacktrace(); }
    std::string print() const { return boost::stacktrace::to_string(st); }
};
#endif

// ---- the scenarios -------------------------------------------------------------
// main -> app::Server::handle -> app::detail::validate<int> -> its lambda,
// where the fault, abort or throw happens: 3 frames below main.
namespace app {
namespace detail {
template <class T> NOINLINE void validate(const char *what, T limit) {
    auto fail = [what](T v) NOINLINE {
        if (!strcmp(what, "segv"))
            *nullp = (int)v;
        else if (!strcmp(what, "abort"))
            abort();
        else
            throw std::runtime_error("validation failed");
        sink = 1;
    };
    fail(limit);
    sink = 2;
}
} // namespace detail

struct Server {
    NOINLINE void handle(const char *what) {
        detail::validate<int>(what, 42);
        sink = 3;
    }
};
} // namespace app

static void level1(const char *what) {
    app::Server s;
    s.handle(what);
}

NOINLINE static int recurse(int n) {
    volatile char pad[256];
    pad[n % 256] = (char)n;
    return recurse(n + 1) + pad[0];
}

// 32 frames: main, bench, 29 x deep, capture.
NOINLINE static void deep(int n, Trace &t) {
    if (n == 0)
        t.capture();
    else
        deep(n - 1, t);
    sink = n;
}

static double now_ns() {
    return (double)std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

NOINLINE static void bench() {
    Trace t;
    double t0 = now_ns();
    deep(29, t);
    std::string first = t.print();
    double cold = now_ns() - t0;
    std::vector<double> cap, prt;
    for (int r = 0; r < 15; r++) {
        int n = 2000;
        double a = now_ns();
        for (int i = 0; i < n; i++)
            deep(29, t);
        double b = now_ns();
        // Up to 20 prints, at most ~20 ms (some tools take 100s of ms).
        int m = 0;
        size_t len = 0;
        double c = b;
        while (m < 20 && (m == 0 || c - b < 2e7)) {
            len += t.print().size();
            m++;
            c = now_ns();
        }
        sink = (int)len;
        cap.push_back((b - a) / n);
        prt.push_back((c - b) / m);
    }
    std::sort(cap.begin(), cap.end());
    std::sort(prt.begin(), prt.end());
    printf("%s\tcapture_32_ns\t%.0f\n", tool, cap[cap.size() / 2]);
    printf("%s\tprint_32_ns\t%.0f\n", tool, prt[prt.size() / 2]);
    printf("%s\tfirst_capture_print_ns\t%.0f\n", tool, cold);
    printf("%s\tprint_32_bytes\t%zu\n", tool, first.size());
}

int main(int argc, char **argv) {
    const char *what = argc > 1 ? argv[1] : "segv";
    install();
    if (!strcmp(what, "bench")) {
        bench();
    } else if (!strcmp(what, "overflow")) {
        sink = recurse(0);
    } else if (!strcmp(what, "caught")) {
        try {
            level1("throw");
        } catch (const std::exception &e) {
            std::cout << "caught: " << e.what() << "\n";
            print_origin();
        }
    } else {
        level1(!strcmp(what, "uncaught") ? "throw" : what);
    }
    return 0;
}
