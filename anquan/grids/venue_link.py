"""The small venues a patrol visits, through the venues app's interface (COMMON14): `venues.models.SmallVenue`,
`venues.checklist.items_for` (the 九小 items of a kind, rule data) and `venues.services.record_check` (the last
check the venue's public page shows)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from anquan.regions.models import Grid
from anquan.venues import checklist as venue_checklist
from anquan.venues import services as venue_services
from anquan.venues.choices import CheckSource, VenueKind, VenueStatus
from anquan.venues.models import SmallVenue


def venues_of(grid: Grid) -> list[dict[str, Any]]:
    """The grid's open venues, as patrol targets."""
    labels = dict(VenueKind.choices)
    return [
        {
            "type": "venue",
            "id": v.pk,
            "name": v.name,
            "kind": v.kind,
            "label": str(labels.get(v.kind, v.kind)),
        }
        for v in SmallVenue.objects.filter(grid=grid)
        .exclude(status=VenueStatus.CLOSED)
        .order_by("name", "pk")
    ]


def kind_label(kind: str) -> str:
    return str(dict(VenueKind.choices).get(kind, kind))


def venue(pk: int) -> SmallVenue | None:
    return SmallVenue.objects.filter(pk=pk).first()


def checklist(kind: str, on: dt.date, region_code: str = "") -> list[venue_checklist.ChecklistItem]:
    """The 九小 fire-safety items of a venue kind on a day."""
    return venue_checklist.items_for(kind, on, region_code)


def record_check(
    target: SmallVenue, *, on: dt.date, ok: bool, actor: Any, items: list[dict[str, Any]]
) -> None:
    venue_services.record_check(target, on=on, ok=ok, source=CheckSource.PATROL, actor=actor, items=items)
