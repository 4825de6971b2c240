"""The connection settings as JSON Schema, built from `ClientConfig`'s fields.

The tap and the target both put these first in their `config_jsonschema`, so a
connection setting is declared, typed, defaulted and described once, in `config.py`.
The output has the keys singer-sdk's `typing.Property` writes (`secret` and `writeOnly`
for passwords), so `--about` and Meltano treat the settings as before.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from intacct_client.config import ClientConfig

_JSON_TYPES: dict[str, str] = {
    "str": "string",
    "int": "integer",
    "float": "number",
    "bool": "boolean",
}


def _json_type(annotation: str, *, required: bool) -> list[str]:
    """`"float | None"` -> `["number", "null"]`; a required `"str"` -> `["string"]`.

    Like singer-sdk's own properties, every optional setting also accepts null (an empty
    Meltano setting), whatever the dataclass field's type.
    """
    parts = [part.strip() for part in annotation.split("|")]
    types = [_JSON_TYPES[part] for part in parts if part != "None"]
    if len(types) != 1:
        raise TypeError(f"no JSON type for a setting annotated {annotation!r}")
    return types if required else [types[0], "null"]


def _plain(value: Any) -> Any:
    """300.0 -> 300, so generated docs show defaults as people write them."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def connection_settings_schema(*, rest: bool = False, xml: bool = True) -> dict[str, Any]:
    """JSON Schema (an object) of the ClientConfig fields, with their descriptions.

    Args:
        rest: Include the REST API settings (``transport="rest"``).
        xml: The plugin reads through the XML gateway, so the gateway's credentials
            (``xml_required``) are required settings; a plugin that can work through
            the REST API alone passes False and leaves them optional.
    """
    properties: dict[str, Any] = {}
    required: list[str] = []
    for spec in dataclasses.fields(ClientConfig):
        if spec.metadata.get("transport") == "rest" and not rest:
            continue
        is_required = spec.default is dataclasses.MISSING or (
            bool(spec.metadata.get("xml_required")) and xml
        )
        prop: dict[str, Any] = {"type": _json_type(str(spec.type), required=is_required)}
        if spec.default not in (None, "", dataclasses.MISSING) and not is_required:
            prop["default"] = _plain(spec.default)
        prop["description"] = spec.metadata["description"]
        if spec.metadata.get("secret"):
            prop.update(secret=True, writeOnly=True)
        if is_required:
            required.append(spec.name)
        properties[spec.name] = prop
    return {"type": "object", "properties": properties, "required": required}


def merged_settings_schema(
    own: dict[str, Any], *, rest: bool = False, xml: bool = True
) -> dict[str, Any]:
    """The connection settings (see `connection_settings_schema`), then a plugin's own."""
    schema = connection_settings_schema(rest=rest, xml=xml)
    clash = set(schema["properties"]) & set(own.get("properties", {}))
    if clash:
        raise ValueError(f"plugin settings redeclare connection settings: {sorted(clash)}")
    schema["properties"].update(own.get("properties", {}))
    schema["required"] = schema["required"] + list(own.get("required", []))
    return schema
