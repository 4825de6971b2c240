"""The REST request and answer shapes built without a server: filters, records, errors."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from intacct_client import (
    IntacctFunctionError,
    IntacctObjectNotFoundError,
    IntacctPermissionError,
    IntacctSessionExpiredError,
    IntacctUnqueryableFieldsError,
)
from intacct_client import filters as f
from intacct_client.rest_errors import rest_error, unknown_fields
from intacct_client.rest_filters import translate
from intacct_client.rest_records import flatten_record


@pytest.mark.parametrize(
    ("node", "expected"),
    [
        (f.eq("id", "V1"), {"$eq": {"id": "V1"}}),
        (f.ne("id", "V1"), {"$ne": {"id": "V1"}}),
        (f.lt("n", 5), {"$lt": {"n": 5}}),
        (f.le("amount", Decimal("1.50")), {"$lte": {"amount": "1.50"}}),
        (f.gt("day", date(2025, 1, 31)), {"$gt": {"day": "2025-01-31"}}),
        (
            f.ge("at", datetime(2025, 1, 31, 9, 0, tzinfo=timezone(timedelta(hours=-8)))),
            {"$gte": {"at": "2025-01-31T17:00:00Z"}},
        ),
        (f.between("n", 1, 9), {"$between": {"n": [1, 9]}}),
        (f.in_("id", ["A", "B"]), {"$in": {"id": ["A", "B"]}}),
        (f.not_in("id", ["A"]), {"$notIn": {"id": ["A"]}}),
        (f.is_null("x"), {"$eq": {"x": None}}),
        (f.is_not_null("x"), {"$ne": {"x": None}}),
        (f.like("name", "Ab%"), {"$startsWith": {"name": "Ab"}}),
        (f.like("name", "%Ab"), {"$endsWith": {"name": "Ab"}}),
        (f.like("name", "%Ab%"), {"$contains": {"name": "Ab"}}),
        (f.like("name", "Ab"), {"$eq": {"name": "Ab"}}),
        (f.not_like("name", "Ab%"), {"$notStartsWith": {"name": "Ab"}}),
        (f.not_like("name", "%Ab"), {"$notEndsWith": {"name": "Ab"}}),
        (f.not_like("name", "%Ab%"), {"$notContains": {"name": "Ab"}}),
        (f.not_like("name", "Ab"), {"$ne": {"name": "Ab"}}),
    ],
)
def test_each_operator_becomes_one_rest_filter(node: f.Filter, expected: dict) -> None:
    rest = translate(node)
    assert rest.filters == [expected]
    assert rest.expression == "and"


def test_and_or_nest_as_parenthesised_positions() -> None:
    tree = f.or_(
        f.and_(f.or_(f.eq("a", "1"), f.eq("a", "2")), f.gt("b", 3)),
        f.and_(f.is_null("c"), f.like("d", "x%")),
        f.eq("e", "5"),
    )
    rest = translate(tree)
    assert rest.expression == "((1 or 2) and 3) or (4 and 5) or 6"
    assert [next(iter(item)) for item in rest.filters] == [
        "$eq",
        "$eq",
        "$gt",
        "$eq",
        "$startsWith",
        "$eq",
    ]
    assert translate(f.and_(f.eq("a", "1"), f.eq("b", "2"))).expression == "1 and 2"


@pytest.mark.parametrize("pattern", ["A_c%", "A%c", "%a%b%"])
def test_like_patterns_rest_cannot_say_are_refused_by_name(pattern: str) -> None:
    with pytest.raises(ValueError, match="'name'") as caught:
        translate(f.like("name", pattern))
    assert repr(pattern) in str(caught.value)


def test_a_naive_datetime_is_refused_by_field() -> None:
    with pytest.raises(ValueError, match=r"'at'.*no time zone"):
        translate(f.gt("at", datetime(2025, 1, 1)))


def test_records_are_flattened_to_dotted_keys() -> None:
    nested = {
        "key": "1",
        "vendor": {"id": "V1", "name": None},
        "audit": {"modifiedDateTime": "2025-01-01T00:00:00Z"},
        "contacts": {"default": {"mailingAddress": {"city": "Lyon"}}},
        "lines": [{"key": "7", "glAccount": {"id": "6100"}}],
    }
    dotted = {
        "key": "1",
        "vendor.id": "V1",
        "vendor.name": None,
        "audit.modifiedDateTime": "2025-01-01T00:00:00Z",
        "contacts.default.mailingAddress.city": "Lyon",
        "lines": [{"key": "7", "glAccount": {"id": "6100"}}],
    }
    assert flatten_record(nested) == dotted
    assert flatten_record(dotted) == dotted


def _ia(status_code: str, message: str, error_id: str) -> dict:
    error = {"code": status_code, "message": message, "errorId": error_id}
    return {"ia::result": {"ia::error": error}, "ia::meta": {"totalError": 1}}


@pytest.mark.parametrize("bare", [False, True])
def test_error_answers_map_onto_exceptions_from_either_body(bare: bool) -> None:
    def body(code: str, message: str, error_id: str) -> dict:
        full = _ia(code, message, error_id)
        return {"error": full["ia::result"]["ia::error"]} if bare else full

    expired = rest_error(401, body("tokenInvalid", "Token is not valid", "REST-2102"), "rest:query")
    assert isinstance(expired, IntacctSessionExpiredError)
    denied = rest_error(403, body("permissionDenied", "No.", "REST-2001"), "rest:query")
    assert isinstance(denied, IntacctPermissionError)
    missing = rest_error(404, body("notFound", "Gone.", "REST-1004"), "rest:query")
    assert isinstance(missing, IntacctObjectNotFoundError)
    unknown = rest_error(
        400, body("invalidRequest", "Unknown fields for ap/bill: a, b.c.", "REST-1016"), "q"
    )
    assert isinstance(unknown, IntacctUnqueryableFieldsError)
    assert unknown.fields == ("a", "b.c")
    other = rest_error(400, body("invalidRequest", "'size' is wrong.", "REST-1026"), "rest:query")
    assert type(other) is IntacctFunctionError
    assert "REST-1026" in str(other)
    assert "'size' is wrong." in str(other)
    assert other.first_error is not None
    assert other.first_error.description == "invalidRequest"


def test_an_error_without_a_body_still_names_the_status() -> None:
    error = rest_error(400, None, "rest:query")
    assert type(error) is IntacctFunctionError
    assert "HTTP 400" in str(error)
    assert unknown_fields("Something else.") == []
