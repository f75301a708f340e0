"""A vendored helper that says hello."""


def hello(name: str) -> str:
    return "hello, %s (from greeting)" % name
