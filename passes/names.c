/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * names.c - the name a function's record carries.
 *
 * A C++ function (an Itanium-mangled linkage name, "_Z...") is named by its
 * qualified, demangled name without return type and parameter list, as a
 * reader of a stack trace wants it:
 *
 *     _ZN3app6detail7CheckerIlE7consumeEi   app::detail::Checker<long>::consume
 *     _ZZN2ns3genEvENKUliE_clEi             ns::gen::{lambda(int)#1}::operator()
 *     _ZZ4mainENK3$_0clEi                   main::{lambda(int)}::operator()
 *     _ZN12_GLOBAL__N_14anonEi              (anonymous namespace)::anon
 *     _ZNSt3mapINSt7__cxx1112basic_string...ixEOS5_
 *                                           std::map<std::string, int>::operator[]
 *
 * It is computed here, at compile time, so that the runtime only ever
 * hands out a string of the module's table: no allocation, no demangler, no
 * debug info or symbol table needed at run time (stripped binaries too).
 * Other functions (C, extern "C") keep their plain names.
 *
 * LLVM's demangler (through the shim, whence_demangle_function) gives the
 * name without the outer parameter list, a local entity's enclosing
 * function by its name alone ("f<int>::Local::g", not "int f<int>(int)
 * const::Local::g": only its tree says where a function returning a
 * function pointer, or one with a requires-clause, ends), and no name that
 * would print more than a megabyte (NULL: the linkage name stays); what it
 * still prints and a stack trace does not want is rewritten by two small
 * scanners over that text:
 *   - seq(): closure and unnamed types in GNU's spelling,
 *     which c++filt and GDB print for GCC code ("'lambda0'(int)" ->
 *     "{lambda(int)#2}", "'unnamed'" -> "{unnamed type#1}"); ABI tags;
 *   - std_simplify(): the standard library as programmers spell it
 *     (std::string, std::vector<int>, std::map<K, V>: the inline namespace
 *     __cxx11 and arguments equal to their defaults left out).  This halves
 *     the names of code that uses the standard library.
 * clang names a lambda of a function that is not inline "$_N" (the number
 * is an order of mangling, not of the source).  A function
 * "Q::$_N::operator()" of the module, or noted before inlining deleted it
 * (whence_note_names), makes "Q::$_N" read "Q::{lambda(PARAMS)}" in every
 * name of the same compile unit, template arguments included
 * (load_lambdas): under LTO another unit's static "Q" has lambdas of the
 * same key.  An unnamed class with a hand-written call operator reads the
 * same way.
 *
 * Names of inlined functions come from the debug info's subprograms.  Under
 * -g they carry linkage names; under -gline-tables-only they do not, so a
 * pass at the start of the pipeline (whence_note_names, before inlining
 * removes the functions) gives each C++ function's subprogram its linkage
 * name, as -g would.  The name goes wherever the subprogram goes (into the
 * bitcode of an LTO compile, into a module that imports the function) and
 * no farther (out with the debug info, where that is stripped).  Named
 * metadata pairing subprograms and names, as it once was, outlived the
 * debug info where that was stripped (the regular-LTO half of a split
 * ThinLTO unit) and held a compile unit llvm.dbg.cu no longer listed:
 * invalid debug info; and no text would key a name instead (under
 * -gline-tables-only the subprograms of S<int>::m and S<long>::m are alike
 * but for their identity).  LLVM emits no linkage name of a
 * -gline-tables-only unit's subprograms but into DWARF 5 name indexes
 * (-gpubnames), so once the table has the names, and no LTO link follows,
 * they are taken out again (whence_forget_noted_names).  A name the
 * demangler cannot read keeps the subprogram's name or the linkage name.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

/* Clang lambdas' call operators noted before inlining: their linkage
 * names only.  Named metadata must not refer to debug info (see above):
 * their units come from the subprograms still in the module
 * (load_lambdas). */
#define WP_LAMBDAS_MD "whence.lambdas"

/* ---- text ------------------------------------------------------------------ */

struct sbuf {
  char *p;
  size_t n, cap;
  int oom;
};

static void sb_putn(struct sbuf *b, const char *s, size_t n) {
  if (b->oom)
    return;
  if (b->n + n + 1 > b->cap) {
    size_t nc = b->cap ? b->cap * 2 : 64;
    while (nc < b->n + n + 1)
      nc *= 2;
    char *q = realloc(b->p, nc);
    if (!q) {
      b->oom = 1;
      return;
    }
    b->p = q;
    b->cap = nc;
  }
  memcpy(b->p + b->n, s, n);
  b->n += n;
  b->p[b->n] = 0;
}

static void sb_puts(struct sbuf *b, const char *s) { sb_putn(b, s, strlen(s)); }

static void sb_putu(struct sbuf *b, unsigned long v) {
  char d[24];
  int k = 0;
  do
    d[k++] = (char)('0' + v % 10);
  while ((v /= 10) && k < (int)sizeof d);
  while (k)
    sb_putn(b, &d[--k], 1);
}

/* The scanner: input s[i..n), output o. */
struct scan {
  const char *s;
  size_t i, n;
  struct sbuf o;
};

static int is_ident(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '_' || c == '$';
}

static int at(const struct scan *c, size_t i, const char *w) {
  size_t k = strlen(w);
  return i + k <= c->n && !memcmp(c->s + i, w, k);
}

/* Index of the bracket closing the one at i (open/close), n if none. */
static size_t match(const struct scan *c, size_t i, char open, char close) {
  int depth = 0;
  for (; i < c->n; i++) {
    if (c->s[i] == open)
      depth++;
    else if (c->s[i] == close && --depth == 0)
      return i;
  }
  return c->n;
}

static void copy(struct scan *c, size_t k) {
  if (c->i + k > c->n)
    k = c->n - c->i;
  sb_putn(&c->o, c->s + c->i, k);
  c->i += k;
}

/* "operator" and what names it: a symbol ("operator<<"), new/delete,
 * a literal suffix (operator"" _x) or a conversion's type, which runs to
 * the end, to a parenthesis (of a function type) or to what seq() reads:
 * a local entity of the conversion function ("operator int::'lambda'(int)
 * ::operator()": its enclosing function is printed by its name alone) or
 * an ABI tag. */
static void operator_token(struct scan *c) {
  static const char *const sym[] = {
      "->*", "<=>", "<<=", ">>=", "()", "[]", "->", "<<", ">>", "<=", ">=", "==", "!=",
      "&&",  "||",  "++",  "--",  "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<",
      ">",   "+",   "-",   "*",   "/",  "%",  "^",  "&",  "|",  "~",  "!",  "=",  ","};
  copy(c, 8);
  /* operator"" _x: the suffix is part of the name */
  if (at(c, c->i, "\"\"")) {
    copy(c, 2);
    size_t j = c->i + (c->i < c->n && c->s[c->i] == ' ');
    while (j < c->n && is_ident(c->s[j]))
      j++;
    copy(c, j - c->i);
    return;
  }
  /* "operator<<long, char>" is how the demangler prints operator< with
   * template arguments: a type right after "<<" (not a parameter list or
   * more arguments) means the second '<' opens them (GNU's spelling,
   * "operator< <long, char>", keeps them apart).  "operator<<::" is
   * operator<< and a local entity of it ("operator<<::Inner::g"); an
   * argument starting with "::" would be a global-scope expression of a
   * dependent argument, which no instantiated function's name has. */
  if (at(c, c->i, "<<") && !at(c, c->i, "<<=") && c->i + 2 < c->n &&
      is_ident(c->s[c->i + 2])) {
    copy(c, 1);
    sb_putn(&c->o, " ", 1);
    return;
  }
  for (size_t k = 0; k < sizeof sym / sizeof *sym; k++)
    if (at(c, c->i, sym[k])) {
      copy(c, strlen(sym[k]));
      return;
    }
  if (c->i < c->n && c->s[c->i] == ' ') {
    int depth = 0;
    size_t j = c->i;
    for (; j < c->n; j++) {
      char ch = c->s[j];
      if (ch == '<')
        depth++;
      else if (ch == '>')
        depth--;
      else if ((ch == '(' && depth <= 0) || ch == '\'' || at(c, j, "[abi:"))
        break;
    }
    copy(c, j - c->i);
  }
}

static void list(struct scan *c, char close, int depth);

/* 'lambda'[N], 'unnamed'[N] -> GNU's {lambda(...)#N+1}, {unnamed type#N+1}.
 * Returns 0 (nothing consumed) for any other quoted word. */
static int quoted(struct scan *c, int depth) {
  int lambda = at(c, c->i, "'lambda");
  if (!lambda && !at(c, c->i, "'unnamed"))
    return 0;
  size_t j = c->i + (lambda ? 7 : 8);
  unsigned long num = 0;
  int digits = 0;
  while (j < c->n && c->s[j] >= '0' && c->s[j] <= '9' && digits < 9) {
    num = num * 10 + (unsigned long)(c->s[j++] - '0');
    digits++;
  }
  if (j >= c->n || c->s[j] != '\'')
    return 0;
  j++;
  unsigned long ordinal = digits ? num + 2 : 1;
  if (!lambda) {
    c->i = j;
    sb_puts(&c->o, "{unnamed type#");
    sb_putu(&c->o, ordinal);
    sb_puts(&c->o, "}");
    return 1;
  }
  /* A template lambda's parameter list (<typename $T>) is not kept: its
   * call parameters say the same. */
  if (j < c->n && c->s[j] == '<')
    j = match(c, j, '<', '>') + 1;
  if (j >= c->n || c->s[j] != '(')
    return 0;
  if (match(c, j, '(', ')') >= c->n)
    return 0;
  /* (its parameters read as a list: a closure type among them too) */
  sb_puts(&c->o, "{lambda");
  c->i = j;
  copy(c, 1);
  list(c, ')', depth);
  sb_puts(&c->o, "#");
  sb_putu(&c->o, ordinal);
  sb_puts(&c->o, "}");
  return 1;
}

static void seq(struct scan *c, char stop, int depth);

/* A list after its opening '<' or '(' up to and with its close: template
 * arguments, or a function type's parameters. */
static void list(struct scan *c, char close, int depth) {
  if (depth > 64) { /* absurd nesting: keep the rest as it is */
    copy(c, c->n - c->i);
    return;
  }
  while (c->i < c->n) {
    seq(c, close, depth + 1);
    if (c->i >= c->n)
      return;
    char end = c->s[c->i];
    copy(c, 1);
    if (end == close)
      return;
  }
}

/* One name, type or list element: up to the end, or (stop: in a list
 * closed by stop) to the ',' or stop that ends it. */
static void seq(struct scan *c, char stop, int depth) {
  size_t seg = c->o.n; /* where this name's text starts in the output */
  while (c->i < c->n && !c->o.oom) {
    char ch = c->s[c->i];
    if (stop && (ch == ',' || ch == stop))
      return;
    if (ch == ' ' && c->o.n == seg) { /* ", " between arguments */
      copy(c, 1);
      seg = c->o.n;
      continue;
    }
    if (ch == 'o' && at(c, c->i, "operator") && (c->i == 0 || !is_ident(c->s[c->i - 1])) &&
        !(c->i + 8 < c->n && is_ident(c->s[c->i + 8]))) {
      operator_token(c);
      continue;
    }
    if (ch == '\'' && quoted(c, depth))
      continue;
    if (ch == '[' && at(c, c->i, "[abi:")) {
      c->i = match(c, c->i, '[', ']') + 1;
      continue;
    }
    if (ch == '(') {
      if (at(c, c->i, "(anonymous namespace)")) {
        copy(c, 21);
        continue;
      }
      /* A function type in a template argument, or its declarator
       * ("int (W<T>::*)(int)"): read as a list, so that a closure type in
       * it is spelled as everywhere else (helper-143: "'lambda'()" inside
       * a pointer to member, "{lambda()#1}" beside it).  A local entity's
       * enclosing function is never printed with its return type and
       * parameters: the shim's demangler prints it by its name alone
       * (whence_demangle_function). */
      copy(c, 1);
      list(c, ')', depth);
      continue;
    }
    if (ch == '<') {
      copy(c, 1);
      list(c, '>', depth);
      continue;
    }
    /* A run of characters none of the above looks at. */
    size_t j = c->i + 1;
    while (j < c->n && !strchr(" ,<>()[]'o", c->s[j]))
      j++;
    copy(c, j - c->i);
  }
}

/* clang's "$_N" lambdas.  A function named "Q::$_N::operator()" (no
 * template arguments: a generic lambda's parameters would be one
 * instantiation's) makes "Q::$_N" read "Q::{lambda(PARAMS)}" in every name
 * of the module, template arguments included.  Returns the key's length in
 * name, 0 when name is not such a call operator. */
static size_t clang_lambda_key(const char *name) {
  static const char op[] = "::operator()";
  size_t n = strlen(name), ol = sizeof op - 1;
  if (n <= ol || strcmp(name + n - ol, op))
    return 0;
  const char *end = name + n - ol, *d = end;
  while (d > name && d[-1] >= '0' && d[-1] <= '9')
    d--;
  if (d == end || d - name < 2 || d[-1] != '_' || d[-2] != '$')
    return 0;
  const char *start = d - 2;
  if (start != name && (start - name < 2 || start[-1] != ':' || start[-2] != ':'))
    return 0;
  return (size_t)(end - name);
}

/* A key "Q::$_N": the length of "Q::" and N. */
static int key_parts(const char *key, size_t *ql, unsigned long *n) {
  const char *d = strrchr(key, '$');
  if (!d || d[1] != '_' || !d[2])
    return 0;
  char *end;
  *n = strtoul(d + 2, &end, 10);
  *ql = (size_t)(d - key);
  return !*end;
}

/* val (a reading "Q::{lambda(PARAMS)}") numbered as GNU numbers lambdas
 * of one scope with one parameter list, "{lambda(PARAMS)#K}", when
 * another lambda of Q in unit cu reads the same: two lambdas of main
 * taking an int read "main::{lambda(int)}" both, one name for two
 * functions (a profile added their times: helper-113).  K counts them in
 * the order of their N (clang's, per function: the order it mangled them
 * in).  NULL when val needs no number; else malloc'ed. */
static char *lambda_numbered(const struct wp_names *nm, const struct wp_lambda *l,
                             const char *val, LLVMMetadataRef cu) {
  size_t ql, mql;
  unsigned long n, mn;
  size_t vl = strlen(val);
  if (!key_parts(l->key, &ql, &n) || !vl || val[vl - 1] != '}')
    return NULL;
  unsigned long rank = 0, same = 0;
  for (uint32_t j = 0; j < nm->nlambdas; j++) {
    const struct wp_lambda *m = &nm->lambdas[j];
    if ((cu && m->cu && m->cu != cu) || !key_parts(m->key, &mql, &mn) || mql != ql ||
        strncmp(m->key, l->key, ql) || strcmp(m->val, val))
      continue;
    int seen = 0; /* (a key noted twice counts once) */
    for (uint32_t i = 0; i < j && !seen; i++)
      seen = !strcmp(nm->lambdas[i].key, m->key) &&
             (!cu || !nm->lambdas[i].cu || nm->lambdas[i].cu == cu);
    if (seen)
      continue;
    same++;
    rank += mn < n;
  }
  if (same < 2)
    return NULL;
  struct sbuf u = {0};
  sb_putn(&u, val, vl - 1);
  sb_puts(&u, "#");
  sb_putu(&u, rank + 1);
  sb_puts(&u, "}");
  if (u.oom) {
    free(u.p);
    return NULL;
  }
  return u.p;
}

/* The reading of lambdas[k]'s key in a name of compile unit cu (NULL:
 * unknown): that unit's own; else the one all the units it may be agree
 * on; else "Q::{lambda}", without parameters.  NULL: none (only another
 * unit's lambda has that key), or lambdas[k] is not the first of its key.
 * *tmp: malloc'ed text to free. */
static const char *lambda_reading(const struct wp_names *nm, uint32_t k, LLVMMetadataRef cu,
                                  char **tmp) {
  const struct wp_lambda *l = &nm->lambdas[k];
  *tmp = NULL;
  for (uint32_t j = 0; j < k; j++)
    if (!strcmp(nm->lambdas[j].key, l->key))
      return NULL;
  const char *val = NULL;
  int mixed = 0;
  for (uint32_t j = k; j < nm->nlambdas; j++) {
    const struct wp_lambda *m = &nm->lambdas[j];
    if (strcmp(m->key, l->key))
      continue;
    if (cu && m->cu == cu)
      return (*tmp = lambda_numbered(nm, m, m->val, cu)) ? *tmp : m->val;
    if (cu && m->cu)
      continue; /* another unit's: its static Q is not this one */
    mixed |= val && strcmp(val, m->val);
    if (!val)
      val = m->val;
  }
  if (!val)
    return val;
  if (!mixed)
    return (*tmp = lambda_numbered(nm, l, val, cu)) ? *tmp : val;
  size_t ql = strlen(l->key);
  while (ql && l->key[ql - 1] != '$')
    ql--;
  struct sbuf u = {0};
  sb_putn(&u, l->key, ql ? ql - 1 : 0);
  sb_puts(&u, "{lambda}");
  if (u.oom) {
    free(u.p);
    return NULL;
  }
  *tmp = u.p;
  return u.p;
}

/* Every "Q::$_N" of a known lambda in o (not followed by another digit,
 * not preceded by more qualifiers) replaced by its reading in unit cu. */
static void clang_lambdas(struct sbuf *o, const struct wp_names *nm, LLVMMetadataRef cu) {
  if (!nm || !nm->nlambdas || !strstr(o->p, "$_"))
    return;
  for (uint32_t k = 0; k < nm->nlambdas && !o->oom; k++) {
    const struct wp_lambda *l = &nm->lambdas[k];
    size_t kl = strlen(l->key);
    const char *p = strstr(o->p, l->key);
    if (!p)
      continue;
    char *tmp;
    const char *val = lambda_reading(nm, k, cu, &tmp);
    if (!val)
      continue;
    struct sbuf r = {0};
    const char *from = o->p;
    for (; p; p = strstr(p + 1, l->key)) {
      if ((p > o->p && (is_ident(p[-1]) || p[-1] == ':')) || (p[kl] >= '0' && p[kl] <= '9'))
        continue;
      sb_putn(&r, from, (size_t)(p - from));
      sb_puts(&r, val);
      from = p + kl;
    }
    sb_puts(&r, from);
    free(tmp);
    if (r.oom) {
      free(r.p);
      o->oom = 1;
      return;
    }
    free(o->p);
    *o = r;
  }
}

/* ---- the standard library's own spelling ------------------------------------
 * What a C++ programmer wrote and reads: std::string, std::vector<int>,
 * std::map<K, V>, not the demangler's std::__cxx11::basic_string<char,
 * std::char_traits<char>, std::allocator<char>> and every defaulted
 * argument.  Lossless for the reader (an argument is only left out when it
 * is exactly the default), and it halves the names of code that uses the
 * standard library (docs/DESIGN.md "C++ names"). */

/* Defaulted trailing arguments of standard templates: for argument k, the
 * default spelled with the earlier (already simplified) arguments a[]. */
enum dflt { D_NONE, D_ALLOC0, D_TRAITS0, D_LESS0, D_PAIRALLOC01, D_HASH0, D_EQ0,
            D_VECTOR0, D_DEQUE0, D_DELETE0, D_SUBALLOC0, D_REGEXTRAITS0 };
static const struct std_template {
  const char *name;
  enum dflt d[5]; /* per argument; D_NONE: required */
  const char *alias[2]; /* first argument char / wchar_t: the typedef */
} std_templates[] = {
    {"std::vector", {D_NONE, D_ALLOC0}, {0}},
    {"std::deque", {D_NONE, D_ALLOC0}, {0}},
    {"std::list", {D_NONE, D_ALLOC0}, {0}},
    {"std::forward_list", {D_NONE, D_ALLOC0}, {0}},
    {"std::basic_string", {D_NONE, D_TRAITS0, D_ALLOC0}, {"std::string", "std::wstring"}},
    {"std::basic_string_view", {D_NONE, D_TRAITS0}, {"std::string_view", "std::wstring_view"}},
    {"std::basic_ostream", {D_NONE, D_TRAITS0}, {"std::ostream", "std::wostream"}},
    {"std::basic_istream", {D_NONE, D_TRAITS0}, {"std::istream", "std::wistream"}},
    {"std::basic_iostream", {D_NONE, D_TRAITS0}, {"std::iostream", "std::wiostream"}},
    {"std::basic_ios", {D_NONE, D_TRAITS0}, {"std::ios", "std::wios"}},
    {"std::basic_streambuf", {D_NONE, D_TRAITS0}, {"std::streambuf", "std::wstreambuf"}},
    {"std::basic_filebuf", {D_NONE, D_TRAITS0}, {"std::filebuf", "std::wfilebuf"}},
    {"std::basic_ifstream", {D_NONE, D_TRAITS0}, {"std::ifstream", "std::wifstream"}},
    {"std::basic_ofstream", {D_NONE, D_TRAITS0}, {"std::ofstream", "std::wofstream"}},
    {"std::basic_fstream", {D_NONE, D_TRAITS0}, {"std::fstream", "std::wfstream"}},
    {"std::basic_stringbuf", {D_NONE, D_TRAITS0, D_ALLOC0}, {"std::stringbuf", "std::wstringbuf"}},
    {"std::basic_istringstream", {D_NONE, D_TRAITS0, D_ALLOC0}, {"std::istringstream", "std::wistringstream"}},
    {"std::basic_ostringstream", {D_NONE, D_TRAITS0, D_ALLOC0}, {"std::ostringstream", "std::wostringstream"}},
    {"std::basic_stringstream", {D_NONE, D_TRAITS0, D_ALLOC0}, {"std::stringstream", "std::wstringstream"}},
    {"std::basic_regex", {D_NONE, D_REGEXTRAITS0}, {"std::regex", "std::wregex"}},
    {"std::match_results", {D_NONE, D_SUBALLOC0}, {0}},
    {"std::map", {D_NONE, D_NONE, D_LESS0, D_PAIRALLOC01}, {0}},
    {"std::multimap", {D_NONE, D_NONE, D_LESS0, D_PAIRALLOC01}, {0}},
    {"std::set", {D_NONE, D_LESS0, D_ALLOC0}, {0}},
    {"std::multiset", {D_NONE, D_LESS0, D_ALLOC0}, {0}},
    {"std::unordered_map", {D_NONE, D_NONE, D_HASH0, D_EQ0, D_PAIRALLOC01}, {0}},
    {"std::unordered_multimap", {D_NONE, D_NONE, D_HASH0, D_EQ0, D_PAIRALLOC01}, {0}},
    {"std::unordered_set", {D_NONE, D_HASH0, D_EQ0, D_ALLOC0}, {0}},
    {"std::unordered_multiset", {D_NONE, D_HASH0, D_EQ0, D_ALLOC0}, {0}},
    {"std::stack", {D_NONE, D_DEQUE0}, {0}},
    {"std::queue", {D_NONE, D_DEQUE0}, {0}},
    {"std::priority_queue", {D_NONE, D_VECTOR0, D_LESS0}, {0}},
    {"std::unique_ptr", {D_NONE, D_DELETE0}, {0}},
};

static void default_arg(struct sbuf *b, enum dflt d, char *const *a) {
  static const char *const fmt[] = {
      [D_ALLOC0] = "std::allocator<%0>",
      [D_TRAITS0] = "std::char_traits<%0>",
      [D_LESS0] = "std::less<%0>",
      [D_PAIRALLOC01] = "std::allocator<std::pair<%0 const, %1>>",
      [D_HASH0] = "std::hash<%0>",
      [D_EQ0] = "std::equal_to<%0>",
      [D_VECTOR0] = "std::vector<%0>",
      [D_DEQUE0] = "std::deque<%0>",
      [D_DELETE0] = "std::default_delete<%0>",
      [D_SUBALLOC0] = "std::allocator<std::sub_match<%0>>",
      [D_REGEXTRAITS0] = "std::regex_traits<%0>",
  };
  for (const char *f = fmt[d]; *f; f++) {
    if (f[0] == '%' && (f[1] == '0' || f[1] == '1')) {
      sb_puts(b, a[f[1] - '0']);
      f++;
    } else {
      sb_putn(b, f, 1);
    }
  }
}

static void simp_seq(struct scan *c, struct sbuf *o, char stop, int depth);

/* At "::" before a namespace of the standard library that its users never
 * write (libstdc++'s __cxx11 ABI, libc++'s __1 version, both inline;
 * libstdc++'s __n4861 of <coroutine>, brought into std by a using): the
 * characters to skip so that std::__1::vector reads std::vector; 0 at
 * anything else. */
static size_t std_inner_ns(const struct scan *c) {
  static const char *const ns[] = {"::__cxx11::", "::__1::", "::__n4861::"};
  for (size_t k = 0; k < sizeof ns / sizeof ns[0]; k++)
    if (at(c, c->i, ns[k]))
      return strlen(ns[k]) - 2;
  return 0;
}

/* At '<' of a template argument list whose name ends o: the simplified
 * arguments, defaulted ones left out, or the standard typedef. */
static void simp_args(struct scan *c, struct sbuf *o, int depth) {
  size_t name_end = o->n, name_start = name_end;
  while (name_start && (is_ident(o->p[name_start - 1]) || o->p[name_start - 1] == ':'))
    name_start--;
  const struct std_template *t = NULL;
  if (name_end - name_start > 5 && !memcmp(o->p + name_start, "std::", 5))
    for (size_t k = 0; k < sizeof std_templates / sizeof *std_templates && !t; k++) {
      size_t tl = strlen(std_templates[k].name);
      if (name_end - name_start == tl && !memcmp(o->p + name_start, std_templates[k].name, tl))
        t = &std_templates[k];
    }
  /* The arguments go straight to o, ", "-separated; only a standard
   * template's are looked at again (start offsets of the first five). */
  enum { MAXARGS = 5 };
  size_t start[MAXARGS + 1];
  int n = 0, ok = 1;
  sb_putn(o, "<", 1);
  c->i++;
  for (;;) {
    while (c->i < c->n && c->s[c->i] == ' ')
      c->i++;
    if (n)
      sb_putn(o, ", ", 2);
    if (n <= MAXARGS)
      start[n] = o->n;
    n++;
    simp_seq(c, o, '>', depth + 1);
    if (c->i >= c->n || o->oom)
      return; /* unbalanced: what is there stays */
    char ch = c->s[c->i++];
    if (ch == '>')
      break;
  }
  sb_putn(o, ">", 1);
  if (!t || n > MAXARGS || o->oom)
    return;
  /* Argument k is o->p[start[k] .. end(k)); end(n-1) is before the '>'. */
  char *a[MAXARGS] = {0};
  for (int k = 0; k < n && ok; k++) {
    size_t end = k + 1 < n ? start[k + 1] - 2 : o->n - 1;
    a[k] = malloc(end - start[k] + 1);
    if (!a[k])
      ok = 0;
    else {
      memcpy(a[k], o->p + start[k], end - start[k]);
      a[k][end - start[k]] = 0;
    }
  }
  int keep = n;
  while (ok && keep > 1 && t->d[keep - 1] != D_NONE) {
    struct sbuf d = {0};
    default_arg(&d, t->d[keep - 1], a);
    int same = d.p && !strcmp(d.p, a[keep - 1]);
    free(d.p);
    if (!same)
      break;
    keep--;
  }
  if (ok && keep < n) {
    o->n = start[keep] - 2; /* drop ", " and the defaulted arguments */
    sb_putn(o, ">", 1);
  }
  int alias = !ok ? -1 : !strcmp(a[0], "char") ? 0 : !strcmp(a[0], "wchar_t") ? 1 : -1;
  if (keep == 1 && alias >= 0 && t->alias[alias]) {
    o->n = name_start;
    sb_puts(o, t->alias[alias]);
  }
  for (int k = 0; k < n; k++)
    free(a[k]);
}

/* Copies c up to stop (not consumed) at this nesting level, simplifying
 * every template argument list on the way. */
static void simp_seq(struct scan *c, struct sbuf *o, char stop, int depth) {
  while (c->i < c->n && !o->oom) {
    char ch = c->s[c->i];
    if (ch == stop || (stop == '>' && ch == ','))
      return;
    if (stop == '>' && ch == ')')
      return; /* unbalanced: let the caller give up */
    if (ch == 'o' && at(c, c->i, "operator") && (c->i == 0 || !is_ident(c->s[c->i - 1]))) {
      /* operator<, operator<<, operator<=, operator<=>, operator>...: not brackets */
      sb_putn(o, c->s + c->i, 8);
      c->i += 8;
      while (c->i < c->n && strchr("<>=", c->s[c->i]) && !o->oom) {
        if (c->s[c->i] == '<' && c->i + 1 < c->n && is_ident(c->s[c->i + 1]))
          break; /* operator< followed by its template arguments */
        sb_putn(o, c->s + c->i++, 1);
      }
      continue;
    }
    if (ch == '<' && o->n && is_ident(o->p[o->n - 1]) && depth < 64) {
      simp_args(c, o, depth);
      continue;
    }
    if (ch == '(' || ch == '{' || ch == '[') {
      char close = ch == '(' ? ')' : ch == '{' ? '}' : ']';
      sb_putn(o, &ch, 1);
      c->i++;
      simp_seq(c, o, close, depth + 1);
      if (c->i < c->n && c->s[c->i] == close) {
        sb_putn(o, &close, 1);
        c->i++;
      }
      continue;
    }
    size_t ns = ch == ':' ? std_inner_ns(c) : 0;
    if (ns && o->n >= 3 && !memcmp(o->p + o->n - 3, "std", 3) &&
        (o->n == 3 || !is_ident(o->p[o->n - 4]))) {
      c->i += ns; /* std::__cxx11:: -> std:: */
      continue;
    }
    /* A run of characters none of the above looks at. */
    size_t j = c->i + 1;
    while (j < c->n && !strchr("<>(){}[],:o", c->s[j]))
      j++;
    sb_putn(o, c->s + c->i, j - c->i);
    c->i = j;
  }
}

/* s in the standard library's own spelling; malloc'ed, NULL on failure. */
static char *std_simplify(const char *s) {
  struct scan c = {.s = s, .i = 0, .n = strlen(s)};
  struct sbuf o = {0};
  while (c.i < c.n && !o.oom) {
    simp_seq(&c, &o, 0, 0);
    if (c.i < c.n) /* a stray closer: keep it */
      sb_putn(&o, c.s + c.i++, 1);
  }
  if (o.oom || !o.p) {
    free(o.p);
    return NULL;
  }
  return o.p;
}

/* "_ZT{h,v,c}..." thunks adjust `this` (or the result) and call the
 * function whose <encoding> follows their call offsets:
 * h <number> _  |  v <number> _ <number> _  (c: two of them). */
static const char *thunk_target(const char *m, const char **kind) {
  if (strncmp(m, "_ZT", 3))
    return NULL;
  const char *p = m + 3;
  int offsets = 1;
  if (*p == 'h')
    *kind = "non-virtual thunk to ";
  else if (*p == 'v')
    *kind = "virtual thunk to ";
  else if (*p == 'c') {
    *kind = "covariant return thunk to ";
    offsets = 2;
    p++;
  } else
    return NULL;
  for (int k = 0; k < offsets; k++) {
    int nums = *p == 'h' ? 1 : *p == 'v' ? 2 : 0;
    if (!nums)
      return NULL;
    p++;
    for (int j = 0; j < nums; j++) {
      if (*p == 'n')
        p++;
      if (*p < '0' || *p > '9')
        return NULL;
      while (*p >= '0' && *p <= '9')
        p++;
      if (*p++ != '_')
        return NULL;
    }
  }
  return p;
}

/* The demangled, cleaned name (no lambda readings yet) and the parameter
 * list as the demangler printed it; NULL when linkage is not a mangled
 * function name. */
static char *cxx_name(const char *linkage, size_t len, char **params_out) {
  *params_out = NULL;
  if (!linkage || len < 3 || memcmp(linkage, "_Z", 2))
    return NULL;
  /* Clone suffixes (.cold, .llvm.NNN, .constprop.0, ...) are not part of
   * the name; a mangled name has no '.' of its own. */
  const char *dot = memchr(linkage, '.', len);
  if (dot)
    len = (size_t)(dot - linkage);
  char *m = malloc(len + 3);
  if (!m)
    return NULL;
  memcpy(m, linkage, len);
  m[len] = 0;
  const char *kind = NULL;
  const char *target = thunk_target(m, &kind);
  if (!target)
    kind = NULL;
  else {
    size_t tl = strlen(target);
    memmove(m + 2, target, tl + 1);
  }
  /* A thread_local's initialization and wrapper routines (_ZTH, _ZTW)
   * name a variable: read as a function of no parameters (its name then
   * prints; it was printed mangled, helper-104). */
  if (!kind && len > 4 && (!strncmp(m, "_ZTH", 4) || !strncmp(m, "_ZTW", 4))) {
    kind = m[3] == 'H' ? "thread-local initialization routine for "
                       : "thread-local wrapper routine for ";
    memmove(m + 2, m + 4, len - 4);
    m[len - 2] = 'v';
    m[len - 1] = 0;
  }
  char *name = NULL, *params = NULL;
  if (whence_demangle_function(m, &name, &params)) {
    /* (a thread_local variable template's: after template arguments the
     * first type is the return type, so one more for the parameters) */
    size_t ml = strlen(m);
    if (!kind || !ml || m[ml - 1] != 'v' || ml + 1 > len + 2 ||
        (m[ml] = 'v', m[ml + 1] = 0, whence_demangle_function(m, &name, &params))) {
      free(m);
      return NULL;
    }
  }
  free(m);
  struct scan c = {.s = name, .i = 0, .n = strlen(name)};
  if (kind)
    sb_puts(&c.o, kind);
  seq(&c, 0, 0);
  free(name);
  if (c.o.oom || !c.o.p || !c.o.n) {
    free(c.o.p);
    free(params);
    return NULL;
  }
  char *simple = std_simplify(c.o.p);
  free(c.o.p);
  if (!simple) {
    free(params);
    return NULL;
  }
  *params_out = params; /* as the demangler printed them */
  return simple;
}

/* A constructor or destructor of a closure or unnamed type, which has no
 * name to repeat: the demangler prints "...::{lambda()#1}::" and
 * "...::{lambda()#1}::~" (llvm-cxxfilt the same, "'lambda'()::(...)"), and
 * a frame's name ended in "::".  The type's own name is repeated, as for
 * any class: "{lambda()#1}::{lambda()#1}", "::~{lambda()#1}". */
static void name_empty_structor(struct sbuf *o) {
  size_t n = o->n, end;
  if (n >= 3 && !memcmp(o->p + n - 3, "::~", 3))
    end = n - 3;
  else if (n >= 2 && !memcmp(o->p + n - 2, "::", 2))
    end = n - 2;
  else
    return;
  /* the last component before it, at depth 0 of (), <>, {} */
  size_t start = 0;
  int depth = 0;
  for (size_t i = end; i > 0; i--) {
    char ch = o->p[i - 1];
    if (ch == ')' || ch == '>' || ch == '}')
      depth++;
    else if (ch == '(' || ch == '<' || ch == '{')
      depth--;
    else if (depth == 0 && ch == ':' && i >= 2 && o->p[i - 2] == ':') {
      start = i;
      break;
    }
  }
  if (start >= end || (o->p[start] != '{' && o->p[start] != '$'))
    return;
  size_t k = end - start;
  char *comp = malloc(k);
  if (!comp) {
    o->oom = 1;
    return;
  }
  memcpy(comp, o->p + start, k);
  sb_putn(o, comp, k);
  free(comp);
}

char *wp_cxx_name(const char *linkage, size_t len, const struct wp_names *nm,
                  LLVMMetadataRef cu) {
  char *params = NULL;
  char *name = cxx_name(linkage, len, &params);
  free(params);
  if (!name)
    return NULL;
  struct sbuf o = {name, strlen(name), strlen(name) + 1, 0};
  clang_lambdas(&o, nm, cu);
  if (!o.oom)
    name_empty_structor(&o);
  if (o.oom) {
    free(o.p);
    return NULL;
  }
  return o.p;
}

/* ---- linkage names noted before inlining ------------------------------------ */

void whence_note_names(LLVMModuleRef M) {
  if (LLVMGetModuleFlag(M, WHENCE_DONE_FLAG, sizeof(WHENCE_DONE_FLAG) - 1))
    return;
  int linkage = whence_module_debug_level(M) == WHENCE_DEBUG_LINES;
  int lambdas = !LLVMGetNamedMetadataNumOperands(M, WP_LAMBDAS_MD);
  LLVMContextRef C = LLVMGetModuleContext(M);
  for (LLVMValueRef F = LLVMGetFirstFunction(M); F; F = LLVMGetNextFunction(F)) {
    if (LLVMIsDeclaration(F))
      continue;
    size_t len = 0;
    const char *name = LLVMGetValueName2(F, &len);
    if (len < 3 || memcmp(name, "_Z", 2))
      continue;
    LLVMMetadataRef sp = LLVMGetSubprogram(F);
    /* (a clang lambda's call operator; load_lambdas reads which) */
    if (lambdas && memchr(name, '$', len)) {
      LLVMMetadataRef op = LLVMMDStringInContext2(C, name, len);
      LLVMAddNamedMetadataOperand(M, WP_LAMBDAS_MD,
                                  LLVMMetadataAsValue(C, LLVMMDNodeInContext2(C, &op, 1)));
    }
    size_t llen = 0, nlen = 0;
    /* (clang's nameless subprograms have linkage names of their own; and
     * whence_forget_noted_names takes out only what is named otherwise) */
    if (linkage && sp && !whence_di_subprogram_linkage_name(sp, &llen) &&
        whence_di_subprogram_name(sp, &nlen))
      whence_di_subprogram_note_linkage_name(sp, name, len);
  }
}

void wp_names_free(struct wp_names *nm) {
  for (uint32_t k = 0; k < nm->nlambdas; k++) {
    free(nm->lambdas[k].key);
    free(nm->lambdas[k].val);
  }
  free(nm->lambdas);
  memset(nm, 0, sizeof *nm);
}

/* A clang lambda's call operator "Q::$_N::operator()" of unit cu (NULL:
 * unknown), by its linkage name: "Q::$_N" reads "Q::{lambda(PARAMS)}". */
static void add_lambda(struct wp_names *nm, const char *s, size_t len, LLVMMetadataRef cu) {
  char *params = NULL;
  char *name = cxx_name(s, len, &params);
  size_t kl = name ? clang_lambda_key(name) : 0;
  if (!kl || !params || params[0] != '(') {
    free(name);
    free(params);
    return;
  }
  struct wp_lambda *dup = NULL;
  for (uint32_t k = 0; k < nm->nlambdas && !dup; k++)
    if (nm->lambdas[k].cu == cu && strlen(nm->lambdas[k].key) == kl &&
        !memcmp(nm->lambdas[k].key, name, kl))
      dup = &nm->lambdas[k];
  /* "Q::$_N" -> "Q::{lambda(PARAMS)}" */
  size_t ql = kl;
  while (ql && name[ql - 1] != '$')
    ql--;
  ql--; /* start of "$_N" */
  struct sbuf v = {0};
  sb_putn(&v, name, ql);
  char *p = std_simplify(params);
  sb_puts(&v, "{lambda");
  sb_puts(&v, p ? p : params);
  sb_puts(&v, "}");
  free(p);
  free(params);
  /* One key, two readings in one unit: clang numbers the lambdas of each
   * function apart, so overloads' (f(int) and f(double): both "f::$_0")
   * and two call operators of one unnamed class meet.  The first one met
   * named them all, with its parameters; now none is named by parameters
   * it may not have.  (Full LTO's static functions of one name in several
   * files are apart: each unit reads its own.) */
  if (dup) {
    if (!v.oom && strcmp(dup->val, v.p)) {
      struct sbuf u = {0};
      sb_putn(&u, name, ql);
      sb_puts(&u, "{lambda}");
      if (!u.oom) {
        free(dup->val);
        dup->val = u.p;
      } else {
        free(u.p);
      }
    }
    free(v.p);
    free(name);
    return;
  }
  char *key = malloc(kl + 1);
  if (!key || v.oom ||
      wp_grow((void **)&nm->lambdas, &nm->caplambdas, nm->nlambdas + 1, sizeof *nm->lambdas)) {
    free(key);
    free(v.p);
    free(name);
    return;
  }
  memcpy(key, name, kl);
  key[kl] = 0;
  nm->lambdas[nm->nlambdas].key = key;
  nm->lambdas[nm->nlambdas].val = v.p;
  nm->lambdas[nm->nlambdas].cu = cu;
  nm->nlambdas++;
  free(name);
}

/* A subprogram's lambda, with its unit, once per subprogram. */
static void subprogram_lambda(struct wp_names *nm, struct wp_map *seen, LLVMMetadataRef sp) {
  if (!sp || wp_map_get(seen, (uintptr_t)sp) != UINT32_MAX)
    return;
  wp_map_put(seen, (uintptr_t)sp, 0);
  size_t len = 0;
  const char *s = whence_di_subprogram_linkage_name(sp, &len);
  if (s && len > 2 && !memcmp(s, "_Z", 2) && memchr(s, '$', len))
    add_lambda(nm, s, len, whence_di_subprogram_unit(sp));
}

/* The module's clang lambdas: its functions "Q::$_N::operator()", the
 * subprograms of those inlined into them (whose units the readings keep),
 * and those noted before inlining, of no known unit: a lambda inlined
 * away without a trace of its code (only mangled names with "$" in them
 * are demangled for this). */
static void load_lambdas(struct wp_names *nm, LLVMModuleRef M, LLVMContextRef ctx) {
  struct wp_map seen = {0};
  for (LLVMValueRef F = LLVMGetFirstFunction(M); F; F = LLVMGetNextFunction(F)) {
    if (LLVMIsDeclaration(F))
      continue;
    size_t len = 0;
    const char *s = LLVMGetValueName2(F, &len);
    LLVMMetadataRef sp = LLVMGetSubprogram(F);
    if (len >= 3 && !memcmp(s, "_Z", 2) && memchr(s, '$', len))
      add_lambda(nm, s, len, sp ? whence_di_subprogram_unit(sp) : NULL);
    if (sp)
      wp_map_put(&seen, (uintptr_t)sp, 0);
    LLVMMetadataRef prev = NULL;
    for (LLVMBasicBlockRef bb = LLVMGetFirstBasicBlock(F); bb; bb = LLVMGetNextBasicBlock(bb))
      for (LLVMValueRef I = LLVMGetFirstInstruction(bb); I; I = LLVMGetNextInstruction(I)) {
        LLVMMetadataRef dl = LLVMInstructionGetDebugLoc(I);
        if (!dl || dl == prev || !LLVMDILocationGetInlinedAt(dl))
          continue;
        prev = dl;
        for (LLVMMetadataRef L = dl; L; L = LLVMDILocationGetInlinedAt(L))
          subprogram_lambda(nm, &seen, whence_di_scope_subprogram(LLVMDILocationGetScope(L)));
      }
  }
  wp_map_free(&seen);
  unsigned n = LLVMGetNamedMetadataNumOperands(M, WP_LAMBDAS_MD);
  LLVMValueRef *nodes = n ? calloc(n, sizeof *nodes) : NULL;
  if (!nodes)
    return;
  LLVMGetNamedMetadataOperands(M, WP_LAMBDAS_MD, nodes);
  for (unsigned k = 0; k < n; k++) {
    /* (a second operand, a unit, was left by an older plugin: unused) */
    LLVMMetadataRef op = NULL;
    if (whence_md_operands(LLVMValueAsMetadata(nodes[k]), &op, 1) < 1 || !op)
      continue;
    unsigned len = 0;
    const char *s = LLVMGetMDString(LLVMMetadataAsValue(ctx, op), &len);
    if (s && len > 2 && !memcmp(s, "_Z", 2) && memchr(s, '$', len))
      add_lambda(nm, s, len, NULL);
  }
  free(nodes);
}

void wp_names_load(struct wp_table *t, LLVMModuleRef M) {
  load_lambdas(&t->names, M, t->ctx);
}

/* ---- the name of a subprog ------------------------------------------------- */

/* Interned qualified name for a linkage name, 0 when it is not C++. */
static uint32_t intern_cxx(struct wp_table *t, const char *linkage, size_t len,
                           LLVMMetadataRef cu) {
  char *q = wp_cxx_name(linkage, len, &t->names, cu);
  if (!q)
    return 0;
  uint32_t off = wp_intern(t, q, strlen(q));
  free(q);
  return off;
}

/* The part of a C++20 coroutine a clone suffix names (".resume",
 * ".destroy", ".cleanup": CoroSplit's; ".__await_suspend_wrapper__await":
 * clang's): ".resume" and its length, else NULL.  Such a part is a frame
 * of its own on the stack, beside the coroutine's ramp and each other (an
 * await_suspend wrapper called from the resume read as the coroutine
 * twice), so its name says which part, as llvm-symbolizer's does
 * ("gen (.resume)"); the other clone suffixes (.cold, .constprop.0,
 * .llvm.NNN) are pieces of one function and stay out. */
static const char *coro_part(const char *s, size_t len, size_t *n) {
  static const struct {
    const char *s;
    int prefix; /* (the wrapper's name goes on: "...__await", "...__init") */
  } parts[] = {{".resume", 0}, {".destroy", 0}, {".cleanup", 0},
               {".__await_suspend_wrapper__", 1}};
  const char *dot = s ? memchr(s, '.', len) : NULL;
  if (!dot)
    return NULL;
  size_t rest = len - (size_t)(dot - s), end = 1;
  while (end < rest && dot[end] != '.')
    end++;
  for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
    size_t pl = strlen(parts[i].s);
    if (end >= pl && !memcmp(dot, parts[i].s, pl) && (parts[i].prefix || end == pl)) {
      *n = end;
      return dot;
    }
  }
  return NULL;
}

