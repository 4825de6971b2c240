"""Vendors -> VENDOR and Customers -> CUSTOMER, contact details under DISPLAYCONTACT."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from intacct_client import filters as f

from target_intacct.mapping.base import Prepared, Refs, WriteSettings, drop_empty, flatten
from target_intacct.mapping.common import GenericWriteSpec
from target_intacct.records import InputRecord
from target_intacct.validation import validate_party, validate_schema
from target_intacct.values import non_negative_amount


def display_contact(data: Mapping[str, Any]) -> dict[str, Any]:
    """DISPLAYCONTACT with PRINTAS (required by Intacct) and the mailing address."""
    address = data.get("address") or {}
    return {
        "PRINTAS": data["name"],
        "FIRSTNAME": data.get("contactFirstName"),
        "LASTNAME": data.get("contactLastName"),
        "EMAIL1": data.get("email"),
        "PHONE1": data.get("phone"),
        "MAILADDRESS": {
            "ADDRESS1": address.get("line1"),
            "ADDRESS2": address.get("line2"),
            "CITY": address.get("city"),
            "STATE": address.get("state"),
            "ZIP": address.get("postalCode"),
            "COUNTRY": address.get("country"),
        },
    }


class PartySpec(GenericWriteSpec):
    """Natural key: the ID when given, else the exact name."""

    id_field: ClassVar[str]
    type_field: ClassVar[str]
    type_source: ClassVar[str]

    def validate(self, item: InputRecord, settings: WriteSettings) -> None:
        """Check the record's schema and party fields."""
        validate_schema(item)
        validate_party(item)

    def _extra(self, data: Mapping[str, Any]) -> dict[str, Any]:
        return {}

    def prepare(self, item: InputRecord, refs: Refs, settings: WriteSettings) -> Prepared:
        """Map a vendor or customer to its object's payload, keyed by id, else by name."""
        data = item.data
        ident = str(data["id"]) if data.get("id") not in (None, "") else None
        fields = drop_empty(
            {
                self.id_field: ident,
                "NAME": data["name"],
                "STATUS": data.get("status"),
                self.type_field: data.get(self.type_source),
                "TAXID": data.get("taxId"),
                "CURRENCY": data.get("currency"),
                "TERMNAME": data.get("paymentTerm"),
                **self._extra(data),
                "DISPLAYCONTACT": display_contact(data),
            }
        )
        natural_key = ("id", ident) if ident else ("name", str(data["name"]))
        return Prepared(
            item=item,
            natural_key=natural_key,
            payload=fields,
            header=flatten(fields),
            remember=(str(self.reference_kind), ident, str(data["name"])),
        )

    def query_fields(self, batch: Sequence[Prepared]) -> list[str]:
        """The generic query fields plus NAME, which the natural key may use."""
        fields = super().query_fields(batch)
        return fields if "NAME" in fields else [*fields, "NAME"]

    def lookup_filter(self, batch: Sequence[Prepared]) -> Any:
        """Find existing parties by id and by exact name."""
        ids = sorted({p.natural_key[1] for p in batch if p.natural_key[0] == "id"})
        names = sorted({p.natural_key[1] for p in batch if p.natural_key[0] == "name"})
        parts = []
        if ids:
            parts.append(f.in_(self.id_field, ids))
        if names:
            parts.append(f.in_("NAME", names))
        return f.or_(*parts)

    def row_keys(self, row: Mapping[str, Any]) -> list[tuple[str, ...]]:
        """A party is known by its id and by its name."""
        return [("id", str(row.get(self.id_field))), ("name", str(row.get("NAME")))]


class VendorsSpec(PartySpec):
    """The ``Vendors`` stream, written as VENDOR records."""

    stream = "Vendors"
    object_name = "VENDOR"
    id_field: ClassVar[str] = "VENDORID"
    key_fields: ClassVar[tuple[str, ...]] = ("VENDORID", "NAME")
    type_field: ClassVar[str] = "VENDTYPE"
    type_source: ClassVar[str] = "vendorType"
    reference_kind: ClassVar[str | None] = "vendor"


class CustomersSpec(PartySpec):
    """The ``Customers`` stream, written as CUSTOMER records."""

    stream = "Customers"
    object_name = "CUSTOMER"
    id_field: ClassVar[str] = "CUSTOMERID"
    key_fields: ClassVar[tuple[str, ...]] = ("CUSTOMERID", "NAME")
    type_field: ClassVar[str] = "CUSTTYPE"
    type_source: ClassVar[str] = "customerType"
    reference_kind: ClassVar[str | None] = "customer"

    def _extra(self, data: Mapping[str, Any]) -> dict[str, Any]:
        limit = data.get("creditLimit")
        return {"CREDITLIMIT": non_negative_amount(limit) if limit is not None else None}
