from setuptools import Extension, setup

# Metadata lives in pyproject.toml; setup.py only declares the C extension.
setup(
    ext_modules=[
        Extension(
            "hashsvc._fnv",
            sources=["src/hashsvc/_fnv.c"],
            extra_compile_args=["-O2"],
        ),
    ],
)
