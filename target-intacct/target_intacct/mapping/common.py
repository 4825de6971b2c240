"""Pieces shared by several stream mappings: party lookup, item lines, generic writes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from intacct_client import Function

from target_intacct.mapping.base import Prepared, Refs, UnifiedSpec, drop_empty
from target_intacct.mapping.dimensions import ITEM_DIMENSIONS, resolve_dimensions
from target_intacct.records import RecordRejected
from target_intacct.values import positive_amount


def resolve_party(refs: Refs, data: Mapping[str, Any], kind: str) -> str:
    """The vendor/customer of a document: by `<kind>Id` when given, else by `<kind>Name`."""
    id_path = f"{kind}Id"
    if data.get(id_path):
        return refs.resolve(kind, id_path, data[id_path], "id")
    name_path = f"{kind}Name"
    return refs.resolve(kind, name_path, data[name_path], "name")


def plan_document(
    object_name: str, prepared: Prepared, documents: dict[tuple[str, str, str], Decimal]
) -> None:
    """Dry run: a bill/invoice it would create, with its total, keyed by number and party."""
    number, party = prepared.natural_key
    total = sum((Decimal(line["TRX_AMOUNT"]) for line in prepared.lines), Decimal(0))
    documents[(object_name, number, party)] = total


def item_lines(refs: Refs, data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Bill and invoice `lineItems` as item fields (account, amount, memo, dimensions)."""
    lines: list[dict[str, Any]] = []
    for index, line in enumerate(data["lineItems"]):
        path = f"lineItems[{index}]"
        lines.append(
            drop_empty(
                {
                    "ACCOUNTNO": refs.account(path, line),
                    "TRX_AMOUNT": positive_amount(line["amount"]),
                    "ENTRYDESCRIPTION": line.get("description"),
                    **resolve_dimensions(refs, path, line, ITEM_DIMENSIONS),
                }
            )
        )
    return lines


class GenericWriteSpec(UnifiedSpec):
    """A stream written with generic `create` / `update` of its object (payload as is)."""

    def create_function(self, prepared: Prepared, controlid: str) -> Function:
        """Build a generic ``create`` of the object."""
        return Function("create", {self.object_name: prepared.payload}, controlid=controlid)

    def update_function(
        self,
        prepared: Prepared,
        existing: Mapping[str, Any],
        controlid: str,
        existing_lines: Sequence[Mapping[str, Any]] = (),
    ) -> Function:
        """Build a generic ``update`` of the existing record, by its RECORDNO."""
        body = {"RECORDNO": str(existing["RECORDNO"]), **prepared.payload}
        return Function("update", {self.object_name: body}, controlid=controlid)


def numbered_line_changes(
    prepared: Prepared,
    field: str,
    new_lines: Sequence[Any],
    existing_lines: Sequence[Mapping[str, Any]],
    *,
    document: str,
    function: str,
    tags: tuple[str, str],
    advice: str = "",
) -> list[tuple[str, Any]]:
    """Legacy line-numbered updates: line N changes in place, extra lines are appended.

    Legacy update functions (update_invoice, update_potransaction) address lines by
    `line_num` and cannot remove one, so fewer lines than Intacct holds is refused.
    `tags` are the (change, append) element names.
    """
    if len(new_lines) < len(existing_lines):
        raise RecordRejected(
            prepared.item,
            field,
            f"{len(new_lines)} line(s)",
            f"{document} has {len(existing_lines)} lines in Intacct; {function} cannot "
            f"remove lines{advice}",
        )
    change, append = tags
    return [
        (change, {"@line_num": str(number), **line})
        if number <= len(existing_lines)
        else (append, line)
        for number, line in enumerate(new_lines, start=1)
    ]
