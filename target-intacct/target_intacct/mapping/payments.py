"""BillPayments -> APPYMT and InvoicePayments -> ARPYMT, applied to bills / invoices.

The payment's own `id` is kept in DOCNUMBER; with the vendor (customer) it is the
natural key, so a re-run finds the payment and sends nothing. The documents a payment
names are looked up once per window (one `in` query on their numbers and record
numbers), which also gives their amount due: a line larger than what is still due
(after the earlier payments of the same run) is refused before any write, with
TI-OVERPAYMENT. Intacct cannot change an applied payment through the API, so a payment
that exists with other values is refused (TI-PAYMENT-EXISTS), never rewritten.

Intacct may replace the DOCNUMBER of an AP payment by Printed Check with the check number
(the public record is silent; sandbox variant `check_docnumber`). So such a payment also
carries its id at the start of its memo, `[<id>] <description>`, and is found by that
prefix as well; its DOCNUMBER is not compared.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from intacct_client import Function
from intacct_client import filters as f

from target_intacct.existing import ExistingFinder
from target_intacct.mapping.base import Prepared, Refs, UnifiedSpec, WriteSettings, drop_empty
from target_intacct.mapping.common import resolve_party
from target_intacct.records import InputRecord, RecordRejected
from target_intacct.validation import check_date, check_one_of, line_amount, validate_schema
from target_intacct.values import iso_date, positive_amount

if TYPE_CHECKING:
    from target_intacct.writer import RunState

# unified paymentMethod -> Intacct PAYMENTMETHOD (PHP SDK ApPaymentInfo / AbstractArPayment)
PAYMENT_METHODS: dict[str, str] = {
    "Check": "Printed Check",
    "Printed Check": "Printed Check",
    "EFT": "EFT",
    "ACH": "ACH",
    "Cash": "Cash",
    "Credit Card": "Credit Card",
    "Record Transfer": "Record Transfer",
}
IN_LIMIT = 1000  # values per `in` filter
CHECK = "Printed Check"
MEMO_TAG = re.compile(r"^\[([^\]]+)\]")  # "[<id>] memo" of a check payment
MEMO_LIMIT = 1000


@dataclass(frozen=True)
class PaymentShape:
    """Where one kind of payment keeps its fields, and what it pays."""

    party: str  # "vendor" | "customer"
    party_field: str  # VENDORID | CUSTOMERID
    date_field: str  # PAYMENTDATE | RECEIPTDATE
    details: tuple[str, str]  # (collection, line element)
    document_object: str  # APBILL | ARINVOICE
    document: str  # "bill" | "invoice" (also the input field prefix)
    tags_checks: bool = False  # check payments keep their id in the memo too


@dataclass(frozen=True)
class Document:
    """A bill or invoice a payment line applies to."""

    recordno: str
    number: str  # RECORDID
    party: str
    due: Decimal


class PaymentSpec(UnifiedSpec):
    """Shared by both payment streams; `shape` says which object and fields."""

    shape: ClassVar[PaymentShape]
    line_parent_field: ClassVar[str] = "PAYMENTKEY"
    decide_per_request: ClassVar[bool] = True

    def __init__(self) -> None:
        self._documents: dict[int, tuple[str, list[Document]]] = {}  # position -> party, docs
        self._due: dict[str, Decimal] = {}  # RECORDNO -> amount still due (this run)
        self._numbers: dict[int, list[str]] = {}  # position -> document number per line

    # ------------------------------------------------------------ validation
    def validate(self, item: InputRecord, settings: WriteSettings) -> None:
        """Check the payment's schema, party, date, lines and deposit account."""
        validate_schema(item)
        shape = self.shape
        check_one_of(
            item, f"{shape.party}Id", f"{shape.party}Name", f"the {shape.party} is missing"
        )
        check_date(item, "paymentDate", required=True)
        for index, line in enumerate(item.data["lines"]):
            path = f"lines[{index}]"
            if not (line.get(f"{shape.document}Number") or line.get(f"{shape.document}Id")):
                raise RecordRejected(
                    item,
                    f"{path}.{shape.document}Number",
                    None,
                    f"a line needs {shape.document}Number or {shape.document}Id",
                )
            line_amount(item, f"{path}.amount", line.get("amount"))
        self.validate_deposit(item)

    def validate_deposit(self, item: InputRecord) -> None:
        """Where the money goes or comes from (bank account by default)."""

    # ------------------------------------------------------------ documents
    def preload(self, items: Sequence[InputRecord], run: RunState) -> dict[int, RecordRejected]:
        """Resolve every line's bill/invoice and its amount due: one query per window."""
        shape = self.shape
        rejections: dict[int, RecordRejected] = {}
        parties: dict[int, str] = {}
        numbers: set[str] = set()
        recordnos: set[str] = set()
        for item in items:
            try:
                parties[item.position] = resolve_party(
                    Refs(run.resolver, item), item.data, shape.party
                )
            except RecordRejected as rejection:
                rejections[item.position] = rejection
                continue
            for line in item.data["lines"]:
                if line.get(f"{shape.document}Number"):
                    numbers.add(str(line[f"{shape.document}Number"]))
                else:
                    recordnos.add(str(line[f"{shape.document}Id"]))
        rows = self._query_documents(run, sorted(numbers), sorted(recordnos))
        if run.dry_run:
            rows += self._planned_rows(run, numbers, rows)
        for row in rows:
            self._due[str(row.get("RECORDNO"))] = _due_of(row)
        for item in items:
            if item.position not in parties:
                continue
            try:
                docs = [
                    self._document_for(item, index, line, parties[item.position], rows)
                    for index, line in enumerate(item.data["lines"])
                ]
            except RecordRejected as rejection:
                rejections[item.position] = rejection
                continue
            self._documents[item.position] = (parties[item.position], docs)
        return rejections

    def _planned_rows(
        self, run: RunState, numbers: set[str], rows: Sequence[Mapping[str, Any]]
    ) -> list[dict[str, Any]]:
        """Dry run: documents of this input the run would have created, as query rows."""
        shape = self.shape
        found = {(str(row.get("RECORDID")), str(row.get(shape.party_field))) for row in rows}
        planned: list[dict[str, Any]] = []
        for (obj, number, party), total in run.planned_documents.items():
            if obj == shape.document_object and number in numbers and (number, party) not in found:
                planned.append(
                    {
                        "RECORDNO": f"(new {number})",
                        "RECORDID": number,
                        shape.party_field: party,
                        "TOTALDUE": total,
                    }
                )
        return planned

    def _query_documents(
        self, run: RunState, numbers: list[str], recordnos: list[str]
    ) -> list[dict[str, Any]]:
        shape = self.shape
        finder = ExistingFinder(self, run.client, run.unqueryable)
        fields = ["RECORDNO", "RECORDID", shape.party_field, "TOTALDUE", "TRX_TOTALDUE"]
        rows: list[dict[str, Any]] = []
        for field, values in (("RECORDID", numbers), ("RECORDNO", recordnos)):
            for start in range(0, len(values), IN_LIMIT):
                chunk = values[start : start + IN_LIMIT]
                rows += finder.query(shape.document_object, fields, f.in_(field, chunk))
        return rows

    def _document_for(
        self,
        item: InputRecord,
        index: int,
        line: Mapping[str, Any],
        party: str,
        rows: Sequence[Mapping[str, Any]],
    ) -> Document:
        shape = self.shape
        by_number = bool(line.get(f"{shape.document}Number"))
        field = f"{shape.document}Number" if by_number else f"{shape.document}Id"
        wanted = str(line[field])
        column = "RECORDID" if by_number else "RECORDNO"
        named = [row for row in rows if str(row.get(column)) == wanted]
        mine = [row for row in named if str(row.get(shape.party_field)) == party]
        path = f"lines[{index}].{field}"
        if len(mine) == 1:
            row = mine[0]
            return Document(
                recordno=str(row["RECORDNO"]),
                number=str(row.get("RECORDID") or row["RECORDNO"]),
                party=party,
                due=_due_of(row),
            )
        if len(mine) > 1:
            keys = ", ".join(str(row.get("RECORDNO")) for row in mine)
            reason = (
                f"{len(mine)} {shape.document}s of {shape.party} {party!r} have this number "
                f"(RECORDNO {keys}); give {shape.document}Id instead"
            )
            raise RecordRejected(item, path, wanted, reason, code="TI-AMBIGUOUS")
        others = sorted({str(row.get(shape.party_field)) for row in named})
        reason = f"no {shape.document} {wanted!r} of {shape.party} {party!r} exists"
        if others:
            reason += f" (it belongs to {shape.party} {', '.join(others)})"
        raise RecordRejected(item, path, wanted, reason, code="TI-REFERENCE")

    # ------------------------------------------------------------ mapping
    def deposit_fields(self, data: Mapping[str, Any]) -> dict[str, Any]:
        """The account a payment is drawn from (bill payments: the bank account)."""
        return {"FINANCIALENTITY": data.get("bankAccountId")}

    def prepare(self, item: InputRecord, refs: Refs, settings: WriteSettings) -> Prepared:
        """Map a payment to its object's payload, with one detail line per paid document."""
        shape = self.shape
        data = item.data
        party, docs = self._documents.pop(item.position)
        method = PAYMENT_METHODS[str(data["paymentMethod"])]
        tagged = shape.tags_checks and method == CHECK
        memo = self.memo(item, tagged)
        header = drop_empty(
            {
                "PAYMENTMETHOD": method,
                **self.deposit_fields(data),
                shape.party_field: party,
                "DOCNUMBER": str(data["id"]),
                "DESCRIPTION": memo,
                shape.date_field: iso_date(data["paymentDate"]),
                "CURRENCY": data.get("currency"),
            }
        )
        lines = [
            {"RECORDKEY": doc.recordno, "TRX_PAYMENTAMOUNT": positive_amount(line["amount"])}
            for doc, line in zip(docs, data["lines"], strict=True)
        ]
        wire = {k: settings.wire_date(v) if k == shape.date_field else v for k, v in header.items()}
        collection, element = shape.details
        prepared = Prepared(
            item=item,
            natural_key=(str(data["id"]), party),
            payload={**wire, collection: {element: lines}},
            # a check's DOCNUMBER may have become its check number: not compared
            header={k: v for k, v in header.items() if not (tagged and k == "DOCNUMBER")},
            lines=[dict(line) for line in lines],
        )
        self._numbers[item.position] = [doc.number for doc in docs]
        return prepared

    @staticmethod
    def memo(item: InputRecord, tagged: bool) -> str | None:
        """The memo sent: a check payment's starts with `[<id>]`."""
        description = item.data.get("description")
        if not tagged:
            return str(description) if description else None
        memo = f"[{item.data['id']}] {description}" if description else f"[{item.data['id']}]"
        if "]" in str(item.data["id"]) or len(memo) > MEMO_LIMIT:
            reason = (
                "a Printed Check payment keeps its id at the start of the memo, so the id may "
                f"not contain ']' and id + description must fit {MEMO_LIMIT} characters"
            )
            raise RecordRejected(item, "id", item.data["id"], reason)
        return memo

    def lookup_filter(self, batch: Sequence[Prepared]) -> Any:
        """Find existing payments by document number or by the id tag in the memo."""
        numbers = f.in_("DOCNUMBER", sorted({p.natural_key[0] for p in batch}))
        tagged = sorted({p.natural_key[0] for p in batch if "DOCNUMBER" not in p.header})
        if not tagged:
            return numbers
        return f.or_(numbers, *(f.like("DESCRIPTION", f"[{ident}]%") for ident in tagged))

    def row_keys(self, row: Mapping[str, Any]) -> list[tuple[str, ...]]:
        """A payment is known by its document number (or memo tag) and party."""
        party = str(row.get(self.shape.party_field))
        keys: list[tuple[str, ...]] = [(str(row.get("DOCNUMBER")), party)]
        tag = MEMO_TAG.match(str(row.get("DESCRIPTION") or ""))
        if tag and (tag.group(1), party) not in keys:
            keys.append((tag.group(1), party))
        return keys

    # ------------------------------------------------------------ functions
    def create_function(self, prepared: Prepared, controlid: str) -> Function:
        """Build the payment's ``create``, reserving the amounts it applies.

        A line larger than its document's amount due (earlier lines and payments of this
        run included) is refused with RecordRejected.
        """
        numbers = self._numbers.get(prepared.item.position, [])
        planned: dict[str, Decimal] = {}
        for index, line in enumerate(prepared.lines):
            recordno = str(line["RECORDKEY"])
            amount = Decimal(line["TRX_PAYMENTAMOUNT"])
            due = self._due.get(recordno, Decimal(0)) - planned.get(recordno, Decimal(0))
            if amount > due:
                number = numbers[index] if index < len(numbers) else recordno
                raise RecordRejected(
                    prepared.item,
                    f"lines[{index}].amount",
                    amount,
                    f"{self.shape.document} {number!r} (RECORDNO {recordno}) has "
                    f"{due} due; cannot apply {amount}",
                    code="TI-OVERPAYMENT",
                )
            planned[recordno] = planned.get(recordno, Decimal(0)) + amount
        for recordno, amount in planned.items():
            self._due[recordno] = self._due.get(recordno, Decimal(0)) - amount
        return Function("create", {self.object_name: prepared.payload}, controlid=controlid)

    def discard(self, prepared: Prepared) -> None:
        """The payment did not land: its amounts are due again for later payments."""
        for line in prepared.lines:
            recordno = str(line["RECORDKEY"])
            self._due[recordno] = self._due.get(recordno, Decimal(0)) + line["TRX_PAYMENTAMOUNT"]

    def update_function(
        self,
        prepared: Prepared,
        existing: Mapping[str, Any],
        controlid: str,
        existing_lines: Sequence[Mapping[str, Any]] = (),
    ) -> Function:
        """Refuse the update: an applied payment cannot be changed in place.

        Raises:
            RecordRejected: Always, naming the existing payment.
        """
        raise RecordRejected(
            prepared.item,
            "id",
            prepared.natural_key[0],
            f"a payment with this id already exists ({self.object_name} RECORDNO "
            f"{existing.get('RECORDNO')}) with other values; an applied payment cannot be "
            "changed through the API (reverse or void it in Intacct, then send a new id)",
            code="TI-PAYMENT-EXISTS",
        )


