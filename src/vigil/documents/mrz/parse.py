"""Reading an MRZ: its lines into fields, with every check digit and code verified."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from vigil.core import clock
from vigil.documents.mrz.check_digits import MRZ_CHARACTERS, fast_check_digit
from vigil.documents.mrz.codes import known_codes
from vigil.documents.mrz.dates import is_partial_date, read_birth_date, read_expiry_date
from vigil.documents.mrz.layouts import LAYOUTS, Layout, Span
from vigil.documents.mrz.models import Correction, MrzError, ParsedMrz
from vigil.documents.mrz.names import read_name
from vigil.documents.mrz.ocr import correct_ocr
from vigil.errors import InvalidInput

_SEX: dict[str, Literal["M", "F", "X"]] = {"M": "M", "F": "F", "<": "X", "X": "X"}
_LETTERS_AND_FILLER = MRZ_CHARACTERS[:26] + "<"
# A whole MRZ pasted as one line, by its length: the line count and width it splits into.
_JOINED = {90: (3, 30), 72: (2, 36), 88: (2, 44)}


def parse_mrz(
    text_or_lines: str | Sequence[str], *, ocr_tolerant: bool = False, today: date | None = None
) -> ParsedMrz:
    """Read a machine readable zone (TD1, TD2, TD3, MRV-A or MRV-B).

    Field-level failures do not raise: a wrong check digit, an unknown state code or an impossible
    date comes back in ``errors``, with ``valid`` false. Two-digit years are placed as border
    systems do: a date of birth in the latest century that is not after ``today``, a date of
    expiry in the century that puts it within fifty years of ``today``.

    Args:
        text_or_lines: the lines joined by newlines, or a sequence of lines. Whitespace is removed
            and letters are upper-cased; a whole MRZ on one line is split by its length.
        ocr_tolerant: correct look-alike characters (O, Q or D and 0, I and 1, Z and 2, S and
            5, G and 6, B and 8): letters in dates and check digits, digits in codes and names,
            and, when exactly one smallest set of swaps makes the check digits hold, either way
            in the document and personal numbers. Each change is listed in ``corrections``.
        today: the day dates are read relative to; by default today in UTC.

    Returns:
        The fields, the errors found, and the corrections made.

    Raises:
        InvalidInput: the text is not shaped like an MRZ: a wrong number or length of lines, or a
            character other than A-Z, 0-9 and ``<``.
    """
    lines = _lines(text_or_lines)
    layout = _layout_of(lines)
    _check_characters(lines)
    corrections: list[Correction] = []
    if ocr_tolerant:
        lines, corrections = correct_ocr(lines, layout)
    reader = _Reader(lines=lines, layout=layout, today=clock.today() if today is None else today)
    return reader.read(corrections)


def _lines(text_or_lines: str | Sequence[str]) -> list[str]:
    """The non-empty lines, without whitespace, upper-cased."""
    raw = text_or_lines.splitlines() if isinstance(text_or_lines, str) else list(text_or_lines)
    lines = ["".join(line.split()).upper() for line in raw]
    lines = [line for line in lines if line]
    if len(lines) == 1 and len(lines[0]) in _JOINED:
        count, width = _JOINED[len(lines[0])]
        lines = [lines[0][i * width : (i + 1) * width] for i in range(count)]
    return lines


def _layout_of(lines: list[str]) -> Layout:
    """The format that the number and length of the lines give; visas start with V."""
    widths = {len(line) for line in lines}
    if len(lines) == 3 and widths == {30}:
        return LAYOUTS["TD1"]
    if len(lines) == 2 and widths in ({36}, {44}):
        visa = lines[0].startswith("V")
        if widths == {36}:
            return LAYOUTS["MRVB" if visa else "TD2"]
        return LAYOUTS["MRVA" if visa else "TD3"]
    lengths = ", ".join(str(len(line)) for line in lines) or "none"
    raise InvalidInput(
        f"an MRZ is 3 lines of 30 characters or 2 lines of 36 or 44; got line lengths {lengths}"
    )


def _check_characters(lines: list[str]) -> None:
    """Raise on the first character that an MRZ cannot hold."""
    for number, line in enumerate(lines, start=1):
        if line.strip(MRZ_CHARACTERS):
            column, ch = next((i, c) for i, c in enumerate(line) if c not in MRZ_CHARACTERS)
            raise InvalidInput(
                f"line {number}, position {column + 1}: {ch!r} is not an MRZ character"
                " (A-Z, 0-9 or <)"
            )


@dataclass
class _Reader:
    """Reads the fields of one MRZ, collecting what does not hold."""

    lines: list[str]
    layout: Layout
    today: date
    errors: list[MrzError] = field(default_factory=list)

    def read(self, corrections: list[Correction]) -> ParsedMrz:
        """Every field, verified."""
        layout = self.layout
        document_code = self.document_code()
        issuing_state = self.code("issuing_state", layout.issuing_state)
        number, optional = self.document_number()
        surname, given_names = read_name(self.text(layout.name))
        truncated = self.name_may_be_truncated()
        nationality = self.code("nationality", layout.nationality)
        birth_date, sex, expiry_date = self.birth_date(), self.sex(), self.expiry_date()
        if layout.optional_data_check is not None:
            optional = self.personal_number()
        optional_2 = (
            "" if layout.optional_data_2 is None else self.text(layout.optional_data_2).rstrip("<")
        )
        self.composite()
        return ParsedMrz(
            format=layout.format,
            lines=self.lines,
            document_code=document_code,
            issuing_state=issuing_state,
            document_number=number,
            surname=surname,
            given_names=given_names,
            name_may_be_truncated=truncated,
            nationality=nationality,
            birth_date=birth_date,
            birth_date_raw=self.text(layout.birth_date),
            sex=sex,
            expiry_date=expiry_date,
            expiry_date_raw=self.text(layout.expiry_date),
            optional_data=optional,
            optional_data_2=optional_2,
            valid=not self.errors,
            errors=self.errors,
            corrections=corrections,
        )

    def text(self, span: Span) -> str:
        """The characters under ``span``."""
        return self.lines[span.line][span.start : span.stop]

    def fail(self, field: str, span: Span, message: str) -> None:
        """Record that ``field`` does not hold, at ``span``."""
        self.errors.append(
            MrzError(field=field, line=span.line + 1, position=span.start + 1, message=message)
        )

    def verify(self, field: str, data: str, check: Span, *, filler_allowed: bool = False) -> None:
        """Record an error unless the digit under ``check`` is the check digit of ``data``."""
        found = self.text(check)
        if found == "<" and filler_allowed:
            return
        if not found.isdigit():
            self.fail(field, check, f"check digit {found!r} is not a digit")
            return
        expected = fast_check_digit(data)
        if found != expected:
            self.fail(
                field, check, f"check digit {found} does not match {data} (expected {expected})"
            )

    def document_code(self) -> str:
        """The document code: a letter the format allows, then a letter or a filler."""
        span = self.layout.document_code
        code = self.text(span)
        if code[0] not in self.layout.document_kinds or not (code[1].isalpha() or code[1] == "<"):
            kinds = ", ".join(sorted(self.layout.document_kinds))
            self.fail(
                "document_code", span, f"a {self.layout.format} code starts {kinds}, not {code}"
            )
        return code.rstrip("<")

    def code(self, field: str, span: Span) -> str:
        """An issuing state or nationality code, without its fillers."""
        code = self.text(span).rstrip("<")
        if code not in known_codes():
            self.fail(field, span, f"{code or '<<<'} is not an ICAO state or organization code")
        return code

    def document_number(self) -> tuple[str, str]:
        """The document number, and the optional data that follows it in the same line."""
        layout = self.layout
        number = self.text(layout.document_number)
        optional = self.text(layout.optional_data)
        if self.text(layout.document_number_check) == "<" and layout.long_numbers:
            return self.long_document_number(number, optional)
        self.verify("document_number", number, layout.document_number_check)
        return number.rstrip("<"), optional.rstrip("<")

    def long_document_number(self, first_nine: str, optional: str) -> tuple[str, str]:
        """A number of more than nine characters: the rest, then its check digit, open the
        optional data, and a filler ends them (Doc 9303 Parts 5 and 6, note j)."""
        span = self.layout.optional_data
        rest = optional.split("<", 1)[0]
        if len(rest) < 2:
            self.fail(
                "document_number",
                self.layout.document_number_check,
                "a filler stands for the check digit but the optional data does not continue the"
                " number",
            )
            return first_nine.rstrip("<"), optional.rstrip("<")
        check = Span(span.line, span.start + len(rest) - 1, span.start + len(rest))
        self.verify("document_number", first_nine + rest[:-1], check)
        return first_nine + rest[:-1], optional[len(rest) + 1 :].rstrip("<")

    def name_may_be_truncated(self) -> bool:
        """Whether the name fills its field: Doc 9303 says to assume it was then truncated."""
        span = self.layout.name
        name = self.text(span)
        if name.strip(_LETTERS_AND_FILLER):
            column = next(i for i, ch in enumerate(name) if ch not in _LETTERS_AND_FILLER)
            at = Span(span.line, span.start + column, span.start + column + 1)
            self.fail("name", at, f"a name holds letters and fillers, not {name[column]!r}")
        return not name.endswith("<")

    def birth_date(self) -> date | None:
        """The date of birth; None when unknown in part (``<<`` for an unknown day, say)."""
        span = self.layout.birth_date
        raw = self.text(span)
        self.verify("birth_date", raw, self.layout.birth_date_check)
        if is_partial_date(raw):
            return None
        try:
            return read_birth_date(raw, today=self.today)
        except ValueError:
            self.fail("birth_date", span, f"{raw} is not a date of birth (YYMMDD)")
            return None

    def expiry_date(self) -> date | None:
        """The date of expiry; None when it is not a date."""
        span = self.layout.expiry_date
        raw = self.text(span)
        self.verify("expiry_date", raw, self.layout.expiry_date_check)
        try:
            return read_expiry_date(raw, today=self.today)
        except ValueError:
            self.fail("expiry_date", span, f"{raw} is not a date of expiry (YYMMDD)")
            return None

    def sex(self) -> Literal["M", "F", "X"] | None:
        """M, F, or X for unspecified (``<``, or X as some issuers write it)."""
        span = self.layout.sex
        sex = _SEX.get(self.text(span))
        if sex is None:
            self.fail("sex", span, f"sex is M, F or <, not {self.text(span)}")
        return sex

    def personal_number(self) -> str:
        """The TD3 personal number, checked; its check digit may be ``<`` when it is empty."""
        span = self.layout.optional_data
        check = self.layout.optional_data_check
        raw = self.text(span)
        if check is not None:
            self.verify("optional_data", raw, check, filler_allowed=not raw.strip("<"))
        return raw.rstrip("<")

    def composite(self) -> None:
        """Verify the composite check digit over the spans the format names."""
        if self.layout.composite_check is not None:
            data = "".join(self.text(span) for span in self.layout.composite)
            self.verify("composite", data, self.layout.composite_check)
