"""Inspection pages: the desk list (filters, Excel), a new inspection, the inspector's own inspections as
phone cards, the checklist walked one card per item (offline-tolerant forms, ADR 0019), the steps, and the
printable on-site record. Addresses in urls.py; the API in api.py."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anquan.core.errors import Conflict, FieldError, NotPermitted, ValidationFailed
from anquan.core.errors import form_errors as _errors
from anquan.core.errors import http_status as _status
from anquan.core.offline import REFUSALS, submit_once
from anquan.core.permissions import Perm, has_perm
from anquan.core.scope import get_in_scope, restrict
from anquan.core.uploads import scoped_file
from anquan.core.xlsx import Column, export_filename, export_workbook, ledger_sheet, owner_name, xlsx_response
from anquan.orgs.models import Department

from . import filters, issuing, seizure, services
from .choices import ON_SITE_MEASURES, SEIZURE_MEASURES, Kind, Result, Status
from .models import ChecklistTemplate, Inspection, InspectionItem, InspectionPhoto, InspectionSignature
from .record import onsite_record_context
from .reviews import countdown_of
from .workflow import INSPECTIONS, is_inspector_of

LIST_LIMIT = 200
RECENT_DAYS = 7  # "My inspections" keeps the ones completed within a week (their documents, the order)


def _scoped(request: HttpRequest) -> QuerySet[Inspection]:
    return restrict(Inspection, request.user).select_related("enterprise", "department", "region")


def _get(request: HttpRequest, pk: int) -> Inspection:
    return get_in_scope(_scoped(request), request.user, pk=pk)


@login_required
def inspection_list(request: HttpRequest) -> HttpResponse:
    params = {k: request.GET.get(k, "") for k in filters.KEYS}
    errors: dict[str, str] = {}
    try:
        qs = filters.apply(_scoped(request), params)
    except ValidationFailed as exc:
        errors, qs = _errors(exc), _scoped(request).none()
    rows = list(qs.prefetch_related("inspectors").order_by("-planned_on", "-id")[:LIST_LIMIT])
    return render(
        request,
        "inspections/list.html",
        {
            "rows": rows,
            "count": qs.count(),
            "params": params,
            "errors": errors,
            "kinds": Kind.choices,
            "statuses": Status.choices,
            "departments": Department.objects.all(),
            "can_plan": has_perm(request.user, Perm.INSPECTION_PLAN),
            "query": request.GET.urlencode(),
        },
    )


EXPORT_COLUMNS = [
    Column("序号", 6),
    Column("计划日期", 12),
    Column("完成时间", 17),
    Column("被检查企业", 30, wrap=True),
    Column("统一社会信用代码", 20),
    Column("执法主体", 20, wrap=True),
    Column("检查类别", 12),
    Column("执法人员", 20, wrap=True),
    Column("状态", 9),
    Column("检查项", 8),
    Column("不符合", 8),
    Column("隐患编号", 30, wrap=True),
    Column("企业签字人", 10),
    Column("备注", 24, wrap=True),
]
TITLE = "执法检查台账"


@login_required
def inspection_export(request: HttpRequest) -> HttpResponse:
    """The list as an .xlsx with the same filters."""
    params = {k: request.GET.get(k, "") for k in filters.KEYS}
    try:
        qs = filters.apply(_scoped(request), params)
    except ValidationFailed:
        qs = _scoped(request).none()
    qs = qs.prefetch_related("inspectors", "items__hazard").order_by("-planned_on", "-id")
    wb = export_workbook()
    owner = owner_name(request.user)
    ws = ledger_sheet(wb, TITLE, owner=owner, title=TITLE, columns=EXPORT_COLUMNS)
    for n, insp in enumerate(qs.iterator(chunk_size=500), start=1):
        items = list(insp.items.all())
        bad = [i for i in items if i.result == Result.NONCOMPLIANT]
        done = timezone.localtime(insp.done_at).strftime("%Y-%m-%d %H:%M") if insp.done_at else ""
        ws.append(
            [
                n,
                insp.planned_on.isoformat(),
                done,
                insp.enterprise.name,
                insp.enterprise.uscc,
                insp.unit_name,
                insp.get_kind_display(),
                "、".join(u.full_name or u.username for u in insp.inspectors.all()),
                insp.get_status_display(),
                len(items),
                len(bad),
                "、".join(i.hazard.number or "" for i in bad if i.hazard is not None),
                insp.signatory_name,
                insp.note,
            ]
        )
    ws.close()
    return xlsx_response(wb, export_filename(owner, TITLE))


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """The inspector's inspections as cards: in progress, today, overdue, upcoming."""
    today = timezone.localdate()
    open_ = list(
        _scoped(request)
        .filter(inspectors=request.user.pk, status__in=[Status.PLANNED, Status.IN_PROGRESS])
        .order_by("planned_on", "id")[:LIST_LIMIT]
    )
    since = timezone.now() - dt.timedelta(days=RECENT_DAYS)
    recent = list(
        _scoped(request)
        .filter(inspectors=request.user.pk, status=Status.DONE, done_at__gte=since)
        .order_by("-done_at", "-id")[:LIST_LIMIT]
    )
    groups = [
        (_("Inspecting now"), [i for i in open_ if i.status == Status.IN_PROGRESS]),
        (_("Today"), [i for i in open_ if i.status == Status.PLANNED and i.planned_on == today]),
        (_("Overdue"), [i for i in open_ if i.status == Status.PLANNED and i.planned_on < today]),
        (_("Upcoming"), [i for i in open_ if i.status == Status.PLANNED and i.planned_on > today]),
        (_("Completed in the last week"), recent),
    ]
    documents: dict[int, list[Any]] = {}  # the documents each card lists, in one query
    for doc in issuing.documents_for([*open_, *recent], request.user):
        documents.setdefault(doc.subject_id, []).append(doc)
    for _title, rows in groups:
        for insp in rows:
            insp.documents = documents.get(insp.pk, [])  # type: ignore[attr-defined]
    return render(request, "inspections/mine.html", {"groups": groups, "today": today})


