# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""The annotation language of the debugger suite (docs/DEBUGGERS.md): CHECK
clauses on the lines of a test program and DBG-* directives at its top.
Imported by the runner and, inside gdb's own Python, by the gdb session."""

import os
import re

CHECK_RE = re.compile(r'\bCHECK(?P<opt>-O[0-3sg])?(?:-(?P<dbg>lldb|gdb))?(?:@(?P<hit>\d+))?:'
                      r'\s*(?P<body>.*)$')
CLAUSE_SPLIT = re.compile(r'(?=\bCHECK(?:-O[0-3sg])?(?:-(?:lldb|gdb))?(?:@\d+)?:)')
DIRECTIVE_RE = re.compile(r'\bDBG-(?P<key>[A-Z]+):\s*(?P<val>.*)$')
ACTIONS = ('next', 'step', 'finish', 'continue')
PATH_RE = re.compile(r'^[A-Za-z_*&(][\w.\[\]\->*&():]*$')
DEBUGGERS = ('lldb', 'gdb')


class Check:
    """One annotation item: a check of one fact, possibly with an action."""
    __slots__ = ('file', 'line', 'opt', 'dbg', 'hit', 'kind', 'arg', 'expect', 'text', 'cid')

    def __init__(self, file, line, opt, dbg, hit, kind, arg, expect, text):
        self.file, self.line, self.opt, self.dbg, self.hit = file, line, opt, dbg, hit
        self.kind, self.arg, self.expect, self.text = kind, arg, expect, text
        self.cid = '%s:%d:%s%s' % (file, line, ('@%d ' % hit) if hit else '', text)

    def applies(self, opt, dbg):
        return (self.opt is None or self.opt == opt) and (self.dbg is None or self.dbg == dbg)

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


def parse_item(file, line, opt, dbg, hit, text):
    def mk(kind, arg=None, expect=None):
        return Check(file, line, opt, dbg, hit, kind, arg, expect, text)
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
        return mk('bt', None, split_frames(m.group(1)))
    m = re.match(r'^tbt\((\d+)\)=(.*)$', text)
    if m:
        return mk('tbt', int(m.group(1)), split_frames(m.group(2)))
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


def split_frames(text):
    """'f:1,ns::g<int>(int):2' -> frames; commas inside <> or () are kept."""
    out, cur, depth = [], [], 0
    for ch in text:
        if ch in '<(':
            depth += 1
        elif ch in '>)':
            depth -= 1
        elif ch == ',' and depth == 0:
            out.append(''.join(cur).strip())
            cur = []
            continue
        cur.append(ch)
    out.append(''.join(cur).strip())
    return [f for f in out if f]


class Program:
    def __init__(self, path):
        self.path = path
        self.name = os.path.splitext(os.path.basename(path))[0]
        self.cxx = path.endswith('.cpp')
        self.opts = ['O0']
        self.debuggers = list(DEBUGGERS)
        self.libs = []          # extra sources, each built into a shared library
        self.cflags = []
        self.ldflags = []
        self.whence = False     # links libwhence (needed: the program calls it)
        self.novalue = set()    # variable names whose values may not be compared
        self.exit = None
        self.xfail = {}         # opt -> why B is known to differ there
        self.checks = []        # Check objects (all files)
        self.sources = [path]
        self._parse(path, primary=True)
        for lib in self.libs:
            self._parse(os.path.join(os.path.dirname(path), lib), primary=False)
            self.sources.append(os.path.join(os.path.dirname(path), lib))
        self.basenames = {os.path.basename(s) for s in self.sources}

    def checks_for(self, opt, dbg):
        return [c for c in self.checks if c.applies(opt, dbg)]

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
            for clause in CLAUSE_SPLIT.split(comment):
                m = CHECK_RE.search(clause)
                if not m:
                    continue
                anchor = i if code.strip() else last_code
                if anchor is None:
                    raise ValueError('%s:%d: CHECK before any code line' % (path, i))
                opt = m.group('opt')[1:] if m.group('opt') else None
                hit = int(m.group('hit')) if m.group('hit') else None
                for item in split_items(m.group('body')):
                    self.checks.append(parse_item(base, anchor, opt, m.group('dbg'), hit, item))

    def _directive(self, key, val, path, line):
        if key == 'OPT':
            self.opts = val.split()
        elif key == 'DEBUGGERS':
            self.debuggers = val.split()
        elif key == 'LIB':
            self.libs.append(val)
        elif key == 'CFLAGS':
            self.cflags += val.split()
        elif key == 'LDFLAGS':
            self.ldflags += val.split()
        elif key == 'WHENCE':
            self.whence = True
        elif key == 'NOVALUE':
            self.novalue |= {v.strip() for v in val.split(',') if v.strip()}
        elif key == 'XFAIL':
            opt, _, why = val.partition(' ')
            self.xfail[opt] = why.strip()
        elif key == 'EXIT':
            self.exit = int(val)
        else:
            raise ValueError('%s:%d: unknown directive DBG-%s' % (path, line, key))
