import os
from importlib import metadata

import greeting
import tally


def main() -> None:
    name = os.environ.get("REQS_DEMO_NAME", "world")
    print(greeting.hello(name))
    print("tally: " + tally.summary("to be or not to be"))
    for dist in ("reqs-demo", "greeting", "tally"):
        print("%s %s" % (dist, metadata.version(dist)))
    print("uid: %d" % os.getuid())


if __name__ == "__main__":
    main()
