"""Document pages: the list (filters kind / year / unit, Excel export), a document's page (number, parties, hashes,
downloads, void), and the downloads. The enterprise page's 执法文书 section is hooks.detail_panel."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anquan.core import xlsx
from anquan.core.errors import Conflict, NotPermitted, ValidationFailed, form_errors, http_status
from anquan.core.paging import paginate
from anquan.core.pdf import PdfUnavailable
from anquan.core.scope import get_in_scope
from anquan.orgs.models import Department

from . import filters, services
from .choices import DocumentKind, Status
from .workflow import FLOW

COLUMNS = [
    xlsx.Column("文书编号", 28),
    xlsx.Column("文书种类", 20),
    xlsx.Column("执法主体", 22),
    xlsx.Column("当事人", 30, wrap=True),
    xlsx.Column("统一社会信用代码", 22),
    xlsx.Column("签发人", 10),
    xlsx.Column("签发时间", 18),
    xlsx.Column("状态", 8),
    xlsx.Column("作废理由", 24, wrap=True),
    xlsx.Column("SHA-256", 30),
]


def _filtered(request: HttpRequest) -> tuple[Any, dict[str, str]]:
    try:
        return filters.apply(services.scoped(request.user), request.GET.dict()), {}
    except ValidationFailed as exc:
        return services.scoped(request.user).none(), form_errors(exc)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    qs, errors = _filtered(request)
    return render(
        request,
        "documents/index.html",
        {
            "page": paginate(request, qs),
            "errors": errors,
            "kinds": DocumentKind.choices,
            "statuses": Status.choices,
            "departments": Department.objects.order_by("order", "id"),
        },
        status=422 if errors else 200,
    )


@login_required
def export(request: HttpRequest) -> HttpResponse:
    qs, _errors = _filtered(request)
    workbook = xlsx.export_workbook()
    owner = xlsx.owner_name(request.user)
    sheet = xlsx.ledger_sheet(workbook, "执法文书", owner=owner, title="执法文书台账", columns=COLUMNS)
    for d in qs.iterator(chunk_size=500):
        sheet.append(
            [
                d.number,
                d.get_kind_display(),
                d.unit_name,
                d.enterprise.name,
                d.enterprise.uscc,
                (d.issued_by.get_full_name() or d.issued_by.username) if d.issued_by else "",
                timezone.localtime(d.issued_at).strftime("%Y-%m-%d %H:%M"),
                d.get_status_display(),
                d.void_reason,
                d.sha256,
            ]
        )
    sheet.close()
    return xlsx.xlsx_response(workbook, xlsx.export_filename(owner, "执法文书台账"))


def _detail(
    request: HttpRequest, pk: int, errors: dict[str, str] | None = None, status: int = 200
) -> HttpResponse:
    document = get_in_scope(services.scoped(request.user), request.user, pk=pk)
    return render(
        request,
        "documents/detail.html",
        {
            "d": document,
            "numbering_rule": services.numbering_rule_of(document),
            "party": document.context.get("party", {}),
            "events": document.events.order_by("at", "id"),
            "may_void": "void" in FLOW.available(document, request.user),
            "errors": errors or {},
        },
        status=status,
    )


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, pk)


@login_required
def download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse | FileResponse:
    try:
        return services.download(request.user, pk, fmt)
    except PdfUnavailable:
        return HttpResponse(
            _("The PDF cannot be produced on this server now; download the Word version instead."),
            status=503,
            content_type="text/plain; charset=utf-8",
        )


@login_required
@require_POST
def void(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_in_scope(services.scoped(request.user), request.user, pk=pk)
    try:
        services.void(document, reason=request.POST.get("reason", ""), actor=request.user)
    except (ValidationFailed, Conflict, NotPermitted) as exc:
        return _detail(request, pk, form_errors(exc), http_status(exc))
    messages.success(request, _("The document was voided; its number stays used."))
    return redirect("documents:detail", pk=pk)
