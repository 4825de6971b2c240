"""The tap in REST mode reconciles with the sandbox under every registered variant.

One scenario per variant set, as for XML mode (test_variant_matrix.py): a full sync of
the core REST objects (headers and their line objects); then, through the gateway's
write path, header creates, updates and deletes, a journal entry given a new set of
lines, a deleted bill, invoice and journal entry, plus a vendor renamed through the
REST API itself; then an incremental run from the first run's STATE. The warehouse
view (upsert by `key`, keys that got `_sdc_deleted_at` dropped) must equal the sandbox:
the same keys, and every mapped field equal to the stored value. Deletes come from the
key census (REST mode reads no audit trail), so they must appear whatever the XML
half's audit variants say.

Cases: the defaults; every registered variant's every other value, one at a time (the
REST variants change the wire, the XML ones must change nothing); and all at once.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import requests
from gateway_changes import change_everything, gateway_client, prepare_unreferenced
from intacct_sandbox.rest.objects import REST_OBJECTS
from reliability_kit import fast_tap_config, run_tap_captured, variant_cases
from tap_helpers import TapRun, normalise, select

OBJECTS = {
    "accounts-payable/vendor": "VENDOR",
    "accounts-receivable/customer": "CUSTOMER",
    "accounts-payable/bill": "APBILL",
    "accounts-payable/bill-line": "APBILLITEM",
    "accounts-receivable/invoice": "ARINVOICE",
    "accounts-receivable/invoice-line": "ARINVOICEITEM",
    "general-ledger/journal-entry": "GLBATCH",
    "general-ledger/journal-entry-line": "GLENTRY",
}
LINE_OBJECTS = ("APBILLITEM", "ARINVOICEITEM", "GLENTRY")
REST_CLIENT = {"client_id": "sandbox-client-id", "client_secret": "sandbox-client-secret"}


def stream_of(rest_name: str) -> str:
    return rest_name.replace("/", "_").replace("-", "_")


def rest_config(box: Any) -> dict[str, Any]:
    """REST mode: OAuth client and REST URL; no XML sender credentials at all."""
    config = fast_tap_config(
        box,
        api="rest",
        rest_api_url=f"{box.base_url}/ia/api/v1",
        objects=list(OBJECTS),
        **REST_CLIENT,
    )
    for xml_only in ("sender_id", "sender_password", "user_password", "api_url"):
        config.pop(xml_only, None)
    return config


def rename_vendor_over_rest(box: Any, key: int, name: str) -> None:
    """A write through the REST half: PATCH /objects/accounts-payable/vendor/<key>."""
    root = f"{box.base_url}/ia/api/v1"
    token = requests.post(
        f"{root}/oauth2/token",
        data={
            **REST_CLIENT,
            "grant_type": "client_credentials",
            "username": "sandbox_user@SANDBOX-CO",
        },
        timeout=30,
    ).json()["access_token"]
    reply = requests.patch(
        f"{root}/objects/accounts-payable/vendor/{key}",
        json={"name": name},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert reply.status_code in (200, 201), reply.text


def warehouse(runs: list[TapRun], stream: str) -> dict[int, dict[str, Any]]:
    """Upsert by `key` in emission order; a key that got `_sdc_deleted_at` is dropped."""
    rows: dict[int, dict[str, Any]] = {}
    deleted: set[int] = set()
    for run in runs:
        for record in run.records.get(stream, []):
            key = record["key"]
            assert isinstance(key, int), (stream, key)
            if record.get("_sdc_deleted_at"):
                deleted.add(key)
                rows.pop(key, None)
            elif key not in deleted:
                rows[key] = record
    return rows


def expected_rows(box: Any, rest_name: str, schema: dict[str, Any]) -> dict[int, dict[str, Any]]:
    """The sandbox's stored rows, in the stream's fields, normalised by its schema."""
    rest = REST_OBJECTS[rest_name]
    props = schema["properties"]
    mapped = {
        path: fdef.id
        for path, fdef in rest.paths.items()
        if path in props and path not in rest.codes
    }
    out: dict[int, dict[str, Any]] = {}
    for row in box.records(rest.catalog_name):
        out[int(row["RECORDNO"])] = {
            path: normalise(row.get(column), props[path]) for path, column in mapped.items()
        }
    return out


@pytest.mark.parametrize("chosen", variant_cases())
def test_rest_mode_reconciles_under_variant(
    chosen: dict[str, str], sandbox_factory: Any, tmp_path: Path
) -> None:
    box = sandbox_factory(variants=chosen)
    assert {name: box.variants()[name] for name in chosen} == chosen
    config = rest_config(box)
    discovered = run_tap_captured(config, extra=["--discover"], label="discover")
    assert discovered.returncode == 0, discovered.stderr[-3000:]
    streams = [stream_of(name) for name in OBJECTS]
    catalog = select(json.loads(discovered.stdout), streams)

    with gateway_client(box.config()) as client:
        unused = prepare_unreferenced(client)
    first = run_tap_captured(config, catalog, label="full sync")
    assert first.returncode == 0, first.stderr[-3000:]
    assert first.last_state is not None
    for rest_name, catalog_name in OBJECTS.items():
        keys = {int(r["RECORDNO"]) for r in box.records(catalog_name)}
        assert {r["key"] for r in first.rows(stream_of(rest_name))} == keys, rest_name

    before = {obj: {int(r["RECORDNO"]) for r in box.records(obj)} for obj in OBJECTS.values()}
    with gateway_client(box.config()) as client:
        done = change_everything(box, client, unused)
    vendors = sorted(int(r["RECORDNO"]) for r in box.records("VENDOR"))
    rename_vendor_over_rest(box, vendors[2], "Renamed over REST")

    second = run_tap_captured(config, catalog, first.last_state, label="incremental")
    assert second.returncode == 0, second.stderr[-3000:]
    assert 0 < sum(len(second.rows(s)) for s in streams) < sum(len(first.rows(s)) for s in streams)

    for rest_name in OBJECTS:
        stream = stream_of(rest_name)
        schema = second.schemas.get(stream) or first.schemas[stream]
        expected = expected_rows(box, rest_name, schema)
        view = warehouse([first, second], stream)
        missing = sorted(set(expected) - set(view))
        stale = sorted(set(view) - set(expected))
        assert not missing, f"{stream}: missing from the warehouse: {missing[:10]}"
        assert not stale, f"{stream}: stale rows in the warehouse: {stale[:10]}"
        props = schema["properties"]
        differ = [
            (key, path)
            for key, row in expected.items()
            for path, value in row.items()
            if normalise(view[key].get(path), props[path]) != value
        ]
        assert not differ, f"{stream}: values differ for {differ[:5]}"
    renamed = warehouse([first, second], "accounts_payable_vendor")[vendors[2]]
    assert renamed["name"] == "Renamed over REST"

    deleted = {s: {r["key"] for r in second.deletes(s)} for s in streams}
    for rest_name, catalog_name in OBJECTS.items():
        if catalog_name in done:
            assert done[catalog_name] in deleted[stream_of(rest_name)], rest_name
    for rest_name, catalog_name in OBJECTS.items():
        gone = before[catalog_name] - {int(r["RECORDNO"]) for r in box.records(catalog_name)}
        if catalog_name in LINE_OBJECTS:
            assert gone, catalog_name
        assert gone <= deleted[stream_of(rest_name)], rest_name
