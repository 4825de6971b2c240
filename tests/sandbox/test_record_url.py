"""RECORD_URL: listed by `lookup` on every standard object and filled on every record."""

from __future__ import annotations

import re
from typing import Any

from intacct_sandbox.catalog import all_objects

URL = re.compile(r"^https://www\.intacct\.com/ia/acct/ur\.phtml\?\.r=([a-z_]+)\.(\d+)$")
VIEWS = {"GLDETAIL", "AUDITHISTORY"}


def test_every_standard_object_has_record_url() -> None:
    objects = all_objects()
    with_url = {o.name for o in objects if o.field("RECORD_URL") is not None}
    standard = {o.name for o in objects if not o.custom and not o.readonly_object}
    assert standard == with_url
    assert {"VENDOR", "CUSTOMER", "GLBATCH", "GLENTRY", "APBILL", "CLASS"} <= with_url
    assert not VIEWS & with_url
    for obj in objects:
        field = obj.field("RECORD_URL")
        if field is not None:
            assert field.readonly
            assert field.datatype == "TEXT"


def test_lookup_query_and_read_fill_record_url(clean_sandbox: Any, kit: Any) -> None:
    gw = kit.Gateway(clean_sandbox.api_url)
    lookup = gw.post(kit.envelope("<lookup><object>VENDOR</object></lookup>")).results()[0]
    ids = [f.findtext("ID") for f in lookup.findall("data/Type/Fields/Field")]
    assert "RECORD_URL" in ids
    query = gw.post(
        kit.envelope(
            "<query><object>VENDOR</object><select><field>RECORDNO</field>"
            "<field>RECORD_URL</field></select><pagesize>5</pagesize></query>"
        )
    ).results()[0]
    rows = query.findall("data/VENDOR")
    assert len(rows) == 5
    for row in rows:
        match = URL.match(row.findtext("RECORD_URL") or "")
        assert match, row.findtext("RECORD_URL")
        assert match.groups() == ("vendor", row.findtext("RECORDNO"))
    stored = {r["RECORDNO"]: r["RECORD_URL"] for r in clean_sandbox.records("VENDOR")}
    first = rows[0]
    assert stored[int(first.findtext("RECORDNO"))] == first.findtext("RECORD_URL")


def test_records_written_get_their_url(clean_sandbox: Any, kit: Any) -> None:
    gw = kit.Gateway(clean_sandbox.api_url)
    class_id = kit.unique_id("C")
    created = gw.post(
        kit.envelope(f"<create><CLASS><CLASSID>{class_id}</CLASSID><NAME>n</NAME></CLASS></create>")
    ).results()[0]
    recordno = kit.text_of(created, "data/class/RECORDNO")
    read = gw.post(
        kit.envelope(
            f"<read><object>CLASS</object><keys>{recordno}</keys>"
            "<fields>RECORDNO,RECORD_URL</fields></read>"
        )
    ).results()[0]
    assert kit.text_of(read, "data/CLASS/RECORD_URL").endswith(f"?.r=class.{recordno}")
    # the field is read-only: a value sent on update is ignored, the link stays
    update = (
        f"<update><CLASS><RECORDNO>{recordno}</RECORDNO>"
        "<RECORD_URL>https://elsewhere.example/</RECORD_URL></CLASS></update>"
    )
    assert kit.text_of(gw.post(kit.envelope(update)).results()[0], "status") == "success"
    [row] = [r for r in clean_sandbox.records("CLASS") if r["CLASSID"] == class_id]
    assert row["RECORD_URL"].endswith(f"?.r=class.{recordno}")
    lines = clean_sandbox.records("GLENTRY")[:3]
    assert [URL.match(r["RECORD_URL"]).groups() for r in lines] == [  # type: ignore[union-attr]
        ("glentry", str(r["RECORDNO"])) for r in lines
    ]


def test_a_file_seeded_before_record_url_is_rebuilt(sandbox_factory: Any, tmp_path: Any) -> None:
    import sqlite3

    first = sandbox_factory(db_path=tmp_path / "old.db")
    first.stop()
    conn = sqlite3.connect(str(tmp_path / "old.db"))
    with conn:
        conn.execute("UPDATE _sandbox_meta SET value = '1' WHERE key = 'schema_version'")
    conn.close()
    again = sandbox_factory(db_path=tmp_path / "old.db")
    [row] = again.records("CLASS")[:1]
    assert row["RECORD_URL"].endswith(f"?.r=class.{row['RECORDNO']}")
    conn = sqlite3.connect(str(tmp_path / "old.db"))
    try:
        version = conn.execute(
            "SELECT value FROM _sandbox_meta WHERE key = 'schema_version'"
        ).fetchone()
    finally:
        conn.close()
    assert version == ("2",)
