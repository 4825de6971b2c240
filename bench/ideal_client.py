"""The measured limit: the fewest query calls a sync needs, at full concurrency, no parsing.

A sandbox adds its own service time (building 2000-row pages in Python, on a shared
machine) to `--latency-ms`, so `calls x latency / concurrency` understates what any
client could reach against it. This client sends exactly sum(ceil(rows/2000)) raw
`query` calls (offset pages, nothing parsed but the page header), `concurrency` at a
time with no gap, after one session call: the best any tap can do on this sandbox and
machine. tap_latency.py reports the tap's wall time against both limits.
"""

from __future__ import annotations

import math
import queue
import re
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

import requests
from common import Sandbox
from defusedxml import ElementTree as SafeET

HEADERS = {"Content-Type": "application/xml"}
COUNT = re.compile(rb'<data [^>]*count="(\d+)"')


def _envelope(config: dict[str, str], function: str, auth: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><request><control>'
        f"<senderid>{config['sender_id']}</senderid><password>{config['sender_password']}"
        "</password><controlid>ideal</controlid><uniqueid>false</uniqueid>"
        "<dtdversion>3.0</dtdversion><includewhitespace>false</includewhitespace></control>"
        f"<operation><authentication>{auth}</authentication><content>"
        f'<function controlid="f1">{function}</function></content></operation></request>'
    ).encode()


def _session(http: requests.Session, box: Sandbox) -> str:
    config = box.config()
    login = (
        f"<login><userid>{config['user_id']}</userid><companyid>{config['company_id']}"
        f"</companyid><password>{config['user_password']}</password></login>"
    )
    reply = http.post(
        box.api_url, data=_envelope(config, "<getAPISession/>", login), headers=HEADERS
    )
    root = SafeET.fromstring(reply.content)
    return f"<sessionid>{root.findtext('operation/result/data/api/sessionid')}</sessionid>"


def _query(obj: str, fields: Sequence[str], page: int, page_size: int) -> str:
    select = "".join(f"<field>{name}</field>" for name in fields)
    order = "".join(
        f"<order><field>{name}</field><ascending/></order>" for name in ("WHENMODIFIED", "RECORDNO")
    )
    return (
        f"<query><object>{obj}</object><select>{select}</select><orderby>{order}</orderby>"
        f"<pagesize>{page_size}</pagesize><offset>{page * page_size}</offset>"
        "<options><showprivate>true</showprivate></options></query>"
    )


def run_all(
    work: list[Any], concurrency: int, send: Callable[[requests.Session, Any], int | None]
) -> tuple[int, int]:
    """Send every item of `work`, `concurrency` at a time with no gap between calls.

    `send` makes one call and returns the rows it brought, or None for a failed call.
    Returns (rows received, failed calls).
    """
    pending: queue.Queue[Any] = queue.Queue()
    for item in work:
        pending.put(item)
    received = [0] * concurrency
    failed = [0] * concurrency

    def worker(slot: int) -> None:
        http = requests.Session()
        while True:
            try:
                item = pending.get_nowait()
            except queue.Empty:
                return
            rows = send(http, item)
            if rows is None:
                failed[slot] += 1
            else:
                received[slot] += rows

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(received), sum(failed)


def ideal_sync(
    box: Sandbox,
    streams: dict[str, tuple[int, Sequence[str]]],
    concurrency: int,
    page_size: int = 2000,
) -> dict[str, float | int]:
    """Wall time of the minimal calls for `streams` ({object: (rows, fields)})."""
    config = box.config()
    started = time.perf_counter()
    session = _session(requests.Session(), box)
    work = [
        _query(obj, fields, page, page_size)
        for obj, (rows, fields) in streams.items()
        for page in range(max(1, math.ceil(rows / page_size)))
    ]

    def send(http: requests.Session, function: str) -> int | None:
        reply = http.post(box.api_url, data=_envelope(config, function, session), headers=HEADERS)
        reply.raise_for_status()
        match = COUNT.search(reply.content)
        return int(match.group(1)) if match else None

    calls = len(work)
    received, failed = run_all(work, concurrency, send)
    return {
        "wall_s": round(time.perf_counter() - started, 2),
        "query_calls": calls,
        "session_calls": 1,
        "rows": received,
        "failed_calls": failed,
    }


TOTAL = re.compile(rb'"totalCount":\s*(\d+)')
REST_CLIENT = {"client_id": "sandbox-client-id", "client_secret": "sandbox-client-secret"}


def ideal_rest_sync(
    box: Sandbox,
    rest_object: str,
    rows: int,
    fields: Sequence[str],
    concurrency: int,
    *,
    page_size: int = 4000,
) -> dict[str, float | int]:
    """The same measured limit over the REST query service: one token, then
    ceil(rows/4000) raw query calls (`start` pages), `concurrency` at a time; only
    the answer's `ia::meta.totalCount` is read back (no JSON parsing of rows)."""
    root = f"{box.base_url}/ia/api/v1"
    started = time.perf_counter()
    config = box.config()
    token = requests.post(
        f"{root}/oauth2/token",
        data={
            **REST_CLIENT,
            "grant_type": "client_credentials",
            "username": f"{config['user_id']}@{config['company_id']}",
        },
        timeout=60,
    ).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    work = [
        {
            "object": rest_object,
            "fields": list(fields),
            "orderBy": [{"audit.modifiedDateTime": "asc"}, {"key": "asc"}],
            "filterParameters": {"includePrivate": True},
            "start": page * page_size + 1,
            "size": page_size,
        }
        for page in range(max(1, math.ceil(rows / page_size)))
    ]

    def send(http: requests.Session, body: dict[str, Any]) -> int | None:
        reply = http.post(f"{root}/services/core/query", json=body, headers=headers, timeout=600)
        total = TOTAL.search(reply.content) if reply.status_code == 200 else None
        if total is None:
            return None
        return max(0, min(page_size, int(total.group(1)) - int(body["start"]) + 1))

    calls = len(work)
    received, failed = run_all(work, concurrency, send)
    return {
        "wall_s": round(time.perf_counter() - started, 2),
        "query_calls": calls,
        "token_calls": 1,
        "rows": received,
        "failed_calls": failed,
    }
