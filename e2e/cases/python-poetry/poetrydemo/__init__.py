"""A Poetry app: renders a Jinja2 template and signs it with itsdangerous."""
