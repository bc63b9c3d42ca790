"""Spend by the district (LAD) each supplier is in: the figures behind the spend map.

The tiers say how much stayed in each ring; this says where, district by district, so a council
sees which neighbours its money goes to. Only placed lines count (those in a tier): spend with
suppliers abroad, unplaced or redacted is left out, and the shares are of the whole used total,
so the districts add up to the placed spend and never more.
"""

from __future__ import annotations

from typing import Any

from keepitlocal.geo import lad_name
from keepitlocal.spend.model import DistrictFigure, pence_to_pounds, share


def by_district(con: Any, council: str) -> list[DistrictFigure]:
    """Spend by supplier district from the used spend per supplier (`used_suppliers`, see
    `summary.classify`) and the `placed` suppliers, largest first: each supplier's district
    (`lad`) is the one its postcode was placed in (`suppliers.place`), so no postcode is looked
    up twice."""
    total = int(con.execute("SELECT coalesce(sum(spend), 0) FROM used_suppliers"
                            ).fetchall()[0][0])
    rows = con.execute("""
        SELECT lad, sum(spend), sum(lines), count(DISTINCT supplier_ref)
        FROM used_suppliers JOIN placed USING (sid) WHERE tier IS NOT NULL AND lad IS NOT NULL
        GROUP BY lad
    """).fetchall()
    figures = [DistrictFigure(code, lad_name(code) or code, pence_to_pounds(int(pence)),
                              share(int(pence), total), int(lines), int(suppliers),
                              code == council)
               for code, pence, lines, suppliers in rows]
    figures.sort(key=lambda f: (-f.spend, f.code))
    return figures
