"""Other Latin spellings of a name, as police in other countries write the same person.

Three sources of variation, most specific first:

- a hand-written table of equivalent spellings of the commonest names across romanisations
  (Mohammed, Muhammad, Mohamed; Sergei, Sergey, Serguei; Zhang, Chang, Cheung);
- rules for a script: the French and German transliterations of Cyrillic (Tchaikovski,
  Tschaikowskij) and Russia's ICAO passport one, Arabic particles written or dropped (Al-Hassan,
  El-Hassan, Hassan, Alhassan), syllables of Chinese and Korean given names split (Xiao-Ming),
  the ICAO expansion of Latin letters with diacritics (Müller → Mueller);
- optionally, English nicknames (William → Bill) from the carltonnorthern/nicknames table
  (Apache-2.0). That table is not part of this project: ``load_nicknames`` reads it from the
  shared data folder when it is there, and ``spelling_variants`` uses it only when given it,
  so that a world does not change with what the machine holds.
"""

from __future__ import annotations

import csv
import random
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from vigil.world.names.model import PersonName
from vigil.world.names.romanise import ascii_name, romanise

# Equivalent spellings of one name; each line is one group, and a script code before it limits
# the group to names in that script (a Vietnamese Tan is no Chen). Written for this project.
_EQUIVALENTS = """
Mohammed Muhammad Mohamed Mohamad Mohammad Muhammed Mohamud Mehmet
Ahmed Ahmad Ahmet Achmed
Mahmoud Mahmud Mahmood Mahmut
Mustafa Mostafa Moustafa Mustapha
Youssef Yusuf Yousef Yousuf Youssouf Yosef
Hussein Husain Hussain Husayn Houssein Hossein Huseyin
Hassan Hasan Hasen
Khaled Khalid Halid
Omar Umar Omer Oumar
Othman Osman Uthman Usman Ousmane
Ibrahim Ebrahim Ibrahima Brahim Ibrahem
Abdullah Abdallah Abdulla Abdellah Abdoulaye Abdullahi
Said Saeed Saied Sa'id
Ali Aly
Fatima Fatimah Fatma Fatemeh Fatouma Fadumo Fatoumata
Aisha Aicha Ayesha Aishah Aisyah Aissatou
Khadija Khadidja Khadijah Hadiza Kadiatou
Maryam Mariam Meryem Mariama
Zainab Zaynab Zeinab Zeynep
Yasser Yasir Yaser
Aleksandr Alexander Alexandre Alexandr Oleksandr Aleksander Alejandro
Aleksei Alexei Aleksey Alexey Oleksii Alexej
Sergei Sergey Serguei Sergej Serhii Serhiy
Yuri Yury Yuriy Iouri Juri Yurii
Dmitri Dmitry Dmitriy Dmitrii Dimitri
Andrei Andrey Andriy Andrii Andrej Andre
Mikhail Michail Mykhailo Mikhael Michael
Nikolai Nikolay Mykola Nicolai Nikolaj
Vladimir Volodymyr Wladimir Vladimer
Yevgeny Evgeny Evgeniy Evgueni Jewgeni Yevhen
Natalia Natalya Nataliya Natalija
Yelena Elena Olena Jelena Helena
Tatiana Tatyana Tetiana Tatjana
Olga Olha Olgha
Yulia Julia Yuliya Ioulia Juliya
Anastasia Anastasiya Anastasija
Pyotr Petr Petro Piotr Peter
Ivan Iwan Ivane
Georgios Giorgos Georgi Georgiy Giorgi George Jorge
Hans: Zhang Chang Cheung
Hans: Wang Wong
Hans: Li Lee Lie
Hans: Chen Chan Tan
Hans: Liu Lau Lew
Hans: Huang Hwang Wong
Hans: Zhou Chou Chow
Hans: Wu Ng Woo
Hans: Xu Hsu Tsui
Hans: Zhao Chao Chiu
Hans: Lin Lam Lim
Hans: Yang Yeung
Hans: Guo Kuo Kwok
Hans: Zheng Cheng
Hans: Xie Hsieh Tse
Hans: Liang Leung
Hans: Zhu Chu
Hans: Cai Tsai Choy
Hans: Jiang Chiang
Kore: Lee Yi Rhee I
Kore: Park Pak Bak
Kore: Choi Choe
Kore: Jung Jeong Chung
Kore: Kim Gim
Kore: Yoon Yun
Jose Josef Joseph Giuseppe
"""


