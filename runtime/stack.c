/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * stack.c - whence_write_stack: the calling thread's stack as text, Go-panic
 * style, two lines per logical frame, innermost first:
 *
 *     name(...)                 physical frame
 *     \tfile:line +0xOFF        OFF = pc - function entry
 *     name(...) (inlined)       a function inlined into the next frame
 *     \tfile:line               (no offset: it has no code of its own)
 *
 * pc is the return address (the interrupted pc + 1 for a frame a signal
 * interrupted).  A frame a signal interrupted is named by its own
 * instruction (lines/exact.c): one line, the physical function,
 *
 *     name(...)
 *     \tfile:line +0xOFF                   .debug_line's line
 *     \tfile:line +0xOFF (inlined code)    a line of code inlined into it
 *     \tfile (line unknown; placed after the call at line N) +0xOFF   no line table: no line
 *     \tfile (line unknown) +0xOFF                claimed
 * and below a handler's frames a line "<signal handler called>" before it.
 *  With a depth limit (trace.c) a deeper stack keeps its two
 * ends with "...N more frames elided..." between them; the crash report's
 * stack always does (200 frames unless the limit says otherwise).
 * Async-signal-safe: own formatting into a stack buffer, write(2) only, no
 * stdio, no malloc.
 */
#include "lines/lines.h"
#include "cxx/demangle.h"
#include "unwind/cfi.h"

#include <string.h>
#include <sys/auxv.h>

/* A crash report keeps this many frames (a stack overflow has hundreds of
 * thousands): the innermost and the outermost half. */
#define WH_CRASH_FRAMES 200u

WH_RT bool wh_put_exact(struct wh_buf *w, const struct wh_pcinfo *pi, uintptr_t e) {
    whence_frame f;
    struct wh_exact x;
    if (!wh_exact_frame(pi, e, &f, &x))
        return false;
    wh_buf_str(w, f.function);
    wh_buf_str(w, "(...)");
    if (x.why == WH_LN_AMBIG)
        wh_buf_str(w, WH_FOLDED_INTO);
    wh_buf_str(w, "\n\t");
    if (x.how == WH_EXACT_AFTER)
        wh_buf_name(w, x.after_file);
    else
        wh_put_exact_file(w, &x);
    if (x.how == WH_EXACT_LINE) {
        wh_buf_str(w, ":");
        wh_buf_dec(w, x.line);
    } else if (x.how == WH_EXACT_AFTER) {
        wh_buf_str(w, " (line unknown; placed after the call at line ");
        wh_buf_dec(w, x.after);
        wh_buf_str(w, ")");
    } else {
        wh_buf_str(w, " (line unknown)");
    }
    uintptr_t pc = wh_token_pc(e);
    /* No offset for a pc in code split off the function (fragments.c).
     * (pi's size: f.func is a table entry, not a record, in an image with
     * a post-link table.) */
    if (f.entry && f.func && pc >= f.entry && pc - f.entry <= pi->size) {
        wh_buf_str(w, " +");
        wh_buf_hex(w, pc - f.entry);
    }
    if (x.how == WH_EXACT_LINE && x.inlined_code)
        wh_buf_str(w, " (inlined code)");
    wh_buf_str(w, "\n");
    return true;
}

/* The file of d as the line table spells it, under its directory when
 * that is where the name is relative to. */
WH_RT static void put_dwarf_file(struct wh_buf *w, const struct wh_dwarf_pos *d) {
    /* (a directory "." is the one it is relative to: not printed) */
    size_t dir_len = d->dir_len == 1 && d->dir[0] == '.' ? 0 : d->dir_len;
    if (d->name_len && d->name[0] != '/') {
        if (dir_len && d->dir[0] != '/' && d->base_len) {
            wh_buf_name_n(w, d->base, d->base_len);
            wh_buf_str(w, "/");
        }
        if (dir_len || d->base_len) {
            wh_buf_name_n(w, dir_len ? d->dir : d->base, dir_len ? dir_len : d->base_len);
            wh_buf_str(w, "/");
        }
    }
    wh_buf_name_n(w, d->name, d->name_len);
}

