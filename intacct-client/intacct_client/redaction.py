"""Masking of secrets in any text that may reach a log line or an exception.

Passwords, session ids, tax ids and bank or card numbers must never leave the process
in clear text. Two nets catch them:

* by name: the value of every element, attribute or JSON/dict key named in
  :data:`SENSITIVE_NAMES` (case-insensitive), in requests and responses alike. The list
  is the one Intacct's PHP SDK masks in its logs
  (intacct/intacct-sdk-php, src/Intacct/Logging/MessageFormatter.php);
* by value: the configured passwords and each session id as it is obtained are
  registered here and masked wherever they appear.

Every log record of the ``intacct_client`` logger tree is passed through :func:`redact`.
"""

from __future__ import annotations

import logging
import re
import threading

from intacct_client.xmlescape import escape

MASK = "***"

SENSITIVE_NAMES: tuple[str, ...] = (
    "password",
    "sessionid",
    "accountnumber",
    "cardnum",
    "ssn",
    "achaccountnumber",
    "wireaccountnumber",
    "taxid",
)
_NAMES = "|".join(SENSITIVE_NAMES)
# <TAXID>..</TAXID> (attributes and a namespace prefix allowed). A body cut short for
# the log (or truncated by the network) may end inside the value: then mask to the end.
_ELEMENT_PATTERN = re.compile(
    rf"(<((?:[\w.-]+:)?(?:{_NAMES}))(?:\s[^>]*)?>)(.*?)(</\2\s*>|\Z)",
    re.IGNORECASE | re.DOTALL,
)
# taxid="12-3456789" and taxid='...' (an attribute, or a key=value pair in a message).
_ATTRIBUTE_PATTERN = re.compile(
    rf"(?<![\w.-])((?:{_NAMES})\s*=\s*)(\"[^\"]*\"|'[^']*')", re.IGNORECASE
)
# "TAXID": "12-3456789" and 'TAXID': '...' (JSON, or a dict's repr).
_KEY_PATTERN = re.compile(
    rf"""((["'])(?:{_NAMES})\2\s*:\s*)("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[^\s,}}\]]+)""",
    re.IGNORECASE,
)


def _mask_quoted(value: str) -> str:
    """The mask, inside the value's own quotes when it had some."""
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return f"{value[0]}{MASK}{value[0]}"
    return MASK


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
    """Mask sensitive values in ``text`` so it can be logged or raised.

    Covers the values of sensitive elements, attributes and keys, and every registered
    secret value.
    """
    if not text:
        return text
    masked = _ELEMENT_PATTERN.sub(
        lambda m: f"{m.group(1)}{MASK if m.group(3) else ''}{m.group(4)}", text
    )
    masked = _ATTRIBUTE_PATTERN.sub(lambda m: f"{m.group(1)}{_mask_quoted(m.group(2))}", masked)
    masked = _KEY_PATTERN.sub(lambda m: f"{m.group(1)}{_mask_quoted(m.group(3))}", masked)
    pattern = _registry.pattern
    if pattern is not None:
        masked = pattern.sub(MASK, masked)
    return masked


class RedactingFilter(logging.Filter):
    """Logging filter that rewrites each record's message through :func:`redact`."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact the record's formatted message in place; always keeps the record."""
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
