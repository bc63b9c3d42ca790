"""The benchmarks' one measure of a contender's memory: its own process's peak resident size."""

from __future__ import annotations

import resource
from pathlib import Path


def peak_mb() -> float:
    """This process's peak RSS in MiB, from VmHWM where Linux gives it. ru_maxrss is kept across
    exec, so a child started by a parent that had grown (say, while generating the data) would
    report the parent's size as its own; VmHWM starts afresh with the program."""
    status = Path("/proc/self/status")
    if status.is_file():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