WH_RT void wh_put_exact_file(struct wh_buf *w, const struct wh_exact *x) {
    if (x->how == WH_EXACT_LINE && x->file_dwarf)
        put_dwarf_file(w, &x->pos);
    else
        wh_buf_name(w, x->file);
}

/* Why a foreign frame's line is not known, worth saying: its file has line
 * tables that could not be read (a library without debug information, the
 * usual case, says nothing). */
WH_RT static bool foreign_reason(int why) {
    switch (why) {
    case WH_LN_COMPRESSED: case WH_LN_ZSTD: case WH_LN_ZBAD: case WH_LN_ZBIG:
    case WH_LN_ZMEM: case WH_LN_DIFFERS: case WH_LN_AMBIG: case WH_LN_BAD: case WH_LN_BUILDING:
    case WH_LN_LEFT:
        return true;
    default:
        return false;
    }
}

WH_RT void wh_put_foreign_pos(struct wh_buf *w, const struct wh_fsym *s, uintptr_t at,
                              uintptr_t pc) {
    struct wh_dwarf_pos d;
    int why = s->name ? wh_dwarf_line(at, s->start, (uint32_t)s->size, &d) : WH_LN_NOROW;
    if (why == WH_LN_OK) {
        put_dwarf_file(w, &d);
        wh_buf_str(w, ":");
        wh_buf_dec(w, d.line);
    } else {
        wh_buf_name(w, s->object ? s->object : "?");
    }
    if (s->name) {
        wh_buf_str(w, " +");
        wh_buf_hex(w, pc - s->start);
    } else {
        wh_buf_str(w, "+");
        wh_buf_hex(w, pc - s->bias);
    }
    if (foreign_reason(why)) {
        wh_buf_str(w, " (line unknown; ");
        wh_buf_str(w, wh_ln_reason(why));
        wh_buf_str(w, ")");
    }
}

WH_RT void wh_put_sym_name(struct wh_buf *w, const char *sym) {
    char t[WH_DEMANGLE_CAP];
    size_t off, len;
    if (sym[0] == '_' && sym[1] == 'Z' && wh_demangle(sym, t, sizeof t, &off, &len)) {
        size_t r = wh_rust_legacy(t + off, len);
        wh_buf_name_n(w, t + off, r ? r : len);
        /* A clone's suffix stays ("hot.cold.0", as a C symbol reads;
         * llvm-cxxfilt: "hot(int) (.cold.0)"): the offset printed after it
         * is from the clone's symbol, not the function's entry (BOLT's and
         * GCC's split parts). */
        const char *c = strstr(t + off + len, " (.");
        size_t n = c ? strlen(c) : 0;
        if (!r && n > 3 && c[n - 1] == ')')
            wh_buf_name_n(w, c + 2, n - 3);
    } else if (sym[0] == '_' && sym[1] == 'R' && wh_rust_v0(sym, t, sizeof t, &off, &len))
        wh_buf_name_n(w, t + off, len);
    else
        wh_buf_name(w, sym);
}

/* Return address pc of function s follows a call instruction: of any
 * form, as foreign code makes them (`call *8(%rax)` through a struct's
 * member, `call *(%rbx,%rcx,8)`), not only the forms instrumented code's
 * lookups take. */
WH_RT static bool foreign_after_call(uintptr_t pc, const struct wh_fsym *s) {
    if (!(pc > s->start && pc - s->start <= s->size))
        return false;
    return wh_after_call(pc, (uint32_t)(pc - s->start)) ||
           (wh_uw_readable(pc - 8, 8) && wh_arch_ends_call(pc));
}

/* A frame outside instrumented code (the crash report's walk): named by
 * its image's symbol table, at the line table's line (symbols.c).  e: a
 * return address, or an interrupted pc | WH_TOKEN_EXACT. */
