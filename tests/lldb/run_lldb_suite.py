#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""LLDB fidelity suite for whence (issue #4): a program built -g with the
whence plugin must behave in LLDB exactly as without it.

For every program in programs/*.c and every optimization level it asks for,
the runner builds three variants:

  A  plain clang, no plugin                      (validates the annotations)
  B  -fpass-plugin=whence-pass.so, defaults       (must equal A, fact for fact)
  C  plugin with WHENCE_SITES=1 (site records on) (differences are reported only)

and runs one scripted LLDB session (SB API, one debugger per worker process)
on each.  The session is driven by CHECK annotations in the C sources (see
docs/LLDB.md).  Every stop records a list of facts (location, variables in
scope with types and values, backtrace, ...); A and B must produce identical
fact lists and every annotated check must hold in A and in B.

Exit status: 0 when every A/B check and every A/B comparison passed, 1 when
something failed, 77 (--skip-code) when LLDB is not usable here.
Run it with Debian's /usr/bin/python3 (liblldb-19's Python module).
"""

import argparse
import concurrent.futures as cf
import multiprocessing as mp
import os
import re
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PROG_DIR = os.path.join(HERE, 'programs')
VARIANTS = ('A', 'B', 'C')
VARIANT_DESC = {'A': 'no plugin', 'B': 'plugin (defaults)', 'C': 'plugin, WHENCE_SITES=1'}
MAX_STOPS = 400          # per session: a runaway session fails instead of hanging
STOP_TIMEOUT = 30.0      # seconds to wait for any single stop

# ----------------------------------------------------------------------------
# Annotations
# ----------------------------------------------------------------------------

CHECK_RE = re.compile(r'\bCHECK(?P<opt>-O[0-3])?(?:@(?P<hit>\d+))?:\s*(?P<body>.*)$')
DIRECTIVE_RE = re.compile(r'\bLLDB-(?P<key>[A-Z]+):\s*(?P<val>.*)$')
ACTIONS = ('next', 'step', 'finish', 'continue')
PATH_RE = re.compile(r'^[A-Za-z_*&(][\w.\[\]\->*&()]*$')


class Check:
    """One annotation item: a check of one fact, possibly with an action."""
    __slots__ = ('file', 'line', 'opt', 'hit', 'kind', 'arg', 'expect', 'text', 'cid')

    def __init__(self, file, line, opt, hit, kind, arg, expect, text):
        self.file, self.line, self.opt, self.hit = file, line, opt, hit
        self.kind, self.arg, self.expect, self.text = kind, arg, expect, text
        self.cid = '%s:%d:%s%s' % (file, line, ('@%d ' % hit) if hit else '', text)

    def applies(self, opt):
        return self.opt is None or self.opt == opt

    @property
    def counted(self):
        # a bare action (no "->LOC") drives the session but checks nothing
        return not (self.kind in ACTIONS and self.expect is None)


def split_items(body):
    """Split on ';' outside (), {}, [] and quotes."""
    items, cur, depth, quote = [], [], 0, None
    for ch in body:
        if quote:
            cur.append(ch)
            if ch == quote:
                quote = None
            continue
        if ch in '"\'':
            quote = ch
        elif ch in '([{':
            depth += 1
        elif ch in ')]}':
            depth -= 1
        elif ch == ';' and depth == 0:
            items.append(''.join(cur).strip())
            cur = []
            continue
        cur.append(ch)
    items.append(''.join(cur).strip())
    return [i for i in items if i]


def parse_item(file, line, opt, hit, text):
    def mk(kind, arg=None, expect=None):
        return Check(file, line, opt, hit, kind, arg, expect, text)
    m = re.match(r'^(next|step|finish|continue)(?:\s*->\s*(.+))?$', text)
    if m:
        return mk(m.group(1), None, m.group(2).strip() if m.group(2) else None)
    if text == 'break':
        return mk('break')
    m = re.match(r'^break=(\S+)$', text)
    if m:
        return mk('bfunc', m.group(1))
    m = re.match(r'^locate=(\S+)$', text)
    if m:
        return mk('locate', m.group(1))
    m = re.match(r'^(vars|has|hasnot)=(.*)$', text)
    if m:
        names = [n.strip() for n in m.group(2).split(',') if n.strip()]
        return mk(m.group(1), None, names)
    m = re.match(r'^bt=(.*)$', text)
    if m:
        return mk('bt', None, [f.strip() for f in m.group(1).split(',') if f.strip()])
    m = re.match(r'^tbt\((\d+)\)=(.*)$', text)
    if m:
        return mk('tbt', int(m.group(1)), [f.strip() for f in m.group(2).split(',') if f.strip()])
    m = re.match(r'^threads=(\d+)$', text)
    if m:
        return mk('threads', None, int(m.group(1)))
    m = re.match(r'^func=(\S+)$', text)
    if m:
        return mk('func', None, m.group(1))
    m = re.match(r'^retval=(.*)$', text)
    if m:
        return mk('retval', None, m.group(1).strip())
    m = re.match(r'^eval\((.*)\)=(.*)$', text)
    if m:
        return mk('eval', m.group(1), m.group(2).strip())
    m = re.match(r'^type\((.*)\)=(.*)$', text)
    if m:
        return mk('type', m.group(1).strip(), m.group(2).strip())
    m = re.match(r'^(.+?)=(.*)$', text)
    if m and PATH_RE.match(m.group(1).strip()):
        return mk('value', m.group(1).strip(), m.group(2).strip())
    raise ValueError('%s:%d: cannot parse check item %r' % (file, line, text))


class Program:
    def __init__(self, path):
        self.path = path
        self.name = os.path.splitext(os.path.basename(path))[0]
        self.opts = ['O0']
        self.libs = []          # extra sources, each built into a shared library
        self.cflags = []
        self.ldflags = []
        self.whence = False     # links libwhence (needed: the program calls it)
        self.setup = []         # LLDB commands run before launch
        self.novalue = set()    # variable names whose values A/B may not compare
        self.exit = None
        self.checks = []        # Check objects (all files)
        self.sources = [path]
        self._parse(path, primary=True)
        for lib in self.libs:
            self._parse(os.path.join(os.path.dirname(path), lib), primary=False)
            self.sources.append(os.path.join(os.path.dirname(path), lib))
        self.basenames = {os.path.basename(s) for s in self.sources}

    def _parse(self, path, primary):
        base = os.path.basename(path)
        with open(path) as f:
            lines = f.read().split('\n')
        last_code = None
        for i, raw in enumerate(lines, 1):
            pos = raw.find('//')
            code = raw if pos < 0 else raw[:pos]
            comment = '' if pos < 0 else raw[pos + 2:]
            if code.strip():
                last_code = i
            if not comment:
                continue
            d = DIRECTIVE_RE.search(comment)
            if d and primary:
                self._directive(d.group('key'), d.group('val').strip(), path, i)
                continue
            # several clauses may share one comment: "CHECK@1: ... CHECK@2: ..."
            clauses = re.split(r'(?=\bCHECK(?:-O[0-3])?(?:@\d+)?:)', comment)
            for clause in clauses:
                m = CHECK_RE.search(clause)
                if not m:
                    continue
                anchor = i if code.strip() else last_code
                if anchor is None:
                    raise ValueError('%s:%d: CHECK before any code line' % (path, i))
                opt = m.group('opt')[1:] if m.group('opt') else None
                hit = int(m.group('hit')) if m.group('hit') else None
                for item in split_items(m.group('body')):
                    self.checks.append(parse_item(base, anchor, opt, hit, item))

    def _directive(self, key, val, path, line):
        if key == 'OPT':
            self.opts = val.split()
        elif key == 'LIB':
            self.libs.append(val)
        elif key == 'CFLAGS':
            self.cflags += val.split()
        elif key == 'LDFLAGS':
            self.ldflags += val.split()
        elif key == 'WHENCE':
            self.whence = True
        elif key == 'SETUP':
            self.setup.append(val)
        elif key == 'NOVALUE':
            self.novalue |= {v.strip() for v in val.split(',') if v.strip()}
        elif key == 'EXIT':
            self.exit = int(val)
        else:
            raise ValueError('%s:%d: unknown directive LLDB-%s' % (path, line, key))


# ----------------------------------------------------------------------------
# Building
# ----------------------------------------------------------------------------

def build_one(args, prog, opt, variant):
    """Build prog for (opt, variant); return (outdir, error or None)."""
    out = os.path.join(args.workdir, prog.name, opt, variant)
    os.makedirs(out, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith('WHENCE_')}
    flags = ['-g', '-' + opt] + prog.cflags
    if variant in ('B', 'C'):
        flags.append('-fpass-plugin=' + args.plugin)
    if variant == 'C':
        env['WHENCE_SITES'] = '1'
    link = []
    if prog.whence or args.link_runtime:
        link += ['-I', args.incdir, '-L', args.libdir, '-lwhence', '-Wl,-rpath,' + args.libdir]
    if prog.whence:
        flags += ['-I', args.incdir]
    cmds = []
    for lib in prog.libs:
        src = os.path.join(PROG_DIR, lib)
        so = 'lib' + os.path.splitext(os.path.basename(lib))[0] + '.so'
        cmds.append([args.clang] + flags + ['-fPIC', '-shared', src, '-o', os.path.join(out, so)]
                    + link)
        link = ['-L', out, '-l' + so[3:-3], '-Wl,-rpath,' + out] + link
    cmds.append([args.clang] + flags + [prog.path, '-o', os.path.join(out, prog.name)]
                + link + prog.ldflags)
    for cmd in cmds:
        r = subprocess.run(cmd, env=env, cwd=out, capture_output=True, text=True)
        with open(os.path.join(out, 'build.log'), 'a') as log:
            log.write(' '.join(cmd) + '\n' + r.stdout + r.stderr)
        if r.returncode != 0:
            return out, 'build failed: %s\n%s' % (' '.join(cmd), r.stderr[-3000:])
    return out, None


# ----------------------------------------------------------------------------
# The LLDB session (runs in a worker process; lldb is imported there)
# ----------------------------------------------------------------------------

_lldb = None
_dbg = None


def worker_init(lldb_python):
    global _lldb, _dbg
    if lldb_python and lldb_python not in sys.path:
        sys.path.insert(0, lldb_python)
    import lldb
    _lldb = lldb
    lldb.SBDebugger.Initialize()
    _dbg = lldb.SBDebugger.Create(False)
    _dbg.SetAsync(True)
    ci = _dbg.GetCommandInterpreter()
    res = lldb.SBCommandReturnObject()
    # ASLR off is LLDB's default; be explicit: values must be reproducible.
    ci.HandleCommand('settings set target.disable-aslr true', res)
    ci.HandleCommand('settings set target.inherit-env false', res)


def norm(s):
    return re.sub(r'\s+', '', s or '')


class Session:
    def __init__(self, prog, opt, variant, exe):
        self.prog, self.opt, self.variant, self.exe = prog, opt, variant, exe
        self.facts = []
        self.results = {}       # cid -> [ok, command, expected, actual]
        self.error = None
        self.lldb = _lldb
        self.dbg = _dbg
        self.checks = [c for c in prog.checks if c.applies(opt)]
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

    # -- rendering ----------------------------------------------------------
    def render(self, v, depth=0):
        lldb = self.lldb
        if not v or not v.IsValid():
            return '<invalid>'
        err = v.GetError()
        if err.Fail():
            return '<error:%s>' % (err.GetCString() or '').split('\n')[0][:40]
        t = v.GetType()
        tc = t.GetCanonicalType().GetTypeClass()
        if tc == lldb.eTypeClassPointer:
            addr = v.GetValueAsUnsigned()
            if addr == 0:
                return 'null'
            pt = t.GetCanonicalType().GetPointeeType()
            if pt.GetTypeClass() == lldb.eTypeClassFunction:
                a = self.target.ResolveLoadAddress(addr)
                sym = a.GetSymbol()
                return '&' + (sym.GetName() if sym and sym.IsValid() else '?')
            if pt.GetCanonicalType().GetName() in ('char', 'const char', 'unsigned char',
                                                   'signed char'):
                return v.GetSummary() or '<str?>'
            if pt.GetCanonicalType().GetName() == 'void' or depth >= 2:
                return 'ptr'
            d = v.Dereference()
            return '->' + self.render(d, depth + 1)
        if tc == lldb.eTypeClassArray:
            et = t.GetCanonicalType().GetArrayElementType().GetCanonicalType().GetName()
            if et in ('char', 'const char'):
                return v.GetSummary() or '<str?>'
            n = v.GetNumChildren()
            return '[' + ','.join(self.render(v.GetChildAtIndex(i), depth)
                                  for i in range(min(n, 16))) + (',...' if n > 16 else '') + ']'
        if tc in (lldb.eTypeClassStruct, lldb.eTypeClassUnion, lldb.eTypeClassClass):
            parts = []
            for i in range(v.GetNumChildren()):
                c = v.GetChildAtIndex(i)
                parts.append('%s=%s' % (c.GetName(), self.render(c, depth)))
            return '{' + ','.join(parts) + '}'
        val = v.GetValue()
        if val is None:
            return v.GetSummary() or '<none>'
        return val

    def location(self, frame):
        le = frame.GetLineEntry()
        fs = le.GetFileSpec()
        return (frame.GetFunctionName() or '?', fs.GetFilename() or '?', le.GetLine(),
                le.GetColumn())

    def own_frames(self, thread):
        out = []
        for i in range(min(thread.GetNumFrames(), 64)):
            f = thread.GetFrameAtIndex(i)
            fn, file, line, col = self.location(f)
            if file in self.prog.basenames:
                out.append('%s%s%s:%d' % (fn, '*' if f.IsInlined() else '',
                                          '^' if f.IsArtificial() else '', line))
        return out

    def all_frames(self, thread):
        out = []
        for i in range(min(thread.GetNumFrames(), 40)):
            f = thread.GetFrameAtIndex(i)
            fn, file, line, col = self.location(f)
            # '*': inlined frame; '^': artificial frame (LLDB's reconstruction
            # of a frame that a tail call removed, from DW_TAG_call_site)
            mark = ('*' if f.IsInlined() else '') + ('^' if f.IsArtificial() else '')
            if file in self.prog.basenames:
                out.append('%s%s@%s:%d:%d' % (fn, mark, file, line, col))
            else:
                out.append(fn + mark)
            if fn == 'main':
                break
        return out

    def variables(self, frame, statics=False):
        """[(name, type, value-or-None)] in scope, as `frame variable` lists them
        (arguments and locals), or with statics=True the static and global
        variables `frame variable -g` would add."""
        fn, file, line, col = self.location(frame)
        out = []
        vl = frame.GetVariables(not statics, not statics, statics, True)
        for i in range(vl.GetSize()):
            v = vl.GetValueAtIndex(i)
            name = v.GetName()
            decl = v.GetDeclaration()
            # A local's value is reproducible only once its declaration ran:
            # before that LLDB shows whatever the stack held (which the
            # plugin's own frame slots legitimately change).
            initialized = True
            if decl.IsValid() and decl.GetFileSpec().GetFilename() == file \
                    and decl.GetLine() >= line and v.GetValueType() == self.lldb.eValueTypeVariableLocal:
                initialized = False
            value = self.render(v) if initialized and name not in self.prog.novalue else None
            out.append((name, v.GetTypeName(), value))
        return out

    # -- driving ------------------------------------------------------------
    def wait(self):
        lldb = self.lldb
        ev = lldb.SBEvent()
        listener = self.dbg.GetListener()
        deadline = time.time() + STOP_TIMEOUT
        while time.time() < deadline:
            if listener.WaitForEvent(1, ev):
                if not lldb.SBProcess.EventIsProcessEvent(ev):
                    continue
                st = lldb.SBProcess.GetStateFromEvent(ev)
                if st == lldb.eStateStopped and lldb.SBProcess.GetRestartedFromEvent(ev):
                    continue
                if st in (lldb.eStateStopped, lldb.eStateExited, lldb.eStateCrashed,
                          lldb.eStateDetached):
                    return st
            else:
                st = self.process.GetState()
                if st in (lldb.eStateExited, lldb.eStateCrashed, lldb.eStateDetached):
                    return st
        return None

    def run(self):
        lldb = self.lldb
        ci = self.dbg.GetCommandInterpreter()
        # No dependent modules before launch: LLDB's module cache is per
        # process, and a same-named library of another variant (built earlier
        # in this worker) would be picked up as a pre-launch guess.  The
        # dynamic loader maps the right one at launch.
        err = lldb.SBError()
        self.target = self.dbg.CreateTarget(self.exe, None, None, False, err)
        if not self.target or not self.target.IsValid():
            self.error = 'cannot create target for %s' % self.exe
            return
        try:
            self._run(ci)
        finally:
            if getattr(self, 'process', None) and self.process.IsValid() and \
                    self.process.GetState() not in (lldb.eStateExited, lldb.eStateDetached):
                self.process.Kill()
                self.wait()
            self.dbg.DeleteTarget(self.target)
            lldb.SBDebugger.MemoryPressureDetected()   # drop the modules of this target

    def _run(self, ci):
        lldb = self.lldb
        res = lldb.SBCommandReturnObject()
        # breakpoints first, in source order
        # Breakpoints are set before launch; their locations are checked at
        # the first stop, once shared libraries are loaded.
        bps = []
        for c in self.checks:
            if c.kind == 'break':
                bp = self.target.BreakpointCreateByLocation(c.file, c.line)
                bps.append((c, bp, 'breakpoint set -f %s -l %d' % (c.file, c.line)))
            elif c.kind in ('bfunc', 'locate'):
                bp = self.target.BreakpointCreateByName(c.arg)
                bps.append((c, bp, 'breakpoint set -n %s' % c.arg))
        # stop once at the first instruction (libraries are mapped by then
        # only if the dynamic loader ran: use a breakpoint on main instead)
        entry_bp = self.target.BreakpointCreateByName('main')
        entry_bp.SetOneShot(True)
        out = os.path.join(os.path.dirname(self.exe), 'stdout.txt')
        li = lldb.SBLaunchInfo([])
        li.SetWorkingDirectory(os.path.dirname(self.exe))
        li.AddOpenFileAction(1, out, False, True)
        li.AddOpenFileAction(2, out + '.err', False, True)
        li.AddOpenFileAction(0, '/dev/null', True, False)
        err = lldb.SBError()
        self.process = self.target.Launch(li, err)
        if err.Fail() or not self.process.IsValid():
            self.error = 'launch failed: %s' % err.GetCString()
            return
        for cmd in self.prog.setup:
            ci.HandleCommand(cmd, res)
        st = self.wait()
        # the internal stop at main: resolve and check every breakpoint there
        if st == lldb.eStateStopped:
            th = self.process.GetSelectedThread()
            if th.GetStopReason() == lldb.eStopReasonBreakpoint and \
                    th.GetStopReasonDataAtIndex(0) == entry_bp.GetID():
                user_hit = any(th.GetStopReasonDataAtIndex(i) != entry_bp.GetID()
                               for i in range(0, th.GetStopReasonDataCount(), 2))
                self._resolve_bps(bps)
                if not user_hit:
                    self.process.Continue()
                    st = self.wait()
        if bps and not getattr(self, '_bps_done', False):
            self._resolve_bps(bps)
        hits = {}
        self.step_tid = None
        pending = None     # (check, command) whose ->LOC the next stop must match
        nstops = 0
        while True:
            if st is None:
                self.fact('TIMEOUT')
                if pending:
                    self.result(pending[0], False, pending[1], pending[0].expect, 'timeout')
                self.error = 'timeout waiting for a stop'
                return
            if st != lldb.eStateStopped:
                code = self.process.GetExitStatus()
                self.fact('exit %s status=%d' % (lldb.SBDebugger.StateAsCString(st), code))
                if pending:
                    self._check_dest(pending, None, code)
                if self.prog.exit is not None and code != self.prog.exit:
                    self.error = 'exit status %d, expected %d' % (code, self.prog.exit)
                return
            nstops += 1
            if nstops > MAX_STOPS:
                self.error = 'more than %d stops' % MAX_STOPS
                self.fact('TOO MANY STOPS')
                return
            thread = self.pick_thread(pending)
            frame = thread.GetFrameAtIndex(0)
            fn, file, line, col = self.location(frame)
            reason = thread.GetStopReason()
            rdesc = {lldb.eStopReasonBreakpoint: 'breakpoint',
                     lldb.eStopReasonPlanComplete: 'step',
                     lldb.eStopReasonSignal: 'signal',
                     lldb.eStopReasonTrace: 'trace',
                     lldb.eStopReasonException: 'exception'}.get(reason, str(reason))
            if reason == lldb.eStopReasonSignal:
                rdesc += ' ' + str(thread.GetStopReasonDataAtIndex(0))
            if reason == lldb.eStopReasonBreakpoint:
                rdesc += ' ' + ','.join(str(thread.GetStopReasonDataAtIndex(i))
                                        for i in range(0, thread.GetStopReasonDataCount(), 2))
            key = (file, line)
            hits[key] = hits.get(key, 0) + 1
            hit = hits[key]
            tag = 'stop %d [%s] %s%s@%s:%d:%d hit %d' % (
                nstops, rdesc, fn, '*' if frame.IsInlined() else '', file, line, col, hit)
            self.fact(tag)
            self.fact('  thread #%d' % thread.GetIndexID())
            rv = thread.GetStopReturnValue()
            if rv and rv.IsValid():
                self.fact('  retval ' + ('<not compared>' if 'retval' in self.prog.novalue
                                         else self.render(rv)))
            vars_ = self.variables(frame)
            self.fact('  vars ' + ' '.join('%s:%s%s' % (n, norm(t), '' if v is None else '=' + v)
                                          for n, t, v in vars_))
            # globals are compared as a set: LLDB lists them in an order that
            # follows the data layout, not the source
            self.fact('  statics ' + ' '.join(sorted('%s:%s=%s' % (n, norm(t), v)
                                                    for n, t, v in self.variables(frame, True))))
            self.fact('  bt ' + ' | '.join(self.all_frames(thread)))
            if pending:
                self._check_dest(pending, (fn, file, line), None)
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
            cmd = {'next': 'thread step-over', 'step': 'thread step-in',
                   'finish': 'thread step-out', 'continue': 'process continue'}[kind]
            if action is not None and action.expect is not None:
                pending = (action, cmd + '   (from %s:%d)' % (file, line))
            self.step_tid = thread.GetIndexID() if kind != 'continue' else None
            if kind == 'next':
                thread.StepOver()
            elif kind == 'step':
                thread.StepInto()
            elif kind == 'finish':
                thread.StepOut()
            else:
                self.process.Continue()
            st = self.wait()

    def pick_thread(self, pending):
        """The thread this stop is about: the stepping thread when a step
        completed, else the lowest-numbered thread with a stop reason."""
        lldb = self.lldb
        none = (lldb.eStopReasonNone, lldb.eStopReasonInvalid)
        threads = [self.process.GetThreadAtIndex(i) for i in range(self.process.GetNumThreads())]
        threads.sort(key=lambda t: t.GetIndexID())
        if pending is not None or getattr(self, 'step_tid', None):
            for t in threads:
                if t.GetIndexID() == self.step_tid and t.GetStopReason() not in none:
                    self.process.SetSelectedThread(t)
                    return t
        for t in threads:
            if t.GetStopReason() not in none:
                self.process.SetSelectedThread(t)
                return t
        return self.process.GetSelectedThread()

    def _resolve_bps(self, bps):
        self._bps_done = True
        for c, bp, cmd in bps:
            self._check_bp(c, bp, cmd)
            if c.kind == 'locate':     # resolve only: never stop there
                self.target.BreakpointDelete(bp.GetID())

    def _check_bp(self, c, bp, cmd):
        locs = []
        for i in range(bp.GetNumLocations()):
            loc = bp.GetLocationAtIndex(i)
            a = loc.GetAddress()
            le = a.GetLineEntry()
            fn = a.GetFunction().GetName() if a.GetFunction().IsValid() else '?'
            blk = a.GetBlock().GetContainingInlinedBlock()
            if blk and blk.IsValid():
                fn = (blk.GetInlinedName() or fn) + '*'
            mod = a.GetModule().GetFileSpec()
            locs.append('%s@%s:%d:%d[%s%s]' % (fn, le.GetFileSpec().GetFilename(), le.GetLine(),
                                               le.GetColumn(),
                                               os.path.join(mod.GetDirectory() or '', mod.GetFilename() or ''),
                                               '' if loc.IsResolved() else ',unresolved'))
        self.fact('bp %s -> %s' % (cmd, ' '.join(locs) or 'NO LOCATIONS'))
        got = sorted({l.split('@')[1].split('[')[0].rsplit(':', 1)[0] for l in locs})
        want = ['%s:%d' % (c.file, c.line)]
        self.result(c, got == want, cmd, want, got or 'no locations')

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
        if ':' in e:
            wfn, wl = e.rsplit(':', 1)
            ok = (wfn == fn and str(line) == wl)
        else:
            ok = str(line) == e
        self.result(c, ok, cmd, e, '%s:%d (%s)' % (fn, line, file))

    def _check_at(self, c, thread, frame, vars_, rv):
        lldb = self.lldb
        names = [n for n, t, v in vars_]
        where = ' at %s:%d' % (c.file, c.line) + ('' if c.hit is None else ' hit %d' % c.hit)
        if c.kind == 'vars':
            self.result(c, sorted(names) == sorted(c.expect), 'frame variable' + where,
                        ','.join(sorted(c.expect)), ','.join(sorted(names)))
        elif c.kind == 'has':
            missing = [n for n in c.expect if n not in names]
            self.result(c, not missing, 'frame variable' + where, 'has ' + ','.join(c.expect),
                        ','.join(sorted(names)))
        elif c.kind == 'hasnot':
            extra = [n for n in c.expect if n in names]
            self.result(c, not extra, 'frame variable' + where, 'none of ' + ','.join(c.expect),
                        ','.join(sorted(names)))
        elif c.kind == 'value':
            v = frame.GetValueForVariablePath(c.arg)
            got = self.render(v)
            self.fact('  value %s=%s' % (c.arg, got))
            self.result(c, norm(got) == norm(c.expect), 'frame variable ' + c.arg + where,
                        c.expect, got)
        elif c.kind == 'type':
            v = frame.GetValueForVariablePath(c.arg)
            got = v.GetTypeName() if v.IsValid() else '<invalid>'
            self.result(c, norm(got) == norm(c.expect), 'frame variable -T ' + c.arg + where,
                        c.expect, got)
        elif c.kind == 'bt':
            got = self.own_frames(thread)
            self.result(c, got == c.expect, 'bt' + where, ','.join(c.expect), ','.join(got))
        elif c.kind == 'func':
            fn = frame.GetFunctionName()
            self.result(c, fn == c.expect, 'frame info' + where, c.expect, fn)
        elif c.kind == 'retval':
            got = self.render(rv) if rv and rv.IsValid() else '<none>'
            self.result(c, norm(got) == norm(c.expect), 'thread step-out (return value)' + where,
                        c.expect, got)
        elif c.kind == 'eval':
            opts = lldb.SBExpressionOptions()
            opts.SetTimeoutInMicroSeconds(5000000)
            opts.SetIgnoreBreakpoints(True)
            opts.SetUnwindOnError(True)
            v = frame.EvaluateExpression(c.arg, opts)
            got = self.render(v)
            self.fact('  eval %s=%s' % (c.arg, got))
            self.result(c, norm(got) == norm(c.expect), 'expression ' + c.arg + where,
                        c.expect, got)
        elif c.kind == 'threads':
            n = self.process.GetNumThreads()
            desc = []
            for i in range(n):
                t = self.process.GetThreadAtIndex(i)
                desc.append('#%d %s' % (t.GetIndexID(), ' | '.join(self.all_frames(t))))
            self.fact('  threads %d: %s' % (n, ' ;; '.join(desc)))
            self.result(c, n == c.expect, 'thread list' + where, c.expect, n)
        elif c.kind == 'tbt':
            t = self.process.GetThreadByIndexID(c.arg)
            got = self.own_frames(t) if t and t.IsValid() else ['<no thread %d>' % c.arg]
            self.fact('  tbt(%d) %s' % (c.arg, ','.join(got)))
            self.result(c, got == c.expect, 'thread backtrace %d' % c.arg + where,
                        ','.join(c.expect), ','.join(got))
        else:
            raise AssertionError(c.kind)


def run_session(job):
    prog, opt, variant, exe = job
    s = Session(prog, opt, variant, exe)
    try:
        s.run()
    except Exception as e:  # report, don't kill the pool
        import traceback
        s.error = 'runner exception: %s\n%s' % (e, traceback.format_exc())
    # checks never evaluated are failures: their line was never reached
    for c in s.checks:
        if c.counted and c.cid not in s.results:
            s.results[c.cid] = [False, c.kind + ' at %s:%d' % (c.file, c.line)
                                + ('' if c.hit is None else ' hit %d' % c.hit),
                                c.text, 'never evaluated (line not reached at that hit)']
    return (prog.name, opt, variant, s.facts, s.results, s.error)


# ----------------------------------------------------------------------------
# Main
# ----------------------------------------------------------------------------

def first_diff(fa, fb):
    n = 0
    first = None
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


def find_lldb_python(lldb_bin):
    try:
        r = subprocess.run([lldb_bin, '-P'], capture_output=True, text=True, timeout=30)
        return r.stdout.strip() or None
    except Exception:
        return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--plugin', help='whence-pass.so (without it only A runs)')
    ap.add_argument('--libdir', help='directory of libwhence.so')
    ap.add_argument('--incdir', help='whence headers (runtime/include)')
    ap.add_argument('--clang', default='/usr/lib/llvm-19/bin/clang')
    ap.add_argument('--lldb', default='/usr/lib/llvm-19/bin/lldb')
    ap.add_argument('--lldb-python', help='directory with the lldb Python module '
                    '(default: `lldb -P`)')
    ap.add_argument('--workdir', default=os.path.join(HERE, 'work'))
    ap.add_argument('--jobs', '-j', type=int, default=os.cpu_count() or 2)
    ap.add_argument('--only', help='comma-separated program names')
    ap.add_argument('--opts', default='O0,O1', help='optimization levels to run')
    ap.add_argument('--variants', default='A,B,C')
    ap.add_argument('--link-runtime', action='store_true',
                    help='link libwhence into every variant (not only programs that call it)')
    ap.add_argument('--skip-code', type=int, default=77)
    ap.add_argument('--facts', action='store_true', help='print every fact list')
    ap.add_argument('-v', '--verbose', action='store_true')
    args = ap.parse_args()

    t0 = time.time()
    for k in ('plugin', 'libdir', 'incdir', 'clang', 'workdir'):
        if getattr(args, k):
            setattr(args, k, os.path.abspath(getattr(args, k)))
    if not os.environ.get('LLDB_DEBUGSERVER_PATH'):
        for cand in ('/usr/lib/llvm-19/bin/lldb-server',):
            if os.path.exists(cand):
                os.environ['LLDB_DEBUGSERVER_PATH'] = cand
    args.lldb_python = args.lldb_python or find_lldb_python(args.lldb)
    # Is LLDB usable at all?  (import in a child: a broken liblldb must not kill us)
    probe = subprocess.run([sys.executable, '-c', 'import sys; sys.path.insert(0, sys.argv[1]); '
                            'import lldb; lldb.SBDebugger.Initialize()', args.lldb_python or ''],
                           capture_output=True, text=True)
    if probe.returncode != 0:
        print('SKIP: lldb Python module not usable (%s): %s' % (args.lldb_python,
                                                               probe.stderr.strip()[-500:]))
        return args.skip_code

    variants = [v for v in args.variants.split(',') if v]
    if args.plugin and not os.path.exists(args.plugin):
        print('error: plugin %s does not exist' % args.plugin)
        return 1
    if not args.plugin:
        print('warning: no --plugin: running variant A only (annotation validation)')
        variants = ['A']
    opts = args.opts.split(',')
    progs = []
    for f in sorted(os.listdir(PROG_DIR)):
        if f.endswith('.c'):
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

    jobs = []
    skipped = []
    for p in progs:
        if p.whence and not have_rt:
            skipped.append('%s (needs libwhence.so; none in --libdir)' % p.name)
            continue
        for o in p.opts:
            if o not in opts:
                continue
            for v in variants:
                jobs.append((p, o, v))

    # -- build (parallel) --
    built = {}
    with cf.ThreadPoolExecutor(max_workers=max(2, args.jobs * 2)) as ex:
        futs = {ex.submit(build_one, args, p, o, v): (p, o, v) for p, o, v in jobs}
        for fu in cf.as_completed(futs):
            built[futs[fu]] = fu.result()
    t_build = time.time() - t0

    # -- sessions (parallel, one debugger per worker) --
    sess_jobs = []
    results = {}
    for (p, o, v), (out, err) in built.items():
        if err:
            results[(p.name, o, v)] = ([], {}, err)
        else:
            sess_jobs.append((p, o, v, os.path.join(out, p.name)))
    # longest first: programs with many checks tend to have long sessions
    sess_jobs.sort(key=lambda j: -len(j[0].checks))
    ctx = mp.get_context('spawn')
    with ctx.Pool(processes=max(1, args.jobs), initializer=worker_init,
                  initargs=(args.lldb_python,)) as pool:
        for name, o, v, facts, res, err in pool.imap_unordered(run_session, sess_jobs):
            results[(name, o, v)] = (facts, res, err)
    t_sess = time.time() - t0 - t_build

    # -- report --
    passed = failed = 0
    c_summary = []
    fails = []
    for p in progs:
        for o in p.opts:
            if o not in opts or (p.name, o, 'A') not in results:
                continue
            for v in ('A', 'B'):
                if v not in variants:
                    continue
                facts, res, err = results[(p.name, o, v)]
                if err:
                    failed += 1
                    fails.append('FAIL %s -%s %s [%s]: %s' % (p.name, o, v, VARIANT_DESC[v], err))
                for cid, (ok, cmd, exp, act) in sorted(res.items()):
                    if ok:
                        passed += 1
                    else:
                        failed += 1
                        fails.append('FAIL %s -%s %s [%s]\n    check:    %s\n    command:  %s\n'
                                      '    expected: %s\n    actual:   %s'
                                      % (p.name, o, v, VARIANT_DESC[v], cid, cmd, exp, act))
            fa = results[(p.name, o, 'A')][0]
            if 'B' in variants:
                fb = results[(p.name, o, 'B')][0]
                n, i = first_diff(fa, fb)
                if n == 0 and fa:
                    passed += 1
                else:
                    failed += 1
                    a = fa[i] if i is not None and i < len(fa) else '<missing>'
                    b = fb[i] if i is not None and i < len(fb) else '<missing>'
                    fails.append('FAIL %s -%s A/B fidelity: %d of %d facts differ; first in %r\n'
                                 '    A: %s\n    B: %s' % (p.name, o, n, len(fa),
                                                          context_of(fa, i or 0), a, b))
            if 'C' in variants:
                fc, rc, ec = results[(p.name, o, 'C')]
                n, i = first_diff(fa, fc)
                bad = sorted(cid for cid, r in rc.items() if not r[0])
                if n or bad or ec:
                    lines = ['%s -%s: %d of %d facts differ, %d checks fail%s'
                             % (p.name, o, n, len(fa), len(bad), (', error: ' + ec) if ec else '')]
                    for cid in bad:
                        lines.append('      check %s: got %s' % (cid, rc[cid][3]))
                    shown = 0
                    for k in range(max(len(fa), len(fc))):
                        a = fa[k] if k < len(fa) else '<missing>'
                        b = fc[k] if k < len(fc) else '<missing>'
                        if a != b and shown < (40 if args.verbose else 4):
                            lines.append('      in %s\n        A: %s\n        C: %s'
                                         % (context_of(fa, k), a, b))
                            shown += 1
                    c_summary.append('\n'.join(lines))
                else:
                    c_summary.append('%s -%s: identical (%d facts, %d checks pass)'
                                     % (p.name, o, len(fa), len(rc)))
            if args.facts:
                for v in variants:
                    print('---- facts %s -%s %s' % (p.name, o, v))
                    print('\n'.join(results[(p.name, o, v)][0]))

    for f in fails:
        print(f)
    if skipped:
        print('skipped programs: ' + '; '.join(skipped))
    if c_summary:
        print('\n== variant C (WHENCE_SITES=1) vs A: differences are evidence, not failures ==')
        for s in c_summary:
            print('  ' + s)
    nchecks = sum(len([c for c in p.checks if c.counted and c.applies(o)])
                  for p in progs for o in p.opts if o in opts)
    print('\n%d programs, %d sessions, %d annotated checks per variant, build %.1fs, '
          'sessions %.1fs, total %.1fs' % (len(progs), len(sess_jobs), nchecks, t_build,
                                           t_sess, time.time() - t0))
    print('%d passed, %d failed' % (passed, failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
