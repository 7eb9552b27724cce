"""What the access rule reads of each record in the name index, as columns by slot: who owns
it, its audience, its review date, whether notices are about it, whether it is live. Beside
the name table (``persons.name_table``) and the birth years (``persons.births``), the third
set of columns the index (``persons.index``) keeps by slot.
"""

from __future__ import annotations

from array import array
from datetime import date

import numpy as np

from vigil.access.actors import Actor
from vigil.access.envelope import Audience
from vigil.access.roles import Role
from vigil.access.rules import sees_as_checker
from vigil.persons.entries import Entry, may_match


class Access:
    """What the access rule reads of each slot's record, as arrays: a screening decides for
    thousands of candidate records with a few numpy operations, and in Python only once per
    distinct owner and audience among them (and for the few records with notices)."""

    # Not in a snapshot: rebuilt from ``owner`` and ``audience`` when one is read.
    _DERIVED = ("_decided", "pair", "_pairs", "_pair_ids")

    def __init__(self) -> None:
        self.owners: list[str] = []
        self.audiences: list[Audience] = []
        self._owner_ids: dict[str, int] = {}
        self._audience_ids: dict[Audience, int] = {}
        self.owner = array("I")  # per slot
        self.audience = array("I")  # per slot
        self.review_by = array("I")  # per slot, as a proleptic ordinal
        self.noticed = array("B")  # per slot: notices in force are about the record
        self.live = array("B")  # per slot: 0 once the record was replaced or removed
        # Per slot, the id of its (owner, audience) pair: what the access rule decides on.
        self.pair = array("I")
        self._pairs: list[tuple[int, int]] = []  # by pair id: (owner id, audience id)
        self._pair_ids: dict[tuple[int, int], int] = {}
        # Per asker (member, role, networks), by pair id: 1 may match, 0 may not, -1 not
        # decided yet.
        self._decided: dict[tuple[str, Role, frozenset[str]], np.ndarray] = {}

    def add(self, slot: int, entry: Entry) -> None:
        if slot != len(self.live):
            raise ValueError(f"slot {slot} out of order: {len(self.live)} slots")
        owner = self._owner_ids.setdefault(entry.owner, len(self._owner_ids))
        if owner == len(self.owners):
            self.owners.append(entry.owner)
        audience = self._audience_ids.setdefault(entry.audience, len(self._audience_ids))
        if audience == len(self.audiences):
            self.audiences.append(entry.audience)
        self.owner.append(owner)
        self.audience.append(audience)
        pair = self._pair_ids.setdefault((owner, audience), len(self._pairs))
        if pair == len(self._pairs):
            self._pairs.append((owner, audience))
        self.pair.append(pair)
        self.review_by.append(entry.review_by.toordinal())
        self.noticed.append(1 if entry.notices else 0)
        self.live.append(1)

    def drop(self, slot: int) -> None:
        self.live[slot] = 0

    def copy(self) -> Access:
        other = Access()
        for name, value in vars(self).items():
            if name != "_decided":
                setattr(other, name, value[:] if isinstance(value, array | list) else dict(value))
        return other

    def __getstate__(self) -> dict[str, object]:
        return {name: value for name, value in vars(self).items() if name not in self._DERIVED}

    def __setstate__(self, state: dict[str, object]) -> None:
        vars(self).update(state)
        self._decided = {}
        owner = np.frombuffer(self.owner, dtype=np.uint32).astype(np.int64)
        audience = np.frombuffer(self.audience, dtype=np.uint32).astype(np.int64)
        codes, inverse = np.unique(owner << 32 | audience, return_inverse=True)
        self.pair = array("I")
        self.pair.frombytes(inverse.reshape(-1).astype(np.uint32).tobytes())
        self._pairs = [(code >> 32, code & 0xFFFFFFFF) for code in codes.tolist()]
        self._pair_ids = {pair: i for i, pair in enumerate(self._pairs)}

    def _decisions(self, actor: Actor, pairs: np.ndarray) -> np.ndarray:
        """Whether the actor may match a record of each pair id in ``pairs``. Decisions only
        depend on who asks and the pair, and ids never change meaning: they are kept across
        screenings, and only a pair not met before is decided in Python (``sees_as_checker``)."""
        asker = (actor.member, actor.role, actor.networks)
        known = self._decided.get(asker)
        if known is None or len(known) < len(self._pairs):
            grown = np.full(len(self._pairs), -1, dtype=np.int8)
            if known is not None:
                grown[: len(known)] = known
            known = self._decided[asker] = grown
        decided: np.ndarray = known[pairs]
        unknown = np.flatnonzero(decided < 0)
        if len(unknown):
            for pair in set(pairs[unknown].tolist()):
                owner, audience = self._pairs[pair]
                known[pair] = sees_as_checker(actor, self.owners[owner], self.audiences[audience])
            decided = known[pairs]
        return decided

    def allowed(
        self, slots: np.ndarray, actor: Actor, today: date, entries: list[Entry | None]
    ) -> np.ndarray:
        """Which of ``slots`` the actor may match (``may_match``), as a boolean mask."""
        if len(slots) == 0:
            return np.zeros(0, dtype=bool)
        live = np.frombuffer(self.live, dtype=np.uint8)[slots].astype(bool)
        current = np.frombuffer(self.review_by, dtype=np.uint32)[slots] >= today.toordinal()
        pairs = np.frombuffer(self.pair, dtype=np.uint32)[slots]
        allowed: np.ndarray = live & current & (self._decisions(actor, pairs) > 0)
        # A notice in force about the record may let the actor match it where its own
        # envelope does not: those few are decided record by record (only where the
        # envelope alone refused: a notice cannot take away what the envelope gives).
        noticed = np.frombuffer(self.noticed, dtype=np.uint8)[slots].astype(bool) & live
        for position in np.flatnonzero(noticed & ~allowed).tolist():
            entry = entries[int(slots[position])]
            allowed[position] = entry is not None and may_match(actor, entry, today)
        return allowed