WH_RT void wh_put_foreign(struct wh_buf *w, uintptr_t e) {
    uintptr_t pc = wh_token_pc(e), at = wh_token_insn(e);
    struct wh_fsym s;
    if (!wh_foreign_sym(at, &s))
        return; /* (unloaded since the walk) */
    /* A return address that follows no call instruction is no frame of
     * that function (a walk led astray by a damaged stack, or a return
     * address a library made up): its place is all that is said. */
    if (s.name && !(e & WH_TOKEN_EXACT) && !foreign_after_call(pc, &s) &&
        !wh_uw_context_finish(pc))
        s.name = NULL;
    /* Code the linker folded from several functions: any one symbol's
     * name, or its line, would be a guess (moved.c). */
    bool folded = wh_folded(at);
    if (folded)
        s.name = NULL;
    /* A pc in a PLT entry, which no symbol covers (an interrupted one: no
     * entry calls): the entry's function, as the profile names it
     * ("memcpy@plt"; it read "?": helper-142), at its place in the file. */
    char plt[300];
    const char *name = s.name ? s.name : !folded && wh_plt_name(at, plt, sizeof plt) ? plt : "?";
    wh_put_sym_name(w, name);
    /* (instrumented code BOLT moved, or whose records the link lost,
     * has no records either: moved.c) */
    wh_buf_str(w, folded        ? "(...) (code of several functions the linker folded into one)\n\t"
                  : wh_moved(at) ? "(...) (instrumented code without records)\n\t"
                                 : "(...) (not instrumented)\n\t");
    wh_put_foreign_pos(w, &s, at, pc);
    wh_buf_str(w, "\n");
}

/* A walk that ended before the stack did (wh_walk_end) says why: the
 * frames below are not shown, but the stack is not over. */
/* The line of an end that says the same wherever it is printed; NULL for
 * the others. */
WH_RT static const char *end_text(uint8_t end) {
    switch (end) {
    case WH_WALK_NO_CFI:
        return "(the stack ends here: the frame above has no frame record at its pc, and no "
               "unwind tables say where its caller is: build with -fasynchronous-unwind-tables)";
    case WH_WALK_NO_CFI_BELOW:
        return "(the stack ends here: code outside instrumented code below the frame above has "
               "no frame record at its pc, and no unwind tables say where its caller is: build "
               "it with -fasynchronous-unwind-tables)";
    case WH_WALK_NO_INDEX:
        return "(the stack ends here: the frame above has no frame record at its pc, and its "
               "image has no .eh_frame_hdr, by which whence finds unwind tables: the image has "
               "none, or was linked without --eh-frame-hdr, as gcc -static links: build it with "
               "-fasynchronous-unwind-tables and link it with -Wl,--eh-frame-hdr, or with clang)";
    case WH_WALK_NO_INDEX_BELOW:
        return "(the stack ends here: code outside instrumented code below the frame above has "
               "no frame record at its pc, and its image has no .eh_frame_hdr, by which whence "
               "finds unwind tables: the image has none, or was linked without --eh-frame-hdr, "
               "as gcc -static links: build it with -fasynchronous-unwind-tables and link it "
               "with -Wl,--eh-frame-hdr, or with clang)";
    case WH_WALK_MOVED:
        return "(the stack ends here: the next frame is in instrumented code that whence's "
               "records do not describe (moved after the link by BOLT, or a function whose "
               "records the link lost, said above), so the frames to skip cannot be counted "
               "past it)";
    case WH_WALK_NO_CODE:
        return "(the stack ends here: the unwind tables led to a return address in no code: "
               "a frame's tables do not describe its stack at its pc)";
    case WH_WALK_FAR:
        return "(the stack ends here: the unwind tables put the next frame on another stack "
               "(code that switched stacks, or a damaged stack), which whence does not follow)";
    case WH_WALK_CFI_UNREAD:
        return "(the stack ends here: the frame above has unwind tables whence cannot follow "
               "at its pc: a rule it does not evaluate, or a frame they put where the stack "
               "cannot hold it)";
    case WH_WALK_CFI_UNREAD_BELOW:
        return "(the stack ends here: code outside instrumented code below the frame above has "
               "unwind tables whence cannot follow at its pc: a rule it does not evaluate, or a "
               "frame they put where the stack cannot hold it)";
    case WH_WALK_NO_OBJECT:
        return "(the stack ends here: the next frame's pc lies outside every loaded object, "
               "where no records or unwind tables say where its caller is: code a JIT "
               "compiled, or a jump to a bad address)";
    default:
        return NULL;
    }
}

