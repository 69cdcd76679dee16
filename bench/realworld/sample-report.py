#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""sample-report.py: compares what whence said about SIGPROF-sampled stacks
with the DWARF of the same build (bench/realworld/sampler.c writes the
samples; scripts/realworld.sh --sample runs it).

  sample-report.py [--markdown] [--summary FILE] [--examples N] SAMPLE_DIR

Every sample holds whence's entries (whence_callers from the handler) and
the raw frames the CFI unwinder found on the same stack.  The two are paired
by the function each lies in: the raw frames in instrumented functions, in
order, against whence's entries, in order (a sample whose two lists do not
pair up is counted as unpaired, and only its common prefix is used).  For
every paired frame whose raw ip is a return address (not the interrupted
instruction), whence's logical frames for its entry (innermost first: the
inlined frames, then the function) are compared with what
`llvm-symbolizer --inlining` reads from the DWARF line table for ip - 1:

  match      function, file and line of every logical frame equal DWARF's
  line 0     whence says line 0 (a -g frame whose slot was not found:
             unknown, never wrong; acceptable only when rare)
  DWARF 0    DWARF's row for the call (or an inlined frame's call line) is
             0: the optimizer merged calls from several lines.  Equal
             where DWARF has a line; whence's line is then checked against
             the source (--src): it must hold a call, and should name the
             callee (the function of the next frame in; a call through a
             pointer names none).  A line without a call is wrong.
  mismatch   anything else: whence names a line (or function, or inline
             chain) that DWARF does not

