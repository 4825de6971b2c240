"""The tap's streams that are not one Intacct object each.

They are GL account balances, attachments and the named query streams of
`query_streams`.

`objects` / `exclude_objects` select them by stream name like any object stream, so a
catalog can hold `["GLDETAIL", "gl_account_balances", "open_bills"]`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from typing import TYPE_CHECKING, Any

from tap_intacct.attachments import STREAM_NAME as ATTACHMENTS
from tap_intacct.attachments import AttachmentsStream
from tap_intacct.balances import STREAM_NAME as BALANCES
from tap_intacct.balances import GLAccountBalancesStream, balance_dimensions
from tap_intacct.errors import ActionableError
from tap_intacct.named_queries import build_stream, named_queries
from tap_intacct.selection import select_objects

if TYPE_CHECKING:
    from singer_sdk.streams import Stream

    from tap_intacct.tap import TapIntacct

Factory = Callable[["TapIntacct"], "Stream"]


def factories(config: Mapping[str, Any]) -> dict[str, Factory]:
    """Stream name -> constructor, for every such stream the settings allow.

    Their settings are checked here, before discovery makes any API call.
    """
    balance_dimensions(config)
    out: dict[str, Factory] = {BALANCES: GLAccountBalancesStream, ATTACHMENTS: AttachmentsStream}
    for query in named_queries(config):
        if query.name in out:
            raise ActionableError(
                f"query_streams: stream {query.name!r}: the name is taken by the tap's own "
                "stream of that name; choose another."
            )
        out[query.name] = partial(build_stream, query=query)
    return out


def selected_names(config: Mapping[str, Any]) -> list[str]:
    """The names kept by `objects` / `exclude_objects` (all when `objects` is empty)."""
    return select_objects(
        list(factories(config)),
        config.get("objects") or None,
        config.get("exclude_objects") or None,
    )
