"""Risk pages: risk points in the user's scope, one point (assessment history, measures, forms),
a new point, and major hazard installations with their GB 18218 computation line by line."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anquan.accidents.choices import Edition
from anquan.accidents.models import AccidentCategory
from anquan.core.errors import NotPermitted, ValidationFailed
from anquan.core.errors import form_errors as _errors
from anquan.core.idempotency import run_once
from anquan.core.scope import get_in_scope, restrict, within
from anquan.core.uploads import file_response

from . import assessment, installations, points, reassessment, sensors, services
from .choices import LEVEL_COLOURS, ControlTier, FactorKind, MeasureKind, PointKind, RiskLevel, UnitType
from .models import MajorHazardInstallation, RiskPoint, RiskPointPhoto


def _points(user):
    return restrict(RiskPoint, user).select_related("enterprise")


@login_required
def point_list(request):
    qs = _points(request.user)
    level = request.GET.get("level", "")
    if level in RiskLevel.values:
        qs = qs.filter(current_level=level)
    region = request.GET.get("region", "").strip()
    if region.isdigit():
        qs = qs.filter(within(region))
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(name__icontains=q) | qs.filter(enterprise__name__icontains=q)
    if request.GET.get("measures") == "none":
        qs = points.without_measures(qs)
    today = timezone.localdate()
    due = request.GET.get("due", "")
    if due in reassessment.DUE_FILTERS:
        qs = reassessment.filter_due(qs, due, today).order_by("next_assessment_due", "id")
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    for point in page.object_list:
        point.due_state = reassessment.state(point, today)
    own = request.user.enterprise if request.user.enterprise_id else None
    return render(
        request,
        "risk/point_list.html",
        {
            "page": page,
            "levels": RiskLevel.choices,
            "colours": LEVEL_COLOURS,
            "own": own,
            "own_level": points.enterprise_risk_level(own) if own else "",
            "rule": points.RULE_TEXT,
        },
    )


@login_required
def point_new(request):
    user = request.user
    context = {
        "kinds": PointKind.choices,
        "factor_kinds": FactorKind.choices,
        "categories": AccidentCategory.objects.filter(edition=Edition.GB6441_2025),
        "own": user.enterprise if user.enterprise_id else None,
        "form_key": uuid.uuid4().hex,
        "values": {},
        "chosen": {"factor_kinds": [], "accident_categories": []},
        "errors": {},
    }
    if request.method == "POST":
        raw = {
            k: request.POST.get(k, "").strip()
            for k in ("enterprise", "name", "kind", "location", "responsible_person")
        }
        raw["factor_kinds"] = request.POST.getlist("factor_kinds")
        raw["accident_categories"] = request.POST.getlist("accident_categories")

        def create():
            return 201, {"id": points.create_point(raw, actor=user).pk}

        try:
            _status, body = run_once(request, "risk.point", request.POST.get("form_key") or None, create)
        except (ValidationFailed, NotPermitted) as exc:
            context.update(
                errors=_errors(exc),
                values=raw,
                chosen={
                    "factor_kinds": raw["factor_kinds"],
                    "accident_categories": raw["accident_categories"],
                },
                form_key=request.POST.get("form_key") or context["form_key"],
            )
            return render(request, "risk/point_new.html", context, status=422)
        messages.success(request, _("Risk point recorded."))
        return redirect("risk:point", pk=body["id"])
    return render(request, "risk/point_new.html", context)


@login_required
def point_detail(request, pk, errors=None, posted=None, status=200):
    point = get_in_scope(_points(request.user).prefetch_related("accident_categories"), request.user, pk=pk)
    methods = []  # the assessment forms: each method with the active table's allowed factor values
    for method in assessment.METHODS:
        try:
            table = services.active_table(method, point.region_code)
        except LookupError:
            continue
        values: dict[str, list] = {}
        for fv in table.factor_values.all():
            values.setdefault(fv.factor, []).append((assessment.fmt(fv.value), fv.label))
        factors = [
            (f.lower(), assessment.FACTOR_NAMES[method][f], values.get(f, []))
            for f in assessment.FACTORS[method]
        ]
        methods.append((method, table, factors))
    return render(
        request,
        "risk/point_detail.html",
        {
            "p": point,
            "assessments": point.assessments.select_related("band_table"),
            "measures": point.measures.all(),
            "can_write": points.can_write(request.user, point.enterprise),
            "enterprise_level": points.enterprise_risk_level(point.enterprise),
            "rule": points.RULE_TEXT,
            "colours": LEVEL_COLOURS,
            "methods": methods,
            "measure_kinds": MeasureKind.choices,
            "tiers": ControlTier.choices,
            "errors": errors or {},
            "posted": posted or {},
        },
        status=status,
    )


@login_required
@require_POST
def point_assess(request, pk):
    point = get_in_scope(_points(request.user), request.user, pk=pk)
    method = request.POST.get("method", "")
    raw = {
        "method": method,
        "next_due": request.POST.get("next_due", ""),
        "residual": request.POST.get("residual"),
    }
    for factor in assessment.FACTORS.get(method.upper(), ()):
        raw[factor.lower()] = request.POST.get(f"{method.lower()}_{factor.lower()}", "")
    try:
        points.assess(point, raw, actor=request.user)
    except (ValidationFailed, NotPermitted) as exc:
        return point_detail(request, pk, errors=_errors(exc), posted=request.POST, status=422)
    messages.success(request, _("Assessment recorded."))
    return redirect("risk:point", pk=pk)


@login_required
@require_POST
def point_measure(request, pk):
    point = get_in_scope(_points(request.user), request.user, pk=pk)
    raw = {k: request.POST.get(k, "") for k in ("kind", "tier", "description", "responsible_person")}
    try:
        points.add_measure(point, raw, actor=request.user)
    except (ValidationFailed, NotPermitted) as exc:
        return point_detail(request, pk, errors=_errors(exc), posted=request.POST, status=422)
    messages.success(request, _("Measure recorded."))
    return redirect("risk:point", pk=pk)


@login_required
@require_POST
def point_photo_upload(request, pk):
    point = get_in_scope(_points(request.user), request.user, pk=pk)
    uploads = request.FILES.getlist("photos")
    if not uploads:
        return point_detail(request, pk, errors={"file": _("Choose at least one photo.")}, status=422)
    try:
        with transaction.atomic():  # all or none of the chosen photos
            for upload in uploads:
                points.add_photo(point, upload, actor=request.user)
    except (ValidationFailed, NotPermitted) as exc:
        return point_detail(request, pk, errors=_errors(exc), status=422)
    messages.success(request, _("Photos added."))
    return redirect("risk:point", pk=pk)


@login_required
def point_photo(request, pk):
    photo = get_in_scope(RiskPointPhoto, request.user, pk=pk)
    return file_response(photo.file, content_type=photo.content_type, name=photo.name)


@login_required
def installation_list(request):
    qs = restrict(MajorHazardInstallation, request.user).select_related("enterprise")
    grade = request.GET.get("grade", "")
    if grade in ("1", "2", "3", "4"):
        qs = qs.filter(is_major=True, grade=int(grade))
    elif grade == "12":
        qs = qs.filter(is_major=True, grade__in=(1, 2))
    elif grade == "none":
        qs = qs.filter(is_major=False)
    if request.GET.get("persons") == "incomplete":
        qs = qs.filter(installations.persons_incomplete())
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    for inst in page.object_list:
        inst.persons_complete = installations.has_all_persons(inst)
    grade_choices = [
        ("12", _("grade 1 or 2")),
        *[
            (str(n), label)
            for n, label in enumerate((_("Grade 1"), _("Grade 2"), _("Grade 3"), _("Grade 4")), 1)
        ],
        ("none", _("Not a major hazard installation")),
    ]
    return render(request, "risk/installation_list.html", {"page": page, "grade_choices": grade_choices})


@login_required
def installation_detail(request, pk):
    inst = get_in_scope(
        restrict(MajorHazardInstallation, request.user)
        .select_related("enterprise")
        .prefetch_related("substances"),
        request.user,
        pk=pk,
    )
    persons = [
        (label, getattr(inst, f"{p}_name"), getattr(inst, f"{p}_phone"))
        for p, label in zip(
            installations.PERSONS,
            (_("Principal person"), _("Technical person"), _("Operational person")),
            strict=True,
        )
    ]
    return render(
        request,
        "risk/installation_detail.html",
        {
            "i": inst,
            "c": inst.computation,
            "persons": persons,
            "can_write": points.can_write(request.user, inst.enterprise),
            "sensor_source": sensors.source(),
        },
    )


SUBSTANCE_ROWS = 6


@login_required
def installation_form(request, pk=None):
    """Record an installation, or change one (pk): the GB 18218 computation is redone on every save."""
    user = request.user
    inst = None
    if pk is not None:
        inst = get_in_scope(
            restrict(MajorHazardInstallation, user)
            .select_related("enterprise")
            .prefetch_related("substances"),
            user,
            pk=pk,
        )
    fields = ["enterprise", "name", "unit_type", "exposed_persons"] + [
        f"{p}_{f}" for p in installations.PERSONS for f in ("name", "phone")
    ]
    if request.method == "POST":
        values = {k: request.POST.get(k, "").strip() for k in fields}
        rows = [
            {k: request.POST.get(f"s{i}_{k}", "").strip() for k in ("name", "cas", "quantity_t", "category")}
            for i in range(SUBSTANCE_ROWS)
        ]
    elif inst is not None:
        values = {k: getattr(inst, k) for k in fields if k != "enterprise"}
        values["exposed_persons"] = "" if inst.exposed_persons is None else inst.exposed_persons
        rows = [
            {
                "name": s.name,
                "cas": s.cas,
                "quantity_t": s.quantity_t.normalize(),
                "category": ",".join(s.categories),
            }
            for s in inst.substances.all()
        ]
    else:
        values, rows = {"unit_type": "storage"}, []
    rows += [{} for _ in range(SUBSTANCE_ROWS - len(rows))]
    errors = {}
    if request.method == "POST":
        raw = {**values, "substances": [r for r in rows if any(r.values())]}
        try:
            if inst is None:
                inst = installations.create_installation(raw, actor=user)
            else:
                raw.pop("enterprise", None)
                inst = installations.update_installation(inst, raw, actor=user)
        except (ValidationFailed, NotPermitted) as exc:
            errors = _errors(exc)
        else:
            messages.success(request, _("Saved; the grade was computed again."))
            return redirect("risk:installation", pk=inst.pk)
    return render(
        request,
        "risk/installation_form.html",
        {
            "inst": inst,
            "values": values,
            "rows": rows,
            "errors": errors,
            "unit_types": UnitType.choices,
            "own": user.enterprise if user.enterprise_id else None,
            "persons": zip(
                installations.PERSONS,
                (_("Principal person"), _("Technical person"), _("Operational person")),
                strict=True,
            ),
        },
        status=422 if errors else 200,
    )