def _due_of(row: Mapping[str, Any]) -> Decimal:
    """Amount due in the document's currency (TRX_TOTALDUE), else in base (TOTALDUE)."""
    for name in ("TRX_TOTALDUE", "TOTALDUE"):
        value = row.get(name)
        if value not in (None, ""):
            return Decimal(str(value))
    return Decimal(0)


class BillPaymentsSpec(PaymentSpec):
    """Natural key: the payment id (DOCNUMBER) + vendor (VENDORID)."""

    stream = "BillPayments"
    object_name = "APPYMT"
    key_fields: ClassVar[tuple[str, ...]] = ("DOCNUMBER", "VENDORID", "DESCRIPTION")
    line_object: ClassVar[str | None] = "APPYMTDETAIL"
    shape = PaymentShape(
        party="vendor",
        party_field="VENDORID",
        date_field="PAYMENTDATE",
        details=("APPYMTDETAILS", "APPYMTDETAIL"),
        document_object="APBILL",
        document="bill",
        tags_checks=True,
    )


class InvoicePaymentsSpec(PaymentSpec):
    """Natural key: the payment id (DOCNUMBER) + customer (CUSTOMERID)."""

    stream = "InvoicePayments"
    object_name = "ARPYMT"
    key_fields: ClassVar[tuple[str, ...]] = ("DOCNUMBER", "CUSTOMERID")
    line_object: ClassVar[str | None] = "ARPYMTDETAIL"
    shape = PaymentShape(
        party="customer",
        party_field="CUSTOMERID",
        date_field="RECEIPTDATE",
        details=("ARPYMTDETAILS", "ARPYMTDETAIL"),
        document_object="ARINVOICE",
        document="invoice",
    )

    def validate_deposit(self, item: InputRecord) -> None:
        """A receipt needs a bank account or an undeposited-funds account."""
        check_one_of(
            item,
            "bankAccountId",
            "undepositedFundsAccountNumber",
            "the receipt needs a deposit account",
        )

    def deposit_fields(self, data: Mapping[str, Any]) -> dict[str, Any]:
        """The account a receipt is deposited to: the bank account, else undeposited funds."""
        if data.get("bankAccountId"):
            return {"FINANCIALENTITY": data["bankAccountId"]}
        return {"UNDEPOSITEDACCOUNTNO": data.get("undepositedFundsAccountNumber")}
