"""A Pipfile app, not a package: the code is copied next to the venv."""
