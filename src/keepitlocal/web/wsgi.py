"""WSGI entry point for production servers: `gunicorn keepitlocal.web.wsgi` (or any WSGI server)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "keepitlocal.web.settings")
application = get_wsgi_application()
