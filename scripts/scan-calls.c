/* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception */
/*
 * scan-calls.c - the helper of scan-calls.py: asks whence about return
 * addresses.  Linked into a program built with the plugin (it is the
 * program's main), it reads lines "MODULE OFFSET" on stdin (MODULE "-": the
 * program itself; else a shared object's path, loaded with dlopen; OFFSET
 * hex: the address in the module's file, as llvm-objdump shows it) and prints, for each, whence's
 * logical frames of that return address, innermost first,
 *   W <TAB> known <TAB> function <TAB> file <TAB> line <TAB> inlined
 * (known: 1 when whence has the frame's function) and then "END".  A module it cannot load gives "END" alone.
 *
 * A line "* MODULE" asks about every byte of the module's code instead: for
 * each maximal run of pcs with the same answer (whence_func_for_pc's
 * function and entry, and the logical frames of the pc taken as a return
 * address) it prints
 *   B <TAB> offset <TAB> entry offset <TAB> function <TAB> frames
 * (offsets in the module's file addresses; an entry in another image, a
 * PLT stub's target, as "image+offset" in that image's; frames
 * "function:file:line:inlined;..."),
 * then "END".  scan-link.sh compares these between a file and its copy
 * processed by whence-link.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <link.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <whence.h>

extern char __ehdr_start;

/* The program's load bias: where its ELF header is, less the address its
 * first segment (the one that maps the header) has in the file. */
static uintptr_t program_bias(void) {
  const ElfW(Ehdr) *eh = (const ElfW(Ehdr) *)&__ehdr_start;
  const ElfW(Phdr) *ph = (const ElfW(Phdr) *)((const char *)eh + eh->e_phoff);
  for (int i = 0; i < eh->e_phnum; i++)
    if (ph[i].p_type == PT_LOAD && ph[i].p_offset == 0)
      return (uintptr_t)eh - ph[i].p_vaddr;
  return (uintptr_t)eh;
}

/* Load bias of path (loaded once); 0: not loadable. */
static int module_base(const char *path, uintptr_t *base) {
  static char last[4096];
  static uintptr_t last_base;
  static int last_ok;
  if (!strcmp(path, "-")) {
    *base = program_bias();
    return 1;
  }
  if (strcmp(path, last)) {
    snprintf(last, sizeof last, "%s", path);
    struct link_map *lm = NULL;
    void *h = dlopen(path, RTLD_NOW | RTLD_GLOBAL);
    last_ok = h && dlinfo(h, RTLD_DI_LINKMAP, &lm) == 0 && lm;
    if (!h)
      fprintf(stderr, "scan-calls: %s\n", dlerror());
    last_base = last_ok ? lm->l_addr : 0;
  }
  *base = last_base;
  return last_ok;
}

static char prev[8192], cur[8192];

/* Every byte of the executable segments of the image whose bias is base. */
static int scan_phdr(struct dl_phdr_info *info, size_t sz, void *arg) {
  (void)sz;
  if (info->dlpi_addr != *(uintptr_t *)arg)
    return 0;
  prev[0] = 0;
  for (int i = 0; i < info->dlpi_phnum; i++) {
    const ElfW(Phdr) *p = &info->dlpi_phdr[i];
    if (p->p_type != PT_LOAD || !(p->p_flags & PF_X))
      continue;
    uintptr_t lo = info->dlpi_addr + p->p_vaddr, hi = lo + p->p_memsz;
    for (uintptr_t pc = lo; pc < hi; pc++) {
      const whence_func *fn = whence_func_for_pc(pc);
      size_t n = 0;
      cur[0] = 0;
      if (fn) {
        whence_frames it;
        whence_frame f;
        /* A PLT stub's function is another image's: its offset there
         * (where that image landed differs between runs) */
        uintptr_t entry = whence_func_entry(fn);
        Dl_info di;
        if (dladdr((void *)entry, &di) && di.dli_fname && (uintptr_t)di.dli_fbase != info->dlpi_addr) {
          const char *b = strrchr(di.dli_fname, '/');
          n = (size_t)snprintf(cur, sizeof cur, "%s+%lx\t%s\t", b ? b + 1 : di.dli_fname,
                               (unsigned long)(entry - (uintptr_t)di.dli_fbase), whence_func_name(fn));
        } else {
          n = (size_t)snprintf(cur, sizeof cur, "%lx\t%s\t", (unsigned long)(entry - info->dlpi_addr),
                               whence_func_name(fn));
        }
        whence_frames_init(&it, &pc, 1);
        while (whence_frames_next(&it, &f) && n < sizeof cur - 1024)
          n += (size_t)snprintf(cur + n, sizeof cur - n, "%s:%s:%d:%d;", f.function ? f.function : "",
                                f.file ? f.file : "", (int)f.line, (int)f.inlined);
      }
      if (strcmp(cur, prev)) {
        printf("B\t%lx\t%s\n", (unsigned long)(pc - info->dlpi_addr), cur);
        memcpy(prev, cur, n + 1);
      }
    }
  }
  return 1;
}

int main(void) {
  char line[4200], path[4096];
  unsigned long long off;
  while (fgets(line, sizeof line, stdin)) {
    uintptr_t base;
    if (line[0] == '*' && sscanf(line + 1, "%4095s", path) == 1) {
      if (module_base(path, &base))
        dl_iterate_phdr(scan_phdr, &base);
    } else if (sscanf(line, "%4095s %llx", path, &off) == 2 && module_base(path, &base)) {
      uintptr_t ra = base + (uintptr_t)off;
      whence_frames it;
      whence_frame f;
      whence_frames_init(&it, &ra, 1);
      while (whence_frames_next(&it, &f))
        printf("W\t%d\t%s\t%s\t%d\t%d\n", f.func != NULL, f.function ? f.function : "", f.file ? f.file : "",
               (int)f.line, (int)f.inlined);
    }
    printf("END\n");
  }
  return 0;
}
