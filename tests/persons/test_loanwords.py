"""Foreign names in katakana and hangul, read back towards their Latin spelling."""

from __future__ import annotations

import random

import pytest

from vigil.persons.cross_script import gallery_entry
from vigil.persons.index import NameIndex
from vigil.persons.loanwords import from_hangul, from_katakana, hangul_foreign, katakana
from vigil.persons.models import ScreenQuery
from vigil.persons.names import readings
from vigil.persons.screening import query_forms, rank


@pytest.mark.parametrize(
    ("word", "read"),
    [
        ("プーチン", "putin"),  # the long vowel unwritten, チ as ti
        ("ウラジーミル", "urajimir"),  # the vowel added after a final consonant dropped
        ("クリストファー", "kristofa"),  # and inside the word, before r and before t
        ("アレクサンドル", "areksandor"),
        ("ムスタファ", "mustafa"),  # a vowel between two consonants stays when it is the first
        ("スミス", "smis"),  # an initial s before a consonant
        ("トランプ", "tramp"),  # ト before r, and ン before p is m
        ("ヴィクトル", "viktor"),  # small vowels combine: ヴィ vi
        ("ミッチェル", "micher"),  # ッ doubles nothing; チェ che
        ("ロバート", "robat"),
    ],
)
def test_katakana_read_back(word: str, read: str) -> None:
    assert katakana(word)
    assert from_katakana(word) == read


@pytest.mark.parametrize(
    ("word", "read"),
    [
        ("블라디미르", "bladimir"),  # ㄹㄹ is one l, the added ㅡ dropped
        ("블라디미로비치", "bladimirobich"),  # a final ch written 치
        ("푸틴", "putin"),
        ("클라우스", "klaus"),
        ("알렉산드르", "aleksandr"),
        ("크리스토퍼", "kristope"),
    ],
)
def test_hangul_read_back(word: str, read: str) -> None:
    assert from_hangul(word) == read


def test_only_names_that_look_foreign_get_a_second_hangul_reading() -> None:
    assert hangul_foreign("블라디미르 푸틴")
    assert hangul_foreign("알렉산드르")
    assert not hangul_foreign("김정은")
    assert not hangul_foreign("박 지성")
    assert [r.text for r in readings("김정은")] == ["kim jeongeun"]
    assert [r.text for r in readings("블라디미르 푸틴")] == [
        "beulladimileu putin",
        "bladimir putin",
    ]
    assert [r.loanword for r in readings("블라디미르 푸틴")] == [False, True]


def test_katakana_words_get_a_second_reading_and_kanji_keep_theirs() -> None:
    assert [r.text for r in readings("ウラジーミル・プーチン")] == [
        "urajimiru puchin",
        "urajimir putin",
    ]
    # Kanji and hiragana are Japanese names, read as Japanese only.
    assert [r.text for r in readings("やまだ たろう")] == ["yamada taro"]
    # A katakana word beside a kanji one: only the katakana word is read back.
    assert readings("山田 ジョン")[-1].text.endswith("jon")


def _index(*names: str) -> NameIndex:
    index = NameIndex()
    for name in names:
        index.put(gallery_entry(name))
    return index


@pytest.mark.parametrize(
    "query",
    ["ウラジーミル・プーチン", "블라디미르 푸틴", "블라디미르 블라디미로비치 푸틴"],
)
def test_a_foreign_name_in_katakana_or_hangul_finds_its_latin_form_first(query: str) -> None:
    index = _index("Vladimir Putin", "Vladimir Popov", "Ivan Putilov", "Kim Jong Un")
    forms = query_forms(index, query)
    ranked = rank(index.shortlist(forms, lambda _: True), ScreenQuery(name=query), forms=forms)
    assert ranked and ranked[0].entry.id == "Vladimir Putin"


def test_the_explanation_says_the_name_was_read_as_a_foreign_one() -> None:
    index = _index("Vladimir Putin")
    query = "ウラジーミル・プーチン"
    forms = query_forms(index, query)
    [candidate] = rank(index.shortlist(forms, lambda _: True), ScreenQuery(name=query), forms=forms)
    [name] = [f for f in candidate.features if f.feature == "name"]
    assert "“urajimir putin” (a foreign name in katakana)" in name.explanation


@pytest.mark.parametrize(
    "name",
    [
        "블라디미르2 블라디미르",
        "ㄱ 블라디미르",
        "블라ㄱ디미르 블라디미르",
        "블라디미르 ㅡ",
        "ー",
        "ァ",
    ],
)
def test_odd_characters_beside_the_syllables_are_kept_not_fatal(name: str) -> None:
    """A lone jamo, a digit or a stray mark in a name (typed, or read off a document) leaves
    the reading back to the syllables around it."""
    readings.cache_clear()
    assert all(r.tokens for r in readings(name))


def test_only_the_syllables_are_read_back() -> None:
    assert from_hangul("블라디미르2") == "bladimir2"
    assert from_hangul("ㄱ") == "g"


def test_any_mix_of_kana_hangul_and_other_characters_reads_without_failing() -> None:
    rng = random.Random(5)
    alphabet = (
        [chr(c) for c in range(0x30A0, 0x3100)]  # katakana, with the small ones and marks
        + [chr(c) for c in range(0x3131, 0x3164)]  # lone hangul jamo
        + [chr(rng.randrange(0xAC00, 0xD7A4)) for _ in range(200)]  # hangul syllables
        + list("르스트라ー・=ab2-")  # what makes a name read back, and noise
    )
    for _ in range(3_000):
        words = [
            "".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 6)))
            for _ in range(rng.randrange(1, 4))
        ]
        readings(" ".join(words))  # must not raise
