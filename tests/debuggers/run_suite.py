#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""Debugger fidelity suite for whence: a program built -g with the whence
plugin must behave in LLDB and in gdb exactly as without the plugin, apart
from what the frame pointers the plugin keeps change by themselves.

For every program in programs/*.c, *.cpp and every optimization level it
asks for, the runner builds up to four variants:

  A  plain clang, no plugin
  F  plain clang + the plugin's frame-pointer setting (non-leaf frame
     pointers: -fno-omit-frame-pointer -momit-leaf-frame-pointer); only
     above -O0, where clang already keeps every frame pointer and F is A
  B  -fpass-plugin=whence-pass.so, defaults
  C  plugin with WHENCE_SITES=1 (site records forced on in -g modules)

and runs one scripted session per variant and debugger (LLDB through its SB
API, one debugger per worker process; gdb in batch mode through its Python
API, one gdb per session), driven by the CHECK annotations in the sources
(docs/DEBUGGERS.md).  Every stop records a list of facts.  The reference R
is F where it is built, else A:

  * every annotated check must hold in R and in B;
  * B's facts must equal R's, fact for fact;
  * A against F (what frame pointers alone change) and C against R are
    reported, never failures.

Exit status: 0 when every check and comparison passed, 1 when something
failed, 77 (--skip-code) when no debugger is usable here.
Run it with Debian's /usr/bin/python3 (liblldb-19's Python module).
"""

import argparse
import concurrent.futures as cf
import json
import multiprocessing as mp
import os
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from annotations import Program, DEBUGGERS   # noqa: E402

PROG_DIR = os.path.join(HERE, 'programs')
VARIANT_DESC = {'A': 'no plugin', 'F': 'no plugin, non-leaf frame pointers',
                'B': 'plugin (defaults)', 'C': 'plugin, WHENCE_SITES=1'}
FP_FLAGS = ['-fno-omit-frame-pointer', '-momit-leaf-frame-pointer']
GDB_TIMEOUT = 120        # seconds for one whole gdb session


# ----------------------------------------------------------------------------
# Building
# ----------------------------------------------------------------------------

def build_one(args, prog, opt, variant):
    """Build prog for (opt, variant); return (outdir, error or None)."""
    out = os.path.join(args.workdir, prog.name, opt, variant)
    os.makedirs(out, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith('WHENCE_')}
    flags = ['-g', '-' + opt] + prog.cflags
    if variant == 'F':
        flags += FP_FLAGS
    if variant in ('B', 'C'):
        flags.append('-fpass-plugin=' + args.plugin)
    if variant == 'C':
        env['WHENCE_SITES'] = '1'
    cc = args.clangxx if prog.cxx else args.clang
    link = []
    if prog.whence or args.link_runtime:
        link += ['-I', args.incdir, '-L', args.libdir, '-lwhence', '-Wl,-rpath,' + args.libdir]
    if prog.whence:
        flags += ['-I', args.incdir]
    cmds = []
    for lib in prog.libs:
        src = os.path.join(PROG_DIR, lib)
        so = 'lib' + os.path.splitext(os.path.basename(lib))[0] + '.so'
        cmds.append([cc] + flags + ['-fPIC', '-shared', src, '-o', os.path.join(out, so)] + link)
        link = ['-L', out, '-l' + so[3:-3], '-Wl,-rpath,' + out] + link
    cmds.append([cc] + flags + [prog.path, '-o', os.path.join(out, prog.name)]
                + link + prog.ldflags)
    for cmd in cmds:
        r = subprocess.run(cmd, env=env, cwd=out, capture_output=True, text=True)
        with open(os.path.join(out, 'build.log'), 'a') as log:
            log.write(' '.join(cmd) + '\n' + r.stdout + r.stderr)
        if r.returncode != 0:
            return out, 'build failed: %s\n%s' % (' '.join(cmd), r.stderr[-3000:])
    return out, None


# ----------------------------------------------------------------------------
# Sessions
# ----------------------------------------------------------------------------

def run_gdb(args, prog, opt, variant, exe):
    d = os.path.dirname(exe)
    job = os.path.join(d, 'gdb-job.json')
    res = os.path.join(d, 'gdb-result.json')
    with open(job, 'w') as f:
        json.dump({'source': prog.path, 'opt': opt, 'variant': variant, 'exe': exe,
                   'result': res}, f)
    if os.path.exists(res):
        os.unlink(res)
    env = {k: v for k, v in os.environ.items() if not k.startswith('WHENCE_')}
    env['DBG_JOB'] = job
    env.pop('DEBUGINFOD_URLS', None)
    cmd = [args.gdb, '-nx', '-nh', '-batch', '-x', os.path.join(HERE, 'gdb_session.py')]
    with open(os.path.join(d, 'gdb.log'), 'w') as log:
        try:
            subprocess.run(cmd, env=env, stdin=subprocess.DEVNULL, stdout=log,
                           stderr=subprocess.STDOUT, timeout=GDB_TIMEOUT, cwd=d)
        except subprocess.TimeoutExpired:
            return {'facts': ['TIMEOUT'], 'results': {},
                    'error': 'gdb session took more than %d s' % GDB_TIMEOUT}
    try:
        with open(res) as f:
            return json.load(f)
    except (OSError, ValueError):
        with open(os.path.join(d, 'gdb.log')) as f:
            tail = f.read()[-2000:]
        return {'facts': [], 'results': {}, 'error': 'gdb wrote no result; log:\n' + tail}


def usable_lldb(args):
    if 'lldb' not in args.debuggers:
        return None
    if not args.lldb_python:
        try:
            r = subprocess.run([args.lldb, '-P'], capture_output=True, text=True, timeout=30)
            args.lldb_python = r.stdout.strip() or None
        except Exception:
            args.lldb_python = None
    # import in a child: a broken liblldb must not kill us
    probe = subprocess.run([sys.executable, '-c', 'import sys; sys.path.insert(0, sys.argv[1]); '
                            'import lldb; lldb.SBDebugger.Initialize()', args.lldb_python or ''],
                           capture_output=True, text=True)
    if probe.returncode != 0:
        return 'lldb Python module not usable (%s): %s' % (args.lldb_python,
                                                           probe.stderr.strip()[-300:])
    return None


def usable_gdb(args):
    if 'gdb' not in args.debuggers:
        return None
    try:
        r = subprocess.run([args.gdb, '-nx', '-batch', '-ex',
                            'python import gdb; print(hasattr(gdb, "BreakpointLocation"))'],
                           capture_output=True, text=True, timeout=60)
    except Exception as e:
        return 'gdb not runnable: %s' % e
    if r.stdout.strip() != 'True':
        return 'gdb with Python and gdb.BreakpointLocation (gdb >= 13) needed: %s' % \
            (r.stdout + r.stderr).strip()[-300:]
    return None


# ----------------------------------------------------------------------------
# Report
# ----------------------------------------------------------------------------

# Errors of the debugger itself on this machine, not of the program: gdb 13
# cannot call a function in the inferior on a CPU with AMX state (its
# PTRACE_SETREGSET of the XSAVE area fails with EFAULT), with or without
# the plugin. Such a check is reported as not made, not failed.
MACHINE_ERRORS = ("<error:Couldn't write extended state",)


def machine_error(act):
    return isinstance(act, str) and act.startswith(MACHINE_ERRORS)


def first_diff(fa, fb):
    n, first = 0, None
    for i in range(max(len(fa), len(fb))):
        a = fa[i] if i < len(fa) else '<missing>'
        b = fb[i] if i < len(fb) else '<missing>'
        if a != b:
            n += 1
            if first is None:
                first = i
    return n, first


def context_of(facts, i):
    """The last 'stop'/'bp' fact at or before index i (what the fact belongs to)."""
    for j in range(min(i, len(facts) - 1), -1, -1):
        if facts[j].startswith(('stop ', 'bp ', 'exit')):
            return facts[j]
    return ''


def diff_lines(fa, fb, la, lb, limit):
    out, shown = [], 0
    for k in range(max(len(fa), len(fb))):
        a = fa[k] if k < len(fa) else '<missing>'
        b = fb[k] if k < len(fb) else '<missing>'
        if a != b and shown < limit:
            out.append('      in %s\n        %s: %s\n        %s: %s'
                       % (context_of(fa, k), la, a, lb, b))
            shown += 1
    return out


def evidence(name, fr, rr, fo, ro, eo, lr, lo, verbose):
    """One line (plus differences) for variant o against reference r."""
    n, _ = first_diff(fr, fo)
    bad = sorted(cid for cid, r in ro.items() if not r[0])
    if not (n or bad or eo):
        return '%s: identical (%d facts, %d checks pass)' % (name, len(fr), len(ro))
    lines = ['%s: %d of %d facts differ, %d checks fail%s'
             % (name, n, len(fr), len(bad), (', error: ' + eo) if eo else '')]
    for cid in bad:
        lines.append('      check %s: got %s' % (cid, ro[cid][3]))
    lines += diff_lines(fr, fo, lr, lo, 40 if verbose else 6)
    return '\n'.join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--plugin', help='whence-pass.so (without it only A and F run)')
    ap.add_argument('--libdir', help='directory of libwhence.so')
    ap.add_argument('--incdir', help='whence headers (runtime/include)')
    ap.add_argument('--clang', default='/usr/lib/llvm-19/bin/clang')
    ap.add_argument('--clangxx', help='default: clang++ next to --clang')
    ap.add_argument('--lldb', default='/usr/lib/llvm-19/bin/lldb')
    ap.add_argument('--lldb-python', help='directory with the lldb Python module '
                    '(default: `lldb -P`)')
    ap.add_argument('--gdb', default='/usr/bin/gdb')
    ap.add_argument('--debuggers', default='lldb,gdb')
    ap.add_argument('--workdir', default=os.path.join(HERE, 'work'))
    ap.add_argument('--jobs', '-j', type=int, default=os.cpu_count() or 2)
    ap.add_argument('--only', help='comma-separated program names')
    ap.add_argument('--opts', default='O0,O1,O2', help='optimization levels to run')
    ap.add_argument('--variants', default='A,F,B,C')
    ap.add_argument('--link-runtime', action='store_true',
                    help='link libwhence into every variant (not only programs that call it)')
    ap.add_argument('--skip-code', type=int, default=77)
    ap.add_argument('--all-evidence', action='store_true',
                    help='run variant C with gdb at -O0 too')
    ap.add_argument('--facts', action='store_true', help='print every fact list')
    ap.add_argument('-v', '--verbose', action='store_true')
    args = ap.parse_args()

    t0 = time.time()
    for k in ('plugin', 'libdir', 'incdir', 'clang', 'clangxx', 'workdir'):
        if getattr(args, k):
            setattr(args, k, os.path.abspath(getattr(args, k)))
    args.clangxx = args.clangxx or args.clang + '++'
    if not os.environ.get('LLDB_DEBUGSERVER_PATH'):
        for cand in ('/usr/lib/llvm-19/bin/lldb-server',):
            if os.path.exists(cand):
                os.environ['LLDB_DEBUGSERVER_PATH'] = cand
    args.debuggers = [d for d in args.debuggers.split(',') if d]
    for d, why in (('lldb', usable_lldb(args)), ('gdb', usable_gdb(args))):
        if why:
            print('SKIP %s: %s' % (d, why))
            args.debuggers.remove(d)
    if not args.debuggers:
        print('SKIP: no usable debugger')
        return args.skip_code

    variants = [v for v in args.variants.split(',') if v]
    if args.plugin and not os.path.exists(args.plugin):
        print('error: plugin %s does not exist' % args.plugin)
        return 1
    if not args.plugin:
        print('warning: no --plugin: variants A and F only (annotation validation)')
        variants = [v for v in variants if v in ('A', 'F')]
    opts = args.opts.split(',')
    progs = []
    for f in sorted(os.listdir(PROG_DIR)):
        if f.endswith(('.c', '.cpp')):
            p = Program(os.path.join(PROG_DIR, f))
            if args.only and p.name not in args.only.split(','):
                continue
            progs.append(p)
    have_rt = args.libdir and os.path.exists(os.path.join(args.libdir, 'libwhence.so'))
    if args.link_runtime and not have_rt:
        print('error: --link-runtime needs --libdir with libwhence.so')
        return 1
    if os.path.isdir(args.workdir):
        shutil.rmtree(args.workdir)
    os.makedirs(args.workdir)

    builds = []
    skipped = []
    for p in progs:
        if p.whence and not have_rt:
            skipped.append('%s (needs libwhence.so; none in --libdir)' % p.name)
            continue
        for o in p.opts:
            if o not in opts:
                continue
            for v in variants:
                if v == 'F' and o == 'O0':
                    continue    # -O0 keeps every frame pointer: F is A
                builds.append((p, o, v))

    # -- build (parallel) --
    built = {}
    with cf.ThreadPoolExecutor(max_workers=max(2, args.jobs * 2)) as ex:
        futs = {ex.submit(build_one, args, p, o, v): (p, o, v) for p, o, v in builds}
        for fu in cf.as_completed(futs):
            built[futs[fu]] = fu.result()
    t_build = time.time() - t0

    # -- sessions: LLDB in a pool of worker processes, gdb one process per
    #    session, both at once (each with half the jobs) --
    results = {}     # (dbg, name, opt, variant) -> {'facts', 'results', 'error'}
    lldb_jobs, gdb_jobs = [], []
    for (p, o, v), (out, err) in built.items():
        for d in args.debuggers:
            if d not in p.debuggers:
                continue
            # C is evidence only: gdb sessions of it run where labels and
            # code can differ from -O0's (LLDB's cover every level), which
            # keeps the suite's time down
            if v == 'C' and d == 'gdb' and o == 'O0' and not args.all_evidence:
                continue
            if err:
                results[(d, p.name, o, v)] = {'facts': [], 'results': {}, 'error': err}
            elif d == 'lldb':
                lldb_jobs.append((p, o, v, os.path.join(out, p.name)))
            else:
                gdb_jobs.append((p, o, v, os.path.join(out, p.name)))
    # longest first: programs with many checks tend to have long sessions
    lldb_jobs.sort(key=lambda j: -len(j[0].checks))
    gdb_jobs.sort(key=lambda j: -len(j[0].checks))
    both = bool(lldb_jobs) and bool(gdb_jobs)
    njobs = max(1, args.jobs // 2) if both else max(1, args.jobs)
    with cf.ThreadPoolExecutor(max_workers=njobs) as gex:
        gfuts = {gex.submit(run_gdb, args, p, o, v, exe): (p.name, o, v)
                 for p, o, v, exe in gdb_jobs}
        if lldb_jobs:
            import lldb_backend
            ctx = mp.get_context('spawn')
            with ctx.Pool(processes=njobs, initializer=lldb_backend.worker_init,
                          initargs=(args.lldb_python,)) as pool:
                for name, o, v, res in pool.imap_unordered(lldb_backend.run_session, lldb_jobs):
                    results[('lldb', name, o, v)] = res
        for fu in cf.as_completed(gfuts):
            name, o, v = gfuts[fu]
            results[('gdb', name, o, v)] = fu.result()
    t_sess = time.time() - t0 - t_build

    # -- report --
    passed = failed = 0
    fails, xfails, fp_evidence, c_evidence = [], [], [], []
    unable = set()  # checks the debugger itself could not make on this machine
    def zero():
        return {'pairs': 0, 'sessions': 0, 'facts': 0, 'checks': 0, 'passed': 0, 'failed': 0,
                'xfail': 0}
    stats = {d: zero() for d in args.debuggers}
    level_stats = {}    # (debugger, level) -> the same counts
    for d in args.debuggers:
        for p in progs:
            if d not in p.debuggers:
                continue
            for o in p.opts:
                ref = 'F' if (d, p.name, o, 'F') in results else 'A'
                if o not in opts or (d, p.name, o, ref) not in results:
                    continue
                st = stats[d]
                lst = level_stats.setdefault((d, o), zero())
                n0 = dict(st)
                st['pairs'] += 1
                st['sessions'] += sum(1 for v in variants if (d, p.name, o, v) in results)
                R = results[(d, p.name, o, ref)]
                st['facts'] += len(R['facts'])
                st['checks'] += len([c for c in p.checks_for(o, d) if c.counted])
                tag = '%s %s -%s' % (d, p.name, o)
                before = passed, failed
                nf0 = len(fails)
                # A known difference of the plugin's build (DBG-XFAIL): B's
                # failures are expected; B without any is a failure (XPASS),
                # so that the directive goes when the difference does.
                xfail = p.xfail.get(o)
                bfails = []
                for v in (ref, 'B'):
                    if v not in variants:
                        continue
                    res = results[(d, p.name, o, v)]
                    out = bfails if (v == 'B' and xfail is not None) else fails
                    if res['error']:
                        out.append('FAIL %s %s [%s]: %s' % (tag, v, VARIANT_DESC[v], res['error']))
                    for cid, (ok, cmd, exp, act) in sorted(res['results'].items()):
                        if ok:
                            passed += 1
                        elif machine_error(act):
                            unable.add('%s: %s' % (d, act))
                        else:
                            out.append('FAIL %s %s [%s]\n    check:    %s\n    command:  %s\n'
                                       '    expected: %s\n    actual:   %s'
                                       % (tag, v, VARIANT_DESC[v], cid, cmd, exp, act))
                if 'B' in variants:
                    fb = results[(d, p.name, o, 'B')]['facts']
                    n, i = first_diff(R['facts'], fb)
                    if n == 0 and R['facts']:
                        passed += 1
                    else:
                        (bfails if xfail is not None else fails).append(
                            'FAIL %s %s/B fidelity: %d of %d facts differ\n%s'
                            % (tag, ref, n, len(R['facts']),
                               '\n'.join(diff_lines(R['facts'], fb, ref, 'B',
                                                    40 if args.verbose else 8))))
                if xfail is not None:
                    if bfails:
                        xfails.append('XFAIL %s B: %s\n' % (tag, xfail) + '\n'.join(
                            '  ' + f.replace('\n', '\n  ') for f in bfails))
                    else:
                        fails.append('XPASS %s B: identical to %s although DBG-XFAIL says: %s'
                                     % (tag, ref, xfail))
                failed += len(fails) - nf0
                st['xfail'] += len(bfails)
                st['passed'] += passed - before[0]
                st['failed'] += failed - before[1]
                for k in st:
                    lst[k] += st[k] - n0[k]
                if ref == 'F' and (d, p.name, o, 'A') in results:
                    A = results[(d, p.name, o, 'A')]
                    fp_evidence.append(evidence(tag, R['facts'], R['results'], A['facts'],
                                                A['results'], A['error'], 'F', 'A', args.verbose))
                if 'C' in variants and (d, p.name, o, 'C') in results:
                    C = results[(d, p.name, o, 'C')]
                    c_evidence.append(evidence(tag, R['facts'], R['results'], C['facts'],
                                               C['results'], C['error'], ref, 'C', args.verbose))
                if args.facts:
                    for v in variants:
                        if (d, p.name, o, v) in results:
                            print('---- facts %s %s' % (tag, v))
                            print('\n'.join(results[(d, p.name, o, v)]['facts']))

    for f in fails:
        print(f)
    if xfails:
        print('\n== known differences of the plugin (DBG-XFAIL): expected, not failures ==')
        for f in xfails:
            print(f)
    if skipped:
        print('skipped programs: ' + '; '.join(skipped))
    for u in sorted(unable):
        print('not checked on this machine (the debugger failed with or without the plugin): '
              + u)
    if fp_evidence:
        print('\n== A (plain) vs F (plain + non-leaf frame pointers): what frame pointers '
              'alone change; evidence, not failures ==')
        for s in fp_evidence:
            print('  ' + s)
    if c_evidence:
        print('\n== C (WHENCE_SITES=1) vs the reference: evidence, not failures ==')
        for s in c_evidence:
            print('  ' + s)
    print()
    for d in args.debuggers:
        st = stats[d]
        print('%-4s: %d (program, level) pairs, %d sessions, %d facts in the references, '
              '%d annotated checks per variant; %d passed, %d failed, %d expected failures'
              % (d, st['pairs'], st['sessions'], st['facts'], st['checks'], st['passed'],
                 st['failed'], st['xfail']))
    for (d, o), st in sorted(level_stats.items()):
        print('  %-4s -%s: %d pairs, %d sessions, %d facts, %d checks per variant; %d passed, '
              '%d failed, %d expected failures' % (d, o, st['pairs'], st['sessions'], st['facts'],
                                                  st['checks'], st['passed'], st['failed'],
                                                  st['xfail']))
    print('%d programs, build %.1fs, sessions %.1fs, total %.1fs'
          % (len(progs), t_build, t_sess, time.time() - t0))
    print('%d passed, %d failed, %d expected failures'
          % (passed, failed, sum(st['xfail'] for st in stats.values())))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
