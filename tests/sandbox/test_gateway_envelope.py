"""Conformance of the response envelope, element by element, with docs/protocol.md §1-3."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

SUCCESS_CONTROL = ["status", "senderid", "controlid", "uniqueid", "dtdversion"]
SUCCESS_AUTH = ["status", "userid", "companyid", "locationid", "sessiontimestamp", "sessiontimeout"]
ERROR_CHILDREN = ["errorno", "description", "description2", "correction"]
ISO_WITH_OFFSET = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")


def test_success_shape(gw: Any, kit: Any) -> None:
    reply = gw.post(kit.envelope(["<getAPISession/>", "<getAPISession/>"]))
    root = reply.root
    assert reply.status == 200
    assert root.tag == "response"
    assert kit.children(root) == ["control", "operation"]
    control = root.find("control")
    assert kit.children(control) == SUCCESS_CONTROL
    assert [c.text or "" for c in control] == ["success", "sandbox_sender", "req-1", "false", "3.0"]
    operation = root.find("operation")
    assert kit.children(operation) == ["authentication", "result", "result"]
    auth = operation.find("authentication")
    assert kit.children(auth) == SUCCESS_AUTH
    assert kit.text_of(auth, "status") == "success"
    assert kit.text_of(auth, "userid") == "sandbox_user"
    assert kit.text_of(auth, "companyid") == "SANDBOX-CO"
    assert kit.text_of(auth, "locationid") == ""
    assert ISO_WITH_OFFSET.match(kit.text_of(auth, "sessiontimestamp"))
    assert ISO_WITH_OFFSET.match(kit.text_of(auth, "sessiontimeout"))
    for index, result in enumerate(reply.results(), start=1):
        assert kit.children(result) == ["status", "function", "controlid", "data"]
        assert kit.text_of(result, "function") == "getAPISession"
        assert kit.text_of(result, "controlid") == f"f{index}"


def test_bad_sender_is_control_failure(gw: Any, kit: Any) -> None:
    control = kit.control_xml(sender_password="wrong", controlid="ctl-9")
    reply = gw.post(kit.envelope("<getAPISession/>", control=control))
    root = reply.root
    assert reply.status == 200
    assert kit.children(root) == ["control", "errormessage"]
    control_el = root.find("control")
    assert kit.children(control_el) == SUCCESS_CONTROL
    assert kit.text_of(control_el, "status") == "failure"
    assert kit.text_of(control_el, "senderid") == "sandbox_sender"
    assert kit.text_of(control_el, "controlid") == "ctl-9"
    errors = root.findall("errormessage/error")
    assert len(errors) == 1
    assert kit.children(errors[0]) == ERROR_CHILDREN
    assert kit.text_of(errors[0], "errorno") == "XL03000006"
    assert kit.text_of(errors[0], "description2") == "Incorrect Intacct XML Partner ID or password."
    assert b"sandbox-sender-pass" not in reply.raw
    assert b"wrong" not in reply.raw


def test_unknown_sender_is_control_failure(gw: Any, kit: Any) -> None:
    reply = gw.post(kit.envelope("<getAPISession/>", control=kit.control_xml(sender_id="nobody")))
    assert kit.text_of(reply.root, "control/status") == "failure"
    assert kit.text_of(reply.root, "errormessage/error/errorno") == "XL03000006"


def _auth_failure(reply: Any, kit: Any) -> tuple[Any, Any]:
    root = reply.root
    assert reply.status == 200
    assert kit.children(root) == ["control", "operation"]
    assert kit.text_of(root, "control/status") == "success"
    operation = root.find("operation")
    assert kit.children(operation) == ["authentication", "errormessage"]
    auth = operation.find("authentication")
    assert kit.children(auth)[:3] == ["status", "userid", "companyid"]
    assert kit.text_of(auth, "status") == "failure"
    errors = operation.findall("errormessage/error")
    assert len(errors) == 1
    assert kit.children(errors[0]) == ERROR_CHILDREN
    return auth, errors[0]


def test_bad_user_password_is_authentication_failure(gw: Any, kit: Any) -> None:
    reply = gw.post(kit.envelope("<getAPISession/>", auth=kit.login_xml(password="nope")))
    auth, error = _auth_failure(reply, kit)
    assert kit.text_of(auth, "userid") == "sandbox_user"
    assert kit.text_of(auth, "companyid") == "SANDBOX-CO"
    assert kit.text_of(error, "errorno") == "XL03000006"
    assert kit.text_of(error, "description2") == "Sign-in information is incorrect"
    assert not reply.results()


def test_unknown_user_and_unknown_company(gw: Any, kit: Any) -> None:
    for login in (kit.login_xml(user_id="ghost"), kit.login_xml(company_id="NO-SUCH-CO")):
        _auth, error = _auth_failure(gw.post(kit.envelope("<getAPISession/>", auth=login)), kit)
        assert kit.text_of(error, "description2") == "Sign-in information is incorrect"


def test_sender_not_authorized_for_company(gw: Any, kit: Any) -> None:
    reply = gw.post(kit.envelope("<getAPISession/>", auth=kit.login_xml(company_id="OTHER-CO")))
    auth, error = _auth_failure(reply, kit)
    assert kit.text_of(auth, "companyid") == "OTHER-CO"
    assert kit.text_of(error, "errorno") == "XL03000006"
    assert kit.text_of(error, "description") == "Invalid Web Services Authorization"
    assert kit.text_of(error, "description2") == (
        "The sender ID 'sandbox_sender' is not authorized to make Web Services requests "
        "to company ID 'OTHER-CO'."
    )
    assert kit.text_of(error, "correction") == (
        "Contact the company administrator to grant Web Services authorization to this sender ID."
    )
    assert b"&#039;sandbox_sender&#039;" in reply.raw


def test_modern_auth_failure_mode_answers_401(sandbox_factory: Any, kit: Any) -> None:
    box = sandbox_factory(extra_args=["--auth-failure-mode", "modern"])
    gw = kit.Gateway(box.api_url)
    reply = gw.post(kit.envelope("<getAPISession/>", auth=kit.login_xml(password="nope")))
    assert reply.status == 401
    assert kit.children(reply.root) == ["control", "errormessage"]
    assert kit.children(reply.root.find("control")) == ["status"]
    error = reply.root.findall("errormessage/error")
    assert len(error) == 1
    assert kit.children(error[0]) == ["errorno", "description"]
    assert kit.text_of(error[0], "errorno") == "XMLGW_JPP0002"
    good = gw.post(kit.envelope("<getAPISession/>"))
    assert kit.text_of(good.root, "operation/authentication/status") == "success"


def test_malformed_xml_is_xl03000003(gw: Any, kit: Any) -> None:
    reply = gw.post("<request><control><senderid>x</senderid></contrl></request>")
    assert reply.status == 200
    assert kit.children(reply.root) == ["control", "errormessage"]
    assert kit.text_of(reply.root, "control/status") == "failure"
    error = reply.root.find("errormessage/error")
    assert kit.text_of(error, "errorno") == "XL03000003"
    assert kit.text_of(error, "description2").startswith("XML Parse schema error: ")


def test_missing_function_controlid_is_schema_error(gw: Any, kit: Any) -> None:
    body = kit.envelope("<function><getAPISession/></function>")
    reply = gw.post(body)
    assert kit.text_of(reply.root, "errormessage/error/errorno") == "XL03000003"


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<request><control><senderid>&lol3;</senderid><password>p</password><controlid>c</controlid>
<dtdversion>3.0</dtdversion></control></request>"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE request [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<request><control><senderid>&xxe;</senderid><password>p</password><controlid>c</controlid>
<dtdversion>3.0</dtdversion></control></request>"""


