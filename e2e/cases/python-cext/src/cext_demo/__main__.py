import os

from . import _speedups, fnv1a32, implementation


def main() -> None:
    print("impl: " + implementation())
    print("compiled: " + str(_speedups.__file__.endswith(".so")))
    print("fnv1a32(wharf): 0x%08x" % fnv1a32(b"wharf"))
    print("uid: %d" % os.getuid())


if __name__ == "__main__":
    main()
