"""Masking of secrets in any text that may reach a log line or an exception.

Passwords and session ids must never leave the process in clear text. Known secret
values are registered here (the configured passwords, each session id as it is
obtained) and every log record of the ``intacct_client`` logger tree is passed through
:func:`redact`.
"""

from __future__ import annotations

import logging
import re
import threading

from intacct_client.xmlescape import escape

MASK = "***"

_ELEMENT_PATTERN = re.compile(
    r"(<(password|sessionid)(?:\s[^>]*)?>)(.*?)(</\2\s*>)", re.IGNORECASE | re.DOTALL
)


class _SecretRegistry:
    """The secret values seen so far and one regex that matches any of them."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.values: set[str] = set()
        self.pattern: re.Pattern[str] | None = None


_registry = _SecretRegistry()


def register_secret(value: str | None) -> None:
    """Remember a secret value (and its XML-escaped forms) so that it is always masked."""
    if not value or len(value) < 3:
        return
    escaped = escape(value)
    variants = {
        value,
        escaped,
        escaped.replace("'", "&#039;").replace('"', "&quot;"),
        escaped.replace("'", "&#x27;").replace('"', "&quot;"),
    }
    with _registry.lock:
        if variants <= _registry.values:
            return
        _registry.values.update(variants)
        ordered = sorted(_registry.values, key=len, reverse=True)
        _registry.pattern = re.compile("|".join(re.escape(item) for item in ordered))


def redact(text: str) -> str:
    """Mask <password>/<sessionid> element contents and every registered secret."""
    if not text:
        return text
    masked = _ELEMENT_PATTERN.sub(lambda m: f"{m.group(1)}{MASK}{m.group(4)}", text)
    pattern = _registry.pattern
    if pattern is not None:
        masked = pattern.sub(MASK, masked)
    return masked


class RedactingFilter(logging.Filter):
    """Logging filter that rewrites each record's message through :func:`redact`."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not leak args either
            message = str(record.msg)
        record.msg = redact(message)
        record.args = None
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


_FILTER = RedactingFilter()
ROOT_LOGGER_NAME = "intacct_client"


def get_logger(name: str) -> logging.Logger:
    """A logger under ``intacct_client`` with the redacting filter attached.

    Logger filters are not inherited by child loggers, so every logger the package
    uses is created through this function.
    """
    full_name = name if name.startswith(ROOT_LOGGER_NAME) else f"{ROOT_LOGGER_NAME}.{name}"
    logger = logging.getLogger(full_name)
    if _FILTER not in logger.filters:
        logger.addFilter(_FILTER)
    return logger


get_logger(ROOT_LOGGER_NAME)
