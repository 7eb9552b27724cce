"""How each naming culture puts the parts of a name together.

A culture decides how many given names and family names a person has, whether a patronymic or
a chain of fathers' names follows the given name, and which part comes first. The shares below
(a second given name, two surnames) are a generator's round figures, not measured ones.
"""

# ruff: noqa: RUF001 - letters of other scripts that look Latin are the point of this module

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from vigil.world.names.model import FAMILY_FIRST, GIVEN_FIRST, PersonName
from vigil.world.names.romanise import chinese_surname, korean_surname, romanise
from vigil.world.names.stock import Entry, Stock


@dataclass(frozen=True, slots=True)
class Part:
    """A name part in its original script and in Latin."""

    native: str
    latin: str


def _joined(parts: list[Part]) -> Part:
    return Part(" ".join(p.native for p in parts), " ".join(p.latin for p in parts))


def _latin(stock: Stock, entry: Entry, *, family: bool = False) -> str:
    if entry.latin is not None:
        return entry.latin
    if family and stock.scheme == "zh":
        return chinese_surname(entry.native)
    if family and stock.scheme == "ko":
        return korean_surname(entry.native)
    return romanise(stock.scheme, entry.native)


def _given(rng: random.Random, stock: Stock, sex: str, second: float = 0.12) -> Part:
    """One given name, or two (distinct) with probability ``second``."""
    first = stock.given[sex].draw(rng)
    parts = [first]
    if rng.random() < second:
        other = stock.given[sex].draw(rng)
        if other.native != first.native:
            parts.append(other)
    return _joined([Part(e.native, _latin(stock, e)) for e in parts])


def _family(rng: random.Random, stock: Stock, sex: str) -> Part:
    entry = stock.family[sex].draw(rng)
    return Part(entry.native, _latin(stock, entry, family=True))


def _father(rng: random.Random, stock: Stock) -> Part:
    entry = stock.given["M"].draw(rng)
    return Part(entry.native, _latin(stock, entry))


@dataclass(frozen=True, slots=True)
class Stocks:
    """Where the given names and the family names come from (the same stock, usually)."""

    given: Stock
    family: Stock


def _name(
    stocks: Stocks,
    sex: str,
    given: Part,
    family: Part | None,
    patronymic: Part | None = None,
    *,
    order: str = GIVEN_FIRST,
) -> PersonName:
    family = family or Part("", "")
    if order == FAMILY_FIRST:
        # Chinese, Japanese and Korean write the full name without a space.
        sep = "" if stocks.given.script in ("Hans", "Hant", "Jpan", "Kore") else " "
        full = sep.join(p for p in (family.native, given.native) if p)
    else:
        parts = (given.native, patronymic.native if patronymic else "", family.native)
        full = " ".join(p for p in parts if p)
    return PersonName(
        given=given.native,
        family=family.native,
        patronymic=patronymic.native if patronymic else None,
        script=stocks.given.script,
        order=order,
        full=full,
        latin_given=given.latin,
        latin_family=family.latin,
        latin_patronymic=patronymic.latin if patronymic else None,
        sex=sex,
    )


Culture = Callable[[random.Random, Stocks, str], PersonName]


def western(rng: random.Random, stocks: Stocks, sex: str) -> PersonName:
    """Given name(s), then one family name."""
    return _name(stocks, sex, _given(rng, stocks.given, sex), _family(rng, stocks.family, sex))


def hispanic(rng: random.Random, stocks: Stocks, sex: str) -> PersonName:
    """Given name(s), then the father's first surname and the mother's first surname."""
    paternal, maternal = (_family(rng, stocks.family, sex) for _ in range(2))
    given = _given(rng, stocks.given, sex, second=0.35)
    return _name(stocks, sex, given, _joined([paternal, maternal]))


def lusophone(rng: random.Random, stocks: Stocks, sex: str) -> PersonName:
    """Given name(s), then usually the mother's surname before the father's."""
    given = _given(rng, stocks.given, sex, second=0.4)
    surnames = [_family(rng, stocks.family, sex)]
    if rng.random() < 0.7:
        surnames.insert(0, _family(rng, stocks.family, sex))
    return _name(stocks, sex, given, _joined(surnames))


