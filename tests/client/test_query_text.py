"""readByQuery condition text -> `query` filter tree (intacct_client.query_text)."""

from __future__ import annotations

import pytest
from intacct_client.query_text import QueryTextError, filter_fields, parse_query


@pytest.mark.parametrize(
    ("text", "xml"),
    [
        (
            "STATE = 'Posted' AND TOTALDUE > 0",
            "<and><equalto><field>STATE</field><value>Posted</value></equalto>"
            "<greaterthan><field>TOTALDUE</field><value>0</value></greaterthan></and>",
        ),
        (
            "NAME like 'Jane\\'s%' or VENDORID not in ('V1', 'V2')",
            "<or><like><field>NAME</field><value>Jane's%</value></like>"
            "<notin><field>VENDORID</field><value>V1</value><value>V2</value></notin></or>",
        ),
        (
            "NOT (A >= -1.5 OR B IS NULL) AND C is not null",
            "<and><and><lessthan><field>A</field><value>-1.5</value></lessthan>"
            "<isnotnull><field>B</field></isnotnull></and>"
            "<isnotnull><field>C</field></isnotnull></and>",
        ),
        (
            "A != 'x' AND (B <> 'y' OR C <= '01/31/2025')",
            "<and><notequalto><field>A</field><value>x</value></notequalto>"
            "<or><notequalto><field>B</field><value>y</value></notequalto>"
            "<lessthanorequalto><field>C</field><value>01/31/2025</value>"
            "</lessthanorequalto></or></and>",
        ),
    ],
)
def test_translation(text: str, xml: str) -> None:
    assert parse_query(text).render() == xml


def test_fields_in_order_of_appearance() -> None:
    assert filter_fields(parse_query("B = 1 AND (A = 2 OR B = 3)")) == ["B", "A"]


@pytest.mark.parametrize(
    ("text", "token"),
    [
        ("STATE = 'Posted' AMD X = 1", "AMD"),
        ("STATE == 'Posted'", "="),
        ("STATE 'Posted'", "'Posted'"),
        ("= 'Posted'", "="),
        ("A in 'x'", "'x'"),
        ("A is 'x'", "'x'"),
        ("A = 'x", "'x"),
        ("A = 1 )", ")"),
        ("A = 1 AND", ""),
        ("", ""),
    ],
)
def test_errors_name_the_token(text: str, token: str) -> None:
    with pytest.raises(QueryTextError) as caught:
        parse_query(text)
    assert caught.value.token == token
    if token:
        assert repr(token) in str(caught.value)
