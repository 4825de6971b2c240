"""Error shapes of the write side (docs/protocol.md §3.5 and §6.2), built in one place.

A failing write answers with the specific cause first and generic wrappers after it
(`BL01001973` "Could not create ... record!"), exactly as captured responses do.
Texts the public record does not give are EMULATOR-INVENTED; they are listed in
`functions/write_rules.md` so clients do not mistake them for Intacct's own.
"""

from __future__ import annotations

from intacct_sandbox.functions.common import ErrorSpec, FunctionError, with_support_id

GENERIC = "BL01001973"
DUPLICATE = "BL34000061"
FORMAT = "BL03000018"
SCHEMA = "XL03000003"
PERMISSION = "PL04000005"

# Transaction objects get Intacct's third, transaction-level wrapper (docs/protocol.md §6.2).
TRANSACTION_OBJECTS = frozenset({"GLBATCH", "APBILL", "ARINVOICE", "APPYMT", "ARPYMT"})


def wrapper(verb: str, object_name: str, label: str) -> list[ErrorSpec]:
    """The generic errors that follow the specific one for `verb` (create/update)."""
    errors = [ErrorSpec(GENERIC, "", f"Could not {verb} {label} record!", "")]
    if object_name in TRANSACTION_OBJECTS:
        errors.append(
            ErrorSpec(
                GENERIC,
                "",
                f"Currently, we can't {verb} the transaction",
                "Check the transaction for errors or inconsistencies, then try again.",
            )
        )
    return errors


class WriteRuleError(FunctionError):
    """A record failed a rule; `specific` goes first, the verb's wrappers after it."""

    def __init__(self, specific: ErrorSpec, *, verb: str, object_name: str, label: str) -> None:
        super().__init__(specific, *wrapper(verb, object_name, label))
        self.specific = specific


class WriteDeniedError(FunctionError):
    """A failure answered with exactly the given errors (permission, schema)."""


def duplicate_account(account_no: str) -> FunctionError:
    """GLACCOUNT duplicates have their own captured chain (docs/protocol.md §3.5, DOC-REQ)."""
    return FunctionError(
        ErrorSpec(
            GENERIC,
            "Duplicate account number",
            with_support_id(f"The account number '{account_no}' already exists"),
            "Enter unique account number",
        ),
        ErrorSpec(GENERIC, "", "Could not create GL Account record.", ""),
    )


def required_field(field_id: str, label: str, where: str = "") -> ErrorSpec:
    """EMULATOR-INVENTED text: a required field is absent or empty."""
    return ErrorSpec(
        GENERIC,
        "Required field missing",
        f"Required field {label} ({field_id}) is missing{where}.",
        f"Provide a value for {field_id}, then try again.",
    )


def duplicate(label: str, value: str) -> ErrorSpec:
    """BL34000061 as captured: note the two spaces before `already` (docs/protocol.md §6.2)."""
    return ErrorSpec(
        DUPLICATE,
        "",
        f"Another {label} with the given value(s) {value}  already exists",
        "Use a unique value instead.",
    )


def invalid_reference(dimension_label: str, value: str) -> ErrorSpec:
    """`Invalid Project '10064' specified.` with a Support ID suffix (docs/protocol.md §6.2)."""
    return ErrorSpec(
        GENERIC, "", with_support_id(f"Invalid {dimension_label} '{value}' specified."), ""
    )


def unknown_field(object_name: str, field_id: str) -> ErrorSpec:
    """EMULATOR-INVENTED text: a field the object does not define (refused, not ignored)."""
    return ErrorSpec(
        GENERIC,
        "Invalid field",
        f"The field {field_id} is not a valid field for object {object_name}.",
        "Remove the field or check its name against lookup, then try again.",
    )


def readonly_field(object_name: str, field_id: str) -> ErrorSpec:
    """EMULATOR-INVENTED text: a read-only field given on input."""
    return ErrorSpec(
        GENERIC,
        "Read-only field",
        f"The field {field_id} of object {object_name} is read-only and cannot be set.",
        "Remove the field from the request, then try again.",
    )


