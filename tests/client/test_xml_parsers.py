"""The client's XML parsers agree with each other and refuse what must be refused.

`parse_xml` (lxml, the client's choice), `parse_guarded` (C ElementTree) and
`parse_defused` (defusedxml) must give the same records for every shape a gateway sends:
escaped and numeric character references, CDATA, non-ASCII text in UTF-8 and Latin-1,
empty and whitespace elements, nested and repeated elements; comments and processing
instructions must not show up as fields. All three refuse DOCTYPE/ENTITY declarations
and report malformed or truncated documents as MalformedXmlError.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from intacct_client.parsing import element_to_record
from intacct_client.xmlread import (
    MalformedXmlError,
    UnsafeXmlError,
    parse_defused,
    parse_guarded,
    parse_lxml,
    parse_xml,
)

PARSERS: list[Callable[[bytes], Any]] = [parse_lxml, parse_guarded, parse_defused]

RECORDS = (
    "<response><operation><result><data listtype='VENDOR' count='2'>"
    "<VENDOR><RECORDNO>1</RECORDNO><NAME>Smith &amp; Sons &lt;Ltd&gt; &#233;&#x4E2D;</NAME>"
    '<NOTE><![CDATA[a < b & "c"]]></NOTE><EMPTY></EMPTY><SELF/>'
    "<BLANKCDATA><![CDATA[]]></BLANKCDATA><SPACE> </SPACE>"
    "<!-- a comment --><?pi ignored?>"
    "<CONTACTINFO><CONTACT><NAME>Ann</NAME></CONTACT></CONTACTINFO>"
    "<TAG>x</TAG><TAG>y</TAG></VENDOR>"
    "<VENDOR><RECORDNO>2</RECORDNO><NAME>Zoë</NAME></VENDOR>"
    "</data></result></operation></response>"
)


def records(parse: Callable[[bytes], Any], body: bytes) -> list[dict[str, Any]]:
    root = parse(body)
    data = root.find("operation/result/data")
    assert data is not None
    assert dict(data.attrib) == {"listtype": "VENDOR", "count": "2"}
    return [element_to_record(child) for child in data]


def test_the_client_uses_lxml() -> None:
    assert parse_xml is parse_lxml


@pytest.mark.parametrize("parse", PARSERS, ids=lambda p: p.__name__)
@pytest.mark.parametrize("encoding", ["UTF-8", "ISO-8859-1"])
def test_every_parser_gives_the_same_records(parse: Callable[[bytes], Any], encoding: str) -> None:
    body = f'<?xml version="1.0" encoding="{encoding}"?>{RECORDS}'.encode(
        encoding, "xmlcharrefreplace"
    )
    rows = records(parse, body)
    assert rows == [
        {
            "RECORDNO": "1",
            "NAME": "Smith & Sons <Ltd> \u00e9\u4e2d",
            "NOTE": 'a < b & "c"',
            "EMPTY": None,
            "SELF": None,
            "BLANKCDATA": None,
            "SPACE": " ",
            "CONTACTINFO": {"CONTACT": {"NAME": "Ann"}},
            "TAG": ["x", "y"],
        },
        {"RECORDNO": "2", "NAME": "Zo\u00eb"},
    ]


@pytest.mark.parametrize("parse", PARSERS, ids=lambda p: p.__name__)
@pytest.mark.parametrize(
    "body",
    [
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "b">]><response>&a;</response>',
        b"<!doctype response><response/>",
        b'<?xml version="1.0"?><!DOCTYPE r SYSTEM "file:///etc/passwd"><response/>',
        b'<!ENTITY x "y"><response/>',
    ],
)
def test_declarations_are_refused(parse: Callable[[bytes], Any], body: bytes) -> None:
    with pytest.raises((UnsafeXmlError, MalformedXmlError)):
        parse(body)


@pytest.mark.parametrize("parse", [parse_lxml, parse_guarded], ids=lambda p: p.__name__)
def test_guarded_parsers_name_the_declaration(parse: Callable[[bytes], Any]) -> None:
    with pytest.raises(UnsafeXmlError, match="DOCTYPE"):
        parse(b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "b">]><response>&a;</response>')


@pytest.mark.parametrize("parse", PARSERS, ids=lambda p: p.__name__)
@pytest.mark.parametrize(
    "body",
    [b"", b"<response><data>", b"<response></respons>", b"<html>oops</body>", b"&undefined;"],
)
def test_malformed_documents(parse: Callable[[bytes], Any], body: bytes) -> None:
    with pytest.raises(MalformedXmlError):
        parse(body)


def test_undeclared_entity_is_an_error_not_an_expansion() -> None:
    with pytest.raises(MalformedXmlError):
        parse_lxml(b"<response><a>&secret;</a></response>")


def test_utf16_bodies_go_through_defusedxml() -> None:
    body = ('<?xml version="1.0" encoding="UTF-16"?>' + RECORDS).encode("utf-16")
    assert records(parse_lxml, body) == records(parse_defused, body)
    evil = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE r [<!ENTITY a "b">]><r>&a;</r>'
    with pytest.raises(UnsafeXmlError):
        parse_lxml(evil.encode("utf-16"))


def test_text_beyond_libxml2s_default_limit_parses() -> None:
    big = "A" * (11 * 1024 * 1024)
    root = parse_lxml(f"<response><supdoc>{big}</supdoc></response>".encode())
    node = root.find("supdoc")
    assert node is not None
    assert node.text is not None
    assert len(node.text) == len(big)
