// A Go program whose C code (the cgo preamble) is built with the plugin:
// lit/e2e/go-cgo.c.
package main

/*
#include <stdio.h>
#include <whence.h>
__attribute__((noinline)) static int c_leaf(void) {
    whence_frame f;
    if (!whence_caller(1, &f))
        return -1;
    printf("caller: %s line %d\n", f.function, f.line);
    fflush(stdout);
    return f.line;
}
// The stack from here: this function and c_entry, then Go's frames, which
// whence does not name (the walk says where it ends).
__attribute__((noinline)) static void c_callers(void) {
    uintptr_t pcs[16];
    int n = whence_callers(0, pcs, 16);
    whence_frames it;
    whence_frame f;
    whence_frames_init(&it, pcs, n);
    printf("callers:");
    while (whence_frames_next(&it, &f))
        printf(" %s %s:%d", f.function, f.file, f.line);
    const char *end = whence_callers_end();
    printf(" (%s)\n", end ? end : "complete");
    fflush(stdout);
}
__attribute__((noinline)) static int c_entry(void) {
    int line = __LINE__ + 1;
    int got = c_leaf();
    c_callers();
    return got == line ? 1 : got;
}
*/
import "C"
import "fmt"

func main() {
	fmt.Println("c_entry:", int(C.c_entry()))
}
