"""REST casting against real query answers: the same typed values as the XML streams.

For several objects, the first rows by key are read through REST (flattened as the
client hands them over) and through the XML `query` of the mapped catalog object, each
typed by its own caster; every mapped field must agree: Decimal money, integer keys,
UTC date-times, dates and booleans. Amounts written as JSON numbers (variant
`rest_decimals=number`) give the same Decimals, whether the JSON parser made them
Decimal or float.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from intacct_client import ClientConfig, IntacctClient
from intacct_sandbox.rest.objects import REST_OBJECTS
from rest_http import RestHttp
from tap_intacct.casting import PageCaster, WireTime
from tap_intacct.rest_casting import RestPageCaster, RestValueError, cast_decimal
from tap_intacct.rest_discovery import build_rest_spec, is_key_path
from tap_intacct.schema import build_spec

OBJECTS = (
    "accounts-payable/vendor",
    "accounts-payable/bill",
    "accounts-payable/bill-line",
    "accounts-receivable/invoice",
    "general-ledger/journal-entry-line",
    "inventory-control/item",
)
ROWS = 300
MONEY = {"CURRENCY", "DECIMAL", "PERCENT"}


def _xml_rows(client: IntacctClient, catalog: str, fields: list[str]) -> dict[int, dict]:
    definition = client.lookup(catalog)
    spec = build_spec(catalog, [(item.id, item.datatype) for item in definition.fields])
    wire = WireTime(client.user_timezone(), client.user_date_style(), "UTC")
    caster = PageCaster(spec.schema, fields, wire)
    page = client.query(catalog, fields, order_by=[("RECORDNO", "asc")], page_size=ROWS)
    return {row["RECORDNO"]: row for row in caster.cast_page(page.records)}


def _rest_rows(source: RestHttp, name: str) -> dict[int, dict]:
    spec = build_rest_spec(source.model(name))
    caster = RestPageCaster(spec.schema, spec.query_fields, spec.stream_name)
    rows = caster.cast_page(source.query(name, list(spec.query_fields), size=ROWS))
    return {row["key"]: row for row in rows}


def _compare(box: Any, exact_numbers: bool) -> dict[str, int]:
    source = RestHttp(box.base_url, exact_numbers=exact_numbers)
    checked = {"money": 0, "timestamps": 0, "dates": 0, "booleans": 0, "keys": 0}
    with IntacctClient(ClientConfig.from_mapping(box.config())) as client:
        for name in OBJECTS:
            rest = REST_OBJECTS[name]
            paths = {path: fdef for path, fdef in rest.paths.items() if path not in rest.codes}
            columns = sorted({fdef.id for fdef in paths.values()} | {"RECORDNO"})
            xml = _xml_rows(client, rest.catalog_name, columns)
            got = _rest_rows(source, name)
            assert len(got) == min(ROWS, len(box.records(rest.catalog_name)))
            assert set(got) == set(xml), name
            for key, row in got.items():
                assert isinstance(key, int)
                assert row["key"] == xml[key]["RECORDNO"]
                for path, fdef in paths.items():
                    mine, theirs = row[path], xml[key][fdef.id]
                    if fdef.datatype in MONEY:
                        assert mine is None or type(mine) is Decimal, (name, path, mine)
                        checked["money"] += mine is not None
                    elif is_key_path(path):
                        assert mine is None or type(mine) is int, (name, path, mine)
                        checked["keys"] += mine is not None
                    elif fdef.datatype == "TIMESTAMP":
                        checked["timestamps"] += mine is not None
                    elif fdef.datatype == "DATE":
                        checked["dates"] += mine is not None
                    elif fdef.datatype == "BOOLEAN":
                        assert mine is None or type(mine) is bool
                        checked["booleans"] += mine is not None
                    if isinstance(mine, str) and type(theirs) is int:
                        theirs = str(theirs)  # REST writes ids and user keys as text
                    assert mine == theirs, (name, key, path, mine, theirs)
    return checked


def _assert_covered(checked: dict[str, int]) -> None:
    assert checked["money"] > 500
    assert checked["timestamps"] > 500
    assert checked["dates"] > 100
    assert checked["booleans"] > 100
    assert checked["keys"] > 500


def test_rest_values_equal_the_xml_streams(sandbox: Any) -> None:
    _assert_covered(_compare(sandbox, exact_numbers=True))


@pytest.mark.parametrize("exact_numbers", [True, False])
def test_amounts_as_json_numbers_give_the_same_decimals(
    sandbox_factory: Any, exact_numbers: bool
) -> None:
    box = sandbox_factory(seed="demo", variants={"rest_decimals": "number"})
    assert box.variants()["rest_decimals"] == "number"
    raw = RestHttp(box.base_url, exact_numbers=exact_numbers).query(
        "accounts-payable/bill", ["key", "totalTxnAmount"], size=50
    )
    parsed = Decimal if exact_numbers else float
    kinds = {type(row["totalTxnAmount"]) for row in raw}
    assert parsed in kinds  # whole amounts may come as int
    assert kinds <= {parsed, int}
    _assert_covered(_compare(box, exact_numbers=exact_numbers))


def test_a_float_becomes_its_shortest_decimal_not_its_binary_expansion() -> None:
    assert str(cast_decimal(0.1)) == "0.1"
    assert str(cast_decimal(2567.01)) == "2567.01"
    assert cast_decimal(0.1) != Decimal(0.1)  # noqa: RUF032 - the binary expansion
    assert cast_decimal("12.50") == Decimal("12.50")
    assert str(cast_decimal(Decimal("1234567890123456789.01"))) == "1234567890123456789.01"
    assert cast_decimal(7) == Decimal(7)


@pytest.fixture(scope="module")
def bill_caster_and_row(sandbox: Any) -> tuple[RestPageCaster, dict[str, Any]]:
    source = RestHttp(sandbox.base_url)
    spec = build_rest_spec(source.model("accounts-payable/bill"))
    caster = RestPageCaster(spec.schema, spec.query_fields, spec.stream_name)
    row = source.query("accounts-payable/bill", list(spec.query_fields), size=1)[0]
    return caster, row


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("totalTxnAmount", "12,50x", "a decimal number"),
        ("totalTxnAmount", "NaN", "a finite decimal number"),
        ("totalTxnAmount", True, "a decimal number"),
        ("dueDate", "02/06/2025", "a date YYYY-MM-DD"),
        ("dueDate", "2025-02-30", "a date YYYY-MM-DD"),
        ("audit.modifiedDateTime", "2025-01-22T01:10:13", "it has no zone"),
        ("audit.modifiedDateTime", "yesterday", "an ISO-8601 date-time"),
        ("isOnHold", "yes", "true or false"),
        ("key", "0012", "a record number"),
        ("entity.key", "12.0", "a record number"),
    ],
)
def test_bad_values_name_stream_key_field_and_value(
    bill_caster_and_row: tuple[RestPageCaster, dict[str, Any]],
    field: str,
    value: Any,
    expected: str,
) -> None:
    caster, row = bill_caster_and_row
    good = caster.cast_page([row])[0]
    assert good["key"] == int(row["key"])
    bad = {**row, field: value}
    with pytest.raises(RestValueError) as raised:
        caster.cast_page([row, bad])
    message = str(raised.value)
    assert "accounts_payable_bill" in message
    assert f"record key {bad['key']!r}" in message
    assert f"field {field} " in message
    assert repr(value) in message
    assert expected in message
    assert (raised.value.stream, raised.value.field, raised.value.value) == (
        "accounts_payable_bill",
        field,
        value,
    )


def test_casting_normalises_zones_and_spellings(
    bill_caster_and_row: tuple[RestPageCaster, dict[str, Any]],
) -> None:
    caster, row = bill_caster_and_row
    odd = {
        **row,
        "audit.modifiedDateTime": "2025-01-21T20:10:13-05:00",
        "isOnHold": "TRUE",
        "totalTxnAmount": 25,
        "dueDate": "",
        "vendor.id": None,
    }
    odd.pop("description", None)
    out = caster.cast_page([odd])[0]
    assert out["audit.modifiedDateTime"] == "2025-01-22T01:10:13+00:00"
    assert out["isOnHold"] is True
    assert out["totalTxnAmount"] == Decimal(25)
    assert out["dueDate"] is None
    assert out["vendor.id"] is None
    assert out["description"] is None
    assert tuple(out) == caster.fields
    caster_copy = RestPageCaster({"properties": {}}, caster.fields, "s")
    caster_copy.drop_fields(["dueDate", "vendor.id"])
    assert "dueDate" not in caster_copy.fields
    assert set(caster_copy.cast_page([row])[0]) == set(caster.fields) - {"dueDate", "vendor.id"}


def test_a_nested_group_where_a_value_belongs_is_named_not_shown(
    bill_caster_and_row: tuple[RestPageCaster, dict[str, Any]],
) -> None:
    caster, row = bill_caster_and_row
    with pytest.raises(RestValueError) as raised:
        caster.cast_page([{**row, "vendor.id": {"taxId": "12-3456789"}}])
    message = str(raised.value)
    assert "field vendor.id has value <a dict>" in message
    assert "12-3456789" not in message
    assert caster.cast_page([{**row, "vendor.id": 12}])[0]["vendor.id"] == "12"
