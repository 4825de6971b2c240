"""General-ledger detail (GLDETAIL) rows for posted journal entries, bills and invoices.

GLDETAIL is a read-only view in Intacct; here it is a table the write half keeps in step
with the posted transactions, so a tap reading GLDETAIL sees what a loader posted.

* GLBATCH (STATE Posted): one row per GLENTRY line, BATCHKEY = GLBATCH RECORDNO,
  MODULEKEY `2.GL`, SYMBOL = the journal.
* APBILL / ARINVOICE (not Draft): one row per line (bill lines debit, invoice lines
  credit) plus one offsetting row on the payables / receivables control account, journal
  APJ / ARJ, MODULEKEY `3.AP` / `4.AR`. BATCHKEY and BATCH_NO hold the bill/invoice
  RECORDNO (as the demo seed does: the sandbox keeps no separate subledger batch), so
  rows are found by MODULEKEY + BATCH_NO.
* Every line is posted to both books, ACCRUAL and CASH, like the seed; the unused side
  of DEBITAMOUNT/CREDITAMOUNT is "0".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from intacct_sandbox import db, values
from intacct_sandbox.catalog import ObjectDef, get_object
from intacct_sandbox.functions import balances, recordnos
from intacct_sandbox.functions.common import CallContext
from intacct_sandbox.functions.derive import CENT, amount

SUBLEDGER_POSTING: dict[str, tuple[str, str, int]] = {
    # object: (journal symbol, module key, TR_TYPE of the lines)
    "APBILL": ("APJ", "3.AP", 1),
    "ARINVOICE": ("ARJ", "4.AR", -1),
}
CONTROL_ACCOUNT_FALLBACK = {"APBILL": "2000", "ARINVOICE": "1100"}
CONTROL_ACCOUNT_TITLES = {"APBILL": "Accounts Payable", "ARINVOICE": "Accounts Receivable"}
BOOKS = ("ACCRUAL", "CASH")
_DIMENSIONS = (
    ("LOCATIONID", ("LOCATION", "LOCATIONID")),
    ("DEPARTMENTID", ("DEPARTMENT", "DEPARTMENTID")),
    ("PROJECTID", ("PROJECTID",)),
    ("CUSTOMERID", ("CUSTOMERID",)),
    ("VENDORID", ("VENDORID",)),
    ("EMPLOYEEID", ("EMPLOYEEID",)),
    ("CLASSID", ("CLASSID",)),
)


# payment object: (module key, journal, title word)
PAYMENT_POSTING: dict[str, tuple[str, str, str]] = {
    "APPYMT": ("3.AP", "APJ", "Payment"),
    "ARPYMT": ("4.AR", "ARJ", "Receipt"),
}
TITLE_WORDS = {"APBILL": "Bill", "ARINVOICE": "Invoice", "APPYMT": "Payment", "ARPYMT": "Receipt"}
CASH_FALLBACK = "1000"


def posts(obj: ObjectDef) -> bool:
    return obj.name == "GLBATCH" or obj.name in SUBLEDGER_POSTING or obj.name in PAYMENT_POSTING


def _gldetail() -> ObjectDef | None:
    return get_object("GLDETAIL")


LOOKUP_INDEXES = (
    'CREATE INDEX IF NOT EXISTS "ix_gldetail_posting" ON "GLDETAIL" ("MODULEKEY", "BATCH_NO")',
    'CREATE INDEX IF NOT EXISTS "ix_gldetail_batchkey" ON "GLDETAIL" ("BATCHKEY")',
)


def existing_rows(ctx: CallContext, obj: ObjectDef, recordno: int) -> list[int]:
    """RECORDNOs of the GLDETAIL rows posted by this header.

    Updates and deletes look GLDETAIL up by posting keys; on a scaled seed (1M rows) that
    needs an index, created here on first use when the schema does not have it yet."""
    detail = _gldetail()
    if detail is None:
        return []
    for ddl in LOOKUP_INDEXES:
        ctx.conn.execute(ddl)
    params: list[Any]
    if obj.name == "GLBATCH":
        sql = 'SELECT "RECORDNO" FROM "GLDETAIL" WHERE "MODULEKEY" = ? AND "BATCHKEY" = ?'
        params = ["2.GL", recordno]
    else:
        # bills and payments share MODULEKEY and number spaces: the title word tells them apart
        if obj.name in PAYMENT_POSTING:
            module = PAYMENT_POSTING[obj.name][0]
        else:
            module = SUBLEDGER_POSTING[obj.name][1]
        sql = (
            'SELECT "RECORDNO" FROM "GLDETAIL" WHERE "MODULEKEY" = ? AND "BATCH_NO" = ? '
            'AND "BATCH_TITLE" LIKE ?'
        )
        params = [module, recordno, TITLE_WORDS[obj.name] + " %"]
    return [int(r[0]) for r in ctx.conn.execute(sql, params)]


def remove(ctx: CallContext, obj: ObjectDef, recordno: int) -> list[int]:
    """Delete the header's GLDETAIL rows; returns their RECORDNOs (for audit rows)."""
    keys = existing_rows(ctx, obj, recordno)
    detail = _gldetail()
    if keys and detail is not None:
        recordnos.pin(ctx.conn, detail)
    touched: set[balances.Series] = set()
    for key in keys:
        cur = ctx.conn.execute('SELECT * FROM "GLDETAIL" WHERE "RECORDNO" = ?', (key,))
        names = [d[0] for d in cur.description]
        touched.update(balances.series_of(dict(zip(names, row, strict=True))) for row in cur)
    ctx.conn.executemany('DELETE FROM "GLDETAIL" WHERE "RECORDNO" = ?', [(key,) for key in keys])
    if touched:
        balances.refresh(ctx.conn, touched, ctx.now)
    return keys


