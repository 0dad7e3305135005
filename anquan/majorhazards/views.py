"""Major hazard installation pages: the list, one installation with its GB 18218 computation line by
line, and the form."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from anquan.accounts.http import AuthedRequest
from anquan.core.errors import NotPermitted, ValidationFailed
from anquan.core.errors import form_errors as _errors
from anquan.core.hooks import Hook
from anquan.core.paging import paginate, remember_filters
from anquan.core.scope import get_in_scope, restrict
from anquan.riskpoints import services as points
from anquan.standards.choices import UnitType

from . import sensors
from . import services as installations
from .models import MajorHazardInstallation


@login_required
@remember_filters
def installation_list(request: AuthedRequest) -> HttpResponse:
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
    page = paginate(request, qs)
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
    return render(
        request, "majorhazards/installation_list.html", {"page": page, "grade_choices": grade_choices}
    )


# Hook `majorhazards.views.detail_panels`: function(user, installation) → the context of the apps above for their
# panels of the installation's page (monitoring: its points and the required kinds without one)
detail_panels = Hook("majorhazards.views.detail_panels")


@login_required
def installation_detail(request: AuthedRequest, pk: int) -> HttpResponse:
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
    panels: dict[str, Any] = {}
    for context in detail_panels.call(request.user, inst):
        panels |= context
    return render(
        request,
        "majorhazards/installation_detail.html",
        {
            **panels,
            "i": inst,
            "c": inst.computation,
            "persons": persons,
            "can_write": points.can_write(request.user, inst.enterprise),
            "sensor_source": sensors.source(),
        },
    )


SUBSTANCE_ROWS = 6


@login_required
def installation_form(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
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
    values: dict[str, Any]
    rows: list[dict[str, Any]]
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
            return redirect("majorhazards:installation", pk=inst.pk)
    return render(
        request,
        "majorhazards/installation_form.html",
        {
            "inst": inst,
            "values": values,
            "rows": rows,
            "errors": errors,
            # an error of one of these is shown under its field, the others above the form
            "fields": ("name", "unit_type", "exposed_persons")
            + (() if inst or user.enterprise_id else ("enterprise",)),
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
