"""Unit tests of the batch writer's decisions, with an in-memory stand-in for the client.

The stand-in only answers `query` (in/or filters on flat fields) and `execute` of
generic VENDOR creates/updates; protocol behaviour is covered by the sandbox tests.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from intacct_client import ErrorDetail, Function, FunctionResult
from intacct_client.filters import Filter
from target_helpers import ListingClient, Page, item
from target_intacct.mapping.base import WriteSettings
from target_intacct.mapping.parties import VendorsSpec
from target_intacct.references import ReferenceResolver
from target_intacct.writer import BatchWriter, RunState


def _matches(filter_: Filter, row: dict[str, Any]) -> bool:
    if filter_.operator == "or":
        return any(_matches(child, row) for child in filter_.children)
    if filter_.operator == "and":
        return all(_matches(child, row) for child in filter_.children)
    assert filter_.operator == "in"
    return row.get(filter_.field or "") in {str(v) for v in filter_.values}


class MemoryClient(ListingClient):
    """Vendors in memory; `fail` and `replay` make chosen records misbehave."""

    def __init__(self) -> None:
        super().__init__({})
        self.vendors: list[dict[str, Any]] = []
        self.requests: list[list[Function]] = []
        self.fail: set[str] = set()  # VENDORIDs whose write fails
        self.replay: set[str] = set()  # VENDORIDs answered "already executed" (and applied)

    def query(self, object_name: str, fields: Any, **kwargs: Any) -> Page:
        self.calls.append(object_name)
        lookup = kwargs.get("filter")
        rows = [dict(r) for r in self.vendors if lookup is None or _matches(lookup, r)]
        return Page(records=rows)

    def execute(
        self, functions: Sequence[Function], *, transaction: bool = False, unique_id: bool = False
    ) -> list[FunctionResult]:
        assert unique_id
        self.requests.append(list(functions))
        results: list[FunctionResult] = []
        for function in functions:
            body = dict(function.payload["VENDOR"])  # type: ignore[index]
            vendor_id = body.get("VENDORID")
            if vendor_id in self.fail:
                results.append(
                    FunctionResult(
                        function.controlid,
                        function.name,
                        "failure",
                        errors=(
                            ErrorDetail("BL99", "", "Vendor refused", "Fix it"),
                            ErrorDetail("BL01001973", "", "Could not create Vendor record!", ""),
                        ),
                    )
                )
                continue
            recordno = self._apply(function.name, body)
            if vendor_id in self.replay:
                results.append(
                    FunctionResult(function.controlid, function.name, "success", replayed=True)
                )
            else:
                data = [{"RECORDNO": recordno, "VENDORID": vendor_id}]
                results.append(FunctionResult(function.controlid, function.name, "success", data))
        if transaction and any(not r.ok for r in results):
            self.vendors = [v for v in self.vendors if v.get("_committed")]
            results = [
                r
                if not r.ok
                else FunctionResult(
                    r.controlid,
                    r.function,
                    "aborted",
                    errors=(ErrorDetail("XL03000009", "", "rolled back", ""),),
                )
                for r in results
            ]
        for vendor in self.vendors:
            vendor["_committed"] = True
        return results

    def _apply(self, name: str, body: dict[str, Any]) -> str:
        flat = {"VENDORID": body.get("VENDORID"), "NAME": body["NAME"]}
        contact = body.get("DISPLAYCONTACT", {})
        flat["DISPLAYCONTACT.PRINTAS"] = contact.get("PRINTAS")
        if name == "update":
            row = next(v for v in self.vendors if v["RECORDNO"] == body["RECORDNO"])
            row.update({k: v for k, v in flat.items() if v is not None})
            return str(row["RECORDNO"])
        flat["RECORDNO"] = str(len(self.vendors) + 1)
        self.vendors.append(flat)
        return flat["RECORDNO"]


def _writer(client: MemoryClient, *, transaction: bool = False) -> BatchWriter:
    run = RunState(
        client=client,
        resolver=ReferenceResolver(client),
        settings=WriteSettings(),
        transaction=transaction,
    )
    return BatchWriter(VendorsSpec(), run)


def _vendors(*names: tuple[str, str]) -> list[Any]:
    return [
        item("Vendors", {"id": ident, "name": name}, position)
        for position, (ident, name) in enumerate(names, start=1)
    ]


def test_one_request_per_batch_and_keys_reported() -> None:
    client = MemoryClient()
    outcomes = _writer(client).write(_vendors(("V1", "A & B"), ("V2", "Søn")))
    assert [o.outcome for o in outcomes] == ["created", "created"]
    assert [o.key for o in outcomes] == ["1", "2"]
    assert len(client.requests) == 1
    assert client.calls == ["VENDOR"]  # one existence query


def test_second_run_is_unchanged_and_sends_nothing() -> None:
    client = MemoryClient()
    _writer(client).write(_vendors(("V1", "A & B")))
    outcomes = _writer(client).write(_vendors(("V1", "A & B")))
    assert [o.outcome for o in outcomes] == ["unchanged"]
    assert len(client.requests) == 1


def test_changed_name_is_an_update_of_the_same_record() -> None:
    client = MemoryClient()
    _writer(client).write(_vendors(("V1", "Old")))
    outcomes = _writer(client).write(_vendors(("V1", "New")))
    assert [(o.outcome, o.key) for o in outcomes] == [("updated", "1")]
    assert client.vendors[0]["NAME"] == "New"
    assert len(client.vendors) == 1


def test_same_key_twice_in_a_batch_goes_to_a_second_wave() -> None:
    client = MemoryClient()
    outcomes = _writer(client).write(_vendors(("V1", "First"), ("V1", "Second")))
    assert [o.outcome for o in outcomes] == ["created", "updated"]
    assert len(client.vendors) == 1
    assert client.vendors[0]["NAME"] == "Second"


def test_one_failure_does_not_block_the_others() -> None:
    client = MemoryClient()
    client.fail = {"V2"}
    outcomes = _writer(client).write(_vendors(("V1", "a"), ("V2", "b"), ("V3", "c")))
    assert [o.outcome for o in outcomes] == ["created", "failed", "created"]
    bad = outcomes[1]
    assert bad.errorno == "BL99"
    assert bad.description2 == "Vendor refused"
    assert bad.correction == "Fix it"
    assert "Vendors record #2 (id 'V2')" in (bad.message or "")


def test_replayed_write_is_found_again_by_natural_key() -> None:
    client = MemoryClient()
    client.replay = {"V2"}
    outcomes = _writer(client).write(_vendors(("V1", "a"), ("V2", "b")))
    assert [(o.outcome, o.key) for o in outcomes] == [("created", "1"), ("created", "2")]
    assert len(client.vendors) == 2


def test_transaction_batch_reports_culprit_and_rollback() -> None:
    client = MemoryClient()
    client.fail = {"V2"}
    outcomes = _writer(client, transaction=True).write(
        _vendors(("V1", "a"), ("V2", "b"), ("V3", "c"))
    )
    assert [o.outcome for o in outcomes] == ["failed", "failed", "failed"]
    assert outcomes[1].errorno == "BL99"
    assert "rolled back" in (outcomes[0].message or "")
    assert "Vendors record #2" in (outcomes[2].message or "")
    assert client.vendors == []


def test_rejected_record_is_reported_without_any_call() -> None:
    client = MemoryClient()
    bad = item("Vendors", {"id": "V1", "name": "x", "fax": "123"}, 1)
    outcomes = _writer(client).write([bad])
    assert outcomes[0].errorno == "TI-SCHEMA"
    assert "'fax'" in (outcomes[0].message or "")
    assert client.requests == []
    assert client.calls == []


def test_unexpected_error_still_leaves_one_outcome_per_record() -> None:
    class Broken(MemoryClient):
        def execute(self, functions: Sequence[Function], **kwargs: Any) -> list[FunctionResult]:
            raise RuntimeError("boom")

    client = Broken()
    reported: list[Any] = []
    run = RunState(client=client, resolver=ReferenceResolver(client), settings=WriteSettings())
    writer = BatchWriter(VendorsSpec(), run, report=reported.extend)
    records = _vendors(("V1", "a"), ("V2", "b"))
    try:
        writer.write(records)
    except RuntimeError:
        writer.fail_unreported(records, "internal error: boom")
    assert [o.outcome for o in reported] == ["failed", "failed"]
    assert all(o.errorno == "TI-INTERNAL" for o in reported)


def test_fatal_error_stops_later_requests() -> None:
    from intacct_client import IntacctAuthenticationError

    class Locked(MemoryClient):
        def execute(self, functions: Sequence[Function], **kwargs: Any) -> list[FunctionResult]:
            self.requests.append(list(functions))
            raise IntacctAuthenticationError("Sign-in information is incorrect")

    client = Locked()
    run = RunState(
        client=client, resolver=ReferenceResolver(client), settings=WriteSettings(), batch_size=1
    )
    outcomes = BatchWriter(VendorsSpec(), run).write(_vendors(("V1", "a"), ("V2", "b")))
    assert len(client.requests) == 1
    assert outcomes[1].errorno == "TI-NOT-SENT"
    assert run.fatal_error
