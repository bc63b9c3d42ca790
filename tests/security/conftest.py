from __future__ import annotations

from pathlib import Path

import pytest

from security.bombs import big_bomb


@pytest.fixture(scope="session")
def bomb_bytes() -> bytes:
    """About 2 MB that unpacks to about 770 MB: past the 400 MB workbook limit."""
    return big_bomb()


@pytest.fixture
def bomb(tmp_path: Path, bomb_bytes: bytes) -> Path:
    path = tmp_path / "suppliers.xlsx"
    path.write_bytes(bomb_bytes)
    return path
