"""Start and drive a real `intacct-sandbox serve` process for tests and benchmarks.

Every integration test talks HTTP to a sandbox started this way: no HTTP mocking.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

LISTENING = re.compile(r"listening on (http://[^\s/]+)(/ia/xml/xmlgw\.phtml)")

DEFAULT_CREDENTIALS: dict[str, str] = {
    "company_id": "SANDBOX-CO",
    "sender_id": "sandbox_sender",
    "sender_password": "sandbox-sender-pass",
    "user_id": "sandbox_user",
    "user_password": "sandbox-user-pass",
}
READONLY_CREDENTIALS: dict[str, str] = {
    **DEFAULT_CREDENTIALS,
    "user_id": "readonly_user",
    "user_password": "readonly-user-pass",
}
SECRETS: tuple[str, ...] = (
    "sandbox-sender-pass",
    "sandbox-user-pass",
    "readonly-user-pass",
)


@dataclass
class Sandbox:
    """A running sandbox: its URLs and a small client for the control API."""

    base_url: str
    api_url: str
    db_path: Path
    process: subprocess.Popen[str]
    log_path: Path
    options: dict[str, Any] = field(default_factory=dict)

    def config(self, **overrides: Any) -> dict[str, Any]:
        """Tap/target/client config pointing at this sandbox with default credentials."""
        return {**DEFAULT_CREDENTIALS, "api_url": self.api_url, **overrides}

    def control(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(  # noqa: S310 - loopback control API
            f"{self.base_url}/_sandbox/{path.lstrip('/')}",
            data=data,
            method=method,
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(req, timeout=120) as resp:  # noqa: S310
            raw = resp.read()
        return json.loads(raw) if raw else None

    def stats(self) -> dict[str, Any]:
        return self.control("GET", "stats")

    def records(self, obj: str) -> list[dict[str, Any]]:
        return self.control("GET", f"records/{obj}")

    def fault(
        self,
        kind: str,
        count: int = 1,
        function: str | None = None,
        obj: str | None = None,
        **extra: Any,
    ) -> Any:
        body = {"kind": kind, "count": count, "function": function, "object": obj, **extra}
        return self.control("POST", "faults", body)

    def touch(self, obj: str, recordnos: list[int]) -> Any:
        return self.control("POST", "touch", {"object": obj, "recordnos": recordnos})

    def delete(self, obj: str, recordnos: list[int]) -> Any:
        return self.control("POST", "delete", {"object": obj, "recordnos": recordnos})

    def freeze_clock(self, iso: str) -> Any:
        return self.control("POST", "clock", {"freeze": iso})

    def unfreeze_clock(self) -> Any:
        return self.control("POST", "clock", {"unfreeze": True})

    def variants(self) -> dict[str, str]:
        return self.control("GET", "variants")

    def reset(self) -> Any:
        return self.control("POST", "reset", {})

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def start_sandbox(
    *,
    db_path: Path | None = None,
    seed: str = "demo",
    scale: int | None = None,
    latency_ms: int | None = None,
    max_concurrent: int | None = None,
    timezone: str | None = None,
    session_timeout_s: int | None = None,
    extra_args: list[str] | None = None,
    variants: dict[str, str] | None = None,
    startup_timeout_s: float = 300.0,
) -> Sandbox:
    """Start `intacct-sandbox serve` on a free loopback port and wait for its banner."""
    workdir = Path(tempfile.mkdtemp(prefix="intacct-sandbox-"))
    db = db_path or workdir / "sandbox.db"
    args = [
        sys.executable,
        "-m",
        "intacct_sandbox",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        "0",
        "--db",
        str(db),
        "--seed",
        seed,
    ]
    options: dict[str, Any] = {"seed": seed}
    for flag, value in (
        ("--scale", scale),
        ("--latency-ms", latency_ms),
        ("--max-concurrent", max_concurrent),
        ("--timezone", timezone),
        ("--session-timeout-s", session_timeout_s),
    ):
        if value is not None:
            args += [flag, str(value)]
            options[flag] = value
    for name, value in (variants or {}).items():
        args += ["--variant", f"{name}={value}"]
    if variants:
        options["variants"] = dict(variants)
    args += extra_args or []
    log_path = workdir / "sandbox.log"
    log = log_path.open("w")
    proc = subprocess.Popen(
        args,
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    deadline = time.monotonic() + startup_timeout_s
    assert proc.stdout is not None
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            if proc.poll() is not None:
                break
            continue
        match = LISTENING.search(line)
        if match:
            base = match.group(1)
            return Sandbox(
                base_url=base,
                api_url=base + match.group(2),
                db_path=db,
                process=proc,
                log_path=log_path,
                options=options,
            )
    proc.kill()
    raise RuntimeError(
        f"sandbox did not start (exit {proc.poll()}): {log_path.read_text()[-2000:]}"
    )


@contextmanager
def running_sandbox(**kwargs: Any) -> Iterator[Sandbox]:
    """Context manager form of `start_sandbox` that always stops the process."""
    sandbox = start_sandbox(**kwargs)
    try:
        yield sandbox
    finally:
        sandbox.stop()
