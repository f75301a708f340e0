/* A tiny CPython extension: 32-bit FNV-1a over a bytes-like object. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>

static PyObject *fnv1a32(PyObject *self, PyObject *args) {
    Py_buffer buf;
    if (!PyArg_ParseTuple(args, "y*", &buf)) {
        return NULL;
    }
    uint32_t h = 2166136261u;
    const unsigned char *p = (const unsigned char *)buf.buf;
    for (Py_ssize_t i = 0; i < buf.len; i++) {
        h ^= p[i];
        h *= 16777619u;
    }
    PyBuffer_Release(&buf);
    return PyLong_FromUnsignedLong((unsigned long)h);
}

static PyObject *implementation(PyObject *self, PyObject *unused) {
    return PyUnicode_FromString("C");
}

static PyMethodDef methods[] = {
    {"fnv1a32", fnv1a32, METH_VARARGS, "32-bit FNV-1a hash of a bytes-like object."},
    {"implementation", implementation, METH_NOARGS, "Which implementation is loaded."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_speedups", "C speedups for cext_demo.", -1, methods,
};

PyMODINIT_FUNC PyInit__speedups(void) { return PyModule_Create(&module); }
