"""Unit tests: value conversion, timestamps across both DST changes of Los Angeles."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from intacct_client import values

LA = "America/Los_Angeles"
UTC = timezone.utc


def test_plain_timestamps_in_winter_and_summer() -> None:
    winter = datetime(2024, 1, 15, 18, tzinfo=UTC)
    summer = datetime(2024, 7, 15, 17, tzinfo=UTC)
    assert values.parse_timestamp("01/15/2024 10:00:00", LA) == winter
    assert values.parse_timestamp("07/15/2024 10:00:00", LA) == summer
    assert values.format_timestamp(datetime(2024, 1, 15, 18, tzinfo=UTC), LA) == (
        "01/15/2024 10:00:00"
    )
    assert values.format_timestamp(datetime(2024, 7, 15, 17, tzinfo=UTC), LA) == (
        "07/15/2024 10:00:00"
    )


def test_spring_forward_2024_03_10() -> None:
    # 01:59:59 PST is followed by 03:00:00 PDT: one second apart in UTC.
    before = values.parse_timestamp("03/10/2024 01:59:59", LA)
    after = values.parse_timestamp("03/10/2024 03:00:00", LA)
    assert before == datetime(2024, 3, 10, 9, 59, 59, tzinfo=UTC)
    assert after == datetime(2024, 3, 10, 10, 0, 0, tzinfo=UTC)
    assert after - before == timedelta(seconds=1)  # type: ignore[operator]
    assert values.format_timestamp(datetime(2024, 3, 10, 10, 0, tzinfo=UTC), LA) == (
        "03/10/2024 03:00:00"
    )
    # Every UTC instant around the change round-trips.
    instant = datetime(2024, 3, 10, 9, 0, tzinfo=UTC)
    for _ in range(8):
        text = values.format_timestamp(instant, LA)
        assert values.parse_timestamp(text, LA) == instant
        instant += timedelta(minutes=15)


def test_fall_back_2024_11_03() -> None:
    # 01:30 happens twice; the wire has no offset, so the first occurrence (PDT) is used.
    assert values.parse_timestamp("11/03/2024 01:30:00", LA) == datetime(
        2024, 11, 3, 8, 30, tzinfo=UTC
    )
    first = datetime(2024, 11, 3, 8, 30, tzinfo=UTC)
    second = datetime(2024, 11, 3, 9, 30, tzinfo=UTC)
    assert values.format_timestamp(first, LA) == "11/03/2024 01:30:00"
    assert values.format_timestamp(second, LA) == "11/03/2024 01:30:00"
    assert values.parse_timestamp("11/03/2024 02:00:00", LA) == datetime(
        2024, 11, 3, 10, 0, tzinfo=UTC
    )
    assert values.parse_timestamp("11/03/2024 00:59:59", LA) == datetime(
        2024, 11, 3, 7, 59, 59, tzinfo=UTC
    )


def test_timestamp_edge_inputs() -> None:
    assert values.parse_timestamp("", LA) is None
    assert values.parse_timestamp(None, LA) is None
    assert values.parse_timestamp("2024-01-15T18:00:00Z", LA) == datetime(
        2024, 1, 15, 18, tzinfo=UTC
    )
    assert values.parse_timestamp("2024-01-15T10:00:00-08:00", "UTC") == datetime(
        2024, 1, 15, 18, tzinfo=UTC
    )
    parsed = values.parse_timestamp("01/15/2024 10:00:00", "UTC")
    assert parsed is not None
    assert parsed.tzinfo is not None
    with pytest.raises(ValueError, match="timezone-aware"):
        values.format_timestamp(datetime(2024, 1, 1), LA)


def test_dates_decimals_bools_lists() -> None:
    assert values.parse_date("02/29/2024") == date(2024, 2, 29)
    assert values.parse_date("2024-02-29") == date(2024, 2, 29)
    assert values.parse_date("") is None
    assert values.format_date(date(2024, 1, 5)) == "01/05/2024"
    assert values.parse_decimal("1679615.93") == Decimal("1679615.93")
    assert values.parse_decimal("-0.10") == Decimal("-0.10")
    assert values.parse_decimal("") is None
    assert values.format_decimal(Decimal("1E+2")) == "100"
    for text, expected in (
        ("true", True),
        ("T", True),
        ("1", True),
        ("false", False),
        ("F", False),
        ("0", False),
        ("", None),
    ):
        assert values.parse_bool(text) is expected
    with pytest.raises(ValueError, match="not a boolean"):
        values.parse_bool("maybe")
    assert values.as_list(None) == []
    assert values.as_list({"a": 1}) == [{"a": 1}]
    assert values.as_list([1, 2]) == [1, 2]


def test_gmtoffset_becomes_a_fixed_offset_zone() -> None:
    from intacct_client.formatting import offset_name

    assert offset_name("-08:00") == "-08:00"
    assert offset_name("+05:30") == "+05:30"
    assert offset_name("+00:00") == "+00:00"
    assert offset_name("abc") is None
    parsed = values.parse_timestamp("01/15/2024 10:00:00", "-08:00")
    assert parsed == datetime(2024, 1, 15, 18, tzinfo=UTC)
    # A fixed offset ignores DST: July is still UTC-8.
    assert values.parse_timestamp("07/15/2024 10:00:00", "-08:00") == datetime(
        2024, 7, 15, 18, tzinfo=UTC
    )


def test_fast_timestamp_parsing_matches_strptime_across_dst() -> None:
    """The strptime-free path must give the very instants strptime + zoneinfo give."""
    from zoneinfo import ZoneInfo

    zone = "America/Los_Angeles"
    start = datetime(2024, 3, 9, 0, 0, 0)
    checked = 0
    for minutes in range(0, 3 * 24 * 60, 7):  # through the spring-forward gap
        wall = start + timedelta(minutes=minutes, seconds=minutes % 60)
        text = wall.strftime(values.TIMESTAMP_FORMAT)
        expected = wall.replace(tzinfo=ZoneInfo(zone), fold=0).astimezone(timezone.utc)
        assert values.parse_timestamp(text, zone) == expected, text
        checked += 1
    # the repeated fall-back hour is read as its first occurrence
    assert values.parse_timestamp("11/03/2024 01:30:00", zone) == datetime(
        2024, 11, 3, 8, 30, tzinfo=timezone.utc
    )
    assert checked > 600
    for impossible in ("02/30/2024 00:00:00", "13/01/2024 10:00:00", "01/01/2024 24:00:00"):
        with pytest.raises(ValueError, match="Invalid isoformat"):
            values.parse_timestamp(impossible, zone)
    # other shapes still take the general path
    assert values.parse_timestamp("1/5/2024 1:02:03", "UTC") == datetime(
        2024, 1, 5, 1, 2, 3, tzinfo=timezone.utc
    )
    assert values.parse_timestamp(" 2024-01-05T10:00:00Z ", zone) == datetime(
        2024, 1, 5, 10, tzinfo=timezone.utc
    )


def test_fast_date_parsing_matches_strptime() -> None:
    assert values.parse_date("01/31/2026") == date(2026, 1, 31)
    assert values.parse_date("02/29/2024") == date(2024, 2, 29)
    assert values.parse_date("1/5/2026") == date(2026, 1, 5)
    assert values.parse_date("2026-01-31") == date(2026, 1, 31)
    with pytest.raises(ValueError, match="Invalid isoformat"):
        values.parse_date("02/29/2023")
