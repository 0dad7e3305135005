"""The rectification review (整改复查), the third step of the loop 检查诊断 → 立案处罚 → 整改复查 (issue #13 item 7).

A rectification order (issuing.order_rectification) creates the review, due on the order's deadline, in the
to-do centre of the inspection's inspectors (todo.reviews_due: due within DUE_SOON_DAYS, overdue). Recording it
(`record`) states for each ordered item whether it was rectified, with a note and optional photos, and issues the
整改复查意见书 in the same transaction; the review becomes 已整改 when every item was, else 未整改, which opens
the case path (`/cases/new/?inspection=<id>`, the cases app's page)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from anquan.core import audit, inputs
from anquan.core.errors import FieldError, ValidationFailed
from anquan.core.models import AuditAction
from anquan.core.scope import restrict
from anquan.core.uploads import store_upload
from anquan.core.workdays import countdown
from anquan.documents.choices import DocumentKind
from anquan.documents.services import issue

from .choices import ReviewStatus
from .issuing import party
from .models import RectificationReview, ReviewItem, ReviewPhoto
from .workflow import REVIEWS

NOTE_MAX = 2000
MAX_PHOTOS = 9
DUE_SOON_DAYS = 3  # "due soon" in the to-do centre: within three days (a working habit, not a legal figure)


def case_url(review: RectificationReview) -> str:
    """Where a review found not rectified leads: a new case prefilled from the inspection (cases app)."""
    return f"/cases/new/?inspection={review.inspection_id}"


def scoped(user: Any) -> QuerySet[RectificationReview]:
    return restrict(RectificationReview, user).select_related(
        "inspection__enterprise", "inspection__department", "inspection__region", "order", "opinion"
    )


def pending_mine(user: Any) -> QuerySet[RectificationReview]:
    return scoped(user).filter(inspection__inspectors=user, status=ReviewStatus.PENDING)


def countdown_of(review: RectificationReview, today: dt.date) -> tuple[str, bool]:
    """剩余 3 天 / 今天到期 / 超期 2 天 for a pending review; nothing once recorded."""
    if review.status != ReviewStatus.PENDING:
        return "", False
    return countdown(review.due_on, today)


# --- recording ------------------------------------------------------------------------------------


def _results(raw: Any, ordered: list[ReviewItem], errors: list[FieldError]) -> dict[int, bool]:
    """[{"item": id, "rectified": bool}] → {item id: bool}, every ordered item answered once."""
    answers: dict[int, bool] = {}
    known = {r.item_id for r in ordered}
    for entry in raw if isinstance(raw, list | tuple) else []:
        item = entry.get("item") if isinstance(entry, dict) else None
        value = inputs.flag(entry.get("rectified"), "results") if isinstance(entry, dict) else None
        if item not in known or value is None:
            errors.append(FieldError("results", "invalid", "整改情况须逐项填写“已整改”或“未整改”"))
            return {}
        answers[int(item)] = value
    missing = [n for n, r in enumerate(ordered, start=1) if r.item_id not in answers]
    if missing:
        errors.append(
            FieldError("results", "required", f"请填写第{'、'.join(map(str, missing))}项问题的整改情况")
        )
    return answers


def _opinion(ordered: list[ReviewItem], answers: dict[int, bool], note: str) -> str:
    lines = [
        f"{n}. {r.item.text}——{'已整改' if answers[r.item_id] else '未整改'}"
        for n, r in enumerate(ordered, start=1)
    ]
    done = sum(answers.values())
    lines.append(f"所列{len(ordered)}项问题，已整改{done}项，未整改{len(ordered) - done}项。")
    if note:
        lines.append(note)
    return "\n".join(lines)


@transaction.atomic
def record(
    review: RectificationReview,
    raw: dict[str, Any],
    *,
    actor: Any,
    photos: Sequence[Any] = (),
    now: dt.datetime | None = None,
) -> RectificationReview:
    """raw: results ([{"item": id, "rectified": bool}], every ordered item), note. Issues the 整改复查意见书;
    404 out of scope, 403 not one of the inspection's inspectors, 409 already recorded, 422 bad input."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    locked = (
        RectificationReview.objects.select_for_update()
        .select_related("inspection__enterprise", "inspection__department", "inspection__region", "order")
        .get(pk=review.pk)
    )
    ordered = list(locked.items.select_related("item").order_by("item__order", "item_id"))
    errors: list[FieldError] = []
    answers = _results(raw.get("results"), ordered, errors)
    note = inputs.text(raw.get("note"), "note", "复查意见", errors, max_length=NOTE_MAX)
    if len(photos) > MAX_PHOTOS:
        errors.append(FieldError("photos", "too_many", f"照片最多{MAX_PHOTOS}张"))
    action = "rectified" if answers and all(answers.values()) else "not_rectified"
    REVIEWS.check(locked, action, actor)
    if errors:
        raise ValidationFailed(errors)
    insp = locked.inspection
    context = {
        "party": party(insp),
        "order_number": locked.order.number,
        "reviewed_on": today,
        "rectified": action == "rectified",
        "opinion": _opinion(ordered, answers, note),
    }
    document = issue(DocumentKind.REVIEW_OPINION, insp.unit, insp, context, actor, now=now)
    done, _event = REVIEWS.apply(
        locked,
        action,
        actor=actor,
        changes={"reviewed_on": today, "opinion_id": document.pk, "note": note, "reviewed_by_id": actor.pk},
        comment=f"{document.number}" + (f"：{note}" if note else ""),
        data={
            "document": document.pk,
            "number": document.number,
            "results": {str(k): v for k, v in answers.items()},
        },
        now=now,
    )
    for row in ordered:
        row.rectified = answers[row.item_id]
    ReviewItem.objects.bulk_update(ordered, ["rectified"])
    audit.record_many(AuditAction.UPDATE, ordered, actor=actor, comment=f"复查{document.number}")
    for upload in photos:
        upload.seek(0)
        store_upload(
            ReviewPhoto(review=done),
            upload,
            actor=actor,
            comment=f"复查#{done.pk}照片",
            images_only="复查照片须为图片（JPG、PNG、WebP、HEIC）",
        )
    return done
