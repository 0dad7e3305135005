"""The site search (the box in the header): enterprises in the user's scope, closest matches first
(`enterprises.filters.ranked`), the first ones shown with the total and a link to all of them in the
enterprise list (same search, same order)."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse

from anquan.accounts.http import AuthedRequest
from anquan.core.scope import restrict
from anquan.enterprises import filters as enterprise_filters
from anquan.enterprises.models import Enterprise

SHOWN = 20


@login_required
def search(request: AuthedRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[: enterprise_filters.MAX_Q]
    results: list[Enterprise] = []
    total = 0
    if q:
        qs = enterprise_filters.ranked(restrict(Enterprise, request.user), q)
        total = qs.count()
        results = list(qs.select_related("region", "industry")[:SHOWN])
    context = {
        "q": q,
        "results": results,
        "total": total,
        "all_url": f"{reverse('enterprises:list')}?{urlencode({'q': q})}",
    }
    return render(request, "overview/search.html", context)
