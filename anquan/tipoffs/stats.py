"""Tip-off statistics (issue #14 item 5): by stage, days to reply, substantiated share, rewards decided and paid —
for the statistics page, its Excel, `GET /api/v1/stats/tip-offs`, and later the bulletins and targeting
(`counts(region, start, end)`). A tip-off counts in the period it was submitted in (local dates, inclusive)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from anquan.core.scope import within
from anquan.regions.models import Region

from .choices import REPLIED, Kind, Status
from .models import TipOff

CONCLUDED = (
    Status.SUBSTANTIATED,
    Status.UNSUBSTANTIATED,
    Status.REWARD_DECIDED,
    Status.REWARD_PAID,
)
SUBSTANTIATED = (Status.SUBSTANTIATED, Status.REWARD_DECIDED, Status.REWARD_PAID)


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=tz),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
    )


def in_period(qs: QuerySet[TipOff], region: Region | None, start: dt.date, end: dt.date) -> QuerySet[TipOff]:
    low, high = _bounds(start, end)
    qs = qs.filter(submitted_at__gte=low, submitted_at__lt=high)
    return qs.filter(within(region.prefix)) if region is not None else qs


def counts(
    region: Region | None, start: dt.date, end: dt.date, qs: QuerySet[TipOff] | None = None
) -> dict[str, Any]:
    """The figures of the tip-offs submitted in [start, end] in `region` (None: all of `qs`; without `qs`, every
    tip-off — callers that answer a user pass `restrict(TipOff, user)`)."""
    rows = in_period(qs if qs is not None else TipOff.objects.all(), region, start, end)
    agg = rows.aggregate(
        total=Count("id"),
        replied=Count("id", filter=Q(status__in=REPLIED)),
        concluded=Count("id", filter=Q(status__in=CONCLUDED)),
        substantiated=Count("id", filter=Q(status__in=SUBSTANTIATED)),
        rewards_decided=Count("id", filter=Q(status__in=(Status.REWARD_DECIDED, Status.REWARD_PAID))),
        rewards_paid=Count("id", filter=Q(status=Status.REWARD_PAID)),
        amount_decided=Sum("reward_amount", filter=Q(status__in=(Status.REWARD_DECIDED, Status.REWARD_PAID))),
        amount_paid=Sum("reward_amount", filter=Q(status=Status.REWARD_PAID)),
    )
    by_status = dict(rows.values_list("status").annotate(n=Count("id")).order_by())
    by_kind = dict(rows.values_list("kind").annotate(n=Count("id")).order_by())
    waits = [
        (replied - submitted).total_seconds() / 86400
        for submitted, replied in rows.filter(replied_at__isnull=False).values_list(
            "submitted_at", "replied_at"
        )
    ]
    concluded = agg["concluded"]
    return {
        "region": region.code if region is not None else "",
        "start": start,
        "end": end,
        "total": agg["total"],
        "by_status": [
            {"status": s.value, "label": str(s.label), "count": by_status.get(s.value, 0)} for s in Status
        ],
        "by_kind": [{"kind": k.value, "label": str(k.label), "count": by_kind.get(k.value, 0)} for k in Kind],
        "replied": agg["replied"],
        "average_days_to_reply": round(sum(waits) / len(waits), 1) if waits else None,
        "concluded": concluded,
        "substantiated": agg["substantiated"],
        "substantiated_share": round(agg["substantiated"] / concluded, 3) if concluded else None,
        "rewards_decided": agg["rewards_decided"],
        "rewards_paid": agg["rewards_paid"],
        "amount_decided": agg["amount_decided"] or Decimal("0"),
        "amount_paid": agg["amount_paid"] or Decimal("0"),
    }
