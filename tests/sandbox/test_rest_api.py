"""The REST half over real HTTP: tokens, the query and model services, object writes,
errors, and the limits and faults it shares with the XML half."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
import requests

CLIENT = {"client_id": "sandbox-client-id", "client_secret": "sandbox-client-secret"}


class Rest:
    """A bare REST client for the sandbox: token, JSON calls, nothing hidden."""

    def __init__(self, base_url: str, username: str = "sandbox_user@SANDBOX-CO") -> None:
        self.root = f"{base_url}/ia/api/v1"
        self.http = requests.Session()
        self.tokens = self.token(grant_type="client_credentials", username=username).json()

    def token(self, **form: str) -> requests.Response:
        return self.http.post(f"{self.root}/oauth2/token", data={**CLIENT, **form}, timeout=30)

    def headers(self, token: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {token or self.tokens['access_token']}"}

    def call(
        self, method: str, path: str, token: str | None = None, **kw: Any
    ) -> requests.Response:
        return self.http.request(
            method, f"{self.root}{path}", headers=self.headers(token), timeout=60, **kw
        )

    def query(self, **body: Any) -> requests.Response:
        return self.call("POST", "/services/core/query", json=body)

    def rows(self, **body: Any) -> list[dict[str, Any]]:
        reply = self.query(**body)
        assert reply.status_code == 200, reply.text
        result: list[dict[str, Any]] = reply.json()["ia::result"]
        return result


@pytest.fixture
def rest(clean_sandbox: Any) -> Rest:
    return Rest(clean_sandbox.base_url)


def _error(reply: requests.Response) -> dict[str, Any]:
    error: dict[str, Any] = reply.json()["ia::result"]["ia::error"]
    assert {"code", "message", "errorId", "additionalInfo"} <= set(error)
    return error


# ---------------------------------------------------------------- OAuth2


def test_client_credentials_token_and_refresh(rest: Rest) -> None:
    issued = rest.tokens
    assert issued["token_type"] == "Bearer"
    assert issued["expires_in"] == 21600
    assert rest.rows(object="company-config/location", fields=["id"], size=1)
    refreshed = rest.token(grant_type="refresh_token", refresh_token=issued["refresh_token"])
    assert refreshed.status_code == 200
    fresh = refreshed.json()
    assert fresh["access_token"] != issued["access_token"]
    reply = rest.call(
        "POST",
        "/services/core/query",
        token=fresh["access_token"],
        json={"object": "company-config/location", "fields": ["id"]},
    )
    assert reply.status_code == 200
    # a refresh token works once
    again = rest.token(grant_type="refresh_token", refresh_token=issued["refresh_token"])
    assert again.status_code == 400
    assert again.json()["error"] == "invalid_grant"


@pytest.mark.parametrize(
    ("form", "status", "error"),
    [
        ({"client_secret": "wrong"}, 401, "invalid_client"),
        ({"username": "nobody@SANDBOX-CO"}, 400, "invalid_grant"),
        ({"username": "sandbox_user@NO-SUCH-CO"}, 400, "invalid_grant"),
        ({"username": "sandbox_user@SANDBOX-CO|NO-ENTITY"}, 400, "invalid_grant"),
        ({"username": "sandbox_user"}, 400, "invalid_request"),
        ({"grant_type": "password"}, 400, "unsupported_grant_type"),
    ],
)
def test_token_request_failures(rest: Rest, form: dict[str, str], status: int, error: str) -> None:
    body = {"grant_type": "client_credentials", "username": "sandbox_user@SANDBOX-CO", **form}
    reply = rest.token(**body)
    assert reply.status_code == status
    assert reply.json()["error"] == error
    assert "access_token" not in reply.json()


def test_forged_token_is_401_in_the_rest_error_shape(rest: Rest) -> None:
    reply = rest.call(
        "POST",
        "/services/core/query",
        token="forged-token",
        json={"object": "accounts-payable/vendor"},
    )
    assert reply.status_code == 401
    error = _error(reply)
    assert error["code"] == "tokenInvalid"
    assert error["errorId"] == "REST-2102"
    assert reply.json()["ia::meta"] == {"totalCount": 1, "totalSuccess": 0, "totalError": 1}


def test_expired_token_is_401(sandbox_factory: Any) -> None:
    box = sandbox_factory(seed="demo", extra_args=["--rest-token-ttl-s", "2"])
    rest = Rest(box.base_url)
    assert rest.tokens["expires_in"] == 2
    assert rest.rows(object="company-config/location", fields=["id"])
    time.sleep(2.3)
    reply = rest.query(object="company-config/location", fields=["id"])
    assert reply.status_code == 401
    assert _error(reply)["code"] == "tokenInvalid"
    # the refresh token outlives the access token
    fresh = rest.token(grant_type="refresh_token", refresh_token=rest.tokens["refresh_token"])
    assert fresh.status_code == 200


def test_entity_token_and_include_private(clean_sandbox: Any) -> None:
    records = clean_sandbox.records("CUSTOMER")
    owner = {str(r["RECORDNO"]): r["MEGAENTITYID"] for r in records}
    top = Rest(clean_sandbox.base_url)
    scoped = Rest(clean_sandbox.base_url, "sandbox_user@SANDBOX-CO|E100")
    body: dict[str, Any] = {
        "object": "accounts-receivable/customer",
        "fields": ["key"],
        "size": 4000,
    }
    shared = {k for k, v in owner.items() if v is None}
    # top level: entity-owned records are private unless includePrivate is asked for
    assert {r["key"] for r in top.rows(**body)} == shared
    everything = top.rows(**body, filterParameters={"includePrivate": True})
    assert {r["key"] for r in everything} == set(owner)
    e100 = {k for k, v in owner.items() if v == "E100"}
    assert e100, "the demo seed has customers owned by E100"
    assert {r["key"] for r in scoped.rows(**body)} == shared | e100
    # the entity header overrides the token's entity, as the SDK sends it
    header = scoped.http.post(
        f"{scoped.root}/services/core/query",
        json=body,
        headers={**scoped.headers(), "X-IA-API-Param-Entity": "E200"},
        timeout=30,
    )
    e200 = {k for k, v in owner.items() if v == "E200"}
    assert {r["key"] for r in header.json()["ia::result"]} == shared | e200


def test_client_may_authenticate_with_http_basic(rest: Rest) -> None:
    """RFC 6749 §2.3.1: client id and secret in an Authorization: Basic header."""
    form = {"grant_type": "client_credentials", "username": "sandbox_user@SANDBOX-CO"}
    good = requests.post(
        f"{rest.root}/oauth2/token", data=form, auth=tuple(CLIENT.values()), timeout=30
    )
    assert good.status_code == 200
    assert rest.rows(object="company-config/class", fields=["id"])
    bad = requests.post(
        f"{rest.root}/oauth2/token", data=form, auth=("sandbox-client-id", "nope"), timeout=30
    )
    assert bad.status_code == 401
    assert bad.json()["error"] == "invalid_client"


# ---------------------------------------------------------------- query


def test_query_returns_records_and_meta(rest: Rest, clean_sandbox: Any) -> None:
    stored = {
        str(r["RECORDNO"]): r for r in clean_sandbox.records("VENDOR") if not r["MEGAENTITYID"]
    }
    reply = rest.query(
        object="accounts-payable/vendor",
        fields=[
            "key",
            "id",
            "name",
            "creditLimit",
            "isOnHold",
            "audit.modifiedDateTime",
            "contacts.default.mailingAddress.city",
            "href",
        ],
        orderBy=[{"id": "asc"}],
        start=1,
        size=5,
    )
    assert reply.status_code == 200
    body = reply.json()
    assert body["ia::meta"] == {
        "totalCount": len(stored),
        "start": 1,
        "pageSize": 5,
        "next": 6,
        "previous": None,
    }
    rows = body["ia::result"]
    assert [r["id"] for r in rows] == sorted(str(r["VENDORID"]) for r in stored.values())[:5]
    for row in rows:
        source = stored[row["key"]]
        assert row["name"] == source["NAME"]
        assert row["href"] == f"/objects/accounts-payable/vendor/{row['key']}"
        assert row["contacts"]["default"]["mailingAddress"]["city"] == (
            source["DISPLAYCONTACT.MAILADDRESS.CITY"] or None
        )
        assert row["audit"]["modifiedDateTime"] == source["WHENMODIFIED"]
        assert row["audit"]["modifiedDateTime"].endswith("Z")
        assert isinstance(row["isOnHold"], bool)
        if source["CREDITLIMIT"] not in (None, ""):
            assert row["creditLimit"] == f"{float(source['CREDITLIMIT']):.2f}"


def test_paging_meta_walks_every_record_once(rest: Rest, clean_sandbox: Any) -> None:
    keys: list[str] = []
    start: int | None = 1
    pages = 0
    while start is not None:
        body = rest.query(
            object="accounts-receivable/customer",
            fields=["key"],
            orderBy=[{"key": "asc"}],
            start=start,
            size=7,
        ).json()
        keys += [r["key"] for r in body["ia::result"]]
        assert body["ia::meta"]["previous"] == (None if start == 1 else max(1, start - 7))
        start = body["ia::meta"]["next"]
        pages += 1
    stored = sorted(
        int(r["RECORDNO"]) for r in clean_sandbox.records("CUSTOMER") if not r["MEGAENTITYID"]
    )
    assert [int(k) for k in keys] == stored
    assert pages == -(-len(stored) // 7)


@pytest.mark.parametrize(
    ("flt", "check"),
    [
        ({"$eq": {"status": "active"}}, lambda r: r["STATUS"] == "active"),
        ({"$ne": {"status": "active"}}, lambda r: r["STATUS"] != "active"),
        ({"$gt": {"creditLimit": "20000"}}, lambda r: float(r["CREDITLIMIT"] or 0) > 20000),
        (
            {"$lte": {"creditLimit": 20000}},
            lambda r: r["CREDITLIMIT"] not in (None, "") and float(r["CREDITLIMIT"]) <= 20000,
        ),
        ({"$in": {"id": ["V00001", "V00003"]}}, lambda r: r["VENDORID"] in {"V00001", "V00003"}),
        ({"$notIn": {"id": ["V00001"]}}, lambda r: r["VENDORID"] != "V00001"),
        ({"$startsWith": {"id": "V0001"}}, lambda r: str(r["VENDORID"]).startswith("V0001")),
        ({"$contains": {"name": "GmbH"}}, lambda r: "GmbH" in str(r["NAME"])),
        ({"$endsWith": {"id": "5"}}, lambda r: str(r["VENDORID"]).endswith("5")),
        (
            {"$between": {"creditLimit": ["10000", "30000"]}},
            lambda r: (
                r["CREDITLIMIT"] not in (None, "") and 10000 <= float(r["CREDITLIMIT"]) <= 30000
            ),
        ),
        (
            {"$gte": {"audit.modifiedDateTime": "2025-02-01T00:00:00Z"}},
            lambda r: (r["WHENMODIFIED"] or "") >= "2025-02-01T00:00:00Z",
        ),
        (
            {"$eq": {"contacts.default.mailingAddress.addressLine2": None}},
            lambda r: r["DISPLAYCONTACT.MAILADDRESS.ADDRESS2"] in (None, ""),
        ),
    ],
)
def test_filter_operators(rest: Rest, clean_sandbox: Any, flt: dict[str, Any], check: Any) -> None:
    expected = {str(r["RECORDNO"]) for r in clean_sandbox.records("VENDOR") if check(r)}
    rows = rest.rows(
        object="accounts-payable/vendor",
        fields=["key"],
        filters=[flt],
        filterParameters={"includePrivate": True},
        size=4000,
    )
    assert {r["key"] for r in rows} == expected
    assert expected, f"the demo seed should match {flt}"


def test_filter_expression_groups(rest: Rest, clean_sandbox: Any) -> None:
    records = clean_sandbox.records("VENDOR")
    expected = {
        str(r["RECORDNO"])
        for r in records
        if r["STATUS"] == "active" and (r["VENDORID"] == "V00001" or r["VENDORID"] == "V00002")
    }
    rows = rest.rows(
        object="accounts-payable/vendor",
        fields=["key"],
        filters=[
            {"$eq": {"status": "active"}},
            {"$eq": {"id": "V00001"}},
            {"$eq": {"id": "V00002"}},
        ],
        filterExpression="1 and (2 or 3)",
    )
    assert {r["key"] for r in rows} == expected
    either = rest.rows(
        object="accounts-payable/vendor",
        fields=["key"],
        filters=[{"$eq": {"id": "V00001"}}, {"$eq": {"id": "V00002"}}],
        filterExpression="or",
    )
    assert len(either) == 2


def test_journal_lines_keep_exact_decimals_and_debit_credit(rest: Rest, clean_sandbox: Any) -> None:
    stored = {str(r["RECORDNO"]): r for r in clean_sandbox.records("GLENTRY")}
    rows = rest.rows(
        object="general-ledger/journal-entry-line",
        fields=["key", "txnType", "txnAmount", "entryDate", "journalEntry.key"],
        filters=[{"$eq": {"txnType": "credit"}}],
        size=50,
    )
    assert rows
    for row in rows:
        source = stored[row["key"]]
        assert row["txnType"] == "credit"
        assert int(source["TR_TYPE"]) == -1
        assert isinstance(row["txnAmount"], str)
        assert float(row["txnAmount"]) == pytest.approx(float(source["TRX_AMOUNT"]))
        assert row["journalEntry"]["key"] == str(source["BATCHNO"])
        assert len(row["entryDate"]) == 10


@pytest.mark.parametrize(
    ("body", "error_id"),
    [
        ({"object": "accounts-payable/vendor", "size": 4001}, "REST-1026"),
        ({"object": "accounts-payable/vendor", "start": 0}, "REST-1001"),
        ({"object": "accounts-payable/no-such"}, "REST-1017"),
        ({"object": "accounts-payable/vendor", "fields": ["nope"]}, "REST-1016"),
        ({"object": "accounts-payable/vendor", "filters": [{"$like": {"id": "x"}}]}, "REST-1001"),
        (
            {
                "object": "accounts-payable/vendor",
                "filters": [{"$eq": {"id": "x"}}],
                "filterExpression": "1 and 2",
            },
            "REST-1001",
        ),
    ],
)
def test_bad_queries_are_refused(rest: Rest, body: dict[str, Any], error_id: str) -> None:
    reply = rest.query(**body)
    assert reply.status_code == 400
    assert _error(reply)["errorId"] == error_id


def test_readonly_user_is_refused_a_denied_object(clean_sandbox: Any) -> None:
    rest = Rest(clean_sandbox.base_url, "readonly_user@SANDBOX-CO")
    denied = rest.query(object="accounts-receivable/invoice", fields=["key"])
    assert denied.status_code == 403
    assert _error(denied)["code"] == "permissionDenied"
    assert rest.rows(object="accounts-receivable/customer", fields=["key"])
    reply = rest.call("POST", "/objects/accounts-payable/vendor", json={"id": "VRO1", "name": "RO"})
    assert reply.status_code == 403
    assert _error(reply)["code"] == "permissionDenied"
    assert "VRO1" not in {str(r["VENDORID"]) for r in clean_sandbox.records("VENDOR")}


# ---------------------------------------------------------------- model


def test_model_describes_fields_groups_and_refs(rest: Rest) -> None:
    reply = rest.call("GET", "/services/core/model", params={"name": "accounts-payable/vendor"})
    assert reply.status_code == 200
    model = reply.json()["ia::result"]
    assert model["apiObject"] == "accounts-payable/vendor"
    assert model["fields"]["key"]["type"] == "string"
    assert model["fields"]["key"]["readOnly"] is True
    assert model["fields"]["creditLimit"]["format"] == "decimal-precision-2"
    assert model["fields"]["isOnHold"]["type"] == "boolean"
    assert model["groups"]["audit"]["fields"]["modifiedDateTime"]["format"] == "date-time"
    assert "id" in model["refs"]["parent"]["fields"]
    city = model["groups"]["contacts"]["refs"]["default"]["groups"]["mailingAddress"]
    assert city["fields"]["city"]["type"] == "string"
    bill = rest.call("GET", "/services/core/model", params={"name": "accounts-payable/bill"}).json()
    assert bill["ia::result"]["lists"] == {"lines": {"apiObject": "accounts-payable/bill-line"}}
    listing = rest.call("GET", "/services/core/model").json()["ia::result"]
    assert {"accounts-payable/vendor", "general-ledger/journal-entry"} <= {
        o["apiObject"] for o in listing
    }


# ---------------------------------------------------------------- writes


def _xml_vendor(clean_sandbox: Any, vendor_id: str) -> dict[str, Any] | None:
    found = [r for r in clean_sandbox.records("VENDOR") if r["VENDORID"] == vendor_id]
    return found[0] if found else None


def test_vendor_create_update_delete_through_the_write_rules(
    rest: Rest, clean_sandbox: Any, gw: Any, kit: Any
) -> None:
    audit_before = len(clean_sandbox.records("AUDITHISTORY"))
    created = rest.call(
        "POST",
        "/objects/accounts-payable/vendor",
        json={
            "id": "VREST-1",
            "name": "Rest Vendor",
            "creditLimit": "1234.50",
            "contacts": {
                "default": {"email1": "ap@rest.example", "mailingAddress": {"city": "Lyon"}}
            },
        },
    )
    assert created.status_code == 201, created.text
    result = created.json()["ia::result"]
    key = result["key"]
    assert result == {
        "key": key,
        "id": "VREST-1",
        "href": f"/objects/accounts-payable/vendor/{key}",
    }
    row = _xml_vendor(clean_sandbox, "VREST-1")
    assert row is not None
    assert str(row["RECORDNO"]) == key
    assert row["DISPLAYCONTACT.MAILADDRESS.CITY"] == "Lyon"
    assert float(row["CREDITLIMIT"]) == 1234.5
    # the XML half reads the REST-made record
    reply = gw.post(
        kit.envelope(
            "<read><object>VENDOR</object><keys>" + key + "</keys><fields>*</fields></read>"
        )
    )
    assert kit.text_of(reply.root, "operation/result/data/VENDOR/NAME") == "Rest Vendor"
    # duplicate id: the XML half's rule, as a REST error
    dup = rest.call("POST", "/objects/accounts-payable/vendor", json={"id": "VREST-1", "name": "x"})
    assert dup.status_code == 400
    assert _error(dup)["details"][0]["errorNo"]
    patched = rest.call(
        "PATCH", f"/objects/accounts-payable/vendor/{key}", json={"name": "Renamed"}
    )
    assert patched.status_code == 200, patched.text
    got = rest.call("GET", f"/objects/accounts-payable/vendor/{key}").json()["ia::result"]
    assert got["name"] == "Renamed"
    assert got["contacts"]["default"]["email1"] == "ap@rest.example"
    assert got["creditLimit"] == "1234.50"
    assert _xml_vendor(clean_sandbox, "VREST-1")["NAME"] == "Renamed"
    deleted = rest.call("DELETE", f"/objects/accounts-payable/vendor/{key}")
    assert deleted.status_code == 204
    assert deleted.content == b""
    assert _xml_vendor(clean_sandbox, "VREST-1") is None
    assert rest.call("GET", f"/objects/accounts-payable/vendor/{key}").status_code == 404
    audit = clean_sandbox.records("AUDITHISTORY")[audit_before:]
    kinds = [
        (a["OBJECTTYPE"].upper(), a["OBJECTKEY"], a["ACCESSMODE"])
        for a in audit
        if str(a["OBJECTKEY"]) == key
    ]
    assert len(kinds) == 3, kinds


def test_missing_keys_and_wrong_methods(rest: Rest, clean_sandbox: Any) -> None:
    vendor = "/objects/accounts-payable/vendor"
    for method, body in (("PATCH", {"name": "x"}), ("DELETE", None), ("GET", None)):
        reply = rest.call(method, f"{vendor}/999999", json=body)
        assert reply.status_code == 404, (method, reply.text)
        assert _error(reply)["code"] == "notFound"
    in_use = rest.call("DELETE", f"{vendor}/1")
    assert in_use.status_code == 400
    assert "used by" in _error(in_use)["message"]
    assert [r for r in clean_sandbox.records("VENDOR") if str(r["RECORDNO"]) == "1"]
    assert rest.call("PUT", f"{vendor}/1", json={}).status_code == 405
    assert rest.call("POST", "/objects/accounts-payable/bill-line", json={}).status_code == 405
    missing_id = rest.call("POST", vendor, json={"name": "no id"})
    assert missing_id.status_code == 400
    assert "VENDORID" in _error(missing_id)["message"]


def test_read_only_field_is_refused_with_its_name(rest: Rest) -> None:
    reply = rest.call(
        "POST",
        "/objects/accounts-payable/vendor",
        json={"id": "VREST-2", "name": "x", "totalDue": "5"},
    )
    assert reply.status_code == 400
    assert "totalDue" in _error(reply)["message"]


def test_bill_and_journal_entry_with_lines(rest: Rest, clean_sandbox: Any) -> None:
    bill = rest.call(
        "POST",
        "/objects/accounts-payable/bill",
        json={
            "billNumber": "RB-1",
            "vendor": {"id": "V00001"},
            "createdDate": "2025-03-01",
            "dueDate": "2025-03-31",
            "lines": [
                {"glAccount": {"id": "5100"}, "txnAmount": "12.50", "memo": "one"},
                {"glAccount": {"id": "5100"}, "txnAmount": "7.25", "memo": "two"},
            ],
        },
    )
    assert bill.status_code == 201, bill.text
    key = bill.json()["ia::result"]["key"]
    got = rest.call("GET", f"/objects/accounts-payable/bill/{key}").json()["ia::result"]
    assert got["totalTxnAmount"] == "19.75"
    assert [line["memo"] for line in got["lines"]] == ["one", "two"]
    assert [r for r in clean_sandbox.records("APBILL") if str(r["RECORDNO"]) == key]
    je = rest.call(
        "POST",
        "/objects/general-ledger/journal-entry",
        json={
            "glJournal": {"id": "GJ"},
            "postingDate": "2025-03-01",
            "description": "rest je",
            "lines": [
                {"glAccount": {"id": "5100"}, "txnAmount": "10", "txnType": "debit"},
                {"glAccount": {"id": "1000"}, "txnAmount": "10", "txnType": "credit"},
            ],
        },
    )
    assert je.status_code == 201, je.text
    je_key = je.json()["ia::result"]["key"]
    lines = [r for r in clean_sandbox.records("GLENTRY") if str(r["BATCHNO"]) == je_key]
    assert sorted(int(r["TR_TYPE"]) for r in lines) == [-1, 1]
    unbalanced = rest.call(
        "POST",
        "/objects/general-ledger/journal-entry",
        json={
            "glJournal": {"id": "GJ"},
            "postingDate": "2025-03-01",
            "description": "bad",
            "lines": [{"glAccount": {"id": "5100"}, "txnAmount": "10", "txnType": "debit"}],
        },
    )
    assert unbalanced.status_code == 400
    assert rest.call("DELETE", f"/objects/general-ledger/journal-entry/{je_key}").status_code == 204
    assert not [r for r in clean_sandbox.records("GLENTRY") if str(r["BATCHNO"]) == je_key]


# ------------------------------------------------------ shared limits and faults


def test_stats_count_rest_functions(rest: Rest, clean_sandbox: Any) -> None:
    rest.rows(object="company-config/class", fields=["id"])
    rest.call("GET", "/services/core/model", params={"name": "company-config/class"})
    functions = clean_sandbox.stats()["functions"]
    assert functions["rest:query"] == 1
    assert functions["rest:model"] == 1
    assert functions["rest:token"] == 1


def test_fault_matches_a_rest_function_and_object(rest: Rest, clean_sandbox: Any) -> None:
    clean_sandbox.fault("http_503", function="query", obj="VENDOR")
    other = rest.query(object="accounts-receivable/customer", fields=["id"])
    assert other.status_code == 200
    hit = rest.query(object="accounts-payable/vendor", fields=["id"])
    assert hit.status_code == 503
    assert rest.query(object="accounts-payable/vendor", fields=["id"]).status_code == 200


def test_fault_429_and_expire_session(rest: Rest, clean_sandbox: Any) -> None:
    clean_sandbox.fault("http_429", function="query")
    reply = rest.query(object="company-config/class", fields=["id"])
    assert reply.status_code == 429
    assert _error(reply)["code"] == "tooManyRequests"
    clean_sandbox.fault("expire_session")
    assert rest.query(object="company-config/class", fields=["id"]).status_code == 401
    assert rest.query(object="company-config/class", fields=["id"]).status_code == 401


def test_commit_then_drop_commits_the_create(rest: Rest, clean_sandbox: Any) -> None:
    clean_sandbox.fault("commit_then_drop", function="create")
    with pytest.raises(requests.ConnectionError):
        rest.call("POST", "/objects/accounts-payable/vendor", json={"id": "VDROP", "name": "d"})
    assert _xml_vendor(clean_sandbox, "VDROP") is not None


def test_concurrency_limit_is_shared_and_answers_429(sandbox_factory: Any) -> None:
    box = sandbox_factory(seed="demo", latency_ms=400, max_concurrent=1)
    rest = Rest(box.base_url)
    statuses: list[int] = []

    def one() -> None:
        statuses.append(rest.query(object="company-config/class", fields=["id"]).status_code)

    threads = [threading.Thread(target=one) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses)[0] == 200
    assert 429 in statuses
    started = time.monotonic()
    assert rest.query(object="company-config/class", fields=["id"]).status_code == 200
    assert time.monotonic() - started >= 0.4  # the shared --latency-ms
