/*
 * whence.hpp - whence for C++: stack traces as values, header-only over the
 * C API of whence.h (link libwhence as for C; C++11 or later).
 *
 *     #include <whence.hpp>
 *
 *     whence::stacktrace st = whence::stacktrace::current();  // no allocation
 *     for (const whence::frame &f : st)                        // logical frames,
 *         log(f.function(), f.file(), f.line());               // inlined ones too
 *     std::cerr << st;                                         // or st.to_string()
 *
 *     try { ... } catch (const std::exception &e) {
 *         std::cerr << e.what() << " thrown at\n" << whence::exception_stacktrace();
 *     }
 *
 * A stacktrace holds the return addresses of up to Capacity physical frames
 * (64 for whence::stacktrace) inline, and knows whether the stack went on
 * past them (truncated()) or why the walk ended before the stack did
 * (end_note()); printing then says so: capturing it costs what
 * whence_callers costs (nanoseconds per frame) and never allocates; names,
 * files and lines are looked up only when it is iterated or printed, and
 * stay valid while the code's module is loaded.  Printing uses
 * whence_write_stack's layout, one frame per two lines:
 *
 *     app::Runner::start(...)
 *         src/runner.cpp:42
 *
 * (a tab before the file; "(inlined)" after a function inlined into the
 * next frame).  Iterating, printing and to_string are not async-signal-safe
 * (std::string, std::ostream); in a signal handler use the C API.
 */
#ifndef WHENCE_HPP
#define WHENCE_HPP

#include <whence.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <exception>
#include <iterator>
#include <ostream>
#include <string>

/* (gcc has no nodebug, and warns of it even without -Wall) */
#if defined(__clang__)
#define WHENCE_HPP_NODEBUG_ __attribute__((nodebug))
#else
#define WHENCE_HPP_NODEBUG_
#endif

/* The C++ ABI's per-thread exception globals (libstdc++'s and libc++abi's,
 * whose first word is the list of caught exceptions), of the runtime the
 * including code links to; declared under another name, since the two
 * runtimes' headers declare it with different types (libc++'s none). */
extern "C" void **whence_cxa_get_globals_() noexcept __asm__("__cxa_get_globals")
    __attribute__((weak));

namespace whence {

/* One logical frame: a function, or a function inlined into the next
 * frame. */
class frame {
  public:
    frame() noexcept : f_() {
        f_.function = "?";
        f_.file = "?";
    }
    explicit frame(const whence_frame &f) noexcept : f_(f) {}

    /* Qualified name ("app::Runner::start"); "?" when unknown. */
    const char *function() const noexcept { return f_.function; }
    /* As recorded at compile time; "?" when unknown. */
    const char *file() const noexcept { return f_.file; }
    /* 1-based; 0 when unknown (code built without debug info). */
    int line() const noexcept { return f_.line; }
    int column() const noexcept { return f_.column; }
    /* Accepted by whence_func_for_pc and whence_func_line. */
    std::uintptr_t pc() const noexcept { return f_.pc; }
    /* Entry address of the physical function; 0 when unknown. */
    std::uintptr_t entry() const noexcept { return f_.entry; }
    bool inlined() const noexcept { return f_.inlined; }
    /* false for a frame outside instrumented code. */
    bool known() const noexcept { return f_.func != nullptr; }
    const whence_frame &c_frame() const noexcept { return f_; }

    /* "function(...)\n\tfile:line\n", as whence_write_stack prints it. */
    std::string to_string() const {
        std::string s;
        append_to(s);
        return s;
    }
    void append_to(std::string &s) const {
        char num[16];
        char *e = num + sizeof num, *p = e;
        unsigned v = f_.line > 0 ? static_cast<unsigned>(f_.line) : 0;
        do
            *--p = static_cast<char>('0' + v % 10);
        while (v /= 10);
        s.append(f_.function);
        s.append(f_.inlined ? "(...) (inlined)\n\t" : "(...)\n\t");
        s.append(f_.file);
        if (f_.line > 0) {
            s.push_back(':');
            s.append(p, static_cast<std::size_t>(e - p));
        } else {
            s.append(" (line unknown)"); /* as whence_write_stack says it */
        }
        s.push_back('\n');
    }

