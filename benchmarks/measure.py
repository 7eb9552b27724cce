"""Measuring a benchmark process: resident memory, its peak, latency percentiles, and how busy
the machine was (other work on the same cores slows every figure)."""

from __future__ import annotations

import ctypes
import functools
import mmap
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


def resident_fraction(path: Path) -> float:
    """The share of a file's pages in the operating system's page cache (``mincore``).

    Some machines this runs on page out file pages left untouched for a minute (a DAMON
    ``pageout`` scheme on the host's behalf), so a store read in a loop from disk and one read
    from memory give different figures for the same code: this says which was measured.
    """
    size = path.stat().st_size
    if size == 0:
        return 1.0
    libc = ctypes.CDLL(None, use_errno=True)
    libc.mmap.restype = ctypes.c_void_p
    libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int,
                          ctypes.c_int, ctypes.c_long]  # fmt: skip
    libc.mincore.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_char_p]
    libc.munmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t]
    pages = -(-size // mmap.PAGESIZE)
    with path.open("rb") as file:
        address = libc.mmap(None, size, mmap.PROT_READ, mmap.MAP_SHARED, file.fileno(), 0)
        if address in (None, ctypes.c_void_p(-1).value):
            raise OSError(ctypes.get_errno(), f"mmap of {path} failed")
        try:
            flags = ctypes.create_string_buffer(pages)
            if libc.mincore(address, size, flags) != 0:
                raise OSError(ctypes.get_errno(), f"mincore of {path} failed")
        finally:
            libc.munmap(address, size)
    resident = np.frombuffer(flags.raw, dtype=np.uint8) & 1
    return round(float(resident.sum()) / pages, 3)


def read_through(path: Path) -> int:
    """Read a file once, end to end, so that its pages are in the page cache (a prewarm);
    returns the bytes read."""
    with path.open("rb") as file:
        return sum(len(chunk) for chunk in iter(functools.partial(file.read, 1 << 24), b""))
