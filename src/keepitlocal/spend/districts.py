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


def by_district(con: Any, store: Any, council: str) -> list[DistrictFigure]:
    """Spend by supplier district from the used spend per supplier (`used_suppliers`, see
    `summary.classify`) and the `placed` suppliers, largest first.

    The suppliers' sums are added per postcode in SQL (a ledger has far fewer postcodes than
    lines), the postcodes placed with the postcode store once each, then the pence added per
    district.
    """
    total = int(con.execute("SELECT coalesce(sum(spend), 0) FROM used_suppliers"
                            ).fetchall()[0][0])
    rows = con.execute("""
        SELECT postcode, sum(spend), sum(lines), list(DISTINCT supplier_ref)
        FROM used_suppliers JOIN placed USING (sid) WHERE tier IS NOT NULL AND postcode <> ''
        GROUP BY postcode ORDER BY postcode
    """).fetchall()
    if not rows:
        return []
    locations = store.lookup_many([r[0] for r in rows])
    pence: dict[str, int] = {}
    lines: dict[str, int] = {}
    suppliers: dict[str, set[str]] = {}
    for (_postcode, spend, count, refs), location in zip(rows, locations, strict=True):
        code = getattr(location, "lad", None)
        if not code:
            continue
        pence[code] = pence.get(code, 0) + int(spend)
        lines[code] = lines.get(code, 0) + int(count)
        suppliers.setdefault(code, set()).update(refs)
    figures = [DistrictFigure(code, lad_name(code) or code, pence_to_pounds(p), share(p, total),
                              lines[code], len(suppliers[code]), code == council)
               for code, p in pence.items()]
    figures.sort(key=lambda f: (-f.spend, f.code))
    return figures
