"""Purchasing, Order Entry and Inventory Control objects: transaction headers and
lines (protocol.md §5.4: `<SODOCUMENTENTRIES><sodocumententry>`, zero-based LINE_NO), transaction
definitions, warehouses, units of measure, product lines, item GL groups, price lists."""

from __future__ import annotations

from intacct_sandbox.catalog.extended_common import (
    BOOL,
    CUR,
    DATE,
    DEC,
    INT,
    OwnedCollection,
    Relationship,
    api_page,
    fld,
    status_field,
    std,
)
from intacct_sandbox.catalog.model import FieldDef, ObjectDef

_DOC_STATES = (
    "Draft",
    "Pending",
    "Closed",
    "Partially Converted",
    "Converted",
    "In Progress",
    "Submitted",
)


def _header_fields(party: str) -> tuple[FieldDef, ...]:
    return (
        fld("DOCID", "Document ID", readonly=True),
        fld("DOCNO", "Document number"),
        fld("DOCPARID", "Transaction definition", required=True),
        fld("STATE", "State", "ENUM", values=_DOC_STATES),
        fld("WHENDUE", "Due date", DATE),
        fld("CUSTVENDID", f"{party} ID", required=True),
        fld("CUSTVENDNAME", f"{party} name", readonly=True),
        fld("PONUMBER", "Reference number"),
        fld("TERM.NAME", "Payment term"),
        fld("MESSAGE", "Message"),
        fld("SUBTOTAL", "Subtotal", CUR, readonly=True),
        fld("TOTAL", "Total", CUR, readonly=True),
        fld("TRX_TOTAL", "Transaction total", CUR, readonly=True),
        fld("CURRENCY", "Currency"),
        fld("BASECURR", "Base currency"),
        fld("CREATEDFROM", "Created from", readonly=True),
        fld("SUPDOCID", "Attachment"),
    )


def _entry_fields() -> tuple[FieldDef, ...]:
    return (
        fld("DOCHDRNO", "Document record number", INT, required=True),
        fld("DOCHDRID", "Document ID", readonly=True),
        fld("LINE_NO", "Line number", INT, description="Zero-based line number (protocol.md §5.4)"),
        fld("ITEMID", "Item", required=True),
        fld("ITEMDESC", "Item description"),
        fld("WAREHOUSEID", "Warehouse"),
        fld("QUANTITY", "Quantity", DEC, required=True),
        fld("UNIT", "Unit"),
        fld("PRICE", "Price", CUR),
        fld("TOTAL", "Extended price", CUR, readonly=True),
        fld("MEMO", "Memo"),
        fld("LOCATIONID", "Location"),
        fld("DEPARTMENTID", "Department"),
        fld("PROJECTID", "Project"),
    )


def _doc(name: str, label: str, module: str, page: str, *, party: str, lines: str) -> ObjectDef:
    return std(
        name,
        label,
        module,
        api_page(page),
        _header_fields(party),
        id_field="DOCID",
        whencreated="DATE",
        owned=(OwnedCollection(lines.replace("ENTRY", "ENTRIES"), lines, "DOCHDRNO"),),
    )


def _entry(name: str, label: str, module: str, page: str, header: str) -> ObjectDef:
    return std(
        name,
        label,
        module,
        api_page(page, "line object"),
        _entry_fields(),
        relationships=(
            Relationship(header, header, "DOCHDRNO", "RECORDNO", "Document"),
            Relationship("ITEM", "ITEM", "ITEMID", "ITEMID", "Item"),
        ),
    )


PODOCUMENT = _doc(
    "PODOCUMENT",
    "Purchasing Transaction",
    "PO",
    "purchasing/purchasing-transactions",
    party="Vendor",
    lines="PODOCUMENTENTRY",
)
PODOCUMENTENTRY = _entry(
    "PODOCUMENTENTRY",
    "Purchasing Transaction Detail",
    "PO",
    "purchasing/purchasing-transactions",
    "PODOCUMENT",
)
SODOCUMENT = _doc(
    "SODOCUMENT",
    "Order Entry Transaction",
    "SO",
    "order-entry/order-entry-transactions",
    party="Customer",
    lines="SODOCUMENTENTRY",
)
SODOCUMENTENTRY = _entry(
    "SODOCUMENTENTRY",
    "Order Entry Transaction Detail",
    "SO",
    "order-entry/order-entry-transactions",
    "SODOCUMENT",
)
INVDOCUMENT = _doc(
    "INVDOCUMENT",
    "Inventory Transaction",
    "INV",
    "inventory-control/inventory-transactions",
    party="Warehouse",
    lines="INVDOCUMENTENTRY",
)
INVDOCUMENTENTRY = _entry(
    "INVDOCUMENTENTRY",
    "Inventory Transaction Detail",
    "INV",
    "inventory-control/inventory-transactions",
    "INVDOCUMENT",
)


