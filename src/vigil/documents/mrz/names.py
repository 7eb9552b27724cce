"""The name field: primary and secondary identifiers, ``<<`` between them, ``<`` within them,
truncated as Doc 9303 Parts 4 to 7 say when the name is longer than the field."""

from __future__ import annotations

from functools import lru_cache

from vigil.documents.mrz.transliteration import transliterated
from vigil.errors import InvalidInput


@lru_cache(maxsize=1 << 16)
def name_field(surname: str, given_names: str, width: int) -> str:
    """The name field, ``width`` characters, for a holder's names in any script.

    A name of one part goes in the primary identifier (Part 3, 4.6), so given names alone are
    written there.
    """
    primary = transliterated(surname).split()
    secondary = transliterated(given_names).split()
    if not primary:
        primary, secondary = secondary, []
    if not primary:
        raise InvalidInput("the holder's name has no letter that an MRZ can write")
    field = _fitted(primary, secondary, width)
    return field + "<" * (width - len(field))


def read_name(field: str) -> tuple[str, str]:
    """The surname and given names written in a name field, ``<`` turned into spaces."""
    primary, _, secondary = field.rstrip("<").partition("<<")
    return _words(primary), _words(secondary)


def _words(identifier: str) -> str:
    """The components of one identifier, separated by single spaces."""
    return " ".join(part for part in identifier.split("<") if part)


def _fitted(primary: list[str], secondary: list[str], width: int) -> str:
    """The name, truncated to ``width`` the way the truncation rules allow.

    Given names are cut first. When the surname alone leaves no room for ``<<`` and one initial,
    the surname is cut until it does (Part 6, 4.2.2.1). Either way the field then ends with a
    letter, which tells a reader that the name may have been truncated.
    """
    surname = "<".join(primary)
    full = surname + "<<" + "<".join(secondary) if secondary else surname
    if len(full) <= width:
        return full
    if not secondary:
        return _cut(primary, width)
    room = width - len(surname) - 2
    if room < 1:
        return _cut(primary, width - 3) + "<<" + secondary[0][0]
    given = _cut(secondary, room)
    if len(given) == room:
        return surname + "<<" + given
    # Only initials stand before the cut, so the given names cannot end with a letter in this
    # room: take a letter from the surname and give the given names one more position.
    shorter = _cut(primary, len(surname) - 1)
    return shorter + "<<" + _cut(secondary, width - len(shorter) - 2)


def _cut(components: list[str], room: int) -> str:
    """The components joined by ``<`` and cut to ``room`` characters, ending with a letter."""
    text = "<".join(components)
    cut = text[:room]
    if len(text) <= room or cut[-1] != "<":
        return cut
    # The cut falls between two components: shorten the last one that can spare a letter and end
    # with the initial of the next, so that the field does not end with a filler.
    kept = cut[:-1].split("<")
    for i in range(len(kept) - 1, -1, -1):
        if len(kept[i]) > 1:
            kept[i] = kept[i][:-1]
            return "<".join(kept) + "<" + text[room]
    return cut[:-1]  # only initials: nothing to shorten, the field ends with a filler
