"""IntacctRestClient's query and model services against the sandbox, over HTTP: whole
objects paged by `ia::meta`, every filter operator against the XML `query` on the same
data, the error mapping, retried faults, and every REST variant."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from intacct_client import (
    IntacctClient,
    IntacctFunctionError,
    IntacctObjectNotFoundError,
    IntacctPermissionError,
    IntacctRestClient,
    IntacctUnqueryableFieldsError,
)
from intacct_client import filters as f
from intacct_client.filters import Filter

MakeRestClient = Callable[..., IntacctRestClient]
MakeClient = Callable[..., IntacctClient]
BILL = "accounts-payable/bill"
LINE = "general-ledger/journal-entry-line"
BILL_FIELDS = ["key", "vendor.id", "totalTxnAmount", "audit.modifiedDateTime", "entity.id"]


@pytest.fixture(scope="module")
def scaled() -> Iterator[Any]:
    from sandbox_process import start_sandbox

    box = start_sandbox(seed="demo", scale=3)
    yield box
    box.stop()


# ---------------------------------------------------------------- paging
def test_a_whole_object_in_pages_of_4000(scaled: Any, make_rest_client: MakeRestClient) -> None:
    stored = {str(r["RECORDNO"]): r for r in scaled.records("GLENTRY")}
    assert len(stored) > 4000
    client = make_rest_client(scaled)
    fields = ["key", "txnAmount", "audit.modifiedDateTime"]
    pages = list(client.query_pages(LINE, fields, order_by=[("key", "asc")]))
    assert [p.count for p in pages] == [4000, len(stored) - 4000]
    assert [p.offset for p in pages] == [0, 4000]
    assert [p.num_remaining for p in pages] == [len(stored) - 4000, 0]
    assert {p.total_count for p in pages} == {len(stored)}
    rows = [row for page in pages for row in page.records]
    assert [row["key"] for row in rows] == sorted(stored, key=int)
    for row in rows:
        assert set(row) == set(fields)
        assert Decimal(str(row["txnAmount"])) == Decimal(str(stored[row["key"]]["TRX_AMOUNT"]))
        assert row["audit.modifiedDateTime"] == stored[row["key"]]["WHENMODIFIED"]
    assert client.call_counts == {"rest:token": 1, "rest:query": 2}
    # query() takes a 0-based offset, as IntacctClient.query does.
    second = client.query(LINE, ["key"], order_by=[("key", "asc")], offset=4000, page_size=10)
    assert [r["key"] for r in second.records] == sorted(stored, key=int)[4000:4010]
    assert (second.offset, second.count) == (4000, 10)
    assert second.num_remaining == len(stored) - 4010


def test_page_size_and_arguments_are_checked_before_sending(
    clean_sandbox: Any, make_rest_client: MakeRestClient
) -> None:
    client = make_rest_client(clean_sandbox)
    for kwargs, message in (
        ({"page_size": 0}, "page_size"),
        ({"page_size": 4001}, "page_size"),
        ({"offset": -1}, "offset"),
    ):
        with pytest.raises(ValueError, match=message):
            client.query(BILL, ["key"], **kwargs)
    with pytest.raises(ValueError, match="at least one field"):
        client.query(BILL, [])
    with pytest.raises(ValueError, match="asc or desc"):
        client.query(BILL, ["key"], order_by=[("key", "sideways")])
    with pytest.raises(ValueError, match=r"'vendor\.id'.*'V_0%'"):
        client.query(BILL, ["key"], filter=f.like("vendor.id", "V_0%"))
    with pytest.raises(ValueError, match="no time zone"):
        client.query(BILL, ["key"], filter=f.gt("audit.modifiedDateTime", datetime(2025, 1, 1)))
    assert client.request_count == 0


# ---------------------------------------------------------------- filters
# REST path -> XML field of APBILL (the sandbox's mapping, intacct_sandbox/rest/objects.py).
XML_NAME = {
    "key": "RECORDNO",
    "vendor.id": "VENDORID",
    "totalTxnAmount": "TRX_TOTALENTERED",
    "createdDate": "WHENCREATED",
    "audit.modifiedDateTime": "WHENMODIFIED",
    "description": "DESCRIPTION",
    "entity.id": "MEGAENTITYID",
    "referenceNumber": "DOCNUMBER",
}


def _xml(node: Filter) -> Filter:
    """The same filter on the XML field names."""
    if node.operator in ("and", "or"):
        return Filter(node.operator, children=tuple(_xml(child) for child in node.children))
    return Filter(node.operator, XML_NAME[node.field or ""], node.values)


MARK = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
FILTERS: dict[str, Filter] = {
    "equalto": f.eq("vendor.id", "V00008"),
    "notequalto": f.ne("vendor.id", "V00008"),
    "lessthan": f.lt("totalTxnAmount", Decimal("500")),
    "lessthanorequalto": f.le("totalTxnAmount", Decimal("500")),
    "greaterthan": f.gt("totalTxnAmount", Decimal("500")),
    "greaterthanorequalto": f.ge("totalTxnAmount", Decimal("500")),
    "between dates": f.between("createdDate", date(2025, 2, 1), date(2025, 4, 30)),
    "greaterthan timestamp": f.gt("audit.modifiedDateTime", MARK),
    "in": f.in_("vendor.id", ["V00001", "V00008", "V00015"]),
    "notin": f.not_in("vendor.id", ["V00001", "V00008", "V00015"]),
    "like prefix": f.like("referenceNumber", "PO-100%"),
    "like suffix": f.like("vendor.id", "%5"),
    "like contains": f.like("description", "%GmbH%"),
    "notlike": f.not_like("description", "%GmbH%"),
    "isnull": f.is_null("entity.id"),
    "isnotnull": f.is_not_null("entity.id"),
    "and": f.and_(f.ge("totalTxnAmount", Decimal("100")), f.lt("createdDate", date(2025, 6, 1))),
    "or": f.or_(f.eq("vendor.id", "V00008"), f.is_not_null("entity.id")),
    "nested": f.or_(
        f.and_(
            f.or_(f.eq("vendor.id", "V00001"), f.eq("vendor.id", "V00008")),
            f.gt("totalTxnAmount", Decimal("20")),
        ),
        f.and_(f.is_not_null("entity.id"), f.not_like("description", "%GmbH%")),
        f.between("audit.modifiedDateTime", MARK, datetime(2025, 4, 1, tzinfo=UTC)),
    ),
}


@pytest.fixture(scope="module")
def both_clients(sandbox: Any) -> Iterator[tuple[IntacctRestClient, IntacctClient]]:
    from intacct_client import ClientConfig
    from rest_kit import rest_settings

    config = ClientConfig.from_mapping(rest_settings(sandbox))
    with IntacctRestClient(config) as rest, IntacctClient(config) as xml:
        yield rest, xml


@pytest.mark.parametrize("case", list(FILTERS))
def test_each_filter_selects_what_the_xml_query_selects(
    sandbox: Any, both_clients: tuple[IntacctRestClient, IntacctClient], case: str
) -> None:
    rest, xml = both_clients
    node = FILTERS[case]
    rest_keys = sorted(
        int(r["key"]) for page in rest.query_pages(BILL, ["key"], filter=node) for r in page.records
    )
    xml_page = xml.query("APBILL", ["RECORDNO"], filter=_xml(node), page_size=2000)
    xml_keys = sorted(int(r["RECORDNO"]) for r in xml_page.records)
    assert rest_keys == xml_keys
    # Every case selects some rows but not all, so a filter sent wrong cannot pass.
    assert 0 < len(rest_keys) < len(sandbox.records("APBILL")), case


def test_case_insensitive_comparison(
    both_clients: tuple[IntacctRestClient, IntacctClient],
) -> None:
    rest, _ = both_clients
    node = f.eq("vendor.id", "v00008")
    assert rest.query(BILL, ["key"], filter=node).records == []
    found = rest.query(BILL, ["vendor.id"], filter=node, case_insensitive=True).records
    assert found
    assert {r["vendor.id"] for r in found} == {"V00008"}


# ---------------------------------------------------------------- errors and faults
def test_errors_map_onto_the_client_exceptions(
    clean_sandbox: Any, make_rest_client: MakeRestClient
) -> None:
    client = make_rest_client(clean_sandbox)
    with pytest.raises(IntacctUnqueryableFieldsError) as unknown:
        client.query(BILL, ["key", "bogus", "vendor.nothing"])
    assert unknown.value.fields == ("bogus", "vendor.nothing")
    assert unknown.value.http_status == 400
    assert unknown.value.first_error is not None
    assert unknown.value.first_error.errorno == "REST-1016"
    with pytest.raises(IntacctObjectNotFoundError):
        client.query("accounts-payable/nothing", ["key"])
    with pytest.raises(IntacctObjectNotFoundError):
        client.model("accounts-payable/nothing")
    with pytest.raises(IntacctFunctionError, match="not a field") as bad_filter:
        client.query(BILL, ["key"], filter=f.eq("nothing", "x"))
    assert not isinstance(bad_filter.value, IntacctUnqueryableFieldsError)
    readonly = make_rest_client(clean_sandbox, user_id="readonly_user")
    with pytest.raises(IntacctPermissionError) as denied:
        readonly.query("accounts-receivable/invoice", ["key"])
    assert denied.value.http_status == 403
    assert readonly.query("accounts-receivable/customer", ["key"]).records
    assert client.retry_count == 0


@pytest.mark.parametrize(
    ("kind", "count"),
    [
        ("http_429", 2),
        ("http_503", 1),
        ("http_502", 1),
        ("malformed_xml", 1),
        ("drop_connection", 1),
        ("html_error_page", 1),
        ("concurrency_limit", 2),
    ],
)
def test_transient_failures_are_retried(
    clean_sandbox: Any, make_rest_client: MakeRestClient, kind: str, count: int
) -> None:
    client = make_rest_client(clean_sandbox)
    expected = sorted(str(r["RECORDNO"]) for r in clean_sandbox.records("APBILL"))
    clean_sandbox.fault(kind, count=count, function="query")
    page = client.query(BILL, ["key"])
    assert sorted(r["key"] for r in page.records) == expected
    assert client.retry_count == count
    assert client.call_counts == {"rest:token": 1, "rest:query": count + 1}


def test_retries_give_up_after_max_retries(
    clean_sandbox: Any, make_rest_client: MakeRestClient
) -> None:
    from intacct_client import IntacctRateLimitError

    client = make_rest_client(clean_sandbox, max_retries=2)
    clean_sandbox.fault("http_429", count=5, function="query")
    with pytest.raises(IntacctRateLimitError) as caught:
        client.query(BILL, ["key"])
    assert caught.value.http_status == 429
    assert client.call_counts["rest:query"] == 3
    assert client.retry_count == 2
    clean_sandbox.control("DELETE", "faults")


def test_a_token_request_that_fails_in_transit_is_retried(
    clean_sandbox: Any, make_rest_client: MakeRestClient
) -> None:
    client = make_rest_client(clean_sandbox)
    clean_sandbox.fault("http_503", function="token")
    assert client.query(BILL, ["key"], page_size=5).count == 5
    assert client.call_counts == {"rest:token": 2, "rest:query": 1}
    assert client.retry_count == 1


# ---------------------------------------------------------------- model
def test_model_and_object_list(clean_sandbox: Any, make_rest_client: MakeRestClient) -> None:
    client = make_rest_client(clean_sandbox)
    names = client.list_rest_objects()
    assert {BILL, LINE, "accounts-payable/vendor"} <= set(names)
    assert names == sorted(names)
    vendor = client.model("accounts-payable/vendor")
    assert vendor["apiObject"] == "accounts-payable/vendor"
    assert vendor["fields"]["name"]["type"] == "string"
    assert "modifiedDateTime" in vendor["groups"]["audit"]["fields"]
    listing = client.model()
    assert [item["apiObject"] for item in listing] == names
    assert client.call_counts == {"rest:token": 1, "rest:model": 3}


# ---------------------------------------------------------------- variants
VARIANT_CASES = [
    {},
    {"rest_decimals": "number"},
    {"rest_error_body": "error"},
    {"rest_query_shape": "dotted"},
    {"rest_oversize": "clamp"},
]


@pytest.fixture(scope="module")
def reference(sandbox: Any) -> list[dict[str, Any]]:
    """Bill records read under the default variants, for comparison."""
    from intacct_client import ClientConfig
    from rest_kit import rest_settings

    with IntacctRestClient(ClientConfig.from_mapping(rest_settings(sandbox))) as client:
        return [
            row
            for page in client.query_pages(BILL, BILL_FIELDS, order_by=[("key", "asc")])
            for row in page.records
        ]


@pytest.mark.parametrize(
    "variants",
    VARIANT_CASES,
    ids=lambda v: ",".join(f"{k}={x}" for k, x in v.items()) or "defaults",
)
def test_the_client_reads_the_same_records_under_every_variant(
    sandbox_factory: Callable[..., Any],
    make_rest_client: MakeRestClient,
    reference: list[dict[str, Any]],
    variants: dict[str, str],
) -> None:
    box = sandbox_factory(seed="demo", variants=variants)
    assert {k: box.variants()[k] for k in variants} == variants
    client = make_rest_client(box)
    stored = {str(r["RECORDNO"]): r for r in box.records("APBILL")}
    pages = list(client.query_pages(BILL, BILL_FIELDS, order_by=[("key", "asc")], page_size=40))
    assert [p.count for p in pages] == [40, 40, 40, len(stored) - 120]
    rows = [row for page in pages for row in page.records]
    assert [row["key"] for row in rows] == sorted(stored, key=int)
    for row in rows:
        assert list(row) == BILL_FIELDS
        record = stored[row["key"]]
        assert row["vendor.id"] == record["VENDORID"]
        assert row["entity.id"] == record["MEGAENTITYID"]
        assert row["audit.modifiedDateTime"] == record["WHENMODIFIED"]
        amount = row["totalTxnAmount"]
        if variants.get("rest_decimals") == "number":
            # a JSON number: an int, or a Decimal (never a float, which would lose digits)
            assert isinstance(amount, int | Decimal)
            assert not isinstance(amount, bool)
        else:
            assert isinstance(amount, str)
        assert Decimal(str(amount)) == Decimal(str(record["TRX_TOTALENTERED"]))
    as_text = [{**row, "totalTxnAmount": Decimal(str(row["totalTxnAmount"]))} for row in rows]
    expected = [{**row, "totalTxnAmount": Decimal(str(row["totalTxnAmount"]))} for row in reference]
    assert as_text == expected
    # Errors read from either error body.
    with pytest.raises(IntacctUnqueryableFieldsError) as unknown:
        client.query(BILL, ["key", "bogus"])
    assert unknown.value.fields == ("bogus",)
    box.fault("session_expired", function="query")
    assert client.query(BILL, ["key"], page_size=3).count == 3
    readonly = make_rest_client(box, user_id="readonly_user")
    with pytest.raises(IntacctPermissionError, match="permission"):
        readonly.query("accounts-receivable/invoice", ["key"])
