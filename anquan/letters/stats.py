"""Figures of the letters, read by the assessment (letters replied on time), the bulletins and the list page.

- `replies(region_prefix, start, end)`: per recipient — (region code, department id or None for the region
  itself) — the letters issued to it in the period and how they were answered: on time, late, or overdue now.
  A letter sent back for a new reply counts by its new reply (its earlier one is in its history).
- `issued(issuer_code, start, end)`: the letters an office issued in the period, per kind, and the sentence a
  bulletin writes ("发出工作提示函20份、督办函3份、约谈通知1份")."""

from __future__ import annotations

import datetime as dt
from typing import TypedDict

from django.db.models import Count, F, Q

from anquan.core.scope import within

from .choices import TITLES, LetterKind, LetterStatus
from .models import Letter

COUNTED = (LetterStatus.ISSUED, LetterStatus.REPLIED, LetterStatus.OVERDUE, LetterStatus.CLOSED)


class Replies(TypedDict):
    received: int
    replied_on_time: int
    replied_late: int
    overdue: int


def _issued_in(start: dt.date, end: dt.date) -> Q:
    return Q(status__in=COUNTED, issued_on__gte=start, issued_on__lte=end)


def replies(region_prefix: str, start: dt.date, end: dt.date) -> dict[tuple[str, int | None], Replies]:
    """Per recipient under `region_prefix`: received, replied_on_time, replied_late, overdue (now unanswered past
    the due day). One aggregate query."""
    rows = (
        Letter.objects.filter(within(region_prefix, "region_code"), _issued_in(start, end))
        .values("region_code", "recipient_department_id")
        .annotate(
            received=Count("pk"),
            replied_on_time=Count("pk", filter=Q(replied_on__isnull=False, replied_on__lte=F("reply_due"))),
            replied_late=Count("pk", filter=Q(replied_on__isnull=False, replied_on__gt=F("reply_due"))),
            overdue=Count("pk", filter=Q(status=LetterStatus.OVERDUE)),
        )
        .order_by("region_code", "recipient_department_id")
    )
    return {
        (row["region_code"], row["recipient_department_id"]): Replies(
            received=row["received"],
            replied_on_time=row["replied_on_time"],
            replied_late=row["replied_late"],
            overdue=row["overdue"],
        )
        for row in rows
    }


def issued(issuer_code: str, start: dt.date, end: dt.date) -> dict[str, int]:
    """Letters the office of `issuer_code` issued in the period, per kind (every kind, zeros included; a letter
    withdrawn after its issue was issued all the same)."""
    counts = dict(
        Letter.objects.filter(issuer_region__code=issuer_code, issued_on__gte=start, issued_on__lte=end)
        .values_list("kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {kind: counts.get(kind, 0) for kind in LetterKind.values}


def sentence(counts: dict[str, int]) -> str:
    """ "发出工作提示函20份、督办函3份" (kinds with none left out); "" when none was issued."""
    parts = [f"{TITLES[LetterKind(kind)]}{n}份" for kind, n in counts.items() if n]
    return "发出" + "、".join(parts) if parts else ""
