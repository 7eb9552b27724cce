"""Stocks of names per locale: Faker's lists, the hand-written pools, and two derived stocks.

Faker's person providers hold the names as class attributes (tuples, or dicts of name → weight).
They are read once per locale and drawn from with the caller's ``random.Random``, rather than
through a seeded Faker instance: Faker's weighted draws add up the weights on every call (115 µs
for an en_US given and family name, against under a microsecond a draw here), and drawing with
the caller's generator keeps a world deterministic whatever Faker does with its own.
"""

# ruff: noqa: RUF001 - letters of other scripts that look Latin are the point of this module

from __future__ import annotations

import importlib
import random
import re
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from itertools import accumulate
from typing import Any

from vigil.world.names.romanise import ascii_name
from vigil.world.names.tables import pool_rows

# Script (ISO 15924) and romanisation scheme (see romanise.py) of each non-Latin stock.
LOCALE_SCRIPTS: dict[str, tuple[str, str]] = {
    "ar_AA": ("Arab", "ar"), "ar_PS": ("Arab", "ar"), "ar_SA": ("Arab", "ar"),
    "fa_IR": ("Arab", "fa"), "x_urdu": ("Arab", "table"), "he_IL": ("Hebr", "he"),
    "hy_AM": ("Armn", "hy"), "ka_GE": ("Geor", "ka"), "el_GR": ("Grek", "el"),
    "ru_RU": ("Cyrl", "ru"), "uk_UA": ("Cyrl", "uk"), "bg_BG": ("Cyrl", "bg"),
    "mk_MK": ("Cyrl", "mk"), "sr_Cyrl": ("Cyrl", "table"), "uz_Cyrl": ("Cyrl", "table"),
    "x_mongolian": ("Cyrl", "table"), "hi_IN": ("Deva", "indic"), "mr_IN": ("Deva", "indic"),
    "ne_NP": ("Deva", "indic"), "bn_BD": ("Beng", "indic"), "gu_IN": ("Gujr", "indic"),
    "or_IN": ("Orya", "indic"), "ta_IN": ("Taml", "indic"), "si_LK": ("Sinh", "sinhala"),
    "th_TH": ("Thai", "th"), "zh_CN": ("Hans", "zh"), "ja_JP": ("Jpan", "ja"),
    "ko_KR": ("Kore", "ko"), "x_ethiopic": ("Ethi", "table"), "x_burmese": ("Mymr", "table"),
}  # fmt: skip

# Faker's Arabic, Persian and Hebrew lists are long and flat (every name as likely as the
# next); half of these draws come from the hand-written pool of the commonest names instead.
_SUPPLEMENTS = {"ar_AA": "x_arabic", "ar_SA": "x_arabic", "ar_PS": "x_arabic"}
_SUPPLEMENTS |= {"fa_IR": "x_persian", "he_IL": "x_hebrew"}
_SUPPLEMENT_SHARE = 0.5


@dataclass(frozen=True, slots=True)
class Entry:
    """One name in a stock; ``latin`` when its romanisation is known in advance."""

    native: str
    latin: str | None = None


@dataclass(frozen=True, slots=True)
class Pool:
    """Names with weights, drawn in O(log n)."""

    entries: tuple[Entry, ...]
    cum_weights: tuple[float, ...]

    def draw(self, rng: random.Random) -> Entry:
        """One name, as likely as its weight (what ``rng.choices`` does, without its list)."""
        point = rng.random() * self.cum_weights[-1]
        return self.entries[bisect_right(self.cum_weights, point, 0, len(self.entries) - 1)]

    def __bool__(self) -> bool:
        return bool(self.entries)


def pool(weighted: Iterable[tuple[Entry, float]]) -> Pool:
    """A pool from (entry, weight) pairs."""
    pairs = [(e, w) for e, w in weighted if w > 0]
    return Pool(tuple(e for e, _ in pairs), tuple(accumulate(w for _, w in pairs)))


@dataclass(frozen=True, slots=True)
class Stock:
    """The names one locale or hand-written pool offers, by part and sex."""

    locale: str
    script: str
    scheme: str
    given: Mapping[str, Pool]
    family: Mapping[str, Pool]
    patronymic: Mapping[str, Pool] | None = None  # ready-made patronymics (Russian, Ukrainian)
    middle: Pool | None = None  # Vietnamese middle names


