"""ClientConfig: the connection settings shared by the tap and the target."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfoNotFoundError

from intacct_client.formatting import date_style, timezone_setting

DEFAULT_API_URL = "https://api.intacct.com/ia/xml/xmlgw.phtml"
_SECRET_FIELDS = ("sender_password", "user_password")


@dataclass(frozen=True)
class ClientConfig:
    """Credentials and client behaviour. ``repr`` never shows the passwords."""

    company_id: str
    sender_id: str
    sender_password: str = field(repr=False)
    user_id: str
    user_password: str = field(repr=False)
    entity_id: str | None = None
    api_url: str = DEFAULT_API_URL
    request_timeout: float = 300.0
    max_retries: int = 5
    max_concurrent_requests: int = 2
    calls_per_second: float | None = None
    timezone: str | None = None
    date_format: str | None = None
    user_agent: str = "intacct-client/0.1"
    # Backoff between retries: full jitter over min(backoff_max, backoff_base * 2**n).
    backoff_base: float = 0.5
    backoff_max: float = 30.0

    def __post_init__(self) -> None:
        if self.max_retries < 0:
            raise ValueError("max_retries must be >= 0")
        if self.max_concurrent_requests < 1:
            raise ValueError("max_concurrent_requests must be >= 1")
        if self.calls_per_second is not None and self.calls_per_second <= 0:
            raise ValueError("calls_per_second must be positive")
        if self.request_timeout <= 0:
            raise ValueError("request_timeout must be positive")
        if self.timezone:
            try:
                timezone_setting(self.timezone)
            except (ZoneInfoNotFoundError, ValueError):
                raise ValueError(
                    f"unknown time zone {self.timezone!r} (use an IANA name such as "
                    "Europe/London, UTC, or a fixed offset such as +05:30)"
                ) from None
        if self.date_format:
            try:
                date_style(self.date_format)
            except ValueError:
                raise ValueError(
                    f"unknown date_format {self.date_format!r} (use a pattern such as "
                    "dd/mm/yyyy or an Intacct code such as /dmY)"
                ) from None

    @classmethod
    def from_mapping(cls, config: Mapping[str, Any]) -> ClientConfig:
        """Build from a tap/target config dict; unknown keys ignored, None -> default."""
        known = {f.name: f for f in dataclasses.fields(cls)}
        kwargs: dict[str, Any] = {}
        for name, spec in known.items():
            value = config.get(name)
            if value is None or (value == "" and name not in _SECRET_FIELDS):
                continue
            if name == "calls_per_second" and float(value) == 0:
                continue  # 0 means "no limit" in tap/target settings
            if spec.type in ("float", "float | None"):
                value = float(value)
            elif spec.type == "int":
                value = int(value)
            kwargs[name] = value
        return cls(**kwargs)

    def secrets(self) -> tuple[str, ...]:
        """The secret values of this configuration (for redaction)."""
        return tuple(getattr(self, name) for name in _SECRET_FIELDS)
