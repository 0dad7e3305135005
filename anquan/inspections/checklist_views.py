"""Checklist template pages under /inspections/checklists/: the templates by industry with their versions, one
version's items with each item's source, and the form that makes a new version from the one in use (province
office or system administrator; checklists.py says why)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from anquan.accounts.http import AuthedRequest
from anquan.core.errors import Conflict, FieldError, NotPermitted, ValidationFailed
from anquan.core.errors import http_status as _status
from anquan.orgs.models import Industry

from . import checklist_forms as forms
from . import checklists
from .models import ChecklistTemplate


def _template(request: AuthedRequest, pk: int) -> ChecklistTemplate:
    if not checklists.may_read(request.user):
        raise Http404
    return get_object_or_404(checklists.readable(request.user), pk=pk)


@login_required
def checklist_list(request: AuthedRequest) -> HttpResponse:
    if not checklists.may_read(request.user):
        raise Http404
    industry = request.GET.get("industry", "")
    used = ChecklistTemplate.objects.values_list("industry_id", flat=True)
    return render(
        request,
        "inspections/checklists/list.html",
        {
            "families": checklists.families(request.user, industry),
            "industries": Industry.objects.filter(pk__in=used).order_by("code"),
            "industry": industry,
            "may_edit": checklists.may_edit(request.user),
        },
    )


@login_required
def checklist_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    template = _template(request, pk)
    items = checklists.items_of(template)
    siblings = checklists.readable(request.user).filter(industry=template.industry, name=template.name)
    return render(
        request,
        "inspections/checklists/detail.html",
        {
            "t": template,
            "items": [(i, checklists.source_of(i)) for i in items],
            "major": sum(1 for i in items if i.judgement_item_id),
            "versions": siblings.order_by("-version"),
            "may_edit": checklists.may_edit(request.user) and template.active,
        },
    )


@login_required
def checklist_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    template = _template(request, pk)
    if not checklists.may_edit(request.user):
        raise Http404
    rows = forms.initial(template)
    note = ""
    general: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        rows, note = forms.posted(request.POST), request.POST.get("note", "")
        if forms.too_many(request.POST):  # more rows than the form shows: refused, never read in part
            rows = forms.initial(template)
            general, status = {"rows": f"提交的行数超过上限（{forms.MAX_ROWS}行），请刷新页面后重新修改"}, 422
        elif request.POST.get("more"):  # "add rows": shown again with more blank rows, nothing saved
            rows = forms.with_blanks(rows)
        else:
            try:
                fresh = _save(template, rows, note, request)
            except (ValidationFailed, Conflict, NotPermitted) as exc:
                errors = (
                    exc.errors if isinstance(exc, ValidationFailed) else [FieldError("", "", exc.message)]
                )
                general, status = forms.row_errors(rows, _origin(rows), errors), _status(exc)
                marked = sum(1 for row in rows if row.errors)
                if marked:
                    general = {"rows": f"有{marked}项需要修改，见下方标红处", **general}
            else:
                messages.success(
                    request, _("Version %(version)s saved and now in use.") % {"version": fresh.version}
                )
                return redirect("inspections:checklist", pk=fresh.pk)
    return render(
        request,
        "inspections/checklists/edit.html",
        {
            "t": template,
            "rows": rows,
            "note": note,
            "general": general,
            "general_messages": list(
                general.values()
            ),  # a dict's "items" key would hide .items in a template
            "choices": checklists.judgement_choices(),
            "max_items": checklists.MAX_ITEMS,
        },
        status=status,
    )


def _origin(rows: list[forms.Row]) -> list[int]:
    return forms.read(rows)[1]


def _save(
    template: ChecklistTemplate, rows: list[forms.Row], note: str, request: AuthedRequest
) -> ChecklistTemplate:
    items, _origin_rows, bad = forms.read(rows)
    if bad:  # shown with every other field's error at once
        if not note.strip():
            bad.append(FieldError("note", "required", "修订说明不能为空"))
        try:
            checklists.check_items(items)
        except ValidationFailed as exc:
            bad += exc.errors
        raise ValidationFailed(bad)
    return checklists.edit(template, items, note=note, actor=request.user)
