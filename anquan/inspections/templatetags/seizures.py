"""`{% seizure_cards %}` on the inspection page: each 查封、扣押 of the inspection with its period (countdown), its
extension and release, and the forms to extend or release it for whom may (seizure.SEIZURES); after a refused
form (views_seizures.py) its messages stand under its fields."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from anquan.core.workdays import countdown

from .. import seizure

register = template.Library()


@register.inclusion_tag("inspections/_seizures.html", takes_context=True)
def seizure_cards(context: template.Context) -> dict[str, Any]:
    request = context["request"]
    insp = context["i"]
    today = timezone.localdate()
    open_form = str(context.get("open_form") or "")
    errors = context.get("errors") or {}
    cards = []
    for s in seizure.scoped(request.user).filter(inspection=insp):
        mine = {a: errors if open_form == f"seizure-{s.pk}-{a}" else {} for a in ("extend", "release")}
        cards.append(
            {
                "s": s,
                "countdown": countdown(s.ends_on, today) if s.status == "in_force" else None,
                "actions": seizure.SEIZURES.available(s, request.user),
                "left": getattr(s.rule_version.typed, "max_extension_days", 0) - s.extended_days,
                "errors": mine,
                "open": open_form.startswith(f"seizure-{s.pk}-"),
            }
        )
    return {"cards": cards, "csrf_token": context.get("csrf_token"), "request": request, "i": insp}
