"""Hazard pages: ledger, report (phone), dossier with its actions, listing, import, statistics, 清零."""

import io
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anquan.core.errors import NotPermitted, ValidationFailed
from anquan.core.idempotency import run_once
from anquan.core.imports import page_context
from anquan.core.paging import paginate, remember_filters
from anquan.core.scope import get_in_scope, region_in_scope, restrict
from anquan.core.uploads import check_upload, scoped_file
from anquan.core.xlsx import as_of
from anquan.enterprises.excel import ImportMode
from anquan.enterprises.models import Enterprise
from anquan.jobs import exports
from anquan.jobs.models import JobKind
from anquan.jobs.views import handle_import
from anquan.orgs.models import Department, Industry
from anquan.regions.models import Region

from . import actions, batch, dossier, dossier_doc, excel, filters, listing, rules, stats, todo
from . import services as reporting
from .choices import STATUS_COLOURS, Action, AttachmentStage, Level, ListingLevel, Source, Status
from .errors import Conflict
from .models import Attachment, Hazard, JudgementStandard
from .workflow import HAZARD_FLOW


def _scoped(user):
    return restrict(Hazard, user).select_related(
        "enterprise",
        "region",
        "industry",
        "supervising_department",
        "judgement_item__standard",
        "responsible_user",
        "accepted_by",
        "submitted_by",
    )


def _error_text(exc) -> str:
    if isinstance(exc, ValidationFailed):
        return "；".join(e.message for e in exc.errors)
    return exc.message


def _filtered(request):
    """The ledger filtered by the query string; a filter value it cannot mean is shown as an error and
    the ledger stays empty (never silently unfiltered)."""
    try:
        return filters.apply(_scoped(request.user), request.GET, user=request.user)
    except ValidationFailed as exc:
        messages.error(request, _error_text(exc))
        return _scoped(request.user).none()


@login_required
@remember_filters
def ledger(request):
    qs = filters.with_listing(_filtered(request))
    page = paginate(request, qs, keyset_pages=True)
    kind = request.GET.get("todo", "")
    return render(
        request,
        "hazards/ledger.html",
        {
            "page": page,
            "query": request.GET.urlencode(),
            "colours": STATUS_COLOURS,
            "industries": Industry.objects.filter(kind="category"),
            "departments": Department.objects.all(),
            "levels": Level.choices,
            "statuses": Status.choices,
            "sources": Source.choices,
            # a to-do list (?todo=KIND, from the to-do centre) says so in its heading
            "todo_label": todo.KINDS[kind][0] if kind in todo.KINDS else "",
            # the printed heading, as the Excel export's title rows: whose ledger, and when
            "print_title": excel.owner(request.user, request.GET) + excel.LEDGER_TITLE,
            "as_of": as_of(),
        },
    )


@login_required
def ledger_export(request):
    try:
        qs = filters.apply(_scoped(request.user), request.GET, user=request.user)
    except ValidationFailed as exc:
        messages.error(request, _error_text(exc))
        return redirect(f"{reverse('hazards:ledger')}?{request.GET.urlencode()}")
    if exports.too_large(qs):  # built by the worker; its page shows the progress, then the download
        with transaction.atomic():
            job = exports.submit(JobKind.HAZARD_EXPORT, request.user, request.GET.dict())
        return redirect("jobs:detail", pk=job.pk)
    return excel.export_response(qs, request.user, request.GET)


