"""Deletions from AUDITHISTORY, read once per run for every selected incremental object.

Intacct has no tombstones on the objects themselves; AUDITHISTORY records each delete
with OBJECTTYPE, OBJECTKEY (the RECORDNO, sometimes as "123--REC") and ACCESSTIME. One
query covers all objects (OBJECTTYPE in [...]) to spend one metered call per run instead
of one per stream. Audit history only grows, so offset paging over ACCESSTIME is safe
here: a late row can cause a re-read, never a skip.

How the two filtered columns are spelled is not documented, so the filter accepts every
spelling seen: OBJECTTYPE as the lower-case object name or an older type name (`journal`
for GLBATCH, `bill`, `invoice`), ACCESSMODE as the code `D` or a word (`Delete`,
`Deleted`, `Delete Event`). Rows are mapped back to their object by either name.
Deletes of owned lines may not be audited at all: `key_census` covers those.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from intacct_client import QueryPage
from intacct_client import filters as f

from tap_intacct.keyset import ASCENDING
from tap_intacct.pages import PageRequest

AUDIT_OBJECT = "AUDITHISTORY"
DELETE_MODES: tuple[str, ...] = ("D", "Delete", "Deleted", "Delete Event")
# Older OBJECTTYPE names, by object (see the tap README, "Deletes").
LEGACY_OBJECT_TYPES: dict[str, str] = {
    "GLBATCH": "journal",
    "APBILL": "bill",
    "ARINVOICE": "invoice",
}
AUDIT_FIELDS: tuple[str, ...] = ("OBJECTTYPE", "OBJECTKEY", "ACCESSTIME", "ACCESSMODE")
_IN_LIMIT = 1000


@dataclass(frozen=True)
class Deletion:
    """One deleted record: its key as AUDITHISTORY wrote it and when it was deleted."""

    object_key: str
    deleted_at: datetime


def key_value(object_key: str) -> int | str:
    """RECORDNO from OBJECTKEY ("123" or "123--REC"); non-numeric keys stay text."""
    head = object_key.split("--", 1)[0].strip()
    return int(head) if head.isdigit() else object_key


def object_types(object_names: Sequence[str]) -> dict[str, str]:
    """Every OBJECTTYPE spelling of these objects -> the object's lower-case name."""
    types: dict[str, str] = {}
    for name in object_names:
        types[name.lower()] = name.lower()
        legacy = LEGACY_OBJECT_TYPES.get(name.upper())
        if legacy is not None:
            types.setdefault(legacy, name.lower())
    return types


def is_delete(access_mode: object) -> bool:
    """ACCESSMODE of a delete, in any known spelling (case and spaces ignored)."""
    folded = " ".join(str(access_mode or "").split()).lower()
    return folded in {mode.lower() for mode in DELETE_MODES}


def read_deletions(
    fetch: Callable[[PageRequest], QueryPage],
    object_names: Sequence[str],
    *,
    lower: str | None,
    upper: str,
    parse_time: Callable[[str], datetime | None],
    page_size: int,
    show_private: bool,
) -> dict[str, list[Deletion]]:
    """Deletions with lower < ACCESSTIME <= upper (wire-formatted), by lower-case object."""
    found: dict[str, list[Deletion]] = defaultdict(list)
    owners = object_types(object_names)
    types = sorted(owners)
    for start in range(0, len(types), _IN_LIMIT):
        chunk = types[start : start + _IN_LIMIT]
        parts = [f.in_("OBJECTTYPE", chunk), f.in_("ACCESSMODE", list(DELETE_MODES))]
        if lower is not None:
            parts.append(f.gt("ACCESSTIME", lower))
        parts.append(f.le("ACCESSTIME", upper))
        offset = 0
        while True:
            page = fetch(
                PageRequest(
                    object_name=AUDIT_OBJECT,
                    fields=AUDIT_FIELDS,
                    filter=f.and_(*parts),
                    order_by=(("ACCESSTIME", ASCENDING),),
                    page_size=page_size,
                    offset=offset,
                    show_private=show_private,
                ),
            )
            for row in page.records:
                when = parse_time(str(row.get("ACCESSTIME") or ""))
                key = row.get("OBJECTKEY")
                kind = owners.get(str(row.get("OBJECTTYPE") or "").strip().lower())
                if when is None or not key or kind is None or not is_delete(row.get("ACCESSMODE")):
                    continue
                found[kind].append(Deletion(object_key=str(key), deleted_at=when))
            offset += len(page.records)
            if page.num_remaining <= 0 or not page.records:
                break
    return dict(found)
