"""Integration: login, session reuse, refresh, re-login, entity sessions (real sandbox)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
import requests
from intacct_client import (
    ClientConfig,
    IntacctAuthenticationError,
    IntacctClient,
    IntacctControlError,
    IntacctObjectNotFoundError,
    IntacctUnqueryableFieldsError,
)

MakeClient = Callable[..., IntacctClient]


def _functions(box: Any) -> dict[str, int]:
    return dict(box.stats().get("functions", {}))


def test_login_and_one_session_for_many_calls(clean_sandbox: Any, make_client: MakeClient) -> None:
    sandbox = clean_sandbox  # no fault left over from another test
    before = _functions(sandbox)
    requests_before = sandbox.stats()["requests"]
    client = make_client(sandbox)
    objects = client.list_objects()
    names = {o.name for o in objects}
    assert {"VENDOR", "GLACCOUNT", "APBILL"} <= names
    vendor = client.lookup("VENDOR")
    ids = {f.id for f in vendor.fields}
    assert {"RECORDNO", "VENDORID", "NAME", "WHENMODIFIED"} <= ids
    for _ in range(3):
        page = client.query("VENDOR", ["RECORDNO", "VENDORID"], page_size=5)
        assert page.count == len(page.records) == 5
    after = _functions(sandbox)
    assert after.get("getAPISession", 0) - before.get("getAPISession", 0) == 1
    assert after.get("query", 0) - before.get("query", 0) == 3
    assert client.login_count == 1
    assert client.call_counts == {"getAPISession": 1, "inspect": 1, "lookup": 1, "query": 3}
    assert client.request_count == 6
    assert sandbox.stats()["requests"] - requests_before == 6
    assert client.retry_count == 0


def test_session_shared_across_threads(clean_sandbox: Any, make_client: MakeClient) -> None:
    sandbox = clean_sandbox
    from concurrent.futures import ThreadPoolExecutor

    client = make_client(sandbox, max_concurrent_requests=2)
    with ThreadPoolExecutor(max_workers=6) as pool:
        pages = list(
            pool.map(
                lambda n: client.query("GLACCOUNT", ["RECORDNO"], page_size=2, offset=n), range(12)
            )
        )
    assert [p.offset for p in pages] == list(range(12))
    assert client.login_count == 1
    assert client.call_counts["query"] == 12
    # The client never exceeds the sandbox's 2-in-flight limit, so nothing was throttled.
    assert client.retry_count == 0


def test_bad_sender_and_bad_user_are_fatal(clean_sandbox: Any, make_client: MakeClient) -> None:
    sandbox = clean_sandbox  # exact counts: no fault left over by another test
    bad_sender = make_client(sandbox, sender_password="wrong-sender-pass")
    with pytest.raises(IntacctControlError) as control:
        bad_sender.list_objects()
    assert control.value.errors[0].errorno == "XL03000006"
    assert bad_sender.request_count == 1
    bad_user = make_client(sandbox, user_password="wrong-user-pass")
    with pytest.raises(IntacctAuthenticationError) as auth:
        bad_user.list_objects()
    assert not auth.value.retryable
    assert bad_user.request_count == 1


def test_session_refreshed_before_expiry(
    sandbox_factory: Callable[..., Any], make_client: MakeClient
) -> None:
    box = sandbox_factory(session_timeout_s=2)
    client = make_client(box)
    client.query("GLACCOUNT", ["RECORDNO"], page_size=1)
    assert client.login_count == 1
    time.sleep(2.2)
    page = client.query("GLACCOUNT", ["RECORDNO"], page_size=1)
    assert page.count == 1
    # The client knew the session was expiring and logged in again before sending:
    # no request failed with an invalid session.
    assert client.login_count == 2
    assert client.request_count == 4
    assert _functions(box)["getAPISession"] == 2


def test_sliding_session_is_kept_alive(
    sandbox_factory: Callable[..., Any], make_client: MakeClient
) -> None:
    box = sandbox_factory(session_timeout_s=3)
    client = make_client(box)
    for _ in range(5):
        client.query("GLACCOUNT", ["RECORDNO"], page_size=1)
        time.sleep(0.8)
    assert client.login_count == 1


def test_invalid_session_relogin_and_replay(clean_sandbox: Any, make_client: MakeClient) -> None:
    client = make_client(clean_sandbox)
    client.query("GLACCOUNT", ["RECORDNO"], page_size=1)
    clean_sandbox.fault("session_expired", 1, function="query")
    page = client.query("GLACCOUNT", ["RECORDNO"], page_size=3)
    assert page.count == 3
    assert client.login_count == 2
    assert client.retry_count == 0
    # login, query, (expired query), login, replayed query
    assert client.request_count == 5


def test_entity_session(clean_sandbox: Any, make_client: MakeClient) -> None:
    sandbox = clean_sandbox  # exact counts: no fault left over by another test
    top = make_client(sandbox)
    entities = top.query("LOCATIONENTITY", ["RECORDNO", "LOCATIONID"], page_size=10)
    assert entities.count >= 2
    entity_id = entities.records[0]["LOCATIONID"]
    client = make_client(sandbox, entity_id=entity_id)
    page = client.query("GLACCOUNT", ["RECORDNO"], page_size=1)
    assert page.count == 1
    session = client._sessions.current()
    assert session.location_id == entity_id
    assert top._sessions.current().location_id == ""


def test_user_timezone_and_date_format(clean_sandbox: Any, make_client: MakeClient) -> None:
    sandbox = clean_sandbox  # exact counts: no fault left over by another test
    client = make_client(sandbox)
    assert client.user_timezone() == "-08:00"  # readUserFormatting's gmtoffset
    assert client.user_date_format().lower() == "mm/dd/yyyy"
    calls = client.call_counts.get("readUserFormatting", 0)
    client.user_timezone()
    assert client.call_counts.get("readUserFormatting", 0) == calls == 1
    override = make_client(sandbox, timezone="Europe/Paris")
    assert override.user_timezone() == "Europe/Paris"
    assert "readUserFormatting" not in override.call_counts


def test_function_errors_raise_specific_classes(
    clean_sandbox: Any, make_client: MakeClient
) -> None:
    sandbox = clean_sandbox  # exact counts: no fault left over by another test
    client = make_client(sandbox)
    with pytest.raises(IntacctObjectNotFoundError):
        client.query("NOSUCHOBJECT", ["RECORDNO"])
    with pytest.raises(IntacctUnqueryableFieldsError) as info:
        client.query("VENDOR", ["RECORDNO", "NOT_A_FIELD_XYZ"])
    assert "NOT_A_FIELD_XYZ" in info.value.fields


def test_switches_to_the_endpoint_returned_by_getapisession(
    sandbox: Any, make_client: MakeClient
) -> None:
    # The configured URL carries a marker; the sandbox answers with its own endpoint
    # (scheme://host:port/ia/xml/xmlgw.phtml), which every later call must use.
    client = make_client(sandbox, api_url=sandbox.api_url + "?via=configured-url")
    page = client.query("GLACCOUNT", ["RECORDNO"], page_size=1)
    assert page.count == 1
    session = client._sessions.current()
    assert session.endpoint == sandbox.api_url
    assert "via=" not in session.endpoint


def test_modern_auth_failure_gzip_and_custom_uniqueid_errorno(
    sandbox_factory: Callable[..., Any], make_client: MakeClient
) -> None:
    box = sandbox_factory(
        extra_args=[
            "--auth-failure-mode",
            "modern",
            "--gzip",
            "--uniqueid-errorno",
            "XL99999999",
        ]
    )
    # Modern gateways answer a bad user password with HTTP 401 XMLGW_JPP0002: fatal.
    bad_user = make_client(box, user_password="not-the-password")
    with pytest.raises(IntacctAuthenticationError) as info:
        bad_user.list_objects()
    assert info.value.http_status == 401
    assert not info.value.retryable
    assert bad_user.request_count == 1
    # gzip-compressed answers are decoded transparently.
    client = make_client(box)
    page = client.query("GLACCOUNT", ["RECORDNO", "ACCOUNTNO"], page_size=5)
    assert page.count == 5
    assert all(r["ACCOUNTNO"] for r in page.records)
    # The "already executed" answer is recognised by its text, whatever its errorno.
    controlid = "class-GZ1-fixed"
    first = client.create(
        [("CLASS", {"CLASSID": "GZ1", "NAME": "g"})], controlid=controlid, unique_id=True
    )
    again = client.create(
        [("CLASS", {"CLASSID": "GZ1", "NAME": "g"})], controlid=controlid, unique_id=True
    )
    assert first.ok
    assert not first.replayed
    assert again.ok
    assert again.replayed
    assert again.errors[0].errorno == "XL99999999"
    assert [r["CLASSID"] for r in box.records("CLASS")].count("GZ1") == 1


class _RecordingHttp(requests.Session):
    """A requests.Session that notes when each request started and ended, by function."""

    def __init__(self) -> None:
        super().__init__()
        self.spans: list[tuple[str, float, float]] = []
        self._lock = threading.Lock()

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> Any:
        body = kwargs.get("data") or b""
        text = body.decode() if isinstance(body, bytes) else str(body)
        name = "getAPISession" if "<getAPISession" in text else "other"
        if "<readUserFormatting" in text:
            name = "readUserFormatting"
        started = time.monotonic()
        try:
            return super().request(method, url, *args, **kwargs)
        finally:
            with self._lock:
                self.spans.append((name, started, time.monotonic()))


def test_first_formatting_read_runs_alongside_the_login(sandbox_factory: Any) -> None:
    box = sandbox_factory(latency_ms=300)
    http = _RecordingHttp()
    client = IntacctClient(
        ClientConfig.from_mapping(box.config(max_concurrent_requests=2)), session=http
    )
    try:
        assert client.user_timezone() == "-08:00"
        assert client.call_counts == {"getAPISession": 1, "readUserFormatting": 1}
        spans = {name: (start, end) for name, start, end in http.spans}
        assert set(spans) == {"getAPISession", "readUserFormatting"}
        login, read = spans["getAPISession"], spans["readUserFormatting"]
        assert read[0] < login[1]  # sent before the login's answer came back
        assert login[0] < read[1]
        # Later calls use the session; a second zone lookup is answered from memory.
        page = client.query("GLACCOUNT", ["RECORDNO"], page_size=2)
        assert len(page.records) == 2
        assert client.user_timezone() == "-08:00"
        assert client.call_counts == {"getAPISession": 1, "readUserFormatting": 1, "query": 1}
    finally:
        client.close()


def test_first_formatting_read_with_bad_password_raises_auth_error(
    sandbox: Any, make_client: MakeClient
) -> None:
    client = make_client(sandbox, user_password="wrong")
    with pytest.raises(IntacctAuthenticationError):
        client.user_timezone()
    # Nothing was cached: the next attempt asks again instead of assuming UTC.
    with pytest.raises(IntacctAuthenticationError):
        client.user_timezone()
