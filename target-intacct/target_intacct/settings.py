"""The target's settings (shown by `target-intacct --about --format markdown`)."""

from __future__ import annotations

from singer_sdk import typing as th

DEFAULT_API_URL = "https://api.intacct.com/ia/xml/xmlgw.phtml"

CONNECTION_SETTINGS = th.PropertiesList(
    th.Property("company_id", th.StringType, required=True, description="Intacct company ID."),
    th.Property("sender_id", th.StringType, required=True, description="Web Services sender ID."),
    th.Property(
        "sender_password",
        th.StringType,
        required=True,
        secret=True,
        description="Web Services sender password (never logged).",
    ),
    th.Property("user_id", th.StringType, required=True, description="Web Services user login ID."),
    th.Property(
        "user_password",
        th.StringType,
        required=True,
        secret=True,
        description="Web Services user password (never logged).",
    ),
    th.Property(
        "entity_id",
        th.StringType,
        description="Entity (LOCATIONENTITY ID) to log in to; empty = top level.",
    ),
    th.Property(
        "api_url",
        th.StringType,
        default=DEFAULT_API_URL,
        description="XML gateway URL (point it at intacct-sandbox for tests and demos).",
    ),
    th.Property(
        "request_timeout",
        th.NumberType,
        default=300,
        description="Seconds to wait for one HTTP request before retrying.",
    ),
    th.Property(
        "max_retries",
        th.IntegerType,
        default=5,
        description="Retries of a failed request (writes are retried safely: uniqueid=true).",
    ),
    th.Property(
        "max_concurrent_requests",
        th.IntegerType,
        default=2,
        description="Client-side cap on requests in flight (Intacct allows few per company).",
    ),
    th.Property(
        "calls_per_second",
        th.NumberType,
        description="Optional client-side rate limit in requests per second.",
    ),
    th.Property(
        "timezone",
        th.StringType,
        description=(
            "Zone of the Intacct user's timestamps (IANA name, UTC, or a fixed offset such "
            "as -08:00), overriding the user's preference."
        ),
    ),
    th.Property(
        "date_format",
        th.StringType,
        description=(
            "Order of dates in Intacct's answers (e.g. dd/mm/yyyy), overriding the user's "
            "date-format preference read from readUserFormatting."
        ),
    ),
    th.Property(
        "user_agent",
        th.StringType,
        description="User-Agent header sent to Intacct.",
    ),
    th.Property(
        "backoff_base",
        th.NumberType,
        default=0.5,
        description="First retry wait in seconds (full jitter, doubling per retry).",
    ),
    th.Property(
        "backoff_max",
        th.NumberType,
        default=30,
        description="Longest retry wait in seconds.",
    ),
)

TARGET_SETTINGS = th.PropertiesList(
    th.Property(
        "batch_size",
        th.IntegerType,
        default=100,
        description="Records per HTTP request (one function per record), 1 to 1000.",
    ),
    th.Property(
        "transaction",
        th.StringType,
        default="none",
        allowed_values=["none", "batch"],
        description=(
            "none: each record stands alone, one failure never blocks the others. "
            "batch: all or nothing per request (a rejected or failed record rolls back "
            "its whole batch; every record is reported)."
        ),
    ),
    th.Property(
        "results_path",
        th.StringType,
        description=(
            "JSONL file with one outcome line per input record. Default: "
            "./target-intacct-results-<UTC timestamp>.jsonl in the working directory."
        ),
    ),
    th.Property(
        "dry_run",
        th.BooleanType,
        default=False,
        description=(
            "Validate, resolve references and look up existing records, but write "
            "nothing; outcomes are would_create / would_update / unchanged / failed."
        ),
    ),
    th.Property(
        "default_journal",
        th.StringType,
        description="Journal symbol (e.g. GJ) for journal entries that do not name one.",
    ),
    th.Property(
        "fail_on_error",
        th.BooleanType,
        default=True,
        description=(
            "Exit non-zero when any record failed (after every record is processed and "
            "reported). Set false to exit 0 and rely on the results file."
        ),
    ),
)


def config_schema() -> dict:
    """Connection settings (shared with the tap's client) plus the target's own."""
    schema = CONNECTION_SETTINGS.to_dict()
    schema["properties"].update(TARGET_SETTINGS.to_dict()["properties"])
    schema["properties"]["batch_size"]["minimum"] = 1
    schema["properties"]["batch_size"]["maximum"] = 1000
    return schema
