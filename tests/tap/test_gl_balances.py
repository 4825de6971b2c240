"""Stream gl_account_balances against a real sandbox: the balances tie out to GLDETAIL.

Ground truth is the sandbox's stored GLDETAIL (`/_sandbox/records/GLDETAIL`) summed per
account, book and month; the tap's records come from GLACCOUNTBALANCE over HTTP. For
every account, book and period (both books, every period): TOTDEBIT+TOTADJDEBIT and
TOTCREDIT+TOTADJCREDIT equal the period's detail debits and credits, ENDBAL - OPENBAL
equals debits - credits, OPENBAL equals the previous period's ENDBAL, ENDBAL equals the
running total of the detail, and every (account, book, period) with activity has a row
(as has every later period).
Checked under both values of the sandbox variant `glaccountbalance_rows` (whether
GLACCOUNTBALANCE answers rows for dimension combinations without activity).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from intacct_client import ClientConfig, Function, IntacctClient
from tap_helpers import run_tap

STREAM = "gl_account_balances"
BOOKS = {"ACCRUAL", "CASH"}
ZERO = Decimal(0)
Key = tuple[str, ...]


def months(box: Any) -> list[tuple[str, str, str]]:
    """(name, start, end) of the sandbox's monthly reporting periods, in order."""
    rows = [
        (r["NAME"], r["START_DATE"], r["END_DATE"])
        for r in box.records("REPORTINGPERIOD")
        if r.get("BUDGETING") == "true"
    ]
    return sorted(rows, key=lambda row: row[1])


def detail_totals(
    box: Any, dims: Iterable[str] = ()
) -> dict[tuple[Key, str], tuple[Decimal, Decimal]]:
    """(series key, period start) -> (debits, credits) from the stored GLDETAIL."""
    periods = months(box)
    totals: dict[tuple[Key, str], tuple[Decimal, Decimal]] = defaultdict(lambda: (ZERO, ZERO))
    for line in box.records("GLDETAIL"):
        day = str(line.get("ENTRY_DATE") or line.get("BATCH_DATE"))[:10]
        start = next((p[1] for p in periods if p[1] <= day <= p[2]), None)
        assert start is not None, f"GLDETAIL {line['RECORDNO']} dated {day} is in no period"
        key = (line["ACCOUNTNO"], line["BOOKID"], *(line.get(d) or "" for d in dims))
        debit, credit = totals[(key, start)]
        totals[(key, start)] = (
            debit + Decimal(str(line["DEBITAMOUNT"] or 0)),
            credit + Decimal(str(line["CREDITAMOUNT"] or 0)),
        )
    return dict(totals)


def emitted(run: Any, dims: Iterable[str] = ()) -> dict[tuple[Key, str], dict[str, Any]]:
    rows: dict[tuple[Key, str], dict[str, Any]] = {}
    for record in run.records[STREAM]:
        assert record["CURRENCY"] == "USD"
        key = (record["ACCOUNTNO"], record["BOOKID"], *(record[d] for d in dims))
        assert (key, record["PERIODSTART"]) not in rows, f"{key} emitted twice"
        rows[(key, record["PERIODSTART"])] = record
    return rows


def money(record: dict[str, Any], name: str) -> Decimal:
    value = record[name]
    assert not isinstance(value, float), f"{name} is a float"
    return Decimal(str(value))


def assert_ties_out(box: Any, run: Any, dims: tuple[str, ...] = ()) -> int:
    """Every check of the module docstring; returns the number of rows checked."""
    assert run.returncode == 0, run.stderr[-2000:]
    truth = detail_totals(box, dims)
    rows = emitted(run, dims)
    starts = [p[1] for p in months(box)]
    assert {key for key, _ in truth} == {key for key, _ in rows}
    assert set(truth) <= set(rows), f"activity without a row: {sorted(set(truth) - set(rows))[:5]}"
    assert {key[1] for key, _ in rows} == BOOKS
    assert {start for _, start in rows} == set(starts)
    for key in {key for key, _ in rows}:
        running = ZERO
        previous: dict[str, Any] | None = None
        for start in starts:
            debit, credit = truth.get((key, start), (ZERO, ZERO))
            running += debit - credit
            record = rows.get((key, start))
            if record is None:
                assert previous is None, f"{key} {start}: a balance without its row"
                continue
            assert money(record, "TOTDEBIT") + money(record, "TOTADJDEBIT") == debit, (key, start)
            assert money(record, "TOTCREDIT") + money(record, "TOTADJCREDIT") == credit
            assert money(record, "ENDBAL") - money(record, "OPENBAL") == debit - credit
            assert money(record, "ENDBAL") == running, (key, start)
            expected_open = ZERO if previous is None else money(previous, "ENDBAL")
            assert money(record, "OPENBAL") == expected_open, (key, start)
            previous = record
    return len(rows)


