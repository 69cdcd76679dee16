# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""srclines.py: does a source line hold a call?  Shared by probe-report.py
and sample-report.py, which check the lines whence names against the
project's sources."""
import re

KEYWORDS = {"if", "while", "for", "switch", "return", "sizeof", "do", "else",
            "case", "defined", "_Alignof", "alignof", "__attribute__", "typeof",
            "__typeof__", "_Static_assert"}
CALL_RE = re.compile(r"([A-Za-z_][A-Za-z0-9_]*|\))\s*\(")


def has_call(text, nxt=""):
    for m in CALL_RE.finditer(text):
        if m.group(1) not in KEYWORDS:
            return True
    # a bare macro statement that expands to calls (pcre2test's CREATECONTEXTS;)
    if re.match(r"\s*[A-Z_][A-Z0-9_]*\s*;\s*$", text):
        return True
    # a callee name at the end of the line, its `(` on the next one
    m = re.search(r"([A-Za-z_][A-Za-z0-9_]*)\s*$", text)
    return bool(m and m.group(1) not in KEYWORDS and nxt.lstrip().startswith("("))
