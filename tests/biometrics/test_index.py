"""The vector index answers true distances (faiss's L2 answers their squares)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from vigil.biometrics.index import VectorIndex
from vigil.biometrics.models import Modality


def test_a_face_half_a_unit_away_comes_back_at_half_a_unit() -> None:
    index = VectorIndex(Modality.FACE)
    probe = np.zeros(128, dtype=np.float32)
    near = probe.copy()
    near[0] = 0.5
    far = probe.copy()
    far[1] = 0.9
    for seq, vector in ((1, near), (2, far)):
        index.put(SimpleNamespace(seq=seq, id=f"t{seq}", person_id=f"p{seq}", finger=None,
                                  data=vector.tobytes()))  # fmt: skip
    found = index.nearest(probe, 2, lambda items: {i.person_id for i in items})
    assert [(item.person_id, round(distance, 3)) for item, distance in found] == [
        ("p1", 0.5), ("p2", 0.9),
    ]  # fmt: skip
    # The access rule is applied before the list is cut: p1 hidden, p2 first.
    only_far = index.nearest(probe, 1, lambda items: {"p2"} & {i.person_id for i in items})
    assert [item.person_id for item, _ in only_far] == ["p2"]
