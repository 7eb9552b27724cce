"""Foreign names written in katakana and hangul, read back towards their original spelling.

Japanese writes a foreign name in katakana, Korean in hangul, by sound: Vladimir Putin is
ウラジーミル・プーチン and 블라디미르 푸틴. Both languages add a vowel after a consonant that
closes a syllable in the original (Vladimir's final r is ル *ru*, 르 *reu*; Klaus is クラウス
*ku-ra-u-su*), mark long vowels the original does not write, and double consonants. Hepburn and
Revised Romanization spell those added vowels out (``urajimiru``, ``beulladimileu``), which puts
the name far from its Latin form. The reading here undoes them, following the two countries'
own rules for writing foreign words (Japan's 外来語の表記, 1991; Korea's 외래어 표기법, 1986), so
that ``urajimir putin`` and ``bladimir putin`` meet ``vladimir putin``.

It is a second reading beside the usual one (``persons.names``), never instead of it: a
Japanese or Korean name read as Japanese or Korean still meets its passport spelling.
"""

from __future__ import annotations

import re

from anyascii import anyascii

# ---- katakana ------------------------------------------------------------------------------

# Each mora: its consonant and vowel. The consonant is the one a following small kana combines
# with (シェ she, チャ cha, ティ ti, ファ fa), so シ is sh-i, チ ch-i, ツ ts-u, フ f-u. Standing
# alone, チ reads *ti* here, as in the older transcriptions of foreign names (プーチン Putin,
# where newer ones write ティ); Hepburn's *chi* stays in the usual reading.
_MORAE: dict[str, tuple[str, str]] = {}
for _row, _consonant in (
    ("アイウエオ", ""),
    ("カキクケコ", "k"),
    ("ガギグゲゴ", "g"),
    ("サシスセソ", "s"),
    ("ザジズゼゾ", "z"),
    ("タチツテト", "t"),
    ("ダヂヅデド", "d"),
    ("ナニヌネノ", "n"),
    ("ハヒフヘホ", "h"),
    ("バビブベボ", "b"),
    ("パピプペポ", "p"),
    ("マミムメモ", "m"),
    ("ラリルレロ", "r"),
):
    for _kana, _vowel in zip(_row, "aiueo", strict=True):
        _MORAE[_kana] = (_consonant, _vowel)
_MORAE.update(
    {
        "シ": ("sh", "i"),
        "ジ": ("j", "i"),
        "チ": ("ch", "i"),
        "ヂ": ("j", "i"),
        "ツ": ("ts", "u"),
        "ヅ": ("z", "u"),
        "フ": ("f", "u"),
        "ヤ": ("y", "a"),
        "ユ": ("y", "u"),
        "ヨ": ("y", "o"),
        "ワ": ("w", "a"),
        "ヰ": ("", "i"),
        "ヱ": ("", "e"),
        "ヲ": ("", "o"),
        "ヴ": ("v", "u"),
    }
)
# Small kana: a vowel (or y-vowel) that replaces the vowel of the mora before it.
_SMALL = {"ァ": "a", "ィ": "i", "ゥ": "u", "ェ": "e", "ォ": "o", "ャ": "ya", "ュ": "yu", "ョ": "yo"}
_LONG, _N = "ー", "ン"
_KATAKANA = re.compile(r"^[\u30a1-\u30fa\u30fc]+$")


def katakana(word: str) -> bool:
    """Whether ``word`` is written in katakana alone (as foreign names are)."""
    return bool(_KATAKANA.match(word))


def _morae(word: str) -> list[list[str]]:
    """The word's morae as [consonant, vowel, long] lists; ン is a mora of its own, ッ dropped."""
    morae: list[list[str]] = []
    for at, kana in enumerate(word):
        if kana in _SMALL and morae:
            consonant, small = morae[-1][0], _SMALL[kana]
            if word[at - 1] == "ウ":
                consonant = "w"  # ウィ wi, ウォ wo
            if small.startswith("y") and consonant in ("sh", "ch", "j"):
                small = small[1:]  # シャ sha, チュ chu, ジョ jo
            morae[-1][:2] = [consonant, small]
        elif kana == _LONG and morae:
            morae[-1][2] = _LONG
        elif kana == _N:
            morae.append(["n", "", ""])
        elif kana in _MORAE:
            morae.append([*_MORAE[kana], ""])
        # ッ doubles the next consonant, which the original writes once (or not at all).
    return morae