def _groups() -> dict[tuple[str, str], tuple[str, ...]]:
    """(script or "", spelling) → the other spellings of its name; a name may be in two groups."""
    groups: dict[tuple[str, str], tuple[str, ...]] = {}
    for line in _EQUIVALENTS.strip().splitlines():
        script, _, names_text = line.rpartition(":")
        names = names_text.split()
        for name in names:
            key = (script.strip(), name.lower())
            groups[key] = groups.get(key, ()) + tuple(n for n in names if n.lower() != key[1])
    return groups


_GROUPS = _groups()

# Cyrillic transliterated the French and the German way, and as Russian passports (ICAO) do.
_CYRILLIC_STYLES = {
    "french": {"shch": "chtch", "ch": "tch", "sh": "ch", "zh": "j", "kh": "kh", "yu": "iou"}
    | {"ya": "ia", "ye": "ie", "yo": "io", "u": "ou", "y": "i"},
    "german": {"shch": "schtsch", "ch": "tsch", "sh": "sch", "zh": "sch", "kh": "ch", "ts": "z"}
    | {"yu": "ju", "ya": "ja", "ye": "je", "yo": "jo", "v": "w", "ay": "aj", "ey": "ej", "oy": "oj"}
    | {"iy": "ij", "uy": "uj"},
    "icao": {"ye": "e", "yo": "e", "yu": "iu", "ya": "ia", "iy": "ii", "y": "i"},
    "english": {"iy": "y", "yy": "y", "ks": "x"},
}
_STYLE_PATTERNS = {
    style: re.compile("|".join(sorted(table, key=len, reverse=True)))
    for style, table in _CYRILLIC_STYLES.items()
}
_ICAO_LETTERS = {"ä": "ae", "ö": "oe", "ü": "ue", "å": "aa", "ø": "oe", "æ": "ae", "ß": "ss"}
_ICAO_LETTERS |= {"þ": "th", "ð": "d"}
# Words that begin a family name rather than being one (Abu Shaqdam is one name, not two).
_PREFIXES = frozenset({"abu", "al", "el", "ben", "bin", "van", "von", "de", "da", "di", "del"})
_PREFIXES |= frozenset({"la", "le", "mac", "mc", "o", "st", "san", "santa", "dos", "das", "do"})
_PARTICLES = ("al-", "el-", "van der ", "van den ", "van ", "von ", "de ", "da ", "di ", "le ")


@dataclass(frozen=True, slots=True)
class Nicknames:
    """English given names and their nicknames (William → Bill, Will, Billy)."""

    by_name: Mapping[str, tuple[str, ...]]


def _default_nicknames_path() -> Path:
    # The shared data folder lies beside the repository: <root>/../shared/data.
    return Path(__file__).resolve().parents[5] / "shared" / "data" / "nicknames-en" / "names.csv"


def load_nicknames(path: Path | None = None) -> Nicknames | None:
    """The nickname table at ``path`` (by default the shared data folder's), or None if absent.

    Args:
        path: a ``name1,relationship,name2`` CSV as carltonnorthern/nicknames publishes it.

    Returns:
        The table, or None when the file is not there: nicknames are an optional enrichment.
    """
    path = path or _default_nicknames_path()
    if not path.is_file():
        return None
    table: dict[str, list[str]] = {}
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row.get("relationship") != "has_nickname":
                continue
            # One way only: William may be written Bill, but a Dina is no Geraldine.
            table.setdefault(row["name1"].strip().lower(), []).append(row["name2"].strip().lower())
    return Nicknames({k: tuple(dict.fromkeys(v)) for k, v in table.items()})


def spelling_variants(
    rng: random.Random, name: PersonName, *, nicknames: Nicknames | None = None
) -> list[str]:
    """Other Latin spellings of ``name`` that police abroad might write for the same person.

    Args:
        rng: the generator for the random combinations; it gives 64 bits whatever the name,
            so that what follows in a world does not depend on how many variants a name has.
        name: the name as drawn.
        nicknames: English nicknames to add (see ``load_nicknames``), or None.

    Returns:
        Full names, given names first and the family name last, without the patronymic;
        none equals the name's own romanisation. Empty when no variant is known.
    """
    local = random.Random(rng.getrandbits(64))
    given, family = name.latin_given.split(), name.latin_family.split()
    native_given, native_family = name.given.split(), name.family.split()
    options = [
        _token_options(name, token, native_given, i, nicknames) for i, token in enumerate(given)
    ] + [_token_options(name, token, native_family, i, None) for i, token in enumerate(family)]
    tokens = given + family
    canonical = _full(given, family)
    found: dict[str, None] = {}
    for i, alternatives in enumerate(options):
        for alternative in alternatives:
            changed = [*tokens[:i], alternative, *tokens[i + 1 :]]
            found[_full(changed[: len(given)], changed[len(given) :])] = None
    for variant in _whole_name_variants(name, given, family):
        found[variant] = None
    for _ in range(2):  # a couple of spellings that differ in several places at once
        mixed = [local.choice([t, *alts]) for t, alts in zip(tokens, options, strict=True)]
        found[_full(mixed[: len(given)], mixed[len(given) :])] = None
    found.pop(canonical, None)
    return [v for v in found if v.strip()]


