"""Faces: detect, check quality, align and embed, with dlib's models shipped in
``face_recognition_models`` (nothing is downloaded).

- Detection: dlib's HOG frontal face detector (the CNN detector costs seconds a photo).
- Landmarks: the 5-point model (its licence is clear; the 68-point model's training data
  excludes commercial use), used to align the face and to judge its pose.
- Embedding: dlib's ResNet (128 numbers); two photos of one person are usually under 0.6 apart
  (Euclidean), two people over it.
"""

from __future__ import annotations

import importlib.util
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from vigil.biometrics import images
from vigil.errors import InvalidInput

DIMENSIONS = 128
# dlib's own threshold on the LFW benchmark: under it, the same person.
MATCH_DISTANCE = 0.6
# Photos are read at most this large: enough for faces of 80 pixels in a group photo.
_LONGEST_SIDE = 1280
MIN_FACE_PIXELS = 80
# The variance of the Laplacian over the face below which it is too blurred to compare.
MIN_SHARPNESS = 25.0
# How far the nose may sit off the eyes' midline, in eye distances, before the face is turned
# too far to compare (a profile photo).
MAX_YAW = 0.45


@dataclass(frozen=True)
class Face:
    """One face found in a photo: its box (in the photo's pixels), quality and embedding."""

    box: tuple[int, int, int, int]  # left, top, right, bottom
    sharpness: float
    yaw: float
    embedding: np.ndarray  # float32, DIMENSIONS


@dataclass(frozen=True)
class _Models:
    detector: Any
    landmarks: Any
    embedder: Any


_LOCK = threading.Lock()  # dlib's objects are not documented as thread-safe


def _model_dir() -> Path:
    # Located without importing the package: its __init__ imports pkg_resources, which recent
    # setuptools no longer ship.
    spec = importlib.util.find_spec("face_recognition_models")
    if spec is None or spec.origin is None:
        raise RuntimeError("face_recognition_models is not installed")
    return Path(spec.origin).parent / "models"


@cache
def _models() -> _Models:
    import dlib

    folder = _model_dir()
    return _Models(
        detector=dlib.get_frontal_face_detector(),
        landmarks=dlib.shape_predictor(str(folder / "shape_predictor_5_face_landmarks.dat")),
        embedder=dlib.face_recognition_model_v1(
            str(folder / "dlib_face_recognition_resnet_model_v1.dat")
        ),
    )


def warm() -> None:
    """Load the models now (about a second) rather than at the first photo."""
    _models()


def faces_in(data: bytes) -> list[Face]:
    """Every face dlib finds in the photo, largest first.

    Raises:
        InvalidInput: the data is not an image.
    """
    photo, scale = images.shrunk(images.decoded(data), _LONGEST_SIDE)
    rgb = images.pixels(photo)
    models = _models()
    with _LOCK:
        # Small photos are looked at twice as large, so that small faces are found too.
        rects = models.detector(rgb, 1 if max(photo.size) <= 800 else 0)
        found = [_face(models, rgb, rect, scale) for rect in rects]
    return sorted(found, key=lambda f: -(f.box[2] - f.box[0]))


def one_face(data: bytes, *, strict: bool) -> Face:
    """The one face of a photo, checked.

    ``strict`` (enrolment): size, sharpness and pose must pass too; a search takes what it is
    given, once there is exactly one face, for the examiner to judge.

    Raises:
        InvalidInput: the reason the photo is refused.
    """
    found = faces_in(data)
    if not found:
        raise InvalidInput("No face found: a frontal photo with the whole face visible is needed.")
    if len(found) > 1:
        raise InvalidInput(f"{len(found)} faces found: crop the photo to one person.")
    face = found[0]
    if strict:
        problem = quality_problem(face)
        if problem is not None:
            raise InvalidInput(problem)
    return face


def quality_problem(face: Face) -> str | None:
    """Why a face is not good enough to enrol, or None."""
    width = face.box[2] - face.box[0]
    if width < MIN_FACE_PIXELS:
        return f"The face is {width} pixels wide; at least {MIN_FACE_PIXELS} are needed."
    if face.sharpness < MIN_SHARPNESS:
        return (
            f"The face is blurred (sharpness {face.sharpness:.0f}, at least {MIN_SHARPNESS:.0f})."
        )
    if abs(face.yaw) > MAX_YAW:
        return "The face is turned too far from the camera: a frontal photo is needed."
    return None


def distance(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.linalg.norm(a - b))


def _face(models: _Models, rgb: np.ndarray, rect: Any, scale: float) -> Face:
    shape = models.landmarks(rgb, rect)
    embedding = np.asarray(models.embedder.compute_face_descriptor(rgb, shape), dtype=np.float32)
    points = np.array([(shape.part(i).x, shape.part(i).y) for i in range(5)], dtype=np.float32)
    box = (
        round(rect.left() / scale), round(rect.top() / scale),
        round(rect.right() / scale), round(rect.bottom() / scale),
    )  # fmt: skip
    return Face(box=box, sharpness=_sharpness(rgb, rect), yaw=_yaw(points), embedding=embedding)


def _sharpness(rgb: np.ndarray, rect: Any) -> float:
    """Variance of the Laplacian over the face, in grey (a blurred face has few edges)."""
    top, bottom = max(rect.top(), 0), min(rect.bottom(), rgb.shape[0])
    left, right = max(rect.left(), 0), min(rect.right(), rgb.shape[1])
    grey = rgb[top:bottom, left:right].astype(np.float32).mean(axis=2)
    if grey.shape[0] < 3 or grey.shape[1] < 3:
        return 0.0
    laplacian = (
        grey[:-2, 1:-1] + grey[2:, 1:-1] + grey[1:-1, :-2] + grey[1:-1, 2:] - 4 * grey[1:-1, 1:-1]
    )
    return float(laplacian.var())


def _yaw(points: np.ndarray) -> float:
    """How far the nose sits off the eyes' midline, in eye distances (0: frontal).

    The 5-point model gives two corners of each eye (points 0-1 and 2-3) and the nose (4)."""
    left_eye, right_eye, nose = points[0:2].mean(axis=0), points[2:4].mean(axis=0), points[4]
    between = np.linalg.norm(left_eye - right_eye)
    if between == 0:
        return 1.0
    axis = (right_eye - left_eye) / between
    return float(np.dot(nose - (left_eye + right_eye) / 2, axis) / between)
