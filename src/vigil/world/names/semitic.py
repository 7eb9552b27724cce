"""Latin forms of Arabic, Persian and Hebrew names.

These scripts leave short vowels unwritten, so no letter-by-letter table gives a usable
spelling: "محمد" is m-h-m-d. Common names take the spelling police usually write, from the
hand-written pools (``x_arabic``, ``x_persian``, ``x_hebrew`` in ``names_pools.csv``). Other
names get a guess: written long vowels are kept, and an "a" (Hebrew: "e") is put wherever two
consonants would otherwise meet at the start of a syllable. The guess reads like a plausible
spelling ("Marwan", "Rahman", "Galpaygani"), not like the spelling the person uses; no library
does better without a dictionary of the names themselves.
"""

# ruff: noqa: RUF001 - letters of other scripts that look Latin are the point of this module

from __future__ import annotations

from vigil.world.names.tables import known_spellings

_DICTIONARY = {"ar": "x_arabic", "fa": "x_persian", "he": "x_hebrew"}

_ARABIC_CONSONANTS = {
    "ب": "b", "ت": "t", "ث": "th", "ج": "j", "ح": "h", "خ": "kh", "د": "d", "ذ": "dh", "ر": "r",
    "ز": "z", "س": "s", "ش": "sh", "ص": "s", "ض": "d", "ط": "t", "ظ": "z", "ع": "", "غ": "gh",
    "ف": "f", "ق": "q", "ك": "k", "ک": "k", "ل": "l", "م": "m", "ن": "n", "ه": "h", "ہ": "h",
    "ھ": "h", "ء": "", "ئ": "", "ؤ": "", "پ": "p", "چ": "ch", "ژ": "zh", "گ": "g", "ٹ": "t",
}  # fmt: skip
# Persian reads several Arabic letters differently: ث and ص as s, ذ ض ظ as z, ق as gh.
_PERSIAN_CONSONANTS = _ARABIC_CONSONANTS | {"ث": "s", "ذ": "z", "ض": "z", "ظ": "z", "ق": "gh"}
_HEBREW_CONSONANTS = {
    "ב": "v", "ג": "g", "ד": "d", "ה": "h", "ז": "z", "ח": "ch", "ט": "t", "כ": "kh", "ך": "kh",
    "ל": "l", "מ": "m", "ם": "m", "נ": "n", "ן": "n", "ס": "s", "ע": "", "פ": "f", "ף": "f",
    "צ": "tz", "ץ": "tz", "ק": "k", "ר": "r", "ש": "sh", "ת": "t",
}  # fmt: skip
# Hebrew ב כ פ are b k p at the start of a word (a dagesh there, unwritten).
_HEBREW_INITIAL = {"ב": "b", "כ": "k", "פ": "p"}

_VOWELS = {"ا": "a", "آ": "a", "أ": "a", "إ": "i", "ى": "a", "ة": "a", "ٰ": "a", "א": "a"}
# Letters that are a consonant (w, y) or a long vowel (u, i) depending on their neighbours.
_GLIDES = {"و": ("w", "ou"), "ي": ("y", "i"), "ی": ("y", "i"), "ו": ("v", "o"), "י": ("y", "i")}


def romanise(language: str, text: str) -> str:
    """The Latin form of an Arabic (ar), Persian (fa) or Hebrew (he) name part."""
    known = known_spellings(_DICTIONARY[language])
    if text in known:
        return known[text]
    words = text.split()
    # "عبد المجيد" is one name, servant of the Glorious: Abdulmajid, not Abd Al-Majid.
    # "آل العسكري", the family of al-Askari, is written Al-Askari.
    for i in range(len(words) - 2, -1, -1):
        if words[i] == "عبد" and words[i + 1].startswith("ال"):
            words[i : i + 2] = [words[i] + words[i + 1]]
        elif words[i] == "آل" and words[i + 1].startswith("ال"):
            del words[i]
    return " ".join(_word(language, word, known) for word in words)


