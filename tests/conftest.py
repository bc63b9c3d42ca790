"""What every test shares: Hypothesis without a time limit per example.

Timed assertions do not belong in the suite: on a loaded machine Hypothesis's 200 ms deadline
fails examples that are only slow. Speed is measured by the benchmarks under `benchmarks/`.
"""

from __future__ import annotations

from hypothesis import settings

settings.register_profile("keepitlocal", deadline=None)
settings.load_profile("keepitlocal")
