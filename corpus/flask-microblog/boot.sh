#!/bin/sh
# boots the container: migrations, then the server
flask --app microblog db upgrade || exit 1
exec gunicorn -b :5000 --access-logfile - --error-logfile - microblog:app