@login_required
def report(request):
    """Report a hazard — made for a phone: big fields, camera photos, location, safe to resubmit."""
    user = request.user
    enterprises = restrict(Enterprise, user)
    sources = rules.allowed_sources(user)
    context = {
        "sources": [(s, Source(s).label) for s in sources],
        "standards": JudgementStandard.objects.filter(active=True).prefetch_related("items"),
        "industries": Industry.objects.filter(kind="category"),
        "own_enterprise": user.enterprise,
        "form_key": uuid.uuid4().hex,
        "values": request.POST or {},
        "errors": {},
        "preset": None,
    }
    if request.GET.get("enterprise", "").isdigit():
        context["preset"] = enterprises.filter(pk=request.GET["enterprise"]).first()
    if request.method == "POST":
        raw = {
            k: request.POST.get(k, "").strip()
            for k in (
                "enterprise",
                "region",
                "address",
                "industry",
                "source",
                "level",
                "judgement_item",
                "judgement_note",
                "description",
                "latitude",
                "longitude",
            )
        }
        raw = {k: v for k, v in raw.items() if v}
        if raw.get("judgement_note") and not raw.get("judgement_item"):
            raw["level"] = Level.MAJOR  # a basis in words makes it major as well
        photos = request.FILES.getlist("photos")

        def create():
            hazard = reporting.report_hazard(raw, actor=user)
            for upload in photos:
                reporting.add_attachment(hazard, upload, stage=AttachmentStage.REPORT, actor=user)
            return 201, {"id": hazard.pk, "label": hazard.label}

        try:
            for upload in photos:
                check_upload(upload)
            _status, body = run_once(request, "hazards.create", request.POST.get("form_key") or None, create)
        except ValidationFailed as exc:
            context["errors"] = {e.field: e.message for e in exc.errors}
            context["form_key"] = request.POST.get("form_key") or context["form_key"]
        else:
            messages.success(
                request, _("Hazard %(label)s recorded.") % {"label": body.get("label") or f"#{body['id']}"}
            )
            return redirect("hazards:detail", pk=body["id"])
    return render(request, "hazards/report.html", context)


@login_required
def detail(request, pk, posted=None, status=200):
    """The hazard's page — for a major hazard, its dossier (一患一档): every document and event.
    `posted`: the values of a refused step, shown again so nothing typed is lost."""
    hazard = get_in_scope(
        _scoped(request.user).prefetch_related("listings__reports", "attachments", "events"),
        request.user,
        pk=pk,
    )
    user = request.user
    active = hazard.active_listing
    steps = HAZARD_FLOW.available(hazard, user)  # listing and delisting as declared (workflow.py)
    return render(
        request,
        "hazards/detail.html",
        {
            "h": hazard,
            "posted": posted or {},
            "events": hazard.events.prefetch_related("attachments").select_related("actor"),
            "bar": dossier.step_bar(hazard),  # who acts next, by when
            "photos": dossier.photos(hazard.attachments.all()),
            "actions": [(a, Action(a).label) for a in actions.available_actions(hazard, user)],
            "colour": STATUS_COLOURS[hazard.status],
            "listing": active,
            "listings": hazard.listings.all(),
            "can_list": Action.LIST in steps,
            "listing_levels": [(v, label) for v, label in ListingLevel.choices if rules.can_list(user, v)],
            "can_delist": Action.DELIST in steps,
            "can_report_progress": active is not None
            and hazard.is_open
            and (rules.can_submit(user, hazard) or rules.is_authority(user)),
        },
        status=status,
    )


@login_required
@require_POST
def act(request, pk):
    hazard = get_in_scope(_scoped(request.user), request.user, pk=pk)
    action = request.POST.get("action", "")
    fields = actions.declared(action, request.POST)  # only what this action takes: never `now` or `actor`
    try:
        with transaction.atomic():  # a refused step also drops the attachments saved for it
            if action in _PHOTO_STAGES and request.FILES.getlist("files"):
                uploads = request.FILES.getlist("files")
                for upload in uploads:
                    check_upload(upload)
                stage = _PHOTO_STAGES[action]
                fields["attachments"] = [
                    reporting.add_attachment(hazard, u, stage=stage, actor=request.user).pk for u in uploads
                ]
            actions.transition(hazard, action, actor=request.user, **fields)
    except (ValidationFailed, Conflict, NotPermitted) as exc:
        messages.error(request, _error_text(exc))
        return detail(
            request, pk, posted=request.POST, status=422 if isinstance(exc, ValidationFailed) else 409
        )
    messages.success(request, _("%(action)s: done.") % {"action": Action(action).label})
    return redirect("hazards:detail", pk=pk)


_PHOTO_STAGES = {  # the steps whose form carries photos, and what the photos show
    Action.SUBMIT: AttachmentStage.EVIDENCE,
    Action.ACCEPT_RECTIFICATION: AttachmentStage.ACCEPTANCE,
}


def _dossier_hazard(request, pk) -> Hazard:
    return get_in_scope(
        _scoped(request.user).prefetch_related("listings", "attachments", "events"), request.user, pk=pk
    )


