"""The public page /public/enforcement/ (行政执法公示, no login): the penalty decisions in force, individuals'
names masked (publicity.py), 20 a page (the lists' pager), throttled per address (core.public)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from anquan.core.paging import paginate
from anquan.core.public import PublicThrottle, public, refused
from anquan.regions.inputs import public_region

from . import publicity

PER_PAGE = 20


@require_GET
def public_decisions(request: HttpRequest) -> HttpResponse:
    if (too_many := refused(request, PublicThrottle(publicity.THROTTLE))) is not None:
        return too_many
    region = public_region(request.GET.get("region"))
    page = paginate(request, publicity.decisions(region.code if region is not None else None), PER_PAGE)
    context = {"page": page, "decisions": publicity.rows(list(page.object_list)), "region": region}
    return public(render(request, "enforcement/public_decisions.html", context))
