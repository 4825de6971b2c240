"""Unit tests: secrets never reach log lines or exception messages."""

from __future__ import annotations

import logging

import pytest
from intacct_client import ClientConfig, IntacctClient, IntacctControlError, redact
from intacct_client.errors import ErrorDetail
from intacct_client.redaction import get_logger, register_secret


def test_password_and_sessionid_elements_are_masked() -> None:
    text = (
        "<control><senderid>s</senderid><password>unregistered-pw-1</password></control>"
        "<login><userid>u</userid><password type='x'>user &amp; pw</password></login>"
        "<authentication><sessionid>SESSION-XYZ..</sessionid></authentication>"
    )
    masked = redact(text)
    assert "unregistered-pw-1" not in masked
    assert "user &amp; pw" not in masked
    assert "SESSION-XYZ.." not in masked
    assert "<senderid>s</senderid>" in masked
    assert masked.count("***") == 3


def test_registered_secrets_are_masked_anywhere() -> None:
    register_secret("s3cr3t-value-42")
    assert redact("error near s3cr3t-value-42 in body") == "error near *** in body"
    assert redact("x=s3cr3t-value-42&y=s3cr3t-value-42") == "x=***&y=***"


def test_client_registers_config_passwords_and_repr_hides_them() -> None:
    config = ClientConfig(
        company_id="C",
        sender_id="S",
        sender_password="sender-pw-for-repr",
        user_id="U",
        user_password="user-pw-for-repr",
    )
    assert "sender-pw-for-repr" not in repr(config)
    assert "user-pw-for-repr" not in repr(config)
    IntacctClient(config).close()
    assert "user-pw-for-repr" not in redact("plain user-pw-for-repr")


def test_logging_filter_redacts_messages_and_args(caplog: pytest.LogCaptureFixture) -> None:
    register_secret("filter-secret-77")
    logger = get_logger("intacct_client.test")
    with caplog.at_level(logging.DEBUG, logger="intacct_client"):
        logger.debug("body: %s", "<password>pw-in-arg</password> and filter-secret-77")
        logger.warning("plain filter-secret-77")
    text = caplog.text
    assert "pw-in-arg" not in text
    assert "filter-secret-77" not in text
    assert text.count("***") == 3


def test_exception_messages_are_redacted() -> None:
    register_secret("exc-secret-99")
    error = IntacctControlError(errors=[ErrorDetail("XL03000006", "", "bad exc-secret-99", "")])
    assert "exc-secret-99" not in str(error)


def test_config_from_mapping_defaults_and_validation() -> None:
    base = {
        "company_id": "C",
        "sender_id": "S",
        "sender_password": "p",
        "user_id": "U",
        "user_password": "q",
    }
    config = ClientConfig.from_mapping(
        {
            **base,
            "entity_id": "",
            "timezone": None,
            "calls_per_second": 0,
            "max_retries": "2",
            "request_timeout": "12.5",
            "start_date": "2024-01-01",
        }
    )
    assert config.entity_id is None
    assert config.timezone is None
    assert config.calls_per_second is None
    assert config.max_retries == 2
    assert config.request_timeout == 12.5
    assert config.api_url == "https://api.intacct.com/ia/xml/xmlgw.phtml"
    with pytest.raises(ValueError, match="unknown time zone"):
        ClientConfig.from_mapping({**base, "timezone": "Mars/Olympus"})
    with pytest.raises(ValueError, match="max_concurrent_requests"):
        ClientConfig.from_mapping({**base, "max_concurrent_requests": 0})


def test_xml_escaped_forms_of_secrets_are_masked() -> None:
    register_secret("p&ss<word>'42")
    text = "raw p&ss<word>'42 escaped p&amp;ss&lt;word&gt;'42 apos p&amp;ss&lt;word&gt;&#039;42"
    assert redact(text) == "raw *** escaped *** apos ***"
