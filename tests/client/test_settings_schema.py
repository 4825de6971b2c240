"""Connection settings are declared once (ClientConfig) and reach both plugins unchanged."""

from __future__ import annotations

import dataclasses
import re

import pytest
from intacct_client import (
    ClientConfig,
    IntacctClient,
    IntacctConfigurationError,
    IntacctRestClient,
)
from intacct_client.settings_schema import connection_settings_schema, merged_settings_schema
from jsonschema import Draft202012Validator
from tap_intacct.tap import TapIntacct
from target_intacct.target import TargetIntacct

REST_ONLY = ["client_id", "client_secret", "rest_api_url"]
REQUIRED = re.compile(r"'(\w+)' is a required property")


def test_every_client_field_is_a_documented_setting() -> None:
    schema = connection_settings_schema()
    names = [spec.name for spec in dataclasses.fields(ClientConfig)]
    assert list(schema["properties"]) == [name for name in names if name not in REST_ONLY]
    assert schema["required"] == [
        "company_id",
        "sender_id",
        "sender_password",
        "user_id",
        "user_password",
    ]
    for name, prop in schema["properties"].items():
        assert len(prop["description"]) > 15, name
    assert schema["properties"]["sender_password"]["secret"] is True
    assert schema["properties"]["user_password"]["writeOnly"] is True
    assert schema["properties"]["request_timeout"] == {
        "type": ["number", "null"],
        "default": 300,
        "description": "Seconds to wait for one HTTP request before retrying it.",
    }
    assert schema["properties"]["calls_per_second"]["type"] == ["number", "null"]
    assert "default" not in schema["properties"]["calls_per_second"]


def test_the_rest_schema_adds_the_rest_settings() -> None:
    schema = connection_settings_schema(rest=True)
    names = [spec.name for spec in dataclasses.fields(ClientConfig)]
    assert list(schema["properties"]) == names
    assert schema["required"] == connection_settings_schema()["required"]
    relaxed = connection_settings_schema(rest=True, xml=False)
    assert relaxed["required"] == ["company_id", "user_id"]
    props = relaxed["properties"]
    assert props["client_secret"]["secret"] is True
    assert props["client_secret"]["writeOnly"] is True
    assert "secret" not in props["client_id"]
    assert props["rest_api_url"]["default"] == "https://api.intacct.com/ia/api/v1"
    for name in ("sender_id", "sender_password", "user_password"):
        assert props[name]["type"] == ["string", "null"], name
        assert "default" not in props[name], name


@pytest.mark.parametrize(
    ("plugin", "rest", "xml"), [(TapIntacct, True, False), (TargetIntacct, False, True)]
)
def test_tap_and_target_share_the_connection_settings(plugin: type, rest: bool, xml: bool) -> None:
    connection = connection_settings_schema(rest=rest, xml=xml)["properties"]
    declared = plugin.config_jsonschema["properties"]
    for name, prop in connection.items():
        assert declared[name] == prop, f"{plugin.__name__}.{name} differs from ClientConfig"
    assert set(connection["company_id"]) <= set(declared["company_id"])
    for name in REST_ONLY:
        assert (name in declared) is rest, f"{plugin.__name__}.{name}"


@pytest.mark.parametrize(
    ("settings", "missing"),
    [
        ({}, {"sender_id", "sender_password", "user_password"}),
        ({"api": "xml", "client_id": "c", "client_secret": "s"}, {"sender_id"}),
        ({"api": "rest"}, {"client_id", "client_secret"}),
        ({"api": "rest", "client_id": "c", "client_secret": "s"}, set()),
        ({"sender_id": "s", "sender_password": "p", "user_password": "u"}, set()),
    ],
)
def test_the_tap_requires_the_credentials_of_its_api(
    settings: dict[str, str], missing: set[str]
) -> None:
    validator = Draft202012Validator(TapIntacct.config_jsonschema)
    config = {"company_id": "C", "user_id": "U", **settings}
    named = {
        name for error in validator.iter_errors(config) for name in REQUIRED.findall(error.message)
    }
    assert missing <= named
    assert not named - {
        "sender_id",
        "sender_password",
        "user_password",
        "client_id",
        "client_secret",
    }
    assert (not named) == (not missing)


def test_the_target_requires_the_xml_credentials() -> None:
    required = TargetIntacct.config_jsonschema["required"]
    for name in ("company_id", "sender_id", "sender_password", "user_id", "user_password"):
        assert name in required


def test_a_plugin_may_not_redeclare_a_connection_setting() -> None:
    own = {"type": "object", "properties": {"api_url": {"type": ["string"]}}}
    with pytest.raises(ValueError, match="api_url"):
        merged_settings_schema(own)


def test_settings_build_a_client_config() -> None:
    config = ClientConfig.from_mapping(
        {
            "company_id": "C",
            "sender_id": "S",
            "sender_password": "sender-secret-1",
            "user_id": "U",
            "user_password": "user-secret-2",
            "request_timeout": "12",
            "calls_per_second": 0,
            "backoff_max": 3,
        }
    )
    assert config.request_timeout == 12.0
    assert config.calls_per_second is None
    assert config.backoff_max == 3.0
    assert "sender-secret-1" not in repr(config)
    assert "user-secret-2" not in repr(config)


def test_a_rest_only_config_builds_and_keeps_its_secret_out_of_repr() -> None:
    config = ClientConfig.from_mapping(
        {
            "company_id": "C",
            "user_id": "U",
            "client_id": "cid",
            "client_secret": "rest-secret-3",
        }
    )
    assert config.missing_xml_settings() == ["sender_id", "sender_password", "user_password"]
    assert config.missing_rest_settings() == []
    assert "rest-secret-3" not in repr(config)
    assert config.secrets() == ("rest-secret-3",)
    with pytest.raises(IntacctConfigurationError, match="sender_id, sender_password"):
        IntacctClient(config)
    with pytest.raises(IntacctConfigurationError, match="client_id, client_secret"):
        IntacctRestClient(ClientConfig.from_mapping({"company_id": "C", "user_id": "U"}))
