import os

import itsdangerous
from markupsafe import escape

from ._dists import print_dists

signed = itsdangerous.Signer("k").sign(str(escape("<pipenv>"))).decode()
print(f"{signed} as uid {os.getuid()}")
print_dists()
