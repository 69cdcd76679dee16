#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""stress_mutate.py SEED < in.ll > out.ll

llvm-stress writes one function full of random arithmetic and control flow,
but no calls, no pointer-holding allocas and nothing to inline: the whence
pass would have almost nothing to do.  This adds, deterministically from
SEED, what the pass works on:

  * calls at block starts (after the phis) and before terminators: to an
    external function, varargs calls passing values the block just loaded
    (vectors, floats, i1...), "tail" calls (the pass must disable them),
    calls to memset (an instrumented intrinsic), calls through a pointer;
  * calls to an alwaysinline helper (itself calling another one), so that
    after `always-inline` the sites have inline chains (with `debugify` in
    front, the chains have scopes);
  * pointer-holding allocas (a ptr slot with lifetime markers and a
    {ptr, i64} aggregate) stored, reloaded and passed to calls, for the
    liveness clearing;
  * a driver with invoke/landingpad, _setjmp (returns_twice) and recursion
    in tail position.

The result is checked by the verifier before the pass runs (fuzz.sh), so a
mutation bug shows up as "input invalid", never as a pass failure.
"""
import random
import re
import sys

TERMS = ("br ", "ret ", "switch ", "unreachable", "indirectbr ", "resume ")


def main():
    seed = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    rnd = random.Random(seed * 7919 + 13)
    lines = sys.stdin.read().split("\n")
    out = []
    fn_name = None
    params = None
    in_fn = False
    n = 0
    entry_done = False
    pending_label = False

    def fresh():
        nonlocal n
        n += 1
        return n

    def call_block():
        """Some calls for the current point of the function."""
        k = rnd.randrange(7)
        i = fresh()
        if k == 0:
            return ["  call void @fz_ext(i64 %d)" % i]
        if k == 1:
            return ["  tail call void @fz_ext(i64 %d)" % i]
        if k == 2:
            return ["  call void @fz_inl(ptr %%fzA, i64 %d)" % i]
        if k == 3:
            return ["  %%fzl%d = load ptr, ptr %%fzA, align 8" % i,
                    "  call void @fz_ext_p(ptr %%fzl%d)" % i,
                    "  store ptr %1, ptr %fzA, align 8"]
        if k == 4:
            return ["  call void @llvm.memset.p0.i64(ptr %fzS, i8 0, i64 16, i1 false)",
                    "  %%fzg%d = getelementptr inbounds {ptr, i64}, ptr %%fzS, i32 0, i32 0" % i,
                    "  store ptr %%2, ptr %%fzg%d, align 8" % i]
        if k == 5:
            return ["  %%fzf%d = load ptr, ptr @fz_fp, align 8" % i,
                    "  call void %%fzf%d(i64 %d)" % (i, i)]
        return ["  %%fzq%d = load ptr, ptr %%fzS, align 8" % i,
                "  call void @fz_inl(ptr %%fzq%d, i64 %d)" % (i, i)]

    for line in lines:
        m = re.match(r"define void @(\w+)\((.*)\) \{", line)
        if m:
            fn_name, params = m.group(1), m.group(2)
            in_fn = True
            out.append(line)
            pending_label = False
            continue
        if in_fn and line == "}":
            in_fn = False
            out.append(line)
            continue
        if not in_fn:
            out.append(line)
            continue
        if re.match(r"^[A-Za-z0-9_.]+:", line):
            out.append(line)
            pending_label = True
            continue
        body = line.strip()
        if pending_label and not re.match(r"%\S+ = phi ", body):
            pending_label = False
            if not entry_done:
                entry_done = True
                out += ["  %fzA = alloca ptr, align 8",
                        "  %fzS = alloca {ptr, i64}, align 8",
                        "  call void @llvm.lifetime.start.p0(i64 8, ptr %fzA)",
                        "  store ptr %0, ptr %fzA, align 8",
                        "  store ptr %0, ptr %fzS, align 8"]
            elif rnd.random() < 0.6:
                out += call_block()
        if body.startswith(TERMS):
            if body.startswith("ret "):
                out.append("  call void @llvm.lifetime.end.p0(i64 8, ptr %fzA)")
            elif rnd.random() < 0.5:
                out += call_block()
            out.append(line)
            continue
        out.append(line)
        # After a load of a first-class value: pass it to a varargs callee.
        lm = re.match(r"(%\w+) = load ([^,]+), ptr ", body)
        if lm and rnd.random() < 0.3:
            out.append("  call void (...) @fz_use(%s %s)" % (lm.group(2), lm.group(1)))

    if fn_name is None:
        sys.stdout.write("\n".join(lines))
        return
    args = ", ".join(p.strip() for p in params.split(","))
    out += r"""
@fz_fp = global ptr @fz_ext, align 8

declare void @fz_ext(i64)
declare void @fz_ext_p(ptr)
declare void @fz_use(...)
declare i32 @_setjmp(ptr) returns_twice
declare i32 @__gxx_personality_v0(...)
declare void @llvm.memset.p0.i64(ptr, i8, i64, i1)
declare void @llvm.lifetime.start.p0(i64, ptr)
declare void @llvm.lifetime.end.p0(i64, ptr)

define internal void @fz_inl2(ptr %p, i64 %x) alwaysinline {
  call void @fz_ext_p(ptr %p)
  call void @fz_ext(i64 %x)
  ret void
}

define internal void @fz_inl(ptr %p, i64 %x) alwaysinline {
  call void @fz_inl2(ptr %p, i64 %x)
  %y = add i64 %x, 1
  call void @fz_ext(i64 %y)
  ret void
}

define void @fz_driver(ARGS) personality ptr @__gxx_personality_v0 {
entry:
  %jb = alloca [200 x i8], align 16
  %r = call i32 @_setjmp(ptr %jb)
  %c = icmp eq i32 %r, 0
  br i1 %c, label %go, label %done
go:
  invoke void @FN(CALLARGS) to label %ok unwind label %lp
ok:
  call void @fz_inl(ptr %jb, i64 %4)
  tail call void @fz_driver(CALLARGS)
  ret void
lp:
  %l = landingpad { ptr, i32 } cleanup
  call void @fz_ext(i64 0)
  resume { ptr, i32 } %l
done:
  ret void
}
""".replace("CALLARGS", args).replace("ARGS", args).replace(
        "@FN(", "@%s(" % fn_name).split("\n")
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
