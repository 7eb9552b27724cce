"""Measuring a benchmark process: resident memory, its peak, latency percentiles, and how busy
the machine was (other work on the same cores slows every figure)."""

from __future__ import annotations

import os
import resource
from pathlib import Path

import numpy as np


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def own_peak_mib() -> float:
    """The peak resident set of this process's own memory since it started its program:
    ``ru_maxrss`` of a child started by a large parent keeps the parent's peak across exec."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def percentiles_ms(seconds: list[float], prefix: str = "") -> dict[str, float]:
    values = np.asarray(seconds) * 1e3
    return {
        f"{prefix}p50_ms": round(float(np.percentile(values, 50)), 3),
        f"{prefix}p99_ms": round(float(np.percentile(values, 99)), 3),
    }


def load() -> float:
    """Runnable processes on the machine, averaged over the last minute (2 cores here)."""
    return round(os.getloadavg()[0], 1)
