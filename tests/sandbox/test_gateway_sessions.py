"""getAPISession, session-id auth, sliding expiry and entity sessions.

Protocol: docs/protocol.md §2.3, §4.1, §8.
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any


def _session_result(reply: Any, kit: Any) -> Any:
    result = reply.results()[0]
    assert kit.text_of(result, "status") == "success", reply.raw
    return result


def _entity_ids(box: Any) -> list[str]:
    entities = [str(row["LOCATIONID"]) for row in box.records("LOCATIONENTITY")]
    assert len(entities) >= 2
    return entities


def test_get_api_session_shape(gw: Any, kit: Any, sandbox: Any) -> None:
    result = _session_result(gw.post(kit.envelope("<getAPISession/>")), kit)
    data = result.find("data")
    assert data.attrib == {}
    assert kit.children(data) == ["api"]
    api = data.find("api")
    assert kit.children(api) == ["sessionid", "endpoint", "locationid"]
    session_id = kit.text_of(api, "sessionid")
    assert session_id.endswith("..")
    assert all(c.isalnum() or c in "-_." for c in session_id)
    assert kit.text_of(api, "endpoint") == sandbox.api_url
    assert kit.text_of(api, "locationid") == ""


def test_endpoint_follows_request_host(gw: Any, kit: Any) -> None:
    reply = gw.post(kit.envelope("<getAPISession/>"), headers={"Host": "api.intacct.com:8443"})
    endpoint = kit.text_of(_session_result(reply, kit), "data/api/endpoint")
    assert endpoint == "http://api.intacct.com:8443/ia/xml/xmlgw.phtml"


def test_session_authentication_and_same_id_back(gw: Any, kit: Any) -> None:
    session_id = gw.session()
    reply = gw.post(kit.envelope("<getAPISession/>", auth=kit.session_xml(session_id)))
    auth = reply.root.find("operation/authentication")
    assert kit.text_of(auth, "status") == "success"
    assert kit.text_of(auth, "userid") == "sandbox_user"
    assert kit.text_of(auth, "companyid") == "SANDBOX-CO"
    assert kit.text_of(_session_result(reply, kit), "data/api/sessionid") == session_id


def test_session_times_use_company_zone_and_timeout(sandbox_factory: Any, kit: Any) -> None:
    box = sandbox_factory(timezone="Asia/Kolkata", session_timeout_s=7200, seed="empty")
    gw = kit.Gateway(box.api_url)
    session_id = gw.session()
    reply = gw.post(kit.envelope("<getAPISession/>", auth=kit.session_xml(session_id)))
    auth = reply.root.find("operation/authentication")
    stamp = datetime.fromisoformat(kit.text_of(auth, "sessiontimestamp"))
    timeout = datetime.fromisoformat(kit.text_of(auth, "sessiontimeout"))
    assert kit.text_of(auth, "sessiontimestamp").endswith("+05:30")
    assert 7195 <= (timeout - stamp).total_seconds() <= 7205


def test_sliding_expiry(sandbox_factory: Any, kit: Any) -> None:
    box = sandbox_factory(session_timeout_s=2, seed="empty")
    gw = kit.Gateway(box.api_url)
    session_id = gw.session()
    call = kit.envelope("<getAPISession/>", auth=kit.session_xml(session_id))
    for _ in range(3):  # each use slides the 2 s timeout forward
        time.sleep(1.0)
        assert kit.text_of(gw.post(call).root, "operation/authentication/status") == "success"
    time.sleep(3.0)
    reply = gw.post(call)
    operation = reply.root.find("operation")
    assert kit.children(operation) == ["authentication", "errormessage"]
    auth = operation.find("authentication")
    assert kit.text_of(auth, "status") == "failure"
    assert kit.text_of(auth, "userid") == ""
    assert kit.text_of(auth, "companyid") == ""
    error = operation.find("errormessage/error")
    assert kit.text_of(error, "errorno") == "XL03000006"
    assert kit.text_of(error, "description2").startswith("Invalid session")
    assert session_id.encode() not in reply.raw


def test_forged_session_is_invalid(gw: Any, kit: Any) -> None:
    reply = gw.post(kit.envelope("<getAPISession/>", auth=kit.session_xml("forged-session..")))
    auth = reply.root.find("operation/authentication")
    assert kit.text_of(auth, "status") == "failure"
    assert kit.text_of(auth, "userid") == ""
    assert kit.text_of(reply.root, "operation/errormessage/error/description2").startswith(
        "Invalid session"
    )


def test_entity_session_via_get_api_session(gw: Any, kit: Any, sandbox: Any) -> None:
    entity = _entity_ids(sandbox)[0]
    top = gw.session()
    fn = f"<getAPISession><locationid>{entity}</locationid></getAPISession>"
    reply = gw.post(kit.envelope(fn, auth=kit.session_xml(top)))
    api = _session_result(reply, kit).find("data/api")
    entity_session = kit.text_of(api, "sessionid")
    assert entity_session != top
    assert kit.text_of(api, "locationid") == entity
    # authentication/locationid shows the caller's (top-level) session entity
    assert kit.text_of(reply.root, "operation/authentication/locationid") == ""
    again = gw.post(kit.envelope("<getAPISession/>", auth=kit.session_xml(entity_session)))
    assert kit.text_of(again.root, "operation/authentication/locationid") == entity
    back = gw.post(
        kit.envelope(
            "<getAPISession><locationid/></getAPISession>", auth=kit.session_xml(entity_session)
        )
    )
    back_api = _session_result(back, kit).find("data/api")
    assert kit.text_of(back_api, "locationid") == ""
    assert kit.text_of(back_api, "sessionid") not in (entity_session, top)


def test_entity_login(gw: Any, kit: Any, sandbox: Any) -> None:
    entity = _entity_ids(sandbox)[1]
    reply = gw.post(kit.envelope("<getAPISession/>", auth=kit.login_xml(location_id=entity)))
    assert kit.text_of(reply.root, "operation/authentication/locationid") == entity
    assert kit.text_of(_session_result(reply, kit), "data/api/locationid") == entity


def test_empty_login_locationid_is_top_level(gw: Any, kit: Any) -> None:
    reply = gw.post(kit.envelope("<getAPISession/>", auth=kit.login_xml(location_id="")))
    assert kit.text_of(reply.root, "operation/authentication/status") == "success"
    assert kit.text_of(reply.root, "operation/authentication/locationid") == ""


def test_unknown_entity(gw: Any, kit: Any) -> None:
    login = gw.post(kit.envelope("<getAPISession/>", auth=kit.login_xml(location_id="NOPE-9")))
    assert kit.text_of(login.root, "operation/authentication/status") == "failure"
    top = gw.session()
    fn = "<getAPISession><locationid>NOPE-9</locationid></getAPISession>"
    result = gw.post(kit.envelope(fn, auth=kit.session_xml(top))).results()[0]
    assert kit.text_of(result, "status") == "failure"
    assert kit.text_of(result, "errormessage/error/errorno") == "Get API Session Failed"


def test_session_survives_restart_on_same_db(sandbox_factory: Any, kit: Any) -> None:
    first = sandbox_factory(seed="empty")
    session_id = kit.Gateway(first.api_url).session()
    first.stop()
    second = sandbox_factory(seed="empty", db_path=first.db_path)
    reply = kit.Gateway(second.api_url).post(
        kit.envelope("<getAPISession/>", auth=kit.session_xml(session_id))
    )
    assert kit.text_of(reply.root, "operation/authentication/status") == "success"
    assert session_id.encode() not in first.db_path.read_bytes()


def test_reused_database_keeps_its_time_zone(sandbox_factory: Any, kit: Any) -> None:
    first = sandbox_factory(seed="empty", timezone="Asia/Kolkata")
    first.stop()
    second = sandbox_factory(seed="empty", db_path=first.db_path)
    reply = kit.Gateway(second.api_url).post(kit.envelope("<getAPISession/>"))
    stamp = kit.text_of(reply.root, "operation/authentication/sessiontimestamp")
    assert stamp.endswith("+05:30")


def test_readmore_result_ids_belong_to_their_session(gw: Any, kit: Any, sandbox: Any) -> None:
    first, other = gw.session(), gw.session()
    read = "<readByQuery><object>VENDOR</object><fields>RECORDNO</fields><query></query>"
    read += "<pagesize>5</pagesize></readByQuery>"
    page = gw.post(kit.envelope(read, auth=kit.session_xml(first))).results()[0]
    data = page.find("data")
    assert data.get("count") == "5"
    result_id = data.get("resultId")
    assert result_id
    more = f"<readMore><resultId>{result_id}</resultId></readMore>"
    stranger = gw.post(kit.envelope(more, auth=kit.session_xml(other))).results()[0]
    assert kit.text_of(stranger, "status") == "failure"
    owner = gw.post(kit.envelope(more, auth=kit.session_xml(first))).results()[0]
    assert kit.text_of(owner, "status") == "success"
    assert owner.find("data").get("count") == "5"
    total = len(sandbox.records("VENDOR"))
    assert int(owner.find("data").get("numremaining")) <= total - 10
