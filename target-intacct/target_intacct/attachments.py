"""Attachments of bills, invoices and journal entries: one supporting document per record.

A record's `attachments` become one supporting document (`create_supdoc`) in the
attachment folder (`create_supdocfolder`, once per run when it is missing), and the
record carries its SUPDOCID. The SUPDOCID is derived from the stream, the record's id
and the files themselves, so re-sending the same files finds the same document and
stores nothing twice; changed files make a new document (the old one stays in Intacct).
Element names and order follow the official PHP SDK
(`src/Intacct/Functions/Company/AttachmentsCreate.php`, `AttachmentFile.php`,
`AttachmentsFolderCreate.php`): `attachmentname` is the file name without its extension,
unique within the document, and `attachmenttype` the extension.

Sizes and base64 are checked during validation, before any call.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from intacct_client import Function, FunctionResult

from target_intacct.controlids import canonical_json
from target_intacct.records import InputRecord, RecordRejected

if TYPE_CHECKING:
    from target_intacct.writer import RunState

logger = logging.getLogger(__name__)

SUPDOCID_LENGTH = 20  # hex digest cut to fit Intacct's attachment ID
LOOKUP_CHUNK = 100  # supdoc ids per get_list filter


@dataclass(frozen=True)
class FileToAttach:
    """One file of a record: name without extension, extension, base64 data as sent."""

    name: str
    extension: str
    data: str


def files_of(item: InputRecord) -> list[FileToAttach]:
    """The record's attachments, checked: base64, an extension, unique names, total size."""
    files: list[FileToAttach] = []
    seen: set[str] = set()
    for index, entry in enumerate(item.data.get("attachments") or []):
        path = f"attachments[{index}]"
        file_name = str(entry["fileName"]).strip()
        stem, dot, extension = file_name.rpartition(".")
        if not dot or not stem or not extension:
            raise RecordRejected(
                item, f"{path}.fileName", file_name, "needs a name and an extension (x.pdf)"
            )
        if stem.lower() in seen:
            raise RecordRejected(
                item, f"{path}.fileName", file_name, "two attachments of one record share a name"
            )
        seen.add(stem.lower())
        files.append(FileToAttach(stem, extension, str(entry["data"])))
    return files


def check_attachments(item: InputRecord, max_bytes: int) -> None:
    """Validation before any call: real base64, and no more than max_bytes in total."""
    total = 0
    for index, entry in enumerate(item.data.get("attachments") or []):
        try:
            total += len(base64.b64decode(str(entry["data"]), validate=True))
        except (binascii.Error, ValueError):
            raise RecordRejected(
                item, f"attachments[{index}].data", "(file data)", "is not valid base64"
            ) from None
        if total > max_bytes:
            raise RecordRejected(
                item,
                f"attachments[{index}].data",
                "(file data)",
                f"the record's attachments exceed {max_bytes} bytes "
                "(the attachment_max_bytes setting)",
            )
    files_of(item)


def supdoc_id(item: InputRecord, files: Sequence[FileToAttach]) -> str:
    """Derive a record's SUPDOCID from its stream, id and files, so a rerun finds the same one."""
    material = canonical_json(
        {
            "stream": item.stream,
            "record": item.record_id,
            "files": [[f.name, f.extension, f.data] for f in files],
        }
    )
    return "ti" + hashlib.sha256(material.encode("utf-8")).hexdigest()[: SUPDOCID_LENGTH - 2]


@dataclass
class AttachmentStore:
    """Per run: folders known to exist and supporting documents known to be stored."""

    folders: set[str] = field(default_factory=set)
    stored: set[str] = field(default_factory=set)

    def attach(
        self, items: Sequence[InputRecord], run: RunState
    ) -> tuple[dict[int, str], dict[int, RecordRejected]]:
        """Store the supporting documents of the records that carry attachments.

        Returns the SUPDOCID by position of the records with attachments (documents are
        created when missing, except in a dry run), and a rejection by position for each
        record whose documents could not be stored.
        """
        wanted: dict[int, tuple[str, list[FileToAttach]]] = {}
        for item in items:
            files = files_of(item)
            if files:
                wanted[item.position] = (supdoc_id(item, files), files)
        if not wanted:
            return {}, {}
        ids = {position: ident for position, (ident, _files) in wanted.items()}
        missing = sorted({ident for ident, _files in wanted.values()} - self.stored)
        if missing:
            self.stored.update(self._existing(run, missing))
        to_create = {ident: files for ident, files in wanted.values() if ident not in self.stored}
        if not to_create or run.dry_run:
            return ids, {}
        folder = run.settings.attachment_folder
        self._ensure_folder(run, folder)
        failures = self._create(run, folder, to_create)
        by_item = {item.position: item for item in items}
        rejections = {
            position: RecordRejected(
                by_item[position],
                "attachments",
                f"SUPDOCID {ident}",
                f"storing the attachments failed: {failures[ident]}",
                code="TI-ATTACHMENT",
            )
            for position, ident in ids.items()
            if ident in failures
        }
        return ids, rejections

    def _existing(self, run: RunState, ids: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for start in range(0, len(ids), LOOKUP_CHUNK):
            chunk = ids[start : start + LOOKUP_CHUNK]
            expressions = [
                ("expression", {"field": "supdocid", "operator": "=", "value": ident})
                for ident in chunk
            ]
            payload: list[tuple[str, Any]] = [
                ("filter", {"logical": [("@logical_operator", "or"), *expressions]}),
                ("fields", {"field": "supdocid"}),
            ]
            result = run.client.execute_one(
                Function("get_list", payload, attributes={"object": "supdoc", "maxitems": "1000"})
            )
            result.raise_for_status()
            found.update(str(row.get("supdocid")) for row in result.data)
        return found

    def _ensure_folder(self, run: RunState, folder: str) -> None:
        if folder in self.folders:
            return
        lookup = Function(
            "get_list",
            [("filter", {"expression": {"field": "name", "operator": "=", "value": folder}})],
            attributes={"object": "supdocfolder"},
        )
        result = run.client.execute_one(lookup)
        result.raise_for_status()
        if not result.data:
            created = run.client.execute(
                [
                    Function(
                        "create_supdocfolder",
                        {"supdocfoldername": folder},
                        controlid=f"ti-supdocfolder-{_digest(folder)}",
                    )
                ],
                unique_id=True,
            )[0]
            if not created.ok and not _already_exists(created):
                created.raise_for_status()
        self.folders.add(folder)

    def _create(
        self, run: RunState, folder: str, documents: Mapping[str, list[FileToAttach]]
    ) -> dict[str, str]:
        """One request for every missing document; failures by SUPDOCID."""
        functions = [
            Function(
                "create_supdoc",
                {
                    "supdocid": ident,
                    "supdocname": ident,
                    "supdocfoldername": folder,
                    "attachments": {
                        "attachment": [
                            {
                                "attachmentname": f.name,
                                "attachmenttype": f.extension,
                                "attachmentdata": f.data,
                            }
                            for f in files
                        ]
                    },
                },
                controlid=f"ti-supdoc-{ident}",
            )
            for ident, files in documents.items()
        ]
        results = run.client.execute(functions, unique_id=True)
        failures: dict[str, str] = {}
        for ident, result in zip(documents, results, strict=True):
            if result.ok or _already_exists(result):
                self.stored.add(ident)
            else:
                error = result.first_error
                failures[ident] = (
                    f"{error.errorno} {error.description2 or error.description}"
                    if error
                    else "no answer"
                )
        return failures


def _already_exists(result: FunctionResult) -> bool:
    return any("already exists" in (error.description2 or "") for error in result.errors)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
