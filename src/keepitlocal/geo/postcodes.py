"""Recognise UK postcodes however they are typed, and put them in one canonical form.

Rules follow the Royal Mail / ideal-postcodes shapes (A9 9AA, A99 9AA, AA9 9AA, AA99 9AA, A9A 9AA,
AA9A 9AA) with their letter restrictions, loosened only where the ONS Postcode Directory itself
holds real postcodes outside them: retired central London outcodes such as W1M/W1N/W1R/W1V/W1X/W1Y
(so the A9A letter is unrestricted), the Newport "NPT" outcode, and GIR 0AA. Every postcode in the
shipped data is valid under these rules; a test checks that. BFPO and overseas territories are out
of scope: they have no place in UK local-economy geography.
"""

from __future__ import annotations

import re

from keepitlocal.geo.model import InvalidPostcode

_OUTWARD = (
    r"(?:[A-PR-UWYZ][0-9][0-9]?"  # A9, A99
    r"|[A-PR-UWYZ][A-HK-Y][0-9][0-9]?"  # AA9, AA99
    r"|[A-PR-UWYZ][0-9][A-Z]"  # A9A (W1M and friends are real, if retired)
    r"|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY]"  # AA9A
    r")"
)
_INWARD = r"[0-9][ABD-HJLNP-UW-Z]{2}"
# GIR 0AA, and the legacy Newport "NPT" outcode (whose inward codes break the letter rules).
_COMPACT = re.compile(rf"(?:{_OUTWARD}{_INWARD}|GIR0AA|NPT[0-9][A-Z]{{2}})")


def compact_postcode(text: str) -> str:
    """Upper case with all whitespace removed: the shape keys are stored in. Does not validate."""
    return "".join(text.split()).upper()


def is_valid_postcode(text: str) -> bool:
    """True when `text` is a well-formed UK postcode, in any case and spacing."""
    return isinstance(text, str) and _COMPACT.fullmatch(compact_postcode(text)) is not None


def normalise_postcode(text: str) -> str:
    """The canonical form ("hx12jj" -> "HX1 2JJ"); raises InvalidPostcode naming the text."""
    if not isinstance(text, str):
        raise InvalidPostcode(repr(text), hint="expected text")
    compact = compact_postcode(text)
    if _COMPACT.fullmatch(compact) is None:
        raise InvalidPostcode(text)
    return f"{compact[:-3]} {compact[-3:]}"


def tidy_postcode(text: str) -> str:
    """The one clean-up for a postcode a person typed or uploaded: the canonical form when it is
    well formed ("hx12jj" -> "HX1 2JJ"), else the text in capitals with its spaces collapsed, so
    that it can be shown back and fixed. Never cuts the text, never raises."""
    if not isinstance(text, str):
        return ""
    if is_valid_postcode(text):
        return normalise_postcode(text)
    return " ".join(text.split()).upper()


def sector_of(postcode: str) -> str:
    """The sector of a canonical postcode: "HX1 2JJ" -> "HX1 2"."""
    return postcode[:-2]


def district_of(postcode: str) -> str:
    """The district (outcode) of a canonical postcode: "HX1 2JJ" -> "HX1"."""
    return postcode.split(" ", 1)[0]
