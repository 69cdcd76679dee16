# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""One scripted debugger session of the suite, independent of the debugger:
sets the annotated breakpoints, runs the program, records the facts of
every stop, evaluates the checks of the stop's line and does its action.
The debugger is reached through a backend (lldb_backend.LLDB in a worker
process, gdb_session.GDB inside gdb's own Python) that provides:

  create(exe) -> error|None          bp_line(file, line) / bp_name(name) -> bp
  bp_locations(bp) -> [(fn, file, line, col, module)]     bp_delete(bp)
  launch(cwd, out, err) -> error|None (stopped at an internal breakpoint on main)
  wait() -> 'stopped' | ('exited', status) | None (timeout)
  stop(step_thread) -> Stop of the thread the stop is about (selects it)
  frames(thread, n) -> [Frame]       variables(frame, statics, novalue)
  value(frame, path) / type_of(frame, path) / evaluate(frame, expr) -> str
  retval(thread) -> str|None         threads() -> [thread]    thread_id(thread)
  act(kind, thread) -> error|None    finish_session()
Columns appear in the facts only where the debugger gives them (LLDB;
gdb's Python API has none, its facts show 0); checks compare lines."""

import os
import re

from annotations import ACTIONS

MAX_STOPS = 400          # per session: a runaway session fails instead of hanging


class Frame:
    __slots__ = ('fn', 'file', 'line', 'col', 'inlined', 'artificial', 'handle')

    def __init__(self, fn, file, line, col, inlined, artificial, handle):
        self.fn, self.file, self.line, self.col = fn, file, line, col
        self.inlined, self.artificial, self.handle = inlined, artificial, handle

    @property
    def mark(self):
        # '*': inlined frame; '^': artificial frame (the debugger's
        # reconstruction, from DW_TAG_call_site, of a frame a tail call removed)
        return ('*' if self.inlined else '') + ('^' if self.artificial else '')


class Stop:
    __slots__ = ('thread', 'reason', 'entry_only')

    def __init__(self, thread, reason, entry_only=False):
        self.thread, self.reason, self.entry_only = thread, reason, entry_only


def norm(s):
    return re.sub(r'\s+', '', s or '')


def short_name(fn):
    """A function name as annotations write it: C++ parameter lists,
    trailing qualifiers and return types dropped (LLDB prints
    'int f<int>(int)', gdb 'f<int>')."""
    if not fn:
        return '?'
    s = re.sub(r'\s*\b(const|volatile)\s*$', '', fn.strip())
    if s.endswith(')') and not s.endswith('operator()'):
        depth = 0
        for i in range(len(s) - 1, -1, -1):
            depth += {')': 1, '(': -1}.get(s[i], 0)
            if depth == 0:
                s = s[:i]
                break
    # LLDB prefixes a template function's name with its return type
    depth = 0
    for i in range(len(s) - 1, -1, -1):
        depth += {'>': 1, '<': -1, ')': 1, '(': -1}.get(s[i], 0)
        if s[i] == ' ' and depth == 0 and not s[:i].endswith('operator'):
            s = s[i + 1:]
            break
    return s.strip()


class Session:
    def __init__(self, backend, prog, opt, variant, exe, dbg):
        self.D = backend
        self.prog, self.opt, self.variant, self.exe, self.dbg = prog, opt, variant, exe, dbg
        self.facts = []
        self.results = {}       # cid -> [ok, command, expected, actual]
        self.error = None
        self.checks = prog.checks_for(opt, dbg)
        self.by_line = {}
        for c in self.checks:
            if c.kind not in ('break', 'bfunc', 'locate'):
                self.by_line.setdefault((c.file, c.line), []).append(c)

    # -- results ------------------------------------------------------------
    def result(self, chk, ok, cmd, expected, actual):
        r = self.results.get(chk.cid)
        if r is None or (r[0] and not ok):
            self.results[chk.cid] = [ok, cmd, str(expected), str(actual)]

    def fact(self, s):
        # the build directory (argv[0], paths) is the one thing that must differ
        self.facts.append(s.replace(os.path.dirname(self.exe), '<bindir>'))

    # -- frames ---------------------------------------------------------------
    def own_frames(self, thread):
        return ['%s%s:%d' % (short_name(f.fn), f.mark, f.line)
                for f in self.D.frames(thread, 64) if f.file in self.prog.basenames]

    def all_frames(self, thread):
        out = []
        for f in self.D.frames(thread, 40):
            if f.file in self.prog.basenames:
                out.append('%s%s@%s:%d:%d' % (f.fn, f.mark, f.file, f.line, f.col))
            else:
                out.append(f.fn + f.mark)
            if short_name(f.fn) == 'main':
                break
        return out

    # -- the session ------------------------------------------------------------
    def run(self):
        err = self.D.create(self.exe)
        if err:
            self.error = err
            return
        try:
            self._run()
        finally:
            self.D.finish_session()

    def _run(self):
        D = self.D
        # Breakpoints are set before launch; their locations are checked at
        # the stop on main, once shared libraries are loaded.
        bps = []
        for c in self.checks:
            if c.kind == 'break':
                bps.append((c, D.bp_line(c.file, c.line), 'break %s:%d' % (c.file, c.line)))
            elif c.kind in ('bfunc', 'locate'):
                bps.append((c, D.bp_name(c.arg), 'break %s' % c.arg))
        d = os.path.dirname(self.exe)
        err = D.launch(d, os.path.join(d, 'stdout.%s.txt' % self.dbg),
                       os.path.join(d, 'stderr.%s.txt' % self.dbg))
        if err:
            self.error = 'launch failed: %s' % err
            return
        st = D.wait()
        if st == 'stopped':
            s = D.stop()
            if s.entry_only:
                self._resolve_bps(bps)
                D.act('continue', s.thread)
                st = D.wait()
        if not getattr(self, '_bps_done', False):
            self._resolve_bps(bps)
        hits = {}
        step_thread = None
        pending = None     # (check, command) whose ->LOC the next stop must match
        nstops = 0
        while True:
            if st is None:
                self.fact('TIMEOUT')
                if pending:
                    self.result(pending[0], False, pending[1], pending[0].expect, 'timeout')
                self.error = 'timeout waiting for a stop'
                return
            if st != 'stopped':
                code = st[1]
                self.fact('exit status=%s' % code)
                if pending:
                    self._check_dest(pending, None, code)
                if self.prog.exit is not None and code != self.prog.exit:
                    self.error = 'exit status %s, expected %d' % (code, self.prog.exit)
                return
            nstops += 1
            if nstops > MAX_STOPS:
                self.error = 'more than %d stops' % MAX_STOPS
                self.fact('TOO MANY STOPS')
                return
            s = D.stop(step_thread)
            thread = s.thread
            frames = D.frames(thread, 1)
            frame = frames[0] if frames else Frame('?', '?', 0, 0, False, False, None)
            key = (frame.file, frame.line)
            hits[key] = hits.get(key, 0) + 1
            hit = hits[key]
            self.fact('stop %d [%s] %s%s@%s:%d:%d hit %d' % (
                nstops, s.reason, frame.fn, frame.mark, frame.file, frame.line, frame.col, hit))
            self.fact('  thread #%d' % D.thread_id(thread))
            rv = D.retval(thread)
            if rv is not None:
                self.fact('  retval ' + ('<not compared>' if 'retval' in self.prog.novalue else rv))
            vars_ = D.variables(frame, False, self.prog.novalue)
            self.fact('  vars ' + ' '.join('%s:%s%s' % (n, norm(t), '' if v is None else '=' + v)
                                          for n, t, v in vars_))
            # globals are compared as a set: debuggers list them in an order
            # that follows the data layout, not the source
            self.fact('  statics ' + ' '.join(sorted(
                '%s:%s=%s' % (n, norm(t), v)
                for n, t, v in D.variables(frame, True, self.prog.novalue))))
            self.fact('  bt ' + ' | '.join(self.all_frames(thread)))
            if pending:
                self._check_dest(pending, (frame.fn, frame.file, frame.line), None)
                pending = None
            action = None
            for c in self.by_line.get(key, []):
                if c.hit is not None and c.hit != hit:
                    continue
                if c.kind in ACTIONS:
                    # an action of a hit-qualified clause wins over an unqualified one
                    if action is None or (action.hit is None and c.hit is not None):
                        action = c
                    continue
                self._check_at(c, thread, frame, vars_, rv)
            kind = action.kind if action else 'continue'
            if action is not None and action.expect is not None:
                pending = (action, '%s   (from %s:%d)' % (kind, frame.file, frame.line))
            step_thread = thread if kind != 'continue' else None
            err = D.act(kind, thread)
            if err:
                # the debugger refused the command (a fact like any other);
                # go on so that one refusal does not repeat until MAX_STOPS
                self.fact('  refused ' + err)
                step_thread = None
                D.act('continue', thread)
            st = D.wait()

    def _resolve_bps(self, bps):
        self._bps_done = True
        for c, bp, cmd in bps:
            locs = self.D.bp_locations(bp)
            self.fact('bp %s -> %s' % (cmd, ' '.join(
                '%s@%s:%d:%d[%s]' % (fn, f, l, col, mod) for fn, f, l, col, mod in locs)
                or 'NO LOCATIONS'))
            got = sorted({'%s:%d' % (f, l) for fn, f, l, col, mod in locs})
            want = ['%s:%d' % (c.file, c.line)]
            self.result(c, got == want, cmd, want, got or 'no locations')
            if c.kind == 'locate':     # resolve only: never stop there
                self.D.bp_delete(bp)

    def _check_dest(self, pending, loc, exitcode):
        c, cmd = pending
        e = c.expect
        if e.startswith('exit'):
            want_code = int(e.split('=')[1]) if '=' in e else None
            ok = loc is None and (want_code is None or want_code == exitcode)
            actual = 'exit=%s' % exitcode if loc is None else '%s:%d' % (loc[0], loc[2])
            self.result(c, ok, cmd, e, actual)
            return
        if loc is None:
            self.result(c, False, cmd, e, 'process exited (status %s)' % exitcode)
            return
        fn, file, line = loc
        if ':' in e and not e.endswith(':'):
            wfn, wl = e.rsplit(':', 1)
            ok = (wfn == short_name(fn) and str(line) == wl)
        else:
            ok = str(line) == e
        self.result(c, ok, cmd, e, '%s:%d (%s)' % (short_name(fn), line, file))

    def _check_at(self, c, thread, frame, vars_, rv):
        D = self.D
        names = [n for n, t, v in vars_]
        where = ' at %s:%d' % (c.file, c.line) + ('' if c.hit is None else ' hit %d' % c.hit)
        if c.kind == 'vars':
            self.result(c, sorted(names) == sorted(c.expect), 'frame variables' + where,
                        ','.join(sorted(c.expect)), ','.join(sorted(names)))
        elif c.kind == 'has':
            missing = [n for n in c.expect if n not in names]
            self.result(c, not missing, 'frame variables' + where, 'has ' + ','.join(c.expect),
                        ','.join(sorted(names)))
        elif c.kind == 'hasnot':
            extra = [n for n in c.expect if n in names]
            self.result(c, not extra, 'frame variables' + where, 'none of ' + ','.join(c.expect),
                        ','.join(sorted(names)))
        elif c.kind == 'value':
            got = D.value(frame, c.arg)
            self.fact('  value %s=%s' % (c.arg, got))
            self.result(c, norm(got) == norm(c.expect), 'print ' + c.arg + where, c.expect, got)
        elif c.kind == 'type':
            got = D.type_of(frame, c.arg)
            self.result(c, norm(got) == norm(c.expect), 'type of ' + c.arg + where,
                        c.expect, got)
        elif c.kind == 'bt':
            got = self.own_frames(thread)
            self.result(c, got == c.expect, 'bt' + where, ','.join(c.expect), ','.join(got))
        elif c.kind == 'func':
            fn = short_name(frame.fn)
            self.result(c, fn == c.expect, 'frame info' + where, c.expect, fn)
        elif c.kind == 'retval':
            got = rv if rv is not None else '<none>'
            self.result(c, norm(got) == norm(c.expect), 'finish (return value)' + where,
                        c.expect, got)
        elif c.kind == 'eval':
            got = D.evaluate(frame, c.arg)
            self.fact('  eval %s=%s' % (c.arg, got))
            self.result(c, norm(got) == norm(c.expect), 'print ' + c.arg + where,
                        c.expect, got)
        elif c.kind == 'threads':
            ts = D.threads()
            desc = ['#%d %s' % (D.thread_id(t), ' | '.join(self.all_frames(t))) for t in ts]
            self.fact('  threads %d: %s' % (len(ts), ' ;; '.join(desc)))
            self.result(c, len(ts) == c.expect, 'thread list' + where, c.expect, len(ts))
        elif c.kind == 'tbt':
            t = [t for t in D.threads() if D.thread_id(t) == c.arg]
            got = self.own_frames(t[0]) if t else ['<no thread %d>' % c.arg]
            self.fact('  tbt(%d) %s' % (c.arg, ','.join(got)))
            self.result(c, got == c.expect, 'thread backtrace %d' % c.arg + where,
                        ','.join(c.expect), ','.join(got))
        else:
            raise AssertionError(c.kind)


def finalize(s):
    """Checks never evaluated are failures: their line was never reached."""
    for c in s.checks:
        if c.counted and c.cid not in s.results:
            s.results[c.cid] = [False, c.kind + ' at %s:%d' % (c.file, c.line)
                                + ('' if c.hit is None else ' hit %d' % c.hit),
                                c.text, 'never evaluated (line not reached at that hit)']
    return {'facts': s.facts, 'results': s.results, 'error': s.error}
