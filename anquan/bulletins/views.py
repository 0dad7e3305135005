"""Bulletin pages: the list with the form that generates one, the download, and the accident dashboard."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anquan.accounts.scope import region_in_scope
from anquan.core.errors import ValidationFailed
from anquan.core.idempotency import run_once
from anquan.regions.models import Region

from . import generate, periods, services
from .choices import Kind

FIELDS = ("kind", "region", "year", "month", "quarter", "issue_number")
GRANULARITIES = ("month", "quarter", "year")


def _defaults(user) -> dict:
    today = timezone.localdate()
    return {
        "kind": Kind.MONTHLY_DISPATCH,
        "region": user.region.code if user.region_id else "",
        "year": str(today.year),
        "month": str(today.month),
        "quarter": str(periods.quarter_of(today.month)),
        "issue_number": "",
    }


def _index(request, form: dict, errors: dict, status: int = 200):
    qs = services.filtered(request.user, request.GET)
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "bulletins/index.html",
        {
            "page": page,
            "form": form,
            "errors": errors,
            "form_key": uuid.uuid4().hex,
            "kinds": Kind.choices,
            "months": range(1, 13),
            "quarters": range(1, 5),
            "may_generate": generate.may_generate(request.user),
            "new": request.GET.get("new", ""),
        },
        status=status,
    )


@login_required
def index(request):
    return _index(request, _defaults(request.user), {})


@login_required
@require_POST
def generate_view(request):
    raw = {name: (request.POST.get(name) or "").strip() for name in FIELDS}

    def create():
        bulletin = generate.generate(request.user, raw)
        return 201, {"id": bulletin.id, "title": bulletin.title}

    try:
        _status, body = run_once(request, "bulletins.generate", request.POST.get("form_key") or None, create)
    except ValidationFailed as exc:
        form = {**_defaults(request.user), **{k: v for k, v in raw.items() if v}}
        return _index(request, form, {e.field: e.message for e in exc.errors})
    messages.success(request, _("Bulletin generated: %(title)s") % {"title": body["title"]})
    return redirect(f"{reverse('bulletins:index')}?new={body['id']}")


@login_required
def download(request, pk: int):
    return services.file_response(request.user, pk)


@login_required
def dashboard(request):
    """Accidents of a region in a month, quarter or year: totals, the year-on-year sentence, by area."""
    user, today = request.user, timezone.localdate()
    if user.region_id is None:  # an account without an area sees no statistics
        raise Http404
    granularity = request.GET.get("period") if request.GET.get("period") in GRANULARITIES else "month"
    chosen = {
        "year": request.GET.get("year") or str(today.year),
        "month": request.GET.get("month") or str(today.month),
        "quarter": request.GET.get("quarter") or str(periods.quarter_of(today.month)),
    }
    code = request.GET.get("region") or user.region.code
    region = Region.objects.filter(code=code).first()
    try:
        if region is None or not region_in_scope(user, region.code):
            raise ValidationFailed([])
        period = periods.resolve(granularity, chosen["year"], chosen["month"], chosen["quarter"], today=today)
    except ValidationFailed as exc:
        messages.error(request, "；".join(e.message for e in exc.errors) or _("Region not in your area."))
        region, granularity = user.region, "month"
        chosen = {
            "year": str(today.year),
            "month": str(today.month),
            "quarter": str(periods.quarter_of(today.month)),
        }
        period = periods.resolve("month", today.year, today.month, None, today=today)
    figures = generate.accident_figures(user, region, period)
    # the quarter a "generate quarterly bulletin" button would cover: the shown quarter, the quarter of the
    # shown month, or for a year the latest quarter that has begun
    quarter = period.quarter or periods.quarter_of(period.data_end.month)
    chart = [
        {
            "label": r["label"],
            "count": r["ytd_count"],
            "count_last_year": r["ytd_count_last_year"],
            "deaths": r["ytd_deaths"],
            "deaths_last_year": r["ytd_deaths_last_year"],
        }
        for r in figures["rows"]
    ]
    return render(
        request,
        "bulletins/dashboard.html",
        {
            "region": region,
            "period": period,
            "granularity": granularity,
            "chosen": chosen,
            "figures": figures,
            "chart": chart,
            "quarter": quarter,
            "months": range(1, 13),
            "quarters": range(1, 5),
            "may_generate": generate.may_generate(user),
            "form_key": uuid.uuid4().hex,
        },
    )
