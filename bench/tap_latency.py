"""Latency-bound tap benchmark: 1000 ms per call, 2 requests in flight (sandbox-enforced).

Two syncs: >= 100k GLDETAIL rows in one stream, and the larger other incremental objects
spread over several streams. For each: wall time, API calls (sandbox stats) and the
ratios to Intacct's limit: calls / sum(ceil(rows/2000)) and wall / (calls x 1.0 s / 2).
The catalog comes from a latency-free sandbox of the same schema, so discovery is not
timed here (see bench/discovery.py). The sandbox's own page-building time comes on top
of the latency, so the wall time is also compared with a measured limit: the minimal
calls sent raw at full concurrency by bench/ideal_client.py on the same sandbox.

REST mode (`--rest-scale`, default 100; `--skip-rest` leaves it out): journal entry
lines read by the same tap over both APIs, one after the other, each from a fresh copy
of the same seeded database: XML `GLENTRY` (2000-row pages) and REST
`general-ledger/journal-entry-line` (4000-row pages). REST's ratios use its own page:
query calls / ceil(rows/4000), wall / (calls x latency / concurrency), where calls count
the OAuth token request like XML's getAPISession.

    .venv/bin/python bench/tap_latency.py [--scale 19] [--latency-ms 1000] [--rest-scale 100]
"""

from __future__ import annotations

import argparse
import math
import tempfile
from pathlib import Path
from typing import Any

from common import (
    TAP,
    count_messages,
    discover_catalog,
    emit,
    run_child,
    sandbox_at,
    select_streams,
    tap_config,
    write_json,
)
from ideal_client import ideal_rest_sync, ideal_sync

REST_PAGE = 4000
REST_CLIENT = {"client_id": "sandbox-client-id", "client_secret": "sandbox-client-secret"}
# The same rows in both APIs: XML object -> REST object.
SAME_DATA = {"GLENTRY": "general-ledger/journal-entry-line"}

SINGLE = ["GLDETAIL"]
SPREAD = [
    "GLENTRY",
    "GLBATCH",
    "APBILLITEM",
    "ARINVOICEITEM",
    "APBILL",
    "ARINVOICE",
    "VENDOR",
    "APPYMT",
    "ARPYMT",
    "CUSTOMER",
]


def catalog_for(objects: list[str], workdir: Path) -> dict[str, Any]:
    """Catalog of `objects`, discovered on a small latency-free sandbox (same schema)."""
    box = sandbox_at(1, workdir / "discovery")
    try:
        config = tap_config(box, objects=objects)
        return select_streams(discover_catalog(config, workdir), [o.lower() for o in objects])
    finally:
        box.stop()


def sync(
    box: Any, catalog: dict[str, Any], objects: list[str], workdir: Path, concurrency: int
) -> dict[str, Any]:
    counts = box.stats()["records"]
    rows = {name: int(counts[name]) for name in objects}
    config = tap_config(box, max_concurrent_requests=concurrency)
    result = run_mode(box, config, catalog, workdir)
    run = result["run"]
    messages = {"RECORD": result["records"]}
    functions = result["functions"]
    calls = sum(functions.values())
    queries = functions.get("query", 0)
    fields = {
        e["table_name"]: [n for n in e["schema"]["properties"] if not n.startswith("_sdc_")]
        for e in catalog["streams"]
    }
    ideal = ideal_sync(box, {o: (rows[o], fields[o]) for o in objects}, concurrency)
    total_rows = sum(rows.values())
    minimum = sum(math.ceil(n / 2000) for n in rows.values())
    budget = 1.05 * minimum + len(objects)
    latency_s = box.options["--latency-ms"] / 1000
    limit_wall = calls * latency_s / concurrency
    return {
        "streams": len(objects),
        "rows": total_rows,
        "records_emitted": messages["RECORD"],
        "all_rows_emitted": messages["RECORD"] >= total_rows,
        "wall_s": round(run.wall_s, 2),
        "api_calls": calls,
        "calls_by_function": functions,
        "query_calls": queries,
        "min_calls_sum_ceil_rows_over_2000": minimum,
        "ratio_calls_to_min": round(calls / minimum, 3),
        "calls_budget_1.05min_plus_streams": round(budget, 1),
        "within_call_budget": calls <= budget,
        "limit_wall_s_calls_x_latency_over_concurrency": round(limit_wall, 2),
        "ratio_wall_to_limit": round(run.wall_s / limit_wall, 3),
        "ratio_wall_to_min_calls_limit": round(run.wall_s / (minimum * latency_s / concurrency), 3),
        "measured_limit_ideal_client": ideal,
        "ratio_wall_to_measured_limit": round(run.wall_s / float(ideal["wall_s"]), 3),
        "tap_cpu_s": round(run.cpu_s, 2),
        "peak_rss_mb": round(run.peak_rss_mb, 1),
    }


