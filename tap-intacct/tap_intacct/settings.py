"""The tap's settings: the client's connection settings plus what to read and how far back.

Every setting carries a description because `tap-intacct --about --format markdown` is the
settings reference users read (and a test checks that each one is documented).
"""

from __future__ import annotations

from typing import Any

from intacct_client.settings_schema import merged_settings_schema
from singer_sdk import typing as th

APIS = ("xml", "rest")
DEFAULT_LOOKBACK_MINUTES = 60

TAP_SETTINGS = th.PropertiesList(
    th.Property(
        "api",
        th.StringType,
        default="xml",
        allowed_values=list(APIS),
        description=(
            "Which Intacct API to read: `xml` (the XML gateway: every object, GL "
            "balances, attachments, named queries) or `rest` (the REST API: 4000-row "
            "pages, half the metered calls; needs `client_id` and `client_secret`). "
            "Stream names differ between the two (docs/rest-migration.md)."
        ),
    ),
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
        description=(
            "Records per query call: at most 2000 over XML, 4000 over REST. Empty = the "
            "largest the API allows. Every call is metered by Intacct."
        ),
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
    th.Property(
        "balance_dimensions",
        th.ArrayType(th.StringType),
        description=(
            "Stream gl_account_balances: dimension ID fields that split each account's "
            'balance into one row per value (e.g. ["LOCATIONID", "DEPARTMENTID"]; '
            "LOCATIONID also splits by entity). Empty = one row per account, book, currency "
            "and period for the whole company."
        ),
    ),
    th.Property(
        "balance_start_date",
        th.DateType,
        description=(
            "Stream gl_account_balances: the first reporting period read is the one holding "
            "this date (YYYY-MM-DD). Empty = every budgetable period Intacct has."
        ),
    ),
    th.Property(
        "balance_reread_periods",
        th.IntegerType,
        default=3,
        description=(
            "Stream gl_account_balances: how many of the latest periods (up to the one "
            "holding today) are read again on every run, because postings still change them; "
            "older periods are read once."
        ),
    ),
    th.Property(
        "query_streams",
        th.ArrayType(
            th.ObjectType(
                th.Property("name", th.StringType, required=True),
                th.Property("object", th.StringType, required=True),
                th.Property("filter", th.StringType, required=True),
                th.Property("fields", th.ArrayType(th.StringType)),
            )
        ),
        description=(
            "Named query streams: each {name, object, filter, fields?} is a stream `name` "
            "holding the rows of `object` that match `filter`, written in readByQuery's "
            "syntax (e.g. \"STATE = 'Posted' AND TOTALDUE > 0\") and applied by Intacct. "
            "Paging, bookmarks and deletes work as for the object's own stream; `fields` "
            "limits the columns (the key, WHENMODIFIED and the filter's fields are always "
            "kept)."
        ),
    ),
    th.Property(
        "attachments_content",
        th.BooleanType,
        default=False,
        description=(
            "Stream attachments: also emit each file's content (base64). Off = names, types "
            "and sizes only. Documents are read one at a time either way."
        ),
    ),
    th.Property(
        "attachments_max_bytes",
        th.IntegerType,
        default=10_000_000,
        description=(
            "Stream attachments, with attachments_content: files larger than this many "
            "bytes are emitted without content (CONTENT_SKIPPED true), with a warning "
            "naming each one."
        ),
    ),
).to_dict()

# Credentials each API needs besides company_id and user_id: XML signs in with a sender
# and a user password, REST with an OAuth client (client-credentials grant).
CREDENTIALS_BY_API = {
    "xml": ["sender_id", "sender_password", "user_password"],
    "rest": ["client_id", "client_secret"],
}


def _with_credentials_by_api(schema: dict[str, Any]) -> dict[str, Any]:
    """Require the credentials of the chosen `api` (XML when `api` is not set)."""
    schema["allOf"] = [
        {
            "if": {"properties": {"api": {"const": "rest"}}, "required": ["api"]},
            "then": {"required": CREDENTIALS_BY_API["rest"]},
            "else": {"required": CREDENTIALS_BY_API["xml"]},
        }
    ]
    return schema


CONFIG_JSONSCHEMA = _with_credentials_by_api(
    merged_settings_schema(TAP_SETTINGS, rest=True, xml=False)
)
