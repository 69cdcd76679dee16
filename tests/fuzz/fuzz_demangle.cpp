// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// fuzz_demangle.cpp - differential libFuzzer target for the runtime's
// demangler (runtime/cxx/demangle.c): the input, after "_Z" and up to its
// first NUL, is demangled by wh_demangle and, when that answers, by LLVM's
// own demangler (llvm::itaniumDemangle, what llvm-cxxfilt prints); the two
// must be byte-identical and the name span must lie inside the answer.
// ASan checks that nothing is read past the NUL (the name is an exact-size
// copy) or written past the cap.  Built by build_fuzz_demangle.sh.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "llvm/Demangle/Demangle.h"

extern "C" size_t wh_demangle(const char *mangled, char *out, size_t cap, size_t *name_off,
                              size_t *name_len);

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    std::string s = "_Z" + std::string(reinterpret_cast<const char *>(data), size);
    s.resize(strlen(s.c_str()));
    char *name = static_cast<char *>(malloc(s.size() + 1));
    memcpy(name, s.c_str(), s.size() + 1);
    // the crash report's buffer, and a small one
    for (size_t cap : {size_t(1024), size_t(40)}) {
        char *out = static_cast<char *>(malloc(cap));
        size_t off = 0, len = 0;
        size_t n = wh_demangle(name, out, cap, &off, &len);
        if (n) {
            char *ref = llvm::itaniumDemangle(s, true);
            if (!ref || strcmp(ref, out) || n != strlen(out) || n >= cap || off + len > n) {
                fprintf(stderr, "MISMATCH %s\n  wh_demangle: %s [%zu,%zu)\n  llvm:        %s\n",
                        name, out, off, off + len, ref ? ref : "(rejected)");
                abort();
            }
            free(ref);
        } else if (out[0]) {
            fprintf(stderr, "unsupported but out not empty: %s\n", name);
            abort();
        }
        free(out);
    }
    free(name);
    return 0;
}
