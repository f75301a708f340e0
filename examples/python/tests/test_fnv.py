import unittest

from hashsvc import fnv1a32, fnv1a64
from hashsvc.server import digest


def py_fnv1a(data: bytes, bits: int) -> int:
    if bits == 32:
        h, prime, mask = 2166136261, 16777619, 0xFFFFFFFF
    else:
        h, prime, mask = 14695981039346656037, 1099511628211, 0xFFFFFFFFFFFFFFFF
    for b in data:
        h = ((h ^ b) * prime) & mask
    return h


class FNVTest(unittest.TestCase):
    def test_known_vectors(self):
        self.assertEqual(fnv1a32(b""), 0x811C9DC5)
        self.assertEqual(fnv1a32(b"a"), 0xE40C292C)
        self.assertEqual(fnv1a64(b""), 0xCBF29CE484222325)
        self.assertEqual(fnv1a64(b"a"), 0xAF63DC4C8601EC8C)

    def test_matches_pure_python(self):
        for data in (b"wharf", b"hello world", bytes(range(256))):
            self.assertEqual(fnv1a32(data), py_fnv1a(data, 32))
            self.assertEqual(fnv1a64(data), py_fnv1a(data, 64))

    def test_accepts_buffers(self):
        self.assertEqual(fnv1a32(bytearray(b"wharf")), fnv1a32(b"wharf"))
        self.assertEqual(fnv1a32(memoryview(b"wharf")), fnv1a32(b"wharf"))

    def test_digest(self):
        self.assertEqual(digest(b"a"), {"fnv1a32": "e40c292c", "fnv1a64": "af63dc4c8601ec8c"})


if __name__ == "__main__":
    unittest.main()
