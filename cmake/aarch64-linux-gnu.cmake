# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
# Toolchain file: whence's runtime, unit tests and end-to-end tests for
# AArch64 Linux, built on another host with LLVM 19's clang and lld against
# Debian's cross sysroot (libc6-dev-arm64-cross, libgcc-12-dev-arm64-cross)
# and run under qemu-user.  The pass plugin is a host program: a cross build
# takes it from a host build (WHENCE_HOST_PLUGIN), which is what
# -DWHENCE_TARGET=aarch64 on the host build arranges (docs/AARCH64.md).
#
#   WHENCE_AARCH64_SYSROOT  the target's libc (default /usr/aarch64-linux-gnu)
#   WHENCE_AARCH64_DEPS     a directory with the target's BDWGC and cmocka
#                           unpacked as a Debian root (scripts/cross-deps.sh)
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)

set(WHENCE_LLVM_BIN /usr/lib/llvm-19/bin CACHE PATH "LLVM 19's tools")
set(CMAKE_C_COMPILER ${WHENCE_LLVM_BIN}/clang)
set(CMAKE_CXX_COMPILER ${WHENCE_LLVM_BIN}/clang++)
set(CMAKE_C_COMPILER_TARGET aarch64-linux-gnu)
set(CMAKE_CXX_COMPILER_TARGET aarch64-linux-gnu)
set(CMAKE_EXE_LINKER_FLAGS_INIT "-fuse-ld=lld")
set(CMAKE_SHARED_LINKER_FLAGS_INIT "-fuse-ld=lld")
set(CMAKE_MODULE_LINKER_FLAGS_INIT "-fuse-ld=lld")

set(WHENCE_AARCH64_SYSROOT /usr/aarch64-linux-gnu CACHE PATH "AArch64 libc (qemu's -L)")
set(WHENCE_AARCH64_DEPS "" CACHE PATH "AArch64 BDWGC and cmocka, unpacked (scripts/cross-deps.sh)")
set(CMAKE_FIND_ROOT_PATH ${WHENCE_AARCH64_SYSROOT})
if(WHENCE_AARCH64_DEPS)
  list(PREPEND CMAKE_FIND_ROOT_PATH ${WHENCE_AARCH64_DEPS})
endif()
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
# LLVM's CMake package (for its tools' directory) is the host's.
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE BOTH)

find_program(WHENCE_QEMU_AARCH64 qemu-aarch64)
if(WHENCE_QEMU_AARCH64)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${WHENCE_QEMU_AARCH64} -L ${WHENCE_AARCH64_SYSROOT})
endif()
