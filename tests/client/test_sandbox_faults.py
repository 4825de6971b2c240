"""Integration: every retryable fault kind through the sandbox control API."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from intacct_client import (
    Function,
    IntacctClient,
    IntacctRateLimitError,
    IntacctTransportError,
)

MakeClient = Callable[..., IntacctClient]

# kind -> extra fault settings
READ_FAULTS: dict[str, dict[str, Any]] = {
    "http_429": {},
    "http_500": {},
    "http_502": {},
    "http_503": {},
    "http_524": {},
    "html_error_page": {},
    "malformed_xml": {},
    "drop_connection": {},
    "concurrency_limit": {},
    "slow": {"delay_s": 2.0},
}


@pytest.mark.parametrize("kind", sorted(READ_FAULTS))
def test_read_succeeds_after_one_fault(
    kind: str, clean_sandbox: Any, make_client: MakeClient, caplog: pytest.LogCaptureFixture
) -> None:
    timeout = {"request_timeout": 1.0} if kind == "slow" else {}
    client = make_client(clean_sandbox, **timeout)
    client.query("GLACCOUNT", ["RECORDNO"], page_size=1)  # log in first
    requests_before = client.request_count
    clean_sandbox.fault(kind, 1, function="query", **READ_FAULTS[kind])
    with caplog.at_level(logging.WARNING, logger="intacct_client"):
        page = client.query("GLACCOUNT", ["RECORDNO", "ACCOUNTNO"], page_size=4)
    assert page.count == 4
    assert len(page.records) == 4
    assert all(r["ACCOUNTNO"] for r in page.records)
    assert client.retry_count == 1
    assert client.request_count - requests_before == 2
    retry_lines = [r.getMessage() for r in caplog.records if "retrying" in r.getMessage()]
    assert len(retry_lines) == 1
    assert "attempt 1 of 4" in retry_lines[0]


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("http_429", IntacctRateLimitError),
        ("concurrency_limit", IntacctRateLimitError),
        ("http_503", IntacctTransportError),
        ("malformed_xml", IntacctTransportError),
        ("drop_connection", IntacctTransportError),
    ],
)
def test_persistent_fault_exhausts_the_retry_budget(
    kind: str, expected: type[Exception], clean_sandbox: Any, make_client: MakeClient
) -> None:
    client = make_client(clean_sandbox, max_retries=2)
    client.query("GLACCOUNT", ["RECORDNO"], page_size=1)
    before = client.request_count
    clean_sandbox.fault(kind, 10, function="query")
    with pytest.raises(expected) as info:
        client.query("GLACCOUNT", ["RECORDNO"], page_size=1)
    assert type(info.value) is expected
    assert info.value.retryable
    assert client.request_count - before == 3  # first attempt + max_retries
    assert client.retry_count == 2


def test_fault_during_login_is_retried(clean_sandbox: Any, make_client: MakeClient) -> None:
    client = make_client(clean_sandbox)
    clean_sandbox.fault("http_502", 1, function="getAPISession")
    page = client.query("GLACCOUNT", ["RECORDNO"], page_size=2)
    assert page.count == 2
    assert client.login_count == 1
    assert client.call_counts["getAPISession"] == 2
    assert client.retry_count == 1


def test_write_without_uniqueid_is_not_retried(clean_sandbox: Any, make_client: MakeClient) -> None:
    client = make_client(clean_sandbox)
    client.query("GLACCOUNT", ["RECORDNO"], page_size=1)
    before = client.request_count
    clean_sandbox.fault("commit_then_drop", 1, function="create")
    with pytest.raises(IntacctTransportError):
        client.create([("CLASS", {"CLASSID": "NORETRY1", "NAME": "n"})])
    assert client.request_count - before == 1
    assert client.retry_count == 0
    # The write was applied by the server; the client did not post it twice.
    ids = [r["CLASSID"] for r in clean_sandbox.records("CLASS")]
    assert ids.count("NORETRY1") == 1


@pytest.mark.parametrize(
    "kind", ["commit_then_drop", "malformed_xml", "drop_connection", "http_503"]
)
def test_write_with_uniqueid_is_retried_without_duplicates(
    kind: str, clean_sandbox: Any, make_client: MakeClient
) -> None:
    client = make_client(clean_sandbox)
    client.query("GLACCOUNT", ["RECORDNO"], page_size=1)
    clean_sandbox.fault(kind, 1, function="create")
    controlid = f"class-RETRY-{uuid.uuid4().hex[:8]}"
    result = client.create(
        [("CLASS", {"CLASSID": "RETRY1", "NAME": "r"})], controlid=controlid, unique_id=True
    )
    assert result.ok
    applied_before_answer = kind in {"commit_then_drop", "malformed_xml"}
    assert result.replayed is applied_before_answer
    if not applied_before_answer:
        assert result.data[0]["CLASSID"] == "RETRY1"
    assert client.retry_count == 1
    ids = [r["CLASSID"] for r in clean_sandbox.records("CLASS")]
    assert ids.count("RETRY1") == 1


def test_524_on_a_write_is_not_retried(clean_sandbox: Any, make_client: MakeClient) -> None:
    client = make_client(clean_sandbox)
    client.query("GLACCOUNT", ["RECORDNO"], page_size=1)
    before = client.request_count
    clean_sandbox.fault("http_524", 1, function="create")
    with pytest.raises(IntacctTransportError) as info:
        client.create(
            [("CLASS", {"CLASSID": "C524", "NAME": "n"})],
            controlid=f"c524-{uuid.uuid4().hex[:8]}",
            unique_id=True,
        )
    assert info.value.http_status == 524
    assert not info.value.retryable
    assert client.request_count - before == 1


def test_slow_write_beyond_timeout_with_uniqueid(
    clean_sandbox: Any, make_client: MakeClient
) -> None:
    client = make_client(clean_sandbox, request_timeout=1.0)
    client.query("GLACCOUNT", ["RECORDNO"], page_size=1)
    clean_sandbox.fault("slow", 1, function="create", delay_s=2.0)
    result = client.create(
        [("CLASS", {"CLASSID": "SLOW1", "NAME": "s"})],
        controlid=f"slow-{uuid.uuid4().hex[:8]}",
        unique_id=True,
    )
    assert result.ok
    assert client.retry_count >= 1
    ids = [r["CLASSID"] for r in clean_sandbox.records("CLASS")]
    assert ids.count("SLOW1") == 1


def test_session_invalid_on_every_new_session_raises_after_the_renewal_limit(
    clean_sandbox: Any, make_client: MakeClient
) -> None:
    from intacct_client import IntacctSessionExpiredError
    from intacct_client.client import MAX_SESSION_RENEWALS

    client = make_client(clean_sandbox)
    client.query("GLACCOUNT", ["RECORDNO"], page_size=1)
    clean_sandbox.fault("session_expired", 1 + MAX_SESSION_RENEWALS, function="query")
    with pytest.raises(IntacctSessionExpiredError, match="refused again"):
        client.query("GLACCOUNT", ["RECORDNO"], page_size=1)
    assert client.login_count == 1 + MAX_SESSION_RENEWALS
    # The client recovers on the next call.
    assert client.query("GLACCOUNT", ["RECORDNO"], page_size=1).count == 1


def test_session_invalid_on_a_new_session_is_replayed_within_the_limit(
    clean_sandbox: Any, make_client: MakeClient
) -> None:
    from intacct_client.client import MAX_SESSION_RENEWALS

    client = make_client(clean_sandbox)
    client.query("GLACCOUNT", ["RECORDNO"], page_size=1)
    clean_sandbox.fault("session_expired", MAX_SESSION_RENEWALS, function="query")
    assert client.query("GLACCOUNT", ["RECORDNO"], page_size=2).count == 2
    assert client.login_count == 1 + MAX_SESSION_RENEWALS
    assert clean_sandbox.control("GET", "faults") == []


def test_server_concurrency_limit_is_absorbed_by_retries(
    sandbox_factory: Callable[..., Any], make_client: MakeClient
) -> None:
    from concurrent.futures import ThreadPoolExecutor

    box = sandbox_factory(latency_ms=150, max_concurrent=1)
    # Real backoff here (not the fast test default): retries must outlast the others' work.
    greedy = make_client(
        box, max_concurrent_requests=4, max_retries=20, backoff_base=0.2, backoff_max=1.0
    )
    greedy.query("GLACCOUNT", ["RECORDNO"], page_size=1)
    with ThreadPoolExecutor(max_workers=4) as pool:
        pages = list(
            pool.map(
                lambda n: greedy.query("GLACCOUNT", ["RECORDNO"], page_size=1, offset=n), range(4)
            )
        )
    assert [p.offset for p in pages] == [0, 1, 2, 3]
    assert greedy.retry_count > 0  # some requests met HTTP 429 GW-0010 and were retried
    polite = make_client(box, max_concurrent_requests=1)
    polite.query("GLACCOUNT", ["RECORDNO"], page_size=1)
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(
            pool.map(
                lambda n: polite.query("GLACCOUNT", ["RECORDNO"], page_size=1, offset=n), range(4)
            )
        )
    assert polite.retry_count == 0


def test_retried_transaction_committed_by_the_lost_attempt_is_all_replayed(
    clean_sandbox: Any, make_client: MakeClient
) -> None:
    client = make_client(clean_sandbox)
    client.query("GLACCOUNT", ["RECORDNO"], page_size=1)
    clean_sandbox.fault("commit_then_drop", 1, function="create")
    tag = uuid.uuid4().hex[:6].upper()
    functions = [
        Function(
            "create",
            [("CLASS", {"CLASSID": f"TX{i}{tag}", "NAME": "t"})],
            controlid=f"tx-{i}-{tag}",
        )
        for i in range(3)
    ]
    results = client.execute(functions, transaction=True, unique_id=True)
    # The first attempt committed the whole transaction; on the retry the gateway
    # refuses the first function ("already executed") and aborts the rest.
    assert [r.status for r in results] == ["success", "success", "success"]
    assert all(r.replayed and r.data == [] for r in results)
    assert client.retry_count == 1
    ids = [r["CLASSID"] for r in clean_sandbox.records("CLASS")]
    for i in range(3):
        assert ids.count(f"TX{i}{tag}") == 1


def test_first_attempt_transaction_with_an_old_controlid_keeps_aborted_results(
    clean_sandbox: Any, make_client: MakeClient
) -> None:
    client = make_client(clean_sandbox)
    tag = uuid.uuid4().hex[:6].upper()
    old = Function(
        "create", [("CLASS", {"CLASSID": f"OLD{tag}", "NAME": "o"})], controlid=f"old-{tag}"
    )
    assert client.execute([old], unique_id=True)[0].ok
    new = Function(
        "create", [("CLASS", {"CLASSID": f"NEW{tag}", "NAME": "n"})], controlid=f"new-{tag}"
    )
    replayed, aborted = client.execute([old, new], transaction=True, unique_id=True)
    # No retry happened: only the function that really ran before counts as applied.
    assert replayed.replayed
    assert aborted.status == "aborted"
    assert not aborted.replayed
    assert f"NEW{tag}" not in [r["CLASSID"] for r in clean_sandbox.records("CLASS")]
