"""Transliteration tables for names in the MRZ, after Doc 9303 Part 3, section 6.

Keys are upper-case (names are upper-cased first); values are A-Z strings, or "" to drop.

- Latin: exact for the characters Part 3 gives a digraph or a letter with no decomposition;
  where it offers a choice the first is used (Ä AE, Ö OE, Ü UE, Å AA, Ñ N). Every other accented
  Latin letter loses its diacritics, as the table does letter by letter.
- Cyrillic: exact for Russian, Belarusian, Serbian and Macedonian. Part 3's Ukrainian exceptions
  (Г H, И Y) apply when a name holds a letter only Ukrainian or Belarusian writes (Є І Ї Ґ Ў): a
  heuristic, as a Ukrainian name may have none. Bulgarian is read as Russian (Ъ IE, Щ SHCH).
- Greek: ELOT 743 transliteration, as Greek passports apply it, with its digraph rules.
- Arabic: an approximation of Part 3's table, letter by letter; short vowels appear only when
  the name is written with its vowel marks (harakat). Persian and Urdu letters are added.
"""

# ruff: noqa: RUF001, RUF002, RUF003
# (Cyrillic, Greek and Arabic letters that look like Latin ones are what these tables are about.)

from __future__ import annotations

LATIN: dict[str, str] = {
    "Ä": "AE",
    "Å": "AA",
    "Æ": "AE",
    "Ö": "OE",
    "Ø": "OE",
    "Ü": "UE",
    "Œ": "OE",
    "Þ": "TH",
    "ẞ": "SS",
    "Ĳ": "IJ",
    "Ð": "D",
    "Đ": "D",
    "Ħ": "H",
    "Ł": "L",
    "Ŀ": "L",
    "Ŋ": "N",
    "Ŧ": "T",
    "ı": "I",
    "ĸ": "K",
    # Not in Part 3: Azerbaijan's passports write the schwa as A (ƏLIYEV is ALIYEV).
    "Ə": "A",
}

CYRILLIC: dict[str, str] = {
    "А": "A",
    "Б": "B",
    "В": "V",
    "Г": "G",
    "Ґ": "G",
    "Ѓ": "G",
    "Д": "D",
    "Ђ": "D",
    "Е": "E",
    "Ѐ": "E",
    "Ё": "E",
    "Є": "IE",
    "Ж": "ZH",
    "З": "Z",
    "Ѕ": "DZ",
    "И": "I",
    "Ѝ": "I",
    "І": "I",
    "Ї": "I",
    "Й": "I",
    "Ј": "J",
    "К": "K",
    "Ќ": "K",
    "Л": "L",
    "Љ": "LJ",
    "М": "M",
    "Н": "N",
    "Њ": "NJ",
    "О": "O",
    "П": "P",
    "Р": "R",
    "С": "S",
    "Т": "T",
    "Ћ": "C",
    "У": "U",
    "Ў": "U",
    "Ф": "F",
    "Х": "KH",
    "Ц": "TS",
    "Ч": "CH",
    "Џ": "DZ",
    "Ш": "SH",
    "Щ": "SHCH",
    "Ъ": "IE",
    "Ы": "Y",
    "Ь": "",
    "Э": "E",
    "Ю": "IU",
    "Я": "IA",
}
UKRAINIAN: dict[str, str] = {"Г": "H", "И": "Y"}
UKRAINIAN_MARKERS = frozenset("ЄІЇҐЎ")

GREEK: dict[str, str] = {
    "Α": "A",
    "Β": "V",
    "Γ": "G",
    "Δ": "D",
    "Ε": "E",
    "Ζ": "Z",
    "Η": "I",
    "Θ": "TH",
    "Ι": "I",
    "Ϊ": "I",
    "Κ": "K",
    "Λ": "L",
    "Μ": "M",
    "Ν": "N",
    "Ξ": "X",
    "Ο": "O",
    "Π": "P",
    "Ρ": "R",
    "Σ": "S",
    "Τ": "T",
    "Υ": "Y",
    "Ϋ": "Y",
    "Φ": "F",
    "Χ": "CH",
    "Ψ": "PS",
    "Ω": "O",
}
# ELOT 743: ΑΥ, ΕΥ, ΗΥ are AF, EF, IF before these consonants and at the end of a word, AV, EV,
# IV elsewhere; Γ before Γ, Ξ or Χ is N.
GREEK_VOICELESS = frozenset("ΘΚΞΠΣΤΦΧΨ")
GREEK_U_DIPHTHONGS: dict[str, str] = {"Α": "A", "Ε": "E", "Η": "I"}
GREEK_NASAL_G_BEFORE = frozenset("ΓΞΧ")

ARABIC: dict[str, str] = {
    "ا": "A",
    "أ": "A",
    "إ": "A",
    "آ": "A",
    "ٱ": "A",
    "ب": "B",
    "ت": "T",
    "ث": "TH",
    "ج": "J",
    "ح": "H",
    "خ": "KH",
    "د": "D",
    # Some tables give TH; DH, as most romanisations write dhal, keeps it apart from tha.
    "ذ": "DH",
    "ر": "R",
    "ز": "Z",
    "س": "S",
    "ش": "SH",
    "ص": "S",
    "ض": "D",
    "ط": "T",
    "ظ": "Z",
    "ع": "E",
    "غ": "GH",
    "ف": "F",
    "ق": "Q",
    "ك": "K",
    "ل": "L",
    "م": "M",
    "ن": "N",
    "ه": "H",
    "و": "W",
    "ي": "Y",
    "ة": "H",
    "ى": "A",  # alif maqsura is pronounced a (MUSTAFA, ISA)
    "ء": "",
    "ؤ": "W",
    "ئ": "Y",
    "ـ": "",  # tatweel, a stretching stroke
    # Persian and Urdu.
    "پ": "P",
    "چ": "CH",
    "ژ": "ZH",
    "گ": "G",
    "ک": "K",
    "ی": "Y",
    "ۀ": "H",
    "ٹ": "T",
    "ڈ": "D",
    "ڑ": "R",
    "ں": "N",
    "ہ": "H",
    "ھ": "H",
    "ے": "E",
    # Vowel marks (harakat), when a name is written with them.
    "\u064b": "AN",
    "\u064c": "UN",
    "\u064d": "IN",
    "\u064e": "A",
    "\u064f": "U",
    "\u0650": "I",
    "\u0652": "",
    "\u0670": "A",
}
ARABIC_SHADDA = "\u0651"  # doubles the consonant it stands on
ARABIC_VOWEL_MARKS = frozenset("\u064b\u064c\u064d\u064e\u064f\u0650\u0652\u0670")

# Apostrophes are dropped (O'CONNOR is OCONNOR); every other punctuation mark separates words.
APOSTROPHES = "'`´ʹʻʼʽ‘’′"
