"""A person's name as their own culture writes it, with the Latin form police abroad write."""

from __future__ import annotations

from dataclasses import dataclass

GIVEN_FIRST = "given-family"
FAMILY_FIRST = "family-given"


@dataclass(frozen=True, slots=True)
class PersonName:
    """One person's name in its original script and in a common romanisation.

    ``given`` and ``family`` are in the original script (``script``, an ISO 15924 code);
    ``family`` is empty for people without a family name (Myanmar, many Malays).
    ``patronymic`` is the father's name as the culture adds it: a Russian "Ivanovich", an Arabic
    nasab "bin Ahmed", a Somali or Egyptian father's name. Icelandic "-son"/"-dóttir" names are
    the family name, as Icelandic passports print them. ``order`` says how the culture writes
    the full name, and ``full`` is that full name. The ``latin_*`` fields are a common
    romanisation (see ``vigil.world.names.romanise``), ASCII letters, spaces, hyphens and
    apostrophes only.
    """

    given: str
    family: str
    patronymic: str | None
    script: str
    order: str
    full: str
    latin_given: str
    latin_family: str
    latin_patronymic: str | None
    sex: str

    @property
    def latin_full(self) -> str:
        """The romanised name, given names first, as foreign police usually write it."""
        parts = (self.latin_given, self.latin_patronymic or "", self.latin_family)
        return " ".join(p for p in parts if p)
