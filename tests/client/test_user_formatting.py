"""readUserFormatting as Intacct documents it: gmtoffset `±hh:mm` and dateformat codes,
read by the client; unknown zones stop with a message naming the `timezone` setting."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from intacct_client import ClientConfig, IntacctClient, UserFormattingError, values
from intacct_client.formatting import (
    date_style,
    from_record,
    offset_name,
    require_date_style,
    require_zone,
    sending_style,
)
from intacct_client.values import ISO_DATES, US_DATES, DateStyle


@pytest.mark.parametrize(
    ("text", "name", "hours"),
    [
        ("+09:30", "+09:30", 9.5),
        ("-08:00", "-08:00", -8),
        ("+00:00", "+00:00", 0),
        ("-03:30", "-03:30", -3.5),
        ("+0545", "+05:45", 5.75),
    ],
)
def test_gmtoffset_is_a_fixed_offset(text: str, name: str, hours: float) -> None:
    assert offset_name(text) == name
    formatting = from_record({"locale": "en_US", "dateformat": "/mdY", "gmtoffset": text})
    assert formatting.zone_name == name
    # 12:00 wall clock in that zone is 12:00 - offset in UTC, in January and in July.
    for month in (1, 7):
        parsed = values.parse_timestamp(f"{month:02d}/15/2026 12:00:00", name)
        assert parsed is not None
        assert (datetime(2026, month, 15, 12, tzinfo=UTC) - parsed).total_seconds() == hours * 3600


@pytest.mark.parametrize(
    ("code", "style"),
    [
        ("/mdY", DateStyle("mdy", "/")),
        ("/dmY", DateStyle("dmy", "/")),
        ("-Ymd", DateStyle("ymd", "-")),
        (".dmY", DateStyle("dmy", ".")),
        (".ymd", DateStyle("ymd", ".")),
        ("dd/mm/yyyy", DateStyle("dmy", "/")),
    ],
)
def test_dateformat_codes(code: str, style: DateStyle) -> None:
    assert date_style(code) == style
    day = date(2026, 3, 4)
    rendered = values.format_date(day, style)
    assert values.parse_date(rendered, style) == day
    stamp = values.parse_timestamp(f"{rendered} 10:11:12", "+00:00", style)
    assert stamp == datetime(2026, 3, 4, 10, 11, 12, tzinfo=UTC)


def test_day_first_dates_are_read_day_first() -> None:
    style = date_style("/dmY")
    assert values.parse_date("04/03/2026", style) == date(2026, 3, 4)
    assert values.parse_date("2026-03-04", style) == date(2026, 3, 4)  # ISO always
    with pytest.raises(ValueError, match="04/31/2026"):
        values.parse_date("04/31/2026", style)


def test_requests_carry_the_documented_form_or_iso() -> None:
    assert sending_style(US_DATES) == US_DATES
    assert sending_style(date_style("/dmY")) == ISO_DATES
    assert sending_style(date_style(".dmY")) == ISO_DATES


def test_legacy_upper_case_shape_is_read() -> None:
    formatting = from_record({"GMTOFFSET": "-8", "DATEFORMAT": "mm/dd/yyyy"})
    assert formatting.zone_name == "-08:00"
    assert formatting.date_style == US_DATES
    with_zone = from_record({"GMTOFFSET": "1", "TIMEZONE": "Europe/Berlin"})
    assert with_zone.zone_name == "Europe/Berlin"


def test_unparsable_offset_stays_unknown() -> None:
    assert from_record({"gmtoffset": "Pacific"}).zone_name is None
    assert from_record({"dateformat": "dMY"}).date_style is None


def test_timezone_setting_accepts_names_and_offsets() -> None:
    base: dict[str, Any] = {
        "company_id": "c",
        "sender_id": "s",
        "sender_password": "p",
        "user_id": "u",
        "user_password": "p",
    }
    for value in ("UTC", "GMT", "+05:30", "Europe/London"):
        assert ClientConfig.from_mapping({**base, "timezone": value}).timezone == value
    with pytest.raises(ValueError, match="unknown time zone"):
        ClientConfig.from_mapping({**base, "timezone": "Mars/Olympus"})
    with pytest.raises(ValueError, match="date_format"):
        ClientConfig.from_mapping({**base, "date_format": "dd-mmm-yyyy"})


def _client(box: Any, **overrides: Any) -> IntacctClient:
    return IntacctClient(ClientConfig.from_mapping(box.config(**overrides)))


def test_sandbox_answer_drives_zone_and_dates(sandbox_factory: Any) -> None:
    box = sandbox_factory(timezone="Australia/Adelaide", variants={"date_format": "dd/mm/yyyy"})
    client = _client(box)
    try:
        assert client.user_timezone() == "+09:30"
        assert client.user_date_style() == DateStyle("dmy", "/")
        assert client.user_date_format() == "dd/mm/yyyy"
        stored = {int(r["RECORDNO"]): r for r in box.records("APBILL")}
        page = client.query("APBILL", ["RECORDNO", "WHENDUE", "WHENMODIFIED"], page_size=20)
        assert page.records
        for record in page.records:
            truth = stored[int(record["RECORDNO"])]
            due = values.parse_date(record["WHENDUE"], client.user_date_style())
            assert (due.isoformat() if due else None) == (truth.get("WHENDUE") or None)
            moment = values.parse_timestamp(
                record["WHENMODIFIED"], "+09:30", client.user_date_style()
            )
            assert moment == datetime.fromisoformat(truth["WHENMODIFIED"].replace("Z", "+00:00"))
    finally:
        client.close()


def test_timezone_setting_wins_and_unknown_zone_stops(sandbox_factory: Any) -> None:
    box = sandbox_factory()
    client = _client(box, timezone="UTC")
    try:
        assert client.user_timezone() == "+00:00"
        assert "readUserFormatting" not in client.call_counts
    finally:
        client.close()


def test_unknown_zone_or_date_format_stops_naming_the_setting() -> None:
    with pytest.raises(UserFormattingError, match=r"no gmtoffset.*`timezone` setting"):
        require_zone(from_record({"locale": "en_US", "dateformat": "/mdY"}))
    with pytest.raises(UserFormattingError, match=r"'Pacific'.*`timezone` setting"):
        require_zone(from_record({"gmtoffset": "Pacific"}))
    with pytest.raises(UserFormattingError, match=r"'dMY'.*`date_format` setting"):
        require_date_style(from_record({"gmtoffset": "+01:00", "dateformat": "dMY"}))
    assert require_zone(from_record({"gmtoffset": "-03:30"})) == "-03:30"
