"""REST mode discovery against a real sandbox's model service.

Every REST object the sandbox lists becomes a stream with key `key`, replication key
`audit.modifiedDateTime`, the model's fields flattened to dotted names, and money typed
exactly as the XML stream of the same catalog object types it, whether the model writes
amounts as decimal strings or (variant `rest_decimals=number`) as JSON numbers.
"""

from __future__ import annotations

import logging
from typing import Any

import pytest
from intacct_client import ClientConfig, IntacctClient
from intacct_sandbox.rest.objects import REST_OBJECTS
from rest_http import RestHttp
from tap_intacct.errors import ActionableError
from tap_intacct.rest_discovery import (
    build_rest_spec,
    discover_rest_specs,
    model_fields,
    stream_name_for,
)
from tap_intacct.schema import DELETED_AT, StreamSpec, build_spec

LOG = logging.getLogger("test-rest-discovery")


def test_stream_names_replace_slashes_and_dashes() -> None:
    assert stream_name_for("accounts-payable/vendor") == "accounts_payable_vendor"
    assert stream_name_for("general-ledger/journal-entry-line") == (
        "general_ledger_journal_entry_line"
    )
    assert stream_name_for("/projects/project/") == "projects_project"


def _xml_specs(box: Any) -> dict[str, StreamSpec]:
    with IntacctClient(ClientConfig.from_mapping(box.config())) as client:
        out = {}
        for rest in REST_OBJECTS.values():
            definition = client.lookup(rest.catalog_name)
            fields = [(item.id, item.datatype) for item in definition.fields]
            out[rest.name] = build_spec(rest.catalog_name, fields)
        return out


def _check_specs(box: Any, money_type_in_model: str) -> None:
    source = RestHttp(box.base_url)
    specs = discover_rest_specs(source, {}, LOG)
    listed = source.list_rest_objects()
    assert sorted(listed) == sorted(REST_OBJECTS)
    assert [spec.object_name for spec in specs] == sorted(listed, key=stream_name_for)
    xml = _xml_specs(box)
    money_seen = 0
    for spec in specs:
        model = source.model(spec.object_name)
        props = spec.schema["properties"]
        assert spec.stream_name == stream_name_for(spec.object_name)
        assert spec.key_properties == ("key",)
        assert props["key"] == {"type": ["integer", "null"]}
        assert spec.replication_key == "audit.modifiedDateTime"
        assert props["audit.modifiedDateTime"]["format"] == "date-time"
        assert props[DELETED_AT]["format"] == "date-time"
        assert "lines" not in props
        assert not any(name.startswith("lines.") for name in props)
        flat = dict(model_fields(model))
        assert set(spec.query_fields) == set(flat)
        assert set(props) == set(flat) | {DELETED_AT}
        assert all(not isinstance(value, dict) or "fields" not in value for value in flat.values())
        rest = REST_OBJECTS[spec.object_name]
        xml_props = xml[spec.object_name].schema["properties"]
        for path, fdef in rest.paths.items():
            assert path in props, (spec.object_name, path)
            if fdef.datatype in {"CURRENCY", "DECIMAL", "PERCENT"}:
                money_seen += 1
                assert flat[path]["type"] == money_type_in_model, (spec.object_name, path)
                assert props[path] == xml_props[fdef.id] == {"type": ["number", "null"]}
            if fdef.datatype in {"DATE", "TIMESTAMP", "BOOLEAN"}:
                assert props[path] == xml_props[fdef.id], (spec.object_name, path)
    assert money_seen >= 20
    by_name = {spec.object_name: spec for spec in specs}
    vendor = by_name["accounts-payable/vendor"].schema["properties"]
    assert vendor["contacts.default.mailingAddress.city"] == {"type": ["string", "null"]}
    assert vendor["isOnHold"] == {"type": ["boolean", "null"]}
    assert vendor["entity.key"] == {"type": ["integer", "null"]}
    bill = by_name["accounts-payable/bill"].schema["properties"]
    assert bill["vendor.id"] == {"type": ["string", "null"]}
    assert bill["dueDate"] == {"type": ["string", "null"], "format": "date"}
    line = by_name["general-ledger/journal-entry-line"].schema["properties"]
    assert line["txnType"] == {"type": ["string", "null"]}  # an enum of words
    assert line["journalEntry.key"] == {"type": ["integer", "null"]}
    assert line["lineNumber"] == {"type": ["integer", "null"]}


def test_every_listed_object_becomes_a_typed_flat_spec(sandbox: Any) -> None:
    _check_specs(sandbox, "string")


def test_money_typed_the_same_when_the_model_says_number(sandbox_factory: Any) -> None:
    box = sandbox_factory(seed="demo", variants={"rest_decimals": "number"})
    assert box.variants()["rest_decimals"] == "number"
    _check_specs(box, "number")


def test_objects_settings_take_rest_names_and_globs(sandbox: Any) -> None:
    source = RestHttp(sandbox.base_url)
    config = {
        "objects": ["accounts-payable/*", "company-config/class"],
        "exclude_objects": ["*-line"],
    }
    specs = discover_rest_specs(source, config, LOG)
    assert [spec.stream_name for spec in specs] == [
        "accounts_payable_bill",
        "accounts_payable_vendor",
        "company_config_class",
    ]
    assert sorted(name for name in source.model_calls if name) == [
        "accounts-payable/bill",
        "accounts-payable/vendor",
        "company-config/class",
    ]


def test_an_unknown_explicit_object_is_a_settings_error(sandbox: Any) -> None:
    source = RestHttp(sandbox.base_url)
    with pytest.raises(ActionableError, match="accounts-payable/vendors"):
        discover_rest_specs(source, {"objects": ["accounts-payable/vendors"]}, LOG)
    assert source.model_calls == []


def test_a_model_without_audit_stamp_is_full_table() -> None:
    model = {
        "apiObject": "company-config/thing",
        "fields": {
            "key": {"type": "string"},
            "rate": {"type": "number"},
            "tags": {"type": "array"},
        },
        "groups": {
            "audit": {"fields": {"createdDateTime": {"type": "string", "format": "date-time"}}}
        },
        "lists": {"lines": {"apiObject": "company-config/thing-line"}},
    }
    spec = build_rest_spec(model)
    assert spec.replication_key is None
    assert spec.key_properties == ("key",)
    assert spec.query_fields == ("key", "rate", "audit.createdDateTime")
    assert DELETED_AT not in spec.schema["properties"]
    assert spec.schema["properties"]["rate"] == {"type": ["number", "null"]}
