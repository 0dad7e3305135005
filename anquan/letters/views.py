"""The letters' pages: the list (filters, to-do boxes), a new letter, one letter (its text, reply, attachments,
history and the step forms), the printable letter and its .docx, and the attachments. The API is api.py; both
call services.py."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from anquan.accounts.http import AuthedRequest
from anquan.core.errors import Conflict, NotPermitted, ValidationFailed
from anquan.core.errors import form_errors as _errors
from anquan.core.errors import http_status as _status
from anquan.core.paging import paginate, remember_filters
from anquan.core.scope import get_in_scope
from anquan.core.todo import NOTHING
from anquan.core.uploads import file_response
from anquan.orgs.models import Department
from anquan.regions.inputs import subtree

from . import document, services, todo
from .choices import STATUS_COLOURS, Action, LetterKind, LetterStatus
from .models import Letter, LetterAttachment
from .workflow import FLOW

FORM_FIELDS = (
    "kind",
    "recipient_region",
    "recipient_department",
    "subject",
    "body",
    "required_actions",
    "reply_due",
    "interview_at",
    "interview_place",
    "task",
)
STEP_FIELDS = ("reply", "opinion", "reason")
LABELS = {str(a.value): str(a.label) for a in Action}


def _filtered(request: AuthedRequest) -> QuerySet[Letter]:
    user = request.user
    qs = services.letters_for(user)
    get = request.GET
    if get.get("kind") in LetterKind.values:
        qs = qs.filter(kind=get["kind"])
    if get.get("status") in LetterStatus.values:
        qs = qs.filter(status=get["status"])
    if get.get("recipient"):
        qs = qs.filter(subtree(get["recipient"]))
    if get.get("overdue") == "1":
        qs = qs.filter(status=LetterStatus.OVERDUE)
    box = get.get("box", "")
    if box in todo.BOXES:
        condition = todo.box(user, box)
        qs = qs.none() if condition == NOTHING else qs.filter(condition).order_by("reply_due", "pk")
    return qs


@login_required
@remember_filters
def letter_list(request: AuthedRequest) -> HttpResponse:
    user = request.user
    rows = paginate(request, _filtered(request))
    today = timezone.localdate()
    for letter in rows.object_list:
        letter.colour = STATUS_COLOURS.get(LetterStatus(letter.status), "secondary")
        letter.late = letter.status == LetterStatus.OVERDUE or (
            letter.status == LetterStatus.ISSUED and letter.reply_due < today
        )
        letter.recipient_label = document.recipient_name(letter)
    return render(
        request,
        "letters/list.html",
        {
            "page": rows,
            "kinds": LetterKind.choices,
            "statuses": LetterStatus.choices,
            "boxes": [
                (name, spec[0]) for name, spec in todo.BOXES.items() if todo.box(user, name) != NOTHING
            ],
            "box": request.GET.get("box", ""),
            "may_issue": services.can_issue(user),
        },
    )


def _form(
    request: AuthedRequest, values: dict[str, Any], errors: dict[str, str], status: int = 200
) -> HttpResponse:
    issuer = request.user.region
    assert issuer is not None  # services.can_issue: an office has its region
    return render(
        request,
        "letters/form.html",
        {
            "values": values,
            "errors": errors,
            "general": errors.get("", ""),
            "kinds": LetterKind.choices,
            "regions": services.recipient_regions(issuer).filter(level__lte=issuer.level + 1)
            if issuer.level < 3
            else services.recipient_regions(issuer),
            "department_regions": services.department_regions(issuer).filter(level__lte=issuer.level + 1),
            "departments": Department.objects.order_by("order", "id"),
            "today": timezone.localdate(),
        },
        status=status,
    )


@login_required
def letter_new(request: AuthedRequest) -> HttpResponse:
    user = request.user
    if not services.can_issue(user):
        raise Http404
    if request.method != "POST":
        initial = {"kind": request.GET.get("kind", LetterKind.REMINDER), "task": request.GET.get("task", "")}
        return _form(request, initial, {})
    raw = {name: request.POST.get(name, "") for name in FORM_FIELDS}
    try:
        letter = services.create_letter(raw, actor=user, issue=request.POST.get("issue") == "1")
    except (ValidationFailed, NotPermitted, Conflict) as exc:
        return _form(request, raw, _errors(exc), _status(exc))
    messages.success(request, f"已发出，文号{letter.number}" if letter.number else "已保存草稿")
    return redirect("letters:detail", pk=letter.pk)


@login_required
def letter_detail(
    request: AuthedRequest, pk: int, errors: dict[str, str] | None = None, status: int = 200
) -> HttpResponse:
    user = request.user
    letter = get_in_scope(services.letters_for(user), user, pk=pk)
    events = [
        {
            "e": event,
            "label": LABELS.get(event.action, event.action),
            "to_label": FLOW.status_label(event.to_status) if event.to_status != event.from_status else "",
        }
        for event in letter.events.all()
    ]
    files = list(letter.attachments.all())
    return render(
        request,
        "letters/detail.html",
        {
            "l": letter,
            "paper": document.paper(letter),
            "colour": STATUS_COLOURS.get(LetterStatus(letter.status), "secondary"),
            "available": [a for a in FLOW.available(letter, user) if a != Action.MARK_OVERDUE],
            "labels": {a: FLOW.transitions[a].label for a in FLOW.transitions},
            "events": events,
            "reply_files": [f for f in files if f.of_reply],
            "letter_files": [f for f in files if not f.of_reply],
            "errors": errors or {},
            "values": {f: request.POST.get(f, "") for f in STEP_FIELDS} if request.method == "POST" else {},
            "late": letter.status == LetterStatus.OVERDUE,
        },
        status=status,
    )


@login_required
@require_POST
def letter_transition(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    letter = get_in_scope(services.letters_for(user), user, pk=pk)
    action = request.POST.get("action", "")
    fields = FLOW.declared(action, request.POST) if action in FLOW.transitions else {}
    try:
        services.transition(letter, action, actor=user, files=request.FILES.getlist("files"), **fields)
    except (ValidationFailed, NotPermitted, Conflict) as exc:
        return letter_detail(request, pk, errors=_errors(exc), status=_status(exc))
    messages.success(request, f"已{FLOW.transitions[action].label}")
    return redirect("letters:detail", pk=pk)


@login_required
def letter_print(request: AuthedRequest, pk: int) -> HttpResponse:
    letter = get_in_scope(services.letters_for(request.user), request.user, pk=pk)
    return render(request, "letters/print.html", {"l": letter, "paper": document.paper(letter)})


@login_required
def letter_docx(request: AuthedRequest, pk: int) -> HttpResponse:
    letter = get_in_scope(services.letters_for(request.user), request.user, pk=pk)
    response = HttpResponse(
        document.docx_bytes(letter),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    name = f"{letter.number or document.title(letter)}.docx"
    from urllib.parse import quote

    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


@login_required
def letter_file(request: AuthedRequest, pk: int, file: int) -> FileResponse:
    letter = get_in_scope(services.letters_for(request.user), request.user, pk=pk)
    row = LetterAttachment.objects.filter(letter=letter, pk=file).first()
    if row is None:
        raise Http404
    return file_response(row.file, content_type=row.content_type, name=row.name)
