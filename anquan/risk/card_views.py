"""The risk notice card of one risk point as a .docx download (anquan.risk.cards)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from anquan.core.scope import get_in_scope

from . import cards
from .models import RiskPoint

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@login_required
@require_GET
def risk_card(request, pk: int):
    """风险告知卡-<point>.docx; 404 for a point outside the user's scope."""
    point = get_in_scope(RiskPoint.objects.select_related("enterprise"), request.user, pk=pk)
    body = cards.build(point, request.build_absolute_uri("/"))
    response = HttpResponse(body, content_type=DOCX)
    response["Content-Disposition"] = content_disposition_header(True, cards.filename(point))
    response["Cache-Control"] = "private, no-store"
    return response
