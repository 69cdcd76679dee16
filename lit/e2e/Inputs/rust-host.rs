// The Rust side of rust-host.c: a Rust program calling an instrumented C
// library through its C functions, and called back by it.
extern "C" {
    fn c_install();
    fn c_entry(cb: extern "C" fn());
    fn c_fault();
}

#[inline(never)]
extern "C" fn callback() {
    let v: Vec<u32> = (0..3).collect();
    v.iter().for_each(|_| unsafe { c_fault() });
}

fn main() {
    unsafe {
        c_install();
        c_entry(callback);
    }
}
