"""The name index's access columns decide as ``may_match`` does, record by record."""

from __future__ import annotations

import dataclasses
import itertools
import pickle
from array import array
from datetime import timedelta

import numpy as np

from vigil.access.actors import Actor
from vigil.access.envelope import Audience, AudienceKind
from vigil.access.roles import Role
from vigil.core import clock
from vigil.core.countries import GS
from vigil.persons.entries import NoticeLink, entry_of, may_match
from vigil.persons.index import NameIndex, merged
from vigil.persons.name_table import NameTable
from vigil.persons.names import readings

_AUDIENCES = [
    Audience.everyone(),
    Audience(kind=AudienceKind.ONLY, codes=("FRA",)),
    Audience(kind=AudienceKind.ONLY, codes=("DEU", GS)),
    Audience(kind=AudienceKind.EXCEPT, codes=("FRA",)),
    Audience(kind=AudienceKind.NETWORKS, codes=("net-1",)),
]
_ACTORS = [
    Actor("a", "FRA", Role.FRONTLINE, "a"),
    Actor("b", "DEU", Role.NCB, "b", frozenset({"net-1"})),
    Actor("c", "ESP", Role.PARTNER, "c"),
    Actor("d", GS, Role.REVIEWER, "d"),
    Actor("e", "ITA", Role.ANALYST, "e", frozenset({"net-2"})),
]


def test_the_access_columns_agree_with_may_match_for_every_record() -> None:
    today = clock.today()  # as the shortlist reads it
    index = NameIndex()
    made = 0
    for owner, audience, overdue, noticed in itertools.product(
        ["FRA", "DEU", "ITA"], _AUDIENCES, [False, True], [False, True]
    ):
        notices = (
            [NoticeLink(f"n{made}", "red", "ITA", Audience.everyone(), today, "a notice")]
            if noticed
            else []
        )
        index.put(
            entry_of(
                record_id=f"p{made:03d}", owner=owner, audience=audience,
                review_by=today - timedelta(days=1) if overdue else today,
                category="wanted", names=["Ivan Petrov"], birth_date=None, birth_date_to=None,
                sex=None, nationalities=[], identifiers=[], notices=notices,
            )
        )  # fmt: skip
        made += 1
    index.remove("p000")  # a removed record is matched by nobody
    replaced = index.get("p001")
    assert replaced is not None
    index.put(dataclasses.replace(replaced, owner="ESP"))
    slots = np.arange(made + 1)
    entries = [index._entries[s] for s in slots.tolist()]
    for actor in _ACTORS:
        decided = index._access.allowed(slots, actor, today, index._entries).tolist()
        expected = [e is not None and may_match(actor, e, today) for e in entries]
        assert decided == expected, actor.member
        shortlist = index.candidates(actor, readings("Ivan Petrov"))
        assert {e.id for e in shortlist.entries} == {
            e.id for e, ok in zip(entries, expected, strict=True) if ok and e is not None
        }
    # Decisions are kept per asker, by (owner, audience) pair: a pair first met later is
    # decided then, and an index read back from its snapshot, its pair ids rebuilt, decides alike.
    index.put(
        entry_of(
            record_id="late", owner="POL", audience=Audience(kind=AudienceKind.ONLY,
            codes=("ESP", "ITA")), review_by=today, category="wanted", names=["Ivan Petrov"],
            birth_date=None, birth_date_to=None, sex=None, nationalities=[], identifiers=[],
        )
    )  # fmt: skip
    restored = pickle.loads(pickle.dumps(index._access))  # noqa: S301 - made just above
    slots = np.arange(made + 2)
    entries = [index._entries[s] for s in slots.tolist()]
    for actor in _ACTORS:
        expected = [e is not None and may_match(actor, e, today) for e in entries]
        for access in (index._access, restored):
            assert access.allowed(slots, actor, today, index._entries).tolist() == expected


def test_a_name_split_or_joined_otherwise_counts_its_bearers_together() -> None:
    index = NameIndex()
    for number, name in enumerate(["Myat Noe", "MyatNoe", "Noe Myat", "Myat Noe Aung"]):
        index.put(
            entry_of(
                record_id=f"p{number}", owner="MMR", audience=Audience.everyone(),
                review_by=clock.today(), category="missing", names=[name], birth_date=None,
                birth_date_to=None, sex=None, nationalities=[], identifiers=[],
            )
        )  # fmt: skip
    (asked,) = readings("Myat Noe")
    # Counted among the shortlist (what the actor may match): the same parts, in any order or
    # joined, are one name; Myat Noe Aung is another.
    shortlist = index.shortlist([asked], lambda e: True)
    assert shortlist.bearers(asked) == 3
    assert index.shortlist([asked], lambda e: e.id != "p0").bearers(asked) == 2


