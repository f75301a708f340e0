from setuptools import Extension, setup

# Metadata lives in pyproject.toml; setup.py only declares the C extension.
setup(
    ext_modules=[
        Extension("cext_demo._speedups", sources=["src/cext_demo/_speedups.c"]),
    ],
)
