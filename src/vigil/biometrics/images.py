"""Reading uploaded images safely: size limits, EXIF orientation, one colour layout."""

from __future__ import annotations

import io
import warnings

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from vigil.errors import InvalidInput

# Larger uploads are refused before decoding (a decompression bomb is small on the wire).
MAX_PIXELS = 40_000_000
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


def decoded(data: bytes, *, mode: str = "RGB") -> Image.Image:
    """The image in ``data``, upright (EXIF orientation applied), in ``mode``.

    Raises:
        InvalidInput: not an image Pillow reads, or too large.
    """
    if not data:
        raise InvalidInput("The image is empty.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise InvalidInput(
            f"Not an image this service reads (JPEG, PNG, TIFF, BMP): {exc}"
        ) from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise InvalidInput(f"The image is larger than {MAX_PIXELS:,} pixels.") from None
    return ImageOps.exif_transpose(image).convert(mode)


def pixels(image: Image.Image) -> np.ndarray:
    return np.asarray(image)


def shrunk(image: Image.Image, longest: int) -> tuple[Image.Image, float]:
    """The image with its longest side at most ``longest``, and the scale applied."""
    side = max(image.size)
    if side <= longest:
        return image, 1.0
    scale = longest / side
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    return image.resize(size, Image.Resampling.LANCZOS), scale


# What the first bytes of an image say it is. Images are served as that, never as the type an
# uploader declared: from our own origin, a declared text/html would be a page of ours.
_SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF8", "image/gif"),
    (b"BM", "image/bmp"),
)


def shown_type(data: bytes) -> str | None:
    """The media type a browser may show these bytes as (None: not an image it shows)."""
    return next((kind for magic, kind in _SIGNATURES if data.startswith(magic)), None)
