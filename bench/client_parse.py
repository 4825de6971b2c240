"""Benchmark: parsing one 2000-record ``query`` page four ways (prints one JSON object).

Candidates, all refusing DOCTYPE/entity declarations:
- ``guarded_lxml``: byte-level DOCTYPE/ENTITY refusal + lxml/libxml2 with entity
  resolution, DTD loading and network off (the client's choice)
- ``guarded_etree``: byte-level DOCTYPE/ENTITY refusal + C ElementTree
- ``defusedxml_etree``: defusedxml.ElementTree (pure-Python expat callbacks)
- ``xmltodict_defused``: xmltodict with entities disabled and a DOCTYPE-refusing expat

Each produces the same list of record dicts; the script checks that they agree and that
each refuses a DOCTYPE document. Figures per candidate: median wall and CPU (process
time) for page -> record dicts, and `two_threads_speedup`: how much faster two pages
parse on two threads than one after the other (about 1.0 when the parser holds the GIL
throughout; the tap parses pages in worker threads while its main thread emits).
Run: .venv/bin/python bench/client_parse.py
"""

from __future__ import annotations

import json
import statistics
import sys
import threading
import time
import types
from collections.abc import Callable
from typing import Any
from xml.parsers import expat

import xmltodict
from intacct_client.parsing import element_to_record
from intacct_client.xmlread import parse_defused, parse_guarded, parse_lxml

FIELDS = [
    "RECORDNO",
    "BATCHKEY",
    "BATCH_DATE",
    "BATCH_TITLE",
    "SYMBOL",
    "BATCH_NO",
    "BOOKID",
    "MODULEKEY",
    "LINE_NO",
    "ENTRY_DATE",
    "TR_TYPE",
    "ACCOUNTNO",
    "ACCOUNTTITLE",
    "DEBITAMOUNT",
    "CREDITAMOUNT",
    "AMOUNT",
    "TRX_AMOUNT",
    "CURRENCY",
    "DESCRIPTION",
    "DEPARTMENTID",
    "LOCATIONID",
    "CLASSID",
    "PROJECTID",
    "VENDORID",
    "CUSTOMERID",
    "WHENCREATED",
    "WHENMODIFIED",
    "CREATEDBY",
    "MODIFIEDBY",
    "JOURNAL.SYMBOL",
]
RECORDS = 2000
REPEAT = 7


def build_page() -> bytes:
    rows = []
    for n in range(RECORDS):
        values = {field: f"{field.lower()}-{n}" for field in FIELDS}
        values["RECORDNO"] = str(n + 1)
        values["AMOUNT"] = f"{n * 3.17:.2f}"
        special = "Caf\u00e9 &amp; Bar \u2013 l&#039;\u00e9t\u00e9"
        values["DESCRIPTION"] = special if n % 7 == 0 else ""
        values["WHENMODIFIED"] = "03/10/2024 01:59:59"
        cells = "".join(f"<{f}>{v}</{f}>" if v else f"<{f}></{f}>" for f, v in values.items())
        rows.append(f"<GLDETAIL>{cells}</GLDETAIL>")
    data = (
        f'<data listtype="GLDETAIL" totalcount="{RECORDS * 5}" offset="0" count="{RECORDS}" '
        f'numremaining="{RECORDS * 4}">{"".join(rows)}</data>'
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><response><control><status>success</status>'
        "<senderid>s</senderid><controlid>c</controlid><uniqueid>false</uniqueid>"
        "<dtdversion>3.0</dtdversion></control><operation><authentication>"
        "<status>success</status><userid>u</userid><companyid>c</companyid>"
        "</authentication><result><status>success</status><function>query</function>"
        f"<controlid>q</controlid>{data}</result></operation></response>"
    ).encode()


def via_etree(parse: Callable[[bytes], Any]) -> Callable[[bytes], list[dict[str, Any]]]:
    def run(body: bytes) -> list[dict[str, Any]]:
        root = parse(body)
        data = root.find("operation/result/data")
        return [element_to_record(row) for row in data]

    return run


class _RefusedError(ValueError):
    pass


def _refuse(*_args: object) -> None:
    raise _RefusedError("DOCTYPE refused")


def _refusing_parser_create(*args: Any, **kwargs: Any) -> Any:
    parser = expat.ParserCreate(*args, **kwargs)
    parser.StartDoctypeDeclHandler = _refuse
    parser.EntityDeclHandler = _refuse
    return parser


_defused_expat = types.SimpleNamespace(ParserCreate=_refusing_parser_create)


def via_xmltodict(body: bytes) -> list[dict[str, Any]]:
    doc = xmltodict.parse(body, expat=_defused_expat, disable_entities=True)
    rows = doc["response"]["operation"]["result"]["data"]["GLDETAIL"]
    rows = rows if isinstance(rows, list) else [rows]
    return [dict(row) for row in rows]


def refuses_doctype(run: Callable[[bytes], Any]) -> bool:
    evil = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "b">]><response>&a;</response>'
    try:
        run(evil)
    except Exception:
        return True
    return False


def two_threads_speedup(run: Callable[[bytes], Any], body: bytes) -> float:
    """Serial time of two parses / their time on two threads (best of three each)."""
    serial, threaded = [], []
    for _ in range(3):
        start = time.perf_counter()
        run(body)
        run(body)
        serial.append(time.perf_counter() - start)
        workers = [threading.Thread(target=run, args=(body,)) for _ in range(2)]
        start = time.perf_counter()
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        threaded.append(time.perf_counter() - start)
    return round(min(serial) / min(threaded), 2)


def main() -> None:
    body = build_page()
    candidates = {
        "guarded_lxml": via_etree(parse_lxml),
        "guarded_etree": via_etree(parse_guarded),
        "defusedxml_etree": via_etree(parse_defused),
        "xmltodict_defused": via_xmltodict,
    }
    reference = candidates["guarded_etree"](body)
    report: dict[str, Any] = {
        "records": RECORDS,
        "fields_per_record": len(FIELDS),
        "page_bytes": len(body),
        "python": sys.version.split()[0],
        "results": {},
    }
    for name, run in candidates.items():
        out = run(body)
        agrees = out == reference
        timings = []
        cpu_timings = []
        for _ in range(REPEAT):
            start = time.perf_counter()
            cpu_start = time.process_time()
            run(body)
            cpu_timings.append(time.process_time() - cpu_start)
            timings.append(time.perf_counter() - start)
        median = statistics.median(timings)
        report["results"][name] = {
            "median_ms": round(median * 1000, 2),
            "median_cpu_ms": round(statistics.median(cpu_timings) * 1000, 2),
            "two_threads_speedup": two_threads_speedup(run, body),
            "records_per_s": round(RECORDS / median),
            "same_records_as_guarded_etree": agrees,
            "refuses_doctype": refuses_doctype(run),
        }
    report["chosen"] = min(
        (
            n
            for n, r in report["results"].items()
            if r["same_records_as_guarded_etree"] and r["refuses_doctype"]
        ),
        key=lambda n: report["results"][n]["median_ms"],
    )
    print(json.dumps(report))


if __name__ == "__main__":
    main()
