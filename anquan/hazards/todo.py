"""What waits for a user in the hazards module (the to-do centre, anquan/core/todo.py).

Each kind is a condition on the hazards in the user's scope, written from the same rules that decide who may
take the step (`rules.py`), so the count, the ledger's `?todo=KIND` list and the buttons on the hazard agree
(tests/hazards/test_todo.py checks every kind against `rules` for every persona). Two narrowings: an
enterprise's own self-check findings wait for the enterprise to assign and accept, not for the authorities that
may step in; and routine steps wait for the hazard's county and township, not for the city and province offices
above them (`_territorial`, docs/adr/0058).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Q
from django.urls import reverse

from anquan.core.permissions import Perm, has_perm
from anquan.core.scope import restrict
from anquan.core.todo import NOTHING, TodoItem, counted
from anquan.regions.models import RegionLevel

from . import rules
from .choices import Level, ListingLevel, Source, Status
from .models import Hazard


def _reviewable(user: Any) -> Q:
    """The hazards whose rectification `user` may accept (rules.can_review as a query)."""
    major = Q(level=Level.MAJOR)
    by_inspection = Q(source=Source.INSPECTION, found_department__isnull=False)
    if user.role in rules.DEPARTMENT_ROLES:
        return Q(supervising_department_id=user.department_id) | (
            ~major & by_inspection & Q(found_department_id=user.department_id)
        )
    own = (
        ~major & ~by_inspection & Q(source=Source.SELF_CHECK, enterprise_id=user.enterprise_id)
        if user.enterprise_id
        else NOTHING
    )
    return own | (~major & ~by_inspection if rules.is_authority(user) else NOTHING)


def _not_their_own_step(user: Any) -> Q:
    """An enterprise organises and accepts its own self-check findings (the step's notices go to it alone):
    an authority may step in, but they do not wait for it."""
    return ~Q(source=Source.SELF_CHECK) if not user.enterprise_id else Q()


def _territorial(user: Any) -> Q:
    """Routine steps (accepting a report, assigning, accepting a general hazard's rectification, deciding its
    extension) are the territorial authorities' (属地管理): they wait for the offices of the hazard's county and
    township, the ones told of a new report. A city or province office may take them too (the rules allow it, the
    ledger offers the buttons) but does not wait for every county's routine work; only for hazards registered at
    its own region, with no county below to take them. Departments wait for what they supervise, as before."""
    region = getattr(user, "region", None)
    if (
        region is None
        or user.enterprise_id
        or user.role in rules.DEPARTMENT_ROLES
        or region.level >= RegionLevel.COUNTY
    ):
        return Q()
    return Q(region_code=region.code)


def _accept(user: Any) -> Q:
    return Q(status=Status.REPORTED) & _territorial(user) if rules.is_authority(user) else NOTHING


def _assign(user: Any) -> Q:
    if rules.is_authority(user):
        return Q(status=Status.CONFIRMED) & _not_their_own_step(user) & _territorial(user)
    if user.enterprise_id:
        return Q(status=Status.CONFIRMED, source=Source.SELF_CHECK, enterprise_id=user.enterprise_id)
    return NOTHING


def _rectify(user: Any) -> Q:
    """rules.can_submit as a query: the enterprise's own, the named responsible person's, a public place's."""
    mine = Q(responsible_user_id=user.pk)
    if user.enterprise_id:
        mine |= Q(enterprise_id=user.enterprise_id)
    if has_perm(user, Perm.HAZARD_RECTIFY_PUBLIC):
        mine |= Q(enterprise__isnull=True)
    return Q(status=Status.RECTIFYING) & mine


def _review(user: Any) -> Q:
    # separation of duties: not the person who submitted the rectification (actions.SEPARATED)
    return (
        Q(status=Status.SUBMITTED)
        & _reviewable(user)
        & _not_their_own_step(user)
        & ~Q(submitted_by_id=user.pk)
        & _territorial(user)
    )


def _extension(user: Any) -> Q:
    return (
        Q(status=Status.RECTIFYING, extension_requested_until__isnull=False)
        & _reviewable(user)
        & _territorial(user)
    )


def _delist(user: Any) -> Q:
    levels = [level for level in ListingLevel.values if rules.can_list(user, level)]
    return Q(status=Status.ACCEPTED, listed_level__in=levels) if levels else NOTHING


# kind → (label, condition); in the order of a hazard's life
KINDS: dict[str, tuple[str, Callable[[Any], Q]]] = {
    "accept": ("待受理隐患", _accept),
    "assign": ("待交办整改的隐患", _assign),
    "rectify": ("待整改隐患", _rectify),
    "review": ("待验收隐患", _review),
    "extension": ("待审批的延期申请", _extension),
    "delist": ("待摘牌的挂牌督办隐患", _delist),
}


def waiting(user: Any, kind: str) -> Q:
    """The condition of to-do `kind` for `user` (applied to hazards already in the user's scope)."""
    return KINDS[kind][1](user)


def url(kind: str) -> str:
    if kind == "accept":  # the reports to accept have their own page, to accept several at once
        return reverse("hazards:accept_batch")
    return f"{reverse('hazards:ledger')}?todo={kind}"


def items(user: Any) -> list[TodoItem]:
    """Every kind's count in one query."""
    kinds = {kind: (label, condition(user), url(kind)) for kind, (label, condition) in KINDS.items()}
    return counted(restrict(Hazard, user), "hazards", kinds)
