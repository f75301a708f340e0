import os

import blinker
from markupsafe import escape

from ._dists import print_dists

got = []


def on_hello(sender):
    got.append(str(escape(sender)))


blinker.signal("hello").connect(on_hello)
blinker.signal("hello").send("<pdm>")
print(f"{got[0]} via blinker as uid {os.getuid()}")
print_dists()
