"""The public page of a risk point: what the QR code on its notice card opens, for whoever scans it, with
or without an account. It shows the point's name, its risk level, its control measures and the emergency
numbers, and nothing else (not the enterprise's records, the assessments, the people behind them or the
id). The address carries a token (tokens.py); an unknown or forged one answers 404 like any missing page.
Read-only: the page has no form and no link into the system."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from anquan.standards.choices import LEVEL_COLOURS

from . import cards
from .models import RiskPoint
from .tokens import point_id


def public_data(point: RiskPoint) -> dict[str, Any]:
    """What the public page shows, as plain values."""
    level = point.current_level
    measures = cards.measures_by_kind(point)
    enterprise = point.enterprise
    phones = [("火警", "119", ""), ("急救", "120", "")]
    if enterprise.safety_manager_phone:
        phones.append(("企业安全管理人员", enterprise.safety_manager_phone, enterprise.safety_manager_name))
    return {
        "name": point.name,
        "level": level,
        "level_label": cards.level_label(level),
        "colour": LEVEL_COLOURS.get(level, cards.UNASSESSED_COLOUR),
        "ink": "#000" if level == "yellow" else "#fff",
        "measures": [(label, measures.get(kind) or []) for kind, label in cards.MEASURE_LABELS.items()],
        "phones": phones,
    }


@require_GET
def public_point(request: HttpRequest, token: str) -> HttpResponse:
    pk = point_id(token)
    point = RiskPoint.objects.select_related("enterprise").filter(pk=pk).first() if pk else None
    if point is None:
        raise Http404
    response = render(request, "riskpoints/public_point.html", {"p": public_data(point)})
    response["Cache-Control"] = "no-cache"  # measures change: always ask again
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"  # the token stays on this page
    return response
