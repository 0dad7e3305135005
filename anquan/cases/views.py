"""The case pages: the list (by stage, unit, overdue), a new application (立案申请), and the case with its step
bar, the rule version it applies (未核实 when not verified) and a form for each step the user may take now —
each posting to the same `actions.transition` the API calls."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from anquan.core.errors import Conflict, NotPermitted, ValidationFailed, form_errors, http_status
from anquan.core.paging import paginate
from anquan.core.scope import get_in_scope, restrict
from anquan.orgs.models import Department

from . import actions, filters, paperwork, presenting, related, rules, services
from .choices import Action, DeliveryMethod, ExtensionLevel, MeasureKind, PoliceAnswer, Source, Stage
from .models import EnforcementCase, Referral
from .workflow import CASE_FLOW, REFERRAL_FLOW

MEASURE_ROWS = 3
# irreversible steps ask for a confirmation (data-aq-confirm)
CONFIRM = {Action.APPROVE, Action.REFUSE, Action.NOTIFY, Action.DECIDE, Action.DELIVER, Action.APPROVE_CLOSE}


@dataclass(frozen=True)
class Input:
    name: str
    kind: str  # date | text | textarea | number | check | select | investigators | measures
    label: Any
    choices: tuple[tuple[str, Any], ...] = ()


FLAGS = {
    "flag_public_interest": _("Involves a major public interest (legal review)"),
    "flag_complex": _("Complex case or several legal relations (legal review)"),
    "flag_other_law": _("Legal review required by another law"),
    "flag_serious": _("Complex circumstances or serious violation (collective discussion)"),
}
INPUTS: dict[str, Input] = {
    **{n: Input(n, "check", label) for n, label in FLAGS.items()},
    "comment": Input("comment", "textarea", _("Remarks")),
    "reason": Input("reason", "textarea", _("Reason")),
    "report": Input("report", "textarea", _("Case investigation report")),
    "statement": Input("statement", "textarea", _("What the party stated")),
    "opinion": Input("opinion", "textarea", _("Review opinion")),
    "note": Input("note", "textarea", _("Record of the discussion")),
    "waiver_note": Input("waiver_note", "text", _("Written waiver (what the party signed)")),
    "police_unit": Input("police_unit", "text", _("Police unit")),
    "hearing_requested": Input("hearing_requested", "check", _("The party requested a hearing")),
    "waived": Input("waived", "check", _("The party waived its rights in writing")),
    "days": Input("days", "number", _("Days")),
    "amount_yuan": Input("amount_yuan", "number", _("Amount (yuan)")),
    "level": Input("level", "select", _("Approved by"), tuple(ExtensionLevel.choices)),
    "method": Input("method", "select", _("Delivery method"), tuple(DeliveryMethod.choices)),
    "investigators": Input("investigators", "investigators", _("Investigators")),
    "measures": Input("measures", "measures", _("Penalty")),
}
DATES = {
    "opened_on": _("Date of filing"),
    "notified_on": _("Date of notification"),
    "statement_on": _("Date of the statement"),
    "hearing_notice_on": _("Hearing notice date"),
    "hearing_held_on": _("Hearing date"),
    "reviewed_on": _("Review date"),
    "discussed_on": _("Discussion date"),
    "decided_on": _("Decision date"),
    "delivered_on": _("Delivery date"),
    "paid_on": _("Payment date"),
    "from_date": _("Penalty counted from"),
    "applied_on": _("Application date"),
    "closed_on": _("Closing date"),
}
INPUTS |= {n: Input(n, "date", label) for n, label in DATES.items()}


MEASURE_KEYS = ("kind", "target", "article", "amount_yuan", "person", "note")


def _rest(errors: dict[str, str], shown: set[str]) -> list[str]:
    """The messages not shown under an input of the form (a 409, or about a field the form has no input for)."""
    return [message for name, message in errors.items() if name not in shown]


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    errors: dict[str, str] = {}
    status = 200
    try:
        qs = filters.cases(request.user, request.GET.dict())
    except ValidationFailed as exc:
        errors, status = form_errors(exc), http_status(exc)
        qs = restrict(EnforcementCase, request.user).none()
    page = paginate(request, qs)
    return render(
        request,
        "cases/list.html",
        {
            "page": page,
            "rows": [(c, services.waiting_days(c)) for c in page.object_list],
            "stages": Stage.choices,
            "departments": Department.objects.order_by("name"),
            "query": request.GET,
            "can_open": services.can_open(request.user),
            "errors": errors,
            "other_errors": _rest(errors, {"q", "stage", "department", "overdue", "mine"}),
        },
        status=status,
    )


def _prefill(request: HttpRequest) -> dict[str, Any]:
    """What /cases/new/?inspection=<id> fills in from the inspection (404 outside the user's scope): the
    enterprise, the investigators (its inspectors), its hazards (listed, and the facts drafted from them)."""
    inspection = services.inspection_of(
        request.GET.get("inspection") or request.POST.get("inspection"), request.user
    )
    if inspection is None:
        return {}
    hazards = list(services.inspection_hazards(inspection, request.user))
    facts = "\n".join(f"{n}. {h.description}（隐患{h.label}）" for n, h in enumerate(hazards, 1))
    return {
        "inspection": inspection,
        "hazards": hazards,
        "enterprise": inspection.enterprise.uscc,
        "source": "inspection",
        "source_note": f"{inspection.unit_name}{inspection.get_kind_display()}（{inspection.planned_on:%Y-%m-%d}）",
        "facts": facts,
        "investigators": [u.username for u in inspection.inspectors.order_by("username")],
    }


NEW_FIELDS = {
    "enterprise",
    "source",
    "applied_on",
    "source_note",
    "facts",
    "violated",
    "person",
    "investigators",
}


@login_required
def case_new(request: HttpRequest) -> HttpResponse:
    from anquan.enterprises.models import Enterprise

    if not services.can_open(request.user):
        raise NotPermitted("只有执法部门的执法人员或负责人可以申请立案")
    prefill = _prefill(request)
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        raw: dict[str, Any] = request.POST.dict()
        raw["investigators"] = request.POST.getlist("investigators")
        raw["parties"] = [
            {"name": n, "position": "主要负责人"} for n in request.POST.getlist("person") if n.strip()
        ]
        try:
            case = services.open_case(raw, actor=request.user)
        except (ValidationFailed, Conflict) as exc:
            errors, status = form_errors(exc), http_status(exc)
            errors = {("person" if k.startswith("parties.") else k): v for k, v in errors.items()}
        else:
            messages.success(request, _("Case application submitted."))
            return redirect("cases:detail", pk=case.pk)
    posted = request.POST if request.method == "POST" else prefill
    chosen = (
        request.POST.getlist("investigators") if request.method == "POST" else prefill.get("investigators")
    )
    return render(
        request,
        "cases/new.html",
        {
            "enterprises": restrict(Enterprise, request.user).order_by("name")[:500],
            "sources": Source.choices,
            "colleagues": services.officers_of(request.user),
            "chosen": chosen or [request.user.get_username()],
            "posted": posted,
            "inspection": prefill.get("inspection"),
            "hazards": prefill.get("hazards", []),
            "today": timezone.localdate(),
            "errors": errors,
            "other_errors": _rest(errors, NEW_FIELDS),
        },
        status=status,
    )


def _forms(case: EnforcementCase, user: Any, posted: Any, errors: dict[str, str]) -> list[dict[str, Any]]:
    """A form per step the user may take now; a refused step's form keeps what was entered and shows each
    message under its input (a penalty row's under that row's input), the others above the form's button."""
    forms = []
    for action in presenting.detail_actions(case, user):
        spec = CASE_FLOW.get(action)
        mine = posted if posted.get("action") == action else {}
        wrong = errors if mine else {}
        names = [f for f in spec.fields if f in INPUTS]
        rows = [
            {
                "value": {k: mine.get(f"{k}_{n}", "") for k in MEASURE_KEYS},
                "error": {k: wrong.get(f"measures.{n}.{k}", "") for k in MEASURE_KEYS},
            }
            for n in range(MEASURE_ROWS)
        ]
        shown = set(names) | {f"measures.{n}.{k}" for n in range(MEASURE_ROWS) for k in MEASURE_KEYS}
        forms.append(
            {
                "action": action,
                "label": spec.label,
                "inputs": [
                    {"i": INPUTS[f], "value": mine.get(f, ""), "error": wrong.get(f, "")} for f in names
                ],
                "rows": rows,
                "errors": _rest(wrong, shown),
                "required": spec.required,
                "confirm": action in CONFIRM,
            }
        )
    return forms


@login_required
def case_detail(
    request: HttpRequest,
    pk: int,
    status: int = 200,
    errors: dict[str, str] | None = None,
    errors_of: str = "",
) -> HttpResponse:
    """The case; after a refused POST, `errors` (field → message) are shown in the form `errors_of` names
    (a step's action, "refer", or "referral-<id>") under their inputs."""
    errors = errors or {}
    case = get_in_scope(EnforcementCase.objects.select_related(*presenting.RELATED), request.user, pk=pk)
    f = rules.procedure(case.rules_version) if case.rules_version else None
    _, articles = rules.articles_in_force(timezone.localdate(), case.region_code)
    return render(
        request,
        "cases/detail.html",
        {
            "c": case,
            "bar": presenting.step_bar(case),
            "owner": presenting.owner(case),
            "countdown": services.waiting_days(case),
            "late": (case.days_left() or 0) < 0,
            "figures": f,
            "window": actions.statement_window_end(case) if case.rules_version else None,
            "legal_review_required": actions.legal_review_required(case),
            "proposed": presenting.fine_text_of(case.proposed_measures),
            "decided": presenting.fine_text_of(case.measures),
            "events": [(e, presenting.action_label(e.action)) for e in case.events.all()],
            "payments": case.payments.all(),
            "extensions": case.extensions.all(),
            "referrals": [
                (
                    r,
                    REFERRAL_FLOW.available(r, request.user),
                    list(errors.values()) if errors_of == f"referral-{r.pk}" else [],
                )
                for r in case.referrals.prefetch_related("officers")
            ],
            "documents": paperwork.listed(case, request.user),
            "may_refer": presenting.may_refer(case, request.user),
            "listings": case.listings.all(),
            "forms": _forms(case, request.user, request.POST if request.method == "POST" else {}, errors),
            "refer_errors": errors if errors_of == "refer" else {},
            "refer_other": _rest(errors, REFER_FIELDS) if errors_of == "refer" else [],
            "officers": services.officers(case),
            "articles": list(articles.values()),
            "measure_kinds": MeasureKind.choices,
            "police_answers": PoliceAnswer.choices,
        },
        status=status,
    )


REFER_FIELDS = {"suspected_crime", "persons", "reason", "officers"}


def _posted_measures(post: Any) -> list[dict[str, str]]:
    rows = []
    for n in range(MEASURE_ROWS):
        kind = post.get(f"kind_{n}", "")
        if not kind:
            continue
        row = {"kind": kind, "target": post.get(f"target_{n}") or "organisation"}
        for name in ("article", "person", "amount_yuan", "note"):
            if post.get(f"{name}_{n}"):
                row[name] = post[f"{name}_{n}"]
        rows.append(row)
    return rows


@login_required
@require_POST
def case_act(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_in_scope(EnforcementCase, request.user, pk=pk)
    action = request.POST.get("action", "")
    if action not in Action.values:
        messages.error(request, "未知操作")
        return redirect("cases:detail", pk=pk)
    spec = CASE_FLOW.get(action)
    fields: dict[str, Any] = {
        k: request.POST[k] for k in spec.fields if request.POST.get(k) not in (None, "")
    }
    if "investigators" in spec.fields:
        fields["investigators"] = request.POST.getlist("investigators")
    if "measures" in spec.fields:
        fields["measures"] = _posted_measures(request.POST)
    try:
        actions.transition(case, action, actor=request.user, **fields)
    except (ValidationFailed, Conflict) as exc:
        return case_detail(request, pk, status=http_status(exc), errors=form_errors(exc), errors_of=action)
    messages.success(request, _("%(action)s: done.") % {"action": Action(action).label})
    return redirect("cases:detail", pk=pk)


@login_required
@require_POST
def case_refer(request: HttpRequest, pk: int) -> HttpResponse:
    """移送司法机关: the officers propose (two or more, the people referred named); the head decides."""
    case = get_in_scope(EnforcementCase, request.user, pk=pk)
    raw = {
        "officers": request.POST.getlist("officers"),
        "persons": request.POST.get("persons", ""),
        "suspected_crime": request.POST.get("suspected_crime", ""),
        "reason": request.POST.get("reason", ""),
    }
    try:
        related.propose_referral(case, raw, actor=request.user)
    except (ValidationFailed, Conflict) as exc:
        return case_detail(request, pk, status=http_status(exc), errors=form_errors(exc), errors_of="refer")
    messages.success(request, _("Referral proposed: the department head decides within 3 days."))
    return redirect("cases:detail", pk=pk)


@login_required
@require_POST
def referral_act(request: HttpRequest, pk: int) -> HttpResponse:
    """A step of a referral (批准 / 不批准 / 移送公安机关 / 记录公安答复) from the case page."""
    referral = get_in_scope(Referral.objects.select_related("case"), request.user, pk=pk)
    action = request.POST.get("action", "")
    if action not in REFERRAL_FLOW.transitions:
        messages.error(request, "未知操作")
        return redirect("cases:detail", pk=referral.case_id)
    spec = REFERRAL_FLOW.get(action)
    fields = {k: request.POST[k] for k in spec.fields if request.POST.get(k) not in (None, "")}
    try:
        related.move_referral(referral, action, actor=request.user, **fields)
    except (ValidationFailed, Conflict) as exc:
        return case_detail(
            request,
            referral.case_id,
            status=http_status(exc),
            errors=form_errors(exc),
            errors_of=f"referral-{referral.pk}",
        )
    messages.success(request, _("%(action)s: done.") % {"action": spec.label})
    return redirect("cases:detail", pk=referral.case_id)
