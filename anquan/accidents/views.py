"""Accident pages: the register, recording an accident, and its page with the reporting chain,
late reports and the investigation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anquan.core import audit
from anquan.core.errors import Conflict, NotPermitted, ValidationFailed
from anquan.core.paging import paginate, remember_filters
from anquan.core.permissions import Perm, has_perm
from anquan.core.scope import get_in_scope, restrict
from anquan.core.uploads import scoped_file
from anquan.jobs import exports
from anquan.jobs.models import JobKind
from anquan.orgs.models import Industry

from . import actions, excel, filters, grading
from .choices import Action, Edition, Grade, Level, Window
from .models import Accident, AccidentCategory, AccidentPhoto


def _scoped(user):
    return restrict(Accident, user).select_related(
        "region", "enterprise", "category", "category__maps_to", "industry"
    )


def _message(exc) -> str:
    return "；".join(e.message for e in exc.errors) if isinstance(exc, ValidationFailed) else exc.message


@login_required
@remember_filters
def register(request):
    qs, errors = filters.register(_scoped(request.user), request.GET)
    for error in errors:
        messages.error(request, error)
    page = paginate(request, qs, keyset_pages=True)
    return render(
        request,
        "accidents/register.html",
        {"page": page, "grades": Grade.choices, "query": request.GET.urlencode()},
    )


@login_required
def register_export(request):
    """The register as it is filtered, in Excel; a filter it cannot mean goes back to the register saying why."""
    qs, errors = filters.register(_scoped(request.user), request.GET)
    if errors:
        for error in errors:
            messages.error(request, error)
        return redirect(f"{reverse('accidents:register')}?{request.GET.urlencode()}")
    if exports.too_large(qs):  # built by the worker; its page shows the progress, then the download
        with transaction.atomic():
            job = exports.submit(JobKind.ACCIDENT_EXPORT, request.user, request.GET.dict())
        return redirect("jobs:detail", pk=job.pk)
    return excel.export_response(qs, request.user, request.GET)


RECORD_FIELDS = (
    "occurred_at",
    "enterprise",
    "region",
    "address",
    "industry",
    "category",
    "window",
    "deaths",
    "missing",
    "serious_injuries",
    "minor_injuries",
    "direct_loss_yuan",
    "summary",
)


@login_required
def record(request):
    context = {
        "categories_1986": AccidentCategory.objects.filter(edition=Edition.GB6441_1986),
        "categories_2025": AccidentCategory.objects.filter(edition=Edition.GB6441_2025),
        "industries": Industry.objects.filter(kind="category"),
        "windows": Window.choices,
        "values": request.POST or {"occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")},
        "errors": {},
        "fields": (*RECORD_FIELDS, "photos"),  # an error of one of these is shown under its field
    }
    if request.method == "POST":
        raw = {k: request.POST.get(k, "").strip() for k in RECORD_FIELDS}
        raw = {k: v for k, v in raw.items() if v}
        try:
            with transaction.atomic():
                accident = actions.report_accident(raw, actor=request.user)
                for upload in request.FILES.getlist("photos"):
                    actions.add_photo(accident, upload, actor=request.user)
        except (ValidationFailed, NotPermitted) as exc:
            context["errors"] = (
                {e.field: e.message for e in exc.errors}
                if isinstance(exc, ValidationFailed)
                else {"": exc.message}
            )
        else:
            messages.success(
                request, _("Accident recorded: %(label)s.") % {"label": grading.LABELS[accident.grade]}
            )
            return redirect("accidents:detail", pk=accident.pk)
    return render(request, "accidents/record.html", context)


@login_required
def detail(request, pk):
    accident = get_in_scope(_scoped(request.user).prefetch_related("reports", "events"), request.user, pk=pk)
    result = grading.grade(accident.deaths, accident.serious_injuries, accident.direct_loss_yuan)
    return render(
        request,
        "accidents/detail.html",
        {
            "a": accident,
            "reasons": result.reasons,
            "levels": dict(Level.choices),
            "can_investigate": has_perm(request.user, Perm.ACCIDENT_INVESTIGATE),
            "late_window": actions.LATE_WINDOW_DAYS[accident.window],
        },
    )


@login_required
@require_POST
def act(request, pk):
    accident = get_in_scope(_scoped(request.user), request.user, pk=pk)
    action = request.POST.get("action", "")
    fields = actions.declared(action, request.POST)  # only what this step takes: never `now` or `actor`
    try:
        actions.transition(accident, action, actor=request.user, **fields)
    except (ValidationFailed, Conflict, NotPermitted) as exc:
        messages.error(request, _message(exc) or _("Unknown action."))
    else:
        messages.success(request, _("%(action)s: done.") % {"action": Action(action).label})
    return redirect("accidents:detail", pk=pk)


@login_required
def categories(request):
    """GB 6441-2025 basic types and the GB 6441-1986 kind each counts as in multi-year statistics.
    The standard gives no such table, so the mapping is data an administrator may correct (audited)."""
    can_edit = has_perm(request.user, Perm.ACCIDENT_CATEGORIES)
    old_kinds = AccidentCategory.objects.filter(edition=Edition.GB6441_1986)
    if request.method == "POST":
        if not can_edit:
            raise NotPermitted(_("Only administrators may change the mapping."))
        category = AccidentCategory.objects.filter(
            edition=Edition.GB6441_2025, code=request.POST.get("code")
        ).first()
        target = old_kinds.filter(code=request.POST.get("maps_to")).first()
        if category is None or target is None:
            messages.error(request, _("Choose a category and the kind it counts as."))
        elif category.maps_to_id != target.pk:
            with transaction.atomic():
                before = audit.snapshot(category)
                category.maps_to = target
                category.save(update_fields=["maps_to"])
                audit.record_update(category, before, actor=request.user, comment="GB 6441 版本对照调整")
            messages.success(
                request, _("%(name)s now counts as %(kind)s.") % {"name": category.name, "kind": target.name}
            )
        return redirect("accidents:categories")
    return render(
        request,
        "accidents/categories.html",
        {
            "types": AccidentCategory.objects.filter(edition=Edition.GB6441_2025).select_related("maps_to"),
            "old_kinds": old_kinds,
            "can_edit": can_edit,
        },
    )


@login_required
@require_POST
def photo_upload(request, pk):
    accident = get_in_scope(_scoped(request.user), request.user, pk=pk)
    try:
        with transaction.atomic():
            for upload in request.FILES.getlist("photos"):
                actions.add_photo(accident, upload, actor=request.user)
    except (ValidationFailed, NotPermitted) as exc:
        messages.error(request, _message(exc))
    return redirect("accidents:detail", pk=pk)


@login_required
def photo(request, pk):
    return scoped_file(request.user, AccidentPhoto, pk)
