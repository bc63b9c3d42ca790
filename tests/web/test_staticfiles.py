"""Static URLs are worked out once per name, and come out as the storages they wrap give them."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

from django.contrib.staticfiles.storage import StaticFilesStorage, staticfiles_storage
from django.core.management import call_command
from django.test import override_settings
from django.urls import resolve, reverse
from whitenoise.storage import CompressedManifestStaticFilesStorage

from keepitlocal.web.core.staticfiles import AppStaticStorage, CollectedStaticStorage


def test_app_static_urls_are_the_plain_storage_urls_and_remembered() -> None:
    storage = AppStaticStorage()
    plain = StaticFilesStorage()
    assert storage.url("govuk/govuk-frontend.min.css") == plain.url("govuk/govuk-frontend.min.css")
    first = storage.url("keepitlocal/app.css")
    assert storage.url("keepitlocal/app.css") is first  # the same string: not worked out again
    assert storage.url("a b.css") == plain.url("a b.css") == "/static/a%20b.css"


def _collected(root: Path) -> None:
    """A collected folder with a manifest, as `collectstatic` leaves it."""
    (root / "app.1234abcd.css").write_text("body{}")
    manifest = {"paths": {"app.css": "app.1234abcd.css"}, "version": "1.1", "hash": "x"}
    (root / "staticfiles.json").write_text(json.dumps(manifest))


def test_collected_urls_are_the_hashed_names_and_remembered(tmp_path: Path) -> None:
    _collected(tmp_path)
    with override_settings(STATIC_ROOT=tmp_path, DEBUG=False):
        storage = CollectedStaticStorage()
        plain = CompressedManifestStaticFilesStorage()
        assert storage.url("app.css") == plain.url("app.css") == "/static/app.1234abcd.css"
        assert storage.url("app.css") is storage.url("app.css")
        # force=True is passed on, not remembered in place of the ordinary answer
        assert storage.url("app.css", force=True) == plain.url("app.css", force=True)
        assert storage.url("app.css") == "/static/app.1234abcd.css"


def test_the_busiest_address_is_found_first_and_every_app_still_resolves() -> None:
    assert resolve("/lm3/survey/abc/").view_name == "lm3:survey"
    for name, kwargs in [("core:home", {}), ("core:about", {}), ("lm3:index", {}),
                         ("enabled:survey", {"token": "abc"}), ("spend:index", {}),
                         ("accounts:account", {})]:
        path = reverse(name, kwargs=kwargs)
        assert resolve(path).view_name == name


def test_production_collects_and_serves_hashed_urls(tmp_path: Path) -> None:
    """The storage production settings name really collects: every file hashed, compressed,
    and each page's URL the hashed one."""
    production = importlib.import_module("keepitlocal.web.settings")
    if not production.STATIC_FROM_APPS:
        assert production.STORAGES["staticfiles"]["BACKEND"].endswith(".CollectedStaticStorage")
    backend = {"BACKEND": "keepitlocal.web.core.staticfiles.CollectedStaticStorage"}
    with override_settings(STORAGES={"default": production.STORAGES["default"],
                                     "staticfiles": backend},
                           STATIC_ROOT=tmp_path, WHITENOISE_USE_FINDERS=False):
        call_command("collectstatic", "--noinput", verbosity=0)
        url = staticfiles_storage.url("keepitlocal/app.css")
        assert url.startswith("/static/keepitlocal/app.") and url.endswith(".css")
        assert url != "/static/keepitlocal/app.css"
        hashed = tmp_path / url.removeprefix("/static/")
        assert hashed.is_file() and hashed.with_name(hashed.name + ".gz").is_file()
