"""Discovery, settings documentation and user-fixable errors, against a real sandbox."""

from __future__ import annotations

import json
import re
import subprocess
from typing import Any

import pytest
from tap_helpers import TAP, discover, entry, run_tap, select

SECRETS = ("sandbox-sender-pass", "sandbox-user-pass", "readonly-user-pass")


@pytest.fixture(scope="module")
def catalog(sandbox: Any) -> dict[str, Any]:
    return discover(sandbox.config())


def prop(catalog: dict[str, Any], stream: str, name: str) -> dict[str, Any]:
    return entry(catalog, stream)["schema"]["properties"][name]


def root_metadata(catalog: dict[str, Any], stream: str) -> dict[str, Any]:
    return next(m["metadata"] for m in entry(catalog, stream)["metadata"] if m["breadcrumb"] == [])


def left_out(stderr: str) -> set[str]:
    """Objects the tap warned it left out of the catalog."""
    return {
        match.group(1).lower()
        for match in re.finditer(r"Leaving object (\S+) out of the catalog", stderr)
    }


def test_catalog_holds_every_seeded_object(sandbox: Any) -> None:
    run = run_tap(sandbox.config(), extra=["--discover"])
    catalog = json.loads(run.stdout)
    counts = {name.lower(): n for name, n in sandbox.stats()["records"].items()}
    streams = {e["tap_stream_id"] for e in catalog["streams"]}
    missing = set(counts) - streams
    # only objects the user may not read (Fixed Assets is not subscribed), each warned once
    assert missing == left_out(run.stderr)
    assert all(counts[name] == 0 for name in missing)
    assert {name for name, n in counts.items() if n} <= streams
    for e in catalog["streams"]:
        assert e["tap_stream_id"] == e["tap_stream_id"].lower()
        assert e["table_name"].lower() == e["tap_stream_id"]


def test_types_keys_and_replication(catalog: dict[str, Any]) -> None:
    assert prop(catalog, "apbill", "RECORDNO")["type"] == ["integer", "null"]
    assert prop(catalog, "apbill", "TOTALDUE")["type"] == ["number", "null"]
    assert prop(catalog, "apbill", "WHENDUE") == {"type": ["string", "null"], "format": "date"}
    assert prop(catalog, "apbill", "WHENMODIFIED") == {
        "type": ["string", "null"],
        "format": "date-time",
    }
    assert prop(catalog, "apbill", "ONHOLD")["type"] == ["boolean", "null"]
    assert prop(catalog, "vendor", "NAME")["type"] == ["string", "null"]
    assert prop(catalog, "vendor", "_sdc_deleted_at")["format"] == "date-time"
    vendor = entry(catalog, "vendor")
    assert vendor["key_properties"] == ["RECORDNO"]
    assert vendor["replication_key"] == "WHENMODIFIED"
    assert vendor["replication_method"] == "INCREMENTAL"
    assert root_metadata(catalog, "vendor")["forced-replication-method"] == "INCREMENTAL"
    audit = entry(catalog, "audithistory")  # append-only: replicated on ACCESSTIME
    assert audit["replication_key"] == "ACCESSTIME"
    assert "_sdc_deleted_at" not in audit["schema"]["properties"]
    full_table = [e for e in catalog["streams"] if e["replication_method"] == "FULL_TABLE"]
    for e in full_table:
        assert "WHENMODIFIED" not in e["schema"]["properties"]


def test_custom_fields_and_custom_object(catalog: dict[str, Any]) -> None:
    assert prop(catalog, "apbill", "FREIGHT_ESTIMATE")["type"] == ["number", "null"]
    assert prop(catalog, "apbill", "APPROVAL_CODE")["type"] == ["string", "null"]
    assert prop(catalog, "vendor", "ANNUAL_SPEND_TARGET")["type"] == ["number", "null"]
    budget = entry(catalog, "project_budget")
    assert budget["table_name"] == "project_budget"
    assert prop(catalog, "project_budget", "FISCAL_YEAR")["type"] == ["integer", "null"]
    assert prop(catalog, "project_budget", "BUDGET_AMOUNT")["type"] == ["number", "null"]
    assert prop(catalog, "project_budget", "APPROVED")["type"] == ["boolean", "null"]
    assert budget["replication_key"] == "WHENMODIFIED"


def discovery_calls(run: Any) -> tuple[int, dict[str, int]]:
    line = next(line for line in run.stderr.splitlines() if "Discovery:" in line)
    streams = int(re.search(r"Discovery: (\d+) streams", line).group(1))  # type: ignore[union-attr]
    calls = {k: int(v) for k, v in re.findall(r"'(\w+)': (\d+)", line)}
    return streams, calls