def bad_format(label: str, value: str, expected: str) -> ErrorSpec:
    """BL03000018 `Illegal format for ...` (errorno from a capture; wording ours)."""
    return ErrorSpec(
        FORMAT,
        "Invalid format",
        f"Illegal format for {label} : '{value}'. Expected {expected}.",
        f"Enter {label} as {expected}, then try again.",
    )


def invalid_value(label: str, value: str, valid: tuple[str, ...]) -> ErrorSpec:
    """BL03000018 for an enumeration value outside VALIDVALUES."""
    listed = ", ".join(valid)
    return ErrorSpec(
        FORMAT,
        "Invalid value",
        f"Illegal value for {label} : '{value}'. Valid values are: {listed}.",
        f"Use one of the valid values for {label}, then try again.",
    )


def unbalanced(currency: str, debits: str, credits: str) -> ErrorSpec:
    """EMULATOR-INVENTED: no public capture of Intacct's imbalance error exists."""
    return ErrorSpec(
        GENERIC,
        "Transaction out of balance",
        f"The journal entry is not balanced for currency {currency}: "
        f"debits {debits}, credits {credits}.",
        "Make the total debits equal the total credits, then try again.",
    )


def too_few_lines(minimum: int, kind: str) -> ErrorSpec:
    """EMULATOR-INVENTED: fewer lines than the object needs (JE >= 2, bill/invoice >= 1)."""
    plural = "line" if minimum == 1 else "lines"
    return ErrorSpec(
        GENERIC,
        "Missing line items",
        f"A {kind} must have at least {minimum} {plural}.",
        f"Add at least {minimum} {plural}, then try again.",
    )


def update_missing(object_name: str, key_field: str, value: str) -> ErrorSpec:
    """As captured: the sentence itself sits in errorno (docs/protocol.md §6.2, PHP 1.x fixture)."""
    return ErrorSpec(f"Cannot update non-existing {object_name} with {key_field}={value}.")


def delete_missing(object_name: str, key: str) -> ErrorSpec:
    return ErrorSpec(
        GENERIC, "", f"Cannot find {object_name.lower()} with key '{key}' to delete.", ""
    )


def write_denied(operation: str, object_name: str) -> ErrorSpec:
    """PL04000005 as for reads, with the write operation name (CREATE/UPDATE/DELETE)."""
    return ErrorSpec(
        PERMISSION,
        "Permission Denied",
        with_support_id(
            f"You do not have permission for API operation {operation} "
            f"on objects of type {object_name.lower()}"
        ),
        "",
    )


def schema_error(detail: str) -> ErrorSpec:
    """XL03000003 for a legacy payload that breaks its DTD sequence (function level)."""
    return ErrorSpec(
        SCHEMA,
        "",
        with_support_id(f"XML Parse schema error: {detail}"),
        "Send the elements in the order the function's DTD requires.",
    )


def object_unknown(name: str) -> ErrorSpec:
    return ErrorSpec(GENERIC, "", f"Object definition {name} not found", "")


def key_needed(object_name: str, id_field: str | None) -> ErrorSpec:
    """EMULATOR-INVENTED: an update without RECORDNO (or the ID field)."""
    either = f"RECORDNO or {id_field}" if id_field else "RECORDNO"
    return ErrorSpec(
        GENERIC,
        "Missing key",
        f"An update of {object_name} needs {either} to find the record.",
        f"Provide {either}, then try again.",
    )


def in_use(object_name: str, key: str, used_by: str, field_id: str) -> list[ErrorSpec]:
    """EMULATOR-INVENTED: a record other records still reference cannot be deleted."""
    return [
        ErrorSpec(
            GENERIC,
            "Record in use",
            f"Cannot delete {object_name.lower()} with key '{key}': it is used by "
            f"{used_by.lower()} records ({field_id}).",
            "Delete or change the records that use it first, then try again.",
        ),
        ErrorSpec(GENERIC, "", f"Could not delete {object_name.lower()} record!", ""),
    ]
