"""Sandbox benchmark: seeding time for --scale N and records/s served on 2000-record pages.

Also reports the sandbox process's own CPU time per page (`server_cpu_ms_per_page`, from
/proc), which is what competes with the tap on a shared machine; wall-clock records/s
includes this client's HTTP round trips.

Prints one JSON object. Usage:
    .venv/bin/python bench/sandbox_throughput.py [--scale 100] [--pages 50] [--page-size 2000]
        [--object GLDETAIL] [--function query|readByQuery] [--order recordno|whenmodified]
        [--db seeded.db]  (reuse a seeded file; seeded there first when missing)
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import requests
from defusedxml import ElementTree as SafeET

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from sandbox_process import DEFAULT_CREDENTIALS, start_sandbox

DATA_ATTRIBUTES = re.compile(rb"<data ([^>]*)>")
ATTRIBUTE = re.compile(rb'(\w+)="([^"]*)"')


def envelope(function: str, auth: str) -> bytes:
    c = DEFAULT_CREDENTIALS
    return (
        '<?xml version="1.0" encoding="UTF-8"?><request><control>'
        f"<senderid>{c['sender_id']}</senderid><password>{c['sender_password']}</password>"
        "<controlid>bench</controlid><uniqueid>false</uniqueid><dtdversion>3.0</dtdversion>"
        "<includewhitespace>false</includewhitespace></control><operation>"
        f"<authentication>{auth}</authentication><content>"
        f'<function controlid="f1">{function}</function></content></operation></request>'
    ).encode()


def login() -> str:
    c = DEFAULT_CREDENTIALS
    return (
        f"<login><userid>{c['user_id']}</userid><companyid>{c['company_id']}</companyid>"
        f"<password>{c['user_password']}</password></login>"
    )


def seed(db: Path, scale: int) -> dict[str, Any]:
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-m", "intacct_sandbox", "seed", "--db", str(db), "--scale", str(scale)],
        check=True,
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - started
    report = json.loads(out.stdout.strip().splitlines()[-1])
    return {
        "seed_scale": scale,
        "seed_seconds": round(elapsed, 2),
        "seed_rows": report["rows"],
        "seed_gldetail_rows": report["records"].get("GLDETAIL", 0),
        "seed_rows_per_s": round(report["rows"] / elapsed),
    }


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


ORDERS = {
    "recordno": ("RECORDNO",),
    "whenmodified": ("WHENMODIFIED", "RECORDNO"),  # the tap's and ideal_client.py's order
}


def page_request(
    function: str,
    obj: str,
    fields: list[str],
    *,
    page: int,
    page_size: int,
    result_id: str,
    order: str = "recordno",
) -> str:
    if function == "readByQuery":
        if page and result_id:
            return f"<readMore><resultId>{result_id}</resultId></readMore>"
        return (
            f"<readByQuery><object>{obj}</object><fields>{','.join(fields)}</fields>"
            f"<query></query><pagesize>{page_size}</pagesize></readByQuery>"
        )
    select = "".join(f"<field>{f}</field>" for f in fields)
    orderby = "".join(f"<order><field>{f}</field><ascending/></order>" for f in ORDERS[order])
    return (
        f"<query><object>{obj}</object><select>{select}</select>"
        f"<orderby>{orderby}</orderby>"
        f"<pagesize>{page_size}</pagesize><offset>{page * page_size}</offset>"
        "<options><showprivate>true</showprivate></options></query>"
    )


def serve_pages(
    db: Path,
    pages: int,
    page_size: int,
    *,
    obj: str = "GLDETAIL",
    function: str = "query",
    order: str = "recordno",
) -> dict[str, Any]:
    box = start_sandbox(db_path=db)
    try:
        http = requests.Session()
        headers = {"Content-Type": "application/xml"}
        reply = http.post(box.api_url, data=envelope("<getAPISession/>", login()), headers=headers)
        root = SafeET.fromstring(reply.content)
        session = f"<sessionid>{root.findtext('operation/result/data/api/sessionid')}</sessionid>"
        lookup = http.post(
            box.api_url,
            data=envelope(f"<lookup><object>{obj}</object></lookup>", session),
            headers=headers,
        )
        fields = [
            f.findtext("ID")
            for f in SafeET.fromstring(lookup.content).iter("Field")
            if f.findtext("ID")
        ]
        total = records = sent_bytes = served = 0
        result_id = ""
        cpu_before = process_cpu_seconds(box.process.pid)
        started = time.perf_counter()
        for page in range(pages):
            query = page_request(
                function,
                obj,
                fields,
                page=page,
                page_size=page_size,
                result_id=result_id,
                order=order,
            )
            response = http.post(box.api_url, data=envelope(query, session), headers=headers)
            response.raise_for_status()
            sent_bytes += len(response.content)
            # Only the <data> attributes are read: parsing 2 MB of XML in this process
            # would measure the client, not the sandbox.
            head = DATA_ATTRIBUTES.search(response.content)
            assert head is not None, response.content[:500]
            attributes = dict(ATTRIBUTE.findall(head.group(1)))
            element = obj.lower() if function == "readByQuery" else obj
            assert response.content.count(f"<{element}>".encode()) == int(attributes[b"count"])
            records += int(attributes[b"count"])
            served += 1
            total = int(attributes[b"totalcount"])
            result_id = attributes.get(b"resultId", b"").decode()
            if int(attributes[b"numremaining"]) == 0:
                break
        elapsed = time.perf_counter() - started
        server_cpu = process_cpu_seconds(box.process.pid) - cpu_before
        return {
            "query_object": obj,
            "query_function": function,
            "query_order": order if function == "query" else "keyset RECORDNO",
            "query_fields": len(fields),
            "query_page_size": page_size,
            "query_records": records,
            "query_totalcount": total,
            "query_seconds": round(elapsed, 3),
            "records_per_s": round(records / elapsed) if elapsed else None,
            "mb_per_s": round(sent_bytes / elapsed / 1e6, 1) if elapsed else None,
            "query_pages": served,
            "server_cpu_seconds": round(server_cpu, 3),
            "server_cpu_ms_per_page": round(server_cpu * 1000 / served, 1) if served else None,
            "server_cpu_ms_per_1k_records": (
                round(server_cpu * 1e6 / records, 2) if records else None
            ),
            "target_records_per_s": 20000,
        }
    finally:
        box.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--page-size", type=int, default=2000)
    parser.add_argument(
        "--db", type=Path, help="reuse this seeded database (seeded here first if missing)"
    )
    parser.add_argument("--object", default="GLDETAIL")
    parser.add_argument("--function", choices=["query", "readByQuery"], default="query")
    parser.add_argument("--order", choices=sorted(ORDERS), default="recordno")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="sandbox-bench-"))
    db = args.db or workdir / "bench.db"
    try:
        result: dict[str, Any] = {"benchmark": "sandbox_throughput"}
        load_before = os.getloadavg()[0]
        if not db.exists():
            result.update(seed(db, args.scale))
        result.update(
            serve_pages(
                db,
                args.pages,
                args.page_size,
                obj=args.object,
                function=args.function,
                order=args.order,
            )
        )
        # The machine is shared: record how busy it was, to read the figures fairly.
        result["load_average_1m"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
        result["cpu_count"] = os.cpu_count()
        print(json.dumps(result))
    finally:
        for path in workdir.iterdir():
            path.unlink()
        workdir.rmdir()


if __name__ == "__main__":
    main()
