// SPDX-License-Identifier: MIT
/*
 * Test extension for `record --native`: native_hot(n) (Python-callable) spends
 * its time calling native_callee(), a second C function, in a loop. Built by
 * tests/e2e/test_native.py against each interpreter's headers.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* The leaf: a loop the compiler cannot fold (volatile). */
__attribute__((noinline)) long native_callee(long i)
{
	volatile long acc = 0;

	for (long k = 0; k < 2000; k++)
		acc += (i ^ k) & 7;
	return acc;
}

/* The hot native function: calls native_callee n times. */
__attribute__((noinline)) static long native_hot_loop(long n)
{
	long acc = 0;

	for (long i = 0; i < n; i++)
		acc += native_callee(i);
	return acc;
}

static PyObject *native_hot(PyObject *self, PyObject *args)
{
	long n;

	(void)self;
	if (!PyArg_ParseTuple(args, "l", &n))
		return NULL;
	return PyLong_FromLong(native_hot_loop(n));
}

static PyMethodDef methods[] = {
	{ "native_hot", native_hot, METH_VARARGS, "loop calling native_callee n times" },
	{ NULL, NULL, 0, NULL },
};

static struct PyModuleDef module = { PyModuleDef_HEAD_INIT, "native_ext", NULL, -1, methods };

PyMODINIT_FUNC PyInit_native_ext(void)
{
	return PyModule_Create(&module);
}
