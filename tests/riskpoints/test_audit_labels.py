"""Audit entries written before the risk app was split keep their label ("risk.riskpoint": it is part of
their HMAC) and are still read as entries about the moved model (docs/adr/0015-risk-split.md)."""

from django.core.management import call_command
from django.forms.models import model_to_dict
from django.test import Client

from anquan.core import audit
from anquan.core.models import AuditEntry

from .helpers import new_point


def entry_from_before_the_split(entry: AuditEntry) -> AuditEntry:
    """The same change as an entry of the previous release wrote it: under the risk app's label."""
    fields = model_to_dict(entry, exclude=["id", "seq", "key_id", "prev_hash", "hash"])
    fields["actor_id"] = fields.pop("actor")
    return AuditEntry.objects.create(**{**fields, "model": "risk.riskpoint"})


def test_old_entries_show_like_new_ones_and_both_are_found_under_either_label(world, api_token):
    point = new_point(world)
    new = AuditEntry.objects.get(model="riskpoints.riskpoint", object_id=str(point.pk))
    old = entry_from_before_the_split(new)
    audit.chain_pending()

    assert old.changed_fields() == new.changed_fields()  # field names and choices read from the model
    assert {e.pk for e in audit.history(point)} == {old.pk, new.pk}
    token = api_token("county_office")
    for label in ("risk.riskpoint", "riskpoints.riskpoint"):
        found = Client().get(f"/api/v1/audit-entries?model={label}&object_id={point.pk}", **token).json()
        assert {row["id"] for row in found["items"]} == {old.pk, new.pk}
        assert {row["model"] for row in found["items"]} == {"risk.riskpoint", "riskpoints.riskpoint"}
    call_command("audit", "verify", "--no-anchor")  # raises on a broken chain
