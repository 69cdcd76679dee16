// A C extension module with the crash handler, imported by a Python that
// enabled its faulthandler first (`-X faulthandler`; pytest enables it in
// every run).  libwhence.so is loaded with the extension (dlopen), after
// the C library, so Python's calls of sigaction are not libwhence's: whence
// sees the faulthandler's end (the default action put back, the signal
// raised again) only as a signal pending when the handler returns.  Was a
// bug: whence chained the faulthandler with its SA_NODEFER, the raise
// ended the process at once, and Python's traceback was all there was.
// Both are written now, and the process dies of the fault.
// REQUIRES: python-ext
// RUN: rm -rf %t && mkdir -p %t
// RUN: %clang -O2 -gline-tables-only -fPIC -shared %python_ext_cflags %whence_cflags %s %whence_libs -o %t/whence_pyext.so
// RUN: cd %t && not --crash %python -X faulthandler -c 'import whence_pyext; whence_pyext.call(lambda: whence_pyext.fault(42))' 2>&1 | FileCheck %s
// RUN: cd %t && not --crash %python -c 'import whence_pyext; whence_pyext.call(lambda: whence_pyext.fault(42))' 2>&1 | FileCheck %s --check-prefix=NOFH
// Enabled after the import: the faulthandler puts whence's handler back
// and raises the signal again; the report says it was raised, and where
// the fault was is in its stack, below the raise's frames.
// RUN: cd %t && not --crash %python -c 'import whence_pyext, faulthandler; faulthandler.enable(); whence_pyext.call(lambda: whence_pyext.fault(42))' 2>&1 | FileCheck %s --check-prefix=AFTER
// AFTER: Fatal Python error: Segmentation fault
// AFTER: fatal signal 11 (SIGSEGV) at pc {{.*}} (raised by the process itself)
// AFTER-NEXT: {{^received (in|outside) }}
// AFTER: stack:
// AFTER: fault_at(...)
// AFTER-NEXT: {{.*}}python-faulthandler.c:[[# @LINE + 20]]
// CHECK-DAG: Fatal Python error: Segmentation fault
// CHECK-DAG: fatal signal 11 (SIGSEGV)
// CHECK-DAG: fault in fault_at at {{.*}}python-faulthandler.c:[[# @LINE + 17]]
// NOFH-NOT: Fatal Python error
// NOFH: fatal signal 11 (SIGSEGV)
// NOFH-NEXT: fault in fault_at at {{.*}}python-faulthandler.c:[[# @LINE + 14]]
// NOFH: stack:
// NOFH-NEXT: fault_at(...)
// NOFH: do_fault(...)
// NOFH-NEXT: {{.*}}python-faulthandler.c:[[# @LINE + 18]]
// NOFH: do_call(...)
// NOFH-NEXT: {{.*}}python-faulthandler.c:[[# @LINE + 20]]
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <whence.h>

static volatile int *volatile nowhere;

__attribute__((noinline)) static int fault_at(int x) {
  *nowhere = x;
  return x + 1;
}

static PyObject *do_fault(PyObject *self, PyObject *args) {
  int x;
  if (!PyArg_ParseTuple(args, "i", &x))
    return NULL;
  return PyLong_FromLong(fault_at(x));
}

static PyObject *do_call(PyObject *self, PyObject *fn) {
  return PyObject_CallNoArgs(fn);
}

static PyMethodDef methods[] = {{"fault", do_fault, METH_VARARGS, ""},
                                {"call", do_call, METH_O, ""},
                                {NULL, NULL, 0, NULL}};
static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "whence_pyext", NULL, -1, methods};

PyMODINIT_FUNC PyInit_whence_pyext(void) {
  whence_install_crash_handler();
  return PyModule_Create(&module);
}
