"""Requests the sandbox cannot run fail the way Intacct fails them: unknown function
elements refuse the whole request (schema validation), a legacy `get` of a missing key
fails its function, and `policyid` (no transport policies) is a control-level failure."""

from __future__ import annotations

from typing import Any

import pytest

UNSUPPORTED = (
    "<create_apadjustment><vendorid>V100</vendorid></create_apadjustment>",
    "<create_arpaymentbatch><batchtitle>b</batchtitle></create_arpaymentbatch>",
    "<noSuchFunction/>",
)


@pytest.mark.parametrize("unsupported", UNSUPPORTED)
def test_unknown_function_refuses_the_whole_request(
    unsupported: str, clean_sandbox: Any, kit: Any
) -> None:
    box = clean_sandbox
    class_id = kit.unique_id("C")
    create = f"<create><CLASS><CLASSID>{class_id}</CLASSID><NAME>n</NAME></CLASS></create>"
    functions_before = dict(box.stats()["functions"])
    reply = kit.Gateway(box.api_url).post(kit.envelope([create, unsupported]))
    assert reply.status == 200
    assert kit.children(reply.root) == ["control", "errormessage"]
    assert kit.text_of(reply.root, "control/status") == "failure"
    assert kit.text_of(reply.root, "control/controlid") == "req-1"
    errors = reply.root.findall("errormessage/error")
    assert len(errors) == 1
    name = unsupported[1:].split(">", 1)[0].rstrip("/")
    assert kit.text_of(errors[0], "errorno") == "XL03000003"
    assert kit.text_of(errors[0], "description2").startswith(
        f"XML Parse schema error: Element '{name}': This element is not expected."
    )
    # nothing ran: the valid create beside it did not happen either
    assert class_id not in {row["CLASSID"] for row in box.records("CLASS")}
    assert box.stats()["functions"] == functions_before


def _get(kit: Any, gw: Any, obj: str, key: str) -> Any:
    return gw.post(kit.envelope(f'<get object="{obj}" key="{key}"/>')).results()[0]


def test_legacy_get_of_a_missing_key_fails(clean_sandbox: Any, kit: Any) -> None:
    gw = kit.Gateway(clean_sandbox.api_url)
    folder = kit.unique_id("F")
    created = gw.post(
        kit.envelope(
            f"<create_supdocfolder><supdocfoldername>{folder}</supdocfoldername>"
            "</create_supdocfolder>"
        )
    ).results()[0]
    assert kit.text_of(created, "status") == "success"
    found = _get(kit, gw, "supdocfolder", folder)
    assert kit.text_of(found, "status") == "success"
    assert kit.text_of(found, "data/supdocfolder/name") == folder
    for obj, key in (("supdocfolder", "No Such Folder"), ("supdoc", "NODOC"), ("class", "NOCLASS")):
        missing = _get(kit, gw, obj, key)
        assert kit.text_of(missing, "status") == "failure"
        assert missing.find("data") is None
        error = missing.find("errormessage/error")
        assert kit.children(error) == ["errorno", "description", "description2", "correction"]
        assert kit.text_of(error, "errorno") == "BL01001973"
        assert kit.text_of(error, "description2") == f"Cannot find {obj} with key '{key}'."


def test_policyid_is_refused_as_an_unknown_transport_policy(sandbox: Any, kit: Any) -> None:
    control = kit.control_xml().replace(
        "<dtdversion>3.0</dtdversion>", "<dtdversion>3.0</dtdversion><policyid>nightly</policyid>"
    )
    reply = kit.Gateway(sandbox.api_url).post(kit.envelope("<getAPISession/>", control=control))
    assert kit.children(reply.root) == ["control", "errormessage"]
    assert kit.text_of(reply.root, "control/status") == "failure"
    assert kit.text_of(reply.root, "errormessage/error/errorno") == "XL03000006"
    assert (
        kit.text_of(reply.root, "errormessage/error/description2")
        == "nightly is not a valid transport policy."
    )
