import os

import itsdangerous
import jinja2

from ._dists import print_dists

text = jinja2.Template("hello {{ who }}").render(who="poetry")
signed = itsdangerous.Signer("k").sign(text).decode()
print(f"{signed} as uid {os.getuid()}")
print_dists()
