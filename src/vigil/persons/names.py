"""The name engine: any script in, comparable Latin readings and phonetic keys out.

A name as an officer types it and a name as another country recorded it rarely share a
spelling: one is in Arabic script and the other in a French romanisation, one puts the family
name first, one drops a particle or a second given name. Comparison therefore happens on
*readings*: each name is read into one or more Latin forms (a Japanese name written in kanji
reads as Japanese and as Chinese), split into tokens with particles dropped and compounds
joined (``Abd al-Rahman``, ``Abdelrahman`` and ``Abdul Rahman`` become one token), and each
token gets a phonetic *key*: its consonant skeleton with the classes transliterations confuse
merged (``Mohammed``, ``Muhammad`` and Arabic ``mhmd`` all key ``mhmd``).

The scripts read, and how:

========  =========================================================================
Latn      folded to ASCII (``anyascii``); German-style letters also expanded the
          ICAO way (Müller: muller and mueller)
Cyrl ...  ``anyascii``: BGN/PCGN-like (Yuliya Shcherbakova), Armenian, Georgian, the
          Indic scripts, Ethiopic, Mongolian
Grek      ICU's Greek-Latin (omicron-upsilon as ou: Papadopoulos)
Arab Hebr ``anyascii``: consonants (the script leaves most vowels unwritten), which
          the keys compare; an initial ʿayn reads as a vowel (ʿAli, ʿAbd)
Hani      pinyin without tones (``pypinyin``), family name first, given name joined
          (Xi Jinping), and the Japanese reading (``pykakasi``)
Jpan      Hepburn (``pykakasi``), long vowels folded as passports write them (Taro);
          words in katakana also read back as the foreign names katakana mostly
          writes (ウラジーミル・プーチン: urajimir putin; ``persons.loanwords``)
Hang      Revised Romanization syllable by syllable, the usual passport spelling of
          common family names (Kim, Lee, Park), given name joined (Jeongeun); a name
          that looks foreign also read back (블라디미르 푸틴: bladimir putin)
Thai      Royal Thai General System (``pythainlp``)
========  =========================================================================
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from anyascii import anyascii

from vigil.persons import loanwords, romanise

# ---- scripts -------------------------------------------------------------------------------

# The first word of a letter's Unicode name, for the scripts that name their letters so.
_SCRIPT_OF_WORD = {
    "LATIN": "Latn",
    "CYRILLIC": "Cyrl",
    "GREEK": "Grek",
    "ARABIC": "Arab",
    "HEBREW": "Hebr",
    "ARMENIAN": "Armn",
    "GEORGIAN": "Geor",
    "DEVANAGARI": "Deva",
    "BENGALI": "Beng",
    "GUJARATI": "Gujr",
    "GURMUKHI": "Guru",
    "ORIYA": "Orya",
    "TAMIL": "Taml",
    "TELUGU": "Telu",
    "KANNADA": "Knda",
    "MALAYALAM": "Mlym",
    "SINHALA": "Sinh",
    "THAI": "Thai",
    "LAO": "Laoo",
    "KHMER": "Khmr",
    "MYANMAR": "Mymr",
    "ETHIOPIC": "Ethi",
    "MONGOLIAN": "Mong",
    "TIBETAN": "Tibt",
    "CJK": "Hani",
    "HIRAGANA": "Kana",
    "KATAKANA": "Kana",
    "HANGUL": "Hang",
}


@lru_cache(maxsize=4096)
def _script_of_char(char: str) -> str | None:
    try:
        word = unicodedata.name(char).split(" ", 1)[0]
    except ValueError:
        return None
    return _SCRIPT_OF_WORD.get(word)


def script_of(text: str) -> str:
    """The ISO 15924 code of the script most of ``text``'s letters are in (``Zyyy`` if none).

    Japanese is ``Jpan`` when kana appear (kanji alone may be Chinese or Japanese: ``Hani``).
    """
    counts: Counter[str] = Counter()
    for char in text:
        if char.isalpha():
            script = _script_of_char(char)
            if script is not None:
                counts[script] += 1
    if not counts:
        return "Zyyy"
    if counts["Kana"]:
        return "Jpan"
    return counts.most_common(1)[0][0]


# ---- readings ------------------------------------------------------------------------------

_SEPARATORS = re.compile(r"[\s,;/·・_.\-]+")
_NOT_LETTER = re.compile(r"[^a-z ]+")

# Particles that carry no identity: dropped wherever they stand as words.
PARTICLES = frozenset(
    [
        "al",
        "el",
        "ul",
        "bin",
        "ibn",
        "bint",
        "binti",
        "bte",
        "ben",
        "bou",
        "van",
        "von",
        "der",
        "den",
        "de",
        "la",
        "le",
        "du",
        "da",
        "das",
        "dos",
        "del",
        "della",
        "di",
        "y",
        "e",
        "zu",
        "ter",
        "af",
    ]
)
# Titles and forms of address written beside a name (Präsident Putin, Президент Путин, Dr
# Ali, Putyin elnök), as read in Latin: not part of the name. Only words that are not also
# names somewhere: Sheikh and Shaikh are Pakistani family names, Haji a Malay given name,
# so they stay. A name that is nothing but such words keeps them.
TITLES = frozenset([
    "mr", "mrs", "ms", "mme", "mlle", "dr", "prof", "professor", "doctor", "docteur", "doktor",
    "herr", "frau", "monsieur", "madame", "mister", "senor", "senora", "senhor", "senhora",
    "gospodin", "gospozha", "president", "prezident", "prasident", "praesident", "presidente",
    "presedintele", "elnok", "elnoek", "general", "colonel", "polkovnik", "captain", "capt", "sgt",
    "reverend", "rev", "excellency",
])  # fmt: skip
# Vietnamese names are family name, middle name, given name (Nguyen Van Minh, Le Thi Lan):
# there Van is a middle name and Le a family name, not the Dutch and French particles. A name
# is taken for Vietnamese when it holds one of the commonest family names (about nine in
# ten Vietnamese bear one), or Le with Van or Thi.
_VIETNAMESE_NAMES = frozenset(["van", "le"])
_VIETNAMESE_FAMILY = frozenset([
    "nguyen", "tran", "pham", "hoang", "huynh", "phan", "vu", "vo", "dang", "bui", "do", "ho",
    "ngo", "duong", "ly", "dinh", "trinh", "truong", "luong",
])  # fmt: skip


def _vietnamese(latin: str) -> bool:
    words = set(_SEPARATORS.split(anyascii(latin).lower()))
    if words & _VIETNAMESE_FAMILY:
        return True
    return "le" in words and bool(words & {"van", "thi"})


# Arabic compounds with Abd ("servant of"): joined to the next word, however it is spelled.
_ABD = ("abdel", "abdul", "abdal", "abdoul", "abdur", "abdor", "abdol", "abdu", "abd")
_ICAO_EXPANSIONS = str.maketrans(
    {
        "ä": "ae",
        "ö": "oe",
        "ü": "ue",
        "ß": "ss",
        "å": "aa",
        "ø": "oe",
        "æ": "ae",
        "Ä": "AE",
        "Ö": "OE",
        "Ü": "UE",
        "Å": "AA",
        "Ø": "OE",
        "Æ": "AE",
    }
)


@dataclass(frozen=True, slots=True)
class Reading:
    """One Latin reading of a name: its tokens (lower-case ASCII) and their phonetic keys."""

    tokens: tuple[str, ...]
    keys: tuple[str, ...]
    script: str
    # A query read with a part taken as its equivalent (``persons.equivalents``): the part as
    # read, the equivalent taken for it, and the table that lists them.
    equivalent: tuple[tuple[str, str, str], ...] = ()
    # Read back as a foreign name written in katakana or hangul (``persons.loanwords``).
    loanword: bool = False
    # Derived once, for comparisons: (token, key) pairs, and the tokens sorted and joined.
    pairs: tuple[tuple[str, str], ...] = field(init=False, compare=False, repr=False)
    joined: str = field(init=False, compare=False, repr=False)
    joined_keys: str = field(init=False, compare=False, repr=False)
    concatenated: str = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "pairs", tuple(zip(self.tokens, self.keys, strict=True)))
        object.__setattr__(self, "joined", "".join(sorted(self.tokens)))
        object.__setattr__(self, "joined_keys", "".join(sorted(self.keys)))
        object.__setattr__(self, "concatenated", "".join(self.tokens))

    @property
    def text(self) -> str:
        return " ".join(self.tokens)


@lru_cache(maxsize=200_000)
def readings(name: str) -> tuple[Reading, ...]:
    """Every Latin reading of ``name`` (any script), without duplicates; cached, names repeat."""
    text = unicodedata.normalize("NFKC", name).strip()
    script = script_of(text)
    semitic = script in ("Arab", "Hebr")
    seen: dict[str, Reading] = {}
    usual = [(latin, False) for latin in _latin_forms(text, script)]
    for latin, loanword in usual + [(latin, True) for latin in _foreign_forms(text, script)]:
        kept = _VIETNAMESE_NAMES if script == "Latn" and _vietnamese(latin) else frozenset()
        tokens = tuple(tokens_of(latin, semitic=semitic, names=kept))
        form = " ".join(tokens)
        if tokens and form not in seen:
            keys = tuple(key_of(t, semitic=semitic) for t in tokens)
            seen[form] = Reading(tokens, keys, script, loanword=loanword)
    return tuple(seen.values())


def _latin_forms(text: str, script: str) -> list[str]:
    match script:
        case "Latn" | "Zyyy":
            forms = [anyascii(text)]
            expanded = text.translate(_ICAO_EXPANSIONS)
            if expanded != text:
                forms.append(anyascii(expanded))
            return forms
        case "Grek":
            return [romanise.icu("Greek-Latin; Latin-ASCII", text)]
        case "Arab" | "Hebr":
            # An initial ʿayn (anyascii writes a backquote) is heard as a vowel: ʿAli, ʿAbd.
            words = [re.sub(r"^`", "a", w) for w in anyascii(text).split()]
            return [" ".join(words)]
        case "Hani":
            return [romanise.chinese(text), romanise.japanese(text)]
        case "Jpan":
            return [romanise.japanese(text)]
        case "Hang":
            return [romanise.korean(text)]
        case "Thai":
            return [romanise.thai(text)]
        case _:
            return [anyascii(text)]


def _foreign_forms(text: str, script: str) -> list[str]:
    """The readings of a foreign name written in katakana or hangul (``persons.loanwords``),
    beside the usual ones."""
    match script:
        case "Jpan":
            return _foreign_katakana(text)
        case "Hang":
            return _foreign_hangul(text)
        case _:
            return []


# Japanese separates the parts of a foreign name with a middle dot or an equals sign.
_KANA_SEPARATORS = re.compile(r"[\s\u30fb\uff1d=]+")


def _foreign_katakana(text: str) -> list[str]:
    """A name with words in katakana, read as the foreign name katakana mostly writes."""
    words = [w for w in _KANA_SEPARATORS.split(text) if w]
    if not any(loanwords.katakana(w) for w in words):
        return []
    return [
        " ".join(
            loanwords.from_katakana(w) if loanwords.katakana(w) else romanise.japanese(w)
            for w in words
        )
    ]


def _foreign_hangul(text: str) -> list[str]:
    """A name in hangul that looks foreign, read as the foreign name it transcribes."""
    if not loanwords.hangul_foreign(text):
        return []
    return [" ".join(loanwords.from_hangul(w) for w in text.split())]


def tokens_of(
    latin: str, *, semitic: bool = False, names: frozenset[str] = frozenset()
) -> list[str]:
    """Lower-case ASCII tokens of a Latin form: titles and particles dropped, Abd compounds
    joined.

    ``semitic``: the form was read from Arabic or Hebrew script, where the article is written
    joined to the word (al-Hassan is one word there), so a leading ``al`` is cut off.
    ``names``: words that are names in this name's language, not particles.
    """
    words = [_NOT_LETTER.sub("", w) for w in _SEPARATORS.split(anyascii(latin).lower())]
    words = [w for w in words if w]
    words = [w for w in words if w not in TITLES] or words
    tokens: list[str] = []
    pending_abd = False
    for position, word in enumerate(words):
        if semitic and word.startswith("al") and len(word) > 4:
            word = word[2:]
        # A particle stands before a name (de la Cruz, bin Laden); last, it is one (Le, Da).
        if word in PARTICLES and position < len(words) - 1 and word not in names:
            continue
        if pending_abd:
            tokens[-1] = "abd" + word
            pending_abd = False
            continue
        abd = next((p for p in _ABD if word.startswith(p)), None)
        if abd is not None or (semitic and word == "bd"):
            rest = word[len(abd) :] if abd else ""
            if rest.startswith("al") and len(rest) > 4:
                rest = rest[2:]
            if rest:
                tokens.append("abd" + rest)
            else:
                tokens.append("abd")
                pending_abd = True
            continue
        tokens.append(word)
    return tokens


# ---- phonetic keys -------------------------------------------------------------------------

# Applied in order: the spellings transliterations disagree on, merged into one class each.
_KEY_RULES = [
    (re.compile(r"dzh|dj|j"), "J"),
    (re.compile(r"tsch|tsh|tch|sch|sh|ch|zh"), "S"),
    (re.compile(r"ph"), "f"),
    (re.compile(r"kh|gh|ck|q|c|g|x"), "k"),
    (re.compile(r"ts|tz|z"), "s"),
    (re.compile(r"th"), "t"),
    (re.compile(r"dh"), "d"),
    (re.compile(r"p"), "b"),
    # Arabic and Persian write v as f; German and Polish w is v (but a final w is a vowel or
    # nothing: Lew, Chow, Andrew).
    (re.compile(r"v|w(?!$)"), "f"),
    (re.compile(r"w"), ""),
    # Vowels, and the letters that stand for vowels or nothing across scripts.
    (re.compile(r"[aeiouyh]"), ""),
]


@lru_cache(maxsize=500_000)
def key_of(token: str, *, semitic: bool = False) -> str:
    """The phonetic key of a token: its consonant skeleton, classes merged, repeats collapsed.

    Mohammed, Muhammad, Mohamed and Arabic mhmd all key ``md``; David and Hebrew dvd key
    ``dfd``; a token of vowels alone keys its first letter. ``semitic``: read from Arabic or
    Hebrew script, where w and y inside a word mostly write the vowels u and i (ywsf: Yusuf).
    """
    key = token[:1] + re.sub("[wy]", "", token[1:]) if semitic else token
    for pattern, replacement in _KEY_RULES:
        key = pattern.sub(replacement, key)
    collapsed = "".join(c for i, c in enumerate(key) if i == 0 or c != key[i - 1])
    return collapsed or token[:1]


_VOWELS = frozenset("aeiouy")


def initial(token: str) -> str:
    """The sound class of a token's first letter: the vowels (and y) are one class, since
    transliterations disagree on them (Omar, Umar; Elena, Olena), and consonants merge as in
    ``key_of`` (c, g, k, q, x; b, p; f, v; s, z). Empty for a token written without vowels
    (read from Arabic or Hebrew script: dwrd for Edward), whose first vowel is unwritten."""
    if not any(c in "aeiou" for c in token):
        return ""
    return "a" if token[0] in _VOWELS else key_of(token[0])
