"""`lookup` of an object the user may not read: refused by default, configurable.

The public record does not say whether Intacct's lookup checks read permission; the
sandbox refuses (PL04000005, operation LOOKUP) unless started with
`--lookup-permissions open`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

READONLY = {"user_id": "readonly_user", "password": "readonly-user-pass"}


def _lookup(gw: Any, kit: Any, object_name: str, **login: Any) -> Any:
    session = gw.session(**login)
    reply = gw.post(
        kit.envelope(
            f"<lookup><object>{object_name}</object></lookup>", auth=kit.session_xml(session)
        )
    )
    (result,) = reply.results()
    return result


def test_lookup_refuses_an_object_the_user_may_not_read(gw: Any, kit: Any) -> None:
    result = _lookup(gw, kit, "ARINVOICE", **READONLY)
    assert result.findtext("status") == "failure"
    assert result.findtext("errormessage/error/errorno") == "PL04000005"
    assert result.findtext("errormessage/error/description2").startswith(
        "You do not have permission for API operation LOOKUP on objects of type arinvoice"
    )
    allowed = _lookup(gw, kit, "VENDOR", **READONLY)
    assert allowed.findtext("status") == "success"
    assert allowed.find("data/Type").get("Name") == "VENDOR"


def test_open_mode_describes_it_and_query_still_refuses(
    sandbox_factory: Callable[..., Any], kit: Any
) -> None:
    box = sandbox_factory(extra_args=["--lookup-permissions", "open"])
    gw = kit.Gateway(box.api_url)
    described = _lookup(gw, kit, "ARINVOICE", **READONLY)
    assert described.findtext("status") == "success"
    fields = [f.findtext("ID") for f in described.findall("data/Type/Fields/Field")]
    assert "RECORDNO" in fields
    session = gw.session(**READONLY)
    reply = gw.post(
        kit.envelope(
            "<query><object>ARINVOICE</object><select><field>RECORDNO</field></select></query>",
            auth=kit.session_xml(session),
        )
    )
    (result,) = reply.results()
    assert result.findtext("errormessage/error/errorno") == "PL04000005"