Counts are of sampled frames (a frame seen in k samples counts k times) and
of distinct return addresses.  Exit status 1 on any mismatch, any line
without a call, or if nothing was sampled.
"""
import argparse
import collections
import glob
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from srclines import has_call  # noqa: E402


def parse(path):
    """-> list of (count, raw frames, whence entries)."""
    out = []
    cur = None
    with open(path, errors='replace') as f:
        for line in f:
            p = line.rstrip('\n').split('\t')
            if p[0] == 'S':
                cur = (int(p[1]), [], [])
                out.append(cur)
            elif p[0] == 'R' and cur:
                cur[1].append({'ip': int(p[2], 16), 'before': p[3] == '1',
                               'entry': int(p[4], 16), 'obj': p[5], 'off': int(p[6], 16)})
            elif p[0] == 'W' and cur:
                cur[2].append({'e': int(p[2], 16), 'entry': int(p[3], 16), 'frames': []})
            elif p[0] == 'L' and cur:
                cur[2][int(p[1])]['frames'].append((p[3], p[4], int(p[5]), p[2] == '1'))
    return out


def symbolize(symbolizer, obj, offs):
    """{offset: [(function, file, line), ...innermost first]} for offs (each an
    address inside a call: return address - 1)."""
    res = {}
    offs = sorted(offs)
    for i in range(0, len(offs), 2000):
        chunk = offs[i:i + 2000]
        r = subprocess.run([symbolizer, '--inlining', '--output-style=JSON', '--obj=' + obj]
                           + ['0x%x' % o for o in chunk], capture_output=True, text=True)
        for line in r.stdout.splitlines():
            line = line.strip()
            if not line:
                continue
            try:
                d = json.loads(line)
            except ValueError:
                continue
            for item in (d if isinstance(d, list) else [d]):
                addr = int(item['Address'], 16)
                res[addr] = [(s.get('FunctionName', '?'), s.get('FileName', '?'), s.get('Line', 0))
                             for s in item.get('Symbol', [])]
    return res


def base(path):
    return os.path.basename(path) if path else path


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--symbolizer', default='/usr/lib/llvm-19/bin/llvm-symbolizer')
    ap.add_argument('--summary', help='write the one-line summary here')
    ap.add_argument('--markdown', action='store_true', help='print the table as Markdown')
    ap.add_argument('--examples', type=int, default=12)
    ap.add_argument('--src', help="the project's source tree (checks the lines DWARF cannot)")
    ap.add_argument('dir')
    a = ap.parse_args()

    samples = []
    files = glob.glob(os.path.join(a.dir, 'sample.*.tsv'))
    for path in files:
        samples += parse(path)
    nsamples = sum(c for c, _, _ in samples)
    if not nsamples:
        msg = 'no samples in %s (%d files)' % (a.dir, len(files))
        print(msg)
        if a.summary:
            open(a.summary, 'w').write(msg + '\n')
        return 1

    # pair whence's entries with the raw frames in instrumented functions
    paired = []             # (count, raw frame, whence entry, the raw frame just inside it)
    unpaired = interrupted = 0
    unpaired_ex = collections.Counter()
    for count, raw, wh in samples:
        inst = [r for r in raw if r['entry']]
        k = 0
        while k < len(inst) and k < len(wh) and inst[k]['entry'] == wh[k]['entry']:
            if inst[k]['before']:
                interrupted += count
            else:
                j = raw.index(inst[k])
                paired.append((count, inst[k], wh[k], raw[j - 1] if j > 0 else None))
            k += 1
        # both lists stop at 64 entries (sampler.c, MAXF): a shorter one is
        # a difference only if the other one was not cut there
        if (k < len(inst) and k < len(wh)) or \
                (k == len(wh) < len(inst) and len(wh) < 64) or \
                (k == len(inst) < len(wh) and len(raw) < 64):
            unpaired += count
            unpaired_ex[(tuple('%x' % r['entry'] for r in inst[k:k + 3]),
                         tuple('%x' % w['entry'] for w in wh[k:k + 3]))] += count

    by_obj = collections.defaultdict(set)
    for _, r, _, inner in paired:
        by_obj[r['obj']].add(r['off'] - 1)
        if inner is not None:
            by_obj[inner['obj']].add(inner['off'] - (0 if inner['before'] else 1))
    dwarf = {}
    for obj, offs in by_obj.items():
        if obj != '?' and os.path.exists(obj):
            for off, chain in symbolize(a.symbolizer, obj, offs).items():
                dwarf[(obj, off)] = chain

    cat = collections.Counter()           # category -> sampled frames
    distinct = collections.defaultdict(set)
    examples = collections.defaultdict(collections.Counter)
    srcfiles = {}
    if a.src:
        for dp, _dn, fn in os.walk(a.src):
            for n in fn:
                srcfiles.setdefault(n, os.path.join(dp, n))
    text_cache = {}

    def src_line(file, line):
        path = srcfiles.get(base(file))
        if not path or line <= 0:
            return None, None
        if path not in text_cache:
            with open(path, errors='replace') as f:
                text_cache[path] = f.read().split('\n')
        ls = text_cache[path]
        return (ls[line - 1] if line <= len(ls) else None,
                ls[line] if line < len(ls) else '')

    def callee_of(inner):
        if inner is None:
            return None
        chain = dwarf.get((inner['obj'], inner['off'] - (0 if inner['before'] else 1)))
        return chain[-1][0] if chain else None

    for count, r, w, inner in paired:
        key = (r['obj'], r['off'])
        d = dwarf.get((r['obj'], r['off'] - 1))
        wf = [(fn, base(fl), ln) for fn, fl, ln, _ in w['frames']]
        if d is None:
            c = 'no DWARF'
        elif wf and wf[0][2] == 0:
            # unknown: where DWARF has no line either (a call the optimizer
            # merged from several lines), whence says the same
            c = 'line 0, as DWARF' if d and d[0][2] == 0 else 'line 0'
        else:
            df = [(fn, base(fl), ln) for fn, fl, ln in d]
            if df == wf:
                c = 'match'
            elif any(ln == 0 for _, _, ln in df) and len(df) == len(wf) and all(
                    x[:2] == y[:2] and (x[2] == y[2] or x[2] == 0) for x, y in zip(df, wf)):
                # DWARF's row (or an inlined frame's call line) is 0: the
                # optimizer merged calls from several lines.  Equal where
                # DWARF knows; where it does not, the source says whether
                # whence's line can be the call's.
                c = 'DWARF 0'
                if a.src:
                    k = max(i for i, x in enumerate(df) if x[2] == 0)
                    text, nxt = src_line(wf[k][1], wf[k][2])
                    callee = wf[k - 1][0] if k > 0 else callee_of(inner)
                    if text is None:
                        c = 'DWARF 0, line not in --src'
                    elif not has_call(text, nxt):
                        c = 'DWARF 0, no call on whence\'s line'
                        examples[c][(' < '.join('%s %s:%d' % x for x in wf), text.strip(),
                                     callee or '?')] += count
                    elif callee and callee in text:
                        c = 'DWARF 0, the line calls the callee'
                    else:
                        c = 'DWARF 0, a call on the line, not the callee by name'
                        examples[c][(' < '.join('%s %s:%d' % x for x in wf), text.strip(),
                                     callee or '?')] += count
            else:
                c = 'mismatch'
            if c == 'mismatch':
                what = ('line' if len(df) == len(wf) and [x[:2] for x in df] == [x[:2] for x in wf]
                        else 'inline chain or function')
                examples[c][(what, ' < '.join('%s %s:%d' % x for x in wf),
                             ' < '.join('%s %s:%d' % x for x in df))] += count
        if c.startswith('line 0') or c.startswith('DWARF 0'):
            examples['DWARF 0' if c.startswith('DWARF 0') else c][(' < '.join('%s %s:%d' % x for x in wf),
                         ' < '.join('%s %s:%d' % (fn, base(fl), ln) for fn, fl, ln in d or []))] += count
        cat[c] += count
        distinct[c].add(key)

    total = sum(cat.values())
    dw0 = sum(n for c, n in cat.items() if c.startswith('DWARF 0'))
    dw0_distinct = set().union(*[v for c, v in distinct.items() if c.startswith('DWARF 0')])
    wrong = cat["DWARF 0, no call on whence's line"]
    rows = [('frames sampled (return addresses paired with whence)', total, sum(len(v) for v in distinct.values())),
            ('match DWARF (function, file, line, inline chain)', cat['match'], len(distinct['match'])),
            ('line 0 (unknown), DWARF line 0 too (merged calls)', cat['line 0, as DWARF'],
             len(distinct['line 0, as DWARF'])),
            ('line 0 (unknown) where DWARF has a line', cat['line 0'], len(distinct['line 0'])),
            ("DWARF says line 0 (merged calls): equal where DWARF has a line", dw0, len(dw0_distinct)),
            ('  of which the line calls the callee (by name)', cat['DWARF 0, the line calls the callee'],
             len(distinct['DWARF 0, the line calls the callee'])),
            ('  of which a call is on the line, not the callee by name',
             cat['DWARF 0, a call on the line, not the callee by name'],
             len(distinct['DWARF 0, a call on the line, not the callee by name'])),
            ("  of which no call is on whence's line (wrong)", cat["DWARF 0, no call on whence's line"],
             len(distinct["DWARF 0, no call on whence's line"])),
            ('no DWARF answer (not compared)', cat['no DWARF'], len(distinct['no DWARF'])),
            ('mismatch', cat['mismatch'], len(distinct['mismatch']))]
    print('%d samples in %d files; %d interrupted frames (not return addresses, not compared); '
          '%d samples whose whence and raw stacks do not pair up' % (nsamples, len(files), interrupted,
                                                                   unpaired))
    if a.markdown:
        print('| | sampled frames | distinct return addresses |')
        print('|---|---:|---:|')
        for name, n, dn in rows:
            print('| %s | %d | %d |' % (name, n, dn))
    else:
        for name, n, dn in rows:
            print('  %-58s %8d  (%d distinct)' % (name, n, dn))
    labels = {'mismatch': 'mismatch', 'line 0': 'line 0 where DWARF has a line',
              'line 0, as DWARF': 'line 0 as in DWARF', 'DWARF 0': 'DWARF line 0',
              "DWARF 0, no call on whence's line": "DWARF line 0, no call on whence's line",
              'DWARF 0, a call on the line, not the callee by name':
                  'DWARF line 0, a call on the line, not the callee by name'}
    for c in labels:
        if examples[c]:
            print('%s, most frequent first:' % labels[c])
            for ex, n in examples[c].most_common(a.examples):
                if c == 'mismatch':
                    print('  %6d  %s: whence %s; DWARF %s' % (n, ex[0], ex[1], ex[2]))
                elif c.startswith('DWARF 0,'):
                    print('  %6d  whence %s: `%s` (callee %s)' % (n, ex[0], ex[1], ex[2]))
                else:
                    print('  %6d  whence %s; DWARF %s' % (n, ex[0], ex[1]))
    if unpaired_ex:
        print('unpaired (raw entries; whence entries, from the first difference), most frequent first:')
        for (r, w), n in unpaired_ex.most_common(a.examples):
            print('  %6d  raw %s; whence %s' % (n, ' '.join(r) or '-', ' '.join(w) or '-'))
    summary = ('%d frames sampled (%d distinct return addresses): %d match DWARF, %d line 0 '
               '(%d where DWARF has a line), '
               '%d mismatch, %d DWARF line 0 (%d of them on a line without a call), %d no DWARF; '
               '%d unpaired samples of %d'
               % (total, rows[0][2], cat['match'], cat['line 0'] + cat['line 0, as DWARF'], cat['line 0'], cat['mismatch'], dw0, wrong,
                  cat['no DWARF'], unpaired, nsamples))
    print(summary)
    if a.summary:
        open(a.summary, 'w').write(summary + '\n')
    return 1 if cat['mismatch'] or wrong or not total else 0


if __name__ == '__main__':
    sys.exit(main())
