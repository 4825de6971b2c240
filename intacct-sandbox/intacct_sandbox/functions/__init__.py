"""Function handlers: the seam between the gateway half and the data half.

Public names (see docs/sandbox-internals.md): `execute_function`, `CallContext`,
`FunctionOutcome`, `ErrorSpec`, `FunctionError`, `register`. Handler families live in
one module each and register themselves on import: `read` (query, readByQuery, readMore,
read, readByName), `meta` (inspect, lookup, readUserFormatting, ...), and, when present,
`write` (create/update/delete) and `legacy` (create_invoice, ...).
"""

from __future__ import annotations

import importlib

from intacct_sandbox.functions.common import (
    HANDLERS,
    CallContext,
    ErrorSpec,
    FunctionError,
    FunctionOutcome,
    execute_function,
    register,
)

__all__ = [
    "HANDLERS",
    "CallContext",
    "ErrorSpec",
    "FunctionError",
    "FunctionOutcome",
    "execute_function",
    "register",
]

# "company" loads last: its getDimensions/getUserPermissions replace meta's
for _module in ("read", "meta", "write", "legacy", "purchasing", "company"):
    try:
        importlib.import_module(f"{__name__}.{_module}")
    except ModuleNotFoundError as _exc:  # a family not written yet; anything else is a bug
        if _exc.name != f"{__name__}.{_module}":
            raise
