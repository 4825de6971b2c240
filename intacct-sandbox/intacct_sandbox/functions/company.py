"""Company helper functions connectors call: getDimensions, getUserPermissions.

Shapes: docs/protocol.md §4.12.

These registrations load after functions/meta.py (see functions/__init__.py) and take
over its earlier versions of the same two functions; the shapes and the policy naming are
the same, plus user-defined dimensions in `getDimensions`, and
application names and subscriptions (intacct_sandbox/subscriptions.py) in
`getUserPermissions`.

getUserPermissions (emulator choices where the public record gives only the shape):
* one `appSubscription` per subscribed application that has at least one object the user
  may read; an unsubscribed application (default: Fixed Assets) never appears;
* one `policy` per readable object: `policyName` = the object's plural label, `rights`
  `List|View|Add|Edit|Delete` for a user who may write, `List|View` for a view-only user
  and for read-only objects (views such as GLDETAIL);
* objects the user may not query (denied, e.g. ARINVOICE for readonly_user) have no
  policy, so "has a policy with View" is exactly "query succeeds".
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

from intacct_sandbox import db, subscriptions
from intacct_sandbox.catalog import ObjectDef, all_objects, get_object
from intacct_sandbox.catalog.extended_udd import UDD_DIMENSIONS
from intacct_sandbox.functions.common import (
    CallContext,
    ErrorSpec,
    FunctionError,
    FunctionOutcome,
    child_text,
    register,
)
from intacct_sandbox.xmlout import element

# standard dimensions of the demo company, in Intacct's usual order (object, label)
STANDARD_DIMENSIONS: tuple[tuple[str, str], ...] = (
    ("DEPARTMENT", "Department"),
    ("LOCATION", "Location"),
    ("PROJECT", "Project"),
    ("CUSTOMER", "Customer"),
    ("VENDOR", "Vendor"),
    ("EMPLOYEE", "Employee"),
    ("ITEM", "Item"),
    ("CLASS", "Class"),
    ("TASK", "Task"),
    ("WAREHOUSE", "Warehouse"),
    ("CONTRACT", "Contract"),
    ("COSTTYPE", "Cost type"),
)
FULL_RIGHTS = "List|View|Add|Edit|Delete"
READ_RIGHTS = "List|View"


def _dimension(name: str, label: str, term: str, *, user_defined: bool) -> str:
    return (
        "<dimension>"
        + element("objectName", name)
        + element("objectLabel", label)
        + element("termLabel", term)
        + element("userDefinedDimension", "true" if user_defined else "false")
        + element("enabledInGL", "true")
        + "</dimension>"
    )


def dimension_list(subscribed: frozenset[str]) -> list[tuple[ObjectDef, str, bool]]:
    """(object, term label, user defined) for the dimensions of subscribed applications."""
    out: list[tuple[ObjectDef, str, bool]] = []
    for name, term in STANDARD_DIMENSIONS:
        obj = get_object(name)
        if obj is not None and obj.module.upper() in subscribed:
            out.append((obj, term, False))
    out += [(obj, term, True) for obj, term in UDD_DIMENSIONS]
    return out


@register("getDimensions")
def get_dimensions(ctx: CallContext, element_: Element) -> FunctionOutcome:
    subscribed = subscriptions.subscribed_modules(ctx.conn)
    items = "".join(
        _dimension(obj.name, obj.label, term, user_defined=udd)
        for obj, term, udd in dimension_list(subscribed)
    )
    return FunctionOutcome.success(f"<data><dimensions>{items}</dimensions></data>")


def readable_policies(
    denied: frozenset[str], can_write: bool, subscribed: frozenset[str]
) -> dict[str, list[tuple[str, str]]]:
    """Application name -> [(policy name, rights)] for the objects a user may read."""
    by_app: dict[str, list[tuple[str, str]]] = {}
    for obj in all_objects():
        if obj.name in denied or obj.name.upper() in denied:
            continue
        if obj.module.upper() not in subscribed:
            continue
        rights = FULL_RIGHTS if can_write and not obj.readonly_object else READ_RIGHTS
        app = subscriptions.application_name(obj.module)
        by_app.setdefault(app, []).append((obj.plural or obj.label, rights))
    return by_app


@register("getUserPermissions")
def get_user_permissions(ctx: CallContext, element_: Element) -> FunctionOutcome:
    login = child_text(element_, "userId") or ctx.user_id
    user = db.user_row(ctx.conn, login)
    if user is None:
        raise FunctionError(
            ErrorSpec(
                "BL03000025",
                "",
                f"Login ID {login} does not exist.",
                "Provide a valid USER.LOGINID value.",
            )
        )
    by_app = readable_policies(
        user.denied_objects, user.can_write, subscriptions.subscribed_modules(ctx.conn)
    )
    apps = "".join(
        "<appSubscription>"
        + element("applicationName", app)
        + "<policies>"
        + "".join(
            "<policy>" + element("policyName", name) + element("rights", rights) + "</policy>"
            for name, rights in policies
        )
        + "</policies></appSubscription>"
        for app, policies in sorted(by_app.items())
    )
    return FunctionOutcome.success(f"<data><permissions>{apps}</permissions></data>")
