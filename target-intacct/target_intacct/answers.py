"""Reading Intacct's answers: replayed writes, fatal errors, and failure outcomes."""

from __future__ import annotations

from intacct_client import (
    FunctionResult,
    IntacctAuthenticationError,
    IntacctControlError,
    IntacctError,
    IntacctFunctionError,
)

from target_intacct.outcomes import Outcome, failed
from target_intacct.records import InputRecord

ALREADY_EXECUTED_ERRORNO = "XL03000013"


def is_already_executed(result: FunctionResult) -> bool:
    """The uniqueid answer: this controlid ran before (a retried request or an earlier run).

    The client reports it as a success with `replayed=True` and no data; older answers
    (or other clients) show it as a failure with errorno XL03000013.
    """
    if getattr(result, "replayed", False):
        return True
    for error in result.errors:
        if error.errorno == ALREADY_EXECUTED_ERRORNO:
            return True
        if "already been executed" in (error.description2 or "").lower():
            return True
    return False


def is_fatal(error: Exception) -> bool:
    """Errors no later request can escape: bad credentials, bad sender, bad envelope."""
    return isinstance(error, (IntacctControlError, IntacctAuthenticationError))


def stops_the_run(error: Exception) -> bool:
    """Whether an error should stop the run rather than fail one batch.

    That is anything the client raises after its retries, except a single function's failure
    (a refused query): a gateway that keeps failing is not hammered batch after batch.
    """
    return isinstance(error, IntacctError) and not isinstance(error, IntacctFunctionError)


def error_outcome(item: InputRecord, error: Exception, prefix: str = "") -> Outcome:
    """Turn an exception raised for a record's request into that record's failed outcome."""
    detail = getattr(error, "first_error", None)
    text = f"{prefix}{error}"
    if detail is not None:
        return failed(
            item,
            text,
            errorno=detail.errorno or None,
            description2=detail.description2 or detail.description or text,
            correction=detail.correction or None,
        )
    return failed(item, text, errorno="TI-REQUEST")


def result_outcome(item: InputRecord, result: FunctionResult, prefix: str = "") -> Outcome:
    """Turn a function result that was not a success into the record's failed outcome."""
    detail = result.first_error
    if detail is None:
        return failed(item, f"{prefix}Intacct answered status {result.status} without errors")
    text = detail.description2 or detail.description or detail.errorno
    return failed(
        item,
        f"{prefix}{detail.errorno}: {text}"
        + (f" (correction: {detail.correction})" if detail.correction else ""),
        errorno=detail.errorno or None,
        description2=text,
        correction=detail.correction or None,
    )