def test_discovery_costs_one_inspect_and_one_lookup_per_object(sandbox: Any) -> None:
    objects = len(sandbox.stats()["records"])
    run = run_tap(sandbox.config(), extra=["--discover"])  # defaults: no permission probe
    streams, calls = discovery_calls(run)
    skipped = left_out(run.stderr)
    assert calls.get("inspect") == 1
    assert calls.get("lookup") == streams + len(skipped) >= objects
    assert "query" not in calls
    # with the opt-in permission probe: one one-row query per described object more
    run = run_tap(sandbox.config(check_permissions=True), extra=["--discover"])
    streams, calls = discovery_calls(run)
    assert calls.get("inspect") == 1
    assert calls.get("lookup") == streams + len(left_out(run.stderr))
    assert calls.get("query") == calls.get("lookup") - len(skipped)


def test_sync_with_catalog_makes_no_discovery_call(sandbox: Any, catalog: dict[str, Any]) -> None:
    run = run_tap(sandbox.config(), select(catalog, ["apterm"]))
    summary = next(line for line in run.stderr.splitlines() if "Run summary" in line)
    assert "inspect" not in summary
    assert "lookup" not in summary
    assert run.records["apterm"]


def test_object_globs_and_exclusions(sandbox: Any) -> None:
    catalog = discover(sandbox.config(objects=["GL*", "vendor"], exclude_objects=["gldetail"]))
    streams = {e["tap_stream_id"] for e in catalog["streams"]}
    assert "vendor" in streams
    assert "glaccount" in streams
    assert "gldetail" not in streams
    assert "apbill" not in streams


def test_readonly_user_gets_catalog_without_forbidden_object(
    sandbox: Any, readonly_credentials: dict[str, str]
) -> None:
    config = {**sandbox.config(), **readonly_credentials}
    run = run_tap(config, extra=["--discover"])
    streams = {e["tap_stream_id"] for e in json.loads(run.stdout)["streams"]}
    assert "arinvoice" not in streams
    assert "vendor" in streams
    warnings = [
        line
        for line in run.stderr.splitlines()
        if "ARINVOICE" in line and "out of the catalog" in line
    ]
    assert len(warnings) == 1


def test_about_markdown_documents_every_setting() -> None:
    out = subprocess.run(
        [TAP, "--about", "--format", "markdown"], capture_output=True, text=True, check=True
    ).stdout
    from tap_intacct.settings import CONFIG_JSONSCHEMA

    for name, spec in CONFIG_JSONSCHEMA["properties"].items():
        row = next((line for line in out.splitlines() if line.startswith(f"| {name} |")), None)
        assert row is not None, name
        assert spec["description"] in row
    for setting in (
        "company_id",
        "sender_id",
        "sender_password",
        "user_id",
        "user_password",
        "entity_id",
        "api_url",
        "request_timeout",
        "max_retries",
        "max_concurrent_requests",
        "timezone",
        "start_date",
        "objects",
        "exclude_objects",
        "page_size",
        "lookback_minutes",
        "include_deletes",
    ):
        assert f"| {setting} |" in out


@pytest.mark.parametrize(
    ("override", "setting"),
    [
        ({"sender_password": "wrong-sender-pass"}, "sender_password"),
        ({"user_password": "wrong-user-pass"}, "user_password"),
        ({"user_id": "nobody"}, "user_id"),
        ({"objects": ["NOSUCHOBJECT"]}, "objects"),
        ({"objects": ["VENDOR", "FIXEDASSET"]}, "objects"),
        ({"company_id": "OTHER-CO"}, "company_id"),
        ({"company_id": "NO-SUCH-CO"}, "company_id"),
        ({"api_url": "http://127.0.0.1:9/ia/xml/xmlgw.phtml", "max_retries": 0}, "api_url"),
    ],
)
def test_user_fixable_errors_end_with_one_clear_line(
    sandbox: Any, override: dict[str, Any], setting: str
) -> None:
    run = run_tap(sandbox.config(**override), extra=["--discover"], check=False)
    assert run.returncode == 2
    assert "Traceback" not in run.stderr
    assert setting in run.stderr.splitlines()[-1]
    for secret in (*SECRETS, "wrong-sender-pass", "wrong-user-pass"):
        assert secret not in run.stderr
        assert secret not in run.stdout
