"""Random draw pages: the draws in scope, a new draft, one draw (its pools, seed, picks, conflicts, steps and the
results per pick), the recomputation ("结果一致"), and the declared links. The public page is in public.py.
Addresses in urls.py, the API in api.py."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anquan.accounts.http import AuthedRequest
from anquan.accounts.models import User
from anquan.core.errors import Conflict, NotPermitted, ValidationFailed
from anquan.core.errors import form_errors as _errors
from anquan.core.errors import http_status as _status
from anquan.core.paging import paginate, remember_filters
from anquan.core.permissions import Perm, Role, has_perm
from anquan.core.scope import get_in_scope, restrict
from anquan.enterprises.choices import RiskLevel
from anquan.orgs.models import Department, Industry
from anquan.regions.models import Region

from . import services
from .choices import STATUS_COLOURS, DrawStatus, LinkKind, PickResult
from .models import DeclaredLink, RandomDraw
from .workflow import FLOW

DRAFT_FIELDS = (
    "title",
    "region",
    "department",
    "pool_region",
    "industry",
    "risk_level",
    "key_supervision",
    "enterprise_count",
    "inspectors_per_enterprise",
    "repeat_days",
    "include_lower_regions",
    "seed",
)


def _draws(user: User) -> QuerySet[RandomDraw]:
    return restrict(RandomDraw, user).select_related("region", "department", "pool_region", "industry")


@login_required
@remember_filters
def draw_list(request: AuthedRequest) -> HttpResponse:
    qs = _draws(request.user)
    status = request.GET.get("status", "")
    if status in DrawStatus.values:
        qs = qs.filter(status=status)
    return render(
        request,
        "draws/draw_list.html",
        {
            "page": paginate(request, qs),
            "statuses": DrawStatus.choices,
            "colours": STATUS_COLOURS,
            "may_create": has_perm(request.user, Perm.DRAW_MANAGE),
        },
    )


@login_required
def draw_create(request: AuthedRequest) -> HttpResponse:
    user = request.user
    if not has_perm(user, Perm.DRAW_MANAGE):
        raise Http404
    values: dict[str, Any] = {"inspectors_per_enterprise": "2", "include_lower_regions": "on"}
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        values = {f: request.POST.get(f, "") for f in DRAFT_FIELDS}
        values["include_lower_regions"] = "on" if request.POST.get("include_lower_regions") else "off"
        try:
            draw = services.create_draft(values, actor=user)
        except (ValidationFailed, NotPermitted, Conflict) as exc:
            errors, status = _errors(exc), _status(exc)
        else:
            messages.success(request, _("Draft saved; it can be drawn now."))
            return redirect("draws:detail", pk=draw.pk)
    region = user.region
    assert region is not None
    return render(
        request,
        "draws/draw_form.html",
        {
            "values": values,
            "errors": errors,
            "departments": [] if user.department_id else Department.objects.order_by("id"),
            "regions": Region.objects.filter(code__startswith=region.prefix, level__lte=4).order_by("code")[
                :400
            ],
            "industries": Industry.objects.filter(kind="category"),
            "risk_levels": RiskLevel.choices,
            "default_repeat": services.figures(_today(), region.code),
        },
        status=status,
    )


def _today() -> Any:
    from django.utils import timezone

    return timezone.localdate()


@login_required
def draw_detail(
    request: AuthedRequest, pk: int, errors: dict[str, str] | None = None, status: int = 200
) -> HttpResponse:
    user = request.user
    draw = get_in_scope(_draws(user), user, pk=pk)
    picks = list(draw.picks.prefetch_related("assignments").order_by("position"))
    for p in picks:
        p.may_enter = services.may_enter_result(p, user)  # type: ignore[attr-defined]
        p.due = services.publication_due(p)  # type: ignore[attr-defined]
    rule = services.figures(draw.draw_date or _today(), draw.region_code)
    reasons: dict[str, int] = {}
    for *_pair, why in draw.conflicts:
        reasons[why] = reasons.get(why, 0) + 1
    return render(
        request,
        "draws/draw_detail.html",
        {
            "d": draw,
            "picks": picks,
            "events": draw.events.all(),
            "actions": FLOW.available(draw, user),
            "colours": STATUS_COLOURS,
            "results": PickResult.choices,
            "rule": rule,
            "reasons": [(services.WHY_TEXT.get(k, k), n) for k, n in sorted(reasons.items())],
            "errors": errors or {},
        },
        status=status,
    )


@login_required
@require_POST
def draw_act(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    draw = get_in_scope(_draws(user), user, pk=pk)
    action = request.POST.get("action", "")
    fields = {"seed": request.POST.get("seed", "")} if action == "draw" else {}
    try:
        services.transition(draw, action, actor=user, **fields)
    except (ValidationFailed, NotPermitted, Conflict) as exc:
        return draw_detail(request, pk, errors=_errors(exc), status=_status(exc))
    done = {
        "draw": _("Drawn."),
        "publish": _("Published: the public page lists it."),
        "complete": _("Random draw completed."),
    }
    messages.success(request, done.get(action, _("Done.")))
    return redirect("draws:detail", pk=pk)


@login_required
@require_POST
def pick_result(request: AuthedRequest, pk: int, position: int) -> HttpResponse:
    user = request.user
    draw = get_in_scope(_draws(user), user, pk=pk)
    pick = draw.picks.filter(position=position).first()
    if pick is None:
        raise Http404
    raw = {"result": request.POST.get("result", ""), "result_text": request.POST.get("result_text", "")}
    try:
        services.enter_result(pick, raw, actor=user)
    except (ValidationFailed, NotPermitted, Conflict) as exc:
        return draw_detail(request, pk, errors=_errors(exc), status=_status(exc))
    messages.success(request, _("Result saved for %(name)s.") % {"name": pick.enterprise_name})
    return redirect("draws:detail", pk=pk)


@login_required
def draw_rerun(request: AuthedRequest, pk: int) -> HttpResponse:
    """Recompute from the stored pools and seed, and say whether the result is the same. Writes nothing."""
    user = request.user
    draw = get_in_scope(_draws(user), user, pk=pk)
    try:
        check = services.recompute(draw)
    except Conflict as exc:
        return draw_detail(request, pk, errors=_errors(exc), status=409)
    names = dict(draw.picks.values_list("enterprise_id", "enterprise_name"))
    people = dict(User.objects.filter(pk__in=draw.inspector_pool).values_list("pk", "full_name"))
    rows = [(names.get(e, e), [people.get(i) or i for i in inspectors]) for e, inspectors in check.recomputed]
    return render(request, "draws/draw_rerun.html", {"d": draw, "check": check, "rows": rows})


@login_required
@remember_filters
def link_list(request: AuthedRequest) -> HttpResponse:
    user = request.user
    errors: dict[str, str] = {}
    values: dict[str, str] = {}
    status = 200
    may_declare = has_perm(user, Perm.LINK_DECLARE)
    if request.method == "POST":
        if not may_declare:
            raise Http404
        values = {f: request.POST.get(f, "") for f in ("inspector", "enterprise", "kind", "note")}
        try:
            services.declare_link(values, actor=user)
        except (ValidationFailed, NotPermitted, Conflict) as exc:
            errors, status = _errors(exc), _status(exc)
        else:
            messages.success(request, _("Link declared: random draws will leave this pair out."))
            return redirect("draws:links")
    links = restrict(DeclaredLink, user).select_related("inspector", "enterprise", "declared_by")
    if user.role == Role.INSPECTOR:
        links = links.filter(inspector=user)  # an inspector reads their own declarations, not colleagues'
    inspectors: list[User] = []
    if may_declare and user.role != Role.INSPECTOR:
        inspectors = list(
            restrict(User, user).filter(role=Role.INSPECTOR, is_active=True).order_by("username")
        )
        if user.department_id:
            inspectors = [i for i in inspectors if i.department_id == user.department_id]
    return render(
        request,
        "draws/link_list.html",
        {
            "page": paginate(request, links),
            "kinds": LinkKind.choices,
            "may_declare": may_declare,
            "inspectors": inspectors,
            "values": values,
            "errors": errors,
        },
        status=status,
    )
