"""OCR-tolerant reading: undo the confusions OCR makes between look-alike characters.

A letter where only a digit can stand (dates, check digits) and a digit where only a letter can
(codes, names) are read as their look-alike. In the document number and the TD3 personal number
either may be meant, so when a check digit fails, the look-alike substitutions (at most two per
field) that make every check digit hold are searched, and taken only when exactly one smallest set
of them does.
"""

from __future__ import annotations

from functools import cache
from itertools import combinations, product

from vigil.documents.mrz.check_digits import fast_check_digit
from vigil.documents.mrz.layouts import Layout, Span
from vigil.documents.mrz.models import Correction

_AS_DIGIT = {"O": "0", "Q": "0", "D": "0", "I": "1", "Z": "2", "S": "5", "G": "6", "B": "8"}
_AS_LETTER = {"0": "O", "1": "I", "2": "Z", "5": "S", "6": "G", "8": "B"}
# Either way in the document and personal numbers; 0 may have been an O or a Q. G and 6 count
# 16 and 6, the same modulo 10, so no check digit sees that swap: it stays as read.
_LOOK_ALIKE: dict[str, tuple[str, ...]] = {
    "O": ("0",),
    "Q": ("0",),
    "I": ("1",),
    "Z": ("2",),
    "S": ("5",),
    "G": ("6",),
    "B": ("8",),
    "0": ("O", "Q"),
    "1": ("I",),
    "2": ("Z",),
    "5": ("S",),
    "6": ("G",),
    "8": ("B",),
}
_MOST_CHANGES = 2  # per field: beyond two, a wrong "correction" is as likely as a right one

_Change = tuple[int, int, str]  # line, column, new character


def correct_ocr(lines: list[str], layout: Layout) -> tuple[list[str], list[Correction]]:
    """``lines`` with look-alike characters corrected, and the corrections made."""
    grid = [list(line) for line in lines]
    corrections = []
    for (line, column), (field, kind) in _position_kinds(layout).items():
        found = grid[line][column]
        meant = (_AS_DIGIT if kind == "digit" else _AS_LETTER).get(found)
        if meant is not None:
            grid[line][column] = meant
            corrections.append(_correction(field, line, column, found, meant))
    lines = ["".join(row) for row in grid]
    changes = _checked_substitutions(lines, layout)
    for field, (line, column, meant) in changes:
        corrections.append(_correction(field, line, column, lines[line][column], meant))
    return _applied(lines, [change for _, change in changes]), corrections


def _checked_substitutions(lines: list[str], layout: Layout) -> list[tuple[str, _Change]]:
    """The one smallest set of look-alike swaps that makes every check digit hold, if unique."""
    options: list[list[tuple[str, list[_Change]]]] = []
    for field, value_span, check_span in _checked_fields(layout):
        value, check = _text(lines, value_span), _text(lines, check_span)
        if check.isdigit() and fast_check_digit(value) != check:
            options.append([(field, swaps) for swaps in _swaps(value, check, value_span)])
    if not options:
        return []
    answers = [combo for combo in product(*options) if _composite_holds(lines, layout, combo)]
    if not answers:
        return []
    # The composite rarely decides between readings of one number (the number sits at the same
    # weights in both sums) but does when two fields fail at once.
    fewest = min(sum(len(swaps) for _, swaps in combo) for combo in answers)
    best = [combo for combo in answers if sum(len(swaps) for _, swaps in combo) == fewest]
    if len(best) != 1:
        return []  # two readings fit equally well: better an error than a guess
    return [(field, change) for field, swaps in best[0] for change in swaps]


def _swaps(value: str, check: str, span: Span) -> list[list[_Change]]:
    """Every set of at most two look-alike swaps after which ``value`` matches ``check``."""
    spots = [i for i, ch in enumerate(value) if ch in _LOOK_ALIKE]
    found = []
    for count in range(1, _MOST_CHANGES + 1):
        for chosen in combinations(spots, count):
            for meant in product(*(_LOOK_ALIKE[value[i]] for i in chosen)):
                chars = list(value)
                for i, ch in zip(chosen, meant, strict=True):
                    chars[i] = ch
                if fast_check_digit("".join(chars)) == check:
                    found.append([(span.line, span.start + i, chars[i]) for i in chosen])
    return found


def _composite_holds(
    lines: list[str], layout: Layout, combo: tuple[tuple[str, list[_Change]], ...]
) -> bool:
    """Whether the composite check digit holds once ``combo`` is applied (true for visas)."""
    if layout.composite_check is None:
        return True
    fixed = _applied(lines, [change for _, swaps in combo for change in swaps])
    data = "".join(_text(fixed, span) for span in layout.composite)
    return fast_check_digit(data) == _text(fixed, layout.composite_check)


def _checked_fields(layout: Layout) -> list[tuple[str, Span, Span]]:
    """The fields of letters and digits that carry their own check digit."""
    fields = [("document_number", layout.document_number, layout.document_number_check)]
    if layout.optional_data_check is not None:
        fields.append(("optional_data", layout.optional_data, layout.optional_data_check))
    return fields


@cache
def _position_kinds(layout: Layout) -> dict[tuple[int, int], tuple[str, str]]:
    """For each position that must be a digit or a letter: its field and which it must be."""
    digits = {
        "birth_date": layout.birth_date,
        "birth_date_check": layout.birth_date_check,
        "expiry_date": layout.expiry_date,
        "expiry_date_check": layout.expiry_date_check,
        "document_number_check": layout.document_number_check,
        "optional_data_check": layout.optional_data_check,
        "composite_check": layout.composite_check,
    }
    letters = {
        "document_code": layout.document_code,
        "issuing_state": layout.issuing_state,
        "nationality": layout.nationality,
        "name": layout.name,
    }
    kinds: dict[tuple[int, int], tuple[str, str]] = {}
    for kind, fields in (("digit", digits), ("letter", letters)):
        for field, span in fields.items():
            if span is not None:
                for column in range(span.start, span.stop):
                    kinds[(span.line, column)] = (field, kind)
    return kinds


def _applied(lines: list[str], changes: list[_Change]) -> list[str]:
    """``lines`` with each change made."""
    grid = [list(line) for line in lines]
    for line, column, meant in changes:
        grid[line][column] = meant
    return ["".join(row) for row in grid]


def _text(lines: list[str], span: Span) -> str:
    """The characters under ``span``."""
    return lines[span.line][span.start : span.stop]


def _correction(field: str, line: int, column: int, found: str, meant: str) -> Correction:
    """A correction, positions counted from 1 as people read them."""
    return Correction(
        field=field, line=line + 1, position=column + 1, from_char=found, to_char=meant
    )
