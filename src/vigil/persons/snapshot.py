"""The name index on disk: a process that starts loads it instead of reading every record.

A snapshot holds the index's entries and postings and the last person change it applied.
It belongs to one database: the change at that sequence number must still name the same
person, or the snapshot is ignored (a database recreated, a backup restored) and the index is
built from the store again. After loading, the changes since the snapshot are applied as
usual. Small indexes are not snapshotted: they build in a few seconds.

Snapshots are pickles, read only from the data folder (``VIGIL_DATA_DIR``): the same trust
as the database file beside them.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
from pathlib import Path

import sqlalchemy as sa

from vigil import settings
from vigil.persons import store
from vigil.persons.index import NameIndex, State

FORMAT = 15  # 2: notices in force; 3: the name table; 4: access columns; 5: bearer keys;
# 6: the name table's vocabularies; 7: entries in persons.entries; 8: document postings;
# 9: readings mark equivalents; 10: Van and Le read as names in Vietnamese names;
# 11: no index-wide count of a name's bearers (the shortlist counts them); 12: titles dropped;
# 13: Korean family names ending in a consonant (박 Park, not Bag); 14: foreign names in
# katakana and hangul read back (persons.loanwords); 15: birth years by slot
_log = logging.getLogger(__name__)


def path_for_url(url: sa.URL) -> Path:
    """Where the snapshot of the index of the database at ``url`` lives."""
    text = url.render_as_string(hide_password=True)
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    return settings.DATA_DIR / "index" / f"persons-{digest}.pickle"


def save(index: NameIndex, conn: sa.Connection, path: Path) -> bool:
    """Write the index (atomically: a crash leaves the last snapshot whole)."""
    if len(index) < settings.INDEX_SNAPSHOT_MIN:
        return False
    state = index.state()
    marker = store.change_at(conn, state.seq)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.partial")
    with partial.open("wb") as handle:
        pickle.dump((FORMAT, marker, state), handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(partial, path)
    return True


def load(index: NameIndex, conn: sa.Connection, path: Path) -> bool:
    """Fill ``index`` from its snapshot, if there is one and it belongs to this database."""
    try:
        with path.open("rb") as handle:
            found, marker, state = pickle.load(handle)  # noqa: S301 - our own data folder
    except FileNotFoundError:
        return False
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, AttributeError) as exc:
        _log.warning("ignoring the name index snapshot %s: %s", path, exc)
        return False
    if found != FORMAT or not isinstance(state, State):
        return False
    if store.change_at(conn, state.seq) != marker:
        _log.warning("the name index snapshot %s is of another database; rebuilding", path)
        return False
    index.restore(state)
    return True