@login_required
def dossier_docx(request, pk):
    """一患一档 as a Word form, filled values only, with signature blocks (dossier_doc.py)."""
    hazard = _dossier_hazard(request, pk)
    return FileResponse(
        io.BytesIO(dossier_doc.build_docx(hazard)),
        as_attachment=True,
        filename=dossier_doc.file_name(hazard, "docx"),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


@login_required
def dossier_pdf(request, pk):
    """一患一档 as PDF (LibreOffice converts the Word form); 503 with a Chinese message when it cannot."""
    hazard = _dossier_hazard(request, pk)
    try:
        pdf = dossier_doc.to_pdf(dossier_doc.build_docx(hazard))
    except dossier_doc.PdfUnavailable:
        return HttpResponse(
            _("The PDF cannot be produced on this server now; download the Word version instead."),
            status=503,
            content_type="text/plain; charset=utf-8",
        )
    return FileResponse(
        io.BytesIO(pdf),
        as_attachment=True,
        filename=dossier_doc.file_name(hazard, "pdf"),
        content_type="application/pdf",
    )


@login_required
@require_POST
def listing_view(request, pk):
    hazard = get_in_scope(_scoped(request.user), request.user, pk=pk)
    op = request.POST.get("op")
    try:
        if op == "list":
            days = request.POST.get("report_every_days") or "30"
            listing.list_hazard(
                hazard,
                actor=request.user,
                level=request.POST.get("level", ""),
                authority=request.POST.get("authority", ""),
                document_no=request.POST.get("document_no", ""),
                deadline=request.POST.get("deadline", ""),
                report_every_days=int(days) if days.isdigit() else -1,
            )
        elif op == "progress":
            listing.report_progress(hazard, request.POST.get("text", ""), actor=request.user)
        elif op == "delist":
            listing.delist(hazard, actor=request.user, comment=request.POST.get("text", ""))
        else:
            raise Http404
    except (ValidationFailed, Conflict, NotPermitted) as exc:  # each listing step is its own transaction
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("Saved."))
    return redirect("hazards:detail", pk=pk)


@login_required
def attachment(request, pk):
    return scoped_file(request.user, Attachment, pk)


@login_required
@transaction.non_atomic_requests  # an import commits batch by batch (anquan/jobs)
def import_ledger(request):
    result, error = None, ""
    if request.method == "POST":
        result, error, moved = handle_import(request, JobKind.HAZARD_IMPORT, ImportMode.CHOICES)
        if moved:
            return moved
    return render(request, "hazards/import.html", {"result": result, "error": error, **page_context()})


@login_required
def import_template(request):
    return excel.template_response()


@login_required
def statistics(request):
    group_by = request.GET.get("group_by", "region")
    params = {k: v for k, v in request.GET.items() if k not in ("group_by",) and v}
    params |= stats.default_period(request.GET, timezone.localdate())  # the last complete period
    try:
        data = stats.compute(request.user, params, group_by)
    except ValidationFailed as exc:
        messages.error(request, _error_text(exc))
        data = stats.compute(request.user, {}, "region")
    return render(
        request,
        "hazards/stats.html",
        {
            "data": data,
            "group_by": data["group_by"],
            "levels": Level.choices,
            "industries": Industry.objects.filter(kind="category"),
        },
    )


@login_required
def cleared(request):
    region = Region.objects.filter(code=request.GET.get("region") or request.user.region.code).first()
    if region is None or not region_in_scope(request.user, region.code):
        raise Http404
    return render(
        request, "hazards/cleared.html", {"region": region, "data": stats.cleared_view(request.user, region)}
    )


@login_required
def standards(request):
    """The judgement standards Anquan holds, with their citations and how far their text was verified."""
    return render(
        request,
        "hazards/standards.html",
        {
            "standards": JudgementStandard.objects.filter(active=True).prefetch_related(
                "items", "industries"
            ),
        },
    )


@login_required
def accept_batch(request):
    """The reports waiting for acceptance (the to-do centre's 待受理隐患), to accept several at once."""
    if not rules.is_authority(request.user):
        raise PermissionDenied
    if request.method == "POST":
        try:
            accepted = batch.accept_reports(
                request.POST.getlist("ids"),
                actor=request.user,
                comment=request.POST.get("comment", "").strip(),
            )
        except (ValidationFailed, Conflict, NotPermitted) as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, _("%(count)s reports accepted.") % {"count": len(accepted)})
        return redirect("hazards:accept_batch")
    qs = _scoped(request.user).filter(status=Status.REPORTED).order_by("found_at", "id")
    return render(
        request, "hazards/accept_batch.html", {"page": paginate(request, qs), "limit": batch.MAX_BATCH}
    )
