"""Logging set-up, with a filter that keeps secrets out of every log line."""

from __future__ import annotations

import logging
import re

from vigil import settings

# API tokens, session cookies and Authorization headers, wherever they might be formatted in.
_SECRET = re.compile(
    r"(vgl_[A-Za-z0-9_\-]{8,})|((?:authorization|cookie|password)[\"']?\s*[:=]\s*[\"']?)[^\s\"',;]+",
    re.IGNORECASE,
)


def redact(text: str) -> str:
    """Replace anything that looks like a secret with a marker."""
    return _SECRET.sub(
        lambda m: "vgl_[redacted]" if m.group(1) else f"{m.group(2)}[redacted]", text
    )


class RedactSecrets(logging.Filter):
    """Formats the message, then redacts it, so arguments cannot smuggle a secret through."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def configure_logging() -> None:
    """Root logging at the configured level, with secrets redacted on every handler."""
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig(
            level=settings.LOG_LEVEL, format="%(asctime)s %(levelname)s %(name)s %(message)s"
        )
    for handler in root.handlers:
        if not any(isinstance(f, RedactSecrets) for f in handler.filters):
            handler.addFilter(RedactSecrets())
    for name in ("uvicorn", "uvicorn.access", "uvicorn.error"):
        for handler in logging.getLogger(name).handlers:
            if not any(isinstance(f, RedactSecrets) for f in handler.filters):
                handler.addFilter(RedactSecrets())