WH_RT void wh_put_walk_end(struct wh_buf *w, uint8_t end) {
    const char *t = end_text(end);
    if (t) {
        wh_buf_str(w, t);
        wh_buf_str(w, "\n");
        return;
    }
    if (end != WH_WALK_SHORT)
        return;
    size_t room = wh_altstack_room();
    wh_buf_str(w, "(the stack ends here: ");
    if (room != SIZE_MAX) {
        wh_buf_dec(w, room);
        wh_buf_str(w, " bytes of the signal stack left, ");
    }
    wh_buf_str(w, "too few to read the next frame's unwind tables)\n");
}

WH_EXPORT WH_RT const char *whence_callers_end(void) {
    /* (a static program's resolver may have no TLS to read yet; its
     * preinit functions came before any registration: the walk said
     * nothing, and NULL claimed a complete stack) */
    if (wh_too_early() && !atomic_load_explicit(&wh_nslots, memory_order_relaxed))
        return "(no stack: called before the program's constructors ran, when no records "
               "are registered yet)";
    const char *t = end_text(wh_callers_end);
    if (t)
        return t;
    switch (wh_callers_end) {
    case WH_WALK_SHORT:
        return "(the stack ends here: too little of the signal stack left to read the next "
               "frame's unwind tables)";
    case WH_WALK_KEPT:
        return "(more frames: only the innermost " WH_EXC_PCS_TEXT " were kept)";
    case WH_WALK_NO_TRACE:
        return "(no stack: whence did not see this exception thrown: thrown through a C++ "
               "runtime other than libstdc++ (libc++abi), by a library bound to a C++ runtime "
               "of its own (linked with -static-libstdc++), or before libwhence was loaded)";
    case WH_WALK_NO_TRACE_LAYOUT:
        return "(no stack: whence did not see this exception thrown: thrown through a C++ "
               "runtime other than libstdc++ (libc++abi), by a library bound to a C++ runtime "
               "of its own (linked with -static-libstdc++), before libwhence was loaded, or "
               "allocated by a C++ runtime that whence cannot tell is libstdc++, which it "
               "keeps no stack for)";
    case WH_WALK_NO_TRACE_FOREIGN:
        return "(no stack: whence did not see this exception thrown: thrown through a C++ "
               "runtime other than libstdc++ (libc++abi), or another language's: its class is "
               "not libstdc++'s)";
    case WH_WALK_NO_TRACE_OTHER_STACK:
        return "(no stack: the exception the C++ runtime says this thread is handling was "
               "caught on another stack: a fiber or coroutine switched inside its catch "
               "handler, and the runtime keeps one list of caught exceptions per thread; pass "
               "the std::exception_ptr taken in the handler before the switch)";
    case WH_WALK_NO_TRACE_FORCED:
        return "(no stack: no exception was thrown: this is the unwinding of a thread that is "
               "cancelled or calls pthread_exit)";
    case WH_WALK_NO_TRACE_NOMEM:
        return "(no stack: whence did not see this exception thrown, or saw it thrown while "
               "malloc failed, and then kept no stack: the C++ runtime's emergency pool is for "
               "the exceptions themselves)";
    case WH_WALK_NO_HOOK:
        return "(no stack: whence did not see this exception thrown: the program's throws "
               "call the C++ runtime's __cxa_allocate_exception, not libwhence's, which comes "
               "after the C++ runtime in the symbol lookup order (-lwhence linked after "
               "-lstdc++, libstdc++.so.6 first in DT_NEEDED, or libwhence loaded with dlopen): "
               "link the program with -lwhence before -lstdc++, or preload libwhence.so)";
    case WH_WALK_NO_HOOK_PROGRAM:
        return "(no stack: whence did not see this exception thrown: the program's throws "
               "call a __cxa_allocate_exception linked into the program itself (a static C++ "
               "runtime: -static-libstdc++), not libwhence's: link the C++ runtime "
               "dynamically)";
    case WH_WALK_NO_HOOK_LINKED:
        return "(no stack: whence did not see this exception thrown: the link took another, "
               "strong __cxa_allocate_exception over libwhence.a's weak one (a static C++ "
               "runtime's own allocator, such as libstdc++.a's eh_alloc.o, which "
               "std::exception_ptr's code pulls in))";
    default:
        return NULL;
    }
}

