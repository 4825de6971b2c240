"""Create a sandbox database: schema, credentials, and the deterministic demo company.

`create_database(path, seed, scale, timezone)`:
* "empty": schema, the sender, users (USERINFO + credentials), the two entities with
  their locations, and the journals GJ/APJ/ARJ - what any company has before data entry.
* "demo": a small realistic company (chart of accounts, dimensions, vendors, customers,
  bills/invoices with lines, balanced journal entries, payments, GL detail consistent with
  all of them, audit history). Row counts are a pure function of `scale` (scale 1 is about
  10k rows, scale 100 about 1M, mostly GLDETAIL); every value comes from index arithmetic,
  so two seeds of the same scale are identical.

Test hooks in the demo data (see DEMO_FACTS): 55 vendors and 120 GL detail rows share one
WHENMODIFIED second; some vendors, customers and GL detail rows have a NULL WHENMODIFIED;
names carry quotes, ampersands, angle brackets, backslashes and non-ASCII letters; record
timestamps run from January to November 2025 across both US DST changes, and two customers
were modified in the repeated 01:30 hour of 2025-11-02 (America/Los_Angeles fall-back).
Some records are private to entity E200 or E100 (MEGAENTITYID set).
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from intacct_sandbox import audit_spelling, db
from intacct_sandbox.catalog import ObjectDef, get_object

COMPANY_ID = "SANDBOX-CO"
SENDER_ID = "sandbox_sender"
SENDER_PASSWORD = "sandbox-sender-pass"  # noqa: S105 - documented public sandbox default
USERS = (
    # login, password, RECORDNO, description, usertype, admin, can_write, readonly-denied
    ("sandbox_user", "sandbox-user-pass", 1, "Sandbox Administrator", "business user", "Full"),
    ("readonly_user", "readonly-user-pass", 2, "Read-only Auditor", "view only user", "Off"),
)
ENTITIES = (
    ("E100", "Sandbox US Inc.", "USD", "United States"),
    ("E200", "Sandbox Europe GmbH", "EUR", "Germany"),
)
JOURNALS = (
    ("GJ", "General Journal"),
    ("APJ", "Accounts Payable Journal"),
    ("ARJ", "Accounts Receivable Journal"),
)

# ---- fixed demo facts the tests rely on ----
SHARED_SECOND = "2025-06-15T17:30:00Z"  # 55 vendors + 120 GL detail rows
SHARED_VENDOR_RANGE = range(10, 66)  # 55 live vendors (index 39 is a deleted one)
SHARED_GLDETAIL_RANGE = range(1001, 1121)  # GLDETAIL RECORDNOs sharing SHARED_SECOND
NULL_WM_VENDORS = (70, 71, 72)
NULL_WM_CUSTOMERS = (5, 6)
NULL_WM_GLDETAIL = (7, 8, 9, 10, 11)  # GLDETAIL RECORDNOs with NULL WHENMODIFIED
# 01:30 local on 2025-11-02 happens twice in Los Angeles: PDT (08:30Z) then PST (09:30Z)
AMBIGUOUS_CUSTOMERS = {3: "2025-11-02T08:30:00Z", 4: "2025-11-02T09:30:00Z"}

SPECIAL_VENDOR_NAMES = (
    "O'Brien & Søn",
    'Müller "Quote" GmbH',
    "Café <Zürich> & Co",
    "Łódź Logistics Sp. z o.o.",
    "Ærø Shipping A/S",
    "São Paulo Distribuidora Ltda",
    "Back\\slash Supplies",
    "日本商事株式会社",
)
SPECIAL_CUSTOMER_NAMES = (
    "D'Angelo & Sons",
    "Zoë's Bakery",
    "Straße & Weg AG",
)

_ADJ = (
    "Acme",
    "Summit",
    "Pioneer",
    "Blue Harbor",
    "Redwood",
    "Granite",
    "Lakeside",
    "Northwind",
    "Silver Oak",
    "Crescent",
    "Evergreen",
    "Atlas",
    "Beacon",
    "Cobalt",
    "Harbor Point",
)
_NOUN = (
    "Supply",
    "Logistics",
    "Consulting",
    "Software",
    "Printing",
    "Catering",
    "Electric",
    "Facilities",
    "Analytics",
    "Staffing",
    "Travel",
    "Media",
    "Hardware",
    "Legal",
)
_SUFFIX = ("Inc.", "LLC", "Co.", "Ltd", "Group", "Partners")
_FIRST = (
    "Alice",
    "Bruno",
    "Chloé",
    "Dmitri",
    "Elena",
    "Farid",
    "Grace",
    "Hiro",
    "Ingrid",
    "José",
    "Kofi",
    "Lena",
    "Mateo",
    "Nora",
    "Oskar",
    "Priya",
    "Quinn",
    "Rosa",
    "Sven",
    "Zoë",
)
_LAST = (
    "Ackman",
    "Bauer",
    "Chen",
    "Dubois",
    "Eriksen",
    "Fischer",
    "García",
    "Haddad",
    "Ivanova",
    "Jensen",
    "Kowalski",
    "Lindqvist",
    "Müller",
    "Nakamura",
    "O'Neil",
    "Petrov",
    "Rossi",
    "Schmidt",
    "Tanaka",
    "Ångström",
)

ACCOUNTS = (
    # no, title, type, normal balance, category
    ("1000", "Cash - Operating", "balancesheet", "debit", "Cash and Cash Equivalents"),
    ("1010", "Cash - Payroll", "balancesheet", "debit", "Cash and Cash Equivalents"),
    ("1100", "Accounts Receivable", "balancesheet", "debit", "Accounts Receivable"),
    ("1200", "Inventory", "balancesheet", "debit", "Inventory"),
    ("1300", "Prepaid Expenses", "balancesheet", "debit", "Other Current Assets"),
    ("1500", "Fixed Assets", "balancesheet", "debit", "Fixed Assets"),
    ("1510", "Accumulated Depreciation", "balancesheet", "credit", "Fixed Assets"),
    ("2000", "Accounts Payable", "balancesheet", "credit", "Accounts Payable"),
    ("2100", "Accrued Liabilities", "balancesheet", "credit", "Other Current Liabilities"),
    ("2200", "Sales Tax Payable", "balancesheet", "credit", "Other Current Liabilities"),
    ("2300", "Payroll Liabilities", "balancesheet", "credit", "Other Current Liabilities"),
    ("2500", "Notes Payable", "balancesheet", "credit", "Long Term Liabilities"),
    ("3000", "Common Stock", "balancesheet", "credit", "Equity"),
    ("3100", "Retained Earnings", "balancesheet", "credit", "Retained Earnings"),
    ("4000", "Product Revenue", "incomestatement", "credit", "Revenue"),
    ("4100", "Service Revenue", "incomestatement", "credit", "Revenue"),
    ("4200", "Subscription Revenue", "incomestatement", "credit", "Revenue"),
    ("4900", "Other Income", "incomestatement", "credit", "Other Income"),
    ("5000", "Cost of Goods Sold", "incomestatement", "debit", "Cost of Sales"),
    ("5100", "Freight In", "incomestatement", "debit", "Cost of Sales"),
    ("6000", "Salaries & Wages", "incomestatement", "debit", "Payroll Expense"),
    ("6010", "Payroll Taxes", "incomestatement", "debit", "Payroll Expense"),
    ("6020", "Employee Benefits", "incomestatement", "debit", "Payroll Expense"),
    ("6100", "Rent", "incomestatement", "debit", "Occupancy"),
    ("6110", "Utilities", "incomestatement", "debit", "Occupancy"),
    ("6200", "Office Supplies", "incomestatement", "debit", "Other Expenses"),
    ("6300", "Software & Subscriptions", "incomestatement", "debit", "Other Expenses"),
    ("6400", "Travel & Entertainment", "incomestatement", "debit", "Travel"),
    ("6500", "Professional Fees", "incomestatement", "debit", "Professional Services"),
    ("6600", "Marketing & Advertising", "incomestatement", "debit", "Marketing"),
    ("6700", "Insurance", "incomestatement", "debit", "Other Expenses"),
    ("6800", "Depreciation Expense", "incomestatement", "debit", "Depreciation"),
    ("6900", "Bank Fees", "incomestatement", "debit", "Other Expenses"),
    ("7000", "Interest Expense", "incomestatement", "debit", "Other Expenses"),
    ("7100", "Income Tax Expense", "incomestatement", "debit", "Taxes"),
)
EXPENSE_ACCOUNTS = ("5000", "5100", "6100", "6110", "6200", "6300", "6400", "6500", "6600", "6700")
REVENUE_ACCOUNTS = ("4000", "4100", "4200")
DEPARTMENTS: tuple[tuple[str, str, str | None], ...] = (
    ("D100", "Finance", None),
    ("D200", "Sales", None),
    ("D300", "Engineering", None),
    ("D310", "Platform Engineering", "D300"),
    ("D320", "Data Engineering", "D300"),
    ("D400", "Operations", None),
    ("D500", "Marketing", None),
    ("D600", "Customer Support", None),
)
CLASSES: tuple[tuple[str, str, str | None], ...] = (
    ("C-ENT", "Enterprise", None),
    ("C-ENT-NA", "Enterprise North America", "C-ENT"),
    ("C-SMB", "Small & Medium Business", None),
    ("C-GOV", "Government", None),
    ("C-EDU", "Education", None),
    ("C-INT", "Internal", None),
)
LOCATIONS: tuple[
    tuple[str, str, str | None, str], ...
] = (  # entity locations first, then sub-locations
    ("E100", "Sandbox US Inc.", None, "USD"),
    ("E200", "Sandbox Europe GmbH", None, "EUR"),
    ("L110", "San Francisco", "E100", "USD"),
    ("L120", "New York", "E100", "USD"),
    ("L210", "Berlin", "E200", "EUR"),
)
TERMS = (("Net 30", 30), ("Net 15", 15), ("Net 60", 60), ("Due on receipt", 0))
ITEM_NAMES = (
    "Standard License",
    "Premium License",
    "Onboarding Package",
    "Support Plan",
    "Crème Brûlée Kit",
    "Widget A",
    "Widget B",
    "Gadget Pro",
    "Consulting Hour",
    "Training Seat",
)

# 2025-01-06T00:00:00Z .. about 2025-11-20: crosses both US DST changes
BASE_EPOCH = 1736121600
SPAN_DAYS = 318
DAY = 86400


@dataclass(frozen=True)
class ScaleCounts:
    vendors: int
    customers: int
    contacts: int
    employees: int
    items: int
    projects: int
    budgets: int
    bills: int
    invoices: int
    batches: int


def counts_for(scale: int) -> ScaleCounts:
    s = max(1, int(scale))
    return ScaleCounts(
        vendors=80 * s,
        customers=50 * s,
        contacts=20 * s,
        employees=10 * s,
        items=20 * s,
        projects=8 * s,
        budgets=8 * s,
        bills=150 * s,
        invoices=120 * s,
        batches=400 * s,
    )


# ---- cheap deterministic value helpers ----


def ts(epoch: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


def day_of(epoch: int) -> str:
    """Transaction date: the local business day (UTC minus 8h is close enough for LA)."""
    return time.strftime("%Y-%m-%d", time.gmtime(epoch - 8 * 3600))


def money(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    whole, frac = divmod(abs(cents), 100)
    if frac == 0:
        return f"{sign}{whole}"
    if frac % 10 == 0:
        return f"{sign}{whole}.{frac // 10}"
    return f"{sign}{whole}.{frac:02d}"


def spread(i: int, n: int, *, start_day: int = 0, span: int = SPAN_DAYS) -> int:
    """The i-th of n moments, chronological in i, with a scrambled time of day."""
    day = start_day + (i * span) // max(n, 1)
    return BASE_EPOCH + day * DAY + (i * 7919 + 3600) % DAY


def later(epoch: int, i: int) -> int:
    """Modification time: most records are touched again days later, capped at the end."""
    bump = ((i * 104729) % 45) * DAY + (i * 613) % 7200 if i % 3 else 0
    return min(epoch + bump, BASE_EPOCH + (SPAN_DAYS + 2) * DAY)


class Writer:
    """Buffers rows per object (dicts keyed by field id) and flushes with executemany."""

    def __init__(self, conn: sqlite3.Connection, chunk: int = 20000) -> None:
        self.conn = conn
        self.chunk = chunk
        self.buffers: dict[str, list[tuple[Any, ...]]] = {}
        self.columns: dict[str, list[str]] = {}
        self.sql: dict[str, str] = {}
        self.next_no: dict[str, int] = {}

    def _prepare(self, name: str) -> ObjectDef:
        obj = get_object(name)
        assert obj is not None, name
        if obj.name not in self.columns:
            cols = db.stored_field_ids(obj)
            self.columns[obj.name] = cols
            self.sql[obj.name] = (
                f"INSERT INTO {db.table(obj)} ({', '.join(db.quote_ident(c) for c in cols)}) "
                f"VALUES ({', '.join('?' for _ in cols)})"
            )
            self.buffers[obj.name] = []
            self.next_no[obj.name] = 1
        return obj

    def recordno(self, name: str) -> int:
        obj = self._prepare(name)
        value = self.next_no[obj.name]
        self.next_no[obj.name] = value + 1
        return value

    def add(self, name: str, row: dict[str, Any]) -> int:
        obj = self._prepare(name)
        if "RECORDNO" not in row:
            row["RECORDNO"] = self.recordno(obj.name)
        cols = self.columns[obj.name]
        buf = self.buffers[obj.name]
        buf.append(tuple(map(row.get, cols)))
        if len(buf) >= self.chunk:
            self.flush(obj.name)
        return int(row["RECORDNO"])

    def flush(self, name: str | None = None) -> None:
        for key in [name] if name else list(self.buffers):
            rows = self.buffers.get(key) or []
            if rows:
                self.conn.executemany(self.sql[key], rows)
                rows.clear()


def _audit(user: int = 1) -> dict[str, Any]:
    return {"CREATEDBY": user, "MODIFIEDBY": user}


def _entity(entity: tuple[int, str, str] | None) -> dict[str, Any]:
    if entity is None:
        return {}
    return {"MEGAENTITYKEY": entity[0], "MEGAENTITYID": entity[1], "MEGAENTITYNAME": entity[2]}


# ---- setup rows (both seeds) ----


def _seed_setup(w: Writer, conn: sqlite3.Connection) -> dict[str, tuple[int, str, str]]:
    created = ts(BASE_EPOCH - 30 * DAY)
    for login, password, recno, desc, usertype, admin in USERS:
        w.add(
            "USERINFO",
            {
                "RECORDNO": recno,
                "LOGINID": login,
                "DESCRIPTION": desc,
                "USERTYPE": usertype,
                "ADMIN": admin,
                "STATUS": "active",
                "LOGINDISABLED": "false",
                "CONTACTINFO.CONTACTNAME": desc,
                "CONTACTINFO.EMAIL1": f"{login}@sandbox.example",
                "WHENCREATED": created,
                "WHENMODIFIED": created,
                **_audit(),
            },
        )
        readonly = login == "readonly_user"
        from intacct_sandbox.catalog import restricted_objects

        db.add_user(
            conn,
            login,
            password,
            recno,
            can_write=not readonly,
            denied=restricted_objects() if readonly else (),
        )
    w.next_no["USERINFO"] = len(USERS) + 1
    db.add_sender(conn, SENDER_ID, SENDER_PASSWORD)
    entities: dict[str, tuple[int, str, str]] = {}
    for eid, name, currency, country in ENTITIES:
        recno = w.add(
            "LOCATIONENTITY",
            {
                "LOCATIONID": eid,
                "NAME": name,
                "STATUS": "active",
                "CURRENCY": currency,
                "OPCOUNTRY": country,
                "WHENCREATED": created,
                "WHENMODIFIED": created,
                **_audit(),
            },
        )
        entities[eid] = (recno, eid, name)
    for lid, name, parent, currency in LOCATIONS[:2]:
        w.add("LOCATION", _location_row(lid, name, parent, currency, created))
    for symbol, title in JOURNALS:
        w.add(
            "GLJOURNAL",
            {
                "SYMBOL": symbol,
                "TITLE": title,
                "BOOKID": "ACCRUAL",
                "STATUS": "active",
                "WHENCREATED": created,
                "WHENMODIFIED": created,
                **_audit(),
            },
        )
    return entities


def _location_row(
    lid: str, name: str, parent: str | None, currency: str, when: str
) -> dict[str, Any]:
    return {
        "LOCATIONID": lid,
        "NAME": name,
        "PARENTID": parent,
        "STATUS": "active",
        "CURRENCY": currency,
        "ENTITY": lid if parent is None else parent,
        "WHENCREATED": when,
        "WHENMODIFIED": when,
        **_audit(),
    }


# ---- demo company ----


class DemoBuilder:
    """Generates the demo company in dependency order (masters, documents, ledger)."""

    def __init__(self, w: Writer, entities: dict[str, tuple[int, str, str]], scale: int) -> None:
        self.w = w
        self.entities = entities
        self.n = counts_for(scale)
        self.audit_rows: list[tuple[str, str, str, str, str, str]] = []
        self.accounts: dict[str, tuple[int, str]] = {}
        self.gld_no = 0

    # -- helpers
    def audit(self, obj: str, key: int | str, mode: str, when: str, desc: str = "") -> None:
        source = "api" if len(self.audit_rows) % 4 else "ui"
        self.audit_rows.append((when, obj.lower(), str(key), mode, source, desc))

    def master_times(self, i: int, n: int) -> tuple[str, str]:
        created = BASE_EPOCH - 20 * DAY + (i * 7919) % (18 * DAY)
        modified = spread(i, n) if i % 4 else created
        return ts(created), ts(max(modified, created))

    def add_master(self, obj: str, row: dict[str, Any], created: str, modified: str | None) -> int:
        row.setdefault("WHENCREATED", created)
        row["WHENMODIFIED"] = modified
        row.update(_audit())
        recno = self.w.add(obj, row)
        self.audit(obj, recno, "C", created)
        if modified and modified != created:
            self.audit(obj, recno, "M", modified)
        return recno

    # -- masters
    def build_masters(self) -> None:
        created = ts(BASE_EPOCH - 30 * DAY)
        for lid, name, parent, currency in LOCATIONS[2:]:
            self.w.add("LOCATION", _location_row(lid, name, parent, currency, created))
        for i, (no, title, atype, normal, category) in enumerate(ACCOUNTS):
            c, m = self.master_times(i, len(ACCOUNTS))
            recno = self.add_master(
                "GLACCOUNT",
                {
                    "ACCOUNTNO": no,
                    "TITLE": title,
                    "ACCOUNTTYPE": atype,
                    "NORMALBALANCE": normal,
                    "CLOSINGTYPE": "closing account"
                    if atype == "incomestatement"
                    else "non-closing account",
                    "CLOSINGACCOUNTNO": "3100" if atype == "incomestatement" else None,
                    "STATUS": "active",
                    "CATEGORY": category,
                    "REQUIREDEPT": "true" if no.startswith("6") else "false",
                    "REQUIRELOC": "false",
                    "REQUIREPROJECT": "false",
                    "TAXABLE": "false",
                },
                c,
                m,
            )
            self.accounts[no] = (recno, title)
        for i, (did, title, parent) in enumerate(DEPARTMENTS):
            c, m = self.master_times(i, len(DEPARTMENTS))
            self.add_master(
                "DEPARTMENT",
                {
                    "DEPARTMENTID": did,
                    "TITLE": title,
                    "PARENTID": parent,
                    "PARENTKEY": DEPARTMENTS.index(next(d for d in DEPARTMENTS if d[0] == parent))
                    + 1
                    if parent
                    else None,
                    "SUPERVISORNAME": f"{_FIRST[i]} {_LAST[i]}",
                    "STATUS": "active",
                    "CUSTTITLE": title,
                },
                c,
                m,
            )
        for i, (cid, name, parent) in enumerate(CLASSES):
            c, m = self.master_times(i, len(CLASSES))
            self.add_master(
                "CLASS",
                {
                    "CLASSID": cid,
                    "NAME": name,
                    "DESCRIPTION": f"{name} segment",
                    "STATUS": "inactive" if cid == "C-EDU" else "active",
                    "PARENTID": parent,
                    "PARENTKEY": 1 if parent else None,
                    "PARENTNAME": "Enterprise" if parent else None,
                },
                c,
                m,
            )
        for i, (name, days) in enumerate(TERMS):
            c, m = self.master_times(i, len(TERMS))
            self.add_master(
                "APTERM",
                {
                    "NAME": name,
                    "DESCRIPTION": f"Payment due in {days} days"
                    if days
                    else "Payment due on receipt",
                    "STATUS": "active",
                    "DUEFROM": "from invoice/bill date",
                    "DUEDAYS": days,
                    "DISCDAYS": 10 if days == 30 else 0,
                    "DISCPERCENT": "2" if days == 30 else "0",
                },
                c,
                m,
            )
        for i, (bid, glacct, bank) in enumerate(
            (("BOA-OPER", "1000", "Bank of America"), ("BOA-PAYROLL", "1010", "Bank of America"))
        ):
            c, m = self.master_times(i, 2)
            self.add_master(
                "CHECKINGACCOUNT",
                {
                    "BANKACCOUNTID": bid,
                    "BANKACCOUNTNO": f"00012345{i}789",
                    "GLACCOUNTNO": glacct,
                    "BANKNAME": bank,
                    "CURRENCY": "USD",
                    "LOCATIONID": "E100",
                    "STATUS": "active",
                },
                c,
                m,
            )
        self.build_contacts()
        self.build_vendors()
        self.build_customers()
        self.build_dimensions()

    def person(self, i: int) -> tuple[str, str]:
        return _FIRST[i % len(_FIRST)], _LAST[(i * 7 + i // len(_FIRST)) % len(_LAST)]

    def build_contacts(self) -> None:
        self.contact_names: list[str] = []
        for i in range(self.n.contacts):
            first, last = self.person(i)
            name = f"{last}, {first}" + (f" ({i})" if i >= len(_FIRST) else "")
            c, m = self.master_times(i, self.n.contacts)
            self.add_master(
                "CONTACT",
                {
                    "CONTACTNAME": name,
                    "COMPANYNAME": None,
                    "PREFIX": None,
                    "FIRSTNAME": first,
                    "LASTNAME": last,
                    "PRINTAS": f"{first} {last}",
                    "EMAIL1": f"contact{i}@example.com",
                    "PHONE1": f"+1 415 555 {i % 10000:04d}",
                    "MAILADDRESS.ADDRESS1": f"{100 + i} Market Street",
                    "MAILADDRESS.CITY": ("San Francisco", "Berlin", "New York", "Zürich")[i % 4],
                    "MAILADDRESS.STATE": ("CA", None, "NY", None)[i % 4],
                    "MAILADDRESS.ZIP": f"{94100 + i % 90}",
                    "MAILADDRESS.COUNTRY": (
                        "United States",
                        "Germany",
                        "United States",
                        "Switzerland",
                    )[i % 4],
                    "STATUS": "active",
                },
                c,
                m,
            )
            self.contact_names.append(name)

    def company_name(self, i: int, specials: tuple[str, ...]) -> str:
        if i < len(specials):
            return specials[i]
        base = (
            f"{_ADJ[i % len(_ADJ)]} {_NOUN[(i // len(_ADJ)) % len(_NOUN)]} "
            f"{_SUFFIX[i % len(_SUFFIX)]}"
        )
        cycle = i // (len(_ADJ) * len(_NOUN))
        return base if cycle == 0 else f"{base} {cycle + 1}"

    def build_vendors(self) -> None:
        self.vendors: list[tuple[str, str, tuple[int, str, str] | None]] = []
        n = self.n.vendors
        for i in range(n):
            vid = f"V{i + 1:05d}"
            name = self.company_name(i, SPECIAL_VENDOR_NAMES)
            entity = self.entities["E200"] if i % 10 == 9 else None
            c, m = self.master_times(i, n)
            modified: str | None = m
            if i in SHARED_VENDOR_RANGE:
                modified = SHARED_SECOND
            if i in NULL_WM_VENDORS:
                modified = None
            recno = self.w.recordno("VENDOR")
            if i % 40 == 39:  # created, then deleted: only audit history remains
                self.audit("VENDOR", recno, "C", c)
                self.audit("VENDOR", recno, "D", ts(spread(i, n) + 3600))
                continue
            contact = self.contact_names[i % len(self.contact_names)]
            row = {
                "RECORDNO": recno,
                "VENDORID": vid,
                "NAME": name,
                "STATUS": "inactive" if i % 17 == 16 else "active",
                "ONETIME": "false",
                "VENDTYPE": ("Supplier", "Contractor", "Service")[i % 3],
                "PARENTID": "V00001" if i % 25 == 24 else None,
                "TAXID": f"{10 + i % 89}-{1000000 + i * 37 % 8999999}",
                "NAME1099": name.upper() if i % 5 == 0 else None,
                "TERMNAME": TERMS[i % 3][0],
                "CURRENCY": "EUR" if entity else "USD",
                "CREDITLIMIT": money((i % 9 + 1) * 500000),
                "TOTALDUE": "0",
                "ONHOLD": "true" if i % 23 == 22 else "false",
                "DISPLAYCONTACT.CONTACTNAME": f"{name} ({vid})",
                "DISPLAYCONTACT.PRINTAS": name,
                "DISPLAYCONTACT.EMAIL1": f"ap{i}@vendor.example",
                "DISPLAYCONTACT.PHONE1": f"+1 212 555 {i % 10000:04d}",
                "DISPLAYCONTACT.MAILADDRESS.CITY": ("Seattle", "München", "Austin", "Oslo")[i % 4],
                "DISPLAYCONTACT.MAILADDRESS.COUNTRY": (
                    "United States",
                    "Germany",
                    "United States",
                    "Norway",
                )[i % 4],
                "PAYTOCONTACT.CONTACTNAME": contact,
                "RETURNTOCONTACT.CONTACTNAME": contact,
                "VENDOR_RISK_TIER": ("Low", "Medium", "High", None)[i % 4],
                "ANNUAL_SPEND_TARGET": money((i % 13 + 1) * 1234567) if i % 2 else None,
                **_entity(entity),
            }
            self.add_master("VENDOR", row, c, modified)
            self.vendors.append((vid, name, entity))

    def build_customers(self) -> None:
        self.customers: list[tuple[str, str, tuple[int, str, str] | None]] = []
        n = self.n.customers
        for i in range(n):
            cid = f"C{i + 1:05d}"
            name = (
                self.company_name(i + 7, SPECIAL_CUSTOMER_NAMES[:0])
                if i >= len(SPECIAL_CUSTOMER_NAMES)
                else SPECIAL_CUSTOMER_NAMES[i]
            )
            entity = (
                self.entities["E200"]
                if i % 10 == 8
                else (self.entities["E100"] if i % 10 == 4 else None)
            )
            c, m = self.master_times(i, n)
            modified: str | None = AMBIGUOUS_CUSTOMERS.get(i, m)
            if i in NULL_WM_CUSTOMERS:
                modified = None
            self.add_master(
                "CUSTOMER",
                {
                    "CUSTOMERID": cid,
                    "NAME": name,
                    "ENTITY": f"C{i + 1:05d}",
                    "PARENTID": "C00001" if i % 20 == 19 else None,
                    "STATUS": "inactive" if i % 19 == 18 else "active",
                    "ONETIME": "false",
                    "ONHOLD": "false",
                    "CUSTTYPE": ("Direct", "Reseller", "Partner")[i % 3],
                    "TERMNAME": TERMS[i % 2][0],
                    "CURRENCY": "EUR" if entity and entity[1] == "E200" else "USD",
                    "TOTALDUE": "0",
                    "GLGROUP": None,
                    "CREDITLIMIT": money((i % 7 + 1) * 1000000),
                    "DISPLAYCONTACT.CONTACTNAME": f"{name} ({cid})",
                    "DISPLAYCONTACT.PRINTAS": name,
                    "DISPLAYCONTACT.EMAIL1": f"billing{i}@customer.example",
                    "DISPLAYCONTACT.PHONE1": f"+49 30 555 {i % 10000:04d}",
                    "DISPLAYCONTACT.MAILADDRESS.CITY": ("Boston", "Paris", "Denver", "Köln")[i % 4],
                    "DISPLAYCONTACT.MAILADDRESS.COUNTRY": (
                        "United States",
                        "France",
                        "United States",
                        "Germany",
                    )[i % 4],
                    **_entity(entity),
                },
                c,
                modified,
            )
            self.customers.append((cid, name, entity))

    def build_dimensions(self) -> None:
        self.projects: list[str] = []
        for i in range(self.n.projects):
            pid = f"P-{i + 1:04d}"
            cust = self.customers[(i * 3) % len(self.customers)]
            c, m = self.master_times(i, self.n.projects)
            begin = day_of(spread(i, self.n.projects))
            self.add_master(
                "PROJECT",
                {
                    "PROJECTID": pid,
                    "NAME": f"{cust[1]} - {('Rollout', 'Audit', 'Migration')[i % 3]}",
                    "DESCRIPTION": f"Project {i + 1} for {cust[1]}",
                    "PROJECTCATEGORY": ("Contract", "Internal Billable", "Capitalized")[i % 3],
                    "PROJECTSTATUS": ("Active", "Planned", "Completed")[i % 3],
                    "PROJECTTYPE": ("Fixed Fee", "Time & Materials")[i % 2],
                    "PARENTID": None,
                    "STATUS": "active",
                    "CUSTOMERID": cust[0],
                    "LOCATIONID": ("L110", "L120", "L210")[i % 3],
                    "BEGINDATE": begin,
                    "ENDDATE": None,
                    "BUDGETAMOUNT": money((i % 11 + 1) * 2500000),
                    **_entity(cust[2]),
                },
                c,
                m,
            )
            self.projects.append(pid)
            for k, tname in enumerate(("Discovery", "Implementation", "Training")):
                self.add_master(
                    "TASK",
                    {
                        "TASKID": f"{pid}-T{k + 1}",
                        "NAME": tname,
                        "PROJECTID": pid,
                        "DESCRIPTION": f"{tname} for {pid}",
                        "TASKSTATUS": ("Completed", "In Progress", "Not Started")[k],
                        "BILLABLE": "true" if k < 2 else "false",
                        "PBEGINDATE": begin,
                        "PENDDATE": None,
                        **_entity(cust[2]),
                    },
                    c,
                    m,
                )
        for i in range(self.n.budgets):
            c, m = self.master_times(i, self.n.budgets)
            self.add_master(
                "project_budget",
                {
                    "NAME": f"Budget {2025 + i % 2} {self.projects[i % len(self.projects)]}",
                    "PROJECTID": self.projects[i % len(self.projects)],
                    "FISCAL_YEAR": 2025 + i % 2,
                    "BUDGET_AMOUNT": money((i % 9 + 1) * 1000050),
                    "APPROVED": "true" if i % 2 else "false",
                    "NOTES": "Budget & forecast" if i % 3 else None,
                },
                c,
                m,
            )
        for i in range(self.n.items):
            c, m = self.master_times(i, self.n.items)
            name = ITEM_NAMES[i % len(ITEM_NAMES)] + ("" if i < len(ITEM_NAMES) else f" {i}")
            self.add_master(
                "ITEM",
                {
                    "ITEMID": f"I-{i + 1:04d}",
                    "NAME": name,
                    "STATUS": "active",
                    "ITEMTYPE": ("Non-Inventory", "Inventory", "Non-Inventory (Sales only)")[i % 3],
                    "PRODUCTLINEID": ("Software", "Hardware", "Services")[i % 3],
                    "GLGROUP": None,
                    "BASEPRICE": money(1999 + i * 1000),
                    "STANDARD_COST": money(999 + i * 500),
                },
                c,
                m,
            )
        for i in range(self.n.employees):
            first, last = self.person(i + 3)
            c, m = self.master_times(i, self.n.employees)
            self.add_master(
                "EMPLOYEE",
                {
                    "EMPLOYEEID": f"EMP-{i + 1:04d}",
                    "TITLE": ("Accountant", "Engineer", "Sales Manager", "Analyst")[i % 4],
                    "LOCATIONID": ("L110", "L120", "L210")[i % 3],
                    "DEPARTMENTID": DEPARTMENTS[i % len(DEPARTMENTS)][0],
                    "STATUS": "active",
                    "STARTDATE": f"20{15 + i % 10}-0{1 + i % 9}-15",
                    "SUPERVISORID": "EMP-0001" if i else None,
                    "CONTACT.CONTACTNAME": f"{last}, {first} (EMP-{i + 1:04d})",
                    "CONTACT.FIRSTNAME": first,
                    "CONTACT.LASTNAME": last,
                    "CONTACT.EMAIL1": f"employee{i}@sandbox.example",
                    **_entity(self.entities["E200"] if i % 3 == 2 else None),
                },
                c,
                m,
            )

    # -- ledger helpers
    def gldetail(
        self,
        base: dict[str, Any],
        lines: Iterable[tuple[str, int, int, dict[str, Any]]],
    ) -> None:
        """Post lines (account, tr_type, cents, extra) to both books."""
        lines = list(lines)
        for book in ("ACCRUAL", "CASH"):
            for line_no, (acct, tr_type, cents, extra) in enumerate(lines, start=1):
                self.gld_no += 1
                amount = money(cents)
                row = {
                    **base,
                    **extra,
                    "RECORDNO": self.gld_no,
                    "BOOKID": book,
                    "LINE_NO": line_no,
                    "TR_TYPE": tr_type,
                    "ACCOUNTNO": acct,
                    "ACCOUNTTITLE": self.accounts[acct][1],
                    "DEBITAMOUNT": amount if tr_type == 1 else "0",
                    "CREDITAMOUNT": amount if tr_type == -1 else "0",
                    "AMOUNT": amount,
                    "TRX_AMOUNT": amount,
                }
                if self.gld_no in SHARED_GLDETAIL_RANGE:
                    row["WHENMODIFIED"] = SHARED_SECOND
                elif self.gld_no in NULL_WM_GLDETAIL:
                    row["WHENMODIFIED"] = None
                self.w.add("GLDETAIL", row)

    # -- journal entries
    def build_batches(self) -> None:
        n = self.n.batches
        for i in range(n):
            created_epoch = spread(i, n)
            created, modified = ts(created_epoch), ts(later(created_epoch, i))
            bdate = day_of(created_epoch)
            entity = (
                self.entities["E200"]
                if i % 8 == 7
                else self.entities["E100"]
                if i % 8 == 3
                else None
            )
            journal_no = i + 1
            kind = ("Accrual", "Payroll", "Reclass", "Depreciation", "Prepaid amortization")[i % 5]
            title = f"{kind} - batch {i + 1}"
            recno = self.w.add(
                "GLBATCH",
                {
                    "BATCHNO": journal_no,
                    "BATCH_TITLE": title,
                    "JOURNAL": "GJ",
                    "BATCH_DATE": bdate,
                    "REVERSEDATE": None,
                    "STATE": "Posted" if i % 25 else "Draft",
                    "MODULE": "2.GL",
                    "REFERENCENO": f"JE-{i + 1:06d}",
                    "BASELOCATION_NO": None,
                    "SUPDOCID": None,
                    "WHENCREATED": created,
                    "WHENMODIFIED": modified,
                    **_audit(),
                    **_entity(entity),
                },
            )
            self.audit("GLBATCH", recno, "C", created)
            pairs = 1 + i % 3
            loc = entity[1] if entity else ("L110", "L120", "E100")[i % 3]
            lines = []
            for p in range(pairs):
                cents = 1000 + (i * 7919 + p * 104729) % 500000
                debit = EXPENSE_ACCOUNTS[(i + p) % len(EXPENSE_ACCOUNTS)]
                credit = ("1000", "2100", "1300")[(i + p) % 3]
                dept = DEPARTMENTS[(i + p) % len(DEPARTMENTS)][0]
                memo = f"Line {p + 1}: {title}"
                lines.append((debit, 1, cents, dept, memo))
                lines.append((credit, -1, cents, dept, memo))
            base_line = {
                "BATCHNO": recno,
                "ENTRY_DATE": bdate,
                "CURRENCY": "USD",
                "EXCHANGE_RATE": "1",
                "BATCH_NUMBER": journal_no,
                "BATCH_DATE": bdate,
                "BATCHTITLE": title,
                "STATISTICAL": "F",
                "BILLABLE": "false",
                "WHENCREATED": created,
                "WHENMODIFIED": modified,
                **_audit(),
                **_entity(entity),
            }
            for line_no, (acct, tr, cents, dept, memo) in enumerate(lines, start=1):
                self.w.add(
                    "GLENTRY",
                    {
                        **base_line,
                        "LINE_NO": line_no,
                        "TR_TYPE": tr,
                        "AMOUNT": money(cents),
                        "TRX_AMOUNT": money(cents),
                        "ACCOUNTKEY": self.accounts[acct][0],
                        "ACCOUNTNO": acct,
                        "ACCOUNTTITLE": self.accounts[acct][1],
                        "DESCRIPTION": memo,
                        "LOCATION": loc,
                        "DEPARTMENT": dept,
                        "PROJECTID": self.projects[i % len(self.projects)] if i % 4 == 0 else None,
                        "CLASSID": CLASSES[i % len(CLASSES)][0] if i % 2 else None,
                    },
                )
            self.gldetail(
                {
                    "BATCHKEY": recno,
                    "BATCH_DATE": bdate,
                    "BATCH_TITLE": title,
                    "SYMBOL": "GJ",
                    "BATCH_NO": journal_no,
                    "MODULEKEY": "2.GL",
                    "ENTRY_DATE": bdate,
                    "CURRENCY": "USD",
                    "DOCNUMBER": f"JE-{i + 1:06d}",
                    "WHENCREATED": created,
                    "WHENMODIFIED": modified,
                    **_audit(),
                    **_entity(entity),
                },
                (
                    (
                        acct,
                        tr,
                        cents,
                        {"DESCRIPTION": memo, "LOCATIONID": loc, "DEPARTMENTID": dept},
                    )
                    for acct, tr, cents, dept, memo in lines
                ),
            )

    # -- payables
    def build_bills(self) -> None:
        n = self.n.bills
        due_by_vendor: dict[str, int] = {}
        pay_i = 0
        for i in range(n):
            vid, vname, entity = self.vendors[(i * 7) % len(self.vendors)]
            created_epoch = spread(i, n, start_day=2)
            created, modified = ts(created_epoch), ts(later(created_epoch, i + 1))
            bdate = day_of(created_epoch)
            due = day_of(created_epoch + 30 * DAY)
            nlines = 1 + i % 3
            line_cents = [2500 + (i * 7919 + k * 15485863) % 250000 for k in range(nlines)]
            total = sum(line_cents)
            paid = i % 2 == 0
            state = "Paid" if paid else ("Posted" if i % 11 else "Draft")
            recordid = f"INV-{vid}-{i + 1:06d}"
            recno = self.w.recordno("APBILL")
            if not paid:
                due_by_vendor[vid] = due_by_vendor.get(vid, 0) + total
            pay_epoch = created_epoch + 20 * DAY
            self.w.add(
                "APBILL",
                {
                    "RECORDNO": recno,
                    "RECORDTYPE": "pi",
                    "RECORDID": recordid,
                    "STATE": state,
                    "RAWSTATE": {"Paid": "P", "Posted": "A", "Draft": "D"}[state],
                    "VENDORID": vid,
                    "VENDORNAME": vname,
                    "DOCNUMBER": f"PO-{10000 + i}",
                    "DESCRIPTION": f"Services from {vname}",
                    "TERMNAME": "Net 30",
                    "WHENCREATED": bdate,
                    "WHENPOSTED": bdate,
                    "WHENDUE": due,
                    "WHENPAID": day_of(pay_epoch) if paid else None,
                    "TOTALENTERED": money(total),
                    "TOTALPAID": money(total if paid else 0),
                    "TOTALDUE": money(0 if paid else total),
                    "TRX_TOTALENTERED": money(total),
                    "TRX_TOTALPAID": money(total if paid else 0),
                    "TRX_TOTALDUE": money(0 if paid else total),
                    "CURRENCY": "USD",
                    "BASECURR": "USD",
                    "ONHOLD": "false",
                    "PRBATCH": f"Bills {bdate[:7]}",
                    "MODULEKEY": "3.AP",
                    "SUPDOCID": None,
                    "PAYTOCONTACTNAME": self.contact_names[i % len(self.contact_names)],
                    "APPROVAL_CODE": f"APR-{i % 97:03d}" if i % 3 else None,
                    "FREIGHT_ESTIMATE": money(i % 50 * 125) if i % 4 == 1 else None,
                    "AUWHENCREATED": created,
                    "WHENMODIFIED": modified,
                    **_audit(),
                    **_entity(entity),
                },
            )
            self.audit("APBILL", recno, "C", created)
            loc = entity[1] if entity else "L110"
            gl_lines = []
            for k, cents in enumerate(line_cents, start=1):
                acct = EXPENSE_ACCOUNTS[(i + k) % len(EXPENSE_ACCOUNTS)]
                dept = DEPARTMENTS[(i + k) % len(DEPARTMENTS)][0]
                memo = f"{vname} line {k}"
                self.w.add(
                    "APBILLITEM",
                    {
                        "RECORDKEY": recno,
                        "LINE_NO": k,
                        "ACCOUNTKEY": self.accounts[acct][0],
                        "ACCOUNTNO": acct,
                        "ACCOUNTTITLE": self.accounts[acct][1],
                        "ACCOUNTLABEL": None,
                        "AMOUNT": money(cents),
                        "TRX_AMOUNT": money(cents),
                        "CURRENCY": "USD",
                        "ENTRYDESCRIPTION": memo,
                        "ENTRY_DATE": bdate,
                        "LOCATIONID": loc,
                        "DEPARTMENTID": dept,
                        "VENDORID": vid,
                        "PROJECTID": self.projects[i % len(self.projects)] if i % 5 == 0 else None,
                        "BILLABLE": "false",
                        "WHENCREATED": created,
                        "WHENMODIFIED": modified,
                        **_audit(),
                        **_entity(entity),
                    },
                )
                gl_lines.append(
                    (
                        acct,
                        1,
                        cents,
                        {
                            "DESCRIPTION": memo,
                            "LOCATIONID": loc,
                            "DEPARTMENTID": dept,
                            "VENDORID": vid,
                        },
                    )
                )
            gl_lines.append(
                ("2000", -1, total, {"DESCRIPTION": recordid, "LOCATIONID": loc, "VENDORID": vid})
            )
            self.gldetail(
                {
                    "BATCHKEY": recno,
                    "BATCH_DATE": bdate,
                    "BATCH_TITLE": f"Bill {recordid}",
                    "SYMBOL": "APJ",
                    "BATCH_NO": recno,
                    "MODULEKEY": "3.AP",
                    "ENTRY_DATE": bdate,
                    "CURRENCY": "USD",
                    "DOCNUMBER": recordid,
                    "WHENCREATED": created,
                    "WHENMODIFIED": modified,
                    **_audit(),
                    **_entity(entity),
                },
                gl_lines,
            )
            if paid:
                pay_i += 1
                pdate = day_of(pay_epoch)
                pcreated = ts(pay_epoch)
                precno = self.w.add(
                    "APPYMT",
                    {
                        "RECORDTYPE": "pp",
                        "FINANCIALENTITY": "BOA-OPER",
                        "PAYMENTMETHOD": ("Printed Check", "EFT", "ACH")[pay_i % 3],
                        "VENDORID": vid,
                        "VENDORNAME": vname,
                        "PAYMENTDATE": pdate,
                        "DOCNUMBER": f"CHK-{5000 + pay_i}",
                        "DESCRIPTION": f"Payment of {recordid}",
                        "STATE": "Complete",
                        "TOTALENTERED": money(total),
                        "TOTALPAID": money(total),
                        "CURRENCY": "USD",
                        "BASECURR": "USD",
                        "WHENCREATED": pdate,
                        "AUWHENCREATED": pcreated,
                        "WHENMODIFIED": pcreated,
                        **_audit(),
                        **_entity(entity),
                    },
                )
                self.audit("APPYMT", precno, "C", pcreated)
                self.w.add(
                    "APPYMTDETAIL",
                    {
                        "PAYMENTKEY": precno,
                        "LINE_NO": 1,
                        "RECORDKEY": recno,
                        "PAYMENTAMOUNT": money(total),
                        "TRX_PAYMENTAMOUNT": money(total),
                        "CURRENCY": "USD",
                        "WHENCREATED": pcreated,
                        "WHENMODIFIED": pcreated,
                        **_audit(),
                        **_entity(entity),
                    },
                )
                self.gldetail(
                    {
                        "BATCHKEY": precno,
                        "BATCH_DATE": pdate,
                        "BATCH_TITLE": f"Payment {recordid}",
                        "SYMBOL": "APJ",
                        "BATCH_NO": precno,
                        "MODULEKEY": "3.AP",
                        "ENTRY_DATE": pdate,
                        "CURRENCY": "USD",
                        "DOCNUMBER": f"CHK-{5000 + pay_i}",
                        "WHENCREATED": pcreated,
                        "WHENMODIFIED": pcreated,
                        **_audit(),
                        **_entity(entity),
                    },
                    [
                        ("2000", 1, total, {"VENDORID": vid, "LOCATIONID": loc}),
                        ("1000", -1, total, {"VENDORID": vid, "LOCATIONID": loc}),
                    ],
                )
        self.vendor_due = due_by_vendor

    # -- receivables
    def build_invoices(self) -> None:
        n = self.n.invoices
        self.customer_due: dict[str, int] = {}
        pay_i = 0
        for i in range(n):
            cid, cname, entity = self.customers[(i * 3) % len(self.customers)]
            created_epoch = spread(i, n, start_day=1)
            created, modified = ts(created_epoch), ts(later(created_epoch, i + 2))
            idate = day_of(created_epoch)
            nlines = 1 + (i + 1) % 3
            line_cents = [5000 + (i * 104729 + k * 7919) % 400000 for k in range(nlines)]
            total = sum(line_cents)
            paid = i % 2 == 0
            state = "Paid" if paid else "Posted"
            recordid = f"SI-{i + 1:06d}"
            recno = self.w.recordno("ARINVOICE")
            if not paid:
                self.customer_due[cid] = self.customer_due.get(cid, 0) + total
            pay_epoch = created_epoch + 25 * DAY
            self.w.add(
                "ARINVOICE",
                {
                    "RECORDNO": recno,
                    "RECORDTYPE": "ri",
                    "RECORDID": recordid,
                    "STATE": state,
                    "RAWSTATE": "P" if paid else "A",
                    "CUSTOMERID": cid,
                    "CUSTOMERNAME": cname,
                    "DOCNUMBER": f"SO-{20000 + i}",
                    "DESCRIPTION": f"Invoice for {cname}",
                    "TERMNAME": "Net 30",
                    "WHENCREATED": idate,
                    "WHENPOSTED": idate,
                    "WHENDUE": day_of(created_epoch + 30 * DAY),
                    "WHENPAID": day_of(pay_epoch) if paid else None,
                    "TOTALENTERED": money(total),
                    "TOTALPAID": money(total if paid else 0),
                    "TOTALDUE": money(0 if paid else total),
                    "TRX_TOTALENTERED": money(total),
                    "TRX_TOTALPAID": money(total if paid else 0),
                    "TRX_TOTALDUE": money(0 if paid else total),
                    "CURRENCY": "USD",
                    "BASECURR": "USD",
                    "ONHOLD": "false",
                    "PRBATCH": f"Invoices {idate[:7]}",
                    "MODULEKEY": "4.AR",
                    "SUPDOCID": None,
                    "BILLTO.CONTACTNAME": f"{cname} ({cid})",
                    "SHIPTO.CONTACTNAME": f"{cname} ({cid})",
                    "AUWHENCREATED": created,
                    "WHENMODIFIED": modified,
                    **_audit(),
                    **_entity(entity),
                },
            )
            self.audit("ARINVOICE", recno, "C", created)
            loc = entity[1] if entity else "L120"
            gl_lines = [
                ("1100", 1, total, {"DESCRIPTION": recordid, "CUSTOMERID": cid, "LOCATIONID": loc})
            ]
            for k, cents in enumerate(line_cents, start=1):
                acct = REVENUE_ACCOUNTS[(i + k) % len(REVENUE_ACCOUNTS)]
                item = f"I-{(i + k) % self.n.items + 1:04d}"
                memo = f"{ITEM_NAMES[(i + k) % len(ITEM_NAMES)]} for {cname}"
                self.w.add(
                    "ARINVOICEITEM",
                    {
                        "RECORDKEY": recno,
                        "LINE_NO": k,
                        "ACCOUNTKEY": self.accounts[acct][0],
                        "ACCOUNTNO": acct,
                        "ACCOUNTTITLE": self.accounts[acct][1],
                        "AMOUNT": money(cents),
                        "TRX_AMOUNT": money(cents),
                        "CURRENCY": "USD",
                        "ENTRYDESCRIPTION": memo,
                        "ENTRY_DATE": idate,
                        "LOCATIONID": loc,
                        "DEPARTMENTID": "D200",
                        "CUSTOMERID": cid,
                        "ITEMID": item,
                        "CLASSID": CLASSES[i % len(CLASSES)][0],
                        "WHENCREATED": created,
                        "WHENMODIFIED": modified,
                        **_audit(),
                        **_entity(entity),
                    },
                )
                gl_lines.append(
                    (
                        acct,
                        -1,
                        cents,
                        {
                            "DESCRIPTION": memo,
                            "CUSTOMERID": cid,
                            "LOCATIONID": loc,
                            "DEPARTMENTID": "D200",
                        },
                    )
                )
            self.gldetail(
                {
                    "BATCHKEY": recno,
                    "BATCH_DATE": idate,
                    "BATCH_TITLE": f"Invoice {recordid}",
                    "SYMBOL": "ARJ",
                    "BATCH_NO": recno,
                    "MODULEKEY": "4.AR",
                    "ENTRY_DATE": idate,
                    "CURRENCY": "USD",
                    "DOCNUMBER": recordid,
                    "WHENCREATED": created,
                    "WHENMODIFIED": modified,
                    **_audit(),
                    **_entity(entity),
                },
                gl_lines,
            )
            if paid:
                pay_i += 1
                pdate = day_of(pay_epoch)
                pcreated = ts(pay_epoch)
                precno = self.w.add(
                    "ARPYMT",
                    {
                        "PRBATCHKEY": pay_i,
                        "RECORDTYPE": "rp",
                        "FINANCIALENTITY": "BOA-OPER",
                        "STATE": "Complete",
                        "PAYMENTMETHOD": ("EFT", "ACH", "Printed Check")[pay_i % 3],
                        "CUSTOMERID": cid,
                        "CUSTOMERNAME": cname,
                        "DOCNUMBER": f"RCPT-{7000 + pay_i}",
                        "DESCRIPTION": f"Receipt for {recordid}",
                        "RECEIPTDATE": pdate,
                        "WHENPAID": pdate,
                        "TOTALENTERED": money(total),
                        "TOTALPAID": money(total),
                        "TOTALDUE": "0",
                        "CURRENCY": "USD",
                        "BASECURR": "USD",
                        "WHENCREATED": pdate,
                        "AUWHENCREATED": pcreated,
                        "WHENMODIFIED": pcreated,
                        **_audit(),
                        **_entity(entity),
                    },
                )
                self.audit("ARPYMT", precno, "C", pcreated)
                self.w.add(
                    "ARPYMTDETAIL",
                    {
                        "PAYMENTKEY": precno,
                        "LINE_NO": 1,
                        "RECORDKEY": recno,
                        "PAYMENTAMOUNT": money(total),
                        "TRX_PAYMENTAMOUNT": money(total),
                        "CURRENCY": "USD",
                        "WHENCREATED": pcreated,
                        "WHENMODIFIED": pcreated,
                        **_audit(),
                        **_entity(entity),
                    },
                )
                self.gldetail(
                    {
                        "BATCHKEY": precno,
                        "BATCH_DATE": pdate,
                        "BATCH_TITLE": f"Receipt {recordid}",
                        "SYMBOL": "ARJ",
                        "BATCH_NO": precno,
                        "MODULEKEY": "4.AR",
                        "ENTRY_DATE": pdate,
                        "CURRENCY": "USD",
                        "DOCNUMBER": f"RCPT-{7000 + pay_i}",
                        "WHENCREATED": pcreated,
                        "WHENMODIFIED": pcreated,
                        **_audit(),
                        **_entity(entity),
                    },
                    [
                        ("1000", 1, total, {"CUSTOMERID": cid, "LOCATIONID": loc}),
                        ("1100", -1, total, {"CUSTOMERID": cid, "LOCATIONID": loc}),
                    ],
                )

    def finish(self, conn: sqlite3.Connection) -> None:
        self.w.flush()
        conn.executemany(
            'UPDATE "VENDOR" SET "TOTALDUE" = ? WHERE "VENDORID" = ?',
            [(money(c), vid) for vid, c in self.vendor_due.items()],
        )
        conn.executemany(
            'UPDATE "CUSTOMER" SET "TOTALDUE" = ? WHERE "CUSTOMERID" = ?',
            [(money(c), cid) for cid, c in self.customer_due.items()],
        )
        self.audit_rows.sort(key=lambda r: r[0])
        for when, objtype, key, mode, source, desc in self.audit_rows:
            if not audit_spelling.is_audited(objtype):
                continue
            recno = self.w.recordno("AUDITHISTORY")
            self.w.add(
                "AUDITHISTORY",
                {
                    "RECORDNO": recno,
                    "ID": str(recno),
                    "OBJECTTYPE": audit_spelling.object_type(objtype),
                    "OBJECTKEY": key,
                    "OBJECTDESC": desc or None,
                    "USERID": "sandbox_user",
                    "ACCESSTIME": when,
                    "ACCESSMODE": audit_spelling.access_mode(mode, recno),
                    "SOURCE": source,
                    "WORKFLOWACTION": None,
                    "IPADDRESS": "10.0.0.15" if source == "ui" else "127.0.0.1",
                },
            )
        self.w.flush()


def create_database(path: str, seed: str, scale: int, timezone: str) -> None:
    """Write a fresh database at `path` (an existing file is replaced)."""
    if seed not in {"demo", "empty"}:
        raise ValueError(f"unknown seed {seed!r} (demo or empty)")
    for suffix in ("", "-wal", "-shm", "-journal"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode=OFF")
        conn.execute("PRAGMA synchronous=OFF")
        conn.execute("PRAGMA cache_size=-65536")
        conn.execute("BEGIN")
        db.create_schema(conn, indexes=False)
        db.set_meta(conn, "schema_version", db.SCHEMA_VERSION)
        db.set_meta(conn, "company_id", COMPANY_ID)
        db.set_meta(conn, "timezone", timezone)
        db.set_meta(conn, "seed", seed)
        db.set_meta(conn, "scale", str(scale))
        writer = Writer(conn)
        entities = _seed_setup(writer, conn)
        writer.flush()
        if seed == "demo":
            builder = DemoBuilder(writer, entities, scale)
            builder.build_masters()
            builder.build_batches()
            builder.build_bills()
            builder.build_invoices()
            builder.finish(conn)
        from intacct_sandbox.seed_extended import seed_extended  # extended objects

        seed_extended(conn, seed, scale)  # subscriptions + rows of extended objects
        from intacct_sandbox.functions import attachments, balances

        if seed == "demo":
            attachments.seed_demo(conn)  # supporting documents linked from bills
        balances.rebuild_in_transaction(conn)  # GLACCOUNTBALANCE from the seeded GLDETAIL
        db.create_indexes(conn)
        db.create_escape_tracking(conn)
        db.create_change_tracking(conn)
        conn.execute("COMMIT")
        conn.execute("ANALYZE")
        conn.execute("PRAGMA journal_mode=WAL")
    finally:
        conn.close()
