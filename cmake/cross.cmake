# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
# Cross builds for another target, tested under qemu-user (docs/AARCH64.md).
#
# Host build with WHENCE_TARGET=aarch64: an external project builds the
# runtime and its tests for the target in <build>/aarch64 with the pass
# plugin of this build, and ctest runs its unit tests (aarch64.unit) and its
# lit suite (aarch64.lit: the end-to-end tests marked for the target, each
# program run through qemu).  The target's BDWGC and cmocka come from
# Debian's arm64 packages, unpacked by scripts/cross-deps.sh into
# WHENCE_AARCH64_DEPS.
#
# The cross build itself (CMAKE_CROSSCOMPILING, from the toolchain file):
# runtime, libwhence-gc, whence-link (it computes a table with the runtime's
# own lookups, which read the image's code as the target's: its lit tests
# run it under qemu too), unit tests, lit; no plugin, benchmarks, debugger
# sessions or install test.
if(NOT CMAKE_CROSSCOMPILING)
  if(NOT WHENCE_TARGET STREQUAL "aarch64")
    message(FATAL_ERROR "WHENCE_TARGET=${WHENCE_TARGET}: the only cross target is aarch64")
  endif()
  set(WHENCE_AARCH64_DEPS "${CMAKE_BINARY_DIR}/aarch64-deps" CACHE PATH
      "AArch64 BDWGC and cmocka, unpacked (scripts/cross-deps.sh)")
  if(NOT EXISTS "${WHENCE_AARCH64_DEPS}/.whence-cross-deps")
    execute_process(COMMAND ${PROJECT_SOURCE_DIR}/scripts/cross-deps.sh ${WHENCE_AARCH64_DEPS}
                    RESULT_VARIABLE deps_rc)
    if(NOT deps_rc EQUAL 0)
      message(WARNING "whence: no AArch64 BDWGC/cmocka (scripts/setup.sh --cross): "
                      "the aarch64 unit tests and libwhence-gc are not built")
    endif()
  endif()
  include(ExternalProject)
  set(cross_dir ${CMAKE_BINARY_DIR}/aarch64)
  ExternalProject_Add(whence-aarch64
    SOURCE_DIR ${PROJECT_SOURCE_DIR}
    BINARY_DIR ${cross_dir}
    CMAKE_GENERATOR Ninja
    CMAKE_ARGS -DCMAKE_TOOLCHAIN_FILE=${PROJECT_SOURCE_DIR}/cmake/aarch64-linux-gnu.cmake
               -DWHENCE_HOST_PLUGIN=$<TARGET_FILE:whence-pass>
               -DWHENCE_AARCH64_DEPS=${WHENCE_AARCH64_DEPS}
               -DCMAKE_BUILD_TYPE=${CMAKE_BUILD_TYPE}
               -DWHENCE_WERROR=${WHENCE_WERROR}
    INSTALL_COMMAND ""
    BUILD_ALWAYS ON
    USES_TERMINAL_BUILD ON
    DEPENDS whence-pass)
  if(WHENCE_BUILD_TESTS)
    find_package(Python3 REQUIRED COMPONENTS Interpreter)
    add_test(NAME aarch64.unit COMMAND ${CMAKE_CTEST_COMMAND} --test-dir ${cross_dir}
             -R "^unit[.]" --output-on-failure)
    add_test(NAME aarch64.lit COMMAND ${Python3_EXECUTABLE}
             ${LLVM_TOOLS_BINARY_DIR}/../build/utils/lit/lit.py -sv ${cross_dir}/lit)
  endif()
  return()
endif()

if(NOT WHENCE_HOST_PLUGIN OR NOT EXISTS "${WHENCE_HOST_PLUGIN}")
  message(FATAL_ERROR "a cross build needs the host build's plugin: -DWHENCE_HOST_PLUGIN=<host build>/lib/whence-pass.so "
                      "(or configure the host build with -DWHENCE_TARGET=${CMAKE_SYSTEM_PROCESSOR})")
endif()
add_subdirectory(runtime)
add_subdirectory(runtime/gc)
add_subdirectory(tools/whence-link)
if(WHENCE_BUILD_TESTS)
  enable_testing()
  find_library(CMOCKA_LIB cmocka)
  if(CMOCKA_LIB)
    add_subdirectory(tests)
    if(TARGET whence_gc_static)
      add_subdirectory(tests/gc)
    endif()
  else()
    message(WARNING "whence: no cmocka for ${CMAKE_SYSTEM_PROCESSOR}: unit tests not built")
  endif()
  add_subdirectory(lit)
endif()