/* name at off, with " (.part)" after it when there is one. */
static uint32_t with_part(struct wp_table *t, uint32_t off, const char *part, size_t n) {
  if (!part || t->oom)
    return off;
  size_t len = strlen(t->str + off);
  char *q = malloc(len + n + 4);
  if (!q)
    return off;
  memcpy(q, t->str + off, len);
  memcpy(q + len, " (", 2);
  memcpy(q + len + 2, part, n);
  q[len + 2 + n] = ')';
  uint32_t o = wp_intern(t, q, len + n + 3);
  free(q);
  return o ? o : off;
}

uint32_t wp_subprog_name(struct wp_table *t, LLVMMetadataRef sp, LLVMValueRef F,
                         int *qualified) {
  size_t len = 0;
  const char *s;
  *qualified = 0;
  if (sp) {
    /* -g: the subprogram's own linkage name. */
    s = whence_di_subprogram_linkage_name(sp, &len);
    size_t flen = 0, pn = 0;
    const char *fname = F && LLVMGetSubprogram(F) == sp ? LLVMGetValueName2(F, &flen) : NULL;
    if (!s && fname)
      s = fname, len = flen; /* the function itself */
    /* (CoroSplit's clones keep the coroutine's linkage name in their
     * subprograms; the function's own name has the suffix) */
    const char *part = coro_part(s, len, &pn);
    if (!part)
      part = coro_part(fname, flen, &pn);
    uint32_t off = s ? intern_cxx(t, s, len, whence_di_subprogram_unit(sp)) : 0;
    if (off) {
      *qualified = 1;
      return with_part(t, off, part, pn);
    }
    s = whence_di_subprogram_name(sp, &len);
    if (s && len)
      return wp_intern(t, s, len);
  }
  if (!F)
    return 0;
  s = LLVMGetValueName2(F, &len);
  LLVMMetadataRef fsp = LLVMGetSubprogram(F);
  uint32_t off = intern_cxx(t, s, len, fsp ? whence_di_subprogram_unit(fsp) : NULL);
  if (off) {
    size_t pn = 0;
    const char *part = coro_part(s, len, &pn);
    *qualified = 1;
    return with_part(t, off, part, pn);
  }
  return wp_intern(t, s, len);
}
