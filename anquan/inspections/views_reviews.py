"""Pages of the loop's inspection steps: on-site measures and the rectification order from the inspection page
(issuing.py), and the rectification reviews (复查) as phone cards — the list with the countdown, one review's card
and recording it (reviews.py). Each form carries a client key, so a resend from a weak network issues nothing
twice."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anquan.core.errors import form_errors as _errors
from anquan.core.errors import http_status as _status
from anquan.core.offline import REFUSALS, submit_once
from anquan.core.permissions import Perm, has_perm
from anquan.core.scope import get_in_scope
from anquan.core.uploads import scoped_file

from . import issuing, reviews, seizure, views
from .choices import ReviewStatus
from .models import RectificationReview, ReviewPhoto
from .workflow import REVIEWS

LIST_LIMIT = 200


def _step(request: HttpRequest, pk: int, scope: str, step: Any) -> HttpResponse | None:
    """Run an issuing step once per form key; None when done, else the inspection page with the errors."""

    try:
        submit_once(request, f"inspections.{scope}.{pk}", lambda: {"id": step().pk})
    except REFUSALS as exc:
        insp = views._get(request, pk)
        return views._detail(request, insp, errors=_errors(exc), status=_status(exc), open_form=scope)
    return None


@login_required
@require_POST
def measures(request: HttpRequest, pk: int) -> HttpResponse:
    """现场处理措施: the measures ticked and written, the facts, the basis, an optional deadline."""
    insp = views._get(request, pk)
    raw: dict[str, Any] = {k: request.POST.get(k, "") for k in ("other", "facts", "legal_basis", "deadline")}
    raw = {k: v for k, v in raw.items() if v}
    raw["measures"] = request.POST.getlist("measures")
    refused = _step(request, pk, "measures", lambda: issuing.take_measures(insp, raw, actor=request.user))
    if refused is not None:
        return refused
    messages.success(request, _("The on-site measures decision was issued."))
    return redirect("inspections:detail", pk=pk)


@login_required
@require_POST
def seize(request: HttpRequest, pk: int) -> HttpResponse:
    """查封、扣押: the measure, the items one per line, the period in days, the facts and the basis."""
    insp = views._get(request, pk)
    raw: dict[str, Any] = {
        k: request.POST.get(k, "") for k in ("measure", "period_days", "facts", "legal_basis")
    }
    raw["items"] = request.POST.get(
        "seized", ""
    )  # the form's name: `items` would shadow the QueryDict method
    raw = {k: v for k, v in raw.items() if v}  # what was typed is shown again on a refusal
    refused = _step(request, pk, "seizure", lambda: seizure.seize(insp, raw, actor=request.user))
    if refused is not None:
        return refused
    messages.success(request, _("The coercive measures decision was issued."))
    return redirect("inspections:detail", pk=pk)


@login_required
@require_POST
def order(request: HttpRequest, pk: int) -> HttpResponse:
    """责令限期整改: the non-compliant items ticked, the basis, the deadline (default from their hazards)."""
    insp = views._get(request, pk)
    raw: dict[str, Any] = {k: request.POST.get(k, "") for k in ("legal_basis", "deadline")}
    raw = {k: v for k, v in raw.items() if v}
    raw["items"] = request.POST.getlist("items")
    refused = _step(request, pk, "order", lambda: issuing.order_rectification(insp, raw, actor=request.user))
    if refused is not None:
        return refused
    messages.success(request, _("The rectification order was issued; its review is in your to-do list."))
    return redirect("inspections:detail", pk=pk)


@login_required
def review_list(request: HttpRequest) -> HttpResponse:
    """The reviews in scope as cards, pending first by due date; `?mine=1` (an inspector's default): their own."""
    today = timezone.localdate()
    qs = reviews.scoped(request.user)
    mine = request.GET.get("mine", "1" if has_perm(request.user, Perm.INSPECTION_CONDUCT) else "")
    if mine == "1":
        qs = qs.filter(inspection__inspectors=request.user.pk)
    status = request.GET.get("status", "")
    if status in ReviewStatus.values:
        qs = qs.filter(status=status)
    rows = list(qs.order_by("due_on", "id")[:LIST_LIMIT])
    rows.sort(key=lambda r: (r.status != ReviewStatus.PENDING, r.due_on, r.pk))
    cards = [(r, *reviews.countdown_of(r, today)) for r in rows]
    return render(
        request,
        "inspections/reviews.html",
        {"cards": cards, "mine": mine, "status": status, "statuses": ReviewStatus.choices},
    )


def _review_page(
    request: HttpRequest,
    review: RectificationReview,
    *,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    today = timezone.localdate()
    text, late = reviews.countdown_of(review, today)
    return render(
        request,
        "inspections/review.html",
        {
            "r": review,
            "i": review.inspection,
            "items": list(review.items.select_related("item__hazard").order_by("item__order", "item_id")),
            "photos": list(review.photos.all()),
            "documents": [d for d in (review.order, review.opinion) if d is not None],
            "countdown": text,
            "late": late,
            "can_record": bool(REVIEWS.available(review, request.user)),
            "case_url": reviews.case_url(review),
            "events": list(review.events.order_by("at", "id")),
            "errors": errors or {},
            "form_key": uuid.uuid4().hex,
        },
        status=status,
    )


@login_required
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _review_page(request, get_in_scope(reviews.scoped(request.user), request.user, pk=pk))


def _posted_results(request: HttpRequest, review: RectificationReview) -> list[dict[str, Any]]:
    """The card's radios `item-<id>` = yes | no as the service's results (a missing one stays missing)."""
    results = []
    for row in review.items.all():
        value = request.POST.get(f"item-{row.item_id}", "")
        if value in ("yes", "no"):
            results.append({"item": row.item_id, "rectified": value == "yes"})
    return results


@login_required
@require_POST
def review_record(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_in_scope(reviews.scoped(request.user), request.user, pk=pk)
    photos = request.FILES.getlist("photos")
    raw = {"results": _posted_results(request, review), "note": request.POST.get("note", "")}

    def create() -> dict[str, Any]:
        done = reviews.record(review, raw, actor=request.user, photos=photos)
        return {"id": done.pk, "status": done.status}

    try:
        body = submit_once(request, f"inspections.review.{pk}", create, photos)
    except REFUSALS as exc:
        fresh = get_in_scope(reviews.scoped(request.user), request.user, pk=pk)
        return _review_page(request, fresh, errors=_errors(exc), status=_status(exc))
    if body.get("status") == ReviewStatus.NOT_RECTIFIED:
        messages.warning(request, _("Recorded as not rectified: the review opinion was issued; open a case."))
    else:
        messages.success(request, _("Recorded as rectified: the review opinion was issued."))
    return redirect("inspections:review", pk=pk)


@login_required
def review_photo(request: HttpRequest, pk: int) -> FileResponse:
    return scoped_file(request.user, ReviewPhoto, pk)
