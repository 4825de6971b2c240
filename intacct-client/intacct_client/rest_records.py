"""REST records as flat dicts: nested groups and references become dotted keys.

Whether Intacct's query service nests referenced fields (``{"vendor": {"id": ...}}``) or
answers them under dotted keys (``{"vendor.id": ...}``) is not settled by the public
record (docs/protocol-rest.md §3), so both are read into the same flat record, whose
keys are the field paths the caller asked for. Values stay as the JSON gave them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from intacct_client.results import Record


def flatten_record(payload: Mapping[str, Any], prefix: str = "") -> Record:
    """``{"audit": {"modifiedDateTime": x}}`` -> ``{"audit.modifiedDateTime": x}``.

    Keys that already hold dots are kept as they are; lists (owned lines of a record
    read in full) are kept as the JSON gave them, each line left nested.
    """
    flat: Record = {}
    _flatten_into(flat, payload, prefix)
    return flat


def _flatten_into(flat: Record, payload: Mapping[str, Any], prefix: str) -> None:
    """Write `payload`'s leaves into `flat` (one dict per record: pages hold thousands)."""
    for name, value in payload.items():
        if value.__class__ is dict or isinstance(value, Mapping):
            _flatten_into(flat, value, f"{prefix}{name}.")
        else:
            flat[f"{prefix}{name}" if prefix else name] = value