@cache
def stock(locale: str) -> Stock:
    """The stock of names of ``locale``, built on first use."""
    script, scheme = LOCALE_SCRIPTS.get(locale, ("Latn", "latin"))
    if locale.startswith("x_"):
        given, family = _hand_pools(locale)
        return Stock(locale, script, scheme, given, family)
    if locale in ("sr_Cyrl", "uz_Cyrl"):
        return _cyrillic_stock(locale, script, scheme)
    provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
    if locale == "ja_JP":
        return _japanese_stock(provider, script, scheme)
    given = {sex: _faker_given(locale, provider, sex) for sex in "MF"}
    family = {sex: _faker_family(locale, provider, sex) for sex in "MF"}
    if locale in _SUPPLEMENTS:
        extra_given, extra_family = _hand_pools(_SUPPLEMENTS[locale])
        given = {sex: _merged(given[sex], extra_given[sex]) for sex in "MF"}
        family = {sex: _merged(family[sex], extra_family[sex]) for sex in "MF"}
    patronymic = None
    if hasattr(provider, "middle_names_male"):
        patronymic = {
            "M": pool(_weighted(provider.middle_names_male)),
            "F": pool(_weighted(provider.middle_names_female)),
        }
    middle = pool(_weighted(provider.middle_names)) if locale == "vi_VN" else None
    return Stock(locale, script, scheme, given, family, patronymic, middle)


def _weighted(names: Any) -> list[tuple[Entry, float]]:
    """Faker's names as (entry, weight): dicts carry weights, tuples weigh each name 1."""
    if isinstance(names, Mapping):
        return [(Entry(str(n)), float(w)) for n, w in names.items()]
    return [(Entry(str(n)), 1.0) for n in names]


def _faker_given(locale: str, provider: Any, sex: str) -> Pool:
    if locale == "lt_LT":  # one list for both sexes; Lithuanian women's names end in -a or -ė
        female = [n for n in provider.first_names if n.endswith(("a", "ė"))]
        names = female if sex == "F" else [n for n in provider.first_names if n not in female]
        return pool(_weighted(names))
    return pool(
        _weighted(getattr(provider, "first_names_female" if sex == "F" else "first_names_male"))
    )


def _faker_family(locale: str, provider: Any, sex: str) -> Pool:
    if locale == "pl_PL":  # -ski names take -ska for women
        gendered = [_polish_female(n) if sex == "F" else n for n in provider.male_last_names]
        return pool(_weighted([*provider.unisex_last_names, *gendered]))
    if locale == "lt_LT":
        names = provider.last_names
        return pool(_weighted([_lithuanian_female(n) for n in names] if sex == "F" else names))
    if locale == "is_IS":  # Icelanders are their father's son or daughter
        suffix = "dóttir" if sex == "F" else "son"
        return pool(_weighted([stem + suffix for stem in provider.last_names_without_suffix]))
    attribute = "last_names_female" if sex == "F" else "last_names_male"
    return pool(_weighted(getattr(provider, attribute, provider.last_names)))


def _polish_female(name: str) -> str:
    for male, female in (("ski", "ska"), ("cki", "cka"), ("dzki", "dzka")):
        if name.endswith(male):
            return name[: -len(male)] + female
    return name


def _lithuanian_female(name: str) -> str:
    # The married form, the commonest on adult women's documents (Petrauskas → Petrauskienė).
    for male, female in (("ius", "ienė"), ("us", "uvienė"), ("as", "ienė"), ("is", "ienė")):
        if name.endswith(male):
            return name[: -len(male)] + female
    return name[:-2] + "ienė" if name.endswith("ys") else name


def _japanese_stock(provider: Any, script: str, scheme: str) -> Stock:
    # Faker's Japanese names come as (kanji, kana, romaji) triples.
    def pairs(triples: Any) -> Pool:
        if isinstance(triples, Mapping):
            return pool((Entry(t[0], _hepburn(t[2])), float(w)) for t, w in triples.items())
        return pool((Entry(t[0], _hepburn(t[2])), 1.0) for t in triples)

    given = {
        "M": pairs(provider.first_name_male_pairs),
        "F": pairs(provider.first_name_female_pairs),
    }
    family = pairs(provider.last_name_pairs)
    return Stock("ja_JP", script, scheme, given, {"M": family, "F": family})


# A few of Faker's romaji are Kunrei-shiki (Mituru); passports and police write Hepburn.
_KUNREI: tuple[tuple[str, str], ...] = (
    (r"(?<![sc])hu", "fu"),
    (r"tu", "tsu"),
    (r"ti", "chi"),
    (r"si", "shi"),
    (r"zi", "ji"),
)
_KUNREI += ((r"sy", "sh"), (r"ty", "ch"), (r"zy", "j"))


