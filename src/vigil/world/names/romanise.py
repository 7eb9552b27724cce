"""Latin forms of names, as police outside the person's country commonly write them.

One scheme per script, or per language where a script's languages romanise differently:

========  ==============================================================================
latin     Latin-script names folded to ASCII with ``anyascii`` (Müller → Muller, Þ → Th,
          Đ → Dj as Serbian and Croatian passports abroad are read)
ru        Russian Cyrillic: BGN/PCGN without its diacritics and apostrophes (Yelena,
          Fyodor, Sergeyevich)
uk        Ukrainian Cyrillic: the national system of 2010 used in Ukrainian passports
          (Volodymyr, Oleksandr, Hryhorii)
bg        Bulgarian Cyrillic: the Streamlined System, Bulgaria's official one (Hristo, Shtilyan)
mk        Macedonian Cyrillic: the official Macedonian romanisation (Gjorgji, Stojanovski)
el        Greek: ELOT 743, as on Greek passports (Papaevangeliou, Nikolaos)
hy        Armenian: the Armenian passport style, BGN/PCGN without apostrophes (Yerevan,
          Vardanyan)
ka        Georgian: the national system of 2002 (via ``anyascii``) without the ejective
          apostrophes, as Georgian passports write it (Chkhikvadze)
ko        Korean: Revised Romanization syllable by syllable (Okja, Cheolsu), and the usual
          spellings of the commonest surnames that Koreans use on passports (Kim, Lee, Park)
zh        Chinese: pinyin without tones (``pypinyin``), surnames read as surnames (曾 Zeng),
          ü as "yu" after l and n as Chinese passports write it (Lyu)
ja        Japanese: Hepburn without macrons, from Faker's own readings of each name
th        Thai: the Royal Thai General System (``pythainlp``'s "royin" engine)
sr, uz    Serbian and Central Asian names in Cyrillic are derived from Faker's Croatian and
          Uzbek Latin lists: their Latin form is that list's, folded (Petrovic, Xolidov)
indic     Devanagari, Bengali, Gujarati, Oriya and Tamil: see ``brahmic.py``
sinhala   Sinhala: see ``brahmic.py``
ar fa he  Arabic, Persian and Hebrew: the usual spelling of common names (``names_pools.csv``),
          otherwise a guess at the unwritten vowels: see ``semitic.py``
table     Hand-written pools (Ethiopic, Mongolian, Burmese, Urdu): the usual spelling, from
          the table (Ethiopian and Burmese as their passports write them, Mongolian as
          Mongolian passports do, ö/ü as u)
========  ==============================================================================

Every result holds ASCII letters, spaces, hyphens and apostrophes only.
"""

# ruff: noqa: RUF001 - letters of other scripts that look Latin are the point of this module

from __future__ import annotations

import re
import unicodedata
from functools import cache

from anyascii import anyascii
from pypinyin import Style, lazy_pinyin

from vigil.world.names.brahmic import romanise_indic, romanise_sinhala
from vigil.world.names.semitic import romanise as romanise_semitic

_NOT_NAME = re.compile(r"[^A-Za-z' \-]+")


@cache
def romanise(scheme: str, text: str) -> str:
    """The Latin form of ``text`` (a name part) under ``scheme``; cached, names repeat."""
    if not text:
        return ""
    match scheme:
        case "ru" | "uk" | "bg" | "mk":
            latin = _cyrillic(scheme, text)
        case "el":
            latin = _greek(text)
        case "hy":
            latin = _armenian(text)
        case "ka":
            latin = anyascii(text).replace("'", "")
        case "ko":
            latin = _korean(text)
        case "zh":
            latin = _chinese(text)
        case "th":
            latin = _thai(text)
        case "indic":
            latin = romanise_indic(text)
        case "sinhala":
            latin = romanise_sinhala(text)
        case "ar" | "fa" | "he":
            latin = romanise_semitic(scheme, text)
        case _:
            latin = text.replace("Đ", "Dj").replace("đ", "dj")
    return ascii_name(latin)


def ascii_name(text: str) -> str:
    """``text`` folded to ASCII letters, spaces, hyphens and apostrophes, words capitalised."""
    folded = anyascii(text).replace("`", "'")
    folded = _NOT_NAME.sub("", folded)
    words = [w for w in folded.split(" ") if w.strip("'-")]
    return " ".join(_capitalised(w) for w in words)


# Particles that stay lower case inside a name, as they are written in the country of origin.
_LOWER = frozenset({"bin", "bint", "ibn", "van", "von", "der", "den", "de", "da", "das", "do"})
_LOWER |= frozenset({"dos", "del", "la", "le", "di", "du", "y", "e", "ter", "zu", "af"})


