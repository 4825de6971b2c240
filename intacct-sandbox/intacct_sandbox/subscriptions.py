"""Which applications (modules) the sandbox company subscribes, and what that changes.

A real company only subscribes some of Intacct's applications. docs/protocol.md (§4.12)
says only that `getUserPermissions` lists an `appSubscription` per subscribed application
(TAP gates its fixed-assets stream on an `applicationName` of "Fixed Assets"); it is
silent on how the data functions answer for an object of an unsubscribed application.
Emulator choice, documented here:

* `inspect *` still lists the object and `inspect`/`lookup` still describe it (metadata is
  the catalog of the product; the sandbox already answers metadata regardless of the
  user's permissions, see functions/meta.py).
* `query`, `readByQuery`, `read`, `readByName` fail exactly as for an object the user has
  no permission on: errorno `PL04000005`, description `Permission Denied`, description2
  `You do not have permission for API operation <OP> on objects of type <object>`. The
  unsubscribed objects are added to every user's denied-objects list when the database
  is seeded, so the existing permission check of the read functions applies unchanged.
* `getUserPermissions` lists no `appSubscription` for the application (and no policy for
  its objects), for every user; the objects hold no rows.

Default: every application except Fixed Assets (FA). Configure with the environment
variable INTACCT_SANDBOX_SUBSCRIPTIONS, read when a database is created (seeded) and stored
in it (`_sandbox_meta.subscriptions`, so a reset keeps it; an existing seeded file keeps
what it was seeded with):

    unset or "default"   every application except FA
    "all"                every application
    "GL,AP,AR,CO"        exactly these (module codes or application names; CO and
                         PLATFORM are always subscribed)
    "+FA" / "-EE,-PO"    the default plus / minus these
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Mapping

from intacct_sandbox.catalog import all_objects

ENV_VAR = "INTACCT_SANDBOX_SUBSCRIPTIONS"
META_KEY = "subscriptions"

APPLICATIONS: dict[str, str] = {
    "GL": "General Ledger",
    "AP": "Accounts Payable",
    "AR": "Accounts Receivable",
    "CM": "Cash Management",
    "CO": "Company",
    "PA": "Projects",
    "INV": "Inventory Control",
    "PO": "Purchasing",
    "SO": "Order Entry",
    "EE": "Time & Expenses",
    "FA": "Fixed Assets",
    "CN": "Contracts",
    "TX": "Taxes",
    "PLATFORM": "Platform Services",
}
ALWAYS: frozenset[str] = frozenset({"CO", "PLATFORM"})
DEFAULT_UNSUBSCRIBED: frozenset[str] = frozenset({"FA"})


def application_name(module: str) -> str:
    """The applicationName `getUserPermissions` shows for a catalog module code."""
    return APPLICATIONS.get(module.upper(), APPLICATIONS["CO"])


def _module_code(token: str) -> str:
    wanted = token.strip()
    for code, name in APPLICATIONS.items():
        if wanted.upper() == code or wanted.lower() == name.lower():
            return code
    raise ValueError(
        f"{ENV_VAR}: unknown application {wanted!r} (use one of {', '.join(APPLICATIONS)})"
    )


def parse(value: str | None) -> frozenset[str]:
    """Subscribed module codes for a setting value (see the module docstring)."""
    everything = frozenset(APPLICATIONS)
    default = everything - DEFAULT_UNSUBSCRIBED
    text = (value or "").strip()
    if not text or text.lower() == "default":
        return default
    if text.lower() == "all":
        return everything
    tokens = [t.strip() for t in text.split(",") if t.strip()]
    if all(t[0] in "+-" for t in tokens):
        chosen = set(default)
        for token in tokens:
            code = _module_code(token[1:])
            if token[0] == "+":
                chosen.add(code)
            else:
                chosen.discard(code)
        return frozenset(chosen) | ALWAYS
    if any(t[0] in "+-" for t in tokens):
        raise ValueError(f"{ENV_VAR}: mix of +/- and plain names in {text!r}")
    return frozenset(_module_code(t) for t in tokens) | ALWAYS


def configured(environ: Mapping[str, str] | None = None) -> frozenset[str]:
    """Subscribed module codes from the environment (used when seeding)."""
    env = os.environ if environ is None else environ
    return parse(env.get(ENV_VAR))


def unsubscribed_objects(subscribed: Iterable[str]) -> frozenset[str]:
    """Names of catalog objects whose module is not subscribed."""
    modules = set(subscribed)
    return frozenset(o.name for o in all_objects() if o.module.upper() not in modules)


def store(conn: sqlite3.Connection, subscribed: Iterable[str]) -> None:
    conn.execute(
        "INSERT OR REPLACE INTO _sandbox_meta (key, value) VALUES (?, ?)",
        (META_KEY, ",".join(sorted(subscribed))),
    )


def subscribed_modules(conn: sqlite3.Connection) -> frozenset[str]:
    """What the database was seeded with (a file from before subscriptions: every module)."""
    row = conn.execute("SELECT value FROM _sandbox_meta WHERE key = ?", (META_KEY,)).fetchone()
    if row is None:
        return frozenset(APPLICATIONS)
    return frozenset(x for x in str(row[0]).split(",") if x)


def deny_unsubscribed(conn: sqlite3.Connection, subscribed: Iterable[str]) -> None:
    """Add the unsubscribed objects to every user's denied-objects list."""
    extra = unsubscribed_objects(subscribed)
    if not extra:
        return
    rows = conn.execute("SELECT login_id, denied_objects FROM _sandbox_users").fetchall()
    for login, denied in rows:
        names = {x for x in str(denied).split(",") if x} | extra
        conn.execute(
            "UPDATE _sandbox_users SET denied_objects = ? WHERE login_id = ?",
            (",".join(sorted(names)), login),
        )
