"""Local spend analysis: a council's ledgers in concentric tiers, with VCSE and SME shares.

The engine entry point is `analyse(ledgers, register, council, options) -> SpendResult`;
`result_to_dict` gives the JSON contract and `drill_down` the lines behind any figure.
See docs/spend.md and src/keepitlocal/spend/README.md.
"""

from keepitlocal.spend.columns import detect, detect_ledger
from keepitlocal.spend.engine import analyse, drill_down
from keepitlocal.spend.model import ColumnMapping, SpendOptions, SpendResult
from keepitlocal.spend.report import render_text, result_to_dict

__all__ = [
    "ColumnMapping",
    "SpendOptions",
    "SpendResult",
    "analyse",
    "detect",
    "detect_ledger",
    "drill_down",
    "render_text",
    "result_to_dict",
]
