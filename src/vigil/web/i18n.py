"""Message catalogues (gettext .po files read with Babel) and the language of a request."""

from __future__ import annotations

import gettext
import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

CATALOGUES = Path(__file__).parent / "i18n"
DOMAIN = "messages"


@dataclass(frozen=True, slots=True)
class Language:
    code: str
    name: str  # in the language itself, as the switcher shows it
    rtl: bool = False


LANGUAGES: dict[str, Language] = {
    "en": Language("en", "English"),
    "fr": Language("fr", "Français"),
    "es": Language("es", "Español"),
    "ar": Language("ar", "العربية", rtl=True),
}
DEFAULT = "en"


@cache
def translations(code: str) -> gettext.NullTranslations:
    """The catalogue of a language, compiled in memory from its .po file (English: identity)."""
    path = CATALOGUES / code / "LC_MESSAGES" / f"{DOMAIN}.po"
    if code == DEFAULT or not path.exists():
        return gettext.NullTranslations()
    with path.open("rb") as fh:
        catalog = read_po(fh, locale=code)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def negotiate(cookie: str | None, accept_language: str | None) -> Language:
    """The chosen language (cookie), else the browser's first one we speak, else English."""
    if cookie in LANGUAGES:
        return LANGUAGES[cookie]
    for part in (accept_language or "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return LANGUAGES[code]
    return LANGUAGES[DEFAULT]
