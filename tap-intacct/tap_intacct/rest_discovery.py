"""REST mode discovery: one stream spec per REST object, from the model service.

The model service (`GET /services/core/model?name=<object>`, docs/protocol-rest.md §3.4)
describes an object as `fields` plus nested `groups` and `refs` (references to other
objects) and `lists` (owned line objects). Streams carry the model's fields flattened to
dotted names (`contacts.default.mailingAddress.city`, `vendor.id`), the same convention
as XML fields that are already dotted (`DISPLAYCONTACT.MAILADDRESS.CITY`), so every
property is one warehouse column. Owned `lists` are not embedded: each line object is a
stream of its own, as in XML mode.

Types follow the XML streams (`schema.json_type`) so both modes load the same columns:

* decimals are JSON numbers emitted from `Decimal` (`{"type": ["number", "null"]}`); a
  model field is a decimal when its format starts with `decimal` (REST writes amounts
  as strings, `"100.00"`) or its type is `number` (answers that write amounts as JSON
  numbers, sandbox variant `rest_decimals=number`);
* `key` and every reference key (`vendor.key`, `bill.key`) are integers: REST writes the
  record number as a string holding an integer, XML's RECORDNO is an INTEGER, and the
  key census and warehouse joins need one type in both modes (`rest_casting` checks the
  text round-trips exactly);
* `date` and `date-time` formats keep their format (UTC date-times), booleans and
  integers their type, and fields with an `enum` are strings (their values are words);
* fields typed `array` or `object` (several values in one field) are left out: they have
  no one-column form, and the sandbox's models have none.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Protocol

from tap_intacct.errors import ActionableError
from tap_intacct.schema import DELETED_AT, StreamSpec, deleted_at_property
from tap_intacct.selection import missing_explicit_objects, select_objects

KEY_PROPERTY = "key"
REPLICATION_KEY = "audit.modifiedDateTime"
_NESTED = ("groups", "refs")
# Fields holding several values have no one-column form; they are left out of streams.
_NOT_SCALAR = frozenset({"array", "object"})


class RestModelSource(Protocol):
    """What discovery needs from a REST client: the model service and the object list."""

    def model(self, name: str | None = None) -> dict[str, Any]:
        """The model service's `ia::result` for one object (or the list without name)."""
        ...

    def list_rest_objects(self) -> list[str]:
        """Names of the REST objects the company offers (`accounts-payable/vendor`)."""
        ...


def stream_name_for(object_name: str) -> str:
    """`accounts-payable/vendor` -> `accounts_payable_vendor` (Singer-safe, unique)."""
    return object_name.strip().strip("/").replace("/", "_").replace("-", "_")


def is_key_path(path: str) -> bool:
    """The record number or a reference to one (`vendor.key`): emitted as integers."""
    return path == KEY_PROPERTY or path.endswith("." + KEY_PROPERTY)


def model_fields(
    model: Mapping[str, Any], prefix: str = ""
) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """(dotted path, field description) for every field of a model, groups and refs too.

    Owned `lists` are skipped. A field name that is already dotted is kept as it is.
    """
    for name, description in (model.get("fields") or {}).items():
        if isinstance(description, Mapping):
            yield prefix + name, description
    for nested in _NESTED:
        for name, child in (model.get(nested) or {}).items():
            if isinstance(child, Mapping):
                yield from model_fields(child, f"{prefix}{name}.")


def property_schema(path: str, description: Mapping[str, Any]) -> dict[str, Any]:
    """JSON schema of one model field, typed as the XML streams type the same data."""
    if is_key_path(path):
        return {"type": ["integer", "null"]}
    kind = description.get("type")
    fmt = str(description.get("format") or "")
    if description.get("enum"):
        return {"type": ["string", "null"]}
    if fmt.startswith("decimal") or kind == "number":
        return {"type": ["number", "null"]}
    if kind == "integer":
        return {"type": ["integer", "null"]}
    if kind == "boolean":
        return {"type": ["boolean", "null"]}
    if fmt == "date":
        return {"type": ["string", "null"], "format": "date"}
    if fmt == "date-time":
        return {"type": ["string", "null"], "format": "date-time"}
    return {"type": ["string", "null"]}


def build_rest_spec(model: Mapping[str, Any]) -> StreamSpec:
    """Spec for one REST object from its model (the model service's `ia::result`)."""
    object_name = str(model.get("apiObject") or "")
    if not object_name:
        raise ValueError("REST model without apiObject: cannot name the stream")
    properties = {
        path: property_schema(path, item)
        for path, item in model_fields(model)
        if item.get("type") not in _NOT_SCALAR
    }
    query_fields = tuple(properties)
    replication_key: str | None = None
    if properties.get(REPLICATION_KEY, {}).get("format") == "date-time":
        replication_key = REPLICATION_KEY
        properties[DELETED_AT] = deleted_at_property()
    return StreamSpec(
        object_name=object_name,
        stream_name=stream_name_for(object_name),
        schema={"type": "object", "properties": properties},
        key_properties=(KEY_PROPERTY,) if KEY_PROPERTY in properties else (),
        replication_key=replication_key,
        query_fields=query_fields,
    )


def discover_rest_specs(
    source: RestModelSource,
    config: Mapping[str, Any],
    logger: logging.Logger,
    other_streams: Sequence[str] = (),
) -> list[StreamSpec]:
    """Specs for the selected REST objects, sorted by stream name.

    `objects` / `exclude_objects` name REST objects (`accounts-payable/vendor`, or globs
    such as `accounts-payable/*`), matched as in XML mode. An explicit name the company
    does not offer is a settings error. Errors of the model service propagate: the
    model service describes objects, not permissions, so unlike XML `lookup` a refusal
    there is not a per-object condition to skip.
    """
    names = source.list_rest_objects()
    include = config.get("objects") or None
    exclude = config.get("exclude_objects") or None
    missing = missing_explicit_objects([*names, *other_streams], include)
    if missing:
        raise ActionableError(
            f"REST objects {', '.join(missing)} are not available in company "
            f"'{config.get('company_id', '')}' (not subscribed, or misspelt; REST names "
            "look like accounts-payable/vendor): fix the objects setting."
        )
    chosen = select_objects(names, include, exclude)
    workers = max(1, int(config.get("max_concurrent_requests") or 2))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="intacct-model") as pool:
        models = list(pool.map(source.model, chosen))
    specs: dict[str, StreamSpec] = {}
    for name, model in zip(chosen, models, strict=True):
        spec = build_rest_spec({**model, "apiObject": model.get("apiObject") or name})
        if not spec.query_fields:
            logger.warning("Leaving REST object %s out of the catalog: no fields", name)
            continue
        if spec.stream_name in specs:
            logger.warning(
                "Leaving REST object %s out of the catalog: stream name %s is taken by %s",
                name,
                spec.stream_name,
                specs[spec.stream_name].object_name,
            )
            continue
        specs[spec.stream_name] = spec
    return [specs[key] for key in sorted(specs)]
