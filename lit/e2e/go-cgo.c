// A Go program calling C code built with the plugin (cgo, Go's external
// link): the C frames are exact, each caller at its __LINE__, and the
// walk ends at the Go frames (Inputs/cgo/main.go).  Go's internal linker
// (-ldflags=-linkmode=internal) refuses such objects (LINKING.md).  The
// lines are Inputs/cgo/main.go's (20: c_callers' call of whence_callers,
// 34: c_entry's call of c_callers); the cgo wrapper is instrumented too.
// REQUIRES: x86_64-linux, go
// RUN: rm -rf %t && mkdir -p %t/cache %t/path %t/src
// RUN: cp %S/Inputs/cgo/main.go %t/src/ && printf 'module wgo\ngo 1.19\n' > %t/src/go.mod
// RUN: cd %t/src && env CC="%clang" CGO_CFLAGS="-O2 -gline-tables-only %whence_cflags" CGO_LDFLAGS="%whence_libs" GOCACHE=%t/cache GOPATH=%t/path GOFLAGS=-mod=mod GOPROXY=off go build -o %t/prog .
// RUN: %t/prog | FileCheck %s
// CHECK: caller: c_entry line
// CHECK-NEXT: callers:
// CHECK-SAME: c_callers {{.*}}main.go:20 c_entry {{.*}}main.go:34 _cgo_{{[0-9a-f]+}}_Cfunc_c_entry {{.*}}cgo-gcc-prolog:{{[0-9]+}} ((the stack ends here
// CHECK-NEXT: c_entry: 1
