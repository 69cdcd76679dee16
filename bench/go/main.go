// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Command whencebench measures Go's own runtime introspection, the reference
// whence is judged against (docs/BENCH.md), with the same method and the same
// output as bench/bench_caller.c: ns per op, warm, median of repeats.
//
// It needs the generated file funcs_gen.go (bench/gen_funcs.sh go N); run it
// through bench/go/run.sh, which builds it offline in the build directory:
//
//	whencebench [-raw] [-repeats N] [-ms N]   warm benchmarks
//	whencebench -first [-raw]                 one first FuncForPC in this process
//	whencebench-first [-raw]                  the same (10,000-function binary)
package main

import (
	"flag"
	"fmt"
	"os"
	"reflect"
	"runtime"
	"sort"
	"strings"
	"time"
)

const deep = 40 // recursion depth under the capture benchmarks (as in C)

var (
	sink   uintptr
	genPCs []uintptr // return address of the call in genF<i>
	order  []int
)

//go:noinline
func genSink(i int) {
	var b [1]uintptr
	if runtime.Callers(2, b[:]) == 1 && i < len(genPCs) {
		genPCs[i] = b[0]
	}
}

// atDepth runs op(iters) under n more frames of itself.
//
//go:noinline
func atDepth(n int, op func(int), iters int) {
	if n > 0 {
		atDepth(n-1, op, iters)
	} else {
		op(iters)
	}
	sink++
}

// permutation is bench_permutation of bench/bench_util.h (xorshift64).
func permutation(n int) []int {
	s := uint64(0x9e3779b97f4a7c15)
	o := make([]int, n)
	for i := range o {
		o[i] = i
	}
	for i := n - 1; i > 0; i-- {
		s ^= s << 13
		s ^= s >> 7
		s ^= s << 17
		j := int(s % uint64(i+1))
		o[i], o[j] = o[j], o[i]
	}
	return o
}

//go:noinline
func opCaller1(iters int) {
	acc := uintptr(0)
	for i := 0; i < iters; i++ {
		_, file, line, _ := runtime.Caller(1)
		acc += uintptr(file[0]) + uintptr(line)
	}
	sink += acc
}

func opCallers(depth int) func(int) {
	return func(iters int) {
		var pcs [32]uintptr
		acc := uintptr(0)
		for i := 0; i < iters; i++ {
			n := runtime.Callers(1, pcs[:depth])
			acc += uintptr(n) + pcs[n-1]
		}
		sink += acc
	}
}

//go:noinline
func opFrames32(iters int) {
	var pcs [32]uintptr
	acc := uintptr(0)
	for i := 0; i < iters; i++ {
		n := runtime.Callers(1, pcs[:])
		frames := runtime.CallersFrames(pcs[:n])
		for {
			f, more := frames.Next()
			acc += uintptr(len(f.Function)) + uintptr(len(f.File)) + uintptr(f.Line)
			if !more {
				break
			}
		}
	}
	sink += acc
}

//go:noinline
func opFFPName(iters int) {
	acc := uintptr(0)
	j := 0
	for i := 0; i < iters; i++ {
		f := runtime.FuncForPC(genPCs[order[j]])
		acc += uintptr(f.Name()[0])
		if j++; j == len(order) {
			j = 0
		}
	}
	sink += acc
}

//go:noinline
func opFFPLine(iters int) {
	acc := uintptr(0)
	j := 0
	for i := 0; i < iters; i++ {
		pc := genPCs[order[j]]
		f := runtime.FuncForPC(pc)
		file, line := f.FileLine(pc - 1) // the call's line, as CallersFrames does
		acc += uintptr(f.Name()[0]) + uintptr(file[0]) + uintptr(line)
		if j++; j == len(order) {
			j = 0
		}
	}
	sink += acc
}

