# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""The LLDB side of the debugger suite: session.py's backend on LLDB's SB
API.  One debugger per worker process of the runner's pool (worker_init);
the lldb module is imported there, from `lldb -P`."""

import os
import sys
import time

from session import Frame, Stop, Session, finalize, norm

STOP_TIMEOUT = 30.0      # seconds to wait for any single stop

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


def run_session(job):
    """Pool entry: job = (prog, opt, variant, exe) -> (name, opt, variant, result dict)."""
    prog, opt, variant, exe = job
    s = Session(LLDB(), prog, opt, variant, exe, 'lldb')
    try:
        s.run()
    except Exception as e:  # report, don't kill the pool
        import traceback
        s.error = 'runner exception: %s\n%s' % (e, traceback.format_exc())
    return (prog.name, opt, variant, finalize(s))


class LLDB:
    def __init__(self):
        self.lldb = _lldb
        self.dbg = _dbg
        self.process = None
        self.target = None
        self.novalue = set()

    # -- target and breakpoints ---------------------------------------------------
    def create(self, exe):
        # No dependent modules before launch: LLDB's module cache is per
        # process, and a same-named library of another variant (built earlier
        # in this worker) would be picked up as a pre-launch guess.  The
        # dynamic loader maps the right one at launch.
        err = self.lldb.SBError()
        self.target = self.dbg.CreateTarget(exe, None, None, False, err)
        if not self.target or not self.target.IsValid():
            return 'cannot create target for %s' % exe
        return None

    def bp_line(self, file, line):
        return self.target.BreakpointCreateByLocation(file, line)

    def bp_name(self, name):
        return self.target.BreakpointCreateByName(name)

    def bp_delete(self, bp):
        self.target.BreakpointDelete(bp.GetID())

    def bp_locations(self, bp):
        out = []
        for i in range(bp.GetNumLocations()):
            loc = bp.GetLocationAtIndex(i)
            a = loc.GetAddress()
            le = a.GetLineEntry()
            fn = a.GetFunction().GetName() if a.GetFunction().IsValid() else '?'
            blk = a.GetBlock().GetContainingInlinedBlock()
            if blk and blk.IsValid():
                fn = (blk.GetInlinedName() or fn) + '*'
            mod = a.GetModule().GetFileSpec()
            out.append((fn, le.GetFileSpec().GetFilename(), le.GetLine(), le.GetColumn(),
                        os.path.join(mod.GetDirectory() or '', mod.GetFilename() or '')
                        + ('' if loc.IsResolved() else ',unresolved')))
        return out

    # -- running ------------------------------------------------------------------
    def launch(self, cwd, out, err_path):
        lldb = self.lldb
        # stop once on main: libraries are mapped by then, and the
        # breakpoints' locations are checked there
        self.entry_bp = self.target.BreakpointCreateByName('main')
        self.entry_bp.SetOneShot(True)
        li = lldb.SBLaunchInfo([])
        li.SetWorkingDirectory(cwd)
        li.AddOpenFileAction(1, out, False, True)
        li.AddOpenFileAction(2, err_path, False, True)
        li.AddOpenFileAction(0, '/dev/null', True, False)
        err = lldb.SBError()
        self.process = self.target.Launch(li, err)
        if err.Fail() or not self.process.IsValid():
            return err.GetCString() or 'invalid process'
        return None

    def wait(self):
        lldb = self.lldb
        ev = lldb.SBEvent()
        listener = self.dbg.GetListener()
        deadline = time.time() + STOP_TIMEOUT
        while time.time() < deadline:
            st = None
            if listener.WaitForEvent(1, ev):
                if not lldb.SBProcess.EventIsProcessEvent(ev):
                    continue
                st = lldb.SBProcess.GetStateFromEvent(ev)
                if st == lldb.eStateStopped and lldb.SBProcess.GetRestartedFromEvent(ev):
                    continue
            else:
                st = self.process.GetState()
            if st == lldb.eStateStopped:
                return 'stopped'
            if st in (lldb.eStateExited, lldb.eStateCrashed, lldb.eStateDetached):
                return ('exited', self.process.GetExitStatus())
        return None

    def stop(self, step_thread=None):
        """The thread this stop is about: the stepping thread when a step
        completed, else the lowest-numbered thread with a stop reason."""
        lldb = self.lldb
        none = (lldb.eStopReasonNone, lldb.eStopReasonInvalid)
        threads = self.threads()
        th = None
        if step_thread is not None:
            for t in threads:
                if t.GetIndexID() == step_thread.GetIndexID() and t.GetStopReason() not in none:
                    th = t
                    break
        if th is None:
            for t in threads:
                if t.GetStopReason() not in none:
                    th = t
                    break
        if th is None:
            th = self.process.GetSelectedThread()
        self.process.SetSelectedThread(th)
        reason = th.GetStopReason()
        rdesc = {lldb.eStopReasonBreakpoint: 'breakpoint',
                 lldb.eStopReasonPlanComplete: 'step',
                 lldb.eStopReasonSignal: 'signal',
                 lldb.eStopReasonTrace: 'trace',
                 lldb.eStopReasonException: 'exception'}.get(reason, str(reason))
        entry_only = False
        if reason == lldb.eStopReasonSignal:
            rdesc += ' ' + str(th.GetStopReasonDataAtIndex(0))
        if reason == lldb.eStopReasonBreakpoint:
            ids = [th.GetStopReasonDataAtIndex(i)
                   for i in range(0, th.GetStopReasonDataCount(), 2)]
            # LLDB's internal breakpoints (step plans) have ids from the top
            # of the range, numbered by how many it has made: not a fact
            # about the program
            rdesc += ' ' + ','.join(str(i) if i < 1 << 63 else 'internal' for i in ids)
            entry_only = all(i == self.entry_bp.GetID() for i in ids)
        return Stop(th, rdesc, entry_only)

    def act(self, kind, thread):
        if kind == 'next':
            thread.StepOver()
        elif kind == 'step':
            thread.StepInto()
        elif kind == 'finish':
            thread.StepOut()
        else:
            self.process.Continue()

    def finish_session(self):
        lldb = self.lldb
        if self.process and self.process.IsValid() and \
                self.process.GetState() not in (lldb.eStateExited, lldb.eStateDetached):
            self.process.Kill()
            self.wait()
        self.dbg.DeleteTarget(self.target)
        lldb.SBDebugger.MemoryPressureDetected()   # drop the modules of this target

    # -- threads and frames -----------------------------------------------------------
    def threads(self):
        ts = [self.process.GetThreadAtIndex(i) for i in range(self.process.GetNumThreads())]
        return sorted(ts, key=lambda t: t.GetIndexID())

    def thread_id(self, t):
        return t.GetIndexID()

    def frames(self, thread, n):
        out = []
        for i in range(min(thread.GetNumFrames(), n)):
            f = thread.GetFrameAtIndex(i)
            le = f.GetLineEntry()
            out.append(Frame(f.GetFunctionName() or '?', le.GetFileSpec().GetFilename() or '?',
                             le.GetLine(), le.GetColumn(), f.IsInlined(), f.IsArtificial(), f))
        return out

    def retval(self, thread):
        rv = thread.GetStopReturnValue()
        return self.render(rv) if rv and rv.IsValid() else None

    # -- variables and values -----------------------------------------------------------
    def variables(self, frame, statics, novalue):
        """[(name, type, value-or-None)] in scope, as `frame variable` lists them
        (arguments and locals), or with statics=True the static and global
        variables `frame variable -g` would add."""
        f = frame.handle
        out = []
        vl = f.GetVariables(not statics, not statics, statics, True)
        for i in range(vl.GetSize()):
            v = vl.GetValueAtIndex(i)
            name = v.GetName()
            decl = v.GetDeclaration()
            # A local's value is reproducible only once its declaration ran:
            # before that the debugger shows whatever the stack held (which
            # the plugin's own frame slots legitimately change).
            initialized = not (decl.IsValid() and decl.GetFileSpec().GetFilename() == frame.file
                               and decl.GetLine() >= frame.line
                               and v.GetValueType() == self.lldb.eValueTypeVariableLocal)
            value = self.render(v) if initialized and name not in novalue else None
            out.append((name, v.GetTypeName(), value))
        return out

    def value(self, frame, path):
        return self.render(frame.handle.GetValueForVariablePath(path))

    def type_of(self, frame, path):
        v = frame.handle.GetValueForVariablePath(path)
        return v.GetTypeName() if v.IsValid() else '<invalid>'

    def evaluate(self, frame, expr):
        opts = self.lldb.SBExpressionOptions()
        opts.SetTimeoutInMicroSeconds(5000000)
        opts.SetIgnoreBreakpoints(True)
        opts.SetUnwindOnError(True)
        return self.render(frame.handle.EvaluateExpression(expr, opts))

    def render(self, v, depth=0, nest=0):
        """Raw pointer values are never shown: null, &function, the string of
        a char *, else -> and the value pointed to, two levels deep."""
        lldb = self.lldb
        if not v or not v.IsValid():
            return '<invalid>'
        err = v.GetError()
        if err.Fail():
            return '<error:%s>' % (err.GetCString() or '').split('\n')[0][:40]
        t = v.GetType()
        tc = t.GetCanonicalType().GetTypeClass()
        if tc == lldb.eTypeClassReference:
            return self.render(v.Dereference(), depth, nest)
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
            return '->' + self.render(v.Dereference(), depth + 1, nest)
        if tc == lldb.eTypeClassArray:
            et = t.GetCanonicalType().GetArrayElementType().GetCanonicalType().GetName()
            if et in ('char', 'const char'):
                return v.GetSummary() or '<str?>'
            n = v.GetNumChildren()
            return '[' + ','.join(self.render(v.GetChildAtIndex(i), depth, nest + 1)
                                  for i in range(min(n, 16))) + (',...' if n > 16 else '') + ']'
        if tc in (lldb.eTypeClassStruct, lldb.eTypeClassUnion, lldb.eTypeClassClass):
            if nest >= 4:
                return '{...}'
            parts = []
            for i in range(min(v.GetNumChildren(), 16)):
                c = v.GetChildAtIndex(i)
                parts.append('%s=%s' % (c.GetName(), self.render(c, depth, nest + 1)))
            return '{' + ','.join(parts) + '}'
        val = v.GetValue()
        if val is None:
            return v.GetSummary() or '<none>'
        return val