def _word(language: str, word: str, known: dict[str, str]) -> str:
    if word in known:
        return known[word]
    if language != "he":
        particle = _arabic_particle(language, word, known)
        if particle is not None:
            return particle
    for size in range(len(word) - 2, 2, -1):  # compounds such as محمدامین: a known name first
        head = word[:size]
        if head in known:
            return known[head] + _guess(language, word[size:]).lower()
    return _guess(language, word).capitalize()


def _arabic_particle(language: str, word: str, known: dict[str, str]) -> str | None:
    match word:
        case "بن":
            return "bin"
        case "بنت":
            return "bint"
        case "ابن":
            return "ibn"
        case "آل":
            return "Al"
        case "أبو" | "ابو":
            return "Abu"
        case "عبد":
            return "Abd"
    if word.startswith("ال") and len(word) > 3:
        rest = word[2:]
        return "Al-" + (known.get(rest) or _guess(language, rest).capitalize())
    if word.startswith("عبد") and len(word) > 4:
        rest = word[5:] if word[3:5] == "ال" else word[3:]
        prefix = "Abdol" if language == "fa" else "Abdul"
        return prefix + (known.get(rest) or _guess(language, rest)).lower()
    return None


def _guess(language: str, word: str) -> str:
    """Sound out an unvowelled word, guessing short vowels from its syllables."""
    units = _units(language, word)
    short = "e" if language == "he" else "a"
    out: list[str] = []
    state = "start"  # start | onset | nucleus | coda: where the current syllable stands
    for i, (kind, latin) in enumerate(units):
        next_is_vowel = i + 1 < len(units) and units[i + 1][0] == "V"
        if kind == "V":
            out.append(latin)
            state = "nucleus"
            continue
        if state == "onset":
            out.append(short)  # two consonants cannot both open a syllable: a vowel between
            state = "nucleus"
        # After a vowel a consonant closes the syllable unless a vowel follows it.
        state = ("onset" if next_is_vowel else "coda") if state == "nucleus" else "onset"
        out.append(latin)
    if state == "onset" and len(units) > 1 and units[-2][0] == "C":
        out.insert(len(out) - 1, short)  # a final cluster such as -sf: Yousef, not Yousf
    return _final_vowel(language, word, "".join(out))


def _final_vowel(language: str, word: str, latin: str) -> str:
    if language == "fa" and word.endswith("ه") and latin.endswith("h"):
        return latin[:-1] + "eh"  # Persian final he: Fatemeh, Zadeh
    if language == "he" and word.endswith("ה") and latin.endswith("h"):
        return latin[:-1] + "a"  # Hebrew final he is a vowel: Malka
    return latin


def _units(language: str, word: str) -> list[tuple[str, str]]:
    """The word as consonant ("C") and vowel ("V") sounds, glides resolved by position."""
    consonants = {"ar": _ARABIC_CONSONANTS, "fa": _PERSIAN_CONSONANTS}.get(
        language, _HEBREW_CONSONANTS
    )
    units: list[tuple[str, str]] = []
    for i, char in enumerate(word):
        if char in _VOWELS:
            units.append(("V", _VOWELS[char]))
        elif char in _GLIDES:
            units.append(_glide(word, i))
        elif language == "he" and i == 0 and char in _HEBREW_INITIAL:
            units.append(("C", _HEBREW_INITIAL[char]))
        elif char in consonants:
            units.append(("C", consonants[char]))
    return units


def _glide(word: str, i: int) -> tuple[str, str]:
    consonant, vowel = _GLIDES[word[i]]
    before = word[i - 1] if i > 0 else ""
    after = word[i + 1] if i + 1 < len(word) else ""
    if not before or before in _VOWELS or after in _VOWELS or after in _GLIDES:
        return ("C", consonant)
    if len(word) == 3 and i == 1:
        # Three-letter names with a middle glide are mostly diphthongs: Zaid, Saif, Nour.
        return ("V", "ai" if vowel == "i" else vowel)
    return ("V", vowel)
