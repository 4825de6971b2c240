"""A catalog of a real company's breadth, walked over real HTTP.

Every object `inspect *` lists answers `lookup`; every object the demo user may read
answers a one-row `query` selecting every field lookup lists (except the documented
unqueryable fields); objects of the unsubscribed Fixed Assets application answer the
permission error. Envelopes are built by hand (tests/sandbox/conftest.py), no client.
"""

from __future__ import annotations

import re
import sqlite3
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

import pytest
from intacct_sandbox import store, subscriptions

ISSUE_OBJECTS = (  # noqa: SIM905 - a word list reads better as text
    "APPYMTDETAIL APADJUSTMENT APADJUSTMENTITEM APRECURBILL APTERM ARADJUSTMENT "
    "ARADJUSTMENTITEM ARTERM ARRECORD PROVIDERBANKACCOUNT SAVINGSACCOUNT CREDITCARD DEPOSIT "
    "BANKACCOUNT GLBUDGETHEADER GLBUDGETITEM STATACCOUNT REPORTINGPERIOD ACCOUNTGROUP "
    "PODOCUMENT PODOCUMENTENTRY SODOCUMENT SODOCUMENTENTRY INVDOCUMENT WAREHOUSE "
    "AFFILIATEENTITY FIXEDASSET CONTRACT COSTTYPE TIMESHEET TIMESHEETENTRY EEXPENSES "
    "TAXDETAIL TRXCURRENCIES EXCHANGERATE COMPANYPREF TERRITORY CUSTTYPE VENDTYPE "
    "DEPARTMENTGROUP LOCATIONGROUP PROJECTTYPE PROJECTSTATUS"
).split()
USER_DEFINED_DIMENSIONS = ("fund", "grant_program", "Region")
# fields lookup lists that query refuses (docs/protocol.md §6.2; intacct-sdk-net #193 for LINES#)
UNQUERYABLE = {"APBILL": {"PAYTOCONTACTNAME"}, "TIMESHEET": {"LINES#"}}
UNSUBSCRIBED = {"FIXEDASSET"}  # Fixed Assets: not subscribed by the demo company
NOT_QUERYABLE = re.compile(r"cannot be queried: \[ [^:]+: \[(?P<fields>[^\]]*)\] \]")


class Api:
    """One session of one user; posts single functions and returns their <result>."""

    def __init__(self, gw: Any, kit: Any, **login: Any) -> None:
        self.gw, self.kit = gw, kit
        self.session = gw.session(**login)

    def result(self, function: str) -> Element:
        reply = self.gw.post(self.kit.envelope(function, auth=self.kit.session_xml(self.session)))
        assert reply.status == 200
        (result,) = reply.results()
        return result

    def data(self, function: str) -> Element:
        result = self.result(function)
        assert result.findtext("status") == "success", result.findtext(
            "errormessage/error/description2"
        )
        data = result.find("data")
        assert data is not None
        return data


def query_xml(name: str, fields: list[str]) -> str:
    select = "".join(f"<field>{f}</field>" for f in fields)
    return (
        f"<query><object>{name}</object><select>{select}</select><pagesize>1</pagesize>"
        "<options><showprivate>true</showprivate></options></query>"
    )


@pytest.fixture
def typenames(gw: Any, kit: Any) -> list[str]:
    api = Api(gw, kit)
    data = api.data("<inspect><object>*</object></inspect>")
    return [t.get("typename", "") for t in data.findall("type")]


def test_inspect_lists_a_real_company_breadth(typenames: list[str]) -> None:
    assert len(typenames) >= 80
    assert len(set(typenames)) == len(typenames)
    missing = [name for name in ISSUE_OBJECTS if name not in typenames]
    assert missing == []
    # user-defined dimensions keep their lower/mixed-case platform typenames (docs/protocol.md §4.9)
    assert set(USER_DEFINED_DIMENSIONS) <= set(typenames)


