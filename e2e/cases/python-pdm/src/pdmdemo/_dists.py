import importlib.metadata
import re


def print_dists():
    """Prints every installed distribution as `dist NAME VERSION` (PEP 503
    names, sorted): the e2e test compares them with the lockfile."""
    seen = {re.sub(r"[-_.]+", "-", d.metadata["Name"]).lower(): d.version for d in importlib.metadata.distributions()}
    for name in sorted(seen):
        print(f"dist {name} {seen[name]}")