def _params(name: str, label: str, module: str, page: str) -> ObjectDef:
    return std(
        name,
        label,
        module,
        api_page(page, "transaction definitions"),
        (
            fld("DOCID", "Template name", required=True),
            fld("DOCCLASS", "Template type", "ENUM", values=("Quote", "Order", "List", "Invoice")),
            fld("CATEGORY", "Workflow category"),
            fld("DESCRIPTION", "Description"),
            fld(
                "UPDATES_GL",
                "Posts to GL",
                "ENUM",
                values=("No", "Accounts Receivable", "General Ledger"),
            ),
            fld("ENABLE_NUMBERING", "Enable numbering", BOOL),
            fld("SEQUENCE", "Numbering sequence"),
            status_field(),
        ),
        id_field="DOCID",
        entity=False,
    )


SODOCUMENTPARAMS = _params(
    "SODOCUMENTPARAMS",
    "Order Entry Transaction Definition",
    "SO",
    "order-entry/transaction-definitions",
)
PODOCUMENTPARAMS = _params(
    "PODOCUMENTPARAMS",
    "Purchasing Transaction Definition",
    "PO",
    "purchasing/transaction-definitions",
)

STKITDOCUMENT = std(
    "STKITDOCUMENT",
    "Stockable Kit Transaction",
    "INV",
    api_page("inventory-control/stockable-kit-transactions"),
    (
        fld("DOCID", "Document ID", readonly=True),
        fld("DOCPARID", "Transaction definition", required=True),
        fld("STATE", "State", "ENUM", values=_DOC_STATES),
        fld("WAREHOUSEID", "Warehouse"),
        fld("KITITEMID", "Kit item"),
        fld("QUANTITY", "Quantity", DEC),
        fld("TOTAL", "Total", CUR, readonly=True),
    ),
    id_field="DOCID",
    whencreated="DATE",
)

WAREHOUSE = std(
    "WAREHOUSE",
    "Warehouse",
    "INV",
    api_page("inventory-control/warehouses"),
    (
        fld("WAREHOUSEID", "Warehouse ID", required=True),
        fld("NAME", "Name", required=True),
        fld("LOC.LOCATIONID", "Location"),
        fld("PARENTID", "Parent"),
        fld("MANAGERID", "Manager"),
        fld("CONTACTINFO.CONTACTNAME", "Contact"),
        fld("USEDINGL", "Used in GL", BOOL),
        status_field(),
    ),
    id_field="WAREHOUSEID",
)

UOM = std(
    "UOM",
    "Unit of Measure Group",
    "INV",
    api_page("inventory-control/units-of-measure"),
    (
        fld("NAME", "Name", required=True),
        fld("INVUOM", "Inventory unit"),
        fld("POUOM", "Purchasing unit"),
        fld("OEUOM", "Order entry unit"),
        fld("ISSYSTEM", "System defined", BOOL, readonly=True),
    ),
    id_field="NAME",
    entity=False,
)

PRODUCTLINE = std(
    "PRODUCTLINE",
    "Product Line",
    "INV",
    api_page("inventory-control/product-lines"),
    (
        fld("PRODUCTLINEID", "Product line ID", required=True),
        fld("DESCRIPTION", "Description"),
        fld("PARENTLINE", "Parent product line"),
        status_field(),
    ),
    id_field="PRODUCTLINEID",
)

ITEMGLGROUP = std(
    "ITEMGLGROUP",
    "Item GL Group",
    "INV",
    api_page("inventory-control/item-gl-groups"),
    (
        fld("NAME", "Name", required=True),
        fld("INVACCTNO", "Inventory account"),
        fld("OEGLACCOUNT", "Revenue account"),
        fld("APGLACCOUNT", "Expense account"),
        fld("COGSACCTNO", "COGS account"),
    ),
    id_field="NAME",
)

SOPRICELIST = std(
    "SOPRICELIST",
    "Order Entry Price List",
    "SO",
    api_page("order-entry/price-lists"),
    (
        fld("NAME", "Name", required=True),
        fld("DATEFROM", "Start date", DATE),
        fld("DATETO", "End date", DATE),
        fld("SALEPURCHASE", "Type", "ENUM", values=("Sales", "Purchase")),
        status_field(),
    ),
    id_field="NAME",
    entity=False,
)

OBJECTS: list[ObjectDef] = [
    PODOCUMENT,
    PODOCUMENTENTRY,
    SODOCUMENT,
    SODOCUMENTENTRY,
    INVDOCUMENT,
    INVDOCUMENTENTRY,
    SODOCUMENTPARAMS,
    PODOCUMENTPARAMS,
    STKITDOCUMENT,
    WAREHOUSE,
    UOM,
    PRODUCTLINE,
    ITEMGLGROUP,
    SOPRICELIST,
]
