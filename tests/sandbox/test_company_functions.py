"""getDimensions and getUserPermissions over real HTTP (docs/protocol.md §4.12 shapes), and the
readonly user's permissions agreeing with what it may query."""

from __future__ import annotations

from typing import Any
from xml.etree.ElementTree import Element

DIMENSION_CHILDREN = [
    "objectName",
    "objectLabel",
    "termLabel",
    "userDefinedDimension",
    "enabledInGL",
]
RIGHTS = {"List", "View", "Add", "Edit", "Delete"}


def call(gw: Any, kit: Any, session: str, function: str) -> Element:
    reply = gw.post(kit.envelope(function, auth=kit.session_xml(session)))
    assert reply.status == 200
    (result,) = reply.results()
    return result


def data(gw: Any, kit: Any, session: str, function: str) -> Element:
    result = call(gw, kit, session, function)
    assert result.findtext("status") == "success", result.findtext(".//description2")
    found = result.find("data")
    assert found is not None
    return found


def permissions_of(gw: Any, kit: Any, session: str, login: str) -> dict[str, dict[str, str]]:
    """applicationName -> {policyName: rights}, checking the element shape on the way."""
    root = data(
        gw, kit, session, f"<getUserPermissions><userId>{login}</userId></getUserPermissions>"
    )
    assert [c.tag for c in root] == ["permissions"]
    out: dict[str, dict[str, str]] = {}
    for app in root.findall("permissions/appSubscription"):
        assert [c.tag for c in app] == ["applicationName", "policies"]
        policies: dict[str, str] = {}
        for policy in app.findall("policies/policy"):
            assert [c.tag for c in policy] == ["policyName", "rights"]
            rights = policy.findtext("rights") or ""
            assert set(rights.split("|")) <= RIGHTS
            policies[policy.findtext("policyName") or ""] = rights
        assert policies, "an application is listed only with at least one policy"
        out[app.findtext("applicationName") or ""] = policies
    return out


def test_get_dimensions_shape_and_user_defined_dimensions(gw: Any, kit: Any) -> None:
    session = gw.session()
    root = data(gw, kit, session, "<getDimensions/>")
    dims = root.findall("dimensions/dimension")
    assert all([c.tag for c in d] == DIMENSION_CHILDREN for d in dims)
    by_name = {d.findtext("objectName"): d for d in dims}
    for standard in ("DEPARTMENT", "LOCATION", "PROJECT", "CUSTOMER", "VENDOR", "CLASS"):
        assert by_name[standard].findtext("userDefinedDimension") == "false"
    udds = [n for n, d in by_name.items() if d.findtext("userDefinedDimension") == "true"]
    assert udds == ["fund", "grant_program", "Region"]
    assert by_name["Region"].findtext("termLabel") == "Sales region"
    assert all(d.findtext("enabledInGL") in {"true", "false"} for d in dims)
    # every dimension object answers a query (TAP reads dimension values this way)
    for name in by_name:
        result = call(
            gw,
            kit,
            session,
            f"<query><object>{name}</object><select><field>RECORDNO</field></select>"
            "<pagesize>1</pagesize></query>",
        )
        assert result.findtext("status") == "success", name
        assert result.find(f"data/{name}") is not None, name


def test_get_user_permissions_shape_and_subscriptions(gw: Any, kit: Any) -> None:
    session = gw.session()
    admin = permissions_of(gw, kit, session, "sandbox_user")
    assert "Fixed Assets" not in admin  # not subscribed by the demo company
    for app in (
        "General Ledger",
        "Accounts Payable",
        "Accounts Receivable",
        "Purchasing",
        "Order Entry",
        "Cash Management",
        "Platform Services",
    ):
        assert app in admin
    assert admin["Accounts Payable"]["AP Adjustments"] == "List|View|Add|Edit|Delete"
    assert admin["General Ledger"]["General Ledger Details"] == "List|View"  # a view
    assert admin["Platform Services"]["Funds"] == "List|View|Add|Edit|Delete"


def test_unknown_user_is_an_error(gw: Any, kit: Any) -> None:
    result = call(
        gw, kit, gw.session(), "<getUserPermissions><userId>unittest</userId></getUserPermissions>"
    )
    assert result.findtext("status") == "failure"
    error = result.find("errormessage/error")
    assert error is not None
    assert error.findtext("errorno") == "BL03000025"
    assert error.findtext("description2") == "Login ID unittest does not exist."
    assert error.findtext("correction") == "Provide a valid USER.LOGINID value."


def test_readonly_permissions_match_what_it_may_query(gw: Any, kit: Any) -> None:
    session = gw.session(user_id="readonly_user", password="readonly-user-pass")
    granted = permissions_of(gw, kit, session, "readonly_user")
    policies = {name: rights for app in granted.values() for name, rights in app.items()}
    assert all(rights == "List|View" for rights in policies.values())  # a view-only user
    names = [
        t.get("typename", "")
        for t in data(gw, kit, session, "<inspect><object>*</object></inspect>").findall("type")
    ]
    readable: list[str] = []
    denied: list[str] = []
    for name in names:
        detail = data(gw, kit, session, f'<inspect detail="1"><object>{name}</object></inspect>')
        plural = detail.findtext("Type/Attributes/PluralName")
        result = call(
            gw,
            kit,
            session,
            f"<query><object>{name}</object><select><field>RECORDNO</field></select>"
            "<pagesize>1</pagesize><options><showprivate>true</showprivate></options></query>",
        )
        may_query = result.findtext("status") == "success"
        if not may_query:
            assert result.findtext("errormessage/error/errorno") == "PL04000005", name
        (readable if may_query else denied).append(name)
        assert (plural in policies) == may_query, (name, plural)
    assert {"ARINVOICE", "ARADJUSTMENT", "ARRECORD", "FIXEDASSET"} <= set(denied)
    assert len(readable) >= 80
