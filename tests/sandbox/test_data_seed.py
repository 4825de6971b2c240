"""The demo seed: determinism, scale growth, and the data facts other tests rely on."""

from __future__ import annotations

import hashlib
import sqlite3
from collections import defaultdict
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from intacct_sandbox import db, seed, store, values
from intacct_sandbox.catalog import all_objects, get_object

ZONE = "America/Los_Angeles"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> sqlite3.Connection:
    path = tmp_path_factory.mktemp("seed") / "demo.db"
    seed.create_database(str(path), "demo", 1, ZONE)
    return db.connect(str(path))


def digest(path: Path) -> str:
    conn = db.connect(str(path))
    h = hashlib.sha256()
    for obj in all_objects():
        for row in store.all_records(conn, obj.name):
            h.update(repr(sorted(row.items())).encode())
    conn.close()
    return h.hexdigest()


def test_seed_is_deterministic(tmp_path: Path) -> None:
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    seed.create_database(str(a), "demo", 1, ZONE)
    seed.create_database(str(b), "demo", 1, ZONE)
    assert digest(a) == digest(b)


def test_scale_grows_roughly_linearly(tmp_path: Path, demo: sqlite3.Connection) -> None:
    one = store.record_counts(demo)
    path = tmp_path / "s3.db"
    seed.create_database(str(path), "demo", 3, ZONE)
    three = store.record_counts(db.connect(str(path)))
    # GLACCOUNTBALANCE is not generated: it is derived from GLDETAIL (one row per account,
    # book, dimension combination and month), so it grows with the combinations in use
    assert three["GLACCOUNTBALANCE"] >= one["GLACCOUNTBALANCE"] > 0
    derived = {"GLACCOUNTBALANCE"}
    one = {name: n for name, n in one.items() if name not in derived}
    three = {name: n for name, n in three.items() if name not in derived}
    total1, total3 = sum(one.values()), sum(three.values())
    assert 8_000 <= total1 <= 12_000
    assert 2.7 * total1 <= total3 <= 3.1 * total1
    assert three["GLDETAIL"] == pytest.approx(3 * one["GLDETAIL"], rel=0.02)
    assert three["GLDETAIL"] == max(three.values())


def test_counts_of_core_objects(demo: sqlite3.Connection) -> None:
    counts = store.record_counts(demo)
    expected = {
        "GLACCOUNT": 35,
        "GLJOURNAL": 3,
        "LOCATIONENTITY": 2,
        "LOCATION": 5,
        "DEPARTMENT": 8,
        "CLASS": 6,
        "APTERM": 4,
        "CHECKINGACCOUNT": 2,
        "USERINFO": 2,
        "VENDOR": 78,
        "CUSTOMER": 50,
        "GLBATCH": 400,
        "APBILL": 150,
        "ARINVOICE": 120,
        "project_budget": 8,
    }
    for name, count in expected.items():
        assert counts[name] == count, name
    for name in (
        "GLENTRY",
        "GLDETAIL",
        "APBILLITEM",
        "ARINVOICEITEM",
        "APPYMT",
        "ARPYMT",
        "CONTACT",
        "PROJECT",
        "TASK",
        "ITEM",
        "EMPLOYEE",
        "AUDITHISTORY",
    ):
        assert counts[name] > 0, name


