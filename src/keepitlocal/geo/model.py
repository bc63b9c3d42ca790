"""What a postcode lookup returns, and the two ways it can fail.

The errors are `InputError`s so that an engine reading a file can catch them, add the file, row and
column, and report every bad postcode at once instead of stopping at the first.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from keepitlocal.errors import InputError, Problem

Level = Literal["unit", "sector", "district"]
LEVELS: tuple[Level, ...] = ("unit", "sector", "district")


@dataclass(frozen=True, slots=True)
class Location:
    """Where a postcode is, and how precisely we know it.

    `level` says which table answered: "unit" is the postcode itself; "sector" (e.g. "HX1 2") and
    "district" (e.g. "HX1") are centroids used when the unit is not in the data, so a caller can
    show or count the approximation instead of treating it as exact.

    `lat`/`lon` are WGS84 degrees. They are NaN for the few places the source gives no grid
    reference (Channel Islands and Isle of Man postcodes, which still carry a LAD pseudo-code);
    check `has_coordinates` before measuring distances.
    """

    postcode: str
    lat: float
    lon: float
    lad: str | None
    level: Level = "unit"

    @property
    def has_coordinates(self) -> bool:
        return not (math.isnan(self.lat) or math.isnan(self.lon))

    @property
    def is_exact(self) -> bool:
        return self.level == "unit"


class InvalidPostcode(InputError):
    """The text is not shaped like a UK postcode, so it cannot be looked up at all."""

    def __init__(self, text: str, *, hint: str | None = None) -> None:
        self.postcode = text
        super().__init__(
            [
                Problem(
                    f"{text!r} is not a valid UK postcode",
                    hint=hint or "a postcode looks like HX1 2JJ or SW1A 0AA",
                )
            ]
        )

    def __reduce__(self) -> tuple[type[InvalidPostcode], tuple[str]]:
        return (type(self), (self.postcode,))


class UnknownPostcode(InputError):
    """A well-formed postcode that neither the unit, sector nor district tables know."""

    def __init__(self, text: str, *, hint: str | None = None) -> None:
        self.postcode = text
        super().__init__(
            [
                Problem(
                    f"postcode {text!r} is not in the UK postcode data "
                    "(not even its sector or district)",
                    hint=hint or "check it for typos",
                )
            ]
        )

    def __reduce__(self) -> tuple[type[UnknownPostcode], tuple[str]]:
        return (type(self), (self.postcode,))
