"""The Calderdale demo registers (synthetic organisations on real postcodes, in the published
layouts), written by scripts/make-assetmap-demo."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

DEMO_COUNCIL = "E08000033"  # Calderdale


def demo_files() -> dict[str, list[Path]]:
    folder = Path(str(resources.files("keepitlocal").joinpath("assetmap/demo")))
    return {
        "charities": sorted(folder.glob("publicextract.*.zip")),
        "grants": [folder / "grants.csv"],
        "directory": [folder / "directory.csv"],
    }
