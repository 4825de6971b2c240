"""Discovery: one `inspect *`, then per selected object one `lookup` (in parallel).

An object whose `lookup` is refused (PL04000005, or not found) is left out with one
warning. Whether Intacct's `lookup` checks read permission is not documented, so with
`check_permissions` each object is also probed with a one-row `query` of its key (one
extra call per object); without it (the default, which keeps discovery at one inspect
plus one lookup per object) an object only `query` refuses is skipped at sync time with
one warning. Errors that stop every call (credentials, company, transport) propagate.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from intacct_client import IntacctClient, IntacctFunctionError, ObjectDefinition

from tap_intacct.errors import ActionableError
from tap_intacct.schema import StreamSpec, build_spec, choose_key
from tap_intacct.selection import is_glob, missing_explicit_objects, select_objects


def discover_specs(
    client: IntacctClient,
    config: Mapping[str, Any],
    logger: logging.Logger,
    other_streams: Sequence[str] = (),
) -> list[StreamSpec]:
    """Stream specs for every selected object the user can read, sorted by stream name.

    `other_streams` are the tap's streams that are not objects (balances, attachments,
    named queries): `objects` may name them too, so they are not reported missing.
    """
    names = [summary.name for summary in client.list_objects()]
    include = config.get("objects") or None
    exclude = config.get("exclude_objects") or None
    missing = missing_explicit_objects([*names, *other_streams], include)
    if missing:
        raise ActionableError(
            f"Objects {', '.join(missing)} are not available in company "
            f"'{config.get('company_id', '')}' (not subscribed, or misspelt): fix the "
            "objects setting."
        )
    chosen = select_objects(names, include, exclude)
    explicit = {pattern.lower() for pattern in include or () if not is_glob(pattern)}
    workers = max(1, int(config.get("max_concurrent_requests") or 2))
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="intacct-lookup")
    probe = bool(config.get("check_permissions", False))
    show_private = not config.get("entity_id")
    futures: dict[str, Future[ObjectDefinition]] = {}
    try:
        futures = {
            name: pool.submit(_definition, client, name, probe, show_private) for name in chosen
        }
        specs: dict[str, StreamSpec] = {}
        for name in chosen:
            try:
                definition = futures[name].result()
            except IntacctFunctionError as exc:
                if name.lower() in explicit:
                    raise ActionableError(
                        f"Object {name} cannot be read by user '{config.get('user_id', '')}' "
                        f"(not subscribed, or no permission: {exc}): remove it from the objects "
                        "setting or grant the permission."
                    ) from exc
                logger.warning("Leaving object %s out of the catalog: %s", name, exc)
                continue
            fields = [(field.id, field.datatype) for field in definition.fields]
            if not fields:
                logger.warning("Leaving object %s out of the catalog: lookup lists no fields", name)
                continue
            spec = build_spec(name, fields)
            if spec.stream_name in specs:
                logger.warning(
                    "Leaving object %s out of the catalog: stream name %s is taken by %s",
                    name,
                    spec.stream_name,
                    specs[spec.stream_name].object_name,
                )
                continue
            specs[spec.stream_name] = spec
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return [specs[key] for key in sorted(specs)]


def _definition(
    client: IntacctClient, name: str, probe: bool, show_private: bool
) -> ObjectDefinition:
    """`lookup`, then (when `probe`) a one-row query that raises if the user may not read."""
    definition = client.lookup(name)
    ids = [field.id for field in definition.fields]
    if probe and ids:
        keys = choose_key(ids) or (ids[0],)
        client.query(name, list(keys), page_size=1, show_private=show_private)
    return definition
