from setuptools import setup

setup(
    name="minGPT",
    version="0.0.1",
    packages=["mingpt"],
    install_requires=["torch"],
)