def test_a_name_parts_bearers_are_counted_once_per_record_among_the_shortlist() -> None:
    index = NameIndex()
    names = [["Dritan Krasniqi", "Dritan Krasniqi Berisha"], ["Driton Hoxha"], ["Dritan Hoxha"]]
    for number, given in enumerate(names):
        index.put(
            entry_of(
                record_id=f"p{number}", owner="ALB", audience=Audience.everyone(),
                review_by=clock.today(), category="wanted", names=given, birth_date=None,
                birth_date_to=None, sex=None, nationalities=[], identifiers=[],
            )
        )  # fmt: skip
    asked = readings("Dritan Hoxha")
    shortlist = index.shortlist(asked, lambda e: True)
    assert shortlist.part_bearers("dritan") == 2  # p0 bears it in two names: once
    assert shortlist.part_bearers("hoxha") == 2
    assert shortlist.part_bearers("dritn") == 0
    assert index.shortlist(asked, lambda e: e.id != "p0").part_bearers("dritan") == 1


def test_a_record_holding_the_travellers_document_is_a_candidate_whatever_its_name() -> None:
    index = NameIndex()
    everyone = Audience.everyone()
    far = clock.today() + timedelta(days=365)

    def put(record_id: str, name: str, identifiers: list[str]) -> None:
        index.put(
            entry_of(
                record_id=record_id, owner="KEN", audience=everyone, review_by=far,
                category="wanted", names=[name], birth_date=None, birth_date_to=None,
                sex=None, nationalities=[], identifiers=identifiers,
            )
        )  # fmt: skip

    for number in range(300):  # more namesakes than a shortlist holds
        put(f"p{number:03d}", "Van Hoang", [])
    put("holder", "Tran Thi Lan", ["Z1307489"])
    officer = Actor("a", "ESP", Role.FRONTLINE, "a")
    by_name = index.candidates(officer, readings("Van Phuc Hoang"))
    assert "holder" not in {e.id for e in by_name.entries}
    with_document = index.candidates(officer, readings("Van Phuc Hoang"), "Z1307489")
    assert with_document.entries[0].id == "holder"
    shortlist = index.shortlist(readings("Van Phuc Hoang"), lambda e: True, "Z1307489")
    assert shortlist.entries[0].id == "holder"


def test_postings_merged_in_one_sort_as_a_stable_merge_of_the_runs() -> None:
    rng = np.random.default_rng(3)
    for runs_count, top in ((1, 50), (5, 1_000), (40, 200_000), (70, 2**32 - 1), (3, 2**31)):
        runs = [
            array("I", np.unique(rng.integers(0, top, size=int(rng.integers(1, 300)))).tolist())
            for _ in range(runs_count)
        ]
        weights = rng.uniform(0.1, 9.0, size=runs_count).tolist()
        unique, sums = merged(runs, weights)
        # The reference: a stable argsort of the slots, each run's weight summed in order.
        ids = np.concatenate([np.frombuffer(r, dtype=np.uint32) for r in runs])
        each = np.concatenate(
            [np.full(len(r), w, dtype=np.float32) for r, w in zip(runs, weights, strict=True)]
        )
        order = np.argsort(ids, kind="stable")
        starts = np.flatnonzero(np.r_[True, ids[order][1:] != ids[order][:-1]])
        assert unique.tolist() == ids[order][starts].tolist()
        assert sums.tolist() == np.add.reduceat(each[order].astype(np.float64), starts).tolist()


def test_a_name_tables_strings_are_picked_right_as_it_grows_copied_or_read_back() -> None:
    table = NameTable()
    names = ["Ivan Petrov", "Li Wei", "Ana Maria de la Cruz", "Thet Naing Oo", "محمد علي"]
    for slot, name in enumerate(names[:3]):
        table.add(slot, ((name, readings(name)),))
    table.gather(np.array([2, 0]))  # picked once before the table grows
    for slot, name in enumerate(names[3:], start=3):
        table.add(slot, ((name, readings(name)),))
    slots = np.array([4, 1, 3, 0])
    expected = [r.joined for s in slots.tolist() for r in readings(names[s])]
    for each in (table, table.copy(), pickle.loads(pickle.dumps(table))):  # noqa: S301
        gathered = each.gather(slots)
        assert gathered.joined == expected
        words = sorted({each.words.items[i] for i in gathered.word_ids.tolist()},
                       key=each.words.get)  # fmt: skip
        assert gathered.distinct_words == words
        assert [gathered.distinct_words[p] for p in gathered.word_places.tolist()] == [
            each.words.items[i] for i in gathered.word_ids.tolist()
        ]
