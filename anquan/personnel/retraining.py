"""Retraining after a fatal accident (issue #17 item 1; 凡发生亡人责任事故的企业主要负责人和安全管理人员一律重新参加
培训并经培训考核合格): a principal person or safety manager of an enterprise that had an accident with deaths after
their last passed training (or who has none) is flagged "must be retrained", linked to the accident."""

from __future__ import annotations

from django.db.models import Max, Q, QuerySet

from anquan.accidents.models import Accident

from .choices import TrainingResult
from .models import Person


def flagged(people: QuerySet[Person]) -> dict[int, Accident]:
    """Person id → the latest fatal accident of their enterprise after their last passed training."""
    managers = people.filter(Q(is_principal=True) | Q(is_safety_manager=True)).annotate(
        last_passed=Max("trainings__held_on", filter=Q(trainings__result=TrainingResult.PASS))
    )
    rows = list(managers.values_list("id", "enterprise_id", "last_passed"))
    if not rows:
        return {}
    latest: dict[int, Accident] = {}
    for accident in Accident.objects.filter(enterprise_id__in={e for _, e, _ in rows}, deaths__gt=0).order_by(
        "occurred_at"
    ):
        latest[accident.enterprise_id] = accident  # type: ignore[index]
    out = {}
    for pid, eid, last in rows:
        found = latest.get(eid)
        if found is not None and (last is None or found.occurred_at.date() > last):
            out[pid] = found
    return out
