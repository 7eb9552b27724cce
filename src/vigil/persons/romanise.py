"""Latin forms of names in the scripts that libraries read for the name engine
(``persons.names``): Greek and Hangul by ICU's transforms, Chinese by pinyin, Japanese by
Hepburn, Thai by the Royal Thai General System. Each library is loaded on first use.
"""

from __future__ import annotations

from functools import lru_cache

# Korean family names and the spelling Koreans use on passports, not Revised Romanization's.
_KOREAN_FAMILY = {
    "gim": "kim",
    "i": "lee",
    "ri": "lee",
    "bak": "park",
    "choe": "choi",
    "jeong": "jung",
    "gang": "kang",
    "jo": "cho",
    "yun": "yoon",
    "jang": "jang",
    "im": "lim",
    "o": "oh",
    "seo": "seo",
    "sin": "shin",
    "gwon": "kwon",
    "hwang": "hwang",
    "an": "ahn",
    "song": "song",
    "ryu": "ryu",
    "yu": "yoo",
    "jeon": "jeon",
    "hong": "hong",
    "go": "ko",
    "mun": "moon",
    "yang": "yang",
    "son": "son",
    "bae": "bae",
    "baek": "baek",
    "heo": "heo",
    "no": "noh",
    "nam": "nam",
    "sim": "shim",
    "u": "woo",
    "gu": "koo",
    "ha": "ha",
    "gwak": "kwak",
    "seong": "sung",
    "cha": "cha",
    "ju": "joo",
    "min": "min",
    "jin": "jin",
    "ji": "ji",
}


@lru_cache(maxsize=8)
def _transliterator(rules: str):  # type: ignore[no-untyped-def]
    import icu  # PyICU (the pyicu-wheels package): loaded on first use

    return icu.Transliterator.createInstance(rules)


def icu(rules: str, text: str) -> str:
    return str(_transliterator(rules).transliterate(text))


def chinese(text: str) -> str:
    from pypinyin import Style, lazy_pinyin

    parts: list[str] = []
    for word in text.split():
        syllables = [s.replace("v", "yu") for s in lazy_pinyin(word, style=Style.NORMAL)]
        if len(syllables) >= 2 and len(text.split()) == 1:
            # One word of characters: the first is the family name, the rest the given name.
            parts.extend([syllables[0], "".join(syllables[1:])])
        else:
            parts.append("".join(syllables))
    return " ".join(parts)


@lru_cache(maxsize=1)
def _kakasi():  # type: ignore[no-untyped-def]
    import pykakasi

    return pykakasi.kakasi()  # type: ignore[no-untyped-call]


_LONG_VOWELS = [("ou", "o"), ("oo", "o"), ("uu", "u"), ("ii", "i"), ("ee", "e"), ("aa", "a")]


def japanese(text: str) -> str:
    words = []
    for item in _kakasi().convert(text):
        word = str(item["hepburn"]).strip()
        for long, short in _LONG_VOWELS:
            word = word.replace(long, short)
        if word:
            words.append(word)
    return " ".join(words)


def korean(text: str) -> str:
    parts: list[str] = []
    words = text.split()
    for index, word in enumerate(words):
        syllables = [icu("Hangul-Latin; Latin-ASCII", s).replace("-", "") for s in word]
        family_first = index == 0 and (len(words) > 1 or len(syllables) >= 2)
        if family_first and len(words) == 1:
            parts.extend([_family(syllables[0]), "".join(syllables[1:])])
        elif family_first:
            parts.append(_family("".join(syllables)))
        else:
            parts.append("".join(syllables))
    return " ".join(p for p in parts if p)


# ICU writes a syllable's final consonant as it would sound before a vowel (박 bag, 백 baeg,
# 엽 yeob); Revised Romanization, and so the spelling on passports, as it sounds at the end
# of a word: Bak (Park), Baek, Yeop. A family name stands alone, so it takes the latter.
_FINALS = {"g": "k", "b": "p", "d": "t"}


def _family(read: str) -> str:
    """A family name as ICU reads it, spelt as on passports."""
    if not read.endswith("ng") and read[-1:] in _FINALS:
        read = read[:-1] + _FINALS[read[-1]]
    return _KOREAN_FAMILY.get(read, read)


def thai(text: str) -> str:
    from pythainlp.transliterate import romanize

    return " ".join(str(romanize(word, engine="royin")) for word in text.split())
