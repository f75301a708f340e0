import os

from .base import *  # noqa

DEBUG = os.environ.get("DJANGO_DEBUG", "off") == "on"
