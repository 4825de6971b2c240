"""Which mapping handles which stream name."""

from __future__ import annotations

import re

from target_intacct.mapping.base import UnifiedSpec
from target_intacct.mapping.bills import BillsSpec
from target_intacct.mapping.invoices import InvoicesSpec
from target_intacct.mapping.journal_entries import JournalEntriesSpec
from target_intacct.mapping.parties import CustomersSpec, VendorsSpec
from target_intacct.mapping.payments import BillPaymentsSpec, InvoicePaymentsSpec
from target_intacct.mapping.purchase_orders import PurchaseOrdersSpec

UNIFIED_SPECS: dict[str, type[UnifiedSpec]] = {
    spec.stream: spec
    for spec in (
        JournalEntriesSpec,
        BillsSpec,
        InvoicesSpec,
        VendorsSpec,
        CustomersSpec,
        BillPaymentsSpec,
        InvoicePaymentsSpec,
        PurchaseOrdersSpec,
    )
}
# Streams whose records other streams refer to: written first when both are pending.
MASTER_STREAMS = frozenset({"Vendors", "Customers"})
# Documents a stream refers to, written before it when both are pending in one input.
DEPENDS_ON: dict[str, frozenset[str]] = {
    "BillPayments": frozenset({"Bills"}),
    "InvoicePayments": frozenset({"Invoices"}),
}

_NATIVE_NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")


def is_native_stream(stream: str) -> bool:
    """An upper-case Intacct object name (VENDOR, GLBATCH, a custom object...)."""
    return bool(_NATIVE_NAME.match(stream))


def spec_for(stream: str) -> UnifiedSpec | None:
    """A fresh spec for a unified stream name, or None when the stream is not unified."""
    spec_class = UNIFIED_SPECS.get(stream)
    return spec_class() if spec_class else None