def _full(given: list[str], family: list[str]) -> str:
    return " ".join([*given, *family])


def _token_options(
    name: PersonName, token: str, native: list[str], i: int, nicknames: Nicknames | None
) -> list[str]:
    equivalents = _GROUPS.get(("", token.lower()), ()) + _GROUPS.get(
        (name.script, token.lower()), ()
    )
    options = [_styled(token, n) for n in equivalents]
    if name.script == "Cyrl":
        options += [_restyled(token, style) for style in _CYRILLIC_STYLES]
    if name.script == "Arab" or token.lower().startswith(("al-", "el-", "abdul", "abdel")):
        options += _arabic_options(token)
    if name.script in ("Hans", "Kore") and len(native) == 1 and len(native[0]) == 2:
        options += _syllables_split(name.script, native[0])
    if name.script == "Latn" and len(native) > i:
        icao = _icao(native[i])
        if icao:
            options.append(icao)
    if "-" in token:
        options += [token.replace("-", " "), token.replace("-", "")]
    if nicknames is not None and name.script == "Latn":
        # Only shorter forms: the table also links names that are not nicknames (Ivan, John).
        shorter = [n for n in nicknames.by_name.get(token.lower(), ()) if len(n) < len(token)]
        options += [n.capitalize() for n in shorter]
    return [o for o in dict.fromkeys(options) if o and o != token]


def _styled(token: str, spelling: str) -> str:
    return spelling.upper() if token.isupper() else spelling


def _restyled(token: str, style: str) -> str:
    table = _CYRILLIC_STYLES[style]
    lowered = _STYLE_PATTERNS[style].sub(lambda m: table[m.group()], token.lower())
    return "-".join(part.capitalize() for part in lowered.split("-"))


def _arabic_options(token: str) -> list[str]:
    lower = token.lower()
    if lower.startswith(("al-", "el-")):
        rest = token[3:]
        return [f"Al {rest}", f"El-{rest}", rest, f"Al{rest.lower()}"]
    if lower.startswith("abdul") and len(token) > 7 and ("", lower) not in _GROUPS:
        rest = token[5:]
        return [f"Abdel{rest}", f"Abd al-{rest.capitalize()}", f"Abdul {rest.capitalize()}"]
    options = []
    if "ou" in lower:
        options.append(_same_case(token, lower.replace("ou", "u")))
    if "ee" in lower:
        options.append(_same_case(token, lower.replace("ee", "i")))
    doubled = re.sub(r"([bdfklmnrst])\1", r"\1", lower)
    if doubled != lower:
        options.append(_same_case(token, doubled))
    return options


def _same_case(token: str, lower: str) -> str:
    return lower.upper() if token.isupper() else lower.capitalize()


def _syllables_split(script: str, native: str) -> list[str]:
    scheme = "zh" if script == "Hans" else "ko"
    first, second = (romanise(scheme, char) for char in native)
    return [f"{first}-{second.lower()}", f"{first}-{second}", f"{first} {second}"]


def _icao(native: str) -> str | None:
    lower = native.lower()
    if not any(c in _ICAO_LETTERS for c in lower):
        return None
    expanded = "".join(_ICAO_LETTERS.get(c, c) for c in lower)
    return ascii_name(expanded).capitalize()


def _whole_name_variants(name: PersonName, given: list[str], family: list[str]) -> list[str]:
    """Variants of the name as a whole: particles dropped or joined, surnames hyphenated."""
    variants = []
    family_text = " ".join(family)
    lower = family_text.lower()
    for particle in _PARTICLES:
        if lower.startswith(particle) and len(family_text) > len(particle):
            rest = family_text[len(particle) :]
            variants.append(_full(given, rest.split()))
            variants.append(_full(given, [family_text.replace(" ", "")]))
            break
    if len(family) == 2 and "-" not in family_text and not _PREFIXES & {f.lower() for f in family}:
        variants.append(_full(given, ["-".join(family)]))
        variants.append(_full(given, family[:1]))  # the second surname left out
    if name.latin_patronymic and name.script == "Cyrl":
        variants.append(_full([*given, name.latin_patronymic], family))
    return variants
