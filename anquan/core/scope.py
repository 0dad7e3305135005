"""The one scoping function (DESIGN rule 1).

Every list, detail, export and generated document obtains its rows through `restrict`. A user
sees the region subtree of their scope node, narrowed to their department's industries (the
rows whose supervising department is theirs) or to their own enterprise. Objects outside it are
answered with 404, never 403, so their existence does not leak.

A model declares where its rows sit with `scope = ScopeSpec(...)`; a child row that carries no scope
columns of its own names its parent's (`ScopeSpec(region="hazard__region_code", ...)`), so a photo,
attachment, schedule or placement is in scope exactly when its parent is. The same spec says which
roles may *change* rows of the model (`change=`): `restrict(qs, user, CHANGE)` and
`in_scope(obj, user, CHANGE)` narrow by it, so read and write permission on a row's place live here.
Workflow rules (who may accept, review, delist …) stay with each workflow. `who_can_see(obj)` is the
same rule read the other way round: the users `restrict` would show the object to (notification
recipients are picked among them).

A model whose rows are a shared resource of an area (`shared_at=<region level>`: rescue teams, depots and duty
rosters, which a township officer or grid worker dispatches help from) is *read* more widely by government users:
below that level, the whole area of their ancestor at that level; at any level, the rows registered at the
regions above them (a city's or the province's own teams). Changing them stays with the owner's scope
(docs/adr/0057-shared-rescue-forces.md). `own_area` narrows such a read back to the user's own subtree, for the
lists of what the user must act on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db import connection, models
from django.http import Http404


@dataclass(frozen=True)
class ScopeSpec:
    """How a model's rows map to a scope: declared as `scope = ScopeSpec(...)` on the model."""

    region: str = "region_code"  # field with the row's region code (prefix-matched)
    department: str | None = None  # field holding the supervising department id
    enterprise: str | None = None  # field holding the enterprise id ("pk" for Enterprise itself)
    # roles that may change rows of the model (within their scope); None: every role that sees them
    change: frozenset[str] | None = None
    # read by government users across the area of their ancestor at this region level and from the regions
    # above them (see the module's docstring); None: read within their own subtree only
    shared_at: int | None = None

    def via(self, path: str, *, change: frozenset[str] | None = None) -> ScopeSpec:
        """The spec of a child model whose rows are scoped by their parent's, reached through the relation
        `path` (e.g. "inspection"): the parent's fields prefixed, so the child's scope cannot drift from its
        parent's. `change` is the child's own (None: every role that sees the rows)."""

        def under(field: str | None) -> str | None:
            return f"{path}__{field}" if field is not None else None

        return ScopeSpec(
            region=f"{path}__{self.region}",
            department=under(self.department),
            enterprise=under(self.enterprise),
            change=change,
            shared_at=self.shared_at,
        )


M = TypeVar("M", bound=models.Model)

VIEW = "view"
CHANGE = "change"
ACTIONS = (VIEW, CHANGE)


def _spec(model) -> ScopeSpec:
    spec = getattr(model, "scope", None)
    if not isinstance(spec, ScopeSpec):
        raise TypeError(f"{model._meta.label} declares no ScopeSpec")
    return spec


