"""Stream `gl_account_balances`: one row per GL account x reporting period x book.

Source: the raw account balance object GLACCOUNTBALANCE, read with `readByQuery` and a
`PERIOD = '<name>'` query as Intacct documents it ("Query and List Raw Account
Balances", https://developer.intacct.com/api/general-ledger/account-balances/). Its rows
come per account, book, currency and every dimension combination; this stream sums them
to the grain the user asks for: ACCOUNTNO x BOOKID x CURRENCY x period, plus one
column per dimension listed in `balance_dimensions` (missing values become ""). Field
names are Intacct's own (OPENBAL, TOTDEBIT, TOTCREDIT, TOTADJDEBIT, TOTADJCREDIT,
ENDBAL); PERIODNAME, PERIODSTART and PERIODEND come from REPORTINGPERIOD.

Periods: budgetable reporting periods (the only ones GLACCOUNTBALANCE accepts) that
contain no smaller budgetable period (months rather than quarters), starting with the
one holding `balance_start_date`, up to the one holding the run's date.

Amounts: TOT* are the raw rows' sums. OPENBAL is the row key's ENDBAL of the period
before (known from this run or the state), and ENDBAL = OPENBAL + debits - credits
(adjusting included); only the first period a row key is seen in takes OPENBAL from the
raw rows. So every row key with a balance has a row in every period, whether or not
Intacct answers rows for dimension combinations without activity (not documented).

Sync: the last `balance_reread_periods` periods are read on every run (open periods
still change); older ones are read once. State `bookmarks.gl_account_balances`:
`closed_through` (end date of the newest period not read again), `balances_at_close`
(each row key's ENDBAL then, where the next run's running balances start) and `row_key`
(the grain they belong to; another `balance_dimensions` starts over). A period reopened
in Intacct after that needs the state cleared (or a longer re-read window).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from intacct_client import IntacctClient
from intacct_client.values import US_DATES, DateStyle
from singer_sdk import typing as th

from tap_intacct.casting import cast_boolean, cast_date, cast_number
from tap_intacct.errors import ActionableError
from tap_intacct.sdk_hooks import HookedStream

if TYPE_CHECKING:
    from singer_sdk.helpers.types import Context

    from tap_intacct.tap import RunOwner, TapIntacct

STREAM_NAME = "gl_account_balances"
SOURCE_OBJECT = "GLACCOUNTBALANCE"
# Dimension ID fields of GLACCOUNTBALANCE (Intacct's field list for the raw object).
DIMENSIONS = (
    "LOCATIONID",
    "DEPARTMENTID",
    "PROJECTID",
    "TASKID",
    "COSTTYPEID",
    "CUSTOMERID",
    "VENDORID",
    "EMPLOYEEID",
    "ITEMID",
    "WAREHOUSEID",
    "CLASSID",
    "CONTRACTID",
)
AMOUNTS = ("OPENBAL", "TOTDEBIT", "TOTCREDIT", "TOTADJDEBIT", "TOTADJCREDIT", "ENDBAL")
ACTIVITY = ("TOTDEBIT", "TOTCREDIT", "TOTADJDEBIT", "TOTADJCREDIT")
DEFAULT_REREAD_PERIODS = 3
CLOSED_THROUGH = "closed_through"
BALANCES_AT_CLOSE = "balances_at_close"
ROW_KEY = "row_key"
READ_PAGE_SIZE = 1000


@dataclass(frozen=True)
class Period:
    """A reporting period: its name and first and last day, both included."""

    name: str
    start: date
    end: date


def balance_dimensions(config: Mapping[str, Any]) -> list[str]:
    """The `balance_dimensions` setting, checked (upper case, known names, no repeats)."""
    chosen: list[str] = []
    for raw in config.get("balance_dimensions") or ():
        name = str(raw).strip().upper()
        if name not in DIMENSIONS:
            raise ActionableError(
                f"balance_dimensions: {raw!r} is not a dimension of GL account balances; "
                f"use some of {', '.join(DIMENSIONS)}."
            )
        if name not in chosen:
            chosen.append(name)
    return chosen


def balances_schema(dimensions: Sequence[str]) -> dict[str, Any]:
    """JSON schema of ``gl_account_balances``: one key column per name in ``dimensions``."""
    money = th.NumberType
    properties = [
        th.Property("ACCOUNTNO", th.StringType, required=True),
        th.Property("BOOKID", th.StringType, required=True),
        th.Property("CURRENCY", th.StringType, required=True),
        *(th.Property(name, th.StringType, required=True) for name in dimensions),
        th.Property("PERIODNAME", th.StringType),
        th.Property("PERIODSTART", th.DateType, required=True),
        th.Property("PERIODEND", th.DateType),
        *(th.Property(name, money) for name in AMOUNTS),
    ]
    return th.PropertiesList(*properties).to_dict()


def finest_periods(rows: Iterable[Mapping[str, Any]], style: DateStyle = US_DATES) -> list[Period]:
    """Return the smallest budgetable periods, the ones balances are read for.

    These are the budgetable periods containing no smaller budgetable period, by start
    date (dates read in the user's date format `style`).
    """
    candidates: list[Period] = []
    for row in rows:
        if cast_boolean(str(row.get("BUDGETING") or "")) is not True:
            continue
        start, end = (
            cast_date(str(row.get("START_DATE") or ""), style),
            cast_date(str(row.get("END_DATE") or ""), style),
        )
        if not start or not end or not row.get("NAME"):
            continue
        candidates.append(
            Period(str(row["NAME"]), date.fromisoformat(start), date.fromisoformat(end))
        )
    finest = [
        p
        for p in candidates
        if not any(q != p and q.start >= p.start and q.end <= p.end for q in candidates)
    ]
    return sorted(finest, key=lambda p: (p.start, p.name))


def periods_to_read(
    periods: Sequence[Period],
    today: date,
    first: date | None,
    closed_through: date | None,
    reread: int,
) -> tuple[list[Period], date | None]:
    """Periods this run reads, and the new `closed_through` after it."""
    started = [p for p in periods if p.start <= today and (first is None or p.end >= first)]
    recent = started[-reread:] if reread > 0 else []
    older = started[: len(started) - len(recent)]
    wanted = [p for p in older if closed_through is None or p.end > closed_through] + recent
    new_closed = older[-1].end if older else closed_through
    if closed_through is not None and (new_closed is None or new_closed < closed_through):
        new_closed = closed_through
    return wanted, new_closed


@dataclass
class PeriodTotals:
    """One period's raw rows summed per row key: activity, and the opening balances."""

    activity: dict[tuple[str, ...], dict[str, Decimal]]
    opening: dict[tuple[str, ...], Decimal]


def read_period(client: IntacctClient, period: Period, group_fields: Sequence[str]) -> PeriodTotals:
    """GLACCOUNTBALANCE rows of one period, summed to the stream's grain (Decimal)."""
    quoted = period.name.replace("\\", "\\\\").replace("'", "\\'")
    totals = PeriodTotals({}, {})
    pages = client.read_by_query(
        SOURCE_OBJECT,
        f"PERIOD = '{quoted}'",
        fields=[*group_fields, *AMOUNTS],
        page_size=READ_PAGE_SIZE,
    )
    for page in pages:
        for raw in page:
            key = tuple(str(raw.get(name) or "") for name in group_fields)
            sums = totals.activity.setdefault(key, {name: Decimal(0) for name in ACTIVITY})
            for name in ACTIVITY:
                sums[name] += _amount(raw.get(name))
            totals.opening[key] = totals.opening.get(key, Decimal(0)) + _amount(raw.get("OPENBAL"))
    return totals


def _amount(value: Any) -> Decimal:
    if value in (None, ""):
        return Decimal(0)
    return cast_number(str(value)) or Decimal(0)


def balance_rows(
    period: Period,
    group_fields: Sequence[str],
    totals: PeriodTotals,
    carried: dict[tuple[str, ...], Decimal],
) -> list[dict[str, Any]]:
    """The period's rows; `carried` (row key -> ENDBAL of the period before) is advanced.

    OPENBAL is the row's ENDBAL of the period before when this run or the state knows
    it, else the sum of the raw rows' OPENBAL. Whether Intacct answers a row for a
    dimension combination without activity in the period is not documented: a running
    balance per row key gives the same answer either way, and a row key with a balance
    but no activity still gets its row.
    """
    rows = []
    for key in sorted(set(totals.activity) | set(carried)):
        sums = totals.activity.get(key) or {name: Decimal(0) for name in ACTIVITY}
        opening = carried[key] if key in carried else totals.opening.get(key, Decimal(0))
        net = sums["TOTDEBIT"] + sums["TOTADJDEBIT"] - sums["TOTCREDIT"] - sums["TOTADJCREDIT"]
        ending = opening + net
        carried[key] = ending
        rows.append(
            {
                **dict(zip(group_fields, key, strict=True)),
                "PERIODNAME": period.name,
                "PERIODSTART": period.start.isoformat(),
                "PERIODEND": period.end.isoformat(),
                "OPENBAL": opening,
                **sums,
                "ENDBAL": ending,
            }
        )
    return rows


def _state_balances(raw: Any) -> dict[tuple[str, ...], Decimal]:
    if not isinstance(raw, list):
        return {}
    return {tuple(str(part) for part in item[0]): Decimal(str(item[1])) for item in raw}


class GLAccountBalancesStream(HookedStream):
    """GL account balances per account, book, currency, period (and chosen dimensions)."""

    def __init__(self, tap: TapIntacct) -> None:
        self.dimensions = balance_dimensions(tap.config)
        super().__init__(tap, schema=balances_schema(self.dimensions), name=STREAM_NAME)
        self._run: RunOwner = tap
        self.primary_keys = ["ACCOUNTNO", "BOOKID", "CURRENCY", *self.dimensions, "PERIODSTART"]
        self.forced_replication_method = "FULL_TABLE"
        self.records_emitted = 0

    def _reread(self) -> int:
        value = self.config.get("balance_reread_periods")
        return DEFAULT_REREAD_PERIODS if value is None else max(0, int(value))

    def _first(self) -> date | None:
        text = self.config.get("balance_start_date")
        return date.fromisoformat(str(text)[:10]) if text else None

    def catalog_table_name(self) -> str | None:
        """The catalog entry's table is the stream name, like every stream's."""
        return self.name

    def get_records(self, context: Context | None) -> Iterator[dict[str, Any]]:
        """Each period's rows, oldest period first; STATE after the last one."""
        scheduler = self._run.scheduler
        client = scheduler.xml_client()
        period_rows: list[dict[str, Any]] = []
        for page in client.read_by_query(
            "REPORTINGPERIOD",
            "",
            fields=["NAME", "START_DATE", "END_DATE", "BUDGETING"],
            page_size=READ_PAGE_SIZE,
        ):
            period_rows.extend(page)
        state = self.get_context_state(None)
        group_fields = ("ACCOUNTNO", "BOOKID", "CURRENCY", *self.dimensions)
        if state.get(ROW_KEY) != list(group_fields):  # another grain: start over
            state.pop(CLOSED_THROUGH, None)
            state.pop(BALANCES_AT_CLOSE, None)
        closed_text = state.get(CLOSED_THROUGH)
        closed = date.fromisoformat(str(closed_text)) if closed_text else None
        today = scheduler.clock.run_started_at.date()
        wanted, new_closed = periods_to_read(
            finest_periods(period_rows, scheduler.clock.wire.style),
            today,
            self._first(),
            closed,
            self._reread(),
        )
        self.logger.info(
            "%s: reading %d periods (%s)",
            self.name,
            len(wanted),
            ", ".join(p.name for p in wanted) or "none",
        )
        carried = _state_balances(state.get(BALANCES_AT_CLOSE)) if closed else {}
        at_close = dict(carried)
        for period in wanted:
            totals = read_period(client, period, group_fields)
            rows = balance_rows(period, group_fields, totals, carried)
            yield from rows
            self.records_emitted += len(rows)
            if new_closed is not None and period.end == new_closed:
                at_close = dict(carried)
        if new_closed is not None:
            state[ROW_KEY] = list(group_fields)
            state[CLOSED_THROUGH] = new_closed.isoformat()
            state[BALANCES_AT_CLOSE] = [
                [list(key), str(value)] for key, value in sorted(at_close.items())
            ]
            self.state_manager.is_flushed = False
            self.write_state_now()

    def log_sync_costs(self) -> None:
        """SDK end-of-run hook; the tap logs its run summary after the last stream."""
        super().log_sync_costs()
        self._run.scheduler.stream_finished(self.name)
