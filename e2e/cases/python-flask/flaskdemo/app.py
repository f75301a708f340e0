"""A Flask app that says which Flask, Werkzeug and gunicorn serve it."""
import os
from importlib.metadata import version

import flask

app = flask.Flask(__name__)


@app.get("/")
def index():
    return (
        f"flask {version('flask')}, werkzeug {version('werkzeug')}, "
        f"gunicorn {version('gunicorn')}\n"
        f"served by {flask.request.environ.get('SERVER_SOFTWARE', '?')} as uid {os.getuid()}\n"
    )
