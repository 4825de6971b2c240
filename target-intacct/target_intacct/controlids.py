"""Deterministic function controlids: the same write gets the same id on every retry.

With uniqueid=true, Intacct refuses to run a controlid twice, so a request retried after
a timeout or a dropped connection can never post a record twice. The id hashes the
stream, the operation, the natural key, the payload and, for updates, the version of the
existing record we saw (so a later, legitimate update of the same content gets a new id).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]")


def canonical_json(value: Any) -> str:
    """Stable text for hashing (sorted keys, Decimals and dates as strings)."""
    return json.dumps(value, sort_keys=True, default=str, ensure_ascii=False, separators=(",", ":"))


def function_controlid(
    stream: str,
    operation: str,
    natural_key: Sequence[Any],
    payload: Mapping[str, Any] | Sequence[Any],
    basis: Mapping[str, Any] | None = None,
) -> str:
    """`ti-<stream>-<op>-<40 hex>`: readable in logs, unique per content, <= 256 chars."""
    material = canonical_json(
        {
            "stream": stream,
            "operation": operation,
            "key": list(natural_key),
            "payload": payload,
            "basis": basis or {},
        }
    )
    digest = hashlib.sha256(material.encode("utf-8")).hexdigest()[:40]
    prefix = _UNSAFE.sub("_", stream)[:40]
    return f"ti-{prefix}-{operation}-{digest}"
