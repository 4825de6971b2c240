"""`intacct-sandbox serve` and `intacct-sandbox seed`."""

from __future__ import annotations

import argparse
import json
import logging
import signal
import sqlite3
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from types import FrameType
from zoneinfo import ZoneInfo

DEFAULT_TIMEZONE = "America/Los_Angeles"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="intacct-sandbox",
        description="A protocol-faithful local Sage Intacct XML gateway backed by SQLite.",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the gateway")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8085, help="0 picks a free port")
    serve.add_argument("--db", default="intacct-sandbox.db", help="SQLite file (reused if seeded)")
    serve.add_argument("--seed", choices=("demo", "empty"), default="demo")
    serve.add_argument("--scale", type=int, default=1)
    serve.add_argument("--latency-ms", type=int, default=0, help="added to every XML and REST call")
    serve.add_argument(
        "--max-concurrent",
        type=int,
        default=2,
        help="in-flight XML requests per company (0 = unlimited)",
    )
    serve.add_argument(
        "--timezone",
        default=None,
        help=f"company time zone (IANA); default: the reused database's, else {DEFAULT_TIMEZONE}",
    )
    serve.add_argument(
        "--session-timeout-s", type=float, default=3600.0, help="sliding API session timeout"
    )
    serve.add_argument(
        "--auth-failure-mode",
        choices=("legacy", "modern"),
        default="legacy",
        help="bad user credentials: legacy = HTTP 200 XL03000006, modern = HTTP 401 XMLGW_JPP0002",
    )
    serve.add_argument(
        "--uniqueid-errorno",
        default="XL03000013",
        help="errorno of a repeated uniqueid controlid (emulator-invented)",
    )
    serve.add_argument(
        "--resultid-ttl-s", type=float, default=1800.0, help="idle lifetime of readMore resultIds"
    )
    serve.add_argument(
        "--gzip",
        action="store_true",
        help="gzip responses when the client sends Accept-Encoding: gzip",
    )
    serve.add_argument(
        "--lookup-permissions",
        choices=("enforce", "open"),
        default="enforce",
        help="lookup of an object the user may not read: enforce = PL04000005 (default), "
        "open = describe it anyway (the public record is silent; see README)",
    )
    serve.add_argument(
        "--variant",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="answer an open protocol question one way (repeatable; also "
        "INTACCT_SANDBOX_VARIANTS=name=value,...; see GET /_sandbox/variants)",
    )
    serve.add_argument(
        "--rest-token-ttl-s",
        type=float,
        default=21600.0,
        help="lifetime of a REST OAuth2 access token, in seconds",
    )
    serve.add_argument("--log-level", default="WARNING")

    seed = commands.add_parser("seed", help="create and seed a database file")
    seed.add_argument("--db", required=True)
    seed.add_argument("--scale", type=int, default=1)
    seed.add_argument("--seed", choices=("demo", "empty"), default="demo")
    seed.add_argument("--timezone", default=DEFAULT_TIMEZONE)
    return parser


def _remove_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", ".pristine"):
        candidate = Path(str(path) + suffix)
        if candidate.exists():
            candidate.unlink()


def is_seeded(path: Path) -> bool:
    """A database file whose seeding committed, with the current schema (an older file
    lacks columns the catalog now lists, so it is rebuilt rather than reused)."""
    from intacct_sandbox.db import SCHEMA_VERSION

    return _meta(path, "schema_version") == SCHEMA_VERSION


def _meta(path: Path, key: str) -> str | None:
    if not path.exists() or path.stat().st_size == 0:
        return None
    try:
        conn = sqlite3.connect(str(path))
        try:
            row = conn.execute("SELECT value FROM _sandbox_meta WHERE key = ?", (key,)).fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    return None if row is None else str(row[0])


