"""A vendored helper that counts words."""

from collections import Counter


def summary(text: str) -> str:
    counts = Counter(text.split())
    return " ".join("%s=%d" % (w, n) for w, n in sorted(counts.items()))
