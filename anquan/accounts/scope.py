"""The one scoping function (DESIGN rule 1).

Every list, detail, export and generated document obtains its rows through `restrict`. A user
sees the region subtree of their scope node, narrowed to their department's industries (the
rows whose supervising department is theirs) or to their own enterprise. Objects outside it are
answered with 404, never 403, so their existence does not leak.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.http import Http404


@dataclass(frozen=True)
class ScopeSpec:
    """How a model's rows map to a scope: declared as `scope = ScopeSpec(...)` on the model."""

    region: str = "region_code"  # field with the row's region code (prefix-matched)
    department: str | None = None  # field holding the supervising department id
    enterprise: str | None = None  # field holding the enterprise id ("pk" for Enterprise itself)


def within(prefix: str, field: str = "region_code") -> models.Q:
    """Rows whose region code starts with `prefix`, written as a range so that an ordinary index serves it
    on every backend (SQLite's LIKE ignores case and so never uses one; see bench/RESULTS.md)."""
    if not prefix:
        return models.Q()
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return models.Q(**{f"{field}__gte": prefix, f"{field}__lt": upper})


def restrict(queryset: models.QuerySet | type[models.Model], user) -> models.QuerySet:
    if isinstance(queryset, type):
        queryset = queryset._default_manager.all()
    spec: ScopeSpec = queryset.model.scope
    if not getattr(user, "is_authenticated", False) or not user.is_active or user.region_id is None:
        return queryset.none()
    region = user.region
    condition = within(region.prefix, spec.region)
    if user.enterprise_id:
        if spec.enterprise is None:
            return queryset.none()
        condition &= models.Q(**{spec.enterprise: user.enterprise_id})
    elif user.department_id and spec.department is not None:
        condition &= models.Q(**{spec.department: user.department_id})
    return queryset.filter(condition)


def get_in_scope(queryset: models.QuerySet | type[models.Model], user, **lookup):
    """The object if the user may see it, else Http404 (also for objects that do not exist)."""
    scoped = restrict(queryset, user)
    try:
        return scoped.get(**lookup)
    except scoped.model.DoesNotExist:
        raise Http404 from None


def in_scope(obj: models.Model, user) -> bool:
    """The same rule as `restrict`, evaluated on an object in memory (used after writes)."""
    spec: ScopeSpec = type(obj).scope
    if not getattr(user, "is_authenticated", False) or not user.is_active or user.region_id is None:
        return False
    if not (_value(obj, spec.region) or "").startswith(user.region.prefix):
        return False
    if user.enterprise_id:
        return spec.enterprise is not None and _value(obj, spec.enterprise) == user.enterprise_id
    if user.department_id and spec.department is not None:
        return _value(obj, spec.department) == user.department_id
    return True


def _value(obj, path: str):
    """The value at `path` on `obj`, following relations written as `point__region_code`."""
    if path == "pk":
        return obj.pk
    value = obj
    for part in path.split("__"):
        if value is None:
            return None
        value = value.pk if part == "pk" else getattr(value, part)
    return value


@dataclass(frozen=True)
class ScopeValues:
    """Where one object sits: its region code, supervising department id and enterprise id."""

    region_code: str
    department_id: int | None
    enterprise_id: int | None


def scope_values(obj: models.Model) -> ScopeValues | None:
    """The scope coordinates of `obj` read through its model's `ScopeSpec` (None for a model without one).
    The audit log stores them with each entry so that it is narrowed exactly like the object itself."""
    spec: ScopeSpec | None = getattr(type(obj), "scope", None)
    if not isinstance(spec, ScopeSpec):
        return None
    return ScopeValues(
        region_code=_value(obj, spec.region) or "",
        department_id=_value(obj, spec.department) if spec.department else None,
        enterprise_id=_value(obj, spec.enterprise) if spec.enterprise else None,
    )


def region_in_scope(user, code: str) -> bool:
    return bool(getattr(user, "region_id", None)) and code.startswith(user.region.prefix)
