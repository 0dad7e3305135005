"""Assessment pages: the scheme in force, the assessments with a new one, one assessment (ranking, actions, manual
points), one score's breakdown, the yearly evaluation document, and the flags page. Addresses in urls.py."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anquan.accounts.http import AuthedRequest
from anquan.core.errors import Conflict, NotPermitted, ValidationFailed
from anquan.core.errors import form_errors as _errors
from anquan.core.errors import http_status as _status
from anquan.core.paging import paginate
from anquan.rules.models import RuleVersion
from anquan.rules.services import RuleMissing, in_force

from . import criteria, flags, scoring, services
from .choices import AssessmentStatus, FlagColour, HolderKind, SubjectLevel
from .rules import SCHEME, Scheme
from .workflow import FLOW

REFUSED = (ValidationFailed, NotPermitted, Conflict)


def _scheme_rows(scheme: Scheme) -> list[dict[str, Any]]:
    return [
        {
            "c": c,
            "metric_label": criteria.METRICS[c.metric][0] if c.metric else _("Entered by the office"),
        }
        for c in scheme.criteria
    ]


@login_required
def schemes(request: AuthedRequest) -> HttpResponse:
    region_code = request.user.region_code or ""
    try:
        version = in_force(SCHEME, timezone.localdate(), region_code)
    except RuleMissing:
        version = None
    scheme = Scheme.model_validate(version.values) if version else None
    return render(
        request,
        "assessments/schemes.html",
        {
            "version": version,
            "scheme": scheme,
            "rows": _scheme_rows(scheme) if scheme else [],
            "total_max": sum(c.max_points for c in scheme.criteria) if scheme else 0,
            "tie_rule": scoring.tie_rule(scheme) if scheme else "",
            "flag_rule": scoring.flag_rule(scheme) if scheme else "",
            "versions": RuleVersion.objects.filter(key=SCHEME).order_by("-effective_from"),
        },
    )


@login_required
def assessment_list(request: AuthedRequest) -> HttpResponse:
    user = request.user
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        values = {
            f: request.POST.get(f, "") for f in ("title", "period_start", "period_end", "subjects", "scheme")
        }
        try:
            assessment = services.create(user, values)
        except REFUSED as exc:
            errors, status = _errors(exc), _status(exc)
        else:
            messages.success(request, _("Assessment created; compute the scores from the data now."))
            return redirect("assessments:detail", pk=assessment.pk)
    year = timezone.localdate().year - 1
    values.setdefault("period_start", f"{year}-01-01")
    values.setdefault("period_end", f"{year}-12-31")
    return render(
        request,
        "assessments/list.html",
        {
            "page": paginate(request, services.visible(user)),
            "may_create": services.may_manage(user),
            "values": values,
            "errors": errors,
            "levels": SubjectLevel.choices,
            "versions": RuleVersion.objects.filter(key=SCHEME).order_by("-effective_from"),
        },
        status=status,
    )


@login_required
def assessment_detail(
    request: AuthedRequest,
    pk: int,
    errors: dict[str, str] | None = None,
    values: Any = None,
    status: int = 200,
) -> HttpResponse:
    assessment = services.get(request.user, pk)
    scheme = services.scheme_of(assessment)
    manual = [c for c in scheme.criteria if c.rule == "manual"]
    return render(
        request,
        "assessments/detail.html",
        {
            "a": assessment,
            "scheme": scheme,
            "scores": assessment.scores.select_related("region", "department").order_by("order"),
            "actions": FLOW.available(assessment, request.user),
            "tie_rule": scoring.tie_rule(scheme),
            "flag_rule": scoring.flag_rule(scheme),
            "manual": manual,
            "may_enter": manual
            and assessment.status != AssessmentStatus.PUBLISHED
            and FLOW.can(assessment, "compute", request.user),
            "subjects": services.subjects_of(assessment.region, assessment.subjects),
            "entries": assessment.manual_entries.select_related(
                "region", "department", "entered_by"
            ).order_by("-entered_at"),
            "flags": assessment.flags.order_by("colour", "rank", "region_code"),
            "errors": errors or {},
            "values": values or {},
        },
        status=status,
    )


@login_required
@require_POST
def assessment_transition(request: AuthedRequest, pk: int) -> HttpResponse:
    assessment = services.get(request.user, pk)
    action = request.POST.get("action", "")
    try:
        services.transition(assessment, action, actor=request.user)
    except REFUSED as exc:
        return assessment_detail(request, pk, errors=_errors(exc), status=_status(exc))
    messages.success(
        request,
        _("Scores computed from the data.")
        if action == "compute"
        else _("Results published; the flags are awarded."),
    )
    return redirect("assessments:detail", pk=pk)


@login_required
@require_POST
def manual_entry(request: AuthedRequest, pk: int) -> HttpResponse:
    assessment = services.get(request.user, pk)
    values = {f: request.POST.get(f, "") for f in ("criterion", "subject", "points", "reason")}
    try:
        services.enter_manual(assessment, values, request.FILES.getlist("file"), actor=request.user)
    except REFUSED as exc:
        return assessment_detail(request, pk, errors=_errors(exc), values=values, status=_status(exc))
    messages.success(request, _("Points entered; they count when the scores are computed again."))
    return redirect("assessments:detail", pk=pk)


@login_required
def score_detail(request: AuthedRequest, pk: int, score_pk: int) -> HttpResponse:
    assessment = services.get(request.user, pk)
    score = services.score_of(assessment, score_pk)
    return render(
        request,
        "assessments/score.html",
        {
            "a": assessment,
            "s": score,
            "scheme": services.scheme_of(assessment),
            "tie_rule": scoring.tie_rule(services.scheme_of(assessment)),
        },
    )


@login_required
def evaluation_document(request: AuthedRequest, pk: int) -> HttpResponse:
    from .document import evaluation_docx

    assessment = services.get(request.user, pk)
    data, name = evaluation_docx(assessment)
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    from django.utils.http import content_disposition_header

    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


@login_required
def flag_list(request: AuthedRequest) -> HttpResponse:
    user = request.user
    values: dict[str, Any] = {"colour": "red", "holder_kind": "region"}
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        fields = (
            "colour",
            "holder_kind",
            "region",
            "department",
            "enterprise",
            "period_start",
            "period_end",
            "reason",
        )
        values = {f: request.POST.get(f, "") for f in fields}
        try:
            flags.award_by_decision(user, values)
        except REFUSED as exc:
            errors, status = _errors(exc), _status(exc)
        else:
            messages.success(request, _("Flag awarded."))
            return redirect("assessments:flags")
    return render(
        request,
        "assessments/flags.html",
        {
            "current": flags.current(user),
            "history": flags.visible(user).filter(passed_on__isnull=False)[:200],
            "may_award": services.may_manage(user),
            "values": values,
            "errors": errors,
            "colours": FlagColour.choices,
            "kinds": HolderKind.choices,
            "regions": _award_regions(user),
        },
        status=status,
    )


def _award_regions(user: Any) -> list[Any]:
    from anquan.regions.models import Region

    if user.region is None:
        return []
    return list(Region.objects.filter(parent=user.region).order_by("code"))
