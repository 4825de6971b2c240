"""Seed the extended objects (catalog/extended_*.py) and apply the company's subscriptions.

Called by `seed.create_database` after the core demo data (both seeds): it records the
subscribed applications and denies the unsubscribed applications' objects to every user
(see subscriptions.py); for the "demo" seed it then writes a handful of rows into every
extended object of a subscribed application, scaled by `scale` except configuration
objects (currencies, periods, preferences, roles, ...), which have a fixed size. Objects of
unsubscribed applications stay empty.

Rows are a pure function of (object, index, scale): IDs from the object's prefix and
the index, references to core demo records that exist at every scale (vendors V00001..,
customers C00001.., projects P-0001.., items I-0001.., employees EMP-0001..), timestamps
from the demo calendar of seed.py, money as decimal strings. Every sixth row of a
multi-entity object is private to entity E100.
"""

from __future__ import annotations

import importlib
import pkgutil
import sqlite3
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from intacct_sandbox import catalog as catalog_pkg
from intacct_sandbox import db, subscriptions
from intacct_sandbox.catalog.model import FieldDef, ObjectDef
from intacct_sandbox.seed import (
    CLASSES,
    DEPARTMENTS,
    EXPENSE_ACCOUNTS,
    day_of,
    later,
    money,
    spread,
    ts,
)

# rows per object at scale 1; objects in FIXED_SIZE do not grow with scale
ROWS: dict[str, int] = {
    "APADJUSTMENT": 6,
    "APRECURBILL": 4,
    "VENDTYPE": 4,
    "VENDGLGROUP": 3,
    "APBILLPAYMENT": 8,
    "ARADJUSTMENT": 6,
    "ARTERM": 4,
    "ARRECORD": 10,
    "TERRITORY": 4,
    "CUSTTYPE": 4,
    "CUSTGLGROUP": 3,
    "CUSTOMERVISIBILITY": 5,
    "ARINVOICEPAYMENT": 8,
    "SAVINGSACCOUNT": 2,
    "BANKACCOUNT": 4,
    "CREDITCARD": 3,
    "PROVIDERBANKACCOUNT": 2,
    "DEPOSIT": 6,
    "OTHERRECEIPTS": 5,
    "FUNDSTRANSFER": 4,
    "CCTRANSACTION": 8,
    "GLBUDGETHEADER": 2,
    "STATACCOUNT": 4,
    "REPORTINGPERIOD": 12,
    "GLACCTGRP": 6,
    "ACCOUNTGROUP": 6,
    "RECURGLBATCH": 3,
    "ALLOCATION": 3,
    "PODOCUMENT": 8,
    "SODOCUMENT": 10,
    "INVDOCUMENT": 4,
    "SODOCUMENTPARAMS": 3,
    "PODOCUMENTPARAMS": 3,
    "STKITDOCUMENT": 2,
    "WAREHOUSE": 3,
    "UOM": 4,
    "PRODUCTLINE": 4,
    "ITEMGLGROUP": 3,
    "SOPRICELIST": 2,
    "PROJECTTYPE": 3,
    "PROJECTSTATUS": 4,
    "COSTTYPE": 6,
    "TIMESHEET": 6,
    "EEXPENSES": 5,
    "EXPENSEADJUSTMENTS": 2,
    "TIMETYPE": 3,
    "AFFILIATEENTITY": 2,
    "TRXCURRENCIES": 5,
    "EXCHANGERATE": 6,
    "COMPANYPREF": 8,
    "DEPARTMENTGROUP": 2,
    "LOCATIONGROUP": 2,
    "ROLES": 3,
    "USERROLES": 2,
    "TAXDETAIL": 3,
    "TAXSCHEDULE": 2,
    "FIXEDASSET": 5,
    "CONTRACT": 4,
    "FUND": 4,
    "GRANT_PROGRAM": 3,
    "REGION": 4,
}
FIXED_SIZE = frozenset(
    {
        "REPORTINGPERIOD",
        "TRXCURRENCIES",
        "COMPANYPREF",
        "ROLES",
        "USERROLES",
        "UOM",
        "SODOCUMENTPARAMS",
        "PODOCUMENTPARAMS",
        "AFFILIATEENTITY",
    }
)
LINES_PER_HEADER = 2
# header fields that hold the sum of the lines
_TOTAL_FIELDS = ("TOTAL", "SUBTOTAL", "TRX_TOTAL", "TOTALENTERED", "TRX_TOTALENTERED")
DEFAULT_ROWS = 3

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
# explicit ID/name values where a generic "<PREFIX>-001" would look wrong
NAMED_IDS: dict[str, tuple[str, ...]] = {
    "TRXCURRENCIES": ("USD", "EUR", "GBP", "CAD", "JPY"),
    "REPORTINGPERIOD": tuple(f"Month Ended {m} 2025" for m in _MONTHS),
    "COMPANYPREF": (
        "MULTI_CURRENCY",
        "BASE_CURRENCY",
        "FISCAL_YEAR_START",
        "DATE_FORMAT",
        "ACCOUNTING_METHOD",
        "ENABLE_APPROVALS",
        "DEFAULT_JOURNAL",
        "MULTI_ENTITY",
    ),
    "ROLES": ("Administrator", "AP Clerk", "Auditor"),
    "UOM": ("Count", "Weight", "Volume", "Time"),
    "SODOCUMENTPARAMS": ("Sales Quote", "Sales Order", "Sales Invoice"),
    "PODOCUMENTPARAMS": ("Purchase Requisition", "Purchase Order", "Vendor Invoice"),
    "ARTERM": ("Net 30", "Net 15", "Net 60", "Due on receipt"),
    "VENDTYPE": ("Supplier", "Contractor", "Utility", "Government"),
    "CUSTTYPE": ("Enterprise", "Reseller", "Nonprofit", "Government"),
    "PROJECTTYPE": ("Implementation", "Support", "Internal"),
    "PROJECTSTATUS": ("Planned", "In Progress", "On Hold", "Completed"),
    "TIMETYPE": ("Regular", "Overtime", "Holiday"),
}
_DOC_DEFS = {
    "SODOCUMENT": NAMED_IDS["SODOCUMENTPARAMS"],
    "PODOCUMENT": NAMED_IDS["PODOCUMENTPARAMS"],
    "INVDOCUMENT": ("Inventory Transfer", "Adjustment Increase"),
    "STKITDOCUMENT": ("Build Kits",),
}
_LOCATIONS = ("L110", "L120", "L210")
_SPECIAL_SUFFIX = " & Søn <Zürich>"  # every 7th generated name exercises escaping


