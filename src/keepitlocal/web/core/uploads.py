"""The size limit on uploaded files (KEEPITLOCAL_MAX_UPLOAD_MB), checked by every upload form."""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile


def max_upload_mb() -> int:
    """The largest file anyone may upload, in MB."""
    return int(settings.KEEPITLOCAL_MAX_UPLOAD_MB)


def too_large(upload: UploadedFile) -> bool:
    """Whether the file is over the limit (each form says so in its own words)."""
    return upload.size is not None and upload.size > max_upload_mb() * 1024 * 1024
