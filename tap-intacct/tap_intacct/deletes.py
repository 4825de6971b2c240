"""Deletions from AUDITHISTORY, read once per run for every selected incremental object.

Intacct has no tombstones on the objects themselves; AUDITHISTORY records each delete
with OBJECTTYPE (the object name in lower case), OBJECTKEY (the RECORDNO, sometimes as
"123--REC") and ACCESSTIME. One query covers all objects (OBJECTTYPE in [...]) to spend
one metered call per run instead of one per stream. Audit history only grows, so offset
paging over ACCESSTIME is safe here: a late row can cause a re-read, never a skip.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from intacct_client import IntacctClient
from intacct_client import filters as f

from tap_intacct.keyset import ASCENDING
from tap_intacct.pages import PageRequest, fetch_page

AUDIT_OBJECT = "AUDITHISTORY"
DELETE_MODES: tuple[str, ...] = ("D",)
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


def read_deletions(
    client: IntacctClient,
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
    types = sorted({name.lower() for name in object_names})
    for start in range(0, len(types), _IN_LIMIT):
        chunk = types[start : start + _IN_LIMIT]
        parts = [f.in_("OBJECTTYPE", chunk), f.in_("ACCESSMODE", list(DELETE_MODES))]
        if lower is not None:
            parts.append(f.gt("ACCESSTIME", lower))
        parts.append(f.le("ACCESSTIME", upper))
        offset = 0
        while True:
            page = fetch_page(
                client,
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
                kind = str(row.get("OBJECTTYPE") or "").lower()
                if when is None or not key:
                    continue
                found[kind].append(Deletion(object_key=str(key), deleted_at=when))
            offset += len(page.records)
            if page.num_remaining <= 0 or not page.records:
                break
    return dict(found)
