from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anquan.core import audit
from anquan.core.errors import Conflict, NotPermitted, ValidationFailed, form_errors
from anquan.core.hooks import Hook
from anquan.core.imports import page_context
from anquan.core.paging import paginate, remember_filters
from anquan.core.permissions import Perm, has_perm
from anquan.core.scope import get_in_scope, restrict
from anquan.jobs import exports
from anquan.jobs.models import JobKind
from anquan.jobs.views import handle_import
from anquan.orgs.models import Department, Industry

from . import excel, filters, services, workflow
from .choices import RiskLevel, Scale, StandardizationGrade, Status
from .forms import enterprise_form, mark_invalid, raw_from_post
from .models import Enterprise
from .validation import FIELDS, to_raw


def _require(user, perm):
    if not has_perm(user, perm):
        raise PermissionDenied


def _scoped(user):
    return restrict(Enterprise, user).select_related("region", "industry", "supervising_department", "grid")


@login_required
@remember_filters
def enterprise_list(request):
    _require(request.user, Perm.ENTERPRISE_VIEW)
    try:
        filters.check(request.GET)
    except ValidationFailed as exc:  # the list stays empty and says why
        for error in exc.errors:
            messages.error(request, error.message)
    qs = filters.apply(_scoped(request.user), request.GET)
    page = paginate(request, qs)
    return render(
        request,
        "enterprises/list.html",
        {
            "page": page,
            "industries": Industry.objects.all(),
            "departments": Department.objects.all(),
            "statuses": Status.choices,
            "risk_levels": RiskLevel.choices,
            "scales": Scale.choices,
            "grades": StandardizationGrade.choices,
            "can_add": has_perm(request.user, Perm.ENTERPRISE_ADD),
            "can_import": has_perm(request.user, Perm.ENTERPRISE_IMPORT),
            "query": request.GET.urlencode(),
        },
    )


@login_required
def enterprise_export(request):
    _require(request.user, Perm.ENTERPRISE_EXPORT)
    qs = filters.apply(_scoped(request.user), request.GET)
    if exports.too_large(qs):  # built by the worker; its page shows the progress, then the download
        with transaction.atomic():
            job = exports.submit(JobKind.ENTERPRISE_EXPORT, request.user, request.GET.dict())
        return redirect("jobs:detail", pk=job.pk)
    return excel.export_response(qs, request.user, request.GET)


# Hook `enterprises.views.detail_panels`: function(user, enterprise) → the context of the apps above for their
# panels of the enterprise's page (hazards: "hazards", "hazard_counts"; risk: "risk"), read through the user's scope.
detail_panels = Hook("enterprises.views.detail_panels")


@login_required
def enterprise_detail(request, pk):
    enterprise = get_in_scope(_scoped(request.user), request.user, pk=pk)
    panels: dict = {}
    for context in detail_panels.call(request.user, enterprise):
        panels |= context
    return render(
        request,
        "enterprises/detail.html",
        {
            **panels,
            "e": enterprise,
            "history": audit.history(enterprise).order_by("-id")[:50],
            "status_events": enterprise.events.order_by("-at", "-id")[:20],
            "status_actions": [
                (action, workflow.FLOW.get(action).label)
                for action in workflow.FLOW.available(enterprise, request.user)
            ],
            "can_change": has_perm(request.user, Perm.ENTERPRISE_CHANGE),
        },
    )


@login_required
@require_POST
def enterprise_transition(request, pk):
    """停产, 复产, 关闭 … from the enterprise's page (the same function as the API's transitions)."""
    enterprise = get_in_scope(_scoped(request.user), request.user, pk=pk)
    action = request.POST.get("action", "")
    try:
        stored = workflow.transition(
            enterprise,
            action,
            actor=request.user,
            **workflow.FLOW.declared(action, request.POST),  # unknown action: 422 from the engine
        )
    except (ValidationFailed, Conflict, NotPermitted) as exc:
        messages.error(request, "；".join(form_errors(exc).values()))
    else:
        messages.success(
            request,
            _("%(action)s: done. Status now %(status)s.")
            % {"action": workflow.FLOW.get(action).label, "status": stored.get_status_display()},
        )
    return redirect("enterprises:detail", pk=pk)


def _form_errors(form, exc: ValidationFailed):
    for error in exc.errors:
        form.add_error(error.field if error.field in form.fields else None, error.message)
    mark_invalid(form)


@login_required
def enterprise_create(request):
    _require(request.user, Perm.ENTERPRISE_ADD)
    form = enterprise_form(request.user, request.POST or None, initial={"region": request.user.region.code})
    if request.method == "POST" and form.is_valid():
        try:
            enterprise = services.create_enterprise(raw_from_post(request.POST, form), actor=request.user)
        except ValidationFailed as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Enterprise %(name)s registered.") % {"name": enterprise.name})
            return redirect("enterprises:detail", pk=enterprise.pk)
    return render(request, "enterprises/form.html", {"form": form, "fields": FIELDS, "creating": True})


@login_required
def enterprise_edit(request, pk):
    _require(request.user, Perm.ENTERPRISE_CHANGE)
    enterprise = get_in_scope(_scoped(request.user), request.user, pk=pk)
    initial = to_raw(enterprise)
    initial.update(
        {
            "scale": enterprise.scale,
            "standardization_grade": enterprise.standardization_grade,
            "key_supervision": enterprise.key_supervision,
            "key_supervision_level": enterprise.key_supervision_level,
            "supervising_department": enterprise.supervising_department.name
            if enterprise.department_overridden and enterprise.supervising_department
            else "",
        }
    )
    form = enterprise_form(request.user, request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        raw = raw_from_post(request.POST, form)
        # only send what changed, so fields the user may not edit are not "changed" by the form
        raw = {k: v for k, v in raw.items() if str(v) != str(initial.get(k, ""))}
        try:
            services.update_enterprise(enterprise, raw, actor=request.user)
        except ValidationFailed as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("enterprises:detail", pk=enterprise.pk)
    return render(request, "enterprises/form.html", {"form": form, "fields": FIELDS, "e": enterprise})


@login_required
def enterprise_template(request):
    _require(request.user, Perm.ENTERPRISE_IMPORT)
    return excel.template_response()


@login_required
@transaction.non_atomic_requests  # an import job is committed before it runs (anquan/jobs)
def enterprise_import(request):
    _require(request.user, Perm.ENTERPRISE_IMPORT)
    result = None
    error = ""
    if request.method == "POST":
        result, error, moved = handle_import(request, JobKind.ENTERPRISE_IMPORT, excel.ImportMode.CHOICES)
        if moved:
            return moved
    return render(request, "enterprises/import.html", {"result": result, "error": error, **page_context()})


@login_required
def enterprise_pick(request):
    """HTMX: enterprises in scope matching `q` (name, pinyin initials, USCC); a click fills `target`."""
    q = request.GET.get("q", "").strip()
    found = list(filters.search(_scoped(request.user), q).order_by("name")[:8]) if len(q) >= 2 else []
    return render(
        request, "enterprises/_pick.html", {"found": found, "target": request.GET.get("target", "enterprise")}
    )
