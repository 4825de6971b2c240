"""The tap's settings: the client's connection keys plus what to read and how far back.

Every setting carries a description because `tap-intacct --about --format markdown` is the
settings reference users read (and a test checks that each one is documented).
"""

from __future__ import annotations

from singer_sdk import typing as th

DEFAULT_PAGE_SIZE = 2000
DEFAULT_LOOKBACK_MINUTES = 60

CONFIG_JSONSCHEMA = th.PropertiesList(
    th.Property(
        "company_id",
        th.StringType,
        required=True,
        description="Intacct company ID (the one you type on the sign-in page).",
    ),
    th.Property(
        "sender_id",
        th.StringType,
        required=True,
        description="Web Services sender ID (your Web Services developer license).",
    ),
    th.Property(
        "sender_password",
        th.StringType,
        required=True,
        secret=True,
        description="Password of the Web Services sender ID.",
    ),
    th.Property(
        "user_id",
        th.StringType,
        required=True,
        description="Web Services user login ID in the company.",
    ),
    th.Property(
        "user_password",
        th.StringType,
        required=True,
        secret=True,
        description="Password of the Web Services user.",
    ),
    th.Property(
        "entity_id",
        th.StringType,
        description=(
            "Entity (location) ID to restrict the session to one entity of a multi-entity "
            "company. Leave empty to read every entity from the top level (queries then "
            "use showprivate)."
        ),
    ),
    th.Property(
        "api_url",
        th.StringType,
        default="https://api.intacct.com/ia/xml/xmlgw.phtml",
        description="XML gateway URL. Change it only to point at a sandbox or proxy.",
    ),
    th.Property(
        "request_timeout",
        th.NumberType,
        default=300,
        description="Seconds to wait for one HTTP request before retrying it.",
    ),
    th.Property(
        "max_retries",
        th.IntegerType,
        default=5,
        description="Retries of a failed read (transport errors, rate limits) before giving up.",
    ),
    th.Property(
        "max_concurrent_requests",
        th.IntegerType,
        default=2,
        description=(
            "Requests in flight at once, across all streams (Intacct allows only a few per "
            "company). Discovery runs its lookups with this concurrency."
        ),
    ),
    th.Property(
        "calls_per_second",
        th.NumberType,
        description="Optional client-side limit on API calls per second (empty = no limit).",
    ),
    th.Property(
        "timezone",
        th.StringType,
        description=(
            "IANA time zone (e.g. America/Los_Angeles) that Intacct timestamps are written "
            "in. Empty = the Web Services user's time zone preference read from the API."
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
