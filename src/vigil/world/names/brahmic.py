"""Latin forms of names in the Brahmic scripts of South Asia, as their bearers spell them.

Written by hand because the libraries romanise Sanskrit, not names: ``indic_transliteration``
keeps every inherent vowel (Pramoda Yādava for Pramod Yadav), reads Bengali ব as v and voices
Tamil stops (ghaṇṇaṉ for Kannan); ``anyascii`` drops the inherent vowels altogether (Prmod
Ydv). Here each consonant carries its inherent "a" unless a virama or vowel sign says
otherwise, then the "a"s that Hindi, Marathi, Gujarati, Nepali, Oriya and Bengali leave
unspoken are dropped: the last one of a word (Ramesh, Pradip), and one between a vowel-consonant
and a consonant-vowel (Deshmukh, Rahman). Tamil and Sinhala write their dead consonants
explicitly, so they keep every vowel. Long and short vowels are not distinguished, as on
passports.

Devanagari, Bengali, Gurmukhi, Gujarati, Oriya and Tamil share one layout of their Unicode
blocks, so their letters are read from their Unicode names ("BENGALI LETTER BA"); Sinhala's
block differs and has its own table.
"""

# ruff: noqa: RUF001 - letters of other scripts that look Latin are the point of this module

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

_CONSONANTS = {
    "KA": "k", "KHA": "kh", "GA": "g", "GHA": "gh", "NGA": "n", "CA": "ch", "CHA": "chh",
    "JA": "j", "JHA": "jh", "NYA": "n", "TTA": "t", "TTHA": "th", "DDA": "d", "DDHA": "dh",
    "NNA": "n", "TA": "t", "THA": "th", "DA": "d", "DHA": "dh", "NA": "n", "NNNA": "n", "PA": "p",
    "PHA": "ph", "BA": "b", "BHA": "bh", "MA": "m", "YA": "y", "YYA": "y", "RA": "r", "RRA": "r",
    "LA": "l", "LLA": "l", "LLLA": "zh", "VA": "v", "WA": "w", "SHA": "sh", "SSA": "sh", "SA": "s",
    "HA": "h", "QA": "q", "KHHA": "kh", "GHHA": "gh", "ZA": "z", "DDDHA": "r", "RHA": "rh",
    "FA": "f", "KHANDA TA": "t",
}  # fmt: skip
_VOWELS = {
    "A": "a", "AA": "a", "I": "i", "II": "i", "U": "u", "UU": "u", "VOCALIC R": "ri",
    "VOCALIC RR": "ri", "E": "e", "SHORT E": "e", "CANDRA E": "e", "AI": "ai", "O": "o",
    "SHORT O": "o", "CANDRA O": "o", "AU": "au", "EE": "e", "OO": "o",
}  # fmt: skip
# A nukta under a consonant makes the sounds Persian and English loans need.
_NUKTA = {"j": "z", "ph": "f", "d": "r", "dh": "rh", "k": "q", "g": "gh", "kh": "kh"}
_SCRIPTS = ("DEVANAGARI", "BENGALI", "GURMUKHI", "GUJARATI", "ORIYA", "TAMIL")


def _table(letters: str, latin: str) -> dict[str, str]:
    """Each letter of ``letters`` → the matching space-separated Latin spelling."""
    return dict(zip(letters, latin.split(), strict=True))


_SINHALA_CONSONANTS = _table(
    "කඛගඝඞඟචඡජඣඤඥටඨඩඪණඬතථදධනඳපඵබභමඹයරලවශෂසහළෆ",
    "k kh g gh n ng ch chh j jh ny gn t th d dh n nd t th d dh n nd p ph b bh m mb y r l w sh sh"
    " s h l f",
)
_SINHALA_VOWELS = _table("අආඇඈඉඊඋඌඍඑඒඓඔඕඖ", "a a ae ae i i u u ri e e ai o o au")
_SINHALA_SIGNS = _table("ාැෑිීුූෘෙේෛොෝෞ", "a ae ae i i u u ru e e ai o o au")


@dataclass(slots=True)
class _Syllable:
    consonants: str  # "" for a bare vowel
    vowel: str
    inherent: bool  # the vowel is the unwritten "a"
    cluster: bool  # consonants joined by a virama
    extra: str = ""  # anusvara or visarga after the vowel


def romanise_indic(text: str) -> str:
    """The Latin form of a name written in Devanagari, Bengali, Gujarati, Oriya or Tamil."""
    return " ".join(_indic_word(word).capitalize() for word in text.split())


def romanise_sinhala(text: str) -> str:
    """The Latin form of a name written in Sinhala (every vowel is kept)."""
    words = []
    for word in text.split():
        syllables = _syllables(word, _sinhala_letter)
        words.append(_spelled(syllables).capitalize())
    return " ".join(words)


def _indic_word(word: str) -> str:
    syllables = _syllables(word, _indic_letter)
    tamil = any(unicodedata.name(c, "").startswith("TAMIL") for c in word)
    if not tamil:
        _drop_unspoken_vowels(syllables)
    latin = _spelled(syllables)
    return _tamil_sounds(latin) if tamil else latin


