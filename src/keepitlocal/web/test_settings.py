"""Settings for the test suite: the production settings with test-friendly overrides.

E-mail stays in memory (django.core.mail.outbox), tasks run inline, passwords hash fast, and
static files are served from the apps (no collectstatic). The database is SQLite in memory
unless DATABASE_URL points elsewhere (scripts/with-postgres sets it).
"""

import atexit
import os
import secrets
import shutil
import tempfile

os.environ.setdefault("KEEPITLOCAL_SECRET_KEY", "test-only-" + secrets.token_urlsafe(40))
os.environ.setdefault("KEEPITLOCAL_HTTPS", "false")

from keepitlocal.web.settings import *  # noqa: F403
from keepitlocal.web.settings import CACHES, STORAGES

DEBUG = False
ALLOWED_HOSTS = ["*"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {**STORAGES, "staticfiles": {
    "BACKEND": "keepitlocal.web.core.staticfiles.AppStaticStorage"}}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT = None
# The shared cache in a folder of this run's own, removed when the run ends.
CACHES = {"default": {**CACHES["default"],
                      "LOCATION": tempfile.mkdtemp(prefix="keepitlocal-test-cache-")}}
atexit.register(shutil.rmtree, CACHES["default"]["LOCATION"], ignore_errors=True)
