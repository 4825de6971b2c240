"""ClientConfig: the connection settings shared by the tap and the target."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfoNotFoundError

from intacct_client.formatting import date_style, timezone_setting

DEFAULT_API_URL = "https://api.intacct.com/ia/xml/xmlgw.phtml"
DEFAULT_REST_API_URL = "https://api.intacct.com/ia/api/v1"
_SECRET_FIELDS = ("sender_password", "user_password", "client_secret")
# The XML gateway's own credentials: optional in a REST-only configuration, so they have
# defaults here; `IntacctClient` refuses to start without them (see `missing_xml_settings`).
XML_CREDENTIALS = ("sender_id", "sender_password", "user_password")


def _setting(
    description: str,
    *,
    secret: bool = False,
    transport: str | None = None,
    xml_required: bool = False,
    **options: Any,
) -> Any:
    """A dataclass field whose metadata documents it as a tap/target setting.

    ``transport="rest"`` marks a setting only the REST client reads (plugins that speak
    XML only leave it out of their schema); ``xml_required`` marks one the XML gateway
    cannot do without although the dataclass gives it a default.
    """
    metadata = {
        "description": description,
        "secret": secret,
        "transport": transport,
        "xml_required": xml_required,
    }
    return field(metadata=metadata, **options)


@dataclass(frozen=True, kw_only=True)
class ClientConfig:
    """Credentials and client behaviour. ``repr`` never shows the passwords.

    Each field's metadata is the setting's documentation: the tap and the target build
    their connection settings from it (`intacct_client.settings_schema`), so the two
    plugins declare and describe them once.
    """

    company_id: str = _setting("Intacct company ID (the one you type on the sign-in page).")
    sender_id: str = _setting(
        "Web Services sender ID (your Web Services developer license). Needed by the XML gateway.",
        xml_required=True,
        default="",
    )
    sender_password: str = _setting(
        "Password of the Web Services sender ID (never logged). Needed by the XML gateway.",
        secret=True,
        xml_required=True,
        repr=False,
        default="",
    )
    user_id: str = _setting("Web Services user login ID in the company.")
    user_password: str = _setting(
        "Password of the Web Services user (never logged). Needed by the XML gateway.",
        secret=True,
        xml_required=True,
        repr=False,
        default="",
    )
    entity_id: str | None = _setting(
        "Entity (location) ID to sign in to one entity of a multi-entity company. Empty = "
        "the top level (reads then see every entity: queries use showprivate).",
        default=None,
    )
    api_url: str = _setting(
        "XML gateway URL. Change it only to point at a sandbox or proxy.",
        default=DEFAULT_API_URL,
    )
    request_timeout: float = _setting(
        "Seconds to wait for one HTTP request before retrying it.", default=300.0
    )
    max_retries: int = _setting(
        "Retries of a failed request (transport errors, rate limits) before giving up. "
        "Writes are retried only when Intacct can refuse a repeat (uniqueid=true).",
        default=5,
    )
    max_concurrent_requests: int = _setting(
        "Requests in flight at once (Intacct allows only a few per company).", default=2
    )
    calls_per_second: float | None = _setting(
        "Optional client-side limit on API calls per second (empty or 0 = no limit).",
        default=None,
    )
    timezone: str | None = _setting(
        "Zone that Intacct writes WHENMODIFIED and the other timestamps in: an IANA "
        "name (e.g. Europe/London), UTC, or a fixed offset such as -08:00. Empty = the "
        "Web Services user's time-zone preference (readUserFormatting's gmtoffset). "
        "Recommended: set the Web Services user's preference to GMT and this to UTC.",
        default=None,
    )
    date_format: str | None = _setting(
        "Order of dates in Intacct's answers, e.g. dd/mm/yyyy or mm/dd/yyyy. Empty = "
        "the Web Services user's date-format preference (readUserFormatting).",
        default=None,
    )
    client_id: str | None = _setting(
        "OAuth2 client ID of the REST API (client-credentials grant). Needed by the REST API only.",
        transport="rest",
        default=None,
    )
    client_secret: str | None = _setting(
        "OAuth2 client secret of the REST API (never logged). Needed by the REST API only.",
        secret=True,
        transport="rest",
        repr=False,
        default=None,
    )
    rest_api_url: str = _setting(
        "REST API base URL. Change it only to point at a sandbox or proxy.",
        transport="rest",
        default=DEFAULT_REST_API_URL,
    )
    user_agent: str = _setting("User-Agent header sent to Intacct.", default="intacct-client/0.1")
    # Backoff between retries: full jitter over min(backoff_max, backoff_base * 2**n).
    backoff_base: float = _setting(
        "First retry wait in seconds (full jitter, doubling per retry).", default=0.5
    )
    backoff_max: float = _setting("Longest retry wait in seconds.", default=30.0)

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
        """The secret values of this configuration that are set (for redaction)."""
        return tuple(value for name in _SECRET_FIELDS if (value := getattr(self, name)))

    def missing_xml_settings(self) -> list[str]:
        """The XML gateway credentials this configuration leaves empty."""
        return [name for name in XML_CREDENTIALS if not getattr(self, name)]

    def missing_rest_settings(self) -> list[str]:
        """The REST API settings this configuration leaves empty."""
        return [name for name in ("client_id", "client_secret") if not getattr(self, name)]
