"""The JSON control API under /_sandbox/ (loopback clients only).

Data operations come from store.py (data half); faults, clock, stats and reset are the
gateway's own state.
"""

from __future__ import annotations

import ipaddress
import json
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from intacct_sandbox import db, variants
from intacct_sandbox.clock import parse_instant
from intacct_sandbox.functions import attachments
from intacct_sandbox.gateway import Gateway


class ControlError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def is_loopback_address(address: str) -> bool:
    """True for 127.0.0.0/8, ::1 and IPv4-mapped loopback (::ffff:127.0.0.1)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped.is_loopback
    return ip.is_loopback


def pristine_path(db_path: str) -> Path:
    """Where the untouched seeded copy lives (restored by POST /_sandbox/reset)."""
    return Path(db_path + ".pristine")


def backup_file(source: str | Path, target: str | Path) -> None:
    """Copy a SQLite database with the backup API (consistent even while it is open)."""
    src = sqlite3.connect(str(source))
    dst = sqlite3.connect(str(target), timeout=60.0)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


class ControlApi:
    """Routes /_sandbox/<path> to handlers; returns (status, JSON-able payload)."""

    def __init__(self, gateway: Gateway, store: Any) -> None:
        self.gateway = gateway
        self.store = store

    def handle(self, method: str, path: str, body: bytes) -> tuple[int, Any]:
        route = path[len("/_sandbox/") :].strip("/")
        try:
            payload = json.loads(body) if body.strip() else {}
        except json.JSONDecodeError:
            return 400, {"error": "body is not JSON"}
        if not isinstance(payload, dict):
            return 400, {"error": "body must be a JSON object"}
        handlers: dict[tuple[str, str], Callable[[dict[str, Any]], Any]] = {
            ("GET", "stats"): self.stats,
            ("GET", "faults"): lambda _p: self.gateway.faults.pending(),
            ("POST", "faults"): self.add_fault,
            ("DELETE", "faults"): self.clear_faults,
            ("POST", "touch"): self.touch,
            ("POST", "delete"): self.delete,
            ("POST", "clock"): self.clock,
            ("GET", "clock"): self.clock_state,
            ("POST", "reset"): self.reset,
            ("GET", "variants"): lambda _p: variants.snapshot(),
            ("GET", "attachments"): lambda _p: self._with_conn(attachments.stored_documents),
        }
        try:
            if method == "GET" and route.startswith("records/"):
                return 200, self.records(route[len("records/") :])
            handler = handlers.get((method, route))
            if handler is None:
                return 404, {"error": f"no control route {method} /_sandbox/{route}"}
            return 200, handler(payload)
        except ControlError as exc:
            return exc.status, {"error": exc.message}
        except (KeyError, ValueError, TypeError) as exc:
            return 400, {"error": str(exc)}

    # ------------------------------------------------------------------ handlers
    def _with_conn(self, work: Callable[[sqlite3.Connection], Any]) -> Any:
        conn = self.gateway.connect()
        try:
            return work(conn)
        finally:
            conn.close()

    def stats(self, _payload: dict[str, Any]) -> dict[str, Any]:
        snapshot = self.gateway.stats.snapshot()
        snapshot["records"] = self._with_conn(self.store.record_counts)
        return snapshot

    def records(self, object_name: str) -> Any:
        try:
            return self._with_conn(lambda c: self.store.all_records(c, object_name.upper()))
        except (KeyError, ValueError, LookupError) as exc:
            raise ControlError(404, f"unknown object {object_name!r}: {exc}") from None

    def add_fault(self, payload: dict[str, Any]) -> dict[str, Any]:
        fault = self.gateway.faults.add(payload)
        return {
            "queued": fault.kind,
            "count": fault.remaining,
            "pending": self.gateway.faults.pending(),
        }

    def clear_faults(self, _payload: dict[str, Any]) -> dict[str, Any]:
        self.gateway.faults.clear()
        return {"pending": []}

    def _object_and_recordnos(self, payload: dict[str, Any]) -> tuple[str, list[int]]:
        object_name = str(payload["object"]).upper()
        recordnos = [int(r) for r in payload.get("recordnos") or []]
        return object_name, recordnos

    def touch(self, payload: dict[str, Any]) -> dict[str, Any]:
        object_name, recordnos = self._object_and_recordnos(payload)
        now = self.gateway.clock.now()

        def work(conn: sqlite3.Connection) -> int:
            conn.execute("BEGIN IMMEDIATE")
            try:
                count = int(self.store.touch_records(conn, object_name, recordnos, now))
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
            return count

        return {"object": object_name, "count": self._with_conn(work), "now": now.isoformat()}

    def delete(self, payload: dict[str, Any]) -> dict[str, Any]:
        object_name, recordnos = self._object_and_recordnos(payload)
        now = self.gateway.clock.now()

        def work(conn: sqlite3.Connection) -> int:
            user = db.user_row(conn, "sandbox_user")
            user_recordno = user.user_recordno if user else 1
            conn.execute("BEGIN IMMEDIATE")
            try:
                count = int(
                    self.store.delete_records(conn, object_name, recordnos, now, user_recordno)
                )
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
            return count

        return {"object": object_name, "count": self._with_conn(work)}

    def clock(self, payload: dict[str, Any]) -> dict[str, Any]:
        if payload.get("unfreeze"):
            self.gateway.clock.unfreeze()
        elif payload.get("freeze"):
            self.gateway.clock.freeze(parse_instant(str(payload["freeze"])))
        else:
            raise ControlError(400, 'expected {"freeze": ISO} or {"unfreeze": true}')
        return self.clock_state(payload)

    def clock_state(self, _payload: dict[str, Any]) -> dict[str, Any]:
        frozen = self.gateway.clock.frozen
        return {
            "frozen": frozen.isoformat() if frozen else None,
            "now": self.gateway.clock.now().isoformat(),
        }

    def reset(self, _payload: dict[str, Any]) -> dict[str, Any]:
        """Restore the pristine seed, clear faults, stats and resultIds, unfreeze the clock.

        Sessions stay valid (they are re-persisted into the restored file), so a test
        fixture can reset between tests without every client logging in again.
        """
        gateway = self.gateway
        source = pristine_path(gateway.config.db_path)
        if not source.exists():
            raise ControlError(409, "no pristine copy of the seeded database to restore")
        with gateway.exclusive():
            backup_file(source, gateway.config.db_path)
            gateway.prepare_after_restore()
        gateway.faults.clear()
        gateway.clock.unfreeze()
        gateway.result_store.clear()
        gateway.stats.clear()
        return {"reset": True}


def make_pristine_copy(db_path: str) -> None:
    """Snapshot the freshly seeded database for later resets."""
    target = pristine_path(db_path)
    tmp = Path(str(target) + ".tmp")
    if tmp.exists():
        tmp.unlink()
    backup_file(db_path, tmp)
    shutil.move(str(tmp), str(target))