func timeOp(op func(int), depth, repeats int, ms float64) float64 {
	iters := 8
	var dt time.Duration
	for {
		t0 := time.Now()
		atDepth(depth, op, iters)
		dt = time.Since(t0)
		if dt >= time.Millisecond || iters >= 1<<32 {
			break
		}
		iters *= 2
	}
	if dt <= 0 {
		dt = 1
	}
	iters = int(float64(iters) * ms * 1e6 / float64(dt))
	if iters < 1 {
		iters = 1
	}
	v := make([]float64, repeats)
	for r := range v {
		t0 := time.Now()
		atDepth(depth, op, iters)
		v[r] = float64(time.Since(t0).Nanoseconds()) / float64(iters)
	}
	sort.Float64s(v)
	if repeats%2 == 1 {
		return v[repeats/2]
	}
	return (v[repeats/2-1] + v[repeats/2]) / 2
}

func check() {
	bad := 0
	for i, pc := range genPCs {
		f := runtime.FuncForPC(pc)
		_, line := f.FileLine(pc - 1)
		if f == nil || !strings.HasSuffix(f.Name(), fmt.Sprintf(".genF%d", i)) || line != 7+6*i {
			if bad == 0 {
				fmt.Fprintf(os.Stderr, "whencebench: pc %#x: %s line %d, want genF%d line %d\n", pc, f.Name(), line, i, 7+6*i)
			}
			bad++
		}
	}
	if bad > 0 {
		fmt.Fprintf(os.Stderr, "whencebench: %d of %d generated pcs resolve wrongly\n", bad, len(genPCs))
		os.Exit(1)
	}
}

// The first lookup, a function of its own so that callgrind can count its
// instructions (scripts/bench.sh --callgrind).
//
//go:noinline
func firstLookup(pc uintptr) string {
	return runtime.FuncForPC(pc).Name()
}

func first(raw bool) {
	k := len(genFuncs) / 2
	pc := reflect.ValueOf(genFuncs[k]).Pointer() + 1
	_ = time.Now()
	_ = time.Now()
	t0 := time.Now()
	name := firstLookup(pc)
	c := name[0]
	dt := time.Since(t0).Nanoseconds()
	sink += uintptr(c)
	if !strings.HasSuffix(name, fmt.Sprintf(".genF%d", k)) {
		fmt.Fprintf(os.Stderr, "whencebench: first lookup named %s\n", name)
		os.Exit(1)
	}
	if raw {
		fmt.Printf("go_first\t%d\n", dt)
	} else {
		fmt.Printf("first FuncForPC+Name in a fresh process (%d funcs): %d ns\n", len(genFuncs), dt)
	}
}

func main() {
	raw := flag.Bool("raw", false, "print key<TAB>ns lines")
	firstMode := flag.Bool("first", false, "measure the first FuncForPC in this process")
	repeats := flag.Int("repeats", 11, "repeats per benchmark (median)")
	ms := flag.Float64("ms", 4, "milliseconds per repeat")
	npcs := flag.Int("n", 1000, "distinct functions for the FuncForPC benchmarks")
	flag.Parse()
	if *firstMode || strings.HasSuffix(os.Args[0], "-first") {
		first(*raw)
		return
	}
	if *npcs > len(genFuncs) {
		*npcs = len(genFuncs)
	}
	genPCs = make([]uintptr, *npcs)
	for i := 0; i < *npcs; i++ {
		sink += uintptr(genFuncs[i](i))
	}
	order = permutation(*npcs)
	check()

	ops := []struct {
		key, label string
		fn         func(int)
		depth      int
	}{
		{"go_caller1", "runtime.Caller(1): file+line", opCaller1, 8},
		{"go_callers10", "runtime.Callers, 10 frames", opCallers(10), deep},
		{"go_callers32", "runtime.Callers, 32 frames", opCallers(32), deep},
		{"go_frames32", "Callers+CallersFrames, 32 frames", opFrames32, deep},
		{"go_ffp_name", "FuncForPC+Name, 1,000 distinct pcs", opFFPName, 8},
		{"go_ffp_line", "FuncForPC+Name+FileLine, 1,000 pcs", opFFPLine, 8},
	}
	if !*raw {
		fmt.Printf("%-40s %10s\n", "operation (Go "+runtime.Version()+")", "ns/op")
		fmt.Println(strings.Repeat("-", 51))
	}
	for _, o := range ops {
		ns := timeOp(o.fn, o.depth, *repeats, *ms)
		if *raw {
			fmt.Printf("%s\t%.3f\n", o.key, ns)
		} else {
			fmt.Printf("%-40s %10.1f\n", o.label, ns)
		}
	}
}
