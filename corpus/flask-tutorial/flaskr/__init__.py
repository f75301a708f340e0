import os

from flask import Flask


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(DATABASE=os.path.join(app.instance_path, "flaskr.sqlite"))
    from . import db
    db.init_app(app)

    @app.route("/")
    def index():
        return "flaskr"

    return app