@login_required
def new(request: HttpRequest) -> HttpResponse:
    posted = {k: request.POST.get(k, "") for k in ("enterprise", "kind", "planned_on", "template", "note")}
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        raw: dict[str, Any] = dict(posted)
        names = request.POST.get("inspectors", "").replace("，", ",").replace("、", ",")
        raw["inspectors"] = [n.strip() for n in names.split(",") if n.strip()]
        try:
            insp = services.create(raw, actor=request.user)
        except (ValidationFailed, NotPermitted) as exc:
            errors, status = _errors(exc), _status(exc)
        else:
            messages.success(request, _("Inspection planned."))
            return redirect("inspections:detail", pk=insp.pk)
        posted["inspectors"] = request.POST.get("inspectors", "")
    else:
        posted["planned_on"] = timezone.localdate().isoformat()
        posted["inspectors"] = request.user.username
    return render(
        request,
        "inspections/new.html",
        {
            "posted": posted,
            "errors": errors,
            "kinds": Kind.choices,
            "templates": ChecklistTemplate.objects.filter(active=True).select_related("industry"),
        },
        status=status,
    )


def _detail(
    request: HttpRequest,
    insp: Inspection,
    *,
    errors: dict[str, str] | None = None,
    failed: int | None = None,
    status: int = 200,
    open_form: str = "",
) -> HttpResponse:
    items = list(insp.items.select_related("hazard").prefetch_related("photos").order_by("order", "id"))
    walking = insp.status == Status.IN_PROGRESS and is_inspector_of(request.user, insp)
    checked = sum(1 for i in items if i.result)
    key = uuid.uuid4().hex
    actions = INSPECTIONS.available(insp, request.user)
    orderable = issuing.orderable(insp) if "order_rectification" in actions else []
    today = timezone.localdate()
    return render(
        request,
        "inspections/detail.html",
        {
            "documents": issuing.documents_of(insp, request.user),
            "reviews": [
                (r, *countdown_of(r, today)) for r in insp.reviews.select_related("order", "opinion")
            ],
            "orderable": orderable,
            "default_deadline": issuing.default_deadline(orderable, today),
            "measure_choices": ON_SITE_MEASURES,
            "seizure_choices": SEIZURE_MEASURES,
            "seizure_basis": seizure.SEIZURE_BASIS,
            "seizure_rule": seizure.figures(insp, today) if "seize" in actions else None,
            "order_basis": issuing.ORDER_BASIS,
            "measures_basis": issuing.MEASURES_BASIS,
            "open_form": open_form,
            "today": today,
            "i": insp,
            "items": items,
            "walking": walking,
            "checked": checked,
            "unchecked": [i for i in items if not i.result],
            "actions": actions,
            "inspectors": list(insp.inspectors.order_by("username")),
            "signature": InspectionSignature.objects.filter(inspection=insp).first(),
            "events": [(e, INSPECTIONS.get(e.action).label) for e in insp.events.order_by("at", "id")],
            "errors": errors or {},
            "failed": failed,
            "form_key": key,
            "results": Result,
        },
        status=status,
    )


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _get(request, pk))