def _hepburn(romaji: str) -> str:
    lower = romaji.lower()
    for kunrei, hepburn in _KUNREI:
        lower = re.sub(kunrei, hepburn, lower)
    return lower.capitalize()


def _hand_pools(name: str) -> tuple[dict[str, Pool], dict[str, Pool]]:
    rows = pool_rows(name)
    if not rows:
        raise KeyError(f"no hand-written pool {name!r} in names_pools.csv")
    given = {
        sex: pool(
            (Entry(r.native, r.latin), r.weight) for r in rows if r.part == "given" and r.sex == sex
        )
        for sex in "MF"
    }
    family_pool = pool((Entry(r.native, r.latin), r.weight) for r in rows if r.part == "family")
    return given, {"M": family_pool, "F": family_pool}


def _merged(faker: Pool, extra: Pool) -> Pool:
    """Faker's pool plus a hand-written one that takes ``_SUPPLEMENT_SHARE`` of the draws."""
    if not extra:
        return faker
    known = {e.native: e.latin for e in extra.entries}
    base = _unaccumulated(faker)
    base_total = sum(w for _, w in base)
    scale = base_total * _SUPPLEMENT_SHARE / (1 - _SUPPLEMENT_SHARE) / extra.cum_weights[-1]
    pairs = [(Entry(e.native, known.get(e.native)), w) for e, w in base]
    pairs += [(e, w * scale) for e, w in _unaccumulated(extra)]
    return pool(pairs)


def _unaccumulated(p: Pool) -> list[tuple[Entry, float]]:
    weights = [b - a for a, b in zip((0.0, *p.cum_weights), p.cum_weights, strict=False)]
    return list(zip(p.entries, weights, strict=True))


# ---- Cyrillic stocks derived from Latin ones ------------------------------------------------

_SERBIAN = dict(zip("abcčćdđefghijklmnoprsštuvzž", "абцчћдђефгхијклмнопрсштувзж", strict=True))
_SERBIAN_PAIRS = {"dž": "џ", "lj": "љ", "nj": "њ"}
# Central Asian names in Russian Cyrillic, as Soviet-era and Russian-language documents
# write them; the Latin form stays the Uzbek spelling Faker gives.
_CENTRAL_ASIAN = dict(zip("abdefghijklmnopqrstuvxyz", "абдефгхижклмнопкрстувхйз", strict=True))
_CENTRAL_ASIAN_PAIRS = {"sh": "ш", "ch": "ч", "o'": "о", "g'": "г", "ya": "я", "yo": "ё"}
_CENTRAL_ASIAN_PAIRS |= {"yu": "ю", "ye": "е", "ts": "ц"}


def _cyrillic_stock(locale: str, script: str, scheme: str) -> Stock:
    source = stock("hr_HR" if locale == "sr_Cyrl" else "uz_UZ")
    table, pairs = (
        (_SERBIAN, _SERBIAN_PAIRS)
        if locale == "sr_Cyrl"
        else (_CENTRAL_ASIAN, _CENTRAL_ASIAN_PAIRS)
    )

    def converted(p: Pool) -> Pool:
        return pool(
            (Entry(_to_cyrillic(e.native, table, pairs), ascii_name(_latin_source(e.native))), w)
            for e, w in _unaccumulated(p)
        )

    given = {sex: converted(p) for sex, p in source.given.items()}
    family = {sex: converted(p) for sex, p in source.family.items()}
    return Stock(locale, script, scheme, given, family)


# Uzbek writes its tutuq belgisi and the o' g' letters with any of these apostrophes.
_APOSTROPHES = str.maketrans({"ʻ": "'", "ʼ": "'", "’": "'", "‘": "'", "`": "'"})


def _latin_source(name: str) -> str:
    # Police abroad drop Uzbek apostrophes (Ulugbek, Jafarov) and write Đ as Dj (Djordjevic).
    plain = name.translate(_APOSTROPHES).replace("'", "")
    return plain.replace("Đ", "Dj").replace("đ", "dj")


def _to_cyrillic(name: str, table: Mapping[str, str], pairs: Mapping[str, str]) -> str:
    text = name.lower().translate(_APOSTROPHES)
    out: list[str] = []
    i = 0
    while i < len(text):
        if text[i : i + 2] in pairs:
            out.append(pairs[text[i : i + 2]])
            i += 2
        else:
            out.append(table.get(text[i], "" if text[i] == "'" else text[i]))
            i += 1
    words = "".join(out).split(" ")
    return " ".join("-".join(p.capitalize() for p in w.split("-")) for w in words)
