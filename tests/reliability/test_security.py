"""Secrets never leak; the gateway rejects every wrong credential; the control API is
loopback-only and unreachable through the XML endpoint.

The autouse `leak_scan` fixture scans what every reliability test captured; this module
also proves the scanner is armed (it finds a password and a live session id when they
are there) and runs the whole stack at DEBUG with sessions renewed mid-run.
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
import socket
import time
import traceback
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from intacct_client import ClientConfig, IntacctClient, IntacctError
from raw_envelopes import RawAnswer, envelope, function, new_session, post, session_auth
from reliability_kit import (
    CAPTURE,
    Capture,
    fast_tap_config,
    fast_target_config,
    run_tap_captured,
    run_target_captured,
)
from sandbox_process import DEFAULT_CREDENTIALS, SECRETS
from tap_helpers import select
from target_helpers import singer_lines
from target_inputs import STREAM_KINDS, unified_load

CREATE_PROBE = function(
    "<create><VENDOR><VENDORID>SEC-PROBE</VENDORID><NAME>Security probe</NAME></VENDOR></create>"
)


def _probe_landed(box: Any) -> bool:
    return any(v["VENDORID"] == "SEC-PROBE" for v in box.records("VENDOR"))


def _statuses(answer: RawAnswer) -> dict[str, str]:
    root = answer.root()
    found = {}
    for block in ("control", "authentication", "result"):
        element = root.find(f".//{block}/status")
        if element is not None:
            found[block] = element.text or ""
    return found


# ------------------------------------------------------------------ the scanner itself
def test_the_leak_scanner_finds_passwords_and_live_session_ids(sandbox: Any) -> None:
    session_id, _ = new_session(sandbox.api_url)
    probe = Capture()
    probe.track(sandbox)
    assert hashlib.sha256(session_id.encode()).hexdigest() in probe.stored_session_digests()
    probe.add("clean text", "nothing to see here; session=*** password=***")
    assert probe.findings() == []
    probe.add("glued session id", f"token:{session_id}tail")  # not registered as known
    probe.add("a log line", f"sender {DEFAULT_CREDENTIALS['sender_password']} oops")
    found = probe.findings()
    assert "a live sandbox session id appears in glued session id" in found
    assert "a password appears in a log line" in found
    # A forged id of the same shape is not a live session (no false alarm).
    forged = Capture()
    forged.track(sandbox)
    forged.add("forged", secrets.token_urlsafe(24).replace("-", "A") + "..")
    assert forged.findings() == []


# ------------------------------------------------------------------ everything at DEBUG
def test_no_secret_anywhere_across_tap_target_client_and_sandbox_at_debug(
    sandbox_factory: Any, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    box = CAPTURE.track(sandbox_factory(extra_args=["--log-level", "DEBUG"]))

    # 1. The client in-process, at DEBUG: a session, an expired session (re-login), a
    # function error and a transport error, with their exception texts and tracebacks.
    config = ClientConfig.from_mapping(
        box.config(max_retries=1, backoff_base=0.01, backoff_max=0.02)
    )
    assert not any(secret in repr(config) for secret in SECRETS)
    with caplog.at_level(logging.DEBUG), IntacctClient(config) as client:
        client.query("VENDOR", ["RECORDNO", "NAME"], page_size=5)
        CAPTURE.session_ids.add(client._sessions.current().session_id)
        box.fault("session_expired", count=1, function="query")
        client.query("CUSTOMER", ["RECORDNO"], page_size=5)
        CAPTURE.session_ids.add(client._sessions.current().session_id)
        assert client.login_count == 2
        box.fault("http_500", count=5, function="query")
        for failing in (
            lambda: client.query("NOSUCHOBJECT", ["RECORDNO"]),
            lambda: client.query("VENDOR", ["RECORDNO"]),
        ):
            with pytest.raises(IntacctError) as caught:
                failing()
            CAPTURE.add("client exception", str(caught.value) + "\n" + repr(caught.value))
            CAPTURE.add("client traceback", "".join(traceback.format_exception(caught.value)))
        box.control("DELETE", "faults")
        CAPTURE.add("client repr", repr(client))
    CAPTURE.add("client DEBUG log", caplog.text)
    assert "request to" in caplog.text  # DEBUG bodies were logged (redacted)
    assert "<sessionid>" in caplog.text

    # 2. Raw sessions of our own, known by id.
    for _ in range(2):
        session_id, _answer = new_session(box.api_url)
        CAPTURE.session_ids.add(session_id)

    # 3. The tap at DEBUG: discovery (catalog), a sync with a re-login mid-stream (STATE).
    discovered = run_tap_captured(
        fast_tap_config(box, objects=["VENDOR", "CUSTOMER"]), extra=["--discover"]
    )
    assert discovered.returncode == 0, discovered.stderr[-2000:]
    catalog = json.loads(discovered.stdout)
    box.fault("session_expired", count=1, function="query", obj="VENDOR")
    tap = run_tap_captured(
        fast_tap_config(box, page_size=20), select(catalog, ["vendor", "customer"])
    )
    assert tap.returncode == 0, tap.stderr[-2000:]
    assert "DEBUG" in tap.stderr
    assert tap.states

    # 4. The target at DEBUG, with a lost answer (retry) and a bad record.
    data = unified_load("SEC", 2)
    data["Bills"][0]["issueDate"] = "2025-13-01"
    box.fault("commit_then_drop", count=1, function="create")
    target = run_target_captured(
        fast_target_config(box, fail_on_error=False), singer_lines(data), tmp_path
    )
    assert target.returncode == 0, target.stderr[-2000:]
    assert "DEBUG" in target.stderr
    assert len(target.results) == 2 * len(STREAM_KINDS)

    # The sandbox handed out several sessions, all of them known to the scanner.
    assert len(CAPTURE.stored_session_digests()) >= 5
    assert CAPTURE.findings() == []


# ------------------------------------------------------------------ wrong credentials
WRONG_CREDENTIALS = {
    "wrong sender id": ({"sender_id": "intruder_sender"}, "control"),
    "wrong sender password": ({"sender_password": "guess-1234"}, "control"),
    "wrong user id": ({"user_id": "intruder"}, "authentication"),
    "wrong user password": ({"user_password": "guess-1234"}, "authentication"),
    "wrong company": ({"company_id": "OTHER-CO"}, "authentication"),
    "empty user password": ({"user_password": ""}, "authentication"),
}


@pytest.mark.parametrize("case", sorted(WRONG_CREDENTIALS))
def test_gateway_rejects_wrong_credentials(clean_sandbox: Any, case: str) -> None:
    box = CAPTURE.track(clean_sandbox)
    credentials, level = WRONG_CREDENTIALS[case]
    for body in (CREATE_PROBE, function("<getAPISession/>")):
        answer = post(box.api_url, envelope(body, credentials=credentials))
        CAPTURE.add(f"answer to {case}", answer.body)
        assert answer.status == 200, answer.text
        statuses = _statuses(answer)
        assert statuses[level] == "failure", (case, statuses)
        assert "result" not in statuses, f"{case}: a function ran"
        assert "XL03000006" in answer.find_text("errorno"), answer.text
        assert answer.find_text("sessionid") == []
    assert not _probe_landed(box)
    assert box.stats()["functions"] == {}


def _session_rejected(box: Any, session_id: str) -> None:
    answer = post(box.api_url, envelope(CREATE_PROBE, auth=session_auth(session_id)))
    CAPTURE.add("answer to a bad session", answer.body)
    statuses = _statuses(answer)
    assert statuses.get("control") == "success", answer.text
    assert statuses.get("authentication") == "failure", answer.text
    assert "result" not in statuses
    assert "XL03000006" in answer.find_text("errorno")
    assert "Invalid session" in answer.text
    assert not _probe_landed(box)


def test_gateway_rejects_forged_tampered_and_foreign_session_ids(
    clean_sandbox: Any, sandbox_factory: Any
) -> None:
    box = CAPTURE.track(clean_sandbox)
    real, _ = new_session(box.api_url)
    CAPTURE.session_ids.add(real)
    tampered = real[:5] + ("A" if real[5] != "A" else "B") + real[6:]
    forged = secrets.token_urlsafe(24).replace("-", "A") + ".."
    for bad in (tampered, forged, real + "x", real[:-2], "", "' OR 1=1 --", "*" * 5000):
        _session_rejected(box, bad)
    other = CAPTURE.track(sandbox_factory())
    foreign, _ = new_session(other.api_url)
    CAPTURE.session_ids.add(foreign)
    _session_rejected(box, foreign)  # a session of another gateway instance
    # The real one still works (the rejections did not rely on a broken envelope).
    answer = post(box.api_url, envelope(CREATE_PROBE, auth=session_auth(real)))
    CAPTURE.add("answer with the real session", answer.body)
    assert _statuses(answer)["result"] == "success", answer.text
    assert _probe_landed(box)


def test_gateway_rejects_an_expired_session(sandbox_factory: Any) -> None:
    box = CAPTURE.track(sandbox_factory(session_timeout_s=1))
    session_id, _ = new_session(box.api_url)
    CAPTURE.session_ids.add(session_id)
    time.sleep(2.2)
    _session_rejected(box, session_id)


# ------------------------------------------------------------------ control API
def _non_loopback_ipv4() -> str | None:
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("192.0.2.254", 9))  # no packet is sent for a UDP connect
        address = str(probe.getsockname()[0])
    except OSError:
        return None
    finally:
        probe.close()
    return None if address.startswith("127.") or address == "0.0.0.0" else address  # noqa: S104


def _http(method: str, url: str, body: bytes | None = None, **headers: str) -> int:
    request = urllib.request.Request(url, data=body, method=method, headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as resp:  # noqa: S310
            return int(resp.status)
    except urllib.error.HTTPError as err:
        return int(err.code)


def test_control_api_answers_only_loopback_clients(sandbox_factory: Any) -> None:
    address = _non_loopback_ipv4()
    if address is None:
        pytest.skip("this machine has no non-loopback IPv4 address to test from")
    box = CAPTURE.track(sandbox_factory(extra_args=["--host", "0.0.0.0"]))  # noqa: S104
    port = box.base_url.rsplit(":", 1)[1]
    outside = f"http://{address}:{port}"
    spoof = {"X-Forwarded-For": "127.0.0.1", "X-Real-IP": "127.0.0.1", "Host": "127.0.0.1"}
    json_headers = {"Content-Type": "application/json", **spoof}
    fault = json.dumps({"kind": "http_500", "count": 5}).encode()
    assert _http("GET", f"{outside}/_sandbox/stats", **spoof) == 403
    assert _http("GET", f"{outside}/_sandbox/records/VENDOR", **spoof) == 403
    assert _http("POST", f"{outside}/_sandbox/faults", fault, **json_headers) == 403
    assert _http("POST", f"{outside}/_sandbox/reset", b"{}", **json_headers) == 403
    assert _http("DELETE", f"{outside}/_sandbox/faults", b"", **spoof) == 403
    assert box.control("GET", "faults") == []  # nothing was queued from outside
    # The gateway itself does answer that address (only the control API is closed).
    answer = post(f"{outside}/ia/xml/xmlgw.phtml", envelope(function("<getAPISession/>")))
    # (Not captured for the leak scan: handing out a session id is its job.)
    assert _statuses(answer)["result"] == "success"
    assert _http("GET", f"http://127.0.0.1:{port}/_sandbox/stats") == 200


def test_control_api_is_unreachable_through_the_xml_endpoint(clean_sandbox: Any) -> None:
    box = CAPTURE.track(clean_sandbox)
    answer = post(box.api_url, envelope(CREATE_PROBE))
    assert _statuses(answer)["result"] == "success", answer.text
    assert _probe_landed(box)
    # Functions named like control routes are unknown functions (the whole request is
    # refused as a schema error), or the generic delete, which fails on its own.
    for name in ("reset", "faults", "_sandbox", "clock", "delete"):
        answer = post(box.api_url, envelope(function(f"<{name}><kind>http_500</kind></{name}>")))
        CAPTURE.add(f"answer to <{name}>", answer.body)
        statuses = _statuses(answer)
        if name == "delete":
            assert statuses.get("result") == "failure", answer.text
        else:
            assert statuses.get("control") == "failure", answer.text
            expected = f"Element '{name}': This element is not expected."
            [description2] = answer.find_text("description2")
            assert description2.startswith(f"XML Parse schema error: {expected}"), answer.text
    # Paths that smuggle the control prefix after the gateway's path are not routed there.
    base = box.base_url
    for path in (
        "/ia/xml/xmlgw.phtml/../../_sandbox/reset",
        "/ia/xml/xmlgw.phtml?/_sandbox/reset",
        "/ia/xml/xmlgw.phtml#/_sandbox/reset",
        "/ia/xml/%2e%2e/%2e%2e/_sandbox/reset",
    ):
        answer = post(base + path, b"{}", {"Content-Type": "application/json"})
        # Either not found, or the gateway's XML refusal of a body that is not XML;
        # never a control API (JSON) answer.
        assert "json" not in answer.content_type, (path, answer.status, answer.text)
        assert answer.status == 404 or "XL03000003" in answer.text, (path, answer.text)
    assert box.control("GET", "faults") == []
    assert box.control("GET", "clock")["frozen"] is None
    assert _probe_landed(box), "the data was reset through the XML endpoint"


@pytest.mark.parametrize(
    ("address", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.255.0.9", True),
        ("::1", True),
        ("::ffff:127.0.0.1", True),
        ("0.0.0.0", False),  # noqa: S104 - the wildcard is not a client address
        ("::", False),
        ("10.0.0.1", False),
        ("192.0.2.2", False),
        ("::ffff:10.0.0.1", False),
        ("fe80::1%lo", False),
        ("localhost", False),  # names are never trusted, only addresses
        ("127.0.0.1.evil.example", False),
        ("2130706433", False),  # 127.0.0.1 as an integer
        ("", False),
    ],
)
def test_the_gateway_loopback_check(address: str, loopback: bool) -> None:
    from intacct_sandbox.control_api import is_loopback_address

    assert is_loopback_address(address) is loopback
