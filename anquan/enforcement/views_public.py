"""The public page /public/enforcement/ (行政执法公示, no login): the penalty decisions in force, individuals'
names masked (publicity.py), 20 a page (the lists' pager), throttled per address like /public/random-draws/."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from anquan.core.paging import paginate
from anquan.regions.models import Region

from . import publicity

PER_PAGE = 20


@require_GET
def public_decisions(request: HttpRequest) -> HttpResponse:
    if not publicity.PublicThrottle().allow_request(request):
        response = render(request, "draws/public_throttled.html", status=429)
        response["Retry-After"] = "60"
        return response
    code = request.GET.get("region", "").strip()
    region = Region.objects.filter(code=code).first() if code else None
    if code and region is None:
        raise Http404
    page = paginate(request, publicity.decisions(code or None), PER_PAGE)
    response = render(
        request,
        "enforcement/public_decisions.html",
        {"page": page, "decisions": publicity.rows(list(page.object_list)), "region": region},
    )
    response["X-Robots-Tag"] = "noindex"
    return response
