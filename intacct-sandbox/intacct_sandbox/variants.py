"""Switchable answers to the questions Intacct's public record leaves open.

The sandbox must not quietly pick one answer where Intacct's documentation, SDKs and
captured responses are silent: each such behaviour is a named variant with a default
and every plausible alternative, chosen per process with `serve --variant NAME=VALUE`
(repeatable) or `INTACCT_SANDBOX_VARIANTS="name=value,name=value"`, and reported by
`GET /_sandbox/variants`. Code that behaves differently per variant asks `active(name)`.

The defaults, their reasons and sources are in the package README ("Variants").
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

ENVIRONMENT_VARIABLE = "INTACCT_SANDBOX_VARIANTS"


@dataclass(frozen=True)
class Variant:
    """One open question: its name, the answers offered and the one used by default."""

    name: str
    choices: tuple[str, ...]
    default: str
    summary: str


VARIANTS: tuple[Variant, ...] = (
    Variant(
        "line_audit",
        ("unaudited", "audited"),
        "unaudited",
        "AUDITHISTORY rows for owned lines (GLENTRY, APBILLITEM, ...) and GLDETAIL rows: "
        "unaudited = headers only",
    ),
    Variant(
        "audit_accessmode",
        ("codes", "words"),
        "codes",
        "AUDITHISTORY.ACCESSMODE in query answers: codes (C/M/D) or words (Create/Delete ...)",
    ),
    Variant(
        "audit_objecttype",
        ("object", "legacy"),
        "object",
        "AUDITHISTORY.OBJECTTYPE: the lower-case object name, or older type names "
        "(e.g. journal for GLBATCH) where they exist",
    ),
    Variant(
        "timestamp_zone",
        ("user", "gmt"),
        "user",
        "zone of WHENMODIFIED/WHENCREATED: the user's time-zone preference, or GMT",
    ),
    Variant(
        "auwhencreated_zone",
        ("gmt", "user"),
        "gmt",
        "zone of AUWHENCREATED: GMT, or the same zone as WHENMODIFIED",
    ),
    Variant(
        "user_timezone",
        ("offset", "iana"),
        "offset",
        "the user's time-zone preference: a fixed UTC offset (no daylight saving) or an "
        "IANA zone that follows daylight saving",
    ),
    Variant(
        "date_format",
        ("mm/dd/yyyy", "dd/mm/yyyy", "yyyy-mm-dd", "dd.mm.yyyy"),
        "mm/dd/yyyy",
        "the Web Services user's date-format preference, reported by readUserFormatting "
        "and followed by responses",
    ),
    Variant(
        "session_fields",
        ("full", "minimal"),
        "full",
        "getAPISession answers with sessiontimeout and locationid (full) or without (minimal)",
    ),
    Variant(
        "unknown_fields",
        ("reject", "ignore"),
        "reject",
        "a create/update naming a field the object does not have: reject it, or ignore the field",
    ),
    Variant(
        "glaccountbalance_rows",
        ("balance", "activity"),
        "balance",
        "GLACCOUNTBALANCE rows: every period from an account's first activity on, carrying "
        "its balance (balance), or only periods with activity in them (activity)",
    ),
    Variant(
        "supdoc_whenmodified",
        ("absent", "present"),
        "absent",
        "legacy supdoc records (get_list/get): without a modification time, as captured "
        "responses show them (absent), or with whenmodified (present)",
    ),
    Variant(
        "payment_overpayment",
        ("refuse", "accept"),
        "refuse",
        "an AP payment or AR receipt line larger than its bill's/invoice's amount due: refuse "
        "the function, or accept it and leave a negative amount due (a credit)",
    ),
    Variant(
        "po_document_number",
        ("given", "sequence"),
        "given",
        "create_potransaction with a documentno for a transaction definition that numbers its "
        "documents (ENABLE_NUMBERING): keep the given number, or ignore it and number the "
        "document from the definition's sequence",
    ),
    Variant(
        "check_docnumber",
        ("kept", "check_number"),
        "kept",
        "DOCNUMBER of an AP payment made by Printed Check: kept as sent, or replaced by the "
        "check number Intacct assigns (as when the check is printed)",
    ),
    Variant(
        "rest_decimals",
        ("string", "number"),
        "string",
        'REST answers: decimal and currency values as JSON strings ("100.00") or numbers',
    ),
    Variant(
        "rest_oversize",
        ("refuse", "clamp"),
        "refuse",
        "REST query with size above 4000: refused with 400, or served as a 4000-row page",
    ),
    Variant(
        "rest_error_body",
        ("ia_result", "error"),
        "ia_result",
        "REST error bodies: {ia::result: {ia::error: ...}, ia::meta} or {error: ...}",
    ),
    Variant(
        "rest_query_shape",
        ("nested", "dotted"),
        "nested",
        'REST query answers: groups and references nested ({"vendor": {"id": ...}}) or '
        'under flat dotted keys ({"vendor.id": ...})',
    ),
)

_BY_NAME: dict[str, Variant] = {variant.name: variant for variant in VARIANTS}
_active: dict[str, str] = {variant.name: variant.default for variant in VARIANTS}


class VariantError(ValueError):
    """An unknown variant name, or a value that variant does not offer."""


def defaults() -> dict[str, str]:
    """Every variant at its default answer."""
    return {variant.name: variant.default for variant in VARIANTS}


def active(name: str) -> str:
    """The answer this process gives for variant `name`."""
    return _active[name]


def snapshot() -> dict[str, str]:
    """Every variant name with its active value (the body of GET /_sandbox/variants)."""
    return dict(_active)


def validate(assignments: Mapping[str, str]) -> dict[str, str]:
    """Check names and values; returns the assignments normalised to lower case."""
    checked: dict[str, str] = {}
    for raw_name, raw_value in assignments.items():
        name, value = raw_name.strip().lower(), raw_value.strip().lower()
        variant = _BY_NAME.get(name)
        if variant is None:
            known = ", ".join(sorted(_BY_NAME))
            raise VariantError(f"unknown variant {raw_name!r}; known: {known}")
        if value not in variant.choices:
            offered = "|".join(variant.choices)
            raise VariantError(f"variant {name} has no value {raw_value!r}; choose {offered}")
        checked[name] = value
    return checked


def parse_assignments(items: Iterable[str]) -> dict[str, str]:
    """`["a=b", "c=d"]` or comma-separated items into a checked mapping."""
    pairs: dict[str, str] = {}
    for item in items:
        for part in item.split(","):
            if not part.strip():
                continue
            name, sep, value = part.partition("=")
            if not sep:
                raise VariantError(f"variant {part.strip()!r} is not NAME=VALUE")
            pairs[name] = value
    return validate(pairs)


def from_environment(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The assignments in INTACCT_SANDBOX_VARIANTS (empty when unset)."""
    source = os.environ if environ is None else environ
    raw = source.get(ENVIRONMENT_VARIABLE, "")
    return parse_assignments([raw]) if raw.strip() else {}


def configure(assignments: Mapping[str, str]) -> dict[str, str]:
    """Make `assignments` active and every other variant its default; returns the result."""
    checked = validate(assignments)
    _active.clear()
    _active.update(defaults())
    _active.update(checked)
    return snapshot()


@contextmanager
def overridden(**assignments: str) -> Iterator[dict[str, str]]:
    """Run a block (in-process tests) with some variants changed, then restore them."""
    saved = snapshot()
    try:
        _active.update(validate(assignments))
        yield snapshot()
    finally:
        _active.clear()
        _active.update(saved)