def _added(morae: list[list[str]], at: int) -> bool:
    """Whether the vowel of mora ``at`` was added after a consonant the original closes a
    syllable with: u (o after t and d) not lengthened, at the end of the word; u before r at
    its start or inside it (クリス Chris, ブラ bra); u inside the word before another
    consonant (アレクサンドル Aleksandr, クリストファー Christopher); and an initial su before
    a consonant (スミス Smith)."""
    consonant, vowel, long = morae[at]
    if long or consonant in ("", "n", "y", "w") or vowel not in ("u", "o"):
        return False
    if vowel == "o" and consonant not in ("t", "d"):
        return False
    if at == len(morae) - 1:
        return True
    following = morae[at + 1][0]
    if vowel == "o":  # ト, ド inside a name are mostly to, do (Viktor), but Trump, Drago
        return at == 0 and following == "r"
    if following == "r":
        return True
    if following in ("", "n", "y", "w"):
        return False
    return at > 0 or consonant == "s"


def from_katakana(word: str) -> str:
    """A katakana word read back towards the foreign spelling it transcribes."""
    morae = _morae(word)
    letters: list[str] = []
    for at, (consonant, vowel, _) in enumerate(morae):
        if consonant == "n" and not vowel:
            following = morae[at + 1][0] if at + 1 < len(morae) else ""
            letters.append("m" if following in ("p", "b", "m") else "n")  # トランプ Trump
            continue
        if consonant == "ch" and vowel == "i":
            consonant = "t"  # see _MORAE
        letters.append(consonant if _added(morae, at) else consonant + vowel)
    return "".join(letters)


# ---- hangul --------------------------------------------------------------------------------

# A hangul syllable is (initial, medial, final) jamo, numbered from U+AC00.
_INITIALS = ("g", "k", "n", "d", "t", "r", "m", "b", "p", "s", "s", "", "j", "j", "ch", "k",
             "t", "p", "h")  # fmt: skip
# Vowels as foreign names written in hangul mostly stand for them: ㅐ for a (잭 Jack), ㅓ for
# an unstressed e or a schwa (피터 Peter, 로버트 Robert); ㅡ is the vowel Korean adds after a
# consonant that closes a syllable (르 in 블라디미르), so it is dropped.
_MEDIALS = ("a", "a", "ya", "ye", "e", "e", "ye", "ye", "o", "wa", "we", "oe", "yo", "u", "wo",
            "we", "wi", "yu", "", "ui", "i")  # fmt: skip
_FINALS = ("", "k", "k", "ks", "n", "n", "n", "t", "l", "lk", "lm", "lb", "ls", "lt", "lp", "l",
           "m", "p", "ps", "t", "t", "ng", "t", "t", "k", "t", "p", "h")  # fmt: skip
_EU, _SILENT, _RIEUL = 18, 11, 5
# A final ch or sh is written 치 and 시 (Korea's rules, article 3): at the end of a long word
# they are that consonant, not a syllable (블라디미로비치 Vladimirovich).
_CLOSING = {(14, 20): "ch", (9, 20): "sh"}
_HANGUL = re.compile(r"^[\uac00-\ud7a3]+$")
_SYLLABLE_RUNS = re.compile(r"[\uac00-\ud7a3]+|[^\uac00-\ud7a3]+")


def _jamo(syllable: str) -> tuple[int, int, int]:
    code = ord(syllable) - 0xAC00
    return code // 588, (code % 588) // 28, code % 28


def hangul_foreign(text: str) -> bool:
    """Whether a name in hangul looks like a foreign name: a syllable whose only vowel is the
    added ㅡ (르, 스, 트: Korean names rarely hold one), or a word of four syllables or more
    (a Korean name is three, written together or apart)."""
    for word in text.split():
        if not _HANGUL.match(word):
            continue
        if len(word) >= 4:
            return True
        for syllable in word:
            initial, medial, final = _jamo(syllable)
            if medial == _EU and initial != _SILENT and not final:
                return True
    return False


def from_hangul(word: str) -> str:
    """A hangul word read back towards the foreign spelling it transcribes. Only its runs of
    syllables are read back; anything else in it (a lone jamo, a digit, Latin letters) is
    left to the usual reading and kept as it is."""
    return "".join(
        _from_syllables(run) if _HANGUL.match(run) else anyascii(run)
        for run in _SYLLABLE_RUNS.findall(word)
    )


def _from_syllables(word: str) -> str:
    syllables = [_jamo(s) for s in word]
    letters: list[str] = []
    for at, (initial, medial, final) in enumerate(syllables):
        consonant = _INITIALS[initial]
        # ㄹㄹ across syllables writes one l (블라 bla, 클라우스 Klaus).
        if initial == _RIEUL and at and _FINALS[syllables[at - 1][2]].endswith("l"):
            consonant = ""
        vowel = "u" if medial == _EU and initial == _SILENT else _MEDIALS[medial]
        last = at == len(syllables) - 1
        if last and not final and len(syllables) >= 3 and (initial, medial) in _CLOSING:
            letters.append(_CLOSING[(initial, medial)])  # 비치 vich, 부시 Bush
            continue
        letters.append(consonant + vowel + _FINALS[final])
    return "".join(letters)
