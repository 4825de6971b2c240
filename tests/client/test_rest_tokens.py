"""IntacctRestClient's OAuth2 tokens against the sandbox's token endpoint, over HTTP:
grant, refresh before expiry, renewal after 401 (one per burst), refused credentials,
the fallback to a new grant, metering and redaction."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
import requests
from intacct_client import (
    ClientConfig,
    IntacctAuthenticationError,
    IntacctRestClient,
    IntacctSessionExpiredError,
)
from rest_kit import REST_CLIENT, rest_settings

MakeRestClient = Callable[..., IntacctRestClient]
VENDOR = "accounts-payable/vendor"


def _vendor_ids(box: Any) -> list[str]:
    return sorted(str(r["VENDORID"]) for r in box.records("VENDOR"))


def _all_vendor_ids(client: IntacctRestClient) -> list[str]:
    page = client.query(VENDOR, ["id"], order_by=[("id", "asc")])
    return [str(r["id"]) for r in page.records]


def _token_requests(box: Any) -> int:
    return int(box.stats()["functions"].get("rest:token", 0))


def test_first_call_takes_a_token_and_reuses_it(
    clean_sandbox: Any, make_rest_client: MakeRestClient
) -> None:
    client = make_rest_client(clean_sandbox)
    assert _all_vendor_ids(client) == _vendor_ids(clean_sandbox)
    assert _all_vendor_ids(client) == _vendor_ids(clean_sandbox)
    assert client.token_count == 1
    assert client.call_counts == {"rest:token": 1, "rest:query": 2}
    assert client.request_count == 3
    assert client.retry_count == 0
    assert _token_requests(clean_sandbox) == 1


def test_token_is_refreshed_before_it_expires(
    sandbox_factory: Callable[..., Any], make_rest_client: MakeRestClient
) -> None:
    box = sandbox_factory(seed="demo", extra_args=["--rest-token-ttl-s", "2"])
    client = make_rest_client(box)
    assert _all_vendor_ids(client) == _vendor_ids(box)
    time.sleep(2.1)
    assert _all_vendor_ids(client) == _vendor_ids(box)
    # Replaced before use (no 401 answered): token, query, refresh, query.
    assert client.call_counts == {"rest:token": 2, "rest:query": 2}
    assert client.request_count == 4
    assert _token_requests(box) == 2


def test_a_revoked_token_is_renewed_and_the_request_replayed(
    clean_sandbox: Any, make_rest_client: MakeRestClient
) -> None:
    client = make_rest_client(clean_sandbox)
    assert _all_vendor_ids(client)
    clean_sandbox.fault("expire_session", function="query")
    assert _all_vendor_ids(client) == _vendor_ids(clean_sandbox)
    # query (401), refresh, query replayed.
    assert client.call_counts == {"rest:token": 2, "rest:query": 3}
    assert client.token_count == 2


def test_a_token_refused_every_time_ends_after_bounded_renewals(
    clean_sandbox: Any, make_rest_client: MakeRestClient
) -> None:
    client = make_rest_client(clean_sandbox)
    clean_sandbox.fault("session_expired", count=10, function="query")
    with pytest.raises(IntacctSessionExpiredError, match="3 new tokens tried") as caught:
        client.query(VENDOR, ["id"])
    assert caught.value.http_status == 401
    assert caught.value.first_error is not None
    assert caught.value.first_error.errorno == "REST-2102"
    # first token, then three renewals; four query attempts.
    assert client.call_counts == {"rest:token": 4, "rest:query": 4}
    clean_sandbox.control("DELETE", "faults")


def test_a_burst_of_401s_shares_one_renewal(
    sandbox_factory: Callable[..., Any], make_rest_client: MakeRestClient
) -> None:
    box = sandbox_factory(seed="demo", latency_ms=300, max_concurrent=8)
    client = make_rest_client(box, max_concurrent_requests=4)
    expected = _vendor_ids(box)
    assert _all_vendor_ids(client) == expected
    box.fault("session_expired", count=4, function="query")
    results: list[list[str]] = []
    failures: list[BaseException] = []

    def worker() -> None:
        try:
            results.append(_all_vendor_ids(client))
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    assert results == [expected] * 4
    # One grant at the start, one refresh for the four refusals.
    assert client.call_counts == {"rest:token": 2, "rest:query": 9}
    assert _token_requests(box) == 2


def test_a_refused_refresh_falls_back_to_a_new_grant(
    clean_sandbox: Any, make_rest_client: MakeRestClient
) -> None:
    tokens: list[dict[str, Any]] = []
    http = requests.Session()

    def keep_token(response: requests.Response, *args: Any, **kwargs: Any) -> None:
        if response.url.endswith("/oauth2/token") and response.status_code == 200:
            tokens.append(response.json())

    http.hooks["response"].append(keep_token)
    config = ClientConfig.from_mapping(rest_settings(clean_sandbox))
    with IntacctRestClient(config, session=http) as client:
        assert _all_vendor_ids(client)
        # Someone else spends the refresh token (it works once), then the access token
        # is revoked: the client's refresh is refused and it asks for a new grant.
        spent = requests.post(
            f"{clean_sandbox.base_url}/ia/api/v1/oauth2/token",
            data={
                **REST_CLIENT,
                "grant_type": "refresh_token",
                "refresh_token": tokens[0]["refresh_token"],
            },
            timeout=30,
        )
        assert spent.status_code == 200
        clean_sandbox.fault("expire_session", function="query")
        assert _all_vendor_ids(client) == _vendor_ids(clean_sandbox)
        # grant, query; query (401), refresh (refused), grant, query replayed.
        assert client.call_counts == {"rest:token": 3, "rest:query": 3}
        assert len(tokens) == 2
    http.close()


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"client_secret": "not-the-secret-42"}, "refused the client credentials"),
        ({"client_id": "intruder-client"}, "refused the client credentials"),
        ({"user_id": "intruder"}, "refused a token for 'intruder@SANDBOX-CO'"),
        ({"company_id": "OTHER-CO"}, "refused a token for 'sandbox_user@OTHER-CO'"),
        ({"entity_id": "E999"}, "refused a token for 'sandbox_user@SANDBOX-CO|E999'"),
    ],
)
def test_refused_credentials_raise_a_clear_authentication_error(
    clean_sandbox: Any,
    make_rest_client: MakeRestClient,
    overrides: dict[str, str],
    expected: str,
) -> None:
    client = make_rest_client(clean_sandbox, **overrides)
    with pytest.raises(IntacctAuthenticationError) as caught:
        client.query(VENDOR, ["id"])
    text = str(caught.value)
    assert expected in text
    assert "not-the-secret-42" not in text
    assert "sandbox-client-secret" not in text
    assert caught.value.function == "rest:token"
    assert not caught.value.retryable
    assert client.call_counts == {"rest:token": 1}


def test_an_entity_token_sees_only_that_entity(
    clean_sandbox: Any, make_rest_client: MakeRestClient
) -> None:
    top = make_rest_client(clean_sandbox)
    entity = make_rest_client(clean_sandbox, entity_id="E100")
    fields = ["key", "entity.id"]
    name = "accounts-receivable/customer"
    everything = top.query(name, fields, show_private=True).records
    shared = top.query(name, fields, show_private=False).records
    in_entity = entity.query(name, fields).records
    stored = clean_sandbox.records("CUSTOMER")
    assert len(everything) == len(stored)
    assert {r["entity.id"] for r in shared} == {None}
    assert sorted(int(r["key"]) for r in in_entity) == sorted(
        int(r["RECORDNO"]) for r in stored if r["MEGAENTITYID"] in (None, "E100")
    )


def test_debug_logs_never_show_the_secret_or_tokens(
    clean_sandbox: Any, caplog: pytest.LogCaptureFixture
) -> None:
    issued: list[dict[str, Any]] = []
    http = requests.Session()

    def keep_token(response: requests.Response, *args: Any, **kwargs: Any) -> None:
        if response.url.endswith("/oauth2/token") and response.status_code == 200:
            issued.append(response.json())

    http.hooks["response"].append(keep_token)
    config = ClientConfig.from_mapping(rest_settings(clean_sandbox))
    with (
        caplog.at_level(logging.DEBUG, logger="intacct_client"),
        IntacctRestClient(config, session=http) as client,
    ):
        assert _all_vendor_ids(client)
        clean_sandbox.fault("expire_session", function="query")
        assert _all_vendor_ids(client)
        clean_sandbox.fault("http_429", function="model")
        assert client.model(VENDOR)["apiObject"] == VENDOR
        wrong = rest_settings(clean_sandbox, client_secret="wrong-secret-77")
        with (
            IntacctRestClient(ClientConfig.from_mapping(wrong)) as refused,
            pytest.raises(IntacctAuthenticationError) as caught,
        ):
            refused.query(VENDOR, ["id"])
    http.close()
    assert len(issued) == 2
    text = caplog.text + str(caught.value)
    assert "REST POST" in text
    assert "Authorization: Bearer ***" in text
    assert "credentials withheld" in text
    assert "retrying" in text  # the 429
    for secret in ("sandbox-client-secret", "wrong-secret-77"):
        assert secret not in text
    for tokens in issued:
        assert tokens["access_token"] not in text
        assert tokens["refresh_token"] not in text