def post(
    ctx: CallContext,
    obj: ObjectDef,
    header: Mapping[str, Any],
    lines: Sequence[Mapping[str, Any]],
) -> list[int]:
    """Write the GLDETAIL rows of a posted header; returns the new RECORDNOs."""
    detail = _gldetail()
    if detail is None or str(header.get("STATE") or "") == "Draft":
        return []
    if obj.name == "GLBATCH":
        rows = [_gl_row(header, line) for line in lines]
    elif obj.name in SUBLEDGER_POSTING:
        rows = _subledger_rows(ctx, obj, header, lines)
    elif obj.name in PAYMENT_POSTING:
        rows = _payment_rows(ctx, obj, header, lines)
    else:
        return []
    common = _common_stamps(ctx, header)
    first = recordnos.reserve(ctx.conn, detail, len(BOOKS) * len(rows))
    stored = [
        {**common, **row, "BOOKID": book, detail.key_field: first + index}
        for index, (book, row) in enumerate((b, r) for b in BOOKS for r in rows)
    ]
    db.insert_records(ctx.conn, detail, stored)
    balances.refresh(ctx.conn, {balances.series_of(row) for row in stored}, ctx.now)
    return [first + index for index in range(len(stored))]


def _common_stamps(ctx: CallContext, header: Mapping[str, Any]) -> dict[str, Any]:
    now = db.utc_text(ctx.now)
    return {
        "WHENCREATED": now,
        "WHENMODIFIED": now,
        "CREATEDBY": ctx.user_recordno,
        "MODIFIEDBY": ctx.user_recordno,
        "MEGAENTITYKEY": header.get("MEGAENTITYKEY"),
        "MEGAENTITYID": header.get("MEGAENTITYID"),
        "MEGAENTITYNAME": header.get("MEGAENTITYNAME"),
    }


def _split(tr_type: int, value: Decimal) -> tuple[str, str]:
    text = values.format_decimal(value.quantize(CENT))
    return (text, "0") if tr_type == 1 else ("0", text)


