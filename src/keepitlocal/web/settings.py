"""Django settings, read from environment variables prefixed KEEPITLOCAL_ (and DATABASE_URL).

Every variable is listed in docs/web.md. Production is the default: DEBUG off, HTTPS-only
cookies, HSTS, SMTP e-mail, tasks queued in the database. `keepitlocal serve` sets the
embedded defaults (SQLite, inline tasks, e-mail written to files, plain HTTP on localhost)
before importing this module.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

PREFIX = "KEEPITLOCAL_"


def env(name: str, default: str | None = None) -> str:
    """The value of KEEPITLOCAL_<name>; a missing variable without a default stops start-up."""
    value = os.environ.get(PREFIX + name)
    if value is None or value == "":
        if default is None:
            raise ImproperlyConfigured(
                f"Set the environment variable {PREFIX}{name} (see docs/web.md)."
            )
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    """Booleans are exactly "true" or "false", so a typo never silently means false."""
    value = env(name, "true" if default else "false").strip().lower()
    if value not in ("true", "false"):
        raise ImproperlyConfigured(f'{PREFIX}{name} must be "true" or "false", not "{value}".')
    return value == "true"


def env_int(name: str, default: int) -> int:
    value = env(name, str(default))
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(
            f'{PREFIX}{name} must be a whole number, not "{value}".'
        ) from None


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


WEB_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env("DATA_DIR", "var")).resolve()

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "keepitlocal.web.core",
    "keepitlocal.web.accounts",
    "keepitlocal.web.enabled",
    "keepitlocal.web.lm3",
    "keepitlocal.web.spend",
    "keepitlocal.web.framework",
    "keepitlocal.web.surveys",
    "keepitlocal.web.assessment",
    "keepitlocal.web.assetmap",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every view needs a signed-in user unless it is marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Model.objects.for_org(org).get(pk=...) that finds nothing is a 404 for OrgOwned models.
    "keepitlocal.web.core.middleware.OrgOwnedNotFoundMiddleware",
    # Too many wrong passwords for one address from one place: locked for a while (axes).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "keepitlocal.web.urls"
WSGI_APPLICATION = "keepitlocal.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "keepitlocal.web.core.context_processors.layout",
                "csp.context_processors.nonce",
            ],
        },
    },
]
# Every Django form renders with GOV.UK Design System markup (labels, hints, error messages).
FORM_RENDERER = "keepitlocal.web.core.forms.GovukFormRenderer"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'keepitlocal.sqlite3'}",
        # Persistent connections: a connection per request halves PostgreSQL's throughput
        # under survey load. Health checks replace a connection the server has dropped.
        conn_max_age=env_int("DB_CONN_MAX_AGE", 300),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The same backend, with a health check that needs no round trip while the connection is
    # quiet (web/core/postgresql/base.py): one query fewer on every request.
    DATABASES["default"]["ENGINE"] = "keepitlocal.web.core.postgresql"
if DATABASES["default"]["ENGINE"] == "keepitlocal.web.core.postgresql" and env_bool(
    "DB_PREPARED_STATEMENTS", True
):
    # PostgreSQL plans a statement it has prepared once per connection, not on every run: on the
    # survey page that is most of the server's work (about 1.6 ms of it per answer, 0.6 ms
    # prepared). Turn off behind a transaction-pooling PgBouncer, which cannot keep them.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"server_side_binding": True, "prepare_threshold": 5}
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Many suppliers answer surveys at once. WAL lets reads go on during a write; IMMEDIATE
    # transactions take the write lock at the start (no failed lock upgrade); writers wait
    # their turn for up to `timeout` seconds instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    })
# One cache for every web process on this server (the sign-up e-mail limit counts in it): a
# per-process memory cache would let each gunicorn worker allow the limit again.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": env("CACHE_DIR", str(DATA_DIR / "cache")),
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_HOURS", 24) * 3600
KEEPITLOCAL_INVITE_DAYS = env_int("INVITE_DAYS", 7)
KEEPITLOCAL_SIGNUP_HOURS = env_int("SIGNUP_HOURS", 24)
KEEPITLOCAL_SIGNUP_MAILS_PER_HOUR = env_int("SIGNUP_MAILS_PER_HOUR", 3)

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

# Static files: GOV.UK Frontend (vendored by scripts/vendor-static) and our own CSS, served by
# WhiteNoise. Production runs `collectstatic` into STATIC_ROOT with hashed, compressed names;
# the embedded server serves straight from the apps' static folders.
STATIC_URL = "static/"
STATIC_FROM_APPS = env_bool("STATIC_FROM_APPS", False)
STATIC_ROOT: Path | None = Path(env("STATIC_ROOT", str(DATA_DIR / "static")))
if STATIC_FROM_APPS and not os.environ.get(PREFIX + "STATIC_ROOT"):
    STATIC_ROOT = None  # nothing collected: WhiteNoise serves the apps' static folders
WHITENOISE_USE_FINDERS = STATIC_FROM_APPS
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "keepitlocal.web.core.staticfiles.AppStaticStorage"
        if STATIC_FROM_APPS
        else "keepitlocal.web.core.staticfiles.CollectedStaticStorage"
    },
}
MEDIA_ROOT = DATA_DIR / "media"

# Uploads: request bodies other than files are capped at DATA_UPLOAD_MAX_MEMORY_SIZE; files larger
# than FILE_UPLOAD_MAX_MEMORY_SIZE spill to a temporary file. Views that take files (ledgers,
# supplier registers) reject any file over KEEPITLOCAL_MAX_UPLOAD_MB.
KEEPITLOCAL_MAX_UPLOAD_MB = env_int("MAX_UPLOAD_MB", 100)
# A file over this size is read by the background worker, never in the request, in a process of
# its own capped in memory and time (web/core/parsing.py).
KEEPITLOCAL_BACKGROUND_PARSE_MB = env_int("BACKGROUND_PARSE_MB", 5)
KEEPITLOCAL_BACKGROUND_PARSE_MEMORY_MB = env_int("BACKGROUND_PARSE_MEMORY_MB", 3072)
KEEPITLOCAL_BACKGROUND_PARSE_SECONDS = env_int("BACKGROUND_PARSE_SECONDS", 600)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Background work (survey e-mails, large imports): django-tasks. "database" queues work for
# `manage.py db_worker`; "immediate" runs it inline (embedded server and tests).
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
_tasks_backend = env("TASKS_BACKEND", "database")
if _tasks_backend not in _TASK_BACKENDS:
    raise ImproperlyConfigured(
        f'{PREFIX}TASKS_BACKEND must be "database" or "immediate", not "{_tasks_backend}".'
    )
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[_tasks_backend]}}

# E-mail: SMTP in production; "file" writes each message under the data directory.
_EMAIL_BACKENDS = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
}
_email_backend = env("EMAIL_BACKEND", "smtp")
if _email_backend not in _EMAIL_BACKENDS:
    raise ImproperlyConfigured(
        f"{PREFIX}EMAIL_BACKEND must be one of {', '.join(_EMAIL_BACKENDS)}, not "
        f'"{_email_backend}".'
    )
EMAIL_BACKEND = _EMAIL_BACKENDS[_email_backend]
EMAIL_FILE_PATH = str(DATA_DIR / "mail")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "keepitlocal <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The sender of survey e-mails (shown under the organisation's name; replies go to its contact).
EMAIL_FROM = env("EMAIL_FROM", DEFAULT_FROM_EMAIL)

# HTTPS: on unless switched off (the embedded server on localhost switches it off).
HTTPS = env_bool("HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 31_536_000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS and env_bool("HSTS_PRELOAD", False)
# Asking browsers to preload HSTS is a commitment for the whole domain, so it is opt-in; the
# deploy check's reminder about it (W021) is silenced until then.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
if env_bool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 14 * 24 * 3600
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# The asset map draws no background map unless a tile URL is set (the map works offline);
# e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png, with its attribution.
KEEPITLOCAL_MAP_TILE_URL = env("MAP_TILE_URL", "")
KEEPITLOCAL_MAP_TILE_ATTRIBUTION = env("MAP_TILE_ATTRIBUTION", "")
_map_tiles = urlsplit(KEEPITLOCAL_MAP_TILE_URL)
_MAP_TILE_SOURCES = ([f"{_map_tiles.scheme}://{_map_tiles.netloc.replace('{s}', '*')}"]
                     if _map_tiles.scheme in ("http", "https") and _map_tiles.netloc else [])

# Content-Security-Policy: scripts only from this site or with the page's nonce (the two inline
# scripts in base.html carry it). Styles allow inline because Plotly writes its own <style> and
# style attributes; nothing is loaded from another site (the app serves GOV.UK, Plotly, etc.).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:", *_MAP_TILE_SOURCES],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Login throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one address from
# one IP address, signing in is refused for that pair for the cool-off time, right password or
# not. A correct sign-in before the limit clears the count.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"  # the login form's field (it holds the e-mail address)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_IPWARE_PROXY_COUNT = 1 if env_bool("BEHIND_PROXY", False) else None
AXES_VERBOSE = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}
