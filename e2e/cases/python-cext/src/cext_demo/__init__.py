"""wharf e2e case: a tiny package whose hot path is a C extension."""

from ._speedups import fnv1a32, implementation

__all__ = ["fnv1a32", "implementation"]