def ensure_database(path: Path, seed: str, scale: int, timezone: str) -> bool:
    """Reuse a seeded file or create one; keep a pristine copy for resets. True if created."""
    from intacct_sandbox import store
    from intacct_sandbox.control_api import make_pristine_copy, pristine_path

    created = False
    if not is_seeded(path):
        _remove_database(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        store.create_database(str(path), seed, scale, timezone)
        created = True
    if created or not pristine_path(str(path)).exists():
        if created:
            make_pristine_copy(str(path))
        else:
            # An old file without its snapshot: rebuild its seed (deterministic) beside it.
            store.create_database(
                str(pristine_path(str(path))),
                _meta(path, "seed") or seed,
                int(_meta(path, "scale") or scale),
                timezone,
            )
    return created


def serve(args: argparse.Namespace) -> int:
    from intacct_sandbox import store
    from intacct_sandbox.control_api import ControlApi
    from intacct_sandbox.functions import HANDLERS, CallContext, execute_function
    from intacct_sandbox.gateway import Gateway, GatewayConfig
    from intacct_sandbox.server import XML_PATH, SandboxServer

    logging.basicConfig(
        level=args.log_level.upper(),
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    from intacct_sandbox import variants

    try:
        chosen = {**variants.from_environment(), **variants.parse_assignments(args.variant)}
        variants.configure(chosen)
    except variants.VariantError as exc:
        print(f"intacct-sandbox: {exc}", file=sys.stderr)
        return 2
    db_path = Path(args.db).resolve()
    timezone = args.timezone or _meta(db_path, "timezone") or DEFAULT_TIMEZONE
    ZoneInfo(timezone)  # fail fast on a bad zone name
    ensure_database(db_path, args.seed, args.scale, timezone)
    from intacct_sandbox.functions import balances, meta

    meta.LOOKUP_ENFORCES_PERMISSIONS = args.lookup_permissions == "enforce"
    config = GatewayConfig(
        db_path=str(db_path),
        timezone=timezone,
        latency_ms=args.latency_ms,
        max_concurrent=args.max_concurrent,
        session_timeout_s=args.session_timeout_s,
        auth_failure_mode=args.auth_failure_mode,
        uniqueid_errorno=args.uniqueid_errorno,
        resultid_ttl_s=args.resultid_ttl_s,
    )
    gateway = Gateway(
        config,
        execute_function,
        CallContext,
        HANDLERS.__contains__,
        prepare_db=balances.install,
    )
    gateway.prepare()
    from intacct_sandbox.rest.service import RestService
    from intacct_sandbox.rest.tokens import TokenStore

    rest = RestService(gateway, TokenStore(args.rest_token_ttl_s))
    server = SandboxServer(
        (args.host, args.port), gateway, ControlApi(gateway, store), compress=args.gzip, rest=rest
    )
    host, port = str(server.server_address[0]), int(server.server_address[1])
    shown_host = f"[{host}]" if ":" in host else host
    stop = threading.Event()

    def on_signal(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    worker = threading.Thread(
        target=server.serve_forever,
        kwargs={"poll_interval": 0.2},
        name="intacct-sandbox-http",
        daemon=True,
    )
    worker.start()
    print(f"listening on http://{shown_host}:{port}{XML_PATH}", flush=True)
    while not stop.wait(0.5):
        pass
    server.shutdown()
    server.server_close()
    return 0


def seed(args: argparse.Namespace) -> int:
    from intacct_sandbox import store
    from intacct_sandbox.control_api import make_pristine_copy

    path = Path(args.db).resolve()
    _remove_database(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    store.create_database(str(path), args.seed, args.scale, args.timezone)
    seeded_s = time.perf_counter() - started
    make_pristine_copy(str(path))
    conn = sqlite3.connect(str(path))
    try:
        counts = store.record_counts(conn)
    finally:
        conn.close()
    print(
        json.dumps(
            {
                "db": str(path),
                "scale": args.scale,
                "seconds": round(seeded_s, 3),
                "rows": sum(counts.values()),
                "records": counts,
            }
        ),
        flush=True,
    )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "serve":
        return serve(args)
    return seed(args)


if __name__ == "__main__":
    raise SystemExit(main())