def extended_objects() -> list[ObjectDef]:
    """Objects defined by the catalog's extended_* modules, in definition order."""
    out: list[ObjectDef] = []
    for info in sorted(pkgutil.iter_modules(catalog_pkg.__path__), key=lambda m: m.name):
        if info.name.startswith("extended_"):
            module = importlib.import_module(f"{catalog_pkg.__name__}.{info.name}")
            out.extend(getattr(module, "OBJECTS", ()))
    return out


def _prefix(obj: ObjectDef) -> str:
    return obj.name.upper()[:4]


def _count(obj: ObjectDef, scale: int) -> int:
    base = ROWS.get(obj.name.upper(), DEFAULT_ROWS)
    if obj.name.upper() in FIXED_SIZE:
        return base
    return base * max(1, int(scale))


class ExtendedSeeder:
    """Writes rows for each extended object; headers before their lines."""

    def __init__(self, conn: sqlite3.Connection, scale: int) -> None:
        self.conn = conn
        self.scale = max(1, int(scale))
        self.ids: dict[str, list[Any]] = {}  # object -> id values written (for lines)
        self.rows: dict[str, list[dict[str, Any]]] = {}  # object -> rows written
        row = conn.execute(
            'SELECT "RECORDNO", "NAME" FROM "LOCATIONENTITY" WHERE "LOCATIONID" = ?', ("E100",)
        ).fetchone()
        self.entity = (int(row[0]), "E100", str(row[1])) if row else None

    def id_value(self, obj: ObjectDef, i: int) -> str:
        named = NAMED_IDS.get(obj.name.upper())
        if named:
            base = named[i % len(named)]
            return base if i < len(named) else f"{base} {i // len(named) + 1}"
        return f"{_prefix(obj)}-{i + 1:03d}"

    def seed(self, obj: ObjectDef, n: int, parent: tuple[ObjectDef, list[Any]] | None) -> None:
        rows = [self.row(obj, i, n, parent) for i in range(n)]
        cols = db.stored_field_ids(obj)
        sql = (
            f"INSERT INTO {db.table(obj)} ({', '.join(db.quote_ident(c) for c in cols)}) "
            f"VALUES ({', '.join('?' for _ in cols)})"
        )
        self.conn.executemany(sql, [tuple(r.get(c) for c in cols) for r in rows])
        self.ids[obj.name.upper()] = [r.get(obj.id_field or "RECORDNO") for r in rows]
        self.rows[obj.name.upper()] = rows

    def roll_up(self, header: ObjectDef, child: ObjectDef, parent_key: str) -> None:
        """Header totals = the sum of its lines; TOTALPAID/TOTALDUE follow the STATE."""
        amount = next((f for f in ("TOTAL", "TRX_AMOUNT", "AMOUNT") if child.field(f)), None)
        if amount is None:
            return
        sums: dict[int, Decimal] = {}
        for line in self.rows[child.name.upper()]:
            key = int(line[parent_key])
            sums[key] = sums.get(key, Decimal(0)) + Decimal(line[amount])
        totals = [f for f in _TOTAL_FIELDS if header.field(f)]
        updates: list[tuple[Any, ...]] = []
        columns = [*totals, "TOTALPAID", "TOTALDUE"]
        columns = [c for c in columns if header.field(c)]
        for row in self.rows[header.name.upper()]:
            total = sums.get(int(row["RECORDNO"]), Decimal(0))
            state = row.get("STATE")
            paid = total if state == "Paid" else Decimal(0)
            if state == "Partially Paid":
                paid = (total / 2).quantize(Decimal("0.01"))
            values = {**dict.fromkeys(totals, total), "TOTALPAID": paid, "TOTALDUE": total - paid}
            updates.append((*(money(int(values[c] * 100)) for c in columns), row["RECORDNO"]))
        if columns:
            assignments = ", ".join(f"{db.quote_ident(c)} = ?" for c in columns)
            self.conn.executemany(
                f'UPDATE {db.table(header)} SET {assignments} WHERE "RECORDNO" = ?', updates
            )

    def row(
        self, obj: ObjectDef, i: int, n: int, parent: tuple[ObjectDef, list[Any]] | None
    ) -> dict[str, Any]:
        created = spread(i, n)
        row: dict[str, Any] = {"RECORDNO": i + 1}
        for f in obj.fields:
            if f.id == "RECORDNO":
                continue
            row[f.id] = self.value(obj, f, i, created)
        if obj.id_field:
            row[obj.id_field] = self.id_value(obj, i)
        if parent is not None:
            self.link_line(obj, row, i, parent)
        if obj.id_field == "DOCID" and "DOCPARID" in row:  # Intacct style "Sales Order-SO0007"
            number = f"{obj.name[:2].upper()}{i + 1:04d}"
            row.update({"DOCID": f"{row['DOCPARID']}-{number}", "DOCNO": number})
        if "AMOUNT" in row and "TRX_AMOUNT" in row:
            row["AMOUNT"] = row["TRX_AMOUNT"]
        if "PRICE" in row and "QUANTITY" in row and "TOTAL" in row:
            row["TOTAL"] = money(round(Decimal(row["PRICE"]) * Decimal(row["QUANTITY"]) * 100))
        if obj.multi_entity and self.entity and i % 6 == 5:
            key, eid, name = self.entity
            row.update({"MEGAENTITYKEY": key, "MEGAENTITYID": eid, "MEGAENTITYNAME": name})
        return row

    def link_line(
        self, obj: ObjectDef, row: dict[str, Any], i: int, parent: tuple[ObjectDef, list[Any]]
    ) -> None:
        header, header_ids = parent
        owned = next(o for o in header.owned if o.child_object.upper() == obj.name.upper())
        h = i // LINES_PER_HEADER
        row[owned.parent_key_field] = h + 1
        zero_based = header.name.upper() in _DOC_DEFS
        if owned.line_no_field in row:
            row[owned.line_no_field] = i % LINES_PER_HEADER + (0 if zero_based else 1)
        for copied in ("DOCHDRID", "BUDGETID"):
            if copied in row and header.id_field:
                row[copied] = header_ids[h]

    def value(self, obj: ObjectDef, f: FieldDef, i: int, created: int) -> Any:
        special = _BY_FIELD.get(f.id)
        if special is not None:
            return special(obj, i)
        if f.id == "WHENCREATED":
            return day_of(created) if f.datatype == "DATE" else ts(created)
        if f.id == "AUWHENCREATED":
            return ts(created)
        if f.id == "WHENMODIFIED":
            return ts(later(created, i))
        if f.id in {"CREATEDBY", "MODIFIEDBY"}:
            return 1
        if f.id.startswith("MEGAENTITY"):
            return None
        if f.validvalues:
            return f.validvalues[i % len(f.validvalues)]
        return _by_type(obj, f, i, created)


