# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
# lit configuration for whence.  Tools come from LLVM 19's bin directory only:
# /usr/bin/opt and /usr/bin/clang on Debian 12 are LLVM 14.
import os
import lit.formats

config.name = "whence"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".ll", ".c", ".cpp"]
config.excludes = ["Inputs"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = getattr(config, "whence_obj_root", None) or os.path.join(
    config.test_source_root, "Output")

llvm_bin = getattr(config, "llvm_bin", "/usr/lib/llvm-19/bin")
plugin = getattr(config, "whence_plugin", "")
libdir = getattr(config, "whence_libdir", "")
incdir = getattr(config, "whence_incdir", "")
bindir = getattr(config, "whence_bindir", "")

cflags = "-I%s -fpass-plugin=%s" % (incdir, plugin)
libs = "-L%s -Wl,-rpath,%s -lwhence -lpthread -ldl" % (libdir, libdir)

# A cross build (cmake/cross.cmake): %clang compiles and links for the
# target with lld, %run runs a program under qemu-user with the target's
# libc, and only the tests that require the target's feature run
# (REQUIRES: x86_64-linux || aarch64-linux); everything else is the host's.
target = getattr(config, "whence_target", "")
run = getattr(config, "whence_run", "")
tflags = ""
if target:
    tflags = " --target=%s-linux-gnu -fuse-ld=lld" % target
    deps = getattr(config, "whence_deps", "")
    deplib = os.path.join(deps, "usr", "lib", "%s-linux-gnu" % target) if deps else ""
    if deplib and os.path.isdir(deplib):
        tflags += " -L%s -Wl,-rpath,%s" % (deplib, deplib)
config.substitutions += [
    ("%run", run),
    # Programs that scale their work down when emulated (seconds, not minutes),
    # or measure memory another way (Inputs/whence_emulated.h).
    ("%emulated_cflags", ("-DWHENCE_EMULATED=1 " if run else "") + "-I" +
     os.path.join(config.test_source_root, "Inputs")),
    ("%clangxx", os.path.join(llvm_bin, "clang++") + tflags),
    ("%clang", os.path.join(llvm_bin, "clang") + tflags),
    ("%opt", os.path.join(llvm_bin, "opt")),
    ("%llc", os.path.join(llvm_bin, "llc")),
    ("%lli", os.path.join(llvm_bin, "lli")),
    ("%plugin", plugin),
    ("%whence_cflags", cflags),
    ("%whence_libs", libs),
    ("%whence_static", os.path.join(libdir, "libwhence.a")),
    ("%whence_libdir", libdir),
    ("%whence_incdir", incdir),
    # (a cross build's whence-link is the target's: run under qemu too)
    ("%whence_link", (run + " " if run else "") + os.path.join(bindir, "whence-link")),
    ("%inputs", os.path.join(config.test_source_root, "Inputs")),
    # The other supported target (a file whence-link of this build refuses).
    ("%other_target", "x86_64-linux-gnu" if target == "aarch64" else "aarch64-linux-gnu"),
]

# FileCheck, not, count, llvm-readelf, llvm-objdump from LLVM 19.
config.environment["PATH"] = os.pathsep.join(
    [llvm_bin, config.environment.get("PATH", os.environ.get("PATH", ""))])
# Hermetic: the pass reads these from the environment under clang.
for var in ("WHENCE_SITES", "WHENCE_SLOTS", "WHENCE_LIVENESS", "WHENCE_LINES"):
    config.environment.pop(var, None)
# Hermetic: no system debug directory (/usr/lib/debug: libc6-dbg would
# name libc's frames on one machine and not on another); the tests of
# separate debug files set their own.
config.environment["WHENCE_DEBUG_FILE_DIRECTORY"] = ""

if target:
    config.available_features.add("%s-linux" % target)
    config.available_features.add("qemu-user")
    config.limit_to_features = {"%s-linux" % target}
else:
    config.available_features.add("x86_64-linux")
if any(os.path.exists(os.path.join(llvm_bin, "..", "lib", n)) for n in ("libomp.so", "libomp-19.so.5")):
    config.available_features.add("openmp")
# GNU ld and gold for the target (clang runs <triple>-ld.bfd when cross).
_ld_prefix = "/usr/bin/%s-linux-gnu-" % target if target else "/usr/bin/"
if os.path.exists(_ld_prefix + "ld.bfd"):
    config.available_features.add("ld.bfd")
if os.path.exists(_ld_prefix + "ld.gold"):
    config.available_features.add("ld.gold")
# mold (Debian's 1.10), which leaves SHF_LINK_ORDER sections in input order.
if not target and os.path.exists("/usr/bin/mold"):
    config.available_features.add("mold")
if os.path.exists(os.path.join(llvm_bin, "ld.lld")):
    config.available_features.add("lld")
# Root, able to run a set-user-ID program as another user (setpriv).
if not target and os.geteuid() == 0 and os.path.exists("/usr/bin/setpriv"):
    config.available_features.add("root-setpriv")
# patchelf, which Nix, conda and auditwheel run on every binary they ship.
if not target and os.path.exists("/usr/bin/patchelf"):
    config.available_features.add("patchelf")
# BOLT (Debian's bolt-19): a post-link optimizer that moves code.
if os.path.exists(os.path.join(llvm_bin, "llvm-bolt")):
    config.available_features.add("bolt")

# Other compilers, for the tests that whence says what is wrong when it is
# built or loaded with them: gcc (no plugin at all) and a clang of another
# LLVM major version (the plugin is built for LLVM 19).  (The host's gcc:
# not for a cross target's programs.)
if not target and os.path.exists("/usr/bin/gcc"):
    config.available_features.add("gcc")
    config.substitutions.append(("%gcc", "/usr/bin/gcc"))
import glob
for other in sorted(glob.glob("/usr/lib/llvm-*/bin/clang")):
    if os.path.realpath(os.path.dirname(other)) != os.path.realpath(llvm_bin):
        config.available_features.add("other-clang")
        config.substitutions.append(("%other_clang", other))
        break

# LLVM's libc++ (Debian's libc++-19-dev): C++ programs built -stdlib=libc++.
if os.path.exists(os.path.join(llvm_bin, "..", "lib", "libc++.so")) and target != "aarch64":
    config.available_features.add("libcxx")

# Boost.Context (Debian's libboost-context-dev): fibers whose stacks start in
# its assembly (lit/e2e/boost-fiber-bottom.cpp).
if not target and os.path.exists("/usr/include/boost/context/fiber.hpp") and \
        os.path.exists("/usr/lib/x86_64-linux-gnu/libboost_context.so"):
    config.available_features.add("boost-context")

# go tool pprof (Debian's golang-go) reads the CPU profiles of lit/profile.
import shutil
go = shutil.which("go")
if go:
    config.available_features.add("go")
    config.substitutions.append(("%pprof", go + " tool pprof"))
    config.environment["PATH"] += os.pathsep + os.path.dirname(go)

# rustc (rustup's, or Debian's): the real compiler behind rustup's proxy, so
# that RUN lines need no rustup environment.  %rust_libs: Rust's own
# libraries (libstd, librustc_driver), whose symbols are v0 names, for the
# demangler's corpus check.
rustc = shutil.which("rustc") or os.path.expanduser("~/.cargo/bin/rustc")
if os.path.exists(rustc):
    import subprocess
    try:
        sysroot = subprocess.run([rustc, "--print", "sysroot"], capture_output=True, text=True,
                                 timeout=120).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        sysroot = ""
    real = os.path.join(sysroot, "bin", "rustc")
    rust_libs = sorted(glob.glob(os.path.join(sysroot, "lib", "rustlib", "*", "lib", "libstd-*.so")))
    rust_libs += sorted(glob.glob(os.path.join(sysroot, "lib", "librustc_driver-*.so")))
    if sysroot and os.path.exists(real) and rust_libs:
        config.available_features.add("rustc")
        config.substitutions.append(("%rustc", real))
        config.substitutions.append(("%rust_libs", " ".join(rust_libs)))

# %noproc runs a command with an empty /proc (a mount namespace with a tmpfs
# over /proc: a container or chroot without /proc), as root or in a user
# namespace; the feature is there when either works.
import subprocess
_noproc = os.path.join(config.test_source_root, "Inputs", "noproc.sh")
for _pre in (["unshare", "-m"], ["unshare", "-rm"]):
    try:
        if subprocess.run(_pre + ["sh", _noproc, "true"], stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL, timeout=20).returncode == 0:
            config.available_features.add("noproc")
            config.substitutions.append(("%noproc", " ".join(_pre + ["sh", _noproc])))
            break
    except (OSError, subprocess.SubprocessError):
        pass
# %foreign_pidns runs a command as the first process of a new PID namespace
# that keeps the outer /proc (`unshare -p --fork` without --mount-proc):
# /proc numbers its threads as the outer namespace does.
for _pre in (["unshare", "-p", "--fork"], ["unshare", "-rp", "--fork"]):
    try:
        if subprocess.run(_pre + ["sh", "-c", 'test "$$" = 1 && test "$(readlink /proc/self)" != 1'],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                          timeout=20).returncode == 0:
            config.available_features.add("foreign-pidns")
            config.substitutions.append(("%foreign_pidns", " ".join(_pre)))
            break
    except (OSError, subprocess.SubprocessError):
        pass
# Whether two ELF files have the same ELF and program headers, byte for byte.
config.substitutions.append(("%headers_equal", "python3 " + os.path.join(
    config.test_source_root, "Inputs", "headers_equal.py")))
if shutil.which("gdb"):
    config.available_features.add("gdb")
# valgrind (Debian's 3.19), which users run their programs under.
if shutil.which("valgrind"):
    config.available_features.add("valgrind")
    config.substitutions.append(("%valgrind", shutil.which("valgrind")))
# libc6-dbg: libc's separate debug file under /usr/lib/debug by build id
# (lit/e2e/crash-line-debugfile-libc.c reads its symbol table and its
# compressed line table; %libc_so: libc's path).
for _libc in ("/lib/x86_64-linux-gnu/libc.so.6", "/usr/lib/x86_64-linux-gnu/libc.so.6"):
    if not target and os.path.exists(_libc):
        if subprocess.run(["python3", os.path.join(config.test_source_root, "Inputs", "debugfile.py"),
                           "has-by-id", _libc, "/usr/lib/debug"], stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL).returncode == 0:
            config.available_features.add("libc-dbg")
            config.substitutions.append(("%libc_so", _libc))
        break
# A C extension module for the Python that runs lit (its headers: Debian's
# python3-dev for /usr/bin/python3).
import sys
import sysconfig
_py_inc = sysconfig.get_paths().get("include", "")
if not target and _py_inc and os.path.exists(os.path.join(_py_inc, "Python.h")):
    config.available_features.add("python-ext")
    config.substitutions.append(("%python_ext_cflags", "-I" + _py_inc))
    config.substitutions.append(("%python", sys.executable))