def _capitalised(word: str) -> str:
    if word in _LOWER:
        return word
    if word[:1].islower() and not any(c.isupper() for c in word):
        return "-".join(p[:1].upper() + p[1:] for p in word.split("-"))
    return word


def _words(text: str) -> list[str]:
    return text.split()


def _table(letters: str, latin: str) -> dict[str, str]:
    """Each letter of ``letters`` → the matching space-separated Latin spelling ("-": none)."""
    return {k: ("" if v == "-" else v) for k, v in zip(letters, latin.split(), strict=True)}


# ---- Cyrillic -----------------------------------------------------------------------------

_CYRILLIC_COMMON = _table(
    "абвгдежзийклмнопрстуфхцчшщъыьэюя",
    "a b v g d e zh z i y k l m n o p r s t u f kh ts ch sh shch - y - e yu ya",
)
_TABLES: dict[str, dict[str, str]] = {
    "ru": {**_CYRILLIC_COMMON, "ё": "e"},
    "uk": {**_CYRILLIC_COMMON, "г": "h", "ґ": "g", "и": "y", "і": "i", "ї": "i", "й": "i"}
    | {"є": "ie", "ю": "iu", "я": "ia", "'": "", "ʼ": "", "’": ""},
    "bg": {**_CYRILLIC_COMMON, "х": "h", "щ": "sht", "ъ": "a", "ь": "y"},
    "mk": {**_CYRILLIC_COMMON, "х": "h", "ц": "c", "ѓ": "gj", "ѕ": "dz", "ј": "j", "љ": "lj"}
    | {"њ": "nj", "ќ": "kj", "џ": "dzh"},
}
# Word-initial forms (and, for Russian, after a vowel) that differ from the medial ones.
_INITIAL: dict[str, dict[str, str]] = {
    "ru": {"е": "ye", "ё": "yo"},
    "uk": {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"},
    "bg": {},
    "mk": {},
}
_CYRILLIC_VOWELS = frozenset("аеёиоуыэюяієїъь")
_HUSHING = frozenset("жчшщц")


def _cyrillic(language: str, text: str) -> str:
    table, initial = _TABLES[language], _INITIAL[language]
    out: list[str] = []
    previous = " "
    for char in text:
        lower = char.lower()
        latin = table.get(lower, char)
        starts_word = not previous.isalpha()
        if lower in initial and (
            starts_word or (language == "ru" and previous in _CYRILLIC_VOWELS)
        ):
            latin = initial[lower]
        elif language == "ru" and lower == "ё":
            latin = "e" if previous in _HUSHING else "yo"
        elif language == "uk" and lower == "г" and previous == "з":
            latin = "gh"  # зг is "zgh", so that it does not read as ж (zh)
        out.append(latin.capitalize() if char.isupper() else latin)
        previous = lower
    latin = "".join(out)
    if language == "bg":
        latin = re.sub(r"iya\b", "ia", latin)
    return latin


# ---- Greek (ELOT 743) ---------------------------------------------------------------------

_GREEK = _table(
    "αβγδεζηθικλμνξοπρσςτυφχψω",
    "a v g d e z i th i k l m n x o p r s s t y f ch ps o",
)
_GREEK_PAIRS = {"ου": "ou", "αι": "ai", "ει": "ei", "οι": "oi", "γγ": "ng", "γξ": "nx"}
_GREEK_PAIRS |= {"γχ": "nch", "τσ": "ts", "τζ": "tz", "μπ": "mp", "ντ": "nt"}
_VOICED_AFTER_U = frozenset("αεηιοωυβγδζλμνρ")


def _greek(text: str) -> str:
    letters = "".join(
        c for c in unicodedata.normalize("NFD", text.lower()) if not unicodedata.combining(c)
    )
    out: list[str] = []
    i = 0
    while i < len(letters):
        pair, nxt = letters[i : i + 2], letters[i + 2 : i + 3]
        first_of_word = i == 0 or not letters[i - 1].isalpha()
        if pair in ("αυ", "ευ", "ηυ"):
            # ELOT 743: av/ev before vowels and voiced consonants, af/ef before the others.
            out.append(_GREEK[pair[0]] + ("v" if nxt in _VOICED_AFTER_U else "f"))
        elif pair in ("μπ", "ντ") and first_of_word:
            out.append("b" if pair == "μπ" else "d")
        elif pair in _GREEK_PAIRS:
            out.append(_GREEK_PAIRS[pair])
        else:
            out.append(_GREEK.get(letters[i], letters[i]))
            i += 1
            continue
        i += 2
    return "".join(out)


# ---- Armenian -----------------------------------------------------------------------------

_ARMENIAN = _table(
    "աբգդեզէըթժիլխծկհձղճմյնշոչպջռսվտրցւփքօֆ",
    "a b g d e z e y t zh i l kh ts k h dz gh ch m y n sh o ch p j r s v t r ts v p k o f",
)


def _armenian(text: str) -> str:
    out: list[str] = []
    letters = text.lower().replace("ու", "u").replace("և", "ev")
    for i, char in enumerate(letters):
        first = i == 0 or not letters[i - 1].isalpha()
        if first and char == "ե":
            out.append("ye")
        elif first and char == "ո":
            out.append("vo")
        else:
            out.append(_ARMENIAN.get(char, char))
    return "".join(out)


# ---- Korean -------------------------------------------------------------------------------

# Revised Romanization spells these Gim, I, Bak, Choe...; Koreans' own passports rarely do.
_KOREAN_SURNAMES = {
    "김": "Kim",
    "이": "Lee",
    "박": "Park",
    "최": "Choi",
    "정": "Jung",
    "강": "Kang",
}
_KOREAN_SURNAMES |= {"조": "Cho", "윤": "Yoon", "장": "Jang", "임": "Lim", "한": "Han", "오": "Oh"}
_KOREAN_SURNAMES |= {
    "서": "Seo",
    "신": "Shin",
    "권": "Kwon",
    "황": "Hwang",
    "안": "Ahn",
    "송": "Song",
}
_KOREAN_SURNAMES |= {"류": "Ryu", "유": "Yoo", "홍": "Hong", "전": "Jeon", "고": "Ko", "문": "Moon"}
_KOREAN_SURNAMES |= {"손": "Son", "양": "Yang", "배": "Bae", "백": "Baek", "노": "Noh", "하": "Ha"}


@cache
def korean_surname(text: str) -> str:
    """The passport spelling of a Korean surname."""
    return _KOREAN_SURNAMES.get(text) or _korean(text)


# Revised Romanization of a Hangul syllable's initial, vowel and final (Unicode order).
_KOREAN_INITIALS = _words("g kk n d tt r m b pp s ss - j jj ch k t p h")
_KOREAN_VOWELS = _words("a ae ya yae eo e yeo ye o wa wae oe yo u wo we wi yu eu ui i")
_KOREAN_FINALS = ["", *_words("k k k n n n t l k m l l l p l m p p t t ng t t k t p t")]


def _korean(text: str) -> str:
    """Revised Romanization, syllable by syllable, as Korean passports write given names.

    Written by hand: ``anyascii`` writes a final consonant as if it began a syllable (Ogja for
    옥자, Okja). Sound changes across syllables are not applied, as passports do not.
    """
    out: list[str] = []
    for char in text:
        code = ord(char) - 0xAC00
        if not 0 <= code < 11172:
            out.append(anyascii(char))
            continue
        initial, vowel, final = code // 588, code % 588 // 28, code % 28
        onset = _KOREAN_INITIALS[initial].strip("-")
        if onset == "r" and out and out[-1].endswith("l"):
            onset = "l"  # ㄹㄹ is ll: Hallim
        out.append(onset + _KOREAN_VOWELS[vowel] + _KOREAN_FINALS[final])
    return "".join(out).capitalize()


# ---- Chinese ------------------------------------------------------------------------------

# Characters read differently as surnames than in running text.
_CHINESE_SURNAMES = {"曾": "zeng", "单": "shan", "解": "xie", "仇": "qiu", "区": "ou", "朴": "piao"}
_CHINESE_SURNAMES |= {"查": "zha", "乐": "yue", "覃": "qin", "缪": "miao", "尉": "yu", "盖": "ge"}
_CHINESE_SURNAMES |= {"万俟": "moqi", "长孙": "zhangsun", "尉迟": "yuchi", "秘": "bi", "黑": "he"}


@cache
def chinese_surname(text: str) -> str:
    """The pinyin of a Chinese surname, read as a surname."""
    return ascii_name(_CHINESE_SURNAMES.get(text) or _chinese(text))


def _chinese(text: str) -> str:
    syllables = lazy_pinyin(text, style=Style.NORMAL, errors="ignore")
    # pypinyin writes ü as v; Chinese passports write it "yu" after l and n (LYU), else u.
    joined = "".join(re.sub(r"^([ln])v", r"\1yu", s).replace("v", "u") for s in syllables)
    return joined.capitalize()


# ---- Thai ---------------------------------------------------------------------------------


def _thai(text: str) -> str:
    # Imported here: pythainlp takes a quarter of a second to load, and most worlds draw
    # Thai names in only one process of many.
    from pythainlp.transliterate import romanize

    words = (romanize(word, engine="royin") for word in text.split())
    # royin leaves out the unwritten o of a final syllable (Sopn for โสภณ, Sophon): put it back.
    return " ".join(re.sub(r"([bcdfhklmprstw])n$", r"\1on", w).capitalize() for w in words)