  private:
    whence_frame f_;
};

inline std::ostream &operator<<(std::ostream &os, const frame &f) {
    return os << f.to_string();
}

template <std::size_t Capacity> class basic_stacktrace {
    /* The entries are inline, 8 bytes each, and current() builds the
     * trace on the caller's stack: beyond some ten thousand frames, mind
     * the thread's stack size (2^20 frames take 8 MiB, a whole default
     * main stack). */
    static_assert(Capacity > 0 && Capacity <= 1u << 20, "capacity: 1 to 2^20 frames");

  public:
    /* An empty trace. */
    basic_stacktrace() noexcept : n_(0), more_(false), end_(nullptr) {}

    /* The calling function's stack: frame 0 is the function that calls
     * current(), at the line of that call; skip drops that many logical
     * frames first.  Always inlined and without a debug-info frame of its
     * own, so it never appears in the trace, whatever the build. */
    __attribute__((always_inline)) WHENCE_HPP_NODEBUG_ static basic_stacktrace
    current(int skip = 0) noexcept {
        basic_stacktrace t;
        t.keep(whence_callers(skip, t.pcs_, static_cast<int>(Capacity + 1)));
        t.end_ = t.more_ ? nullptr : whence_callers_end();
        return t;
    }

    /* Inside a catch handler: where the exception being handled was thrown
     * (whence_exception_callers_in); empty when unknown.  The exception is
     * the one the caller's own C++ runtime is handling (a library linked
     * with -static-libstdc++ has one of its own). */
    static basic_stacktrace from_current_exception() noexcept {
        basic_stacktrace t;
        void **g = whence_cxa_get_globals_ ? whence_cxa_get_globals_() : nullptr;
        t.keep(whence_exception_callers_in(g, t.pcs_, static_cast<int>(Capacity + 1)));
        t.end_ = t.more_ ? nullptr : whence_callers_end();
        return t;
    }

    /* Where the exception e holds was thrown (made, for one made by
     * std::make_exception_ptr); empty when unknown or e is empty. */
    static basic_stacktrace from_exception(const std::exception_ptr &e) noexcept {
        static_assert(sizeof e == sizeof(void *), "an exception_ptr holds the object's address");
        const void *object;
        std::memcpy(&object, &e, sizeof object);
        basic_stacktrace t;
        t.keep(whence_exception_callers_of(object, t.pcs_, static_cast<int>(Capacity + 1)));
        t.end_ = t.more_ ? nullptr : whence_callers_end();
        return t;
    }

    /* From whence_callers entries (the first Capacity of them). */
    static basic_stacktrace from_entries(const std::uintptr_t *pcs, std::size_t n) noexcept {
        basic_stacktrace t;
        for (; pcs && t.n_ < n && t.n_ < Capacity; t.n_++)
            t.pcs_[t.n_] = pcs[t.n_];
        t.more_ = pcs && n > Capacity;
        return t;
    }

    /* Physical-frame entries (whence_callers' own); iteration expands them
     * into logical frames, so it may give more frames than size(). */
    std::size_t size() const noexcept { return n_; }
    bool empty() const noexcept { return n_ == 0; }
    const std::uintptr_t *entries() const noexcept { return pcs_; }
    static constexpr std::size_t capacity() noexcept { return Capacity; }
    /* The stack had more frames than capacity(): the outermost are not
     * here. */
    bool truncated() const noexcept { return more_; }
    /* Why the trace ends before the stack did, as its text ends it ("(the
     * stack ends here: ...)", whence_callers_end); nullptr when it ends
     * with the stack, or is truncated(). */
    const char *end_note() const noexcept { return end_; }

    /* Logical frames, innermost first.  The iterator reads this trace's
     * entries: keep the trace alive while iterating.  *it is a frame by
     * value (a small copy), so that `const frame &top = *st.begin();`
     * holds its own copy, not one inside the temporary iterator; so a
     * loop takes `const auto &f`, `auto f` or `auto &&f`, not `auto &f`
     * (the frames are made as the loop goes: there is none to refer to). */
    class iterator {
      public:
        using iterator_category = std::input_iterator_tag;
        using value_type = frame;
        using difference_type = std::ptrdiff_t;
        using pointer = const frame *;
        using reference = frame;

        iterator() noexcept : it_(), cur_(), done_(true) {}
        reference operator*() const noexcept { return cur_; }
        pointer operator->() const noexcept { return &cur_; }
        iterator &operator++() noexcept {
            step();
            return *this;
        }
        iterator operator++(int) noexcept {
            iterator old = *this;
            step();
            return old;
        }
        /* Equal when both are exhausted (end()), or at the same frame of
         * the same entries. */
        friend bool operator==(const iterator &a, const iterator &b) noexcept {
            if (a.done_ || b.done_)
                return a.done_ && b.done_;
            return a.it_.pcs == b.it_.pcs && a.it_.next == b.it_.next && a.it_.cur == b.it_.cur &&
                   a.it_.depth == b.it_.depth;
        }
        friend bool operator!=(const iterator &a, const iterator &b) noexcept { return !(a == b); }

      private:
        friend class basic_stacktrace;
        iterator(const std::uintptr_t *pcs, std::size_t n) noexcept : it_(), cur_(), done_(false) {
            whence_frames_init(&it_, pcs, static_cast<int>(n));
            step();
        }
        void step() noexcept {
            whence_frame f;
            done_ = done_ || !whence_frames_next(&it_, &f);
            if (!done_)
                cur_ = frame(f);
        }
        whence_frames it_;
        frame cur_;
        bool done_;
    };

    iterator begin() const noexcept { return iterator(pcs_, n_); }
    iterator end() const noexcept { return iterator(); }

    /* Every frame's to_string(), innermost first; "" for an empty trace;
     * a truncated one ends "...more frames than the trace holds (N)...",
     * one that ended early with its end_note(). */
    std::string to_string() const {
        std::string s;
        s.reserve(n_ * 96 + 64);
        for (const frame &f : *this)
            f.append_to(s);
        if (more_)
            s.append("...more frames than the trace holds (")
                .append(std::to_string(Capacity))
                .append(")...\n");
        else if (end_)
            s.append(end_).push_back('\n');
        return s;
    }

    friend std::ostream &operator<<(std::ostream &os, const basic_stacktrace &t) {
        return os << t.to_string();
    }

  private:
    void keep(int n) noexcept {
        n_ = n > 0 ? static_cast<std::size_t>(n) : 0;
        more_ = n_ > Capacity;
        if (more_)
            n_ = Capacity;
    }
    std::size_t n_;
    bool more_;
    const char *end_; /* (libwhence's static text) */
    /* (one more than it keeps: the walk tells whether the stack went on) */
    std::uintptr_t pcs_[Capacity + 1];
};

using stacktrace = basic_stacktrace<64>;

/* Inside a catch handler: where the exception being handled was thrown. */
inline stacktrace exception_stacktrace() noexcept {
    return stacktrace::from_current_exception();
}

/* Where the exception e holds was thrown. */
inline stacktrace exception_stacktrace(const std::exception_ptr &e) noexcept {
    return stacktrace::from_exception(e);
}

} // namespace whence

#endif /* WHENCE_HPP */
