"""PurchaseOrders -> PODOCUMENT through legacy create_potransaction / update_potransaction.

The purchasing API takes strictly ordered elements (the sequences of the official PHP
SDK's `Purchasing/PurchasingTransactionCreate.php` and `...LineCreate.php`). The record's
`id` is the document number (DOCNO); with the transaction definition (DOCPARID) it is the
natural key, and Intacct's DOCID (`<definition>-<number>`) is the key reported and the
one `update_potransaction` takes. A definition that numbers its documents
(ENABLE_NUMBERING) may ignore a given document number (the public record is silent), so
for such a definition the `id` goes to the reference number (PONUMBER) instead, and the
natural key is PONUMBER + DOCPARID. The definition comes from the record, else the
`purchase_order_transaction_type` setting, else the company's one purchasing definition
whose document class is Order. The definitions are listed once per run.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from intacct_client import Function
from intacct_client import filters as f

from target_intacct.existing import ExistingFinder
from target_intacct.mapping.base import Prepared, Refs, UnifiedSpec, WriteSettings, drop_empty
from target_intacct.mapping.common import numbered_line_changes, resolve_party
from target_intacct.records import InputRecord, RecordRejected
from target_intacct.validation import check_date, check_one_of, validate_schema
from target_intacct.values import ValueProblem, iso_date, legacy_date, measure

if TYPE_CHECKING:
    from target_intacct.writer import RunState

# PODOCUMENTENTRY field -> potransitem element, in the element order of the line sequence
LINE_ORDER: tuple[tuple[str, str], ...] = (
    ("ITEMID", "itemid"),
    ("QUANTITY", "quantity"),
    ("PRICE", "price"),
    ("LOCATIONID", "locationid"),
    ("DEPARTMENTID", "departmentid"),
    ("MEMO", "memo"),
)
DEFINITIONS = "PODOCUMENTPARAMS"


class PurchaseOrdersSpec(UnifiedSpec):
    """Natural key: document number (DOCNO) + transaction definition (DOCPARID)."""

    stream = "PurchaseOrders"
    object_name = "PODOCUMENT"
    key_fields: ClassVar[tuple[str, ...]] = ("DOCNO", "DOCPARID", "PONUMBER")
    key_field: ClassVar[str] = "DOCID"
    line_object: ClassVar[str | None] = "PODOCUMENTENTRY"
    line_parent_field: ClassVar[str] = "DOCHDRNO"

    def __init__(self) -> None:
        self._definitions: dict[str, tuple[str, bool]] | None = None  # DOCID -> class, numbered

    def validate(self, item: InputRecord, settings: WriteSettings) -> None:
        """Check the order's schema, vendor, dates and line quantities and prices."""
        validate_schema(item)
        check_one_of(item, "vendorId", "vendorName", "the vendor is missing")
        check_date(item, "transactionDate", required=True)
        check_date(item, "dueDate")
        for index, line in enumerate(item.data["lines"]):
            for name, positive in (("quantity", True), ("unitPrice", False)):
                path = f"lines[{index}].{name}"
                try:
                    measure(line.get(name), positive=positive)
                except ValueProblem as problem:
                    raise RecordRejected(item, path, line.get(name), str(problem)) from None

    def preload(self, items: Sequence[InputRecord], run: RunState) -> dict[int, RecordRejected]:
        """The company's purchasing definitions: one query per run."""
        if self._definitions is None:
            finder = ExistingFinder(self, run.client, run.unqueryable)
            fields = ["RECORDNO", "DOCID", "DOCCLASS", "ENABLE_NUMBERING"]
            rows = finder.query(DEFINITIONS, fields, f.is_not_null("DOCID"))
            self._definitions = {
                str(row["DOCID"]): (str(row.get("DOCCLASS") or ""), _numbers_itself(row))
                for row in rows
            }
        return {}

    def numbers_itself(self, definition: str) -> bool:
        """True when Intacct numbers this definition's documents (id kept in PONUMBER)."""
        known = (self._definitions or {}).get(definition)
        return known is None or known[1]

    def transaction_type(self, item: InputRecord, settings: WriteSettings) -> str:
        """Return the transaction definition the order is written with.

        Raises:
            RecordRejected: The given definition is unknown, or none is given and not
                exactly one definition has document class Order.
        """
        definitions = self._definitions or {}
        given = item.data.get("transactionType") or settings.purchase_order_transaction_type
        if given:
            if str(given) not in definitions:
                field = "transactionType" if item.data.get("transactionType") else None
                known = ", ".join(repr(name) for name in sorted(definitions))
                reason = f"unknown purchasing transaction definition {given!r} (known: {known})"
                raise RecordRejected(item, field, given, reason, code="TI-REFERENCE")
            return str(given)
        found = sorted(name for name, (kind, _n) in definitions.items() if kind == "Order")
        if len(found) == 1:
            return found[0]
        if found:
            reason = (
                f"{len(found)} purchasing definitions have document class Order "
                f"({', '.join(repr(name) for name in found)}); give transactionType or set "
                "purchase_order_transaction_type"
            )
        else:
            reason = (
                "no purchasing definition has document class Order; give transactionType "
                "or set purchase_order_transaction_type"
            )
        raise RecordRejected(item, "transactionType", None, reason, code="TI-REFERENCE")

    def prepare(self, item: InputRecord, refs: Refs, settings: WriteSettings) -> Prepared:
        """Map an order to a ``create_potransaction`` payload keyed by id and definition."""
        data = item.data
        vendor = resolve_party(refs, data, "vendor")
        definition = self.transaction_type(item, settings)
        issued = iso_date(data["transactionDate"])
        due = iso_date(data["dueDate"]) if data.get("dueDate") else None
        ident = str(data["id"])
        numbered = self.numbers_itself(definition)
        reference = data.get("referenceNumber")
        if numbered and reference and reference != ident:
            raise RecordRejected(
                item,
                "referenceNumber",
                reference,
                f"definition {definition!r} numbers its documents, so the record's id is kept "
                "in the reference number; leave referenceNumber out or equal to id",
            )
        header = drop_empty(
            {
                "DOCNO": None if numbered else ident,
                "DOCPARID": definition,
                "CUSTVENDID": vendor,
                "WHENCREATED": issued,
                "WHENDUE": due,
                "PONUMBER": ident if numbered else reference,
                "MESSAGE": data.get("description"),
                "CURRENCY": data.get("currency"),
            }
        )
        lines: list[dict[str, Any]] = []
        for index, line in enumerate(data["lines"]):
            path = f"lines[{index}]"
            lines.append(
                drop_empty(
                    {
                        "ITEMID": refs.resolve("item", f"{path}.itemId", line["itemId"]),
                        "QUANTITY": measure(line["quantity"], positive=True),
                        "PRICE": measure(line["unitPrice"], positive=False),
                        "LOCATIONID": refs.optional(
                            "location", f"{path}.locationId", line.get("locationId")
                        ),
                        "DEPARTMENTID": refs.optional(
                            "department", f"{path}.departmentId", line.get("departmentId")
                        ),
                        "MEMO": line.get("description"),
                    }
                )
            )
        return Prepared(
            item=item,
            natural_key=(str(data["id"]), definition),
            payload=self._create_payload(header, issued, due, lines),
            header=header,
            lines=lines,
        )

    @staticmethod
    def _legacy_line(line: Mapping[str, Any]) -> dict[str, Any]:
        return {element: line[field] for field, element in LINE_ORDER if field in line}

    def _tail(self, header: Mapping[str, Any], due: date | None) -> list[tuple[str, Any]]:
        """Elements shared by create and update, in sequence order (after vendorid)."""
        tail: list[tuple[str, Any]] = []
        if header.get("PONUMBER"):
            tail.append(("referenceno", header["PONUMBER"]))
        if due is not None:
            tail.append(("datedue", legacy_date(due)))
        if header.get("MESSAGE"):
            tail.append(("message", header["MESSAGE"]))
        if header.get("CURRENCY"):
            tail.append(("currency", header["CURRENCY"]))
        return tail

    def _create_payload(
        self,
        header: Mapping[str, Any],
        issued: date,
        due: date | None,
        lines: Sequence[Mapping[str, Any]],
    ) -> dict[str, Any]:
        """create_potransaction elements in the order of its sequence."""
        ordered: dict[str, Any] = {
            "transactiontype": header["DOCPARID"],
            "datecreated": legacy_date(issued),
            "vendorid": header["CUSTVENDID"],
        }
        if header.get("DOCNO"):
            ordered["documentno"] = header["DOCNO"]
        ordered.update(self._tail(header, due))
        ordered["potransitems"] = {"potransitem": [self._legacy_line(line) for line in lines]}
        return ordered

    def lookup_filter(self, batch: Sequence[Prepared]) -> Any:
        """Find existing orders by PONUMBER or DOCNO, whichever their definition keeps the id in."""
        by_field: dict[str, set[str]] = {"DOCNO": set(), "PONUMBER": set()}
        for prepared in batch:
            field = "PONUMBER" if self.numbers_itself(prepared.natural_key[1]) else "DOCNO"
            by_field[field].add(prepared.natural_key[0])
        parts = [f.in_(name, sorted(values)) for name, values in by_field.items() if values]
        return parts[0] if len(parts) == 1 else f.or_(*parts)

    def row_keys(self, row: Mapping[str, Any]) -> list[tuple[str, ...]]:
        """An order is known by its id and transaction definition."""
        definition = str(row.get("DOCPARID"))
        field = "PONUMBER" if self.numbers_itself(definition) else "DOCNO"
        return [(str(row.get(field)), definition)]

    def create_function(self, prepared: Prepared, controlid: str) -> Function:
        """Build the legacy ``create_potransaction`` function."""
        return Function("create_potransaction", prepared.payload, controlid=controlid)

    def update_function(
        self,
        prepared: Prepared,
        existing: Mapping[str, Any],
        controlid: str,
        existing_lines: Sequence[Mapping[str, Any]] = (),
    ) -> Function:
        """Build the legacy ``update_potransaction`` function, changing lines by number.

        Line N changes with updatepotransitem line_num=N, extra
        lines are appended; the vendor and the number of lines cannot shrink or change.
        """
        header = prepared.header
        if str(existing.get("CUSTVENDID")) != header["CUSTVENDID"]:
            raise RecordRejected(
                prepared.item,
                "vendorId",
                header["CUSTVENDID"],
                f"purchase order {existing.get('DOCID')} belongs to vendor "
                f"{existing.get('CUSTVENDID')}; update_potransaction cannot change the vendor",
            )
        changes = numbered_line_changes(
            prepared,
            "lines",
            prepared.payload["potransitems"]["potransitem"],
            existing_lines,
            document=f"purchase order {existing.get('DOCID')}",
            function="update_potransaction",
            tags=("updatepotransitem", "potransitem"),
        )
        due = header.get("WHENDUE")
        body: list[tuple[str, Any]] = [
            ("datecreated", prepared.payload["datecreated"]),
            *self._tail(header, due if isinstance(due, date) else None),
            ("updatepotransitems", changes),
        ]
        return Function(
            "update_potransaction",
            body,
            controlid=controlid,
            attributes={"key": str(existing.get("DOCID"))},
        )


def _numbers_itself(row: Mapping[str, Any]) -> bool:
    """ENABLE_NUMBERING is true, or could not be read (then the safe answer)."""
    value = row.get("ENABLE_NUMBERING")
    return value is None or str(value).strip().lower() in ("true", "t", "1", "yes")