WH_EXPORT WH_RT WH_CAPTURE void whence_write_stack(int fd, int skip) {
    if (fd < 0 || skip < 0 || wh_too_early())
        return;
    wh_check_built();
    uint32_t limit = wh_stack_depth();
    if (!limit)
        limit = UINT32_MAX;
    struct wh_buf w = {.fd = fd};
    /* A VLA: without a limit (the usual case, maybe on a small signal
     * stack) the ring is one entry. */
    struct wh_ent ring[wh_ring_size(limit)];
    struct wh_trace t;
    wh_trace_init(&t, limit, &w, NULL, 0, ring, wh_ring_size(limit));
    struct wh_trace_sink s = {.t = &t, .skip = (uint32_t)skip};
    wh_walk_end = WH_WALK_DONE;
    wh_walk_fp((uintptr_t)__builtin_frame_address(0), wh_trace_emit, &s);
    wh_trace_finish(&t, &w);
    wh_put_walk_end(&w, wh_walk_end);
    wh_buf_flush(&w);
}

__thread struct wh_buf *wh_stack_buf;

/* The crash report's sink: a frame of start code (start_code) is held
 * back until a frame of other code follows it, so the start code below
 * main or below a thread's start routine stays out, as Go leaves its
 * runtime's; every other frame is shown, instrumented or not (an
 * extension's crash shows its host's frames below it: a Python
 * interpreter's, a plugin host's).  A stack without any instrumented
 * frame (a thread of a library built without the plugin, a program BOLT
 * rewrote) shows all of its frames. */
#define WH_HELD 64u
enum { WH_K_START, WH_K_ENTRY, WH_K_NAMELESS, WH_K_LIBC, WH_K_LIBC_ANON };
struct crash_sink {
    struct wh_trace_sink s;
    uintptr_t held[WH_HELD];
    uint8_t kind[WH_HELD]; /* WH_K_*: why it is held */
    uint32_t nheld;
    bool ours;
};

/* Functions that start the program or a thread, by name: in a program that
 * links the C library statically (else start_code knows them by their
 * object) and in other C libraries. */
static const char *const wh_start_names[] = {
    "_start",      "__libc_start_main", "__libc_start_call_main", "__libc_start_main_impl",
    "start_thread", "clone",            "clone3",                 "__clone",
    "__clone3",    "__start_context",
};

/* name (a version suffix aside: __libc_start_main@@GLIBC_2.34, from
 * .dynsym) is one of wh_start_names. */
WH_RT static bool start_name(const char *name) {
    size_t n = strcspn(name, "@");
    for (size_t i = 0; i < sizeof wh_start_names / sizeof wh_start_names[0]; i++)
        if (!strncmp(name, wh_start_names[i], n) && !wh_start_names[i][n])
            return true;
    return false;
}

/* Whether foreign pc (an instruction's) is held back, and as what: start
 * code (a start function by name; the dynamic loader's, which runs the
 * initializers at start from _dl_start_user and whose frames under a
 * dlopen are shown when code of another object follows; libwhence.so's
 * own wh_thread_start), the program's entry point (_start, found by
 * AT_ENTRY in a program stripped of its symbols too), code of the program
 * without a name (a stripped static program's C library start functions,
 * which end_held tells from the program's own code), or the C library's
 * other code, named or not (a callback's caller such as qsort; exit and
 * the exit handlers' caller, a thread's key destructors' caller: shown at
 * the bottom of a stack too, end_held); -1: not held. */
WH_RT static int held_kind(uintptr_t pc) {
    struct wh_fsym s, p;
    if (wh_uw_in_libc(pc)) {
        if (!wh_foreign_sym(pc, &s) || !s.name)
            return WH_K_LIBC_ANON;
        return start_name(s.name) ? WH_K_START : WH_K_LIBC;
    }
    if (wh_uw_in_loader(pc) || wh_uw_in_self(pc))
        return WH_K_START;
    uintptr_t entry = (uintptr_t)getauxval(AT_ENTRY);
    if (entry && pc - entry < 64) /* (_start is some 40 bytes) */
        return WH_K_ENTRY;
    if (!wh_foreign_sym(pc, &s))
        return -1;
    if (!s.name)
        return entry && wh_foreign_sym(entry, &p) && p.bias == s.bias && p.object == s.object
                   ? WH_K_NAMELESS
                   : -1;
    return start_name(s.name) ? WH_K_START : -1;
}

