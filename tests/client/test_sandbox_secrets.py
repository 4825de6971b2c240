"""Integration: no secret in any log line (DEBUG) or exception during a full session."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from intacct_client import Function, IntacctClient, IntacctError, redaction

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from sandbox_process import SECRETS

MakeClient = Callable[..., IntacctClient]


def test_no_secret_in_debug_logs_or_errors(
    clean_sandbox: Any,
    make_client: MakeClient,
    caplog: pytest.LogCaptureFixture,
    readonly_credentials: dict[str, str],
) -> None:
    messages: list[str] = []
    with caplog.at_level(logging.DEBUG):
        client = make_client(clean_sandbox, max_retries=1)
        client.list_objects()
        client.lookup("VENDOR")
        client.query("VENDOR", ["RECORDNO", "NAME"], page_size=3)
        list(client.read_by_query("CLASS", "", page_size=2))
        client.execute(
            [
                Function("create", [("CLASS", {"CLASSID": "SECRET1", "NAME": "x"})]),
                Function("create", [("CLASS", {"CLASSID": "SECRET1", "NAME": "x"})]),
            ]
        )
        for kind in ("http_500", "malformed_xml", "drop_connection", "session_expired"):
            clean_sandbox.fault(kind, 1, function="query")
            client.query("VENDOR", ["RECORDNO"], page_size=1)
        clean_sandbox.fault("http_503", 2, function="query")  # max_retries=1: 2 attempts
        with pytest.raises(IntacctError) as persistent:
            client.query("VENDOR", ["RECORDNO"], page_size=1)
        messages.append(str(persistent.value))
        for bad in ({"user_password": "wrong-pass-1"}, {"sender_password": "wrong-pass-2"}):
            with pytest.raises(IntacctError) as failure:
                make_client(clean_sandbox, **bad).list_objects()
            messages.append(str(failure.value))
            messages.append(repr(failure.value))
        readonly = make_client(clean_sandbox, **readonly_credentials)
        readonly.list_objects()
        session_ids = [
            client._sessions.current().session_id,
            readonly._sessions.current().session_id,
        ]
    # Every session id the clients obtained was registered as a secret on the way.
    registered = set(redaction._registry.values)
    assert set(session_ids) <= registered
    assert client.login_count >= 2
    text = caplog.text + "\n".join(messages)
    assert "<sessionid>***</sessionid>" in text  # the debug bodies were logged, redacted
    assert "<password>***</password>" in text
    for secret in (*SECRETS, "wrong-pass-1", "wrong-pass-2", *registered):
        assert secret not in text, "a secret reached the logs"
    for record in caplog.records:
        assert all(secret not in record.getMessage() for secret in SECRETS)
