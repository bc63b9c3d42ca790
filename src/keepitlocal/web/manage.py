"""Django's manage.py for keepitlocal: `python -m keepitlocal.web.manage migrate|db_worker|...`."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "keepitlocal.web.settings")
    if not os.environ.get("DATABASE_URL"):
        # The default SQLite database lives in the data folder; SQLite will not create folders.
        Path(os.environ.get("KEEPITLOCAL_DATA_DIR") or "var").mkdir(parents=True, exist_ok=True)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["keepitlocal manage", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