WH_RT static void let_held_upto(struct crash_sink *c, uint32_t n) {
    for (uint32_t i = 0; i < n; i++)
        wh_trace_add_foreign(c->s.t, c->held[i]);
    c->nheld = 0;
}

WH_RT static void let_held(struct crash_sink *c) {
    let_held_upto(c, c->nheld);
}

/* The stack is over: the held frames that are start code stay out, the
 * others are shown.  A frame of the program without a name is start code
 * only right above its entry, two at most (__libc_start_main and
 * __libc_start_call_main of a stripped static program); above the C
 * library's start code it is the program's own (a stripped host's
 * main).  The C library's frames without a name (its static functions,
 * without its debug file) are start code two at most at the bottom
 * (__libc_start_call_main, or a thread's start_thread and clone3); above
 * them, and from a named frame of its other code up, they are the code a
 * crash in an exit handler, an ELF or C++ static destructor or a thread's
 * key destructor ran in (__run_exit_handlers, exit, _dl_fini,
 * __nptl_deallocate_tsd), which the report shows (before, only the
 * handler, as if it were the stack's root). */
WH_RT static void end_held(struct crash_sink *c) {
    uint32_t keep = c->nheld, nameless = 0, anon = 0;
    bool at_entry = c->nheld && c->kind[c->nheld - 1] == WH_K_ENTRY;
    for (uint32_t i = c->nheld; i-- > 0;) {
        if (c->kind[i] == WH_K_NAMELESS) {
            if (!at_entry || ++nameless > 2)
                break;
        } else if (c->kind[i] == WH_K_LIBC || (c->kind[i] == WH_K_LIBC_ANON && ++anon > 2)) {
            break;
        } else if (c->kind[i] != WH_K_ENTRY) {
            at_entry = false; /* (nameless frames above it are not next to the entry) */
        }
        keep = i;
    }
    let_held_upto(c, keep);
}

WH_RT static bool crash_emit(void *ctx, uintptr_t e, struct wh_pcinfo *pi) {
    struct crash_sink *c = ctx;
    if (!pi->fn && !pi->depth) {
        /* (a pc in no object: a call through a null or stale pointer,
         * which the header's pc already shows; or junk) */
        uintptr_t at = wh_token_insn(e);
        if (!wh_in_object(at))
            return true;
        int k = held_kind(at);
        if (c->nheld == WH_HELD || k < 0)
            let_held(c);
        if (k < 0) {
            wh_trace_add_foreign(c->s.t, e);
            return true;
        }
        c->kind[c->nheld] = (uint8_t)k;
        c->held[c->nheld++] = e;
        return true;
    }
    let_held(c);
    c->ours = true;
    return wh_trace_emit(&c->s, e, pi);
}

WH_RT void wh_write_stack_from(int fd, const struct wh_regs *r, bool foreign) {
    uint32_t limit = wh_stack_depth();
    if (!limit)
        limit = WH_CRASH_FRAMES;
    struct wh_buf w = {.fd = fd};
    struct wh_ent ring[wh_ring_size(limit)];
    struct wh_trace t;
    wh_trace_init(&t, limit, &w, NULL, 0, ring, wh_ring_size(limit));
    struct crash_sink c = {.s = {.t = &t, .skip = 0}};
    wh_stack_buf = &w; /* (a fault in the walk still writes what it has: crash.c) */
    wh_walk_end = WH_WALK_DONE;
    if (foreign) {
        wh_walk_context_all(r, crash_emit, &c);
        if (!c.ours)
            let_held(&c);
    } else {
        wh_walk_context(r, wh_trace_emit, &c.s);
    }
    /* (a walk that ended before the stack did: the frames held are on it) */
    if (c.ours)
        wh_walk_end != WH_WALK_DONE ? let_held(&c) : end_held(&c);
    wh_stack_buf = NULL;
    wh_trace_finish(&t, &w);
    wh_put_walk_end(&w, wh_walk_end);
    wh_buf_flush(&w);
}