def test_every_readable_object_answers_lookup_and_a_full_one_row_query(
    gw: Any, kit: Any, typenames: list[str]
) -> None:
    api = Api(gw, kit)
    refused: dict[str, set[str]] = {}
    denied: list[str] = []
    empty: list[str] = []
    for name in typenames:
        described = api.result(f"<lookup><object>{name}</object></lookup>")
        if described.findtext("status") != "success":
            # lookup refuses objects the user may not read (our choice, see functions/meta.py)
            assert described.findtext("errormessage/error/errorno") == "PL04000005", name
            denied.append(name)
            continue
        lookup = described.find("data")
        assert lookup is not None
        (definition,) = lookup.findall("Type")
        assert definition.get("Name") == name
        fields = [f.findtext("ID") or "" for f in definition.findall("Fields/Field")]
        assert fields[0] == "RECORDNO", name
        assert all(f.findtext("DATATYPE") for f in definition.findall("Fields/Field")), name
        result = api.result(query_xml(name, fields))
        if result.findtext("status") != "success":
            error = result.find("errormessage/error")
            assert error is not None
            if error.findtext("errorno") == "PL04000005":
                denied.append(name)
                continue
            match = NOT_QUERYABLE.search(error.findtext("description2") or "")
            assert match, (name, error.findtext("description2"))
            refused[name] = {f.strip() for f in match.group("fields").split(",")}
            fields = [f for f in fields if f not in refused[name]]
            result = api.result(query_xml(name, fields))
        assert result.findtext("status") == "success", (name, result.findtext(".//description2"))
        data = result.find("data")
        assert data is not None
        assert data.get("listtype") == name
        records = data.findall(name)
        if not records:
            empty.append(name)
            continue
        (record,) = records
        assert [child.tag for child in record] == fields, name
        assert int(record.findtext("RECORDNO") or "0") >= 1
    assert refused == UNQUERYABLE
    assert set(denied) == UNSUBSCRIBED
    assert empty == []  # every readable object of the demo company holds rows


def test_unsubscribed_application_answers_permission_denied(gw: Any, kit: Any) -> None:
    api = Api(gw, kit)
    for function in (
        "<lookup><object>FIXEDASSET</object></lookup>",
        query_xml("FIXEDASSET", ["RECORDNO"]),
        "<readByQuery><object>FIXEDASSET</object><fields>*</fields><query></query></readByQuery>",
        "<read><object>FIXEDASSET</object><keys>1</keys><fields>*</fields></read>",
    ):
        result = api.result(function)
        assert result.findtext("status") == "failure"
        assert result.findtext("errormessage/error/errorno") == "PL04000005"
        assert "on objects of type fixedasset" in (
            result.findtext("errormessage/error/description2") or ""
        )


def test_extended_rows_look_like_intacct_values(gw: Any, kit: Any) -> None:
    api = Api(gw, kit)
    data = api.data(
        "<query><object>SODOCUMENTENTRY</object><select><field>RECORDNO</field>"
        "<field>DOCHDRNO</field><field>LINE_NO</field><field>PRICE</field><field>WHENMODIFIED"
        "</field></select><filter><equalto><field>DOCHDRNO</field><value>1</value></equalto>"
        "</filter><orderby><order><field>LINE_NO</field></order></orderby></query>"
    )
    lines = data.findall("SODOCUMENTENTRY")
    # zero-based (protocol.md §5.4)
    assert [line.findtext("LINE_NO") for line in lines] == ["0", "1"]
    assert all(re.fullmatch(r"-?\d+(\.\d+)?", line.findtext("PRICE") or "") for line in lines)
    assert all(
        re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d:\d\d", line.findtext("WHENMODIFIED") or "")
        for line in lines
    )
    read = api.data("<read><object>SODOCUMENT</object><keys>1</keys><fields>*</fields></read>")
    entries = read.findall("SODOCUMENT/SODOCUMENTENTRIES/sodocumententry")
    assert [e.findtext("RECORDNO") for e in entries] == ["1", "2"]
    header_id = read.findtext("SODOCUMENT/DOCID") or ""
    assert re.fullmatch(r"Sales \w+-SO0001", header_id)
    assert {e.findtext("DOCHDRID") for e in entries} == {header_id}
    line_totals = [Decimal(e.findtext("TOTAL") or "0") for e in entries]
    for e in entries:
        quantity, price = Decimal(e.findtext("QUANTITY") or ""), Decimal(e.findtext("PRICE") or "")
        assert Decimal(e.findtext("TOTAL") or "") == quantity * price
    assert Decimal(read.findtext("SODOCUMENT/TOTAL") or "") == sum(line_totals)
    fund = api.data(query_xml("fund", ["RECORDNO", "ID", "NAME", "STATUS"]))
    assert fund.get("listtype") == "fund"
    assert fund.findtext("fund/ID") == "FUND-001"


