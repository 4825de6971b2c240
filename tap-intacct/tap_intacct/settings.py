"""The tap's settings: the client's connection settings plus what to read and how far back.

Every setting carries a description because `tap-intacct --about --format markdown` is the
settings reference users read (and a test checks that each one is documented).
"""

from __future__ import annotations

from intacct_client.settings_schema import merged_settings_schema
from singer_sdk import typing as th

DEFAULT_PAGE_SIZE = 2000
DEFAULT_LOOKBACK_MINUTES = 60

TAP_SETTINGS = th.PropertiesList(
    th.Property(
        "audit_timestamps_zone",
        th.StringType,
        default="UTC",
        description=(
            "Zone of the audit-trail stamps AUWHENCREATED (and other AU* timestamps): UTC "
            "(default; a live capture shows them in GMT while WHENMODIFIED follows the "
            "user's zone), `user` for the same zone as the other timestamps, or a zone."
        ),
    ),
    th.Property(
        "start_date",
        th.DateTimeType,
        description=(
            "Earliest WHENMODIFIED to read on the first run (ISO-8601). Empty = all history."
        ),
    ),
    th.Property(
        "objects",
        th.ArrayType(th.StringType),
        description=(
            'Objects to read: names or globs, case-insensitive (e.g. ["VENDOR", "GL*"]). '
            "Empty = every object the user can read."
        ),
    ),
    th.Property(
        "exclude_objects",
        th.ArrayType(th.StringType),
        description=(
            "Objects to leave out: names or globs, case-insensitive; applied after `objects`."
        ),
    ),
    th.Property(
        "check_permissions",
        th.BooleanType,
        default=False,
        description=(
            "During discovery, also probe each object with a one-row query (one extra API "
            "call per object), so an object the user may not read is left out of the catalog "
            "even when `lookup` describes it. Off by default: discovery then costs one "
            "inspect plus one lookup per object; an object whose lookup is refused "
            "(PL04000005) is left out, and one that only `query` refuses is skipped at sync "
            "time with one warning."
        ),
    ),
    th.Property(
        "page_size",
        th.IntegerType,
        default=DEFAULT_PAGE_SIZE,
        description="Records per query call (1-2000). Every call is metered by Intacct.",
    ),
    th.Property(
        "lookback_minutes",
        th.IntegerType,
        default=DEFAULT_LOOKBACK_MINUTES,
        description=(
            "Minutes before the bookmark that each incremental run re-reads, so rows that "
            "became visible late (Intacct is eventually consistent) are not missed."
        ),
    ),
    th.Property(
        "include_deletes",
        th.BooleanType,
        default=True,
        description=(
            "Read deletions from AUDITHISTORY and emit them in each incremental stream as "
            "records with the key and `_sdc_deleted_at`; for line objects (GLENTRY, "
            "GLDETAIL, APBILLITEM, ...), whose deletes Intacct may not audit, also by "
            "key census (one count query per object per run)."
        ),
    ),
    th.Property(
        "key_census_objects",
        th.ArrayType(th.StringType),
        description=(
            "More objects whose deletes are also found by key census (names or globs, "
            "case-insensitive), beside the built-in line objects; for objects whose "
            "deletes the audit trail may miss. Costs one count query per object per run."
        ),
    ),
).to_dict()

CONFIG_JSONSCHEMA = merged_settings_schema(TAP_SETTINGS)
