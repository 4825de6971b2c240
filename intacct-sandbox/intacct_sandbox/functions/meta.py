"""Metadata functions: inspect, lookup, readUserFormatting (protocol.md §4.8, §4.9; the shape of
readUserFormatting is developer.intacct.com's, see docs/sandbox-internals.md).
getDimensions and getUserPermissions live in functions/company.py (they depend on
module subscriptions).

`lookup` lists every field a client may select plus the fields `query` refuses
(`queryable=False`, protocol.md §6.2), so a client building its select list from lookup meets the
documented "cannot be queried" error on exactly those.

Whether `lookup` describes an object the user may not read is not in the public record
(protocol.md §4.8 and §10: the public record is silent). Our choice: it answers
PL04000005 for operation LOOKUP,
like the data functions do, so a client that discovers with one lookup per object can leave
unreadable objects out without probing them; `serve --lookup-permissions open` switches to
describing them anyway (the data functions still refuse). `inspect` always lists every
object, as a real company's `inspect *` does.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

from intacct_sandbox import db
from intacct_sandbox.catalog import FieldDef, ObjectDef, all_objects, get_object
from intacct_sandbox.functions.common import (
    CallContext,
    ErrorSpec,
    FunctionError,
    FunctionOutcome,
    child_text,
    generic_error,
    object_not_found,
    permission_denied,
    register,
)
from intacct_sandbox.values import date_code, user_gmtoffset
from intacct_sandbox.xmlout import element, escape_attr, escape_text

# Set once at start-up by `intacct-sandbox serve --lookup-permissions`.
LOOKUP_ENFORCES_PERMISSIONS = True

_PT_TYPES = {
    "INTEGER": ("Pt_FieldInt", "integer"),
    "DECIMAL": ("Pt_FieldDouble", "number"),
    "CURRENCY": ("Pt_FieldDouble", "number"),
    "PERCENT": ("Pt_FieldDouble", "number"),
    "BOOLEAN": ("Pt_FieldBoolean", "boolean"),
    "DATE": ("Pt_FieldDateTime", "datetime"),  # docs/protocol.md §4.9 lists no separate date type
    "TIMESTAMP": ("Pt_FieldDateTime", "datetime"),
}


def _bool(value: bool) -> str:
    return "true" if value else "false"


def _object_name(element_: Element) -> str | None:
    name = child_text(element_, "object")
    if name is None:
        name = child_text(element_, "name")
    return name


# ---------------------------------------------------------------- inspect


@register("inspect")
def inspect(ctx: CallContext, element_: Element) -> FunctionOutcome:
    name = _object_name(element_)
    if not name:
        raise FunctionError(generic_error("The <object> element is required."))
    detail = (element_.get("detail") or "0").strip() == "1"
    if name == "*":
        types = "".join(
            f'<type typename="{escape_attr(o.name)}">{escape_text(o.label)}</type>'
            for o in all_objects()
        )
        return FunctionOutcome.success(f'<data listtype="All" count="1">{types}</data>')
    obj = get_object(name)
    if obj is None:
        raise FunctionError(
            ErrorSpec(
                "XL03000009",
                "There was an error processing the function",
                f"Object type {name} not found",
                "",
            )
        )
    body = _inspect_detail(obj) if detail else _inspect_brief(obj)
    return FunctionOutcome.success(f'<data listtype="All" count="1">{body}</data>')


def _inspect_brief(obj: ObjectDef) -> str:
    fields = "".join(element("Field", f.id) for f in obj.fields)
    return f'<Type Name="{escape_attr(obj.name)}"><Fields>{fields}</Fields></Type>'


def _inspect_field(f: FieldDef) -> str:
    data_name, external = _PT_TYPES.get(f.datatype, ("Pt_FieldString", "string"))
    return (
        "<Field>"
        + element("Name", f.id)
        + element("GroupName", "Custom" if f.iscustom else "")
        + element("dataName", data_name)
        + element("externalDataName", external)
        + element("isRequired", _bool(f.required))
        + element("isReadOnly", _bool(f.readonly))
        + element("maxLength", "" if f.datatype not in {"TEXT", "ENUM"} else "100")
        + element("DisplayLabel", f.label)
        + element("Description", f.description)
        + element("id", f.id)
        + "</Field>"
    )


def _inspect_detail(obj: ObjectDef) -> str:
    attributes = (
        "<Attributes>"
        + element("SingularName", obj.label)
        + element("PluralName", obj.plural or obj.label)
        + element("Description", obj.description or obj.label)
        + "</Attributes>"
    )
    fields = "".join(_inspect_field(f) for f in obj.fields)
    return f'<Type Name="{escape_attr(obj.name)}">{attributes}<Fields>{fields}</Fields></Type>'


# ---------------------------------------------------------------- lookup


def _lookup_field(f: FieldDef) -> str:
    parts = [
        "<Field>",
        element("ID", f.id),
        element("LABEL", f.label),
        element("DESCRIPTION", f.description),
        element("REQUIRED", _bool(f.required)),
        element("READONLY", _bool(f.readonly)),
        element("DATATYPE", f.datatype),
    ]
    if f.validvalues:
        parts.append(
            "<VALIDVALUES>"
            + "".join(element("VALIDVALUE", v) for v in f.validvalues)
            + "</VALIDVALUES>"
        )
    parts.append(element("ISCUSTOM", _bool(f.iscustom)))
    parts.append("</Field>")
    return "".join(parts)


def lookup_xml(obj: ObjectDef) -> str:
    fields = "".join(_lookup_field(f) for f in obj.fields)
    rels = "".join(
        "<Relationship>"
        + element("OBJECTPATH", r.path)
        + element("OBJECTNAME", r.object_name)
        + element("LABEL", r.label)
        + element("RELATIONSHIPTYPE", r.kind)
        + element("RELATEDBY", r.related_by)
        + "</Relationship>"
        for r in obj.relationships
    )
    return (
        f'<Type Name="{escape_attr(obj.name)}" DocumentType="{escape_attr(obj.document_type)}">'
        f"<Fields>{fields}</Fields><Relationships>{rels}</Relationships></Type>"
    )


@register("lookup")
def lookup(ctx: CallContext, element_: Element) -> FunctionOutcome:
    name = _object_name(element_)
    if not name:
        raise FunctionError(generic_error("The <object> element is required."))
    obj = get_object(name)
    if obj is None:
        raise FunctionError(object_not_found(name))
    if LOOKUP_ENFORCES_PERMISSIONS and (
        obj.name in ctx.permissions or obj.name.upper() in ctx.permissions
    ):
        raise FunctionError(permission_denied("LOOKUP", obj.name))
    return FunctionOutcome.success(f'<data listtype="All" count="1">{lookup_xml(obj)}</data>')


# ---------------------------------------------------------------- readUserFormatting


# The locale that goes with each date-format preference in our answers (a preference of
# its own in Intacct; only reported, never used to format values).
_LOCALES = {"/dmY": "en_GB", ".dmY": "de_DE"}


def _named_user(ctx: CallContext, element_: Element) -> str:
    """The LOGINID named by `<userId>` or `<key>` (USERINFO RECORDNO), which the docs
    require; a bare request or an unknown user is refused like other missing records."""
    user_id = child_text(element_, "userId")
    key = child_text(element_, "key")
    if not user_id and not key:
        raise FunctionError(
            generic_error("readUserFormatting needs <userId> or <key> (the user's RECORDNO).")
        )
    users = get_object("USERINFO")
    if users is None:  # every catalog has it; kept explicit for the type checker
        raise FunctionError(object_not_found("USERINFO"))
    table, login = db.table(users), db.quote_ident("LOGINID")
    if user_id:
        row = ctx.conn.execute(
            f"SELECT {login} FROM {table} WHERE lower({login}) = lower(?)", (user_id,)
        ).fetchone()
    else:
        row = ctx.conn.execute(
            f"SELECT {login} FROM {table} WHERE {db.quote_ident('RECORDNO')} = ?", (key,)
        ).fetchone()
    if row is None:
        raise FunctionError(
            ErrorSpec(
                "BL01001973",
                "",
                f"The user {user_id or key} does not exist.",
                "Name an existing user by userId (login ID) or key (RECORDNO).",
            )
        )
    return str(row[0])


@register("readUserFormatting")
def read_user_formatting(ctx: CallContext, element_: Element) -> FunctionOutcome:
    """The documented `<userformatting>` record: locale, dateformat code (separator and
    PHP-style order letters, e.g. `/mdY`), gmtoffset `±hh:mm` and clock; no IANA zone.
    Every user of the company shares the sandbox's preferences (variants `date_format`
    and `user_timezone`, zone from `serve --timezone`)."""
    _named_user(ctx, element_)
    code = date_code()
    body = (
        '<data listtype="userformatting" count="1"><userformatting>'
        + element("recordno", str(ctx.user_recordno))
        + element("locale", _LOCALES.get(code, "en_US"))
        + element("dateformat", code)
        + element("gmtoffset", user_gmtoffset(ctx.timezone, ctx.now))
        + element("clock", "24")
        + "</userformatting></data>"
    )
    return FunctionOutcome.success(body)
