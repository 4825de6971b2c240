"""Which writes leave AUDITHISTORY rows, and how OBJECTTYPE and ACCESSMODE are spelled.

Three open questions (variants, see the package README "Variants"):

* `line_audit`: does Intacct audit owned line objects (GLENTRY, APBILLITEM, ...) and the
  GLDETAIL reporting view? `unaudited` (default) writes audit rows for headers only.
* `audit_accessmode`: ACCESSMODE as codes (C/M/D) or as words; `words` mixes the
  spellings reported for each action, chosen per row so one answer holds several.
* `audit_objecttype`: OBJECTTYPE as the lower-case object name, or an older type name
  where one is known (`legacy`).

The spelling is decided when a row is stored (seed, API writes and the control API all
come here), so `query` filters compare with exactly what the answers show.
"""

from __future__ import annotations

from functools import cache

from intacct_sandbox import variants
from intacct_sandbox.catalog import FieldDef, all_objects

REPORTING_VIEWS: tuple[str, ...] = ("GLDETAIL",)

# Older OBJECTTYPE names (legacy 2.1 function nouns: create_bill, create_invoice; journal
# entries consolidated as `journal` by public sync code). Sources in the README.
LEGACY_OBJECT_TYPES: dict[str, str] = {
    "GLBATCH": "journal",
    "APBILL": "bill",
    "ARINVOICE": "invoice",
}

# Words per access-mode code; rows cycle through the spellings of their code.
ACCESS_MODE_WORDS: dict[str, tuple[str, ...]] = {
    "C": ("Create", "Created"),
    "M": ("Modify", "Modified"),
    "D": ("Delete", "Deleted", "Delete Event"),
    "A": ("Access",),
    "W": ("Workflow",),
    "T": ("Transfer",),
    "U": ("Undelete",),
}


@cache
def line_objects() -> frozenset[str]:
    """Owned line objects of every header in the catalog, plus the GLDETAIL view."""
    owned = {owned.child_object for obj in all_objects() for owned in obj.owned}
    return frozenset(owned | set(REPORTING_VIEWS))


def is_audited(object_name: str) -> bool:
    """Whether a write to `object_name` leaves an AUDITHISTORY row under `line_audit`."""
    if variants.active("line_audit") == "audited":
        return True
    return object_name.upper() not in line_objects()


def object_type(object_name: str) -> str:
    """OBJECTTYPE as stored: lower-case name, or the legacy name under `legacy`."""
    if variants.active("audit_objecttype") == "legacy":
        legacy = LEGACY_OBJECT_TYPES.get(object_name.upper())
        if legacy is not None:
            return legacy
    return object_name.lower()


def object_types_of(object_name: str) -> tuple[str, ...]:
    """Every OBJECTTYPE spelling one object's rows may carry (for lookups by object)."""
    legacy = LEGACY_OBJECT_TYPES.get(object_name.upper())
    return (object_name.lower(), legacy) if legacy else (object_name.lower(),)


def access_mode(code: str, serial: int) -> str:
    """ACCESSMODE as stored for audit row number `serial` (code, or a word under `words`)."""
    if variants.active("audit_accessmode") != "words":
        return code
    words = ACCESS_MODE_WORDS.get(code.upper())
    if not words:
        return code
    return words[serial % len(words)]


def literal_as_stored(field: FieldDef) -> bool:
    """True when readByQuery literals of `field` must not be turned into codes: under
    `words`, ACCESSMODE is stored (and answered) as words, so a word compares as is."""
    return field.id == "ACCESSMODE" and variants.active("audit_accessmode") == "words"
