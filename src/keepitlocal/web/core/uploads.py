"""The one upload path every page that takes a file goes through.

- `UploadField`: the form field every upload form uses, with the four checks each file gets (one
  was chosen, it is not empty, not too large, of a kind the reader takes), worded per page.
- `too_large`: the size check, also for files that come in without a form field of their own.
- `staged`: the upload written to a temporary folder under its own (safe) name, removed when done,
  so the engine readers (which take paths and name the file in their messages) can read it.
- `UploadError`: the one error type for a refusal the user can fix. It is an engine `InputError`,
  so a view catches `InputError` and shows its `problems`.
- `WEB_LIMITS`: the bounds on a workbook read during a request (`keepitlocal.safeio`).

A file over KEEPITLOCAL_BACKGROUND_PARSE_MB is not read in the request at all: `core.parsing`
stages it for the background worker and shows its progress.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from keepitlocal.errors import InputError, Problem
from keepitlocal.safeio import LIMITS, Limits, bounded

# A request must answer within a minute or two; bigger reads are the worker's.
WEB_LIMITS: Limits = LIMITS.tighter(seconds=60.0)


class UploadError(InputError):
    """A file refused for a reason the user can fix; the message says why and what to do."""

    def __init__(
        self, problems: str | Iterable[str | Problem], file: str | None = None,
        hint: str | None = None,
    ) -> None:
        found = [problems] if isinstance(problems, str) else list(problems)
        super().__init__([p if isinstance(p, Problem) else Problem(p, file=file, hint=hint)
                          for p in found])


def max_upload_mb() -> int:
    """The largest file anyone may upload, in MB."""
    return int(settings.KEEPITLOCAL_MAX_UPLOAD_MB)


def too_large(upload: UploadedFile) -> bool:
    """Whether the file is over KEEPITLOCAL_MAX_UPLOAD_MB."""
    return upload.size is not None and upload.size > max_upload_mb() * 1024 * 1024


class UploadField(forms.FileField):
    """A file input that makes the four checks of every upload, in each page's own words.

    `choose`: no file was chosen; `empty`: the file holds nothing; `too_large`: over
    KEEPITLOCAL_MAX_UPLOAD_MB, with `{size}` (the file's MB) and `{limit}` (the limit's MB) filled
    in; `wrong_type`: the name ends in none of `extensions`. `refused` maps a suffix the readers
    cannot take (an old .xls) to a message of its own.
    """

    def __init__(
        self, *, extensions: tuple[str, ...], choose: str, wrong_type: str, too_large: str,
        empty: str = "The file you chose is empty", refused: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(error_messages={"required": choose, "empty": empty}, **kwargs)
        self.extensions = extensions
        self.wrong_type = wrong_type
        self.too_large = too_large
        self.refused = refused or {}

    def clean(self, data: Any, initial: Any = None) -> Any:
        upload = super().clean(data, initial)
        if not upload:
            return upload
        if too_large(upload):
            raise forms.ValidationError(self.too_large.format(
                size=f"{(upload.size or 0) / 1024 / 1024:.1f}", limit=max_upload_mb()))
        name = (upload.name or "").lower()
        for suffix, message in self.refused.items():
            if name.endswith(suffix):
                raise forms.ValidationError(message)
        if not name.endswith(self.extensions):
            raise forms.ValidationError(self.wrong_type)
        return upload


def safe_name(name: str, default: str = "upload.csv") -> str:
    """The user's file name without folders or control characters, short enough for any disk."""
    name = Path(str(name).replace("\\", "/")).name
    name = "".join(c for c in name if c.isprintable()).strip(" .") or default
    stem, suffix = Path(name).stem, Path(name).suffix[:10]
    while len((stem + suffix).encode("utf-8")) > 120:
        stem = stem[:-1]
    return (stem + suffix) or default


def write_upload(upload: Any, path: Path) -> int:
    """Write the upload (a Django file, or anything with `read`) to `path`; returns its bytes."""
    size = 0
    with path.open("wb") as handle:
        chunks = upload.chunks() if hasattr(upload, "chunks") else iter(
            lambda: upload.read(1 << 20), b"")
        for chunk in chunks:
            handle.write(chunk)
            size += len(chunk)
    return size


@contextmanager
def staged(upload: Any, default: str = "upload.csv") -> Iterator[Path]:
    """The upload as a file on disk that keeps the user's file name; gone afterwards.

    Reads inside the block are bounded by WEB_LIMITS (a request never runs for long); a file
    over KEEPITLOCAL_BACKGROUND_PARSE_MB goes to the worker instead (`core.parsing`).
    """
    with tempfile.TemporaryDirectory(prefix="keepitlocal-upload-") as folder, bounded(WEB_LIMITS):
        path = Path(folder) / safe_name(getattr(upload, "name", "") or default, default)
        write_upload(upload, path)
        yield path