def test_empty_seed_has_only_setup_rows(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    seed.create_database(str(path), "empty", 1, ZONE)
    conn = db.connect(str(path))
    counts = store.record_counts(conn)
    assert counts["USERINFO"] == 2
    assert counts["LOCATIONENTITY"] == 2
    assert counts["GLJOURNAL"] == 3
    assert counts["VENDOR"] == counts["GLDETAIL"] == counts["AUDITHISTORY"] == 0
    assert db.check_user(conn, "SANDBOX-CO", "sandbox_user", "sandbox-user-pass") is not None
    assert db.check_sender(conn, "sandbox_sender", "sandbox-sender-pass")


def test_credentials_are_hashed_and_readonly_user_restricted(demo: sqlite3.Connection) -> None:
    dump = "\n".join(demo.iterdump())
    for secret in ("sandbox-sender-pass", "sandbox-user-pass", "readonly-user-pass"):
        assert secret not in dump
    assert db.check_user(demo, "SANDBOX-CO", "sandbox_user", "wrong") is None
    assert db.check_user(demo, "OTHER-CO", "sandbox_user", "sandbox-user-pass") is None
    ro = db.check_user(demo, "SANDBOX-CO", "readonly_user", "readonly-user-pass")
    assert ro is not None
    assert not ro.can_write
    assert "ARINVOICE" in ro.denied_objects
    admin_denied = db.denied_objects(demo, "sandbox_user")
    assert "ARINVOICE" not in admin_denied
    assert "VENDOR" not in admin_denied


def test_special_character_names_survive(demo: sqlite3.Connection) -> None:
    names = {r["NAME"] for r in store.all_records(demo, "VENDOR")}
    for special in seed.SPECIAL_VENDOR_NAMES:
        assert special in names
    customers = {r["NAME"] for r in store.all_records(demo, "CUSTOMER")}
    assert "D'Angelo & Sons" in customers
    assert "Zoë's Bakery" in customers


def test_shared_second_groups(demo: sqlite3.Connection) -> None:
    vendors = [
        r for r in store.all_records(demo, "VENDOR") if r["WHENMODIFIED"] == seed.SHARED_SECOND
    ]
    assert len(vendors) == 55
    gld = demo.execute(
        'SELECT MIN("RECORDNO"), MAX("RECORDNO"), COUNT(*) FROM "GLDETAIL" '
        'WHERE "WHENMODIFIED" = ?',
        (seed.SHARED_SECOND,),
    ).fetchone()
    assert gld == (1001, 1120, 120)


def test_null_whenmodified_rows(demo: sqlite3.Connection) -> None:
    for name, expected in (("VENDOR", 3), ("CUSTOMER", 2), ("GLDETAIL", 5)):
        count = demo.execute(
            f'SELECT COUNT(*) FROM "{name}" WHERE "WHENMODIFIED" IS NULL'
        ).fetchone()[0]
        assert count == expected, name


def test_timestamps_are_utc_and_cross_both_dst_changes(demo: sqlite3.Connection) -> None:
    stamps = [
        r[0]
        for r in demo.execute(
            'SELECT "WHENMODIFIED" FROM "GLDETAIL" WHERE "WHENMODIFIED" IS NOT NULL'
        )
    ]
    assert all(s.endswith("Z") and len(s) == 20 for s in stamps)
    assert min(stamps) < "2025-03-09"
    assert max(stamps) > "2025-11-03"
    assert values.render_timestamp("2025-11-02T08:30:00Z", ZONE) == "11/02/2025 01:30:00"
    assert values.render_timestamp("2025-11-02T09:30:00Z", ZONE) == "11/02/2025 01:30:00"
    assert values.render_timestamp("2025-03-09T10:30:00Z", ZONE) == "03/09/2025 03:30:00"
    assert values.render_timestamp("2025-01-15T20:00:00Z", ZONE) == "01/15/2025 12:00:00"


def test_local_literals_parse_with_fold_zero() -> None:
    first = values.parse_local_timestamp("11/02/2025 01:30:00", ZONE)
    assert first == datetime(2025, 11, 2, 8, 30, tzinfo=timezone.utc)
    assert values.parse_local_timestamp("07/01/2025", ZONE) == datetime(
        2025, 7, 1, 7, tzinfo=timezone.utc
    )


def test_decimal_and_date_rendering() -> None:
    assert values.format_decimal(Decimal("5900.00")) == "5900"
    assert values.format_decimal(Decimal("1679615.930")) == "1679615.93"
    assert values.format_decimal(Decimal("0.10")) == "0.1"
    assert values.canonical_decimal("12.345", currency=True) == "12.35"
    assert values.parse_date("1/9/2019") == "2019-01-09"
    assert values.render_date("2019-01-09") == "01/09/2019"
    assert values.user_zone_name(ZONE) == "-08:00"
    assert values.user_zone_name("Asia/Kolkata") == "+05:30"
    with pytest.raises(ValueError, match="commas"):
        values.parse_decimal("1,000")


def test_money_is_text_and_journal_entries_balance(demo: sqlite3.Connection) -> None:
    totals: dict[int, Decimal] = defaultdict(Decimal)
    for row in store.all_records(demo, "GLENTRY"):
        assert isinstance(row["TRX_AMOUNT"], str)
        totals[row["BATCHNO"]] += Decimal(row["TRX_AMOUNT"]) * row["TR_TYPE"]
    assert totals
    assert all(v == 0 for v in totals.values())
    per_book = demo.execute(
        'SELECT "BOOKID", COUNT(*) FROM "GLDETAIL" GROUP BY "BOOKID" ORDER BY "BOOKID"'
    ).fetchall()
    assert per_book[0][1] == per_book[1][1]
    debit = credit = Decimal(0)
    for row in store.all_records(demo, "GLDETAIL"):
        debit += Decimal(row["DEBITAMOUNT"])
        credit += Decimal(row["CREDITAMOUNT"])
    assert debit == credit > 0


def test_bill_totals_match_lines(demo: sqlite3.Connection) -> None:
    lines: dict[int, Decimal] = defaultdict(Decimal)
    for row in store.all_records(demo, "APBILLITEM"):
        lines[row["RECORDKEY"]] += Decimal(row["TRX_AMOUNT"])
    for bill in store.all_records(demo, "APBILL"):
        assert Decimal(bill["TOTALENTERED"]) == lines[bill["RECORDNO"]]
        assert len(bill["WHENCREATED"]) == 10  # transaction date, not a timestamp


def test_private_records_exist_for_both_entities(demo: sqlite3.Connection) -> None:
    owners = {r[0] for r in demo.execute('SELECT DISTINCT "MEGAENTITYID" FROM "GLBATCH"')}
    assert owners == {None, "E100", "E200"}


def test_audit_history_rows(demo: sqlite3.Connection) -> None:
    rows = store.all_records(demo, "AUDITHISTORY")
    deletes = [r for r in rows if r["ACCESSMODE"] == "D"]
    assert {(r["OBJECTTYPE"], r["OBJECTKEY"]) for r in deletes} == {
        ("vendor", "40"),
        ("vendor", "80"),
    }
    assert [r["ACCESSTIME"] for r in rows] == sorted(r["ACCESSTIME"] for r in rows)
    assert (
        demo.execute('SELECT COUNT(*) FROM "VENDOR" WHERE "RECORDNO" IN (40, 80)').fetchone()[0]
        == 0
    )


def test_store_touch_and_delete_write_audit(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    seed.create_database(str(path), "demo", 1, ZONE)
    conn = db.connect(str(path))
    now = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    token = db.change_token(conn)
    assert store.touch_records(conn, "vendor", [1, 2, 999999], now) == 2
    assert db.change_token(conn) != token
    vendor = get_object("VENDOR")
    assert vendor is not None
    assert db.fetch_record(conn, vendor, 1)["WHENMODIFIED"] == "2026-01-02T03:04:05Z"  # type: ignore[index]
    assert store.delete_records(conn, "GLBATCH", [3], now, 1) == 1
    assert conn.execute('SELECT COUNT(*) FROM "GLENTRY" WHERE "BATCHNO" = 3').fetchone()[0] == 0
    last = store.all_records(conn, "AUDITHISTORY")[-1]
    assert (last["OBJECTTYPE"], last["OBJECTKEY"], last["ACCESSMODE"], last["USERID"]) == (
        "glbatch",
        "3",
        "D",
        "sandbox_user",
    )
    assert last["ACCESSTIME"] == "2026-01-02T03:04:05Z"
