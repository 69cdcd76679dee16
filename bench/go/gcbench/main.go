// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
// Command gcbench is the Go side of bench/bench_gc.c (docs/GC.md): the
// same work with runtime.SetFinalizer and runtime.GC, the same output
// ("key<TAB>ns per object" lines, one per repeat).  Build it offline with
// scripts/bench-gc.sh (stdlib only).
//
//	gcbench fin [N] [REPEATS]      objects reachable until setup ends
//	gcbench garbage [N] [REPEATS]  objects garbage as soon as made
package main

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"sync/atomic"
	"time"
)

type obj32 struct{ a, b, c, d int64 }

var finalized int64

func countFin(o *obj32) { atomic.AddInt64(&finalized, 1) }

//go:noinline
func makeObjects(n int, withFin, kept bool) []*obj32 {
	var holder []*obj32
	if kept {
		holder = make([]*obj32, n)
	}
	for i := 0; i < n; i++ {
		o := new(obj32)
		o.a = int64(i)
		if withFin {
			runtime.SetFinalizer(o, countFin)
		}
		if kept {
			holder[i] = o
		}
	}
	return holder
}

func bench(n, repeats int, kept bool) {
	runtime.GC()
	for r := 0; r < repeats; r++ {
		for _, withFin := range []bool{true, false} {
			k := map[[2]bool]string{{true, true}: "fin", {true, false}: "nofin",
				{false, true}: "gfin", {false, false}: "gnofin"}[[2]bool{kept, withFin}]
			atomic.StoreInt64(&finalized, 0)
			t0 := time.Now()
			holder := makeObjects(n, withFin, kept)
			t1 := time.Now()
			holder = nil
			_ = holder
			// runtime.GC until every finalizer ran (they run on the
			// finalizer goroutine; Gosched lets it).
			gcs := 0
			for {
				runtime.GC()
				gcs++
				if !withFin || atomic.LoadInt64(&finalized) >= int64(n) || gcs >= 20 {
					break
				}
				for i := 0; i < 100 && atomic.LoadInt64(&finalized) < int64(n); i++ {
					runtime.Gosched()
				}
				if atomic.LoadInt64(&finalized) >= int64(n) {
					break
				}
			}
			t2 := time.Now()
			per := func(d time.Duration) float64 { return float64(d.Nanoseconds()) / float64(n) }
			fmt.Printf("%s.setup\t%.2f\n%s.collect\t%.2f\n%s.total\t%.2f\n", k, per(t1.Sub(t0)),
				k, per(t2.Sub(t1)), k, per(t2.Sub(t0)))
			if withFin {
				fmt.Printf("%s.finalized\t%d\n%s.gcs\t%d\n", k, atomic.LoadInt64(&finalized), k, gcs)
			}
		}
	}
}

func main() {
	mode := "fin"
	if len(os.Args) > 1 {
		mode = os.Args[1]
	}
	arg := func(i, def int) int {
		if len(os.Args) > i {
			if v, err := strconv.Atoi(os.Args[i]); err == nil && v > 0 {
				return v
			}
		}
		return def
	}
	switch mode {
	case "fin":
		bench(arg(2, 1000000), arg(3, 5), true)
	case "garbage":
		bench(arg(2, 100000), arg(3, 3), false)
	default:
		fmt.Fprintln(os.Stderr, "usage: gcbench fin|garbage [N] [REPEATS]")
		os.Exit(2)
	}
}