def test_balances_tie_out_to_gldetail_in_both_books(sandbox: Any) -> None:
    run = run_tap(sandbox.config(objects=[STREAM]))
    checked = assert_ties_out(sandbox, run)
    assert checked > 100
    assert set(run.records) == {STREAM}
    schema = run.schemas[STREAM]["properties"]
    assert schema["PERIODSTART"]["format"] == "date"
    assert "number" in schema["ENDBAL"]["type"]


@pytest.mark.parametrize(
    "chosen",
    [
        {"glaccountbalance_rows": "activity"},
        {"date_format": "dd/mm/yyyy"},
        {"glaccountbalance_rows": "activity", "date_format": "dd.mm.yyyy"},
    ],
)
def test_balances_tie_out_under_other_variants(
    sandbox_factory: Any, chosen: dict[str, str]
) -> None:
    box = sandbox_factory(variants=chosen)
    run = run_tap(box.config(objects=[STREAM]))
    assert_ties_out(box, run)


def test_dimension_rows_tie_out_and_add_up_to_the_company_rows(sandbox: Any) -> None:
    dims = ("LOCATIONID", "DEPARTMENTID")
    split = run_tap(sandbox.config(objects=[STREAM], balance_dimensions=list(dims)))
    assert_ties_out(sandbox, split, dims)
    assert {r["LOCATIONID"] for r in split.records[STREAM]} >= {"E100", "E200"}
    whole = emitted(run_tap(sandbox.config(objects=[STREAM])))
    summed: dict[tuple[Key, str], Decimal] = defaultdict(Decimal)
    for record in split.records[STREAM]:
        key = (record["ACCOUNTNO"], record["BOOKID"])
        summed[(key, record["PERIODSTART"])] += money(record, "ENDBAL")
    assert summed == {key: money(record, "ENDBAL") for key, record in whole.items()}


def post_journal_entry(box: Any, day: str, cents: int) -> None:
    """A posted two-line journal entry (1000 credit, 6100 debit) dated `day` (MM/DD/YYYY)."""
    amount = f"{cents // 100}.{cents % 100:02d}"
    with IntacctClient(ClientConfig.from_mapping(box.config())) as client:
        entry = {
            "JOURNAL": "GJ",
            "BATCH_DATE": day,
            "BATCH_TITLE": "Balance tie-out",
            "ENTRIES": {
                "GLENTRY": [
                    {"ACCOUNTNO": "6100", "TR_TYPE": "1", "TRX_AMOUNT": amount, "LOCATION": "E100"},
                    {
                        "ACCOUNTNO": "1000",
                        "TR_TYPE": "-1",
                        "TRX_AMOUNT": amount,
                        "LOCATION": "E100",
                    },
                ]
            },
        }
        result = client.execute_one(Function("create", [("GLBATCH", entry)]))
        result.raise_for_status()


def periods_read(stderr: str) -> list[str]:
    match = re.search(r"gl_account_balances: reading \d+ periods \(([^)]*)\)", stderr)
    assert match is not None, stderr[-2000:]
    return [name.strip() for name in match.group(1).split(",") if name.strip() != "none"]