def east_slavic(rng: random.Random, stocks: Stocks, sex: str) -> PersonName:
    """Given name, patronymic, family name (Ivan Sergeyevich Petrov)."""
    given = _given(rng, stocks.given, sex, second=0)
    if stocks.given.patronymic is not None:
        entry = stocks.given.patronymic[sex].draw(rng)
        patronymic = Part(entry.native, _latin(stocks.given, entry))
    else:
        patronymic = _slavic_patronymic(stocks.given, _father(rng, stocks.given), sex)
    return _name(stocks, sex, given, _family(rng, stocks.family, sex), patronymic)


def bulgarian(rng: random.Random, stocks: Stocks, sex: str) -> PersonName:
    """Given name, the father's name made a patronymic (Petrov, Petrova), family name."""
    father = _father(rng, stocks.given).native
    if father.endswith(("а", "о")):
        stem, suffix = father[:-1], "ов"
    elif father.endswith("й"):
        stem, suffix = father[:-1], "ев"
    elif father.endswith(("и", "е", "я", "у")):
        stem, suffix = father, "ев"
    else:
        stem, suffix = father, "ов"
    native = stem + suffix + ("а" if sex == "F" else "")
    patronymic = Part(native, romanise(stocks.given.scheme, native))
    given = _given(rng, stocks.given, sex, second=0)
    return _name(stocks, sex, given, _family(rng, stocks.family, sex), patronymic)


def _slavic_patronymic(stock: Stock, father: Part, sex: str) -> Part:
    """The Russian-style patronymic of a father's name, in both scripts."""
    native = _cyrillic_patronymic(father.native, sex)
    if stock.scheme == "table":  # a derived stock: its Latin forms are not transliterations
        return Part(native, _latin_patronymic(father.latin, sex))
    return Part(native, romanise(stock.scheme, native))


def _cyrillic_patronymic(father: str, sex: str) -> str:
    soft, hard = ("евна", "овна") if sex == "F" else ("евич", "ович")
    if father.endswith(("й", "ь")):
        return father[:-1] + soft  # Сергей → Сергеевич, Игорь → Игоревич
    return father + (soft if father.endswith(tuple("аеёиоуыэюяжчшщц")) else hard)


def _latin_patronymic(father: str, sex: str) -> str:
    soft, hard = ("evna", "ovna") if sex == "F" else ("evich", "ovich")
    ends_soft = father.endswith(("a", "e", "i", "o", "u", "y", "zh", "ch", "sh", "ts"))
    return father + (soft if ends_soft else hard)


def central_asian(rng: random.Random, stocks: Stocks, sex: str) -> PersonName:
    """Given name, Russian-style patronymic, family name, as Soviet-era documents write them."""
    patronymic = _slavic_patronymic(stocks.given, _father(rng, stocks.given), sex)
    given = _given(rng, stocks.given, sex, second=0)
    return _name(stocks, sex, given, _family(rng, stocks.family, sex), patronymic)


def arab_gulf(rng: random.Random, stocks: Stocks, sex: str) -> PersonName:
    """Given name, nasab (bin or bint the father, at times bin the grandfather), family name."""
    fathers = [_father(rng, stocks.given)]
    if rng.random() < 0.4:
        fathers.append(_father(rng, stocks.given))
    first = Part("بنت", "bint") if sex == "F" else Part("بن", "bin")
    chain = [first, fathers[0]] + [p for f in fathers[1:] for p in (Part("بن", "bin"), f)]
    given = _given(rng, stocks.given, sex, second=0)
    return _name(stocks, sex, given, _family(rng, stocks.family, sex), _joined(chain))


def arab(rng: random.Random, stocks: Stocks, sex: str) -> PersonName:
    """Given name, father's name, family name (Ahmed Mahmoud Hassan), as in Egypt and the Levant."""
    father = _father(rng, stocks.given)
    given = _given(rng, stocks.given, sex, second=0)
    return _name(stocks, sex, given, _family(rng, stocks.family, sex), father)


def somali(rng: random.Random, stocks: Stocks, sex: str) -> PersonName:
    """Given name, father's name, grandfather's name; documents abroad take the last as surname."""
    father, grandfather = _father(rng, stocks.given), _father(rng, stocks.given)
    given = _given(rng, stocks.given, sex, second=0)
    return _name(stocks, sex, given, grandfather, father)


