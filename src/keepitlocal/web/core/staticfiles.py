"""Static file storages that work out each file's URL once per process.

A page asks for eight static URLs, and with hashed names each is a manifest lookup, a URL split
and a join: together a quarter to a third of a survey page's rendering. The files cannot change
while a process runs (a release collects them before the server starts), so the answer for a
name never changes."""

from __future__ import annotations

from typing import Any

from django.contrib.staticfiles.storage import StaticFilesStorage
from whitenoise.storage import CompressedManifestStaticFilesStorage


class RememberedUrls:
    """Mixin: `url(name)` remembered per name; any other call (`force=True`) is passed on."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._remembered_urls: dict[str, str] = {}

    def url(self, name: str | None, *args: Any, **kwargs: Any) -> str:
        if name is None or args or kwargs:
            return super().url(name, *args, **kwargs)  # type: ignore[misc]
        urls = self._remembered_urls
        if name not in urls:
            urls[name] = super().url(name)  # type: ignore[misc]
        return urls[name]


class AppStaticStorage(RememberedUrls, StaticFilesStorage):
    """The apps' own static folders, unhashed (the embedded server)."""


class CollectedStaticStorage(RememberedUrls, CompressedManifestStaticFilesStorage):
    """Collected, hashed and compressed files (production)."""
