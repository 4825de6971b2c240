"""Print the unified schemas as Markdown tables (pasted into samples/README.md).

.venv/bin/python target-intacct/scripts/schema_tables.py
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from target_intacct.schemas import UNIFIED_STREAMS, load_schema


def type_text(prop: dict[str, Any]) -> str:
    kinds = prop.get("type")
    text = " or ".join(k for k in kinds if k != "null") if isinstance(kinds, list) else str(kinds)
    if "enum" in prop:
        text += ": " + ", ".join(repr(v) for v in prop["enum"] if v is not None)
    if prop.get("format") == "date":
        text += " (YYYY-MM-DD)"
    if "maxLength" in prop:
        text += f", max {prop['maxLength']}"
    return text


def rows(schema: dict[str, Any], prefix: str = "") -> Iterator[str]:
    required = set(schema.get("required", []))
    for name, prop in schema["properties"].items():
        need = "yes" if name in required else ""
        yield f"| `{prefix}{name}` | {type_text(prop)} | {need} | {prop.get('description', '')} |"
        kinds = prop.get("type")
        kinds = kinds if isinstance(kinds, list) else [kinds]
        if "array" in kinds:
            yield from rows(prop["items"], f"{prefix}{name}[].")
        elif "object" in kinds:
            yield from rows(prop, f"{prefix}{name}.")


def main() -> None:
    for stream in UNIFIED_STREAMS:
        schema = load_schema(stream)
        print(f"## {stream}\n\n{schema['description']}\n")
        print("| Field | Type | Required | Meaning |\n|---|---|---|---|")
        print("\n".join(rows(schema)))
        print()


if __name__ == "__main__":
    main()