# Tamil writes one letter for k and g, ch and s, t and d: the sound depends on the neighbours,
# and names are spelt as they sound (Murugan, Selvam, Ekambaram, Pandian).
_TAMIL_SOUNDS = (
    (re.compile(r"^ch|(?<=[aeiou])ch(?=[aeiou])"), "s"),
    (re.compile(r"(?<=[aeiou])k(?=[aeiou])"), "g"),
    (re.compile(r"(?<=[aeiou])t(?=[aeiou])"), "d"),
    (re.compile(r"mp"), "mb"),
    (re.compile(r"nk"), "ng"),
    (re.compile(r"nt(?!h)"), "nd"),
    (re.compile(r"nch"), "nj"),
)


def _tamil_sounds(latin: str) -> str:
    for pattern, sound in _TAMIL_SOUNDS:
        latin = pattern.sub(sound, latin)
    return latin


def _spelled(syllables: list[_Syllable]) -> str:
    out = []
    for i, s in enumerate(syllables):
        extra = s.extra
        if extra == "n" and i + 1 < len(syllables) and syllables[i + 1].consonants[:1] in "pbm":
            extra = "m"  # anusvara before a labial: Kamble, Sampath
        out.append(s.consonants + s.vowel + extra)
    return "".join(out)


def _drop_unspoken_vowels(syllables: list[_Syllable]) -> None:
    last = syllables[-1] if syllables else None
    if last and len(syllables) > 1 and last.inherent and not last.cluster and not last.extra:
        last.vowel = ""
    for i in range(len(syllables) - 2, 0, -1):
        s, before, after = syllables[i], syllables[i - 1], syllables[i + 1]
        if (
            s.inherent
            and not s.cluster
            and not s.extra
            and before.vowel
            and after.vowel
            and after.consonants
            and not after.cluster
        ):
            s.vowel = ""


def _syllables(word: str, read: Callable[[str], tuple[str, str]]) -> list[_Syllable]:
    syllables: list[_Syllable] = []
    dead = False  # the previous consonant carried a virama: this one joins it
    for char in word:
        kind, latin = read(char)
        if kind == "consonant":
            if dead and syllables:  # a conjunct: the cluster takes the inherent vowel
                last = syllables[-1]
                last.consonants += latin
                last.vowel, last.inherent, last.cluster = "a", True, True
            else:
                syllables.append(_Syllable(latin, "a", inherent=True, cluster=False))
            dead = False
        elif kind == "sign" and syllables:
            syllables[-1].vowel, syllables[-1].inherent = latin, False
        elif kind == "virama" and syllables:
            syllables[-1].vowel, syllables[-1].inherent, dead = "", False, True
        elif kind == "nukta" and syllables:
            consonants = syllables[-1].consonants
            syllables[-1].consonants = consonants[:-1] + _NUKTA.get(
                consonants[-1:], consonants[-1:]
            )
        elif kind == "vowel":
            syllables.append(_Syllable("", latin, inherent=False, cluster=False))
            dead = False
        elif kind in ("anusvara", "visarga") and syllables:
            syllables[-1].extra = latin
    return syllables


@cache
def _indic_letter(char: str) -> tuple[str, str]:
    name = unicodedata.name(char, "")
    script = next((s for s in _SCRIPTS if name.startswith(s + " ")), None)
    if script is None:
        return ("other", "")
    rest = name[len(script) + 1 :]
    for prefix, kind in (("LETTER ", "letter"), ("VOWEL SIGN ", "sign"), ("SIGN ", "mark")):
        if rest.startswith(prefix):
            return _classified(kind, rest[len(prefix) :])
    return ("other", "")


def _classified(kind: str, what: str) -> tuple[str, str]:
    if kind == "letter":
        if what in _CONSONANTS:
            return ("consonant", _CONSONANTS[what])
        return ("vowel", _VOWELS[what]) if what in _VOWELS else ("other", "")
    if kind == "sign":
        return ("sign", _VOWELS.get(what, ""))
    marks = {"VIRAMA": ("virama", ""), "NUKTA": ("nukta", ""), "VISARGA": ("visarga", "h")}
    marks |= {"ANUSVARA": ("anusvara", "n"), "CANDRABINDU": ("anusvara", "n")}
    return marks.get(what, ("other", ""))


def _sinhala_letter(char: str) -> tuple[str, str]:
    if char in _SINHALA_CONSONANTS:
        return ("consonant", _SINHALA_CONSONANTS[char])
    if char in _SINHALA_VOWELS:
        return ("vowel", _SINHALA_VOWELS[char])
    if char in _SINHALA_SIGNS:
        return ("sign", _SINHALA_SIGNS[char])
    marks = {"්": ("virama", ""), "ං": ("anusvara", "n"), "ඃ": ("visarga", "h")}
    return marks.get(char, ("other", ""))