def role_may(user, model, action: str = VIEW) -> bool:
    """Whether the user's role may take `action` on rows of `model` at all (their scope decides which)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown scope action {action!r}")
    if action == VIEW:
        return True
    spec = _spec(model)
    return spec.change is None or getattr(user, "role", None) in spec.change


WIDE_PREFIX = 4  # a province's or a city's region prefix: its range holds a tenth of the rows or more


def within(prefix: str, field: str = "region_code") -> models.Q:
    """Rows whose region code starts with `prefix`, written as a range so that an ordinary index serves it
    on every backend (SQLite's LIKE ignores case and so never uses one; see bench/RESULTS.md).

    On SQLite a province's or city's prefix is written as LIKE instead, so that no index serves it: SQLite's
    planner (no histograms) takes any range on the region index as narrow, reads the whole province through it
    and sorts, where walking the list's order index and testing the region (the ledger's indexes end in it)
    stops after a page (a province's first ledger page at 250,000 hazards: 1.3 s → 10 ms; docs/adr/0049).
    PostgreSQL's statistics see the range's width and choose well either way."""
    if not prefix:
        return models.Q()
    if len(prefix) <= WIDE_PREFIX and connection.vendor == "sqlite":
        return models.Q(**{f"{field}__startswith": prefix})
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return models.Q(**{f"{field}__gte": prefix, f"{field}__lt": upper})


def restrict(queryset: models.QuerySet[M] | type[M], user, action: str = VIEW) -> models.QuerySet[M]:
    """The rows of `queryset` the user may see (`VIEW`) or change (`CHANGE`)."""
    if isinstance(queryset, type):
        queryset = queryset._default_manager.all()
    spec = _spec(queryset.model)
    if not getattr(user, "is_authenticated", False) or not user.is_active or user.region_id is None:
        return queryset.none()
    if not role_may(user, queryset.model, action):
        return queryset.none()
    if user.enterprise_id:
        # an enterprise's own users see its rows wherever they lie: the records it made before moving
        # county stay in the old county (ADR 0007) and remain the enterprise's own
        if spec.enterprise is None:
            return queryset.none()
        return queryset.filter(**{spec.enterprise: user.enterprise_id})
    region = user.region
    condition = within(region.prefix, spec.region)
    if action == VIEW and spec.shared_at is not None:
        condition = within(region.prefix_at(spec.shared_at), spec.region) | models.Q(
            **{f"{spec.region}__in": region.above_codes()}
        )
    if user.department_id and spec.department is not None:
        condition &= models.Q(**{spec.department: user.department_id})
    return queryset.filter(condition)


def own_area(user, field: str = "region_code") -> models.Q:
    """The rows of the user's own subtree (all of an enterprise user's own): a shared model's read narrowed back to
    what the user answers for (its lists of stock to replenish, rosters missing)."""
    if getattr(user, "enterprise_id", None) or getattr(user, "region", None) is None:
        return models.Q()
    return within(user.region.prefix, field)


def get_in_scope(queryset: models.QuerySet[M] | type[M], user, action: str = VIEW, **lookup) -> M:
    """The object if the user may see (or change) it, else Http404 (also for objects that do not exist)."""
    scoped = restrict(queryset, user, action)
    try:
        return scoped.get(**lookup)
    except ObjectDoesNotExist:  # the model's DoesNotExist
        raise Http404 from None


def in_scope(obj: models.Model, user, action: str = VIEW) -> bool:
    """The same rule as `restrict`, evaluated on an object in memory (used after writes)."""
    spec = _spec(type(obj))
    if not getattr(user, "is_authenticated", False) or not user.is_active or user.region_id is None:
        return False
    if not role_may(user, type(obj), action):
        return False
    if user.enterprise_id:
        return spec.enterprise is not None and _value(obj, spec.enterprise) == user.enterprise_id
    code = _value(obj, spec.region) or ""
    if action == VIEW and spec.shared_at is not None:
        shared = code.startswith(user.region.prefix_at(spec.shared_at)) or code in user.region.above_codes()
        if not shared:
            return False
    elif not code.startswith(user.region.prefix):
        return False
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


def who_can_see(obj: models.Model, action: str = VIEW) -> models.QuerySet:
    """The active users that `restrict` shows `obj` to (or lets change it): those whose region node
    covers the object's region, narrowed to the object's department and enterprise exactly as
    `restrict` narrows them. Callers that notify pick roles among these, never users outside them."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    spec = _spec(type(obj))
    code = _value(obj, spec.region) or ""
    covering = [code[:n] for n in range(1, len(code) + 1)]
    authorities = models.Q(enterprise__isnull=True, region__prefix__in=covering)
    if action == VIEW and spec.shared_at is not None:
        # and those below the object's region (it is registered above them), and those below the shared level
        # inside the object's area at that level
        regions: Any = User._meta.get_field("region").related_model  # the region model (core imports no app)
        where = regions._default_manager.filter(code=code).first()
        if where is not None:
            area = where.prefix_at(spec.shared_at)
            authorities |= models.Q(
                enterprise__isnull=True, region__code__startswith=where.prefix
            ) | models.Q(
                enterprise__isnull=True, region__level__gt=spec.shared_at, region__code__startswith=area
            )
    if spec.department is not None:
        department_id = _value(obj, spec.department)
        authorities &= models.Q(department__isnull=True) | models.Q(department_id=department_id)
    enterprise_id = _value(obj, spec.enterprise) if spec.enterprise else None
    own = models.Q(enterprise_id=enterprise_id) if enterprise_id is not None else models.Q(pk__in=[])
    users = User.objects.filter(authorities | own, is_active=True, region__isnull=False)
    if action == CHANGE and spec.change is not None:
        users = users.filter(role__in=spec.change)
    elif action not in ACTIONS:
        raise ValueError(f"unknown scope action {action!r}")
    return users


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
