"""One stream per REST object: the XML streams' paging and state, REST's types.

Everything but the caster and the source of deletes is `IntacctStream`'s: keyset pages
on (`audit.modifiedDateTime`, `key`) through the run's page scheduler, never-modified
rows, lookback, page-level STATE. REST has no audit trail query in this tap, so deletes
come from the key census (`key_census`) for every incremental object with an integer
key, not only for line objects: one count call per object per run when nothing was
deleted, and none on a first run, which builds the set from its own rows.
"""

from __future__ import annotations

from tap_intacct.casting import PageCasting
from tap_intacct.rest_casting import RestPageCaster
from tap_intacct.streams import IntacctStream


class RestStream(IntacctStream):
    """Records of one REST object (`accounts-payable/vendor` -> `accounts_payable_vendor`)."""

    def make_caster(self) -> PageCasting:
        """REST values (JSON strings, numbers, booleans) to Singer values."""
        return RestPageCaster(self.effective_schema, self.query_fields(), self.name)

    @property
    def uses_key_census(self) -> bool:
        """Every incremental object with an integer key finds its deletes by census."""
        if not self.captures_deletes or not self.spec.key_field:
            return False
        key_schema = self.effective_schema.get("properties", {}).get(self.spec.key_field, {})
        return "integer" in key_schema.get("type", [])
