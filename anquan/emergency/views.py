"""The pages of emergency plans: the list (cards on a phone), a new plan with its documents (the enterprise's safety
manager on a phone), a plan's page with the filing steps (the department files it with a record number or returns
it with reasons), its edit and revision, and the documents' downloads. Drills and the overdue lists: views_drills.py."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from anquan.accounts.http import AuthedRequest
from anquan.core.errors import Conflict, NotPermitted, ValidationFailed
from anquan.core.errors import form_errors as _errors
from anquan.core.errors import http_status as _status
from anquan.core.paging import paginate
from anquan.core.scope import get_in_scope, restrict
from anquan.core.uploads import scoped_file
from anquan.orgs.models import Department
from anquan.rules.services import in_force

from . import actions, rules
from .choices import PlanAction, PlanKind, PlanStatus, RefilingChange, RevisionReason
from .models import WRITERS, EmergencyPlan, PlanDocument
from .presenting import filing_days_left, filing_note
from .workflow import FLOW, is_owner

PLAN_FIELDS = (
    "kind",
    "title",
    "published_on",
    "last_evaluated_on",
    "filed_with",
    "enterprise",
    "region",
    "owner_department",
)


def _writer(user: Any) -> None:
    if getattr(user, "role", None) not in WRITERS:
        raise Http404


def _plans(user: Any) -> Any:
    return restrict(EmergencyPlan, user).select_related(
        "enterprise", "region", "filed_with", "owner_department"
    )


@login_required
def plan_list(request: AuthedRequest) -> HttpResponse:
    _writer(request.user)
    qs = _plans(request.user)
    status = request.GET.get("status", "")
    if status in PlanStatus.values:
        qs = qs.filter(status=status)
    kind = request.GET.get("kind", "")
    if kind in PlanKind.values:
        qs = qs.filter(kind=kind)
    page = paginate(request, qs)
    for p in page.object_list:
        p.days_left = filing_days_left(p)
    return render(
        request,
        "emergency/plan_list.html",
        {
            "page": page,
            "statuses": PlanStatus.choices,
            "kinds": PlanKind.choices,
            "may_add": request.user.role in WRITERS,
        },
    )


def _form_context(user: Any, **extra: Any) -> dict[str, Any]:
    return {
        "kinds": PlanKind.choices,
        "departments": Department.objects.all(),
        "reasons": RevisionReason.choices,
        "changes": RefilingChange.choices,
        "is_enterprise": bool(user.enterprise_id),
    } | extra


@login_required
def plan_new(request: AuthedRequest) -> HttpResponse:
    """A new plan and its documents in one step (one transaction: a refused file writes no plan)."""
    _writer(request.user)
    if request.method == "POST":
        raw = {k: request.POST.get(k, "") for k in PLAN_FIELDS if k in request.POST}
        try:
            with transaction.atomic():
                plan = actions.create_plan(raw, actor=request.user)
                for upload in request.FILES.getlist("files"):
                    actions.add_document(plan, upload, actor=request.user)
        except (ValidationFailed, NotPermitted) as exc:
            ctx = _form_context(request.user, errors=_errors(exc), values=request.POST)
            return render(request, "emergency/plan_form.html", ctx, status=_status(exc))
        messages.success(request, "应急预案已保存")
        return redirect("emergency:plan", pk=plan.pk)
    return render(request, "emergency/plan_form.html", _form_context(request.user, values={}))


def plan_detail(
    request: AuthedRequest, pk: int, errors: dict[str, str] | None = None, status: int = 200
) -> HttpResponse:
    user = request.user
    _writer(user)
    plan = get_in_scope(_plans(user), user, pk=pk)
    today = timezone.localdate()
    return render(
        request,
        "emergency/plan_detail.html",
        {
            "p": plan,
            "documents": plan.documents.all(),
            "events": plan.events.all(),
            "drills": plan.drills.all()[:20],
            "available": [a for a in FLOW.available(plan, user) if a != PlanAction.SUPERSEDE],
            "may_edit": is_owner(user, plan) and plan.status in actions.EDITABLE,
            "may_revise": FLOW.can(plan, PlanAction.SUPERSEDE, user) and plan.status != PlanStatus.SUPERSEDED,
            "may_drill": is_owner(user, plan) and plan.status != PlanStatus.SUPERSEDED,
            "days_left": filing_days_left(plan),
            "filing_note": filing_note(plan),
            "rule": in_force(rules.PLANS, today, plan.region_code),
            "errors": errors,
        },
        status=status,
    )


@login_required
def plan_page(request: AuthedRequest, pk: int) -> HttpResponse:
    return plan_detail(request, pk)


@login_required
def plan_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    _writer(user)
    plan = get_in_scope(_plans(user), user, pk=pk)
    if request.method == "POST":
        raw = {
            k: request.POST.get(k, "")
            for k in ("kind", "title", "published_on", "last_evaluated_on", "filed_with")
        }
        if plan.status not in actions.EDITABLE:
            raw = {"last_evaluated_on": raw["last_evaluated_on"]}
        try:
            with transaction.atomic():
                actions.update_plan(plan, raw, actor=user)
                for upload in request.FILES.getlist("files"):
                    actions.add_document(plan, upload, actor=user)
        except (ValidationFailed, NotPermitted) as exc:
            ctx = _form_context(user, errors=_errors(exc), values=request.POST, p=plan)
            return render(request, "emergency/plan_form.html", ctx, status=_status(exc))
        messages.success(request, "应急预案已保存")
        return redirect("emergency:plan", pk=pk)
    values = {
        "kind": plan.kind,
        "title": plan.title,
        "published_on": plan.published_on.isoformat(),
        "last_evaluated_on": plan.last_evaluated_on.isoformat() if plan.last_evaluated_on else "",
        "filed_with": plan.filed_with.code if plan.filed_with_id else "",
    }
    return render(request, "emergency/plan_form.html", _form_context(user, values=values, p=plan))


@login_required
def plan_revise(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    _writer(user)
    plan = get_in_scope(_plans(user), user, pk=pk)
    if request.method == "POST":
        raw: dict[str, Any] = {
            k: request.POST.get(k, "") for k in ("kind", "title", "published_on", "filed_with")
        }
        raw["revision_reasons"] = request.POST.getlist("revision_reasons")
        raw["refiling_changes"] = request.POST.getlist("refiling_changes")
        try:
            with transaction.atomic():
                new = actions.revise(plan, raw, actor=user)
                for upload in request.FILES.getlist("files"):
                    actions.add_document(new, upload, actor=user)
        except (ValidationFailed, NotPermitted, Conflict) as exc:
            ctx = _form_context(user, errors=_errors(exc), values=request.POST, p=plan, revising=True)
            return render(request, "emergency/plan_form.html", ctx, status=_status(exc))
        messages.success(request, f"已保存第{new.revision}版，原预案已被替代")
        return redirect("emergency:plan", pk=new.pk)
    values = {
        "kind": plan.kind,
        "title": plan.title,
        "filed_with": plan.filed_with.code if plan.filed_with_id else "",
    }
    return render(
        request, "emergency/plan_form.html", _form_context(user, values=values, p=plan, revising=True)
    )


@login_required
@require_POST
def plan_transition(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    _writer(user)
    plan = get_in_scope(_plans(user), user, pk=pk)
    action = request.POST.get("action", "")
    fields = FLOW.declared(action, request.POST) if action in FLOW.transitions else {}
    try:
        if action == PlanAction.SUPERSEDE or action == PlanAction.LAPSE:
            raise NotPermitted("该操作不能在此办理")
        actions.transition(plan, action, actor=user, **fields)
    except (ValidationFailed, NotPermitted, Conflict) as exc:
        return plan_detail(request, pk, errors=_errors(exc), status=_status(exc))
    messages.success(request, f"已{FLOW.transitions[action].label}")
    return redirect("emergency:plan", pk=pk)


@login_required
def document(request: AuthedRequest, pk: int) -> FileResponse:
    return scoped_file(request.user, PlanDocument, pk)
