"""An enterprise's risk level and where it is kept.

The level is derived, never entered: the highest current level among the enterprise's risk points,
raised to at least orange while it has an open major hazard (重大事故隐患) or a grade 1 or 2 major
hazard installation (GB 18218-2018 表6 一级/二级). It is stored on `Enterprise.risk_level` so that
regional statistics and the four-colour map count levels with one grouped query; every change that can
move it (an assessment, an installation saved, a hazard reported or moved) calls `refresh`, and
`refresh_many` recomputes any set of enterprises at once (`anquan refresh_risk_levels`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from django.db import transaction
from django.db.models import Count, QuerySet

from anquan.accounts.models import User
from anquan.core import audit
from anquan.core.hooks import Hook
from anquan.core.models import AuditAction
from anquan.enterprises.models import Enterprise
from anquan.standards.choices import LEVEL_RANK, RiskLevel

from .models import RiskPoint

RULE_TEXT = (
    "企业风险等级取其各风险点当前等级中的最高者；企业存在未销号的重大事故隐患，"
    "或有一级、二级重大危险源时，至少为较大风险（橙色）。"
)

_FLOOR = RiskLevel.ORANGE.value


def combine(point_levels: Iterable[str], raised: bool) -> str:
    """The rule itself: highest of `point_levels` ("" = none assessed), at least orange when `raised`."""
    level = max((lv for lv in point_levels if lv), key=LEVEL_RANK.__getitem__, default="")
    if raised and LEVEL_RANK.get(level, 0) < LEVEL_RANK[_FLOOR]:
        return _FLOOR
    return level


# Hook `riskpoints.levels.raising`: function() → a queryset (with `enterprise_id`) of rows of an app above that
# raise their enterprise to at least orange: majorhazards registers its grade 1 and 2 installations, hazards its
# open major hazards (重大事故隐患) (docs/adr/0014-layers-and-hooks.md). The app that changes such rows calls
# `refresh` (in its own transaction). This module imports neither.
raising = Hook("riskpoints.levels.raising")


def _raised(enterprise_ids: Collection[int]) -> set[int]:
    """Those of `enterprise_ids` that a registered app raises."""
    found: set[int] = set()
    for queryset in raising.call():
        found.update(
            queryset.filter(enterprise_id__in=enterprise_ids).values_list("enterprise_id", flat=True)
        )
    return found


def _pk(enterprise: Enterprise | int) -> int:
    return enterprise if isinstance(enterprise, int) else enterprise.pk


def enterprise_risk_level(enterprise: Enterprise | int) -> str:
    """Computed afresh from the points, hazards and installations (what `refresh` stores)."""
    pk = _pk(enterprise)
    levels = (
        RiskPoint.objects.filter(enterprise_id=pk)
        .exclude(current_level="")
        .values_list("current_level", flat=True)
        .distinct()
    )
    raised = bool(_raised([pk]))
    return combine(levels, raised)


AUDIT_COMMENT = "企业风险等级按规则重新计算"


def refresh(enterprise: Enterprise | int | None, *, actor: User | str | None = None) -> str:
    """Recompute and store one enterprise's level; returns it. A change is audited (before/after)."""
    if enterprise is None:
        return ""
    pk = _pk(enterprise)
    level = enterprise_risk_level(pk)
    stored = Enterprise.objects.filter(pk=pk).values_list("risk_level", flat=True).first()
    if stored is not None and stored != level:
        with transaction.atomic():  # compare-and-set: a concurrent refresh that changed it first audited it
            if Enterprise.objects.filter(pk=pk, risk_level=stored).update(risk_level=level):
                audit.record(
                    AuditAction.UPDATE,
                    Enterprise.objects.get(pk=pk),
                    actor=actor,
                    before={"risk_level": stored},
                    after={"risk_level": level},
                    comment=AUDIT_COMMENT,
                )
    if isinstance(enterprise, Enterprise):
        enterprise.risk_level = level
    return level


def refresh_many(
    enterprises: QuerySet[Enterprise] | None = None, chunk: int = 2000, *, actor: User | str | None = None
) -> int:
    """Recompute the stored level of `enterprises` (a queryset; default all) in a few grouped queries.
    Returns how many stored levels changed (each change audited)."""
    qs = (enterprises if enterprises is not None else Enterprise.objects.all()).order_by()
    current = dict(qs.values_list("pk", "risk_level"))
    if not current:
        return 0
    ids = list(current)
    highest: dict[int, str] = {}
    raised: set[int] = set()
    for start in range(0, len(ids), chunk):
        part = ids[start : start + chunk]
        rows = (
            RiskPoint.objects.filter(enterprise_id__in=part)
            .exclude(current_level="")
            .values("enterprise_id", "current_level")
            .distinct()
        )
        for row in rows:
            pk, level = row["enterprise_id"], row["current_level"]
            highest[pk] = combine((highest.get(pk, ""), level), False)
        raised.update(_raised(part))
    wanted: dict[str, list[int]] = {}
    for pk in ids:
        level = combine((highest.get(pk, ""),), pk in raised)
        if level != current[pk]:
            wanted.setdefault(level, []).append(pk)
    for level, pks in wanted.items():
        for start in range(0, len(pks), chunk):
            part = pks[start : start + chunk]
            with transaction.atomic():  # the change and its audit entries together
                Enterprise.objects.filter(pk__in=part).update(risk_level=level)
                changes = [
                    (row, {"risk_level": current[row.pk]}, {"risk_level": level})
                    for row in Enterprise.objects.filter(pk__in=part)
                ]
                audit.record_changes(AuditAction.UPDATE, changes, actor=actor, comment=AUDIT_COMMENT)
    return sum(len(pks) for pks in wanted.values())


def level_counts(queryset: QuerySet[Enterprise]) -> dict[str, int]:
    """{"red": n, "orange": n, "yellow": n, "blue": n, "": unassessed} of an enterprise queryset."""
    counts = dict.fromkeys([*(lv.value for lv in RiskLevel), ""], 0)
    for row in queryset.order_by().values("risk_level").annotate(n=Count("pk")):
        counts[row["risk_level"]] = row["n"]
    return counts
