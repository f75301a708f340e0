SECRET_KEY = "change-me"
ROOT_URLCONF = "bakerydemo.urls"
INSTALLED_APPS = ["django.contrib.staticfiles"]
