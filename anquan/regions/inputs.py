"""The region field of a form or query (`region`: a region code), read the same way everywhere: it must name a
region inside the user's scope (core.scope.region_in_scope), with one field-level Chinese error otherwise. Used by
the statistics (hazards, accidents), the risk map, the bulletins and last year's entered totals."""

from __future__ import annotations

from typing import Any, Literal

from django.db.models import Q
from django.http import Http404

from anquan.core.errors import FieldError, ValidationFailed
from anquan.core.scope import region_in_scope, within

from .models import Region

OUT_OF_SCOPE = "区域不存在或不在您的管辖范围内"

Blank = Literal["own", "required", "none"]
Unseen = Literal["field", "missing"]


def region_field(
    value: object,
    user: Any,
    errors: list[FieldError] | None = None,
    *,
    blank: Blank = "own",
    field: str = "region",
    unseen: Unseen = "field",
    message: str = OUT_OF_SCOPE,
) -> Region | None:
    """The region `value` names if `user` may see it. A blank value means the user's own region (`own`), is an
    error (`required`) or stays None (`none`). An error is appended to `errors` (and None returned) or, without
    `errors`, raised as ValidationFailed.

    Unknown or outside the user's scope — one answer for both, so that scope does not tell which regions exist:
    - `unseen="field"` (the default): a value the user typed or picked — a form field, a list's filter, a draw's
      issuing unit, the statistics' region — is a field-level 422 (`message`, default OUT_OF_SCOPE): they can
      pick another.
    - `unseen="missing"`: the region is what the operation is *about* (the enforcement targets of a region, its
      plan's capacity): 404, as a record out of scope answers (DESIGN.md)."""
    code = str(value or "").strip()
    problem: FieldError | None = None
    region = None
    if not code and blank == "none":
        return None
    if not code and blank == "required":
        problem = FieldError(field, "required", "请选择区域")
    else:
        own = getattr(user, "region", None)
        code = code or (own.code if own is not None else "")
        region = Region.objects.filter(code=code).first() if code else None
        if region is None or not region_in_scope(user, region.code):
            if unseen == "missing":
                raise Http404
            problem, region = FieldError(field, "out_of_scope", message), None
    if problem is None:
        return region
    if errors is None:
        raise ValidationFailed([problem])
    errors.append(problem)
    return None


def subtree(code: object, field: str = "region_code") -> Q:
    """A list filter `region=<code>`: the rows of that region and every region below it (a city's code keeps its
    counties', a township's its villages'), through the region's stored prefix; an unknown code matches nothing.
    Scope is applied by the caller's `restrict` as ever: this only narrows."""
    value = str(code or "").strip()
    if not value:
        return Q()
    prefix = Region.objects.filter(code=value).values_list("prefix", flat=True).first()
    return within(prefix, field) if prefix else Q(pk__in=[])


def public_region(code: object) -> Region | None:
    """The `?region=` of a public page (no account, so no scope): None when blank, else the region; an unknown
    code answers 404 (a page that does not exist), as a record out of scope does."""
    value = str(code or "").strip()
    if not value:
        return None
    region = Region.objects.filter(code=value).first()
    if region is None:
        raise Http404
    return region
