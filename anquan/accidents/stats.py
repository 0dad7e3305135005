"""Accident statistics: counts, deaths, injuries and losses by area, industry, category, grade or month,
with year-on-year (and, for a calendar month, month-on-month) comparison in the official phrasing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce, Substr, TruncMonth
from django.utils import timezone

from anquan.core import inputs
from anquan.core.errors import FieldError, ValidationFailed
from anquan.core.scope import region_in_scope, restrict, within
from anquan.regions.models import Region

from . import phrasing
from .choices import Grade
from .models import Accident

GROUPINGS = ("region", "industry", "category", "grade", "month")
METRICS = dict(
    count=Count("id"),
    deaths=Coalesce(Sum("deaths"), 0),
    missing=Coalesce(Sum("missing"), 0),
    serious_injuries=Coalesce(Sum("serious_injuries"), 0),
    minor_injuries=Coalesce(Sum("minor_injuries"), 0),
    direct_loss_yuan=Coalesce(
        Sum("direct_loss_yuan"), 0, output_field=Accident._meta.get_field("direct_loss_yuan")
    ),
    larger=Count("id", filter=Q(grade=Grade.LARGER)),
    major_or_above=Count("id", filter=Q(grade__in=[Grade.MAJOR, Grade.ESPECIALLY_MAJOR])),
)


@dataclass
class Period:
    start: dt.date
    end: dt.date

    def shifted_years(self, years: int) -> Period:
        def shift(d: dt.date) -> dt.date:
            try:
                return d.replace(year=d.year + years)
            except ValueError:  # 29 February
                return d.replace(year=d.year + years, day=28)

        return Period(shift(self.start), shift(self.end))

    def previous_month(self) -> Period | None:
        """The month before, when the period is exactly one calendar month."""
        if (
            self.start.day != 1
            or self.start.month != self.end.month
            or (self.end + dt.timedelta(days=1)).day != 1
        ):
            return None
        end = self.start - dt.timedelta(days=1)
        return Period(end.replace(day=1), end)


MAX_SPAN_YEARS = 20  # a statistics period spans at most this many years
AHEAD = dt.timedelta(days=366)  # a period may reach at most a year ahead (a plan for the coming year)


def parse_period(start, end) -> Period:
    """`from` (default 1 January) and `to` (default today): dates from 1949-10-01 to a year ahead,
    `to` not before `from`, at most 20 years apart; anything else ValidationFailed naming the parameter."""
    today = timezone.localdate()
    errors: list[FieldError] = []
    latest = today + AHEAD
    days = {}
    for name, value, default in (("from", start, today.replace(month=1, day=1)), ("to", end, today)):
        day = inputs.day(value, name, "开始日期" if name == "from" else "结束日期", errors, future=True)
        if day is not None and day > latest:
            errors.append(FieldError(name, "out_of_range", f"日期不能晚于{latest.isoformat()}"))
        days[name] = day or default
    if errors:
        raise ValidationFailed(errors)
    if days["to"] < days["from"]:
        raise ValidationFailed([FieldError("to", "before_start", "结束日期不能早于开始日期")])
    if (days["to"] - days["from"]).days > MAX_SPAN_YEARS * 366:
        raise ValidationFailed([FieldError("to", "span_too_long", f"统计期间不能超过{MAX_SPAN_YEARS}年")])
    return Period(days["from"], days["to"])


def _scoped(user, region: Region, period: Period):
    return restrict(Accident, user).filter(
        within(region.prefix),
        occurred_at__date__gte=period.start,
        occurred_at__date__lte=period.end,
    )


def _clean(values: dict) -> dict:
    return {k: (float(v) if k == "direct_loss_yuan" else v) for k, v in values.items() if k in METRICS}


def totals(user, region: Region, period: Period) -> dict:
    return _clean(_scoped(user, region, period).order_by().aggregate(**METRICS))


def compute(user, region_code: str | None, start=None, end=None, group_by: str = "region") -> dict:
    if group_by not in GROUPINGS:
        raise ValidationFailed(
            [
                FieldError(
                    "group_by", "invalid_choice", "分组方式应为 region、industry、category、grade 或 month"
                )
            ]
        )
    region = Region.objects.filter(code=region_code or user.region.code).first()
    if region is None or not region_in_scope(user, region.code):
        raise ValidationFailed([FieldError("region", "out_of_scope", "区域不存在或不在您的管辖范围内")])
    period = parse_period(start, end)
    last_year = period.shifted_years(-1)
    qs = _scoped(user, region, period).order_by()
    base = _scoped(user, region, last_year).order_by()
    items = _grouped(qs, base, region, group_by)
    current, previous = totals(user, region, period), totals(user, region, last_year)
    month_before = period.previous_month()
    result = {
        "region": region.code,
        "region_name": region.full_name,
        "from": period.start.isoformat(),
        "to": period.end.isoformat(),
        "group_by": group_by,
        "items": items,
        "total": current,
        "same_period_last_year": previous,
        "yoy": {
            "count": _pct(current["count"], previous["count"]),
            "deaths": _pct(current["deaths"], previous["deaths"]),
        },
        "summary": summary_sentence(region, period, current, previous),
    }
    if month_before is not None:
        prev_month = totals(user, region, month_before)
        result["previous_month"] = prev_month
        result["mom"] = {
            "count": _pct(current["count"], prev_month["count"]),
            "deaths": _pct(current["deaths"], prev_month["deaths"]),
        }
    return result


def _pct(current, base):
    value = phrasing.percent_change(current, base)
    return None if value is None else float(value)


def _grouped(qs, base, region: Region, group_by: str) -> list[dict]:
    if group_by == "region":
        children = list(Region.objects.filter(parent=region))
        if not children:
            return []
        n = len(children[0].prefix)

        def by_prefix(q):
            return {
                r["k"]: r for r in q.annotate(k=Substr("region_code", 1, n)).values("k").annotate(**METRICS)
            }

        now, then = by_prefix(qs), by_prefix(base)
        keys = [(c.prefix, c.code, c.name) for c in children]
    elif group_by == "industry":
        now = {
            r["industry__code"]: r for r in qs.values("industry__code", "industry__name").annotate(**METRICS)
        }
        then = {r["industry__code"]: r for r in base.values("industry__code").annotate(**METRICS)}
        keys = [(k, k, r["industry__name"] or "其他") for k, r in now.items()]
    elif group_by == "category":  # both editions, grouped by GB 6441-1986 kind for comparability
        field = Coalesce("category__maps_to__name", "category__name")
        now = {r["k"]: r for r in qs.annotate(k=field).values("k").annotate(**METRICS)}
        then = {r["k"]: r for r in base.annotate(k=field).values("k").annotate(**METRICS)}
        keys = [(k, k, k) for k in now]
    elif group_by == "grade":
        now = {r["grade"]: r for r in qs.values("grade").annotate(**METRICS)}
        then = {r["grade"]: r for r in base.values("grade").annotate(**METRICS)}
        keys = [(g.value, g.value, str(g.label)) for g in Grade if g.value in now]
    else:
        tz = timezone.get_current_timezone()
        now = {
            r["m"].strftime("%Y-%m"): r
            for r in qs.annotate(m=TruncMonth("occurred_at", tzinfo=tz)).values("m").annotate(**METRICS)
        }
        then = {}
        for r in base.annotate(m=TruncMonth("occurred_at", tzinfo=tz)).values("m").annotate(**METRICS):
            then[r["m"].replace(year=r["m"].year + 1).strftime("%Y-%m")] = r
        keys = [(k, k, f"{k[:4]}年{int(k[5:])}月") for k in sorted(now)]
    rows = []
    empty = dict.fromkeys(METRICS, 0)
    for lookup, key, label in keys:
        current, previous = _clean(now.get(lookup, empty)), _clean(then.get(lookup, empty))
        rows.append(
            {
                "key": key,
                "label": label,
                **current,
                "count_last_year": previous["count"],
                "deaths_last_year": previous["deaths"],
                "count_yoy": phrasing.change(current["count"], previous["count"], unit="起"),
                "deaths_yoy": phrasing.change(current["deaths"], previous["deaths"], unit="人"),
            }
        )
    return rows


def summary_sentence(region: Region, period: Period, current: dict, previous: dict) -> str:
    """E.g. "1-11月，全市共发生安全生产事故99起、死亡104人，同比分别下降24.4%、7.1%，发生较大生产安全事故1起，
    未发生重大及以上生产安全事故"."""
    text = (
        f"{phrasing.period_label(period.start, period.end)}，{phrasing.area_word(region)}共发生生产安全事故"
        f"{current['count']}起、死亡{current['deaths']}人，"
        f"{phrasing.pair(current['count'], previous['count'], current['deaths'], previous['deaths'])}"
    )
    text += (
        f"，发生较大生产安全事故{current['larger']}起" if current["larger"] else "，未发生较大生产安全事故"
    )
    if current["major_or_above"]:
        text += f"，发生重大及以上生产安全事故{current['major_or_above']}起"
    else:
        text += "，未发生重大及以上生产安全事故"
    return text + "。"
