"""Jinja environments, one per language so that gettext is never shared between requests."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from vigil.access.envelope import HANDLING_MEANING
from vigil.access.roles import allows
from vigil.web.i18n import LANGUAGES, Language, negotiate, translations

TEMPLATES = Path(__file__).parent / "templates"
LANG_COOKIE = "vigil_lang"


@cache
def environment(code: str) -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(translations(code), newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(languages=LANGUAGES, handling_meaning=HANDLING_MEANING, allows=allows)
    return env


def language_of(request: Request) -> Language:
    return negotiate(request.cookies.get(LANG_COOKIE), request.headers.get("accept-language"))


def render(
    request: Request, template: str, context: dict[str, Any], *, status_code: int = 200
) -> HTMLResponse:
    """Render a page in the request's language."""
    language = language_of(request)
    page = environment(language.code).get_template(template)
    html = page.render(request=request, lang=language, **context)
    return HTMLResponse(html, status_code=status_code, headers={"Cache-Control": "no-store"})
