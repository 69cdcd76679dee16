// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// main.go - crash.cpp's scenarios in Go, for docs/COMPARISON.md (run by
// scripts/compare.sh): what Go's runtime prints on its own.
//
//	segv      a nil pointer written 3 frames below main (in a closure of a
//	          function called by a method)
//	abort     SIGABRT sent to itself there (Go has no abort())
//	overflow  unbounded recursion
//	uncaught  a panic 3 frames below main, never recovered
//	caught    the same panic recovered in main: debug.Stack() in the
//	          deferred function still shows where it started
//	bench     ns per capture of a 32-frame stack (runtime.Callers) and per
//	          printing it (runtime.CallersFrames: names, files, lines)
package main

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"
	"syscall"
	"time"
)

var nilp *int
var sink int

// main -> (*Server).handle -> validate -> its closure, where the fault,
// SIGABRT or panic happens: 3 frames below main.
type Server struct{}

//go:noinline
func validate(what string, limit int) {
	fail := func(v int) {
		switch what {
		case "segv":
			*nilp = v
		case "abort":
			syscall.Kill(os.Getpid(), syscall.SIGABRT)
			time.Sleep(time.Second)
		default:
			panic(errors.New("validation failed"))
		}
		sink = 1
	}
	fail(limit)
	sink = 2
}

//go:noinline
func (s *Server) handle(what string) {
	validate(what, 42)
	sink = 3
}

func level1(what string) {
	var s Server
	s.handle(what)
}

//go:noinline
func recurse(n int) int {
	var pad [256]byte
	pad[n%256] = byte(n)
	return recurse(n+1) + int(pad[0])
}

type trace struct {
	pcs [64]uintptr
	n   int
}

//go:noinline
func (t *trace) capture() { t.n = runtime.Callers(1, t.pcs[:]) }

func (t *trace) print() string {
	var b strings.Builder
	frames := runtime.CallersFrames(t.pcs[:t.n])
	for {
		f, more := frames.Next()
		fmt.Fprintf(&b, "%s(...)\n\t%s:%d\n", f.Function, f.File, f.Line)
		if !more {
			break
		}
	}
	return b.String()
}

// 32 frames: main.main, main.bench, 29 x deep, capture (plus Go's own
// runtime.main and goexit below main).
//
//go:noinline
func deep(n int, t *trace) {
	if n == 0 {
		t.capture()
	} else {
		deep(n-1, t)
	}
	sink = n
}

func median(v []float64) float64 { sort.Float64s(v); return v[len(v)/2] }

func bench() {
	var t trace
	t0 := time.Now()
	deep(29, &t)
	first := t.print()
	cold := time.Since(t0)
	var capt, prt []float64
	for r := 0; r < 15; r++ {
		n, m := 2000, 0
		a := time.Now()
		for i := 0; i < n; i++ {
			deep(29, &t)
		}
		b := time.Now()
		l := 0
		c := b
		for m < 20 && (m == 0 || c.Sub(b) < 20*time.Millisecond) {
			l += len(t.print())
			m++
			c = time.Now()
		}
		sink = l
		capt = append(capt, float64(b.Sub(a).Nanoseconds())/float64(n))
		prt = append(prt, float64(c.Sub(b).Nanoseconds())/float64(m))
	}
	fmt.Printf("Go\tcapture_32_ns\t%.0f\n", median(capt))
	fmt.Printf("Go\tprint_32_ns\t%.0f\n", median(prt))
	fmt.Printf("Go\tfirst_capture_print_ns\t%d\n", cold.Nanoseconds())
	fmt.Printf("Go\tprint_32_bytes\t%d\n", len(first))
}

func main() {
	what := "segv"
	if len(os.Args) > 1 {
		what = os.Args[1]
	}
	switch what {
	case "bench":
		bench()
	case "overflow":
		sink = recurse(0)
	case "caught":
		defer func() {
			if r := recover(); r != nil {
				fmt.Printf("caught: %v\nstack in the deferred function:\n%s", r, debug.Stack())
			}
		}()
		level1("throw")
	default:
		if what == "uncaught" {
			what = "throw"
		}
		level1(what)
	}
}
