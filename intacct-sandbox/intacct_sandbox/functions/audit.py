"""AUDITHISTORY rows for every create, update and delete made through the API.

The row itself is written by `store.write_audit` (shared with the control API, so all
audit rows look alike); this module decides what a write-side row says: the object key
(RECORDNO, or LOGINID for USERINFO as in protocol.md §7), the access mode code and SOURCE `api`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from intacct_sandbox.catalog import ObjectDef
from intacct_sandbox.functions.common import CallContext
from intacct_sandbox.store import write_audit, write_audits

CREATE = "C"
MODIFY = "M"
DELETE = "D"


def audit_key(obj: ObjectDef, record: Mapping[str, Any]) -> str:
    """OBJECTKEY: the RECORDNO, except USERINFO which is keyed by its login id."""
    if obj.name == "USERINFO" and record.get("LOGINID"):
        return str(record["LOGINID"])
    return str(record[obj.key_field])


def describe(obj: ObjectDef, record: Mapping[str, Any]) -> str:
    """OBJECTDESC: the record's ID (or name) when it has one, as the audit trail lists it."""
    for field_id in (obj.id_field, "NAME", "TITLE", "BATCH_TITLE", "RECORDID"):
        if field_id and record.get(field_id):
            return str(record[field_id])
    return ""


def record_write(
    ctx: CallContext, obj: ObjectDef, record: Mapping[str, Any], access_mode: str
) -> int:
    """Append the audit row for one written record; returns the AUDITHISTORY RECORDNO."""
    return write_audit(
        ctx.conn,
        obj.name,
        audit_key(obj, record),
        access_mode,
        user_id=ctx.user_id,
        now=ctx.now,
        source="api",
        description=describe(obj, record),
    )


def record_writes(
    ctx: CallContext, obj: ObjectDef, records: Sequence[Mapping[str, Any]], access_mode: str
) -> None:
    """`record_write` for several records of one object, in one statement, in order."""
    write_audits(
        ctx.conn,
        obj.name,
        [(audit_key(obj, record), describe(obj, record)) for record in records],
        access_mode,
        user_id=ctx.user_id,
        now=ctx.now,
        source="api",
    )