def _refused(request: HttpRequest, pk: int, exc: Exception, failed: int | None = None) -> HttpResponse:
    assert isinstance(exc, ValidationFailed | Conflict | NotPermitted)
    return _detail(request, _get(request, pk), errors=_errors(exc), failed=failed, status=_status(exc))


@login_required
@require_POST
def item_result(request: HttpRequest, pk: int, item_pk: int | None = None) -> HttpResponse:
    """符合 / 不符合 (note, photos) / 不适用 for one item, or a free item (item_pk None); the form's client key
    makes a resend from the phone's offline queue record nothing twice."""
    insp = _get(request, pk)
    raw: dict[str, Any] = {k: request.POST.get(k, "") for k in ("result", "note", "text", "basis")}
    raw["item"] = item_pk or ""
    photos = request.FILES.getlist("photos")

    def create() -> dict[str, Any]:
        item = services.record_result(insp, raw, actor=request.user, photos=photos)
        return {"id": item.pk, "hazard": item.hazard_id}

    try:
        body = submit_once(request, f"inspections.item.{insp.pk}", create, photos)
    except REFUSALS as exc:
        return _refused(request, pk, exc, failed=item_pk or 0)
    if body.get("hazard"):
        messages.success(request, _("Recorded as non-compliant; the hazard was reported."))
    return redirect("inspections:detail", pk=insp.pk)


@login_required
@require_POST
def all_compliant(request: HttpRequest, pk: int) -> HttpResponse:
    """全部符合: the listed items still unchecked are recorded as compliant (one already checked is left)."""
    insp = _get(request, pk)
    ids = [int(v) for v in request.POST.getlist("item") if v.isdigit()][:500]

    def create() -> dict[str, Any]:
        done = 0
        for item in InspectionItem.objects.filter(inspection=insp, pk__in=ids, result=""):
            services.record_result(insp, {"item": item.pk, "result": Result.COMPLIANT}, actor=request.user)
            done += 1
        return {"count": done}

    try:
        body = submit_once(request, f"inspections.all.{insp.pk}", create)
    except REFUSALS as exc:
        return _refused(request, pk, exc)
    messages.success(request, _("%(count)s items recorded as compliant.") % {"count": body["count"]})
    return redirect("inspections:detail", pk=insp.pk)


def _signature_upload(data_url: str) -> SimpleUploadedFile | None:
    """The signature pad's PNG (a data: URL) as an upload, checked like any other by core.uploads."""
    head, _sep, payload = data_url.partition(",")
    if head != "data:image/png;base64" or not payload:
        return None
    try:
        content = base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        return None
    return SimpleUploadedFile("signature.png", content, content_type="image/png")


@login_required
@require_POST
def act(request: HttpRequest, pk: int) -> HttpResponse:
    """start | cancel (reason) | complete (signatory_name and the signature drawn on the phone)."""
    insp = _get(request, pk)
    action = request.POST.get("action", "")
    fields = INSPECTIONS.declared(action, request.POST) if action in INSPECTIONS.transitions else {}

    def create() -> dict[str, Any]:
        if action == "complete" and request.POST.get("signature_data"):
            upload = _signature_upload(request.POST["signature_data"])
            if upload is None:
                raise ValidationFailed([FieldError("signature", "invalid", "签名图片无效，请重新签名")])
            services.set_signature(insp, upload, actor=request.user)
        services.transition(insp, action, actor=request.user, **fields)
        return {"action": action}

    try:
        if action not in INSPECTIONS.transitions:
            INSPECTIONS.get(action)
        submit_once(request, f"inspections.act.{insp.pk}", create)
    except REFUSALS as exc:
        return _refused(request, pk, exc)
    if action == "complete":
        messages.success(request, _("Inspection completed: the on-site record is ready."))
        return redirect("inspections:record", pk=insp.pk)
    return redirect("inspections:detail", pk=insp.pk)


@login_required
def record(request: HttpRequest, pk: int) -> HttpResponse:
    """The on-site record (现场检查记录), printable on A4."""
    insp = _get(request, pk)
    return render(request, "inspections/record.html", {"r": onsite_record_context(insp), "i": insp})


@login_required
def photo_file(request: HttpRequest, pk: int) -> FileResponse:
    return scoped_file(request.user, InspectionPhoto, pk)


@login_required
def signature_file(request: HttpRequest, pk: int) -> FileResponse:
    return scoped_file(request.user, InspectionSignature, pk)
