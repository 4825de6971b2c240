"""The fastjsonschema pre-check must never pass a record the jsonschema validator refuses.

`schema_problems` asks the compiled quick check first and only asks jsonschema (which
explains each violation) when the quick check fails. These tests take every record of
the packaged sample file plus mutations of each of them (wrong types, unknown fields,
missing required fields, over-long text, empty lists, values outside enums, floats,
Decimals, booleans where numbers go) and compare the two verdicts record by record.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import fastjsonschema
import pytest
from target_intacct.schemas import (
    UNIFIED_STREAMS,
    load_schema,
    quick_check_for,
    schema_problems,
    validator_for,
)

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "unified.singer"


def sample_records() -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {stream: [] for stream in UNIFIED_STREAMS}
    for line in SAMPLES.read_text().splitlines():
        message = json.loads(line, parse_float=Decimal)
        if message.get("type") == "RECORD" and message["stream"] in out:
            out[message["stream"]].append(message["record"])
    return out


def mutations(schema: dict[str, Any], record: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The record with one thing changed per yield, at the top level and in list items."""
    yield record
    yield {**record, "notAField": "x"}
    for name in schema.get("required", []):
        yield {key: value for key, value in record.items() if key != name}
    for name, prop in schema.get("properties", {}).items():
        for value in (None, 1, Decimal("1.5"), 1.5, True, "", "x" * 5000, [], {}, "ZZZ"):
            yield {**record, name: value}
        if prop.get("type") == "array" or "array" in prop.get("type", []):
            items = record.get(name) or []
            if items and isinstance(items[0], dict):
                for child in mutations(prop.get("items", {}), items[0]):
                    changed = copy.deepcopy(record)
                    changed[name][0] = child
                    yield changed


def verdicts(stream: str, record: dict[str, Any]) -> tuple[bool, bool]:
    try:
        quick_check_for(stream)(record)
        quick = True
    except fastjsonschema.JsonSchemaException:
        quick = False
    thorough = not list(validator_for(stream).iter_errors(record))
    return quick, thorough


@pytest.mark.parametrize("stream", UNIFIED_STREAMS)
def test_quick_check_never_passes_what_jsonschema_refuses(stream: str) -> None:
    records = sample_records()[stream]
    assert records, f"samples/unified.singer has no {stream} record"
    schema = load_schema(stream)
    checked = refused = disagreements = 0
    for record in records:
        for candidate in mutations(schema, record):
            quick, thorough = verdicts(stream, candidate)
            assert not (quick and not thorough), candidate
            disagreements += quick != thorough
            refused += not thorough
            checked += 1
    assert checked > 100
    assert refused > 20
    # the two agree in practice; a stricter quick check would only cost speed
    assert disagreements == 0


def test_problems_of_a_refused_record_still_come_from_jsonschema() -> None:
    record = sample_records()["Bills"][0]
    problems = list(schema_problems("Bills", {**record, "memo": "oops"}))
    assert problems
    assert problems[0][0] == "memo"
    assert "unknown field" in problems[0][2]
    assert list(schema_problems("Bills", record)) == []
