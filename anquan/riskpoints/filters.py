"""Which risk points a list shows: the list page's, the API's and their Excel exports' one filter definition —
`q` (name or enterprise), `region` (its subtree), `level`, `enterprise` (USCC), `measures=none`, `due`. A value
the page cannot mean leaves the list empty and says why (never silently unfiltered); the API's schema refuses
such values before they get here (422)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from anquan.core.scope import within
from anquan.standards.choices import RiskLevel

from . import reassessment
from . import services as points
from .models import RiskPoint


def apply(qs: QuerySet[RiskPoint], params: Mapping[str, Any]) -> tuple[QuerySet[RiskPoint], list[str]]:
    """The points under `params` (request.GET, the API's filters or a queued export's), and a message per value
    it cannot mean."""
    errors: list[str] = []
    value = {name: str(params.get(name) or "").strip() for name in ("q", "region", "level", "enterprise")}
    if value["level"] in RiskLevel.values:
        qs = qs.filter(current_level=value["level"])
    elif value["level"]:
        errors.append(_("Unknown risk level."))
    if value["region"].isdigit():
        qs = qs.filter(within(value["region"]))
    elif value["region"]:
        errors.append(_("Unknown region."))
    if value["enterprise"]:
        qs = qs.filter(enterprise__uscc=value["enterprise"].upper())
    if value["q"]:
        qs = qs.filter(name__icontains=value["q"]) | qs.filter(enterprise__name__icontains=value["q"])
    measures = params.get("measures") or ""
    if measures == "none":
        qs = points.without_measures(qs)
    elif measures:
        errors.append(_("Unknown control measure filter."))
    due = params.get("due") or ""
    if due in reassessment.DUE_FILTERS:
        qs = reassessment.filter_due(qs, due, timezone.localdate()).order_by("next_assessment_due", "id")
    elif due:
        errors.append(_("Unknown re-assessment filter."))
    return (qs.none() if errors else qs), errors
