import sqlite3

from flask import current_app


def init_app(app):
    pass


def init_db():
    with current_app.open_resource("schema.sql") as f:
        sqlite3.connect(":memory:").executescript(f.read().decode())
