"""The small venues a patrol visits, read through the venues app's interface (COMMON14: `venues.models.SmallVenue`,
`venues.checklist.items_for`, `venues.services.record_check`). The venues app is built beside this one; until
its model exists (a branch without it) a grid simply has no venues, so patrols of enterprises still work."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from django.db.models import Model


def _module(name: str) -> Any | None:
    try:
        return import_module(f"anquan.venues.{name}")
    except ImportError:
        return None


def venue_model() -> type[Model] | None:
    models = _module("models")
    return getattr(models, "SmallVenue", None) if models is not None else None


def kind_label(kind: str) -> str:
    choices = _module("choices")
    labels = dict(choices.VenueKind.choices) if choices and hasattr(choices, "VenueKind") else {}
    return str(labels.get(kind, kind))


def venues_of(grid: Any) -> list[dict[str, Any]]:
    """The grid's venues (closed ones left out where the model says so), as patrol targets."""
    model = venue_model()
    if model is None:
        return []
    qs = model._default_manager.filter(grid=grid)
    if any(f.name == "status" for f in model._meta.fields):
        qs = qs.exclude(status="closed")
    return [
        {"type": "venue", "id": v.pk, "name": v.name, "kind": v.kind, "label": kind_label(v.kind)}
        for v in qs.order_by("name", "pk")
    ]


def venue(pk: int) -> Model | None:
    model = venue_model()
    return model._default_manager.filter(pk=pk).first() if model is not None else None


@dataclass(frozen=True)
class Item:
    code: str
    text: str


def checklist(kind: str, on: dt.date) -> list[Item]:
    """The 九小 fire-safety items of a venue kind on a day (venues.checklist.items_for); none without it."""
    module = _module("checklist")
    if module is None or not hasattr(module, "items_for"):
        return []
    return [Item(str(i.code), str(i.text)) for i in module.items_for(kind, on)]


def record_check(target: Model, *, on: dt.date, ok: bool, actor: Any) -> None:
    """The venue's last check (what its public page shows), through venues.services.record_check."""
    module = _module("services")
    if module is not None and hasattr(module, "record_check"):
        module.record_check(target, on=on, ok=ok, source="patrol", actor=actor)