def rest_config(box: Any, concurrency: int) -> dict[str, Any]:
    """REST mode settings: the OAuth client, no XML sender; the API's largest pages."""
    config = tap_config(
        box,
        api="rest",
        rest_api_url=f"{box.base_url}/ia/api/v1",
        max_concurrent_requests=concurrency,
        **REST_CLIENT,
    )
    config.pop("page_size", None)
    for xml_only in ("sender_id", "sender_password", "user_password"):
        config.pop(xml_only, None)
    return config


def run_mode(
    box: Any, config: dict[str, Any], catalog: dict[str, Any], workdir: Path
) -> dict[str, Any]:
    """One sync; its wall, CPU, records and the calls the sandbox counted, by function."""
    config_path = write_json(workdir / "config.json", config)
    catalog_path = write_json(workdir / "catalog.json", catalog)
    out_path = workdir / "out.jsonl"
    before = box.stats()
    with out_path.open("wb") as out:
        run = run_child(
            [TAP, "--config", str(config_path), "--catalog", str(catalog_path)], stdout=out
        )
    after = box.stats()
    if run.returncode != 0:
        raise SystemExit(f"tap failed: {run.stderr_tail}")
    messages = count_messages(out_path)
    out_path.unlink()
    functions = {
        name: after["functions"].get(name, 0) - before["functions"].get(name, 0)
        for name in after["functions"]
        if after["functions"].get(name, 0) != before["functions"].get(name, 0)
    }
    return {"run": run, "records": messages["RECORD"], "functions": functions}


def _fields(catalog: dict[str, Any]) -> list[str]:
    """The selected fields of a one-stream catalog, as the tap asks for them."""
    properties = catalog["streams"][0]["schema"]["properties"]
    return [name for name in properties if not name.startswith("_sdc_")]


