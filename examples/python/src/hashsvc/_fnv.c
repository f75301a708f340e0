/* hashsvc._fnv: 32- and 64-bit FNV-1a hashes of a bytes-like object. */
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

static PyObject *fnv1a64(PyObject *self, PyObject *args) {
    Py_buffer buf;
    if (!PyArg_ParseTuple(args, "y*", &buf)) {
        return NULL;
    }
    uint64_t h = 14695981039346656037ull;
    const unsigned char *p = (const unsigned char *)buf.buf;
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t i = 0; i < buf.len; i++) {
        h ^= p[i];
        h *= 1099511628211ull;
    }
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&buf);
    return PyLong_FromUnsignedLongLong((unsigned long long)h);
}

static PyMethodDef methods[] = {
    {"fnv1a32", fnv1a32, METH_VARARGS, "32-bit FNV-1a hash of a bytes-like object."},
    {"fnv1a64", fnv1a64, METH_VARARGS, "64-bit FNV-1a hash of a bytes-like object."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_fnv", "FNV-1a hashes, in C.", -1, methods,
};

PyMODINIT_FUNC PyInit__fnv(void) { return PyModule_Create(&module); }