def _dimensions(line: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for target, sources in _DIMENSIONS:
        for source in sources:
            if line.get(source) not in (None, ""):
                out[target] = line[source]
                break
    return out


def _gl_row(header: Mapping[str, Any], line: Mapping[str, Any]) -> dict[str, Any]:
    tr_type = int(line.get("TR_TYPE") or 1)
    base = amount(line.get("AMOUNT") or line.get("TRX_AMOUNT"))
    debit, credit = _split(tr_type, base)
    return {
        "BATCHKEY": header.get("RECORDNO"),
        "BATCH_DATE": header.get("BATCH_DATE"),
        "BATCH_TITLE": header.get("BATCH_TITLE"),
        "SYMBOL": header.get("JOURNAL"),
        "BATCH_NO": header.get("BATCHNO"),
        "MODULEKEY": "2.GL",
        "LINE_NO": line.get("LINE_NO"),
        "ENTRY_DATE": line.get("ENTRY_DATE") or header.get("BATCH_DATE"),
        "TR_TYPE": tr_type,
        "ACCOUNTNO": line.get("ACCOUNTNO"),
        "ACCOUNTTITLE": line.get("ACCOUNTTITLE"),
        "DEBITAMOUNT": debit,
        "CREDITAMOUNT": credit,
        "AMOUNT": values.format_decimal(base.quantize(CENT)),
        "TRX_AMOUNT": values.format_decimal(amount(line.get("TRX_AMOUNT")).quantize(CENT)),
        "CURRENCY": line.get("CURRENCY"),
        "DESCRIPTION": line.get("DESCRIPTION"),
        "DOCNUMBER": header.get("REFERENCENO"),
        **_dimensions(line),
    }


def control_account(ctx: CallContext, obj: ObjectDef) -> tuple[str, str | None]:
    """The payables/receivables control account: a GLACCOUNT titled so, else a default."""
    row = ctx.conn.execute(
        'SELECT "ACCOUNTNO", "TITLE" FROM "GLACCOUNT" WHERE "TITLE" = ? '
        'ORDER BY "RECORDNO" LIMIT 1',
        (CONTROL_ACCOUNT_TITLES[obj.name],),
    ).fetchone()
    if row is not None:
        return str(row[0]), row[1]
    return CONTROL_ACCOUNT_FALLBACK[obj.name], None


def _subledger_rows(
    ctx: CallContext,
    obj: ObjectDef,
    header: Mapping[str, Any],
    lines: Sequence[Mapping[str, Any]],
) -> list[dict[str, Any]]:
    journal, module, line_type = SUBLEDGER_POSTING[obj.name]
    posting_date = header.get("WHENPOSTED") or header.get("WHENCREATED")
    kind = "Bill" if obj.name == "APBILL" else "Invoice"
    title = f"{kind} {header.get('RECORDID') or header.get('RECORDNO')}"
    party = {"VENDORID": header.get("VENDORID"), "CUSTOMERID": header.get("CUSTOMERID")}
    shared = {
        "BATCHKEY": header.get("RECORDNO"),
        "BATCH_DATE": posting_date,
        "BATCH_TITLE": title,
        "SYMBOL": journal,
        "BATCH_NO": header.get("RECORDNO"),
        "MODULEKEY": module,
        "ENTRY_DATE": posting_date,
        "CURRENCY": header.get("CURRENCY"),
        "DOCNUMBER": header.get("RECORDID") or header.get("DOCNUMBER"),
    }
    rows: list[dict[str, Any]] = []
    total = Decimal(0)
    for line in lines:
        base = amount(line.get("AMOUNT") or line.get("TRX_AMOUNT"))
        total += base
        debit, credit = _split(line_type, base)
        rows.append(
            {
                **shared,
                **{k: v for k, v in party.items() if v},
                **_dimensions(line),
                "LINE_NO": line.get("LINE_NO"),
                "TR_TYPE": line_type,
                "ACCOUNTNO": line.get("ACCOUNTNO"),
                "ACCOUNTTITLE": line.get("ACCOUNTTITLE"),
                "DEBITAMOUNT": debit,
                "CREDITAMOUNT": credit,
                "AMOUNT": values.format_decimal(base.quantize(CENT)),
                "TRX_AMOUNT": values.format_decimal(amount(line.get("TRX_AMOUNT")).quantize(CENT)),
                "DESCRIPTION": line.get("ENTRYDESCRIPTION"),
            }
        )
    account_no, account_title = control_account(ctx, obj)
    debit, credit = _split(-line_type, total)
    rows.append(
        {
            **shared,
            **{k: v for k, v in party.items() if v},
            "LINE_NO": len(lines) + 1,
            "TR_TYPE": -line_type,
            "ACCOUNTNO": account_no,
            "ACCOUNTTITLE": account_title,
            "DEBITAMOUNT": debit,
            "CREDITAMOUNT": credit,
            "AMOUNT": values.format_decimal(total.quantize(CENT)),
            "TRX_AMOUNT": values.format_decimal(total.quantize(CENT)),
            "DESCRIPTION": header.get("RECORDID") or header.get("DESCRIPTION"),
        }
    )
    return rows


def _cash_account(
    ctx: CallContext, bank_id: Any, undeposited: Any = None
) -> tuple[str, str | None]:
    """The GL account of the payment's bank (CHECKINGACCOUNT.GLACCOUNTNO), else the
    receipt's undeposited-funds account, else 1000."""
    account_no = str(undeposited) if undeposited and not bank_id else CASH_FALLBACK
    bank = get_object("CHECKINGACCOUNT")
    if bank is not None and bank.field("GLACCOUNTNO") is not None and bank_id:
        row = ctx.conn.execute(
            'SELECT "GLACCOUNTNO" FROM "CHECKINGACCOUNT" WHERE "BANKACCOUNTID" = ? LIMIT 1',
            (bank_id,),
        ).fetchone()
        if row is not None and row[0]:
            account_no = str(row[0])
    title = ctx.conn.execute(
        'SELECT "TITLE" FROM "GLACCOUNT" WHERE "ACCOUNTNO" = ? LIMIT 1', (account_no,)
    ).fetchone()
    return account_no, (title[0] if title else None)


def _payment_rows(
    ctx: CallContext,
    obj: ObjectDef,
    header: Mapping[str, Any],
    lines: Sequence[Mapping[str, Any]],
) -> list[dict[str, Any]]:
    """AP payment: debit payables, credit the bank; AR receipt: debit bank, credit AR."""
    module, journal, word = PAYMENT_POSTING[obj.name]
    document = "APBILL" if obj.name == "APPYMT" else "ARINVOICE"
    doc_obj = get_object(document)
    total = sum(
        (amount(line.get("PAYMENTAMOUNT") or line.get("TRX_PAYMENTAMOUNT")) for line in lines),
        Decimal(0),
    ).quantize(CENT)
    posting_date = header.get("PAYMENTDATE") or header.get("RECEIPTDATE")
    first_doc = lines[0].get("RECORDKEY") if lines else None
    reference = header.get("RECORDNO")
    if doc_obj is not None and first_doc is not None:
        row = db.fetch_record(ctx.conn, doc_obj, int(first_doc))
        reference = (row or {}).get("RECORDID") or first_doc
    control_no, control_title = control_account(ctx, doc_obj or obj)
    cash_no, cash_title = _cash_account(
        ctx, header.get("FINANCIALENTITY"), header.get("UNDEPOSITEDACCOUNTNO")
    )
    party = {k: header.get(k) for k in ("VENDORID", "CUSTOMERID") if header.get(k)}
    shared = {
        "BATCHKEY": header.get("RECORDNO"),
        "BATCH_DATE": posting_date,
        "BATCH_TITLE": f"{word} {reference}",
        "SYMBOL": journal,
        "BATCH_NO": header.get("RECORDNO"),
        "MODULEKEY": module,
        "ENTRY_DATE": posting_date,
        "CURRENCY": header.get("CURRENCY"),
        "DOCNUMBER": header.get("DOCNUMBER"),
        **party,
    }
    debit_side = (control_no, control_title) if obj.name == "APPYMT" else (cash_no, cash_title)
    credit_side = (cash_no, cash_title) if obj.name == "APPYMT" else (control_no, control_title)
    text = values.format_decimal(total)
    return [
        {**shared, "LINE_NO": 1, "TR_TYPE": 1, "ACCOUNTNO": debit_side[0],
         "ACCOUNTTITLE": debit_side[1], "DEBITAMOUNT": text, "CREDITAMOUNT": "0",
         "AMOUNT": text, "TRX_AMOUNT": text, "DESCRIPTION": header.get("DESCRIPTION")},
        {**shared, "LINE_NO": 2, "TR_TYPE": -1, "ACCOUNTNO": credit_side[0],
         "ACCOUNTTITLE": credit_side[1], "DEBITAMOUNT": "0", "CREDITAMOUNT": text,
         "AMOUNT": text, "TRX_AMOUNT": text, "DESCRIPTION": header.get("DESCRIPTION")},
    ]  # fmt: skip