def _counts(path: Path) -> dict[str, int]:
    from intacct_sandbox.seed_extended import extended_objects

    conn = sqlite3.connect(path)
    try:
        return {
            obj.name: conn.execute(f'SELECT COUNT(*) FROM "{obj.name}"').fetchone()[0]
            for obj in extended_objects()
        }
    finally:
        conn.close()


def _dump(path: Path, name: str) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f'SELECT * FROM "{name}" ORDER BY "RECORDNO"').fetchall()
    finally:
        conn.close()


def test_seed_is_deterministic_and_scales(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.delenv(subscriptions.ENV_VAR, raising=False)
    one, again, two = tmp_path / "1.db", tmp_path / "1b.db", tmp_path / "2.db"
    store.create_database(str(one), "empty", 1, "America/Los_Angeles")
    assert sum(_counts(one).values()) == 0  # the empty seed has no extended rows
    store.create_database(str(one), "demo", 1, "America/Los_Angeles")
    store.create_database(str(again), "demo", 1, "America/Los_Angeles")
    store.create_database(str(two), "demo", 2, "America/Los_Angeles")
    for name in ("APADJUSTMENT", "SODOCUMENTENTRY", "EXCHANGERATE", "fund"):
        assert _dump(one, name) == _dump(again, name)
    c1, c2 = _counts(one), _counts(two)
    assert c1["FIXEDASSET"] == c2["FIXEDASSET"] == 0
    assert c2["APADJUSTMENT"] == 2 * c1["APADJUSTMENT"] > 0
    assert c2["SODOCUMENTENTRY"] == 2 * c1["SODOCUMENTENTRY"] > 0
    assert c2["TRXCURRENCIES"] == c1["TRXCURRENCIES"] == 5  # configuration: fixed size
    money = _dump(one, "APRECURBILL")[0]
    assert any(isinstance(v, str) and re.fullmatch(r"\d+\.\d{1,2}", v) for v in money)


def test_subscription_setting_grammar() -> None:
    everything = frozenset(subscriptions.APPLICATIONS)
    assert subscriptions.parse(None) == everything - {"FA"}
    assert subscriptions.parse("all") == everything
    assert subscriptions.parse("+FA") == everything
    assert subscriptions.parse("-EE, -Purchasing") == everything - {"FA", "EE", "PO"}
    assert subscriptions.parse("gl,Accounts Payable") == {"GL", "AP", "CO", "PLATFORM"}
    with pytest.raises(ValueError, match="unknown application"):
        subscriptions.parse("Payroll")


def test_subscriptions_are_configurable(sandbox_factory: Any, kit: Any, monkeypatch: Any) -> None:
    monkeypatch.setenv(subscriptions.ENV_VAR, "all")
    box = sandbox_factory(seed="demo")
    api = Api(kit.Gateway(box.api_url), kit)
    data = api.data(query_xml("FIXEDASSET", ["RECORDNO", "ASSETID"]))
    assert data.get("totalcount") == "5"  # subscribed: readable, and seeded like the rest
    assert data.findtext("FIXEDASSET/ASSETID") == "FIXE-001"
    permissions = api.data("<getUserPermissions><userId>sandbox_user</userId></getUserPermissions>")
    apps = [a.findtext("applicationName") for a in permissions.iter("appSubscription")]
    assert "Fixed Assets" in apps
