"""The target's settings (shown by `target-intacct --about --format markdown`)."""

from __future__ import annotations

from typing import Any

from intacct_client.settings_schema import merged_settings_schema
from singer_sdk import typing as th

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
        "purchase_order_transaction_type",
        th.StringType,
        description=(
            "Purchasing transaction definition for PurchaseOrders records without "
            "transactionType. Default: the company's one definition whose document class "
            "is Order."
        ),
    ),
    th.Property(
        "attachment_folder",
        th.StringType,
        default="target-intacct",
        description="Attachment folder the supporting documents of records go into.",
    ),
    th.Property(
        "attachment_max_bytes",
        th.IntegerType,
        default=10 * 1024 * 1024,
        description=(
            "Largest total size (decoded bytes) of one record's attachments; larger "
            "records are refused before any call."
        ),
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


def config_schema() -> dict[str, Any]:
    """Connection settings (shared with the tap's client) plus the target's own."""
    schema = merged_settings_schema(TARGET_SETTINGS.to_dict())
    schema["properties"]["batch_size"]["minimum"] = 1
    schema["properties"]["batch_size"]["maximum"] = 1000
    schema["properties"]["attachment_max_bytes"]["minimum"] = 1
    return schema
