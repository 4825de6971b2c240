"""Regenerate the stream and field tables of docs/rest-migration.md.

The tables come from the code that decides them: stream specs from
`tap_intacct.rest_discovery` (REST) and `tap_intacct.schema` (XML), and the REST path ->
catalog field map of the sandbox (`intacct_sandbox.rest.objects`), which follows Sage's
REST object schemas (docs/protocol-rest.md §3). `python scripts/rest_migration_tables.py`
rewrites the block between the markers; `--check` exits 1 when the doc is out of date
(a test runs that).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from intacct_sandbox.rest.model import describe
from intacct_sandbox.rest.objects import REST_OBJECTS, RestObject
from tap_intacct.rest_discovery import build_rest_spec
from tap_intacct.schema import DELETED_AT, StreamSpec, build_spec

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "rest-migration.md"
BEGIN, END = "<!-- REST-TABLES:BEGIN -->", "<!-- REST-TABLES:END -->"


def type_name(prop: dict[str, Any]) -> str:
    """A JSON-schema property as one short word for the tables."""
    types = prop.get("type", [])
    kinds = [types] if isinstance(types, str) else [kind for kind in types if kind != "null"]
    kind = kinds[0] if kinds else "string"
    if kind == "number":
        return "decimal"
    fmt = prop.get("format")
    return fmt if kind == "string" and fmt in {"date", "date-time"} else kind


def specs(rest: RestObject) -> tuple[StreamSpec, StreamSpec]:
    """The REST stream and the XML stream of one REST object's catalog object."""
    catalog = rest.catalog
    xml = build_spec(catalog.name, [(item.id, item.datatype) for item in catalog.fields])
    return build_rest_spec(describe(rest)), xml


def streams_table() -> list[str]:
    lines = [
        "| REST object | REST stream | XML stream | Key | Replication key | Lines in |",
        "|---|---|---|---|---|---|",
    ]
    for name in sorted(REST_OBJECTS):
        rest = REST_OBJECTS[name]
        mine, xml = specs(rest)
        key = f"`{mine.key_properties[0]}` <- `{xml.key_properties[0]}`"
        replication = f"`{mine.replication_key}` <- `{xml.replication_key}`"
        lines_in = f"`{rest.lines}`" if rest.lines else ""
        lines.append(
            f"| `{name}` | `{mine.stream_name}` | `{xml.stream_name}` | {key} | {replication} "
            f"| {lines_in} |"
        )
    return lines


def field_table(rest: RestObject) -> list[str]:
    mine, xml = specs(rest)
    rest_props = mine.schema["properties"]
    xml_props = xml.schema["properties"]
    lines = [
        f"#### `{mine.stream_name}` <- `{xml.stream_name}`",
        "",
        "| REST property | Type | XML field | XML type | Note |",
        "|---|---|---|---|---|",
    ]
    for path in mine.query_fields:
        fdef = rest.paths.get(path)
        rest_type = type_name(rest_props[path])
        if fdef is None:
            lines.append(f"| `{path}` | {rest_type} | | | no XML counterpart |")
            continue
        xml_type = type_name(xml_props[fdef.id])
        notes = []
        if path in rest.codes:
            pairs = ", ".join(f"`{word}` = `{code}`" for word, code in rest.codes[path].items())
            notes.append(f"words for codes: {pairs}")
        elif rest_type != xml_type:
            notes.append(f"{rest_type} in REST, {xml_type} in XML")
        lines.append(f"| `{path}` | {rest_type} | `{fdef.id}` | {xml_type} | {'; '.join(notes)} |")
    if DELETED_AT in rest_props:
        lines.append(f"| `{DELETED_AT}` | date-time | `{DELETED_AT}` | date-time | |")
    mapped = {fdef.id for fdef in rest.paths.values()}
    xml_only = [item.id for item in rest.catalog.fields if item.id not in mapped]
    lines += ["", f"XML fields with no REST property in this map ({len(xml_only)}): "]
    lines[-1] += ", ".join(f"`{name}`" for name in xml_only) + "." if xml_only else "none."
    return lines


def conform(name: str) -> str:
    """A column name as the Singer SDK's SQL sink writes it (`SQLSink.conform_name`)."""
    kept = re.sub(r"[^a-zA-Z0-9_\-\.\s]", "", name)
    return kept.lower().strip().replace(".", "_").replace("-", "_").replace(" ", "_")


def view_sql(rest: RestObject) -> list[str]:
    """A view over the REST table with the XML stream's table and column names."""
    mine, xml = specs(rest)
    rest_props, xml_props = mine.schema["properties"], xml.schema["properties"]
    columns: list[str] = []
    seen: set[str] = set()
    for path in mine.query_fields:
        fdef = rest.paths.get(path)
        if fdef is None or fdef.id in seen:
            continue
        seen.add(fdef.id)
        source = conform(path)
        if path in rest.codes:
            cases = " ".join(
                f"WHEN '{word}' THEN {code}" for word, code in rest.codes[path].items()
            )
            source = f"CASE {source} {cases} END"
        elif type_name(rest_props[path]) == "string" and type_name(xml_props[fdef.id]) == "integer":
            source = f"CAST({source} AS bigint)"
        columns.append(f"{source} AS {conform(fdef.id)}")
    if DELETED_AT in rest_props:
        columns.append(DELETED_AT)
    body = ",\n".join(f"  {column}" for column in columns)
    return [
        "```sql",
        f"CREATE VIEW {xml.stream_name} AS SELECT",
        body,
        f"FROM {conform(mine.stream_name)};",
        "```",
    ]


def tables_block() -> str:
    parts = [
        BEGIN,
        "<!-- Generated by scripts/rest_migration_tables.py; a test keeps it in sync. -->",
        "",
        "### Compatibility view",
        "",
        *view_sql(REST_OBJECTS["accounts-payable/vendor"]),
        "",
        "### Streams",
        "",
        *streams_table(),
        "",
        "### Fields",
        "",
    ]
    for name in sorted(REST_OBJECTS):
        parts += [*field_table(REST_OBJECTS[name]), ""]
    parts.append(END)
    return "\n".join(parts)


def render(doc: str) -> str:
    head, rest = doc.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    return head + tables_block() + tail


def main(argv: list[str]) -> int:
    current = DOC.read_text(encoding="utf-8")
    wanted = render(current)
    if "--check" in argv:
        if wanted != current:
            print(f"{DOC.relative_to(ROOT)} is out of date: run scripts/rest_migration_tables.py")
            return 1
        return 0
    DOC.write_text(wanted, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
