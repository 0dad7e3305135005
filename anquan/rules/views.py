"""/rules/: every kind of versioned rule data with the version in force, and a kind's versions with the form
that adds one (system administrator; a province office for its own province)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from anquan.core.contract import parse_date
from anquan.core.errors import NotPermitted, ValidationFailed

from . import forms, services
from .choices import Verification
from .models import RuleVersion
from .registry import RuleKind, kind, kinds


def _current(rule: RuleKind, region_code: str) -> RuleVersion | None:
    try:
        return services.in_force(rule.key, timezone.localdate(), region_code)
    except services.RuleMissing:
        return None


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    rows = []
    for rule in kinds():
        current = _current(rule, user.region_code)
        rows.append((rule, current, forms.figures(rule, current.values) if current else []))
    return render(request, "rules/index.html", {"rows": rows})


@login_required
def detail(request: HttpRequest, key: str) -> HttpResponse:
    try:
        rule = kind(key)
    except LookupError:
        raise Http404 from None
    user: Any = request.user
    province = services.province_code(user.region_code) if user.role != "sysadmin" else ""
    current = _current(rule, user.region_code)
    errors: dict[str, str] = {}
    form: dict[str, Any] = {
        "effective_from": "",
        "source": "",
        "verified": Verification.NOT_FOUND,
        "note": "",
        "region_code": province,
    }
    filled: dict[str, Any] = dict(current.values) if current else {}
    if request.method == "POST":
        form = {name: request.POST.get(name, "") for name in form}
        values, filled, bad = forms.read(rule, request.POST, current.values if current else None)
        try:
            day = parse_date(form["effective_from"], "effective_from")
        except ValidationFailed as exc:
            day, bad = None, [*bad, *exc.errors]
        try:
            if bad:  # shown with every other field's error at once
                _clean, more = services.check_version(
                    rule, day, values, form["source"], form["verified"], form["note"]
                )
                raise ValidationFailed([*bad, *more])
            services.add_version(
                user,
                key,
                effective_from=day,
                values=values,
                source=form["source"],
                verified=form["verified"],
                note=form["note"],
                region_code=form["region_code"],
            )
        except ValidationFailed as exc:
            errors = {e.field: e.message for e in reversed(exc.errors)}  # the first error of a field wins
        except NotPermitted as exc:
            raise PermissionDenied(exc.message) from None
        else:
            messages.success(request, f"已添加新版本，自{form['effective_from']}起施行。")
            return redirect(reverse("rules:detail", args=[key]))
    return render(
        request,
        "rules/detail.html",
        {
            "rule": rule,
            "current": current,
            "versions": [(v, forms.figures(rule, v.values)) for v in services.versions(key)],
            "may_edit": services.can_edit(user, province) or services.can_edit(user, ""),
            "inputs": forms.inputs(rule, filled),
            "current_figures": dict(forms.figures(rule, current.values)) if current else {},
            "form": form,
            "errors": errors,
            "verifications": Verification.choices,
        },
        status=422 if errors else 200,
    )