def test_doctype_and_entities_are_refused(gw: Any, kit: Any) -> None:
    for body in (BILLION_LAUGHS, EXTERNAL_ENTITY):
        reply = gw.post(body)
        assert reply.status == 200
        assert kit.text_of(reply.root, "control/status") == "failure"
        assert kit.text_of(reply.root, "errormessage/error/errorno") == "XL03000003"
        assert b"lollol" not in reply.raw
        assert b"root:" not in reply.raw
        assert kit.text_of(reply.root, "control/senderid") == ""


def test_plain_doctype_without_entities_is_refused(gw: Any, kit: Any) -> None:
    body = kit.envelope("<getAPISession/>").replace(
        "<request>", '<!DOCTYPE request SYSTEM "intacct_request.v3.0.dtd">\n<request>', 1
    )
    reply = gw.post(body)
    assert kit.text_of(reply.root, "errormessage/error/errorno") == "XL03000003"


def test_form_encoded_body(gw: Any, kit: Any) -> None:
    body = "xmlrequest=" + quote(kit.envelope("<getAPISession/>"), safe="")
    reply = gw.post(body, headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert kit.text_of(reply.root, "operation/authentication/status") == "success"
    assert kit.text_of(reply.results()[0], "status") == "success"


def test_latin1_bytes_under_utf8_declaration(gw: Any, kit: Any) -> None:
    body = kit.envelope("<getAPISession/>", control=kit.control_xml(controlid="café-1"))
    reply = gw.post(body.encode("latin-1"))
    assert kit.text_of(reply.root, "control/controlid") == "café-1"


def test_iso_8859_1_declaration(gw: Any, kit: Any) -> None:
    body = kit.envelope("<getAPISession/>", control=kit.control_xml(controlid="Zoë"))
    body = body.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"')
    reply = gw.post(body.encode("latin-1"))
    assert kit.text_of(reply.root, "control/controlid") == "Zoë"


def test_includewhitespace(gw: Any, kit: Any) -> None:
    compact = gw.post(kit.envelope("<getAPISession/>", control=kit.control_xml()))
    assert b"\n" not in compact.raw.split(b"?>", 1)[1]
    pretty = gw.post(
        kit.envelope("<getAPISession/>", control=kit.control_xml(includewhitespace=None))
    )
    assert b"\n  <control>" in pretty.raw


def test_unknown_function_fails_the_whole_request(gw: Any, kit: Any) -> None:
    """The gateway validates the request against its schema before running anything: one
    unknown function element is a control-level XL03000003 and no function runs."""
    reply = gw.post(kit.envelope(["<getAPISession/>", "<noSuchFunction/>", "<getAPISession/>"]))
    assert kit.text_of(reply.root, "control/status") == "failure"
    assert reply.root.find("operation") is None
    assert reply.results() == []
    error = reply.root.find("errormessage/error")
    assert kit.children(error) == ERROR_CHILDREN
    assert kit.text_of(error, "errorno") == "XL03000003"
    assert kit.text_of(error, "description2").startswith(
        "XML Parse schema error: Element 'noSuchFunction': This element is not expected."
    )


def test_get_is_not_allowed_but_still_xml(gw: Any, kit: Any) -> None:
    response = gw.http.get(gw.api_url, timeout=30)
    assert response.status_code == 405
    assert response.headers["Content-Type"] == kit.XML_CONTENT_TYPE


def test_gzip_when_enabled(sandbox_factory: Any, kit: Any) -> None:
    box = sandbox_factory(extra_args=["--gzip"])
    gw = kit.Gateway(box.api_url)
    functions = ["<getAPISession/>"] * 40
    response = gw.post_raw(kit.envelope(functions), headers={"Accept-Encoding": "gzip"})
    assert response.headers.get("Content-Encoding") == "gzip"
    assert response.headers["Content-Type"] == kit.XML_CONTENT_TYPE
    assert response.content.count(b"<result>") == 40


def test_secrets_never_reach_the_log(sandbox_factory: Any, kit: Any) -> None:
    box = sandbox_factory(seed="empty", extra_args=["--log-level", "DEBUG"])
    gw = kit.Gateway(box.api_url)
    session_id = gw.session()
    gw.post(kit.envelope("<getAPISession/>", auth=kit.session_xml(session_id)))
    gw.post(kit.envelope("<getAPISession/>", auth=kit.login_xml(password="wrong-user-pass")))
    gw.post(kit.envelope("<getAPISession/>", control=kit.control_xml(sender_password="bad-pw")))
    gw.post(kit.envelope("<noSuchFunction/>", auth=kit.session_xml(session_id)))
    box.stop()
    log = box.log_path.read_text()
    assert "POST /ia/xml/xmlgw.phtml" in log  # debug logging was on
    for secret in ("sandbox-sender-pass", "sandbox-user-pass", "wrong-user-pass", "bad-pw"):
        assert secret not in log
    assert session_id not in log
