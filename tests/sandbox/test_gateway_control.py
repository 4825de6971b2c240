"""The /_sandbox/ control API: loopback-only, stats, records, touch, delete, clock, reset."""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request
from typing import Any

import pytest
from intacct_sandbox.control_api import is_loopback_address


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("127.0.0.1", True),
        ("127.8.9.10", True),
        ("::1", True),
        ("::ffff:127.0.0.1", True),
        ("10.0.0.5", False),
        ("192.168.1.20", False),
        ("::ffff:10.0.0.5", False),
        ("2001:db8::1", False),
        ("0.0.0.0", False),  # noqa: S104 - an address string, not a bind
        ("not-an-ip", False),
        ("", False),
    ],
)
def test_loopback_check(address: str, expected: bool) -> None:
    assert is_loopback_address(address) is expected


def _non_loopback_address() -> str | None:
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("10.255.255.255", 1))
        address = probe.getsockname()[0]
    except OSError:
        return None
    finally:
        probe.close()
    return None if address.startswith("127.") else address


def test_control_api_refuses_non_loopback_clients(sandbox_factory: Any, kit: Any) -> None:
    address = _non_loopback_address()
    if address is None:
        pytest.skip("no non-loopback interface on this machine")
    box = sandbox_factory(seed="empty", extra_args=["--host", "0.0.0.0"])  # noqa: S104
    port = box.base_url.rsplit(":", 1)[1]
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"http://{address}:{port}/_sandbox/stats", timeout=30)
    assert refused.value.code == 403
    # the XML endpoint itself answers anyone
    gw = kit.Gateway(f"http://{address}:{port}/ia/xml/xmlgw.phtml")
    assert gw.post(kit.envelope("<getAPISession/>")).status == 200


def test_control_paths_are_not_reachable_through_the_xml_endpoint(gw: Any, kit: Any) -> None:
    response = gw.http.post(gw.api_url + "/_sandbox/stats", data=b"{}", timeout=30)
    assert response.status_code == 404
    response = gw.http.post(gw.api_url + "?/_sandbox/reset", data=b"{}", timeout=30)
    assert response.headers["Content-Type"] == kit.XML_CONTENT_TYPE


QUERY = "<query><object>VENDOR</object><select><field>RECORDNO</field></select></query>"


def test_stats_count_requests_and_functions(clean_gw: Any, kit: Any, clean_sandbox: Any) -> None:
    before = clean_sandbox.stats()
    assert before["requests"] == 0
    clean_gw.post(kit.envelope(["<getAPISession/>", QUERY, QUERY]))
    clean_gw.post(kit.envelope(QUERY, auth=kit.login_xml(password="wrong")))  # no function runs
    clean_gw.post("<not xml")
    stats = clean_sandbox.stats()
    assert stats["requests"] == 3
    assert stats["functions"] == {"getAPISession": 1, "query": 2}
    assert stats["records"]["VENDOR"] == len(clean_sandbox.records("VENDOR"))
    assert stats["records"]["GLDETAIL"] > 0


def test_records_unknown_object_is_404(sandbox: Any) -> None:
    with pytest.raises(urllib.error.HTTPError) as missing:
        sandbox.records("NOSUCHOBJECT")
    assert missing.value.code == 404
    assert "error" in json.loads(missing.value.read())


def test_touch_with_frozen_clock(clean_sandbox: Any) -> None:
    vendors = clean_sandbox.records("VENDOR")[:3]
    recordnos = [int(v["RECORDNO"]) for v in vendors]
    state = clean_sandbox.freeze_clock("2025-03-09T10:30:00Z")
    assert state["frozen"].startswith("2025-03-09T10:30:00")
    assert clean_sandbox.touch("VENDOR", recordnos)["count"] == 3
    touched = {int(v["RECORDNO"]): v for v in clean_sandbox.records("VENDOR")}
    stamps = {str(touched[r]["WHENMODIFIED"]) for r in recordnos}
    assert len(stamps) == 1
    assert stamps.pop().startswith("2025-03-09T10:30:00")
    assert clean_sandbox.unfreeze_clock()["frozen"] is None


def test_delete_and_reset(clean_gw: Any, kit: Any, clean_sandbox: Any) -> None:
    session_id = clean_gw.session()
    original = clean_sandbox.records("VENDOR")
    victim = int(original[0]["RECORDNO"])
    assert clean_sandbox.delete("VENDOR", [victim])["count"] == 1
    created = kit.unique_id("RST")
    clean_gw.post(kit.envelope(kit.vendor_create(created)))
    clean_sandbox.fault("http_500", count=5)
    clean_sandbox.freeze_clock("2024-01-01T00:00:00Z")
    assert victim not in {int(v["RECORDNO"]) for v in clean_sandbox.records("VENDOR")}

    assert clean_sandbox.reset() == {"reset": True}
    restored = clean_sandbox.records("VENDOR")
    assert [v["RECORDNO"] for v in restored] == [v["RECORDNO"] for v in original]
    assert created not in {v["VENDORID"] for v in restored}
    assert clean_sandbox.control("GET", "faults") == []
    assert clean_sandbox.control("GET", "clock")["frozen"] is None
    # sessions stay valid across a reset
    reply = clean_gw.post(kit.envelope(QUERY, auth=kit.session_xml(session_id)))
    assert kit.text_of(reply.root, "operation/authentication/status") == "success"


def test_bad_control_requests(sandbox: Any) -> None:
    with pytest.raises(urllib.error.HTTPError) as bad_clock:
        sandbox.control("POST", "clock", {})
    assert bad_clock.value.code == 400
    with pytest.raises(urllib.error.HTTPError) as unknown:
        sandbox.control("GET", "nothing-here")
    assert unknown.value.code == 404
