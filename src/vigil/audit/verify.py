"""Walk the chain and name the first entry that does not hold."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from vigil.audit.models import GENESIS, ChainedEntry, Verification, entry_hash


def verify_chain(
    entries: Iterable[ChainedEntry],
    head: tuple[int, str],
    progress: Callable[[int], None] | None = None,
) -> Verification:
    """Check sequence, links and hashes of every entry, then that the head matches the end.

    An edited entry fails its own hash; a deleted entry leaves a gap that the next entry
    names; a deleted tail leaves the head pointing past the last entry.
    """
    expected_seq, prev, checked = 1, GENESIS, 0
    for entry in entries:
        if entry.seq != expected_seq:
            return _bad(entry, checked, f"entries {expected_seq}..{entry.seq - 1} are missing")
        if entry.prev_hash != prev:
            return _bad(entry, checked, "its link to the previous entry does not match")
        if entry_hash(entry.seq, entry.prev_hash, entry) != entry.hash:
            return _bad(entry, checked, "its content does not match its hash (edited)")
        prev, expected_seq, checked = entry.hash, expected_seq + 1, checked + 1
        if progress is not None and checked % 10_000 == 0:
            progress(checked)
    head_seq, head_hash = head
    if head_seq != checked or head_hash != prev:
        return Verification(
            ok=False,
            checked=checked,
            bad_seq=checked + 1,
            reason=f"the chain ends at entry {checked} but its head says {head_seq}: "
            "entries at the end were deleted or the head was altered",
        )
    return Verification(ok=True, checked=checked)


def _bad(entry: ChainedEntry, checked: int, reason: str) -> Verification:
    return Verification(
        ok=False, checked=checked, bad_seq=entry.seq, bad_id=entry.id, reason=reason
    )
