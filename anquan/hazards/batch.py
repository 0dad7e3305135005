"""Accepting several reported hazards at once (批量受理, the to-do centre's batch step).

Each hazard is accepted by the one transition (`actions.transition`: its checks, event row, audit entry and
notifications), all of them in one transaction: either every chosen report is accepted or none is, and the
answer names the reports that could not be (taken meanwhile by someone else, or not the user's to accept).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from anquan.core.scope import restrict

from . import actions
from .choices import Action, Status
from .errors import Conflict, FieldError, ValidationFailed
from .models import Hazard

MAX_BATCH = 200


def _ids(raw: list[str]) -> list[int]:
    ids = sorted({int(value) for value in raw if str(value).isdigit() and 0 < int(value) < 2**31})
    if not ids or len(ids) != len(set(raw)):
        raise ValidationFailed([FieldError("ids", "required", "请勾选要受理的隐患")])
    if len(ids) > MAX_BATCH:
        raise ValidationFailed([FieldError("ids", "too_many", f"一次最多受理{MAX_BATCH}条")])
    return ids


@transaction.atomic
def accept_reports(raw_ids: list[str], *, actor: Any, comment: str = "") -> list[Hazard]:
    """Accept the reported hazards `raw_ids` (as posted) as `actor`; all or none."""
    ids = _ids(raw_ids)
    found = {h.pk: h for h in restrict(Hazard, actor).filter(pk__in=ids, status=Status.REPORTED)}
    missing = [pk for pk in ids if pk not in found]
    if missing:
        # named by number where the actor sees the hazard (one handled meanwhile), by the posted id otherwise
        seen = {h.pk: h.label for h in restrict(Hazard, actor).filter(pk__in=missing).only("pk", "number")}
        raise Conflict(
            "stale",
            "以下隐患已被他人处理或不在您的管辖范围内，请刷新后重试："
            + "、".join(seen.get(pk, f"#{pk}") for pk in missing),
        )
    fields = {"comment": comment} if comment else {}
    return [actions.transition(found[pk], Action.ACCEPT, actor=actor, **fields) for pk in ids]
