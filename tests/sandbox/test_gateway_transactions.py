"""transaction="true" rollback and uniqueid=true repeat detection (docs/protocol.md §2.4, §2.5)."""

from __future__ import annotations

from typing import Any

ROLLED_BACK = "The entire transaction in this operation has been rolled back due to an error."


def _vendor_ids(box: Any) -> set[str]:
    return {str(row["VENDORID"]) for row in box.records("VENDOR")}


def _function(controlid: str, inner: str) -> str:
    return f'<function controlid="{controlid}">{inner}</function>'


def test_transaction_true_rolls_back_everything(
    clean_gw: Any, kit: Any, clean_sandbox: Any
) -> None:
    first, duplicate, third = kit.unique_id("TX"), kit.unique_id("TX"), kit.unique_id("TX")
    functions = [
        kit.vendor_create(first),
        kit.vendor_create(duplicate),
        kit.vendor_create(duplicate),  # duplicate id: fails
        kit.vendor_create(third),  # never runs
    ]
    reply = clean_gw.post(kit.envelope(functions, transaction=True))
    results = reply.results()
    assert [kit.text_of(r, "status") for r in results] == [
        "aborted",
        "aborted",
        "failure",
        "aborted",
    ]
    assert [kit.text_of(r, "controlid") for r in results] == ["f1", "f2", "f3", "f4"]
    failed_errors = results[2].findall("errormessage/error")
    assert len(failed_errors) >= 2
    assert kit.text_of(failed_errors[-1], "errorno") == "XL03000009"
    assert kit.text_of(failed_errors[-1], "description2") == ROLLED_BACK
    assert kit.text_of(failed_errors[0], "errorno") != "XL03000009"
    for aborted in (results[0], results[1], results[3]):
        errors = aborted.findall("errormessage/error")
        assert [kit.text_of(e, "errorno") for e in errors] == ["XL03000009"]
        assert aborted.find("data") is None
    assert not {first, duplicate, third} & _vendor_ids(clean_sandbox)


def test_transaction_false_keeps_independent_results(
    clean_gw: Any, kit: Any, clean_sandbox: Any
) -> None:
    first, second = kit.unique_id("NT"), kit.unique_id("NT")
    functions = [kit.vendor_create(first), kit.vendor_create(first), kit.vendor_create(second)]
    reply = clean_gw.post(kit.envelope(functions, transaction=False))
    assert [kit.text_of(r, "status") for r in reply.results()] == ["success", "failure", "success"]
    ids = _vendor_ids(clean_sandbox)
    assert {first, second} <= ids
    assert sum(1 for row in clean_sandbox.records("VENDOR") if row["VENDORID"] == first) == 1


def test_transaction_true_all_success_commits(clean_gw: Any, kit: Any, clean_sandbox: Any) -> None:
    a, b = kit.unique_id("OK"), kit.unique_id("OK")
    reply = clean_gw.post(
        kit.envelope([kit.vendor_create(a), kit.vendor_create(b)], transaction=True)
    )
    assert [kit.text_of(r, "status") for r in reply.results()] == ["success", "success"]
    assert {a, b} <= _vendor_ids(clean_sandbox)


def _unique_request(kit: Any, vendor_id: str, controlid: str, uniqueid: str | None = "true") -> str:
    return kit.envelope(
        _function(controlid, kit.vendor_create(vendor_id)),
        control=kit.control_xml(uniqueid=uniqueid),
    )


def test_uniqueid_repeat_is_not_rerun(clean_gw: Any, kit: Any, clean_sandbox: Any) -> None:
    vendor_id, controlid = kit.unique_id("UQ"), kit.unique_id("ctl-")
    first = clean_gw.post(_unique_request(kit, vendor_id, controlid)).results()[0]
    assert kit.text_of(first, "status") == "success"
    clean_sandbox.delete(
        "VENDOR",
        [int(r["RECORDNO"]) for r in clean_sandbox.records("VENDOR") if r["VENDORID"] == vendor_id],
    )
    again = clean_gw.post(_unique_request(kit, vendor_id, controlid)).results()[0]
    assert kit.text_of(again, "status") == "failure"
    assert kit.text_of(again, "controlid") == controlid
    error = again.find("errormessage/error")
    assert kit.text_of(error, "errorno") == "XL03000013"
    assert kit.text_of(error, "description2") == (
        f"A function with control ID '{controlid}' has already been executed successfully."
    )
    assert vendor_id not in _vendor_ids(clean_sandbox)  # not re-created


def test_uniqueid_false_reruns(clean_gw: Any, kit: Any, clean_sandbox: Any) -> None:
    controlid = kit.unique_id("ctl-")
    a, b = kit.unique_id("UF"), kit.unique_id("UF")
    assert (
        kit.text_of(
            clean_gw.post(_unique_request(kit, a, controlid, "false")).results()[0], "status"
        )
        == "success"
    )
    assert (
        kit.text_of(
            clean_gw.post(_unique_request(kit, b, controlid, "false")).results()[0], "status"
        )
        == "success"
    )
    assert {a, b} <= _vendor_ids(clean_sandbox)


def test_uniqueid_failed_function_may_be_retried(
    clean_gw: Any, kit: Any, clean_sandbox: Any
) -> None:
    existing = kit.unique_id("EX")
    clean_gw.post(kit.envelope(kit.vendor_create(existing)))
    controlid = kit.unique_id("ctl-")
    failed = clean_gw.post(_unique_request(kit, existing, controlid)).results()[0]
    assert kit.text_of(failed, "status") == "failure"
    fresh = kit.unique_id("EX")
    retried = clean_gw.post(_unique_request(kit, fresh, controlid)).results()[0]
    assert kit.text_of(retried, "status") == "success"
    assert fresh in _vendor_ids(clean_sandbox)


def test_uniqueid_is_remembered_across_restart(sandbox_factory: Any, kit: Any) -> None:
    first = sandbox_factory(seed="empty")
    vendor_id, controlid = kit.unique_id("RS"), kit.unique_id("ctl-")
    done = kit.Gateway(first.api_url).post(_unique_request(kit, vendor_id, controlid)).results()[0]
    assert kit.text_of(done, "status") == "success"
    first.stop()
    second = sandbox_factory(seed="empty", db_path=first.db_path)
    repeat = kit.Gateway(second.api_url).post(_unique_request(kit, vendor_id, controlid))
    result = repeat.results()[0]
    assert kit.text_of(result, "status") == "failure"
    assert kit.text_of(result, "errormessage/error/errorno") == "XL03000013"
    assert [r["VENDORID"] for r in second.records("VENDOR")].count(vendor_id) == 1


def test_uniqueid_errorno_is_configurable(sandbox_factory: Any, kit: Any) -> None:
    box = sandbox_factory(seed="empty", extra_args=["--uniqueid-errorno", "XL03000006"])
    gw = kit.Gateway(box.api_url)
    controlid = kit.unique_id("ctl-")
    gw.post(_unique_request(kit, kit.unique_id("CF"), controlid))
    result = gw.post(_unique_request(kit, kit.unique_id("CF"), controlid)).results()[0]
    assert kit.text_of(result, "errormessage/error/errorno") == "XL03000006"


def test_reads_are_never_refused_as_repeats(gw: Any, kit: Any) -> None:
    body = kit.envelope(
        _function("same-read", "<getAPISession/>"), control=kit.control_xml(uniqueid="true")
    )
    for _ in range(2):
        assert kit.text_of(gw.post(body).results()[0], "status") == "success"