def _by_type(obj: ObjectDef, f: FieldDef, i: int, created: int) -> Any:
    dt = f.datatype
    if dt == "INTEGER":
        return (i % 12) + 1
    if dt in {"CURRENCY", "DECIMAL"}:
        return money(((i + 1) * 104729 + len(f.id) * 7919) % 2_500_000 + 100)
    if dt == "PERCENT":
        return ("2.5", "5", "7.25", "10")[i % 4]
    if dt == "BOOLEAN":
        if f.letter_boolean:
            return "T" if i % 3 == 0 else "F"
        return "true" if i % 2 == 0 else "false"
    if dt == "DATE":
        return day_of(created + (30 * 86400 if "END" in f.id or "DUE" in f.id else 0))
    if dt == "TIMESTAMP":
        return ts(created)
    text = f"{f.label} {i + 1}"
    if f.id in {"NAME", "DESCRIPTION", "TITLE"} and i % 7 == 3:
        text += _SPECIAL_SUFFIX
    return text


def _cycle(values: tuple[str, ...]) -> Callable[[ObjectDef, int], str]:
    return lambda obj, i: values[i % len(values)]


def _custvend(obj: ObjectDef, i: int) -> str:
    if obj.name.upper() == "PODOCUMENT":
        return f"V{i % 30 + 1:05d}"
    if obj.name.upper() == "INVDOCUMENT":
        return f"WARE-{i % 3 + 1:03d}"
    return f"C{i % 30 + 1:05d}"


