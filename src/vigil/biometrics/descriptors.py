"""A fixed-length descriptor of a fingerprint's minutiae, for the candidate stage of 1:N.

bozorth3 compares two prints in about a millisecond (twenty when they match), far too slow to
run against every print on file. Each print is therefore also summed up as a histogram of its
minutia pairs, which rotation and translation leave unchanged: for each ordered pair closer
than ``_REACH`` pixels, the distance between them, the difference of their directions, and
the direction of the line joining them seen from the first. Prints of one finger share many
such pairs; a vector index finds the prints whose histograms look most alike, and bozorth3
ranks those.
"""

from __future__ import annotations

import numpy as np

_REACH = 200.0
_DISTANCE_BINS = 12
_ANGLE_BINS = 8
DIMENSIONS = _DISTANCE_BINS * _ANGLE_BINS * _ANGLE_BINS


def descriptor(minutiae: np.ndarray) -> np.ndarray:
    """The unit-length histogram of ``minutiae`` (rows of x, y, angle in degrees, kind)."""
    xy = minutiae[:, :2].astype(np.float32)
    theta = np.radians(minutiae[:, 2].astype(np.float32))
    delta = xy[None, :, :] - xy[:, None, :]  # i -> j
    dist = np.hypot(delta[..., 0], delta[..., 1])
    near = (dist > 5.0) & (dist < _REACH)
    i, j = np.nonzero(near)
    if len(i) == 0:
        return np.zeros(DIMENSIONS, dtype=np.float32)
    relative = np.mod(theta[j] - theta[i], 2 * np.pi)
    line = np.arctan2(delta[i, j, 1], delta[i, j, 0])
    seen = np.mod(line - theta[i], 2 * np.pi)
    d_bin = np.minimum((dist[i, j] / _REACH * _DISTANCE_BINS).astype(np.int64), _DISTANCE_BINS - 1)
    a_bin = np.minimum((relative / (2 * np.pi) * _ANGLE_BINS).astype(np.int64), _ANGLE_BINS - 1)
    s_bin = np.minimum((seen / (2 * np.pi) * _ANGLE_BINS).astype(np.int64), _ANGLE_BINS - 1)
    cells = (d_bin * _ANGLE_BINS + a_bin) * _ANGLE_BINS + s_bin
    histogram = np.bincount(cells, minlength=DIMENSIONS).astype(np.float32)
    histogram = np.sqrt(histogram)  # many pairs of one kind should not drown the rest
    norm = float(np.linalg.norm(histogram))
    return histogram / norm if norm else histogram
