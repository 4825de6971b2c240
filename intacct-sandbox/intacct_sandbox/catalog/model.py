"""The shape of an object definition: plain frozen dataclasses, filled in by data modules.

A data module (e.g. `catalog/core.py`) exposes `OBJECTS: list[ObjectDef]`, built with the
small constructors below, each definition carrying `source=` (the docs/protocol.md
section or API page it came from). Adding an object is adding one more `ObjectDef` to a data module.

Conventions:
* Field ids are the wire element names, upper-case for standard fields; dot-path ids
  (`DISPLAYCONTACT.EMAIL1`) are ordinary stored fields.
* `aliases` maps a readByQuery literal to the stored value (internal codes: `T` ->
  `active`; or the reverse for AUDITHISTORY.ACCESSMODE words -> codes).
* `queryable=False`: listed by `lookup`, refused by `query`/`readByQuery` (docs/protocol.md §6.2).
* Relationships are many-to-one joins usable as one-hop dot paths in queries
  (`VENDOR.NAME` on APBILL joins VENDOR on APBILL.VENDORID = VENDOR.VENDORID).
* Owned collections are the line objects `read` nests (docs/protocol.md §5.4) and `create` accepts.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property

DATATYPES = frozenset(
    {"TEXT", "INTEGER", "DECIMAL", "CURRENCY", "PERCENT", "BOOLEAN", "DATE", "TIMESTAMP", "ENUM"}
)
NUMERIC_DECIMAL_TYPES = frozenset({"DECIMAL", "CURRENCY", "PERCENT"})


@dataclass(frozen=True)
class FieldDef:
    """One field as `lookup` advertises it, plus how the sandbox stores and filters it."""

    id: str
    label: str
    datatype: str = "TEXT"
    description: str = ""
    required: bool = False
    readonly: bool = False
    iscustom: bool = False
    validvalues: tuple[str, ...] = ()
    aliases: tuple[tuple[str, str], ...] = ()
    queryable: bool = True
    letter_boolean: bool = False  # legacy flags rendered T/F (STATISTICAL, ADJ)

    def __post_init__(self) -> None:
        if self.datatype not in DATATYPES:
            raise ValueError(f"{self.id}: unknown DATATYPE {self.datatype}")

    @cached_property
    def alias_map(self) -> dict[str, str]:
        return dict(self.aliases)


@dataclass(frozen=True)
class Relationship:
    """Many-to-one link: `path` prefix in dot paths, joined on `related_by` -> `target_field`."""

    path: str
    object_name: str
    related_by: str
    target_field: str
    label: str = ""
    kind: str = "MANY2ONE"


@dataclass(frozen=True)
class OwnedCollection:
    """Lines owned by a header: `<ENTRIES><glentry>` in read, `<ENTRIES><GLENTRY>` on input."""

    collection: str  # e.g. ENTRIES, APBILLITEMS
    child_object: str  # e.g. GLENTRY
    parent_key_field: str  # field on the child holding the header RECORDNO (BATCHNO, RECORDKEY)
    line_no_field: str = "LINE_NO"


@dataclass(frozen=True)
class ObjectDef:
    """An object type: what `inspect`/`lookup` describe and `db.py` turns into a table."""

    name: str
    label: str
    fields: tuple[FieldDef, ...]
    source: str
    id_field: str | None = None
    plural: str = ""
    module: str = "CO"
    relationships: tuple[Relationship, ...] = ()
    owned: tuple[OwnedCollection, ...] = ()
    readonly_object: bool = False  # a view (GLDETAIL, AUDITHISTORY): no create/update/delete
    restricted: bool = False  # the readonly user may not read it (PL04000005)
    custom: bool = False  # platform (user-defined) object
    document_type: str = ""
    key_field: str = "RECORDNO"
    description: str = ""

    @cached_property
    def field_map(self) -> dict[str, FieldDef]:
        """Upper-cased id -> field (field names are case-insensitive on input)."""
        return {f.id.upper(): f for f in self.fields}

    def field(self, name: str) -> FieldDef | None:
        return self.field_map.get(name.upper())

    @cached_property
    def queryable_fields(self) -> tuple[FieldDef, ...]:
        return tuple(f for f in self.fields if f.queryable)

    @cached_property
    def has_whenmodified(self) -> bool:
        return "WHENMODIFIED" in self.field_map

    @cached_property
    def multi_entity(self) -> bool:
        """Records carry an owning entity (MEGAENTITYID); NULL = top level, shared."""
        return "MEGAENTITYID" in self.field_map

    def relationship(self, path: str) -> Relationship | None:
        wanted = path.upper()
        for rel in self.relationships:
            if rel.path.upper() == wanted:
                return rel
        return None


# ---- compact constructors used by the data modules ----


def fld(
    id: str,
    label: str,
    datatype: str = "TEXT",
    *,
    description: str = "",
    required: bool = False,
    readonly: bool = False,
    custom: bool = False,
    values: tuple[str, ...] = (),
    aliases: dict[str, str] | None = None,
    queryable: bool = True,
    letter_boolean: bool = False,
) -> FieldDef:
    return FieldDef(
        id=id,
        label=label,
        datatype=datatype,
        description=description or label,
        required=required,
        readonly=readonly,
        iscustom=custom,
        validvalues=values,
        aliases=tuple((aliases or {}).items()),
        queryable=queryable,
        letter_boolean=letter_boolean,
    )


def recordno() -> FieldDef:
    return fld("RECORDNO", "Record number", "INTEGER", readonly=True, description="Record Number")


def status_field() -> FieldDef:
    """STATUS renders active/inactive; readByQuery filters with T/F (protocol.md §4.2, §5.3)."""
    return fld(
        "STATUS",
        "Status",
        "ENUM",
        values=("active", "inactive"),
        aliases={"T": "active", "F": "inactive"},
    )


def audit_fields(*, whencreated: str = "TIMESTAMP") -> tuple[FieldDef, ...]:
    """WHENCREATED/WHENMODIFIED/CREATEDBY/MODIFIEDBY (docs/protocol.md §7); WHENCREATED is a DATE on
    transaction objects, where AUWHENCREATED is the audit timestamp (docs/protocol.md §5.2)."""
    out = []
    if whencreated == "DATE":
        out.append(
            fld("WHENCREATED", "Date", "DATE", required=True, description="Transaction date")
        )
        out.append(fld("AUWHENCREATED", "Audit when created", "TIMESTAMP", readonly=True))
    else:
        out.append(fld("WHENCREATED", "When created", "TIMESTAMP", readonly=True))
    out += [
        fld("WHENMODIFIED", "When modified", "TIMESTAMP", readonly=True),
        fld("CREATEDBY", "Created by", "INTEGER", readonly=True),
        fld("MODIFIEDBY", "Modified by", "INTEGER", readonly=True),
    ]
    return tuple(out)


def entity_fields() -> tuple[FieldDef, ...]:
    """Owning entity of a record (docs/protocol.md §7, §8): empty for top-level (shared) records."""
    return (
        fld("MEGAENTITYKEY", "Created at - Entity key", "INTEGER", readonly=True),
        fld("MEGAENTITYID", "Created at - Entity ID", readonly=True),
        fld("MEGAENTITYNAME", "Created at - Entity name", readonly=True),
    )


RECORD_URL = "RECORD_URL"
RECORD_URL_BASE = "https://www.intacct.com/ia/acct/ur.phtml?.r="


def record_url_field() -> FieldDef:
    """RECORD_URL: the link to the record in Intacct's UI, a common field of standard
    objects in the public object reference (docs/protocol.md §7 "Common conventions"). The database
    computes it from the key (db.object_ddl), so it is never written."""
    return fld(RECORD_URL, "Record URL", readonly=True, description="URL of the record in the UI")


def with_record_url(obj: ObjectDef) -> ObjectDef:
    """`obj` with RECORD_URL appended, for standard objects (not views, not platform
    objects) that do not list it already."""
    if obj.custom or obj.readonly_object or obj.field(RECORD_URL) is not None:
        return obj
    return replace(obj, fields=(*obj.fields, record_url_field()))


def record_url(obj: ObjectDef, key: object) -> str:
    """The RECORD_URL value of record `key` (the same text db.object_ddl computes)."""
    return f"{RECORD_URL_BASE}{obj.name.lower()}.{key}"


@dataclass
class CatalogIndex:
    """Name lookup over all loaded object definitions (case-insensitive names)."""

    objects: dict[str, ObjectDef] = field(default_factory=dict)

    def add(self, obj: ObjectDef) -> None:
        key = obj.name.upper()
        if key in self.objects:
            raise ValueError(f"duplicate object definition {obj.name}")
        self.objects[key] = obj
