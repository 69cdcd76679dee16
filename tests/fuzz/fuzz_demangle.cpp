// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// fuzz_demangle.cpp - differential libFuzzer target for the runtime's
// demangler (runtime/cxx/demangle.c): the input, after "_Z" and up to its
// first NUL, is demangled by wh_demangle and, when that answers, by LLVM's
// own demangler (llvm::itaniumDemangle, what llvm-cxxfilt prints); the two
// must be byte-identical and the name span must lie inside the answer.  A
// name LLVM 19 fails on (conversion operators to std::string and the like)
// is compared with the plugin's second reading of such a name.
// An input that starts with 'R' is a Rust v0 name instead ("_" and the
// input): wh_rust_v0 (runtime/cxx/rust_v0.c) against llvm::rustDemangle.
// ASan checks that nothing is read past the NUL (the name is an exact-size
// copy) or written past the cap.  Built by build_fuzz_demangle.sh.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "llvm/Demangle/Demangle.h"
#include "llvm/Demangle/ItaniumDemangle.h"

extern "C" size_t wh_demangle(const char *mangled, char *out, size_t cap, size_t *name_off,
                              size_t *name_len);
extern "C" size_t wh_rust_v0(const char *mangled, char *out, size_t cap, size_t *name_off,
                             size_t *name_len);

namespace id = llvm::itanium_demangle;

struct Arena {
    std::vector<void *> blocks;
    void *get(size_t n) {
        blocks.push_back(std::calloc(1, n));
        return blocks.back();
    }
    template <typename T, typename... Args> id::Node *makeNode(Args &&...args) {
        return new (get(sizeof(T))) T(std::forward<Args>(args)...);
    }
    void *allocateNodeArray(size_t n) { return get(sizeof(id::Node *) * n); }
    void reset() {
        for (void *b : blocks)
            std::free(b);
        blocks.clear();
    }
    ~Arena() { reset(); }
};

// The plugin's second reading (passes/plugin.cpp, ArgsParser): template
// arguments switched back on inside template arguments.
struct ArgsParser : id::AbstractManglingParser<ArgsParser, Arena> {
    using Base = id::AbstractManglingParser<ArgsParser, Arena>;
    using Base::AbstractManglingParser;
    id::Node *parseTemplateArgs(bool TagTemplates = false) {
        id::ScopedOverride<bool> Args(this->TryToParseTemplateArgs, true);
        return Base::parseTemplateArgs(TagTemplates);
    }
};

// The reference: LLVM's reading, else the plugin's second one; NULL when
// both fail.
static char *reference(const std::string &s) {
    if (char *ref = llvm::itaniumDemangle(s, true))
        return ref;
    ArgsParser P(s.data(), s.data() + s.size());
    id::Node *root = P.parse();
    if (!root)
        return nullptr;
    id::OutputBuffer OB;
    root->print(OB);
    OB += '\0';
    return OB.getBuffer();
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    bool rust = size && data[0] == 'R';
    std::string s = (rust ? "_" : "_Z") + std::string(reinterpret_cast<const char *>(data), size);
    s.resize(strlen(s.c_str()));
    char *name = static_cast<char *>(malloc(s.size() + 1));
    memcpy(name, s.c_str(), s.size() + 1);
    // the crash report's buffer, and a small one
    for (size_t cap : {size_t(1024), size_t(40)}) {
        char *out = static_cast<char *>(malloc(cap));
        size_t off = 0, len = 0;
        size_t n = (rust ? wh_rust_v0 : wh_demangle)(name, out, cap, &off, &len);
        if (n) {
            char *ref = rust ? llvm::rustDemangle(s) : reference(s);
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
