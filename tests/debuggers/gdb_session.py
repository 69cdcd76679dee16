# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""The gdb side of the debugger suite: session.py's backend on gdb's own
Python API.  The runner starts one batch gdb per session:

    gdb -nx -batch -x gdb_session.py     (DBG_JOB=job.json in the environment)

job.json names the program source, the optimization level, the variant, the
executable and the file the result is written to (facts, check results,
error) as JSON.  gdb's commands run synchronously in batch mode; what each
stop was (breakpoint, signal, end of a step) and how the program exited
come from gdb.events."""

import json
import os
import re
import sys

import gdb

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from annotations import Program           # noqa: E402
from session import Frame, Stop, Session, finalize   # noqa: E402

CHAR_TYPES = ('char', 'signed char', 'unsigned char')


def lldb_escapes(s):
    """gdb writes non-printable characters in octal ('\\310'), LLDB in hex
    ('\\xc8'): the checks are written as LLDB prints."""
    def one(m):
        n = int(m.group(1), 8)
        return '\\0' if n == 0 else '\\x%02x' % n
    return re.sub(r'\\([0-7]{1,3})', one, s)


def type_name(t):
    """A type as LLDB names it: C's struct/union/enum keywords dropped."""
    return re.sub(r'\b(struct|union|enum|class)\s+', '', str(t))


