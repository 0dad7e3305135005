"""Calendar periods of the bulletins: a month, a quarter (Q1–Q4) or a year, each with its year to date.

A bulletin may be generated while its period is still running (a quarterly bulletin in the quarter's
second month). Its statistics then end on the day it is generated and are compared with the same dates
last year (`anquan.core.periods`): the document says "10月1日至12月1日" and "截至12月1日", never a whole
period against part of one, and its title says "（截至12月1日）".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from anquan.core import periods as calendar_periods
from anquan.core.errors import FieldError, ValidationFailed
from anquan.core.periods import QUARTER_NAMES, month_end, quarter_of

__all__ = ["QUARTER_NAMES", "CalendarPeriod", "month_end", "period_name", "quarter_of", "resolve"]

FIRST_YEAR, LAST_YEAR = 2000, 2100


@dataclass(frozen=True)
class CalendarPeriod:
    granularity: str  # "month" | "quarter" | "year"
    year: int
    month: int | None
    quarter: int | None
    start: dt.date  # first day of the calendar period
    end: dt.date  # last day of the calendar period
    data_end: dt.date  # last day the statistics cover (≤ end; the day generated while the period runs)
    as_of: dt.date  # the day the figures were taken

    @property
    def complete(self) -> bool:
        return self.as_of > self.end

    @property
    def ytd_start(self) -> dt.date:
        return dt.date(self.year, 1, 1)

    @property
    def label(self) -> str:
        """ "11月", "10-12月", "10月1日至12月1日" — what the statistics cover."""
        return calendar_periods.label(self.start, self.data_end)

    @property
    def ytd_label(self) -> str:
        """ "1-11月", "截至12月1日"."""
        return calendar_periods.label(self.ytd_start, self.data_end)

    @property
    def as_of_phrase(self) -> str:
        """ "截至12月1日" while the period runs, else empty (added to a running period's title)."""
        return "" if self.complete else f"截至{calendar_periods.chinese_date(self.data_end, year=False)}"

    @property
    def name(self) -> str:
        """ "2026年11月", "2026年第四季度", "2026年"."""
        if self.granularity == "month":
            return f"{self.year}年{self.month}月"
        if self.granularity == "quarter" and self.quarter is not None:
            return f"{self.year}年{QUARTER_NAMES[self.quarter]}"
        return f"{self.year}年"


def _int(raw, field: str, label: str, low: int, high: int, errors: list[FieldError]) -> int | None:
    if raw in (None, ""):
        errors.append(FieldError(field, "required", f"请选择{label}"))
        return None
    try:
        value = int(raw)
    except (TypeError, ValueError):
        errors.append(FieldError(field, "invalid", f"{label}应为{low}至{high}之间的整数"))
        return None
    if not low <= value <= high:
        errors.append(FieldError(field, "out_of_range", f"{label}应为{low}至{high}之间的整数"))
        return None
    return value


def resolve(granularity: str, year, month=None, quarter=None, *, today: dt.date) -> CalendarPeriod:
    """The calendar period chosen by year and month or quarter; 422 (ValidationFailed) if it is malformed
    or has not started yet."""
    errors: list[FieldError] = []
    y = _int(year, "year", "年份", FIRST_YEAR, LAST_YEAR, errors)
    m = q = None
    if granularity == "month":
        m = _int(month, "month", "月份", 1, 12, errors)
    elif granularity == "quarter":
        q = _int(quarter, "quarter", "季度", 1, 4, errors)
    if errors:
        raise ValidationFailed(errors)
    assert y is not None
    field = granularity if granularity in ("month", "quarter") else "year"
    span = calendar_periods.calendar_span(granularity, y, m if granularity == "month" else q)
    if span.start > today:
        raise ValidationFailed(
            [FieldError(field, "future", f"所选期间（自{span.start:%Y年%m月%d日}起）尚未开始")]
        )
    data_end = calendar_periods.elapsed(span, today).end
    return CalendarPeriod(granularity, y, m, q, span.start, span.end, data_end, today)


def period_name(granularity: str, start: dt.date) -> str:
    """The name of a stored bulletin's period from its first day: "2026年11月", "2026年第四季度", "2026年"."""
    if granularity == "month":
        return f"{start.year}年{start.month}月"
    if granularity == "quarter":
        return f"{start.year}年{QUARTER_NAMES[quarter_of(start.month)]}"
    return f"{start.year}年"
