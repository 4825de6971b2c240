"""Stream `attachments` against a real sandbox: one row per supporting document.

Ground truth is the sandbox's stored documents (`GET /_sandbox/attachments`): every
document with its files' names, types, sizes and base64 content. Content is emitted only
with `attachments_content`, a file over `attachments_max_bytes` is skipped with one
warning naming it, documents are read one per call, and runs are incremental when the
records carry `whenmodified` (sandbox variant `supdoc_whenmodified`), full otherwise.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from intacct_client import ClientConfig, Function, IntacctClient
from tap_helpers import run_tap

STREAM = "attachments"
LOOKBACK_MINUTES = 60  # the tap's default


def stored(box: Any) -> dict[str, dict[str, Any]]:
    return {doc["SUPDOCID"]: doc for doc in box.control("GET", "attachments")}


def emitted(run: Any) -> dict[str, dict[str, Any]]:
    rows = run.records[STREAM]
    ids = [row["SUPDOCID"] for row in rows]
    assert len(ids) == len(set(ids)), "a document was emitted twice"
    return {row["SUPDOCID"]: row for row in rows}


def calls(stderr: str) -> dict[str, int]:
    line = next(line for line in stderr.splitlines() if "Run summary" in line)
    return {k: int(v) for k, v in re.findall(r"'(\w+)': (\d+)", line.split("records", 1)[0])}


def check_headers(truth: dict[str, dict[str, Any]], rows: dict[str, dict[str, Any]]) -> None:
    for supdoc_id, doc in truth.items():
        row = rows[supdoc_id]
        assert row["RECORDNO"] == doc["RECORDNO"]
        assert row["SUPDOCNAME"] == doc["SUPDOCNAME"]
        assert row["FOLDER"] == doc["FOLDER"]
        assert row["DESCRIPTION"] == doc["DESCRIPTION"]
        assert row["CREATIONDATE"] == doc["CREATIONDATE"]


def test_documents_match_the_sandbox_without_content(sandbox: Any) -> None:
    run = run_tap(sandbox.config(objects=[STREAM]))
    truth = stored(sandbox)
    rows = emitted(run)
    assert len(truth) >= 8
    assert set(rows) == set(truth)
    check_headers(truth, rows)
    for supdoc_id, doc in truth.items():
        row = rows[supdoc_id]
        assert row["ATTACHMENTS"]
        files = [(f["NAME"], f["TYPE"], f["SIZE"]) for f in doc["ATTACHMENTS"]]
        assert [(f["NAME"], f["TYPE"], f["SIZE"]) for f in row["ATTACHMENTS"]] == files
        assert all(f["CONTENT"] is None for f in row["ATTACHMENTS"])
    # bills link to the documents
    linked = {bill["SUPDOCID"] for bill in sandbox.records("APBILL") if bill.get("SUPDOCID")}
    assert linked == set(truth)
    # header pages, then one `get` per document
    assert calls(run.stderr)["get"] == len(truth)
    assert calls(run.stderr)["get_list"] == 1


def test_content_is_emitted_on_request_and_oversized_files_are_skipped(sandbox: Any) -> None:
    truth = stored(sandbox)
    sizes = sorted(f["SIZE"] for doc in truth.values() for f in doc["ATTACHMENTS"])
    cap = sizes[-1] - 1  # only the largest file is over the cap
    run = run_tap(
        sandbox.config(objects=[STREAM], attachments_content=True, attachments_max_bytes=cap)
    )
    rows = emitted(run)
    skipped = []
    for supdoc_id, doc in truth.items():
        for sent, kept in zip(rows[supdoc_id]["ATTACHMENTS"], doc["ATTACHMENTS"], strict=True):
            if kept["SIZE"] > cap:
                assert sent["CONTENT"] is None
                assert sent["CONTENT_SKIPPED"] is True
                skipped.append(f"{supdoc_id}/{kept['NAME']}.{kept['TYPE']}")
            else:
                assert sent["CONTENT"] == kept["CONTENT"]
                assert sent["CONTENT_SKIPPED"] is False
    assert len(skipped) == 1
    warnings = [line for line in run.stderr.splitlines() if "attachments_max_bytes" in line]
    assert len(warnings) == 1
    assert skipped[0] in warnings[0]


def append_file(box: Any, supdoc_id: str) -> None:
    with IntacctClient(ClientConfig.from_mapping(box.config())) as client:
        payload = {
            "supdocid": supdoc_id,
            "attachments": {
                "attachment": {
                    "attachmentname": "credit-note",
                    "attachmenttype": "txt",
                    "attachmentdata": "Y3JlZGl0IG5vdGU=",
                }
            },
        }
        client.execute_one(Function("update_supdoc", payload)).raise_for_status()


def first_bookmark(state: dict[str, Any]) -> str:
    """The stored WHENMODIFIED text (UTC) the second run lists from (lookback included)."""
    moment = datetime.fromisoformat(state["bookmarks"][STREAM]["replication_key_value"])
    since = moment - timedelta(minutes=LOOKBACK_MINUTES)
    return since.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.mark.parametrize(
    ("modified", "date_format"),
    [("absent", "mm/dd/yyyy"), ("present", "mm/dd/yyyy"), ("present", "dd.mm.yyyy")],
)
def test_second_run_reads_what_changed_when_the_records_allow(
    sandbox_factory: Any, modified: str, date_format: str
) -> None:
    box = sandbox_factory(variants={"supdoc_whenmodified": modified, "date_format": date_format})
    first = run_tap(box.config(objects=[STREAM]))
    state = first.last_state
    assert state is not None
    truth = stored(box)
    assert set(emitted(first)) == set(truth)
    check_headers(truth, emitted(first))
    if modified == "present":
        for supdoc_id, row in emitted(first).items():
            assert row["WHENMODIFIED"] is not None
            stamp = datetime.fromisoformat(row["WHENMODIFIED"]).astimezone(timezone.utc)
            assert stamp.strftime("%Y-%m-%dT%H:%M:%SZ") == truth[supdoc_id]["WHENMODIFIED"]
    box.freeze_clock("2026-01-15T12:00:00Z")
    changed = sorted(truth)[0]
    append_file(box, changed)
    second = run_tap(box.config(objects=[STREAM]), state=state)
    rows = emitted(second)
    assert [f["NAME"] for f in rows[changed]["ATTACHMENTS"]][-1] == "credit-note"
    assert rows[changed]["ATTACHMENTS"][-1]["SIZE"] == len(b"credit note")
    if modified == "present":
        # the changed document, and those at the old bookmark (read again: `>=`, lookback)
        since = first_bookmark(state)
        again = {doc for doc, kept in truth.items() if kept["WHENMODIFIED"] >= since}
        assert set(rows) == {changed} | again
        assert len(rows) < len(truth)
        assert calls(second.stderr)["get"] == len(rows)
        bookmark = second.last_state["bookmarks"][STREAM]
        assert bookmark["replication_key_value"].startswith("2026-01-15T12:00:00")
    else:
        assert set(rows) == set(truth)
        assert calls(second.stderr)["get"] == len(truth)
