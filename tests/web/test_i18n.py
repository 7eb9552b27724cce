from __future__ import annotations

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from vigil.web.i18n import CATALOGUES, LANGUAGES, negotiate, translations
from vigil.web.templating import TEMPLATES


def _template_messages() -> set[str]:
    found = extract_from_dir(
        str(TEMPLATES),
        method_map=[("**.html", "jinja2")],
        options_map={"**.html": {"extensions": "jinja2.ext.i18n"}},
    )
    return {message for _, _, message, _, _ in found if isinstance(message, str)}


def test_every_template_message_is_translated_in_every_language() -> None:
    messages = _template_messages()
    assert len(messages) > 40
    for code in LANGUAGES:
        if code == "en":
            continue
        with (CATALOGUES / code / "LC_MESSAGES" / "messages.po").open("rb") as fh:
            catalog = read_po(fh)
        missing = sorted(m for m in messages if not (catalog.get(m) and catalog.get(m).string))
        assert not missing, f"{code} lacks {missing}"


def test_arabic_is_right_to_left_and_translated() -> None:
    assert LANGUAGES["ar"].rtl
    assert translations("ar").gettext("Alerts") == "التنبيهات"


def test_language_comes_from_the_cookie_then_the_browser() -> None:
    assert negotiate("es", "fr-FR,fr;q=0.9").code == "es"
    assert negotiate(None, "fr-FR,fr;q=0.9").code == "fr"
    assert negotiate(None, "de-DE").code == "en"