def ethiopian(rng: random.Random, stocks: Stocks, sex: str) -> PersonName:
    """Given name, then the father's given name, which records abroad take as the surname."""
    given = _given(rng, stocks.given, sex, second=0)
    return _name(stocks, sex, given, _father(rng, stocks.given))


def mongolian(rng: random.Random, stocks: Stocks, sex: str) -> PersonName:
    """The father's given name, then the given name: passports print the first as surname."""
    given = _given(rng, stocks.given, sex, second=0)
    return _name(stocks, sex, given, _father(rng, stocks.given), order=FAMILY_FIRST)


def malay(rng: random.Random, stocks: Stocks, sex: str) -> PersonName:
    """Given name(s), then bin or binti and the father's name; no family name."""
    given = _given(rng, stocks.given, sex, second=0.25)
    particle = "binti" if sex == "F" else "bin"
    father = _father(rng, stocks.given)
    return _name(
        stocks, sex, given, None, Part(f"{particle} {father.native}", f"{particle} {father.latin}")
    )


def burmese(rng: random.Random, stocks: Stocks, sex: str) -> PersonName:
    """One name of one to three syllables, and no family name."""
    return _name(stocks, sex, _given(rng, stocks.given, sex, second=0), None)


def indonesian(rng: random.Random, stocks: Stocks, sex: str) -> PersonName:
    """Given name and family name, or, for about a third, a single name (Javanese custom)."""
    given = _given(rng, stocks.given, sex, second=0.2)
    family = None if rng.random() < 0.3 else _family(rng, stocks.family, sex)
    return _name(stocks, sex, given, family)


def chinese(rng: random.Random, stocks: Stocks, sex: str) -> PersonName:
    """Surname first, then a given name of one or (mostly) two characters, written together."""
    # Faker's list mixes single characters and two-character names: pair the single ones.
    text = stocks.given.given[sex].draw(rng).native
    if len(text) == 1 and rng.random() < 0.75:
        second = stocks.given.given[sex].draw(rng).native
        text += second if len(second) == 1 and second != text else ""
    given = Part(text, romanise("zh", text))
    return _name(stocks, sex, given, _family(rng, stocks.family, sex), order=FAMILY_FIRST)


def family_first(rng: random.Random, stocks: Stocks, sex: str) -> PersonName:
    """Family name first (Japanese, Korean, Hungarian)."""
    given = _given(rng, stocks.given, sex, second=0)
    return _name(stocks, sex, given, _family(rng, stocks.family, sex), order=FAMILY_FIRST)


def vietnamese(rng: random.Random, stocks: Stocks, sex: str) -> PersonName:
    """Family name, middle name, given name (Nguyễn Thị Lan); Văn and Thị mark the sex."""
    middle = _vietnamese_middle(rng, stocks.given, sex)
    given = _given(rng, stocks.given, sex, second=0)
    if middle is not None:
        given = _joined([middle, given])
    return _name(stocks, sex, given, _family(rng, stocks.family, sex), order=FAMILY_FIRST)


def _vietnamese_middle(rng: random.Random, stock: Stock, sex: str) -> Part | None:
    if stock.middle is None:
        return None
    marker = "Thị" if sex == "F" else "Văn"
    if rng.random() < 0.5:
        return Part(marker, romanise("latin", marker))
    for _ in range(3):  # another middle name, but not the other sex's marker
        entry = stock.middle.draw(rng)
        if entry.native not in ("Thị", "Văn"):
            return Part(entry.native, romanise("latin", entry.native))
    return Part(marker, romanise("latin", marker))


CULTURES: dict[str, Culture] = {
    "western": western,
    "icelandic": western,  # the -son/-dóttir family names come with the is_IS stock
    "hispanic": hispanic,
    "lusophone": lusophone,
    "east_slavic": east_slavic,
    "bulgarian": bulgarian,
    "central_asian": central_asian,
    "arab_gulf": arab_gulf,
    "arab": arab,
    "somali": somali,
    "ethiopian": ethiopian,
    "mongolian": mongolian,
    "malay": malay,
    "burmese": burmese,
    "indonesian": indonesian,
    "chinese": chinese,
    "japanese": family_first,
    "korean": family_first,
    "hungarian": family_first,
    "vietnamese": vietnamese,
}