def rest_versus_xml(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    """The same rows over XML and REST, same sandbox settings; ratios to each limit."""
    xml_object, rest_object = next(iter(SAME_DATA.items()))
    latency_s = args.latency_ms / 1000
    concurrency = args.max_concurrent
    found = workdir / "rest-discovery"
    found.mkdir()
    small = sandbox_at(1, found)
    try:
        xml_catalog = select_streams(
            discover_catalog(tap_config(small, objects=[xml_object]), found), [xml_object.lower()]
        )
        rest_stream = rest_object.replace("/", "_").replace("-", "_")
        rest_catalog = select_streams(
            discover_catalog({**rest_config(small, concurrency), "objects": [rest_object]}, found),
            [rest_stream],
        )
    finally:
        small.stop()
    out: dict[str, Any] = {"xml_object": xml_object, "rest_object": rest_object}
    for mode in ("xml", "rest"):
        rundir = workdir / f"same-data-{mode}"
        rundir.mkdir()
        box = sandbox_at(
            args.rest_scale, rundir, latency_ms=args.latency_ms, max_concurrent=concurrency
        )
        try:
            rows = int(box.stats()["records"][xml_object])
            if mode == "xml":
                config = tap_config(box, max_concurrent_requests=concurrency)
                result = run_mode(box, config, xml_catalog, rundir)
                queries = result["functions"].get("query", 0)
                page = 2000
            else:
                result = run_mode(box, rest_config(box, concurrency), rest_catalog, rundir)
                queries = result["functions"].get("rest:query", 0)
                page = REST_PAGE
            if mode == "xml":
                fields = _fields(xml_catalog)
                ideal = ideal_sync(box, {xml_object: (rows, fields)}, concurrency)
            else:
                ideal = ideal_rest_sync(box, rest_object, rows, _fields(rest_catalog), concurrency)
        finally:
            box.stop()
        run = result["run"]
        calls = sum(result["functions"].values())
        minimum = math.ceil(rows / page)
        limit_wall = calls * latency_s / concurrency
        out[mode] = {
            "rows": rows,
            "records_emitted": result["records"],
            "all_rows_emitted": result["records"] >= rows,
            "wall_s": round(run.wall_s, 2),
            "api_calls": calls,
            "calls_by_function": result["functions"],
            "query_calls": queries,
            f"min_query_calls_ceil_rows_over_{page}": minimum,
            "query_calls_budget_1.05min": round(1.05 * minimum, 2),
            "within_query_call_budget": queries <= 1.05 * minimum + 1e-9,
            "limit_wall_s_calls_x_latency_over_concurrency": round(limit_wall, 2),
            "ratio_wall_to_limit": round(run.wall_s / limit_wall, 3),
            "measured_limit_ideal_client": ideal,
            "ratio_wall_to_measured_limit": round(run.wall_s / float(ideal["wall_s"]), 3),
            "tap_cpu_s": round(run.cpu_s, 2),
            "peak_rss_mb": round(run.peak_rss_mb, 1),
        }
    out["rest_over_xml"] = {
        "api_calls": round(out["rest"]["api_calls"] / out["xml"]["api_calls"], 3),
        "query_calls": round(out["rest"]["query_calls"] / out["xml"]["query_calls"], 3),
        "wall": round(out["rest"]["wall_s"] / out["xml"]["wall_s"], 3),
    }
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=19, help="19 -> 101,764 GLDETAIL rows")
    parser.add_argument("--latency-ms", type=int, default=1000)
    parser.add_argument("--max-concurrent", type=int, default=2)
    parser.add_argument("--skip-spread", action="store_true")
    parser.add_argument("--rest-scale", type=int, default=100, help="100 -> 159,998 lines")
    parser.add_argument("--skip-rest", action="store_true")
    parser.add_argument("--only-rest", action="store_true")
    args = parser.parse_args()
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="bench-tap-latency-") as tmp:
        workdir = Path(tmp)
        (workdir / "discovery").mkdir()
        scenarios: dict[str, list[str]] = (
            {}
            if args.only_rest
            else {"one_stream": SINGLE}
            if args.skip_spread
            else {"one_stream": SINGLE, "spread": SPREAD}
        )
        catalogs = {name: catalog_for(objects, workdir) for name, objects in scenarios.items()}
        for name, objects in scenarios.items():
            rundir = workdir / name
            rundir.mkdir()
            box = sandbox_at(
                args.scale,
                rundir,
                latency_ms=args.latency_ms,
                max_concurrent=args.max_concurrent,
            )
            try:
                results[name] = sync(box, catalogs[name], objects, rundir, args.max_concurrent)
            finally:
                box.stop()
        if not args.skip_rest:
            results["rest_versus_xml"] = rest_versus_xml(args, workdir)
    emit(
        {
            "benchmark": "tap_latency",
            "scale": args.scale,
            "latency_ms": args.latency_ms,
            "max_concurrent": args.max_concurrent,
            **results,
            "targets": {
                "ratio_calls": "<= 1.05 + streams/min",
                "ratio_wall_to_limit": 1.3,
                "rest_query_calls": "<= 1.05 x ceil(rows/4000)",
                "rest_ratio_wall_to_limit": 1.2,
            },
        }
    )


if __name__ == "__main__":
    main()