class GDB:
    def __init__(self):
        self.state = None         # 'stopped' | ('exited', status) after each command
        self.reason = None
        self.bp_ids = []
        self.entry_bp = None
        self.history = 0
        self.exe = None
        for cmd in ('set pagination off', 'set confirm off', 'set breakpoint pending on',
                    'set disable-randomization on', 'set print thread-events off',
                    'set debuginfod enabled off', 'set width 0', 'set height 0',
                    'set print inferior-events off', 'set print null-stop on'):
            try:
                gdb.execute(cmd, to_string=True)
            except gdb.error:
                pass
        gdb.events.stop.connect(self._on_stop)
        gdb.events.exited.connect(self._on_exit)

    def _on_stop(self, ev):
        self.state = 'stopped'
        if isinstance(ev, gdb.BreakpointEvent):
            self.bp_ids = [b.number for b in ev.breakpoints]
            self.reason = 'breakpoint ' + ','.join(str(i) for i in self.bp_ids)
        elif isinstance(ev, gdb.SignalEvent):
            self.bp_ids = []
            self.reason = 'signal ' + ev.stop_signal
        else:
            self.bp_ids = []
            self.reason = 'step'

    def _on_exit(self, ev):
        self.state = ('exited', ev.exit_code if hasattr(ev, 'exit_code') else None)

    # -- target and breakpoints ---------------------------------------------------
    def create(self, exe):
        self.exe = exe
        try:
            gdb.execute('file ' + exe, to_string=True)
        except gdb.error as e:
            return 'cannot load %s: %s' % (exe, e)
        return None

    def bp_line(self, file, line):
        return gdb.Breakpoint('%s:%d' % (file, line))

    def bp_name(self, name):
        return gdb.Breakpoint(name)

    def bp_delete(self, bp):
        bp.delete()

    def bp_locations(self, bp):
        out = []
        for loc in bp.locations:
            file, line = loc.source if loc.source else ('?', 0)
            mod = gdb.solib_name(loc.address) or self.exe
            out.append((self._function_at(loc.address) or loc.function or '?',
                        os.path.basename(file), line, 0,
                        mod + ('' if loc.enabled else ',disabled')))
        return out

    def _function_at(self, pc):
        """The (demangled) function at pc, '*'-marked when pc is in an inlined
        copy: the innermost block with a function, and whether another
        function's block encloses it."""
        try:
            b = gdb.block_for_pc(pc)
        except RuntimeError:
            return None
        funcs = []
        while b is not None and not b.is_global and not b.is_static:
            if b.function is not None:
                funcs.append(b.function.print_name)
            b = b.superblock
        if not funcs:
            return None
        return funcs[0] + ('*' if len(funcs) > 1 else '')

    # -- running ------------------------------------------------------------------
    def launch(self, cwd, out, err):
        # stop once on main: libraries are mapped by then, and the
        # breakpoints' locations are checked there
        self.entry_bp = gdb.Breakpoint('main', internal=True)
        self.entry_id = self.entry_bp.number
        try:
            # the same process environment as the LLDB sessions: none inherited
            gdb.execute('unset environment', to_string=True)
            gdb.execute('cd ' + cwd, to_string=True)
            gdb.execute('run > %s 2> %s < /dev/null' % (out, err))
        except gdb.error as e:
            if self.state is None:
                return str(e)
        return None

    def wait(self):
        st = self.state
        if st == 'stopped' and not gdb.selected_inferior().threads():
            return ('exited', None)
        return st

    def stop(self, step_thread=None):
        # gdb selects the thread that reported the stop (all-stop mode)
        th = gdb.selected_thread()
        entry_only = bool(self.bp_ids) and all(i == self.entry_id for i in self.bp_ids)
        if self.entry_bp is not None and self.entry_id in self.bp_ids:
            self.entry_bp.delete()
            self.entry_bp = None
        return Stop(th, self.reason or '?', entry_only)

    def act(self, kind, thread):
        self.history = gdb.history_count()
        self.state = None
        self.reason = None
        try:
            gdb.execute(kind, to_string=True)
        except gdb.error as e:
            if self.state is None:
                return '%s: %s' % (kind, str(e).split('\n')[0])
        return None

    def finish_session(self):
        try:
            if gdb.selected_inferior().pid:
                gdb.execute('kill', to_string=True)
        except gdb.error:
            pass

    # -- threads and frames -----------------------------------------------------------
    def threads(self):
        return sorted(gdb.selected_inferior().threads(), key=lambda t: t.num)

    def thread_id(self, t):
        return t.num

    def frames(self, thread, n):
        cur = gdb.selected_thread()
        if thread is not None and thread != cur:
            thread.switch()
        out = []
        try:
            f = gdb.newest_frame()
            while f is not None and len(out) < n:
                sal = f.find_sal()
                file = os.path.basename(sal.symtab.filename) if sal.symtab else '?'
                out.append(Frame(f.name() or '??', file, sal.line, 0,
                                 f.type() == gdb.INLINE_FRAME, f.type() == gdb.TAILCALL_FRAME,
                                 f if thread == cur or thread is None else None))
                f = f.older()
        except gdb.error:
            pass
        finally:
            if cur is not None and cur != gdb.selected_thread():
                cur.switch()
        return out

    def retval(self, thread):
        # a `finish` that returned a value put it in the value history
        n = gdb.history_count()
        if n > self.history:
            self.history = n
            return self.render(gdb.history(0))
        return None

    # -- variables and values -----------------------------------------------------------
    def variables(self, frame, statics, novalue):
        """[(name, type, value-or-None)]: the arguments and locals of the
        frame's blocks that enclose its pc (as `info args` + `info locals`
        for those blocks), or with statics=True the static and global
        variables visible there (function statics, the file's statics and
        globals)."""
        f = frame.handle
        out = []
        if f is None:
            return out
        try:
            b = f.block()
        except RuntimeError:
            return out
        blocks = []
        while b is not None:
            blocks.append(b)
            if b.function is not None:
                break
            b = b.superblock
        if statics and blocks:
            blocks.append(blocks[-1].static_block)
            blocks.append(blocks[-1].global_block)
        seen = set()
        for b in blocks:
            if b is None:
                continue
            for sym in b:
                if not (sym.is_argument or sym.is_variable) or sym.needs_frame == statics:
                    continue
                if statics:
                    key = (sym.name, sym.symtab.filename if sym.symtab else '', sym.line)
                    if key in seen:
                        continue
                    seen.add(key)
                initialized = True
                if not statics and not sym.is_argument and sym.symtab and \
                        os.path.basename(sym.symtab.filename) == frame.file and \
                        sym.line >= frame.line:
                    initialized = False
                value = None
                if initialized and sym.name not in novalue:
                    try:
                        value = self.render(f.read_var(sym, b) if not statics else sym.value(f))
                    except (gdb.error, RuntimeError, ValueError) as e:
                        value = '<error:%s>' % str(e)[:40]
                out.append((sym.name, type_name(sym.type), value))
        return out

    def _eval(self, frame, expr):
        if frame.handle is not None:
            frame.handle.select()
        return gdb.parse_and_eval(expr)

    def value(self, frame, path):
        try:
            return self.render(self._eval(frame, path))
        except gdb.error as e:
            return '<error:%s>' % str(e)[:40]

    def type_of(self, frame, path):
        try:
            return type_name(self._eval(frame, path).type)
        except gdb.error as e:
            return '<error:%s>' % str(e)[:40]

    def evaluate(self, frame, expr):
        # breakpoints are ignored while an expression calls a function (as
        # LLDB's expression evaluator does)
        bps = [b for b in gdb.breakpoints() if b.enabled]
        for b in bps:
            b.enabled = False
        try:
            return self.render(self._eval(frame, expr))
        except gdb.error as e:
            return '<error:%s>' % str(e)[:40]
        finally:
            for b in bps:
                b.enabled = True

    def render(self, v, depth=0, nest=0):
        """As the LLDB side renders: raw pointer values are never shown:
        null, &function, the string of a char *, else -> and the value
        pointed to, two levels deep."""
        try:
            if v.is_optimized_out:
                return '<optimized out>'
            t = v.type.strip_typedefs()
            code = t.code
            if code in (gdb.TYPE_CODE_REF, gdb.TYPE_CODE_RVALUE_REF):
                return self.render(v.referenced_value(), depth, nest)
            if code == gdb.TYPE_CODE_PTR:
                addr = int(v)
                if addr == 0:
                    return 'null'
                pt = t.target().strip_typedefs()
                if pt.code == gdb.TYPE_CODE_FUNC:
                    m = re.search(r'<([^>+]+)(\+\d+)?>', v.format_string(symbols=True))
                    return '&' + (m.group(1) if m else '?')
                if pt.unqualified().name in CHAR_TYPES:
                    return self._string(v)
                if pt.code == gdb.TYPE_CODE_VOID or depth >= 2:
                    return 'ptr'
                return '->' + self.render(v.dereference(), depth + 1, nest)
            if code == gdb.TYPE_CODE_ARRAY:
                et = t.target().strip_typedefs()
                if et.unqualified().name in ('char',):
                    return self._string(v)
                lo, hi = t.range()
                n = hi - lo + 1
                return '[' + ','.join(self.render(v[lo + i], depth, nest + 1)
                                      for i in range(min(n, 16))) + (',...' if n > 16 else '') + ']'
            if code in (gdb.TYPE_CODE_STRUCT, gdb.TYPE_CODE_UNION):
                if nest >= 4:
                    return '{...}'
                parts = []
                for fld in t.fields()[:16]:
                    if not hasattr(fld, 'bitpos'):       # static member
                        continue
                    if fld.is_base_class:
                        parts.append('%s=%s' % (fld.type.name,
                                                self.render(v.cast(fld.type), depth, nest + 1)))
                    else:
                        parts.append('%s=%s' % (fld.name, self.render(v[fld], depth, nest + 1)))
                return '{' + ','.join(parts) + '}'
            if code == gdb.TYPE_CODE_INT and t.unqualified().name in CHAR_TYPES:
                # gdb prints 97 'a', LLDB 'a'
                s = v.format_string()
                m = re.search(r"('.*')$", s)
                return lldb_escapes(m.group(1) if m else s)
            if code == gdb.TYPE_CODE_BOOL:
                return 'true' if bool(v) else 'false'
            return v.format_string()
        except (gdb.error, gdb.MemoryError, RuntimeError, ValueError) as e:
            return '<error:%s>' % str(e).split('\n')[0][:40]

    def _string(self, v):
        s = v.format_string(address=False, symbols=False)
        m = re.search(r'(".*")', s)
        return lldb_escapes(m.group(1) if m else s)


def main():
    with open(os.environ['DBG_JOB']) as f:
        job = json.load(f)
    prog = Program(job['source'])
    s = Session(GDB(), prog, job['opt'], job['variant'], job['exe'], 'gdb')
    try:
        s.run()
    except Exception as e:   # report: the runner must see what went wrong
        import traceback
        s.error = 'gdb session exception: %s\n%s' % (e, traceback.format_exc())
    with open(job['result'], 'w') as f:
        json.dump(finalize(s), f)


main()
