"""Accident statistics: counts, deaths, injuries and losses by area, industry, category, grade or month,
with year-on-year (and, for a calendar month, month-on-month) comparison in the official phrasing.

The same period last year is the same dates one year earlier (`anquan.core.periods.Span.last_year`). It is
known only where the system was in use (`records_from`) or where a safety committee office entered last
year's totals of a month (`PriorTotals`, see `comparison`); elsewhere it is None and no 同比 is stated —
never "上年同期为零" for a year nobody recorded."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce, Substr, TruncMonth
from django.utils import timezone

from anquan.core import inputs
from anquan.core.errors import FieldError, ValidationFailed
from anquan.core.periods import Span
from anquan.core.scope import restrict, within
from anquan.regions.inputs import region_field
from anquan.regions.models import Region

from . import comparison, phrasing
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


Period = Span  # a statistics period: from and to, both included


def previous_month(period: Span) -> Span | None:
    """The month before, when the period is exactly one calendar month."""
    if not period.whole_months or (period.start.year, period.start.month) != (
        period.end.year,
        period.end.month,
    ):
        return None
    end = period.start - dt.timedelta(days=1)
    return Span(end.replace(day=1), end)


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
    return Span(days["from"], days["to"])


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
    region = region_field(region_code, user)
    assert region is not None  # a blank code is the user's own region; anything else was refused
    period = parse_period(start, end)
    last_year = period.last_year()
    qs = _scoped(user, region, period).order_by()
    base = _scoped(user, region, last_year).order_by()
    known = comparison.Known(user, region, last_year, tuple(METRICS))
    items = _grouped(qs, base, region, group_by, known)
    current = totals(user, region, period)
    previous = known.totals(region.code, _by_month(base))
    result = {
        "region": region.code,
        "region_name": region.full_name,
        "from": period.start.isoformat(),
        "to": period.end.isoformat(),
        "label": period.label,
        "group_by": group_by,
        "items": items,
        "total": current,
        "same_period_last_year": previous,
        "comparison": {
            "from": last_year.start.isoformat(),
            "to": last_year.end.isoformat(),
            "source": previous["source"] if previous else None,
            "note": comparison.note(previous),
        },
        "yoy": {
            "count": _pct(current["count"], previous and previous["count"]),
            "deaths": _pct(current["deaths"], previous and previous["deaths"]),
        },
        "summary": summary_sentence(region, period, current, previous),
    }
    month_before = previous_month(period)
    if month_before is not None:
        known_before = comparison.Known(user, region, month_before, tuple(METRICS))
        prev_month = known_before.totals(
            region.code, _by_month(_scoped(user, region, month_before).order_by())
        )
        if prev_month is not None:
            result["previous_month"] = prev_month
            result["mom"] = {
                "count": _pct(current["count"], prev_month["count"]),
                "deaths": _pct(current["deaths"], prev_month["deaths"]),
            }
    return result


def _by_month(qs, key=None) -> dict:
    """Metrics by (key, "YYYY-MM") of the local month; key None for one area as a whole."""
    tz = timezone.get_current_timezone()
    qs = qs.annotate(m=TruncMonth("occurred_at", tzinfo=tz))
    fields = ["m"]
    if key is not None:
        qs, fields = qs.annotate(k=key), ["k", "m"]
    return {
        (r["k"] if key is not None else None, r["m"].strftime("%Y-%m")): _clean(r)
        for r in qs.values(*fields).annotate(**METRICS)
    }


def _pct(current, base):
    value = phrasing.percent_change(current, base)
    return None if value is None else float(value)


def _grouped(qs, base, region: Region, group_by: str, known: comparison.Known) -> list[dict]:
    """Rows of the grouping with last year's figures where they are known (None where not)."""
    recorded = known.recorded(region.code)
    then: dict
    if group_by == "region":
        children = list(Region.objects.filter(parent=region))
        if not children:
            return []
        prefix = Substr("region_code", 1, len(children[0].prefix))
        now = {r["k"]: r for r in qs.annotate(k=prefix).values("k").annotate(**METRICS)}
        months = _by_month(base, prefix)
        then = {c.prefix: known.totals(c.code, months, c.prefix) for c in children}
        keys = [(c.prefix, c.code, c.name) for c in children]
    elif group_by == "industry":
        now = {
            r["industry__code"]: r for r in qs.values("industry__code", "industry__name").annotate(**METRICS)
        }
        then = {r["industry__code"]: _clean(r) for r in base.values("industry__code").annotate(**METRICS)}
        keys = [(k, k, r["industry__name"] or "其他") for k, r in now.items()]
    elif group_by == "category":  # both editions, grouped by GB 6441-1986 kind for comparability
        field = Coalesce("category__maps_to__name", "category__name")
        now = {r["k"]: r for r in qs.annotate(k=field).values("k").annotate(**METRICS)}
        then = {r["k"]: _clean(r) for r in base.annotate(k=field).values("k").annotate(**METRICS)}
        keys = [(k, k, k) for k in now]
    elif group_by == "grade":
        now = {r["grade"]: r for r in qs.values("grade").annotate(**METRICS)}
        then = {r["grade"]: _clean(r) for r in base.values("grade").annotate(**METRICS)}
        keys = [(g.value, g.value, str(g.label)) for g in Grade if g.value in now]
    else:
        now = {m: r for (_k, m), r in _by_month(qs).items()}
        months = _by_month(base)
        then = {}
        for y, m in known.span.months():
            how = known.month(region.code, y, m)
            key = f"{y + 1}-{m:02d}"
            if how == "counted":
                then[key] = months.get((None, f"{y}-{m:02d}"), dict.fromkeys(METRICS, 0))
            elif how == "taken":
                accidents, deaths = known.entered[(region.code, y, m)]
                then[key] = {"count": accidents, "deaths": deaths}
        keys = [(k, k, f"{k[:4]}年{int(k[5:])}月") for k in sorted(set(now) | set(then))]
    rows = []
    empty = dict.fromkeys(METRICS, 0)
    for lookup, key, label in keys:
        current = _clean(now.get(lookup, empty))
        if group_by in ("region", "month"):  # known area by area, month by month
            previous = then.get(lookup)
        else:  # other groupings only from the records
            previous = then.get(lookup, empty) if recorded else None
        count, deaths = (None, None) if previous is None else (previous["count"], previous["deaths"])
        rows.append(
            {
                "key": key,
                "label": label,
                **current,
                "count_last_year": count,
                "deaths_last_year": deaths,
                "count_yoy": phrasing.change(current["count"], count, unit="起"),
                "deaths_yoy": phrasing.change(current["deaths"], deaths, unit="人"),
            }
        )
    return rows


def summary_sentence(region: Region, period: Span, current: dict, previous: dict | None) -> str:
    """E.g. "1-11月，全市共发生安全生产事故99起、死亡104人，同比分别下降24.4%、7.1%，发生较大生产安全事故1起，
    未发生重大及以上生产安全事故"; without the 同比 clause when last year is not known."""
    text = (
        f"{period.label}，{phrasing.area_word(region)}共发生生产安全事故"
        f"{current['count']}起、死亡{current['deaths']}人"
    )
    if previous is not None:
        text += "，" + phrasing.pair(
            current["count"], previous["count"], current["deaths"], previous["deaths"]
        )
    text += (
        f"，发生较大生产安全事故{current['larger']}起" if current["larger"] else "，未发生较大生产安全事故"
    )
    if current["major_or_above"]:
        text += f"，发生重大及以上生产安全事故{current['major_or_above']}起"
    else:
        text += "，未发生重大及以上生产安全事故"
    return text + "。"
