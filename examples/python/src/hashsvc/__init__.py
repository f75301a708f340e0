"""hashsvc: FNV-1a hashing over HTTP; the hashing is a C extension."""

from ._fnv import fnv1a32, fnv1a64

__all__ = ["fnv1a32", "fnv1a64"]
__version__ = "0.1.0"
