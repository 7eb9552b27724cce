"""Fingerprints: minutiae from images (NIST NBIS ``mindtct``) or from ISO/IEC 19794-2
templates, compared with ``bozorth3``, through ``nbis-py`` (prebuilt, nothing to compile).

A print is kept as its minutiae, ``(x, y, angle in degrees, kind)``; ``template_bytes`` and
``from_template`` turn them into and out of ISO/IEC 19794-2:2005 finger minutiae records, the
form prints are exchanged in (ANSI/NIST-ITL type 9 carries the same minutiae).
"""

from __future__ import annotations

import io
import struct
import threading
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np

from vigil.biometrics import images
from vigil.errors import InvalidInput

# bozorth3 scores: NIST's customary decision threshold is about 40; impostors on the shared
# samples score at most 15, the same finger 57 and more.
MATCH_SCORE = 40
MIN_MINUTIAE = 12
_RESOLUTION_PPCM = 197  # 500 pixels per inch, in the ISO record's pixels per centimetre
_ANGLE_UNIT = 360 / 256  # ISO/IEC 19794-2 angles are in units of 1.40625 degrees

# Finger positions of ISO/IEC 19794-2 and ANSI/NIST-ITL (0 is "unknown").
FINGERS = {
    1: "right thumb", 2: "right index", 3: "right middle", 4: "right ring", 5: "right little",
    6: "left thumb", 7: "left index", 8: "left middle", 9: "left ring", 10: "left little",
}  # fmt: skip

_KINDS = {"RIDGE_ENDING": 1, "BIFURCATION": 2}


@dataclass(frozen=True)
class Print:
    """A print's minutiae: rows of (x, y, angle in degrees, kind 1 ending / 2 bifurcation)."""

    width: int
    height: int
    minutiae: np.ndarray  # float32, (n, 4)


_LOCK = threading.Lock()  # the NBIS extractor is one native object per process


@cache
def _extractor() -> Any:
    import nbis

    settings = nbis.NbisExtractorSettings(
        min_quality=0.0, get_center=False, check_fingerprint=False, compute_nfiq2=False,
        ppi=500.0,
    )  # fmt: skip
    return nbis.new_nbis_extractor(settings)


def from_image(data: bytes) -> Print:
    """The minutiae ``mindtct`` finds in a fingerprint image (500 ppi; PNG, JPEG, TIFF, BMP).
    The image is decoded in memory and never written anywhere.

    Raises:
        InvalidInput: not an image (WSQ included: nbis-py does not decode it), or too few
            minutiae to search with.
    """
    if data[:2] == b"\xff\xa0":
        raise InvalidInput(
            "WSQ images are not read here (the NBIS build in use has no WSQ decoder): send "
            "the image as PNG, or its ISO/IEC 19794-2 template."
        )
    grey = images.decoded(data, mode="L")
    try:
        with _LOCK:
            found = _extractor().extract_minutiae(_png(grey))
    except Exception as exc:  # nbis raises its own error family for unreadable input
        raise InvalidInput(f"No fingerprint could be read from the image: {exc!r}") from None
    rows = [
        (m.x(), m.y(), m.angle(), _KINDS.get(getattr(m.kind(), "name", ""), 1)) for m in found.get()
    ]
    return _checked(
        Print(grey.width, grey.height, np.asarray(rows, dtype=np.float32).reshape(-1, 4))
    )


def from_template(data: bytes) -> Print:
    """The minutiae of an ISO/IEC 19794-2:2005 finger minutiae record (its first view).

    Raises:
        InvalidInput: not such a record, or too few minutiae.
    """
    if len(data) < 28 or data[:4] != b"FMR\x00":
        raise InvalidInput("Not an ISO/IEC 19794-2 finger minutiae record (no FMR header).")
    (length,) = struct.unpack(">I", data[8:12])
    if length > len(data) or length < 28:
        raise InvalidInput(f"The record says it is {length} bytes long; {len(data)} were sent.")
    _, width, height, _, _, views, _ = struct.unpack(">HHHHHBB", data[12:24])
    if views < 1:
        raise InvalidInput("The record holds no finger view.")
    count = data[27]
    end = 28 + 6 * count
    if end > length:
        raise InvalidInput("The record is cut short: fewer minutiae than it announces.")
    rows = []
    for offset in range(28, end, 6):
        b0, x_low, b2, y_low, angle, _quality = data[offset : offset + 6]
        kind = b0 >> 6
        x = ((b0 & 0x3F) << 8) | x_low
        y = ((b2 & 0x3F) << 8) | y_low
        rows.append((x, y, angle * _ANGLE_UNIT, kind if kind in (1, 2) else 1))
    return _checked(Print(width, height, np.asarray(rows, dtype=np.float32).reshape(-1, 4)))


def template_bytes(found: Print, finger: int = 0) -> bytes:
    """The print as an ISO/IEC 19794-2:2005 record (one view, no extended data)."""
    body = b"".join(_minutia(row) for row in found.minutiae)
    length = 28 + len(body) + 2
    header = b"FMR\x00 20\x00" + struct.pack(
        ">IHHHHHBB", length, 0, found.width, found.height, _RESOLUTION_PPCM, _RESOLUTION_PPCM,
        1, 0,
    )  # fmt: skip
    view = struct.pack(">BBBB", finger, 0, 60, len(found.minutiae))
    return header + view + body + b"\x00\x00"


def score(probe: Any, candidate: Any) -> int:
    """bozorth3's score between two prints made ready by ``matcher`` (0: nothing in common)."""
    return int(probe.compare(candidate))


def matcher(found: Print) -> Any:
    """The print in the form ``bozorth3`` compares (built once per print, kept by the index)."""
    with _LOCK:
        return _extractor().load_iso_19794_2_2005(_nbis_record(found))


def _nbis_record(found: Print) -> bytes:
    # nbis-py reads its own variant of the 2005 record: the 24-byte header, then a two-byte
    # minutiae count and the minutiae, without the finger view header.
    body = b"".join(_minutia(row) for row in found.minutiae)
    header = b"FMR\x00 20\x00" + struct.pack(
        ">IHHHHHBB", 26 + len(body), 0, found.width, found.height, 0, 0, 0, 0
    )
    return header + struct.pack(">H", len(found.minutiae)) + body


def _minutia(row: np.ndarray) -> bytes:
    x, y, angle, kind = (round(float(v)) for v in row)
    code = round(angle / _ANGLE_UNIT) % 256
    return struct.pack(
        ">BBBBBB", ((kind & 0x3) << 6) | ((x >> 8) & 0x3F), x & 0xFF, (y >> 8) & 0x3F, y & 0xFF,
        code, 0,
    )  # fmt: skip


def _png(image: Any) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _checked(found: Print) -> Print:
    if len(found.minutiae) < MIN_MINUTIAE:
        raise InvalidInput(
            f"Only {len(found.minutiae)} minutiae found: at least {MIN_MINUTIAE} are needed "
            "(a clearer or larger impression)."
        )
    if len(found.minutiae) > 255:  # an ISO record counts them in one byte
        order = np.argsort(found.minutiae[:, 0])[:255]
        return Print(found.width, found.height, found.minutiae[order])
    return found
