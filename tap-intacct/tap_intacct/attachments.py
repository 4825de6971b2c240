"""Stream `attachments`: one row per supporting document (Intacct "supdoc").

Intacct's attachments are legacy records (https://developer.intacct.com/api/company-
console/attachments/): `get_list object="supdoc"` lists them and `get object="supdoc"
key=...` reads one with its files. The list answer also carries every file's base64
data unless `fields` limits it ("Consider limiting the fields ... because attachment
data, which can be very large, is also sent"), so the stream lists pages of header
fields only and then reads each document by itself with `get`: memory holds one
document's files at a time. A row holds SUPDOCID, RECORDNO, SUPDOCNAME, FOLDER,
DESCRIPTION, CREATEDBY, CREATIONDATE, WHENMODIFIED and ATTACHMENTS, one item per file
with NAME, TYPE, SIZE (bytes) and CONTENT (base64, only with `attachments_content`; a
file over `attachments_max_bytes` keeps CONTENT empty, CONTENT_SKIPPED true and a
warning names it).

Incremental where the records allow it: whether a legacy supdoc record carries a
modification time is not documented (captured answers show none). When the documents
read carry `whenmodified`, the next run lists only those modified since the bookmark
(minus `lookback_minutes`), by a `get_list` filter; without it every run reads every
document. State: the SDK's `replication_key_value` (WHENMODIFIED, UTC ISO-8601).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterator, Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from intacct_client import Function, IntacctClient
from singer_sdk import typing as th

from tap_intacct.casting import cast_date, cast_integer, utc_iso
from tap_intacct.sdk_hooks import HookedStream

if TYPE_CHECKING:
    from singer_sdk.helpers.types import Context

    from tap_intacct.tap import RunOwner, TapIntacct

STREAM_NAME = "attachments"
LIST_FIELDS = ("recordno", "supdocid", "supdocname", "folder", "description")
LIST_PAGE_SIZE = 100
DEFAULT_MAX_BYTES = 10_000_000


def attachments_schema() -> dict[str, Any]:
    """JSON schema of the ``attachments`` stream: one supdoc with its files and their content."""
    item = th.ObjectType(
        th.Property("NAME", th.StringType),
        th.Property("TYPE", th.StringType),
        th.Property("SIZE", th.IntegerType),
        th.Property("CONTENT", th.StringType),
        th.Property("CONTENT_SKIPPED", th.BooleanType),
    )
    return th.PropertiesList(
        th.Property("SUPDOCID", th.StringType, required=True),
        th.Property("RECORDNO", th.IntegerType),
        th.Property("SUPDOCNAME", th.StringType),
        th.Property("FOLDER", th.StringType),
        th.Property("DESCRIPTION", th.StringType),
        th.Property("CREATEDBY", th.StringType),
        th.Property("CREATIONDATE", th.DateType),
        th.Property("WHENMODIFIED", th.DateTimeType),
        th.Property("ATTACHMENTS", th.ArrayType(item)),
    ).to_dict()


def listed_ids(
    client: IntacctClient,
    modified_filter: str | None,
    show_private: bool,
    page_size: int = LIST_PAGE_SIZE,
) -> list[str]:
    """SUPDOCIDs of the listed documents (header fields only), each once, in list order.

    Pages are offsets over a list that may change meanwhile: a document created during
    the listing can shift another one onto the next page, hence the de-duplication (a
    document it pushes out of reach is read by the next run).
    """
    seen: dict[str, None] = {}
    for supdoc_id in _listed_pages(client, modified_filter, show_private, page_size):
        seen.setdefault(supdoc_id)
    return list(seen)


def _listed_pages(
    client: IntacctClient, modified_filter: str | None, show_private: bool, page_size: int
) -> Iterator[str]:
    start = 0
    while True:
        payload: list[tuple[str, Any]] = []
        if modified_filter is not None:
            expression = {"field": "whenmodified", "operator": ">=", "value": modified_filter}
            payload.append(("filter", {"expression": expression}))
        payload.append(("sorts", {"sortfield": {"@order": "asc", "#text": "supdocid"}}))
        payload.append(("fields", {"field": list(LIST_FIELDS)}))
        attributes = {
            "object": "supdoc",
            "start": str(start),
            "maxitems": str(page_size),
            "showprivate": "true" if show_private else "false",
        }
        result = client.execute_one(Function("get_list", payload, attributes=attributes))
        result.raise_for_status()
        for record in result.data:
            supdoc_id = str(record.get("supdocid") or "")
            if supdoc_id:
                yield supdoc_id
        total = int(result.list_attributes.get("total") or 0)
        start += len(result.data)
        if not result.data or start >= total:
            return


def read_document(client: IntacctClient, supdoc_id: str) -> Mapping[str, Any] | None:
    """One document with its files (`get`), None when it is gone since the listing."""
    result = client.execute_one(
        Function("get", None, attributes={"object": "supdoc", "key": supdoc_id})
    )
    result.raise_for_status()
    return result.data[0] if result.data else None


def _files(record: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    holder = record.get("attachments")
    if not isinstance(holder, Mapping):
        return []
    items = holder.get("attachment")
    if isinstance(items, Mapping):
        return [items]
    return [item for item in items or () if isinstance(item, Mapping)]


def decoded_size(data: str) -> int:
    """Bytes of a base64 text, without keeping the decoded copy longer than needed."""
    try:
        return len(base64.b64decode(data, validate=False))
    except (binascii.Error, ValueError):
        return 0


class AttachmentsStream(HookedStream):
    """Supporting documents with their files (content on request, size-capped)."""

    def __init__(self, tap: TapIntacct) -> None:
        super().__init__(tap, schema=attachments_schema(), name=STREAM_NAME)
        self._run: RunOwner = tap
        self.primary_keys = ["SUPDOCID"]
        self.replication_key = "WHENMODIFIED"
        self.forced_replication_method = "INCREMENTAL"
        self.records_emitted = 0

    def _max_bytes(self) -> int:
        value = self.config.get("attachments_max_bytes")
        return DEFAULT_MAX_BYTES if value is None else int(value)

    def _row(self, record: Mapping[str, Any]) -> dict[str, Any]:
        clock = self._run.scheduler.clock
        with_content = bool(self.config.get("attachments_content", False))
        cap = self._max_bytes()
        supdoc_id = str(record.get("supdocid") or "")
        files = []
        for item in _files(record):
            data = str(item.get("attachmentdata") or "")
            size = decoded_size(data)
            name, kind = (
                str(item.get("attachmentname") or ""),
                str(item.get("attachmenttype") or ""),
            )
            skipped = with_content and size > cap
            if skipped:
                self.logger.warning(
                    "attachments: content of %s/%s.%s skipped: %d bytes > attachments_max_bytes %d",
                    supdoc_id,
                    name,
                    kind,
                    size,
                    cap,
                )
            files.append(
                {
                    "NAME": name,
                    "TYPE": kind,
                    "SIZE": size,
                    "CONTENT": data if with_content and not skipped else None,
                    "CONTENT_SKIPPED": skipped,
                }
            )
        modified_text = str(record.get("whenmodified") or "")
        modified = clock.parse_wire_time(modified_text) if modified_text else None
        recordno = str(record.get("recordno") or "")
        return {
            "SUPDOCID": supdoc_id,
            "RECORDNO": cast_integer(recordno) if recordno else None,
            "SUPDOCNAME": record.get("supdocname") or None,
            "FOLDER": record.get("folder") or None,
            "DESCRIPTION": record.get("description") or None,
            "CREATEDBY": record.get("createdby") or None,
            "CREATIONDATE": cast_date(str(record.get("creationdate") or ""), clock.wire.style),
            "WHENMODIFIED": utc_iso(modified) if modified else None,
            "ATTACHMENTS": files,
        }

    def catalog_table_name(self) -> str | None:
        """The catalog entry's table is the stream name, like every stream's."""
        return self.name

    def get_records(self, context: Context | None) -> Iterator[dict[str, Any]]:
        """List the documents (modified since the bookmark when there is one), read each.

        The bookmark is the SDK's (`replication_key_value`, the newest WHENMODIFIED
        emitted); documents without `whenmodified` leave it unset, so every run reads
        every document.
        """
        scheduler = self._run.scheduler
        client = scheduler.xml_client()
        modified_filter = None
        bookmark = self.get_starting_replication_key_value(context)
        if bookmark:
            lookback = timedelta(minutes=int(self.config.get("lookback_minutes") or 0))
            since = datetime.fromisoformat(str(bookmark)) - lookback
            modified_filter = scheduler.clock.wire_time(since)
        for supdoc_id in listed_ids(client, modified_filter, not self.config.get("entity_id")):
            record = read_document(client, supdoc_id)
            if record is None:
                continue
            self.records_emitted += 1
            yield self._row(record)

    def moves_bookmark(self, record: dict[str, Any]) -> bool:
        """Documents without a modification time do not move (or warn about) it."""
        return record.get("WHENMODIFIED") is not None

    def log_sync_costs(self) -> None:
        """SDK end-of-run hook; the tap logs its run summary after the last stream."""
        super().log_sync_costs()
        self._run.scheduler.stream_finished(self.name)
