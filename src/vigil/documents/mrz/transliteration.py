"""Names in any script to the MRZ alphabet (Doc 9303 Part 3, section 6).

The tables in ``alphabets`` come first; a letter they do not cover loses its diacritics, and a
letter of another script (Hebrew, Armenian, Georgian, Indic, Thai, CJK, Hangul...) is romanised
by ``anyascii`` when it is installed: a readable approximation, not an ICAO table. What is left is
dropped.
"""

# ruff: noqa: RUF001, RUF002
# (the Greek rules name Greek letters that look like Latin ones)

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from functools import cache, lru_cache

from vigil.documents.mrz import alphabets

_TONOS = "\u0301"
# Latin exceptions, Cyrillic and Arabic letters, looked up one character at a time (faster here
# than str.translate with a dict).
_LETTERS: dict[str, str] = (
    alphabets.LATIN
    | alphabets.CYRILLIC
    | alphabets.ARABIC
    | dict.fromkeys(alphabets.APOSTROPHES, "")
)
_GREEK_BLOCK = frozenset(map(chr, range(0x370, 0x400)))
# Characters that need a pass of their own before the letter-by-letter lookup.
_CONTEXTUAL = _GREEK_BLOCK | alphabets.UKRAINIAN_MARKERS | {alphabets.ARABIC_SHADDA}
_UKRAINIAN_TABLE = str.maketrans(alphabets.UKRAINIAN)
# The last pass, over ASCII bytes: capitals stay, apostrophes and digits go, the rest parts words.
_ASCII_CLEAN = bytes(code if chr(code).isupper() and code < 128 else 32 for code in range(256))
_ASCII_DROPPED = (
    "".join(ch for ch in alphabets.APOSTROPHES if ch.isascii()) + "0123456789"
).encode()


def transliterate_to_mrz(name: str) -> str:
    """Transliterate a name, in any script, to the letters an MRZ may hold.

    Latin letters follow Doc 9303 Part 3 (``Müller`` is ``MUELLER``, ``Strauß`` ``STRAUSS``),
    Cyrillic its table (``Щербаков`` is ``SHCHERBAKOV``), Greek ELOT 743 (``Ευάγγελος`` is
    ``EVANGELOS``), Arabic an approximation of its table (``محمد`` is ``MHMD``); other scripts
    are romanised by ``anyascii`` when installed, else dropped. See ``alphabets`` for which tables
    are exact and which approximate.

    Args:
        name: a name or part of one, as written in the holder's language.

    Returns:
        Upper-case words of A-Z separated by single spaces: hyphens and other punctuation part
        words (the MRZ writes them ``<``), apostrophes and digits are dropped. Empty when nothing
        in ``name`` can be written.
    """
    return _remembered(name)


@lru_cache(maxsize=1 << 16)
def _remembered(name: str) -> str:
    """The transliteration of one name, remembered: the same names recur across records."""
    return transliterated(name)


def transliterated(name: str) -> str:
    """``transliterate_to_mrz`` without its cache, for callers that keep their own."""
    text = name.upper()
    if not text.isascii():
        text = _romanised(unicodedata.normalize("NFC", text))
    cleaned = text.encode("ascii").translate(_ASCII_CLEAN, _ASCII_DROPPED)
    return " ".join(cleaned.decode("ascii").split())


def _romanised(text: str) -> str:
    """``text`` (upper-case, NFC) with every character turned to ASCII."""
    if not _CONTEXTUAL.isdisjoint(text):
        text = _contextual(text)
    text = "".join(map(_LETTERS.get, text, text))
    if text.isascii():
        return text
    return "".join(ch if ch.isascii() else _other_character(ch) for ch in text)


def _contextual(text: str) -> str:
    """``text`` with the rules that depend on neighbouring letters or the language applied."""
    if not _GREEK_BLOCK.isdisjoint(text):
        text = _greek(text)
    if alphabets.ARABIC_SHADDA in text:
        text = _doubled_under_shadda(text)
    if not alphabets.UKRAINIAN_MARKERS.isdisjoint(text):
        text = text.translate(_UKRAINIAN_TABLE)
    return text


def _greek(text: str) -> str:
    """Greek letters by ELOT 743, with its rules for ΑΥ, ΕΥ, ΗΥ, ΟΥ and nasal Γ."""
    # The tonos changes nothing in the transliteration but would hide a diphthong; a dialytika
    # (Ϊ, Ϋ) does separate the vowels, so it stays.
    decomposed = unicodedata.normalize("NFD", text).replace(_TONOS, "")
    text = unicodedata.normalize("NFC", decomposed)
    out: list[str] = []
    i = 0
    while i < len(text):
        ch, following = text[i], text[i + 1 : i + 2]
        if following == "Υ" and ch in alphabets.GREEK_U_DIPHTHONGS:
            after = text[i + 2 : i + 3]
            voiceless = after in alphabets.GREEK_VOICELESS or after not in alphabets.GREEK
            out.append(alphabets.GREEK_U_DIPHTHONGS[ch] + ("F" if voiceless else "V"))
            i += 2
        elif following == "Υ" and ch == "Ο":
            out.append("OU")
            i += 2
        else:
            nasal = ch == "Γ" and following != "" and following in alphabets.GREEK_NASAL_G_BEFORE
            out.append("N" if nasal else alphabets.GREEK.get(ch, ch))
            i += 1
    return "".join(out)


def _doubled_under_shadda(text: str) -> str:
    """Arabic text with each letter under a shadda written twice, as the shadda says to say it."""
    out: list[str] = []
    consonant_at = -1
    for ch in text:
        if ch != alphabets.ARABIC_SHADDA:
            out.append(ch)
            if ch in alphabets.ARABIC and ch not in alphabets.ARABIC_VOWEL_MARKS:
                consonant_at = len(out) - 1
        elif consonant_at >= 0:
            # The vowel mark may come before or after the shadda: double the letter itself.
            out.insert(consonant_at + 1, out[consonant_at])
    return "".join(out)


@lru_cache(maxsize=4096)
def _other_character(ch: str) -> str:
    """One character no table covers: a letter stripped of marks or romanised, else a separator."""
    category = unicodedata.category(ch)
    if category[0] in "ZP":
        return " "
    if category[0] != "L":
        return ""  # combining marks left over, symbols, digits of other scripts, emoji
    base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
    if base.isascii() and base.isalpha():
        return base.upper()
    romanise = _romaniser()
    return "" if romanise is None else romanise(ch).upper()


@cache
def _romaniser() -> Callable[[str], str] | None:
    """``anyascii``, when installed: the romanisation of last resort for scripts without a table."""
    try:
        from anyascii import anyascii
    except ImportError:  # optional: without it, letters of other scripts are dropped
        return None
    return anyascii