def test_closed_periods_are_read_once_and_recent_ones_every_run(clean_sandbox: Any) -> None:
    box = clean_sandbox
    config = box.config(objects=[STREAM], balance_reread_periods=2)
    first = run_tap(config)
    assert len(periods_read(first.stderr)) == 12
    state = first.last_state
    assert state is not None
    assert state["bookmarks"][STREAM]["closed_through"] == "2025-10-31"
    post_journal_entry(box, "12/15/2025", 123456)
    second = run_tap(config, state=state)
    assert periods_read(second.stderr) == ["Month Ended November 2025", "Month Ended December 2025"]
    assert {r["PERIODSTART"] for r in second.records[STREAM]} == {"2025-11-01", "2025-12-01"}
    calls = re.search(r"'readByQuery': (\d+)", second.stderr)
    assert calls is not None
    assert int(calls.group(1)) == 3  # the periods list, then the two periods
    # the new entry is in both books and the re-read periods still tie out
    full = run_tap(box.config(objects=[STREAM]))
    assert_ties_out(box, full)
    december = {
        (r["ACCOUNTNO"], r["BOOKID"]): r
        for r in second.records[STREAM]
        if r["PERIODSTART"] == "2025-12-01"
    }
    for book in BOOKS:
        assert money(december[("6100", book)], "TOTDEBIT") >= Decimal("1234.56")


@pytest.mark.parametrize("dimensions", [["REGION_X"], ["locationid", "BOOKID"]])
def test_unknown_balance_dimension_is_one_clear_error(sandbox: Any, dimensions: list[str]) -> None:
    run = run_tap(sandbox.config(objects=[STREAM], balance_dimensions=dimensions), check=False)
    assert run.returncode != 0
    assert "balance_dimensions" in run.stderr
    assert "inspect" not in run.stderr  # refused before any API call
    assert "Traceback" not in run.stderr
    assert not run.records.get(STREAM)


def readme_trial_balance_sql() -> str:
    text = (Path(__file__).parents[2] / "tap-intacct" / "README.md").read_text()
    match = re.search(r"Trial balance as of December 2025.*?```sql\n(.*?)```", text, re.S)
    assert match is not None, "the README's trial-balance example is missing"
    return match.group(1)


def test_readme_trial_balance_sql_ties_out_in_duckdb(sandbox: Any) -> None:
    duckdb = pytest.importorskip("duckdb")
    run = run_tap(sandbox.config(objects=[STREAM, "glaccount"]))
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE gl_account_balances (accountno TEXT, bookid TEXT, currency TEXT, "
        "periodstart DATE, endbal DECIMAL(18, 2))"
    )
    con.executemany(
        "INSERT INTO gl_account_balances VALUES (?, ?, ?, ?, ?)",
        [
            (r["ACCOUNTNO"], r["BOOKID"], r["CURRENCY"], r["PERIODSTART"], str(r["ENDBAL"]))
            for r in run.records[STREAM]
        ],
    )
    con.execute("CREATE TABLE glaccount (accountno TEXT, title TEXT)")
    con.executemany(
        "INSERT INTO glaccount VALUES (?, ?)",
        [(r["ACCOUNTNO"], r["TITLE"]) for r in run.rows("glaccount")],
    )
    lines = con.execute(readme_trial_balance_sql()).fetchall()
    truth: dict[str, Decimal] = defaultdict(Decimal)
    for line in sandbox.records("GLDETAIL"):
        if line["BOOKID"] == "ACCRUAL" and str(line["ENTRY_DATE"]) <= "2025-12-31":
            truth[line["ACCOUNTNO"]] += Decimal(str(line["DEBITAMOUNT"] or 0)) - Decimal(
                str(line["CREDITAMOUNT"] or 0)
            )
    titles = {r["ACCOUNTNO"]: r["TITLE"] for r in run.rows("glaccount")}
    assert [(a, t, Decimal(d) - Decimal(c)) for a, t, d, c in lines] == [
        (account, titles[account], truth[account]) for account in sorted(truth)
    ]
    debits = sum(Decimal(line[2]) for line in lines)
    assert debits == sum(Decimal(line[3]) for line in lines) > 0


def test_start_date_reads_from_its_period_with_the_right_opening_balances(sandbox: Any) -> None:
    run = run_tap(sandbox.config(objects=[STREAM], balance_start_date="2025-06-15"))
    rows = emitted(run)
    assert min(start for _, start in rows) == "2025-06-01"
    truth = detail_totals(sandbox)
    opening: dict[Key, Decimal] = defaultdict(Decimal)
    for (key, start), (debit, credit) in truth.items():
        if start < "2025-06-01":
            opening[key] += debit - credit
    june = {key: record for (key, start), record in rows.items() if start == "2025-06-01"}
    assert june
    for key, record in june.items():
        assert money(record, "OPENBAL") == opening[key], key
    # a key with a balance but no June activity still has its June row
    assert {key for key, value in opening.items() if value} <= set(june)