def _docparid(obj: ObjectDef, i: int) -> str:
    defs = _DOC_DEFS.get(obj.name.upper(), ("Standard",))
    return defs[i % len(defs)]


_BY_FIELD: dict[str, Callable[[ObjectDef, int], Any]] = {
    "VENDORID": lambda obj, i: f"V{i % 30 + 1:05d}",
    "CUSTOMERID": lambda obj, i: f"C{i % 30 + 1:05d}",
    "CUSTVENDID": _custvend,
    "EMPLOYEEID": lambda obj, i: f"EMP-{i % 10 + 1:04d}",
    "MANAGERID": lambda obj, i: f"EMP-{i % 10 + 1:04d}",
    "PROJECTID": lambda obj, i: f"P-{i % 8 + 1:04d}",
    "TASKID": lambda obj, i: f"P-{i % 8 + 1:04d}-T{i % 3 + 1}",
    "ITEMID": lambda obj, i: f"I-{i % 20 + 1:04d}",
    "KITITEMID": lambda obj, i: f"I-{i % 20 + 1:04d}",
    "WAREHOUSEID": lambda obj, i: f"WARE-{i % 3 + 1:03d}",
    "LOCATIONID": _cycle(_LOCATIONS),
    "LOC.LOCATIONID": _cycle(_LOCATIONS),
    "DEPARTMENTID": _cycle(tuple(d[0] for d in DEPARTMENTS)),
    "CLASSID": _cycle(tuple(c[0] for c in CLASSES)),
    "ACCOUNTNO": _cycle(EXPENSE_ACCOUNTS),
    "GLACCOUNTNO": _cycle(("1000", "1010")),
    "GLACCOUNT": _cycle(("2200",)),
    "OFFSETACCOUNTNO": _cycle(("2100",)),
    "CURRENCY": _cycle(("USD", "USD", "EUR")),
    "BASECURR": _cycle(("USD",)),
    "FROM_CURRENCY": _cycle(("EUR", "GBP", "CAD")),
    "TO_CURRENCY": _cycle(("USD",)),
    "RATE": _cycle(("1.0842", "1.2691", "0.7315")),
    "RECIPROCAL_RATE": _cycle(("0.922339", "0.787960", "1.367054")),
    "TERMNAME": _cycle(("Net 30", "Net 15", "Net 60")),
    "TERM.NAME": _cycle(("Net 30", "Net 15")),
    "JOURNAL": _cycle(("GJ",)),
    "DOCPARID": _docparid,
    "BANKACCOUNTID": _cycle(("BOA-OPER", "BOA-PAYROLL")),
    "FINANCIALENTITY": _cycle(("BOA-OPER", "BOA-PAYROLL")),
    "FROMACCOUNTID": _cycle(("BOA-OPER",)),
    "TOACCOUNTID": _cycle(("BOA-PAYROLL",)),
    "PERIODNAME": lambda obj, i: f"Month Ended {_MONTHS[i % 12]} 2025",
    "USERID": _cycle(("sandbox_user", "readonly_user")),
    "ROLENAME": _cycle(("Administrator", "Auditor")),
    "MEMBERS": lambda obj, i: (
        "#~#".join(d[0] for d in DEPARTMENTS[i % 3 : i % 3 + 3])
        if obj.name.upper() == "DEPARTMENTGROUP"
        else "#~#".join(_LOCATIONS[: 2 + i % 2])
    ),
    "STATUS": lambda obj, i: "inactive" if i % 9 == 8 else "active",
    "QUANTITY": lambda obj, i: str(i % 5 + 1),
    "QTY": lambda obj, i: ("8", "7.5", "4", "6.25")[i % 4],
    "HOURSINDAY": lambda obj, i: "8",
    "UNIT": _cycle(("Each", "Box", "Hour")),
    "PARENTID": lambda obj, i: None,
    "PARENT.NAME": lambda obj, i: None,
    "PARENTLINE": lambda obj, i: None,
}


def seed_extended(conn: sqlite3.Connection, seed: str, scale: int) -> None:
    """Record subscriptions, deny unsubscribed objects, seed demo rows (see module doc)."""
    subscribed = subscriptions.configured()
    subscriptions.store(conn, subscribed)
    subscriptions.deny_unsubscribed(conn, subscribed)
    if seed != "demo":
        return
    seeder = ExtendedSeeder(conn, scale)
    objects = extended_objects()
    children = {o.child_object.upper(): parent for parent in objects for o in parent.owned}
    for obj in objects:
        if obj.module.upper() not in subscribed or obj.name.upper() in children:
            continue
        seeder.seed(obj, _count(obj, scale), None)
        for owned in obj.owned:
            child = next(o for o in objects if o.name.upper() == owned.child_object.upper())
            header_ids = seeder.ids[obj.name.upper()]
            seeder.seed(child, len(header_ids) * LINES_PER_HEADER, (obj, header_ids))
            seeder.roll_up(obj, child, owned.parent_key_field)
    from intacct_sandbox.functions import balances  # months for GLACCOUNTBALANCE periods

    balances.seed_reporting_periods(conn)
