"""Calendar periods of the bulletins: a month, a quarter (Q1–Q4) or a year, each with its year to date.

A bulletin may be generated while its period is still running (a quarterly bulletin in the quarter's
second month). Its statistics then end at the end of the current month, so the document says "10-11月"
and "1-11月" rather than a date in the future, and it notes the date the figures were taken.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from anquan.accidents import phrasing
from anquan.core.errors import FieldError, ValidationFailed

QUARTER_NAMES = {1: "第一季度", 2: "第二季度", 3: "第三季度", 4: "第四季度"}
FIRST_YEAR, LAST_YEAR = 2000, 2100


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True)
class CalendarPeriod:
    granularity: str  # "month" | "quarter" | "year"
    year: int
    month: int | None
    quarter: int | None
    start: dt.date  # first day of the calendar period
    end: dt.date  # last day of the calendar period
    data_end: dt.date  # last day the statistics cover (≤ end)
    as_of: dt.date  # the day the figures were taken

    @property
    def complete(self) -> bool:
        return self.as_of > self.end

    @property
    def ytd_start(self) -> dt.date:
        return dt.date(self.year, 1, 1)

    @property
    def label(self) -> str:
        """ "11月", "10-11月", "1-12月" — the months the statistics cover."""
        return phrasing.period_label(self.start, self.data_end)

    @property
    def ytd_label(self) -> str:
        return phrasing.period_label(self.ytd_start, self.data_end)

    @property
    def name(self) -> str:
        """ "2026年11月", "2026年第四季度", "2026年"."""
        if self.granularity == "month":
            return f"{self.year}年{self.month}月"
        if self.granularity == "quarter":
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
    if granularity == "month":
        start, end, field = dt.date(y, m, 1), month_end(y, m), "month"
    elif granularity == "quarter":
        start, end, field = dt.date(y, 3 * q - 2, 1), month_end(y, 3 * q), "quarter"
    else:
        start, end, field = dt.date(y, 1, 1), dt.date(y, 12, 31), "year"
    if start > today:
        raise ValidationFailed([FieldError(field, "future", f"所选期间（自{start:%Y年%m月%d日}起）尚未开始")])
    data_end = min(end, month_end(today.year, today.month))
    return CalendarPeriod(granularity, y, m, q, start, end, data_end, today)


def quarter_of(month: int) -> int:
    return (month - 1) // 3 + 1


def period_name(granularity: str, start: dt.date) -> str:
    """The name of a stored bulletin's period from its first day: "2026年11月", "2026年第四季度", "2026年"."""
    if granularity == "month":
        return f"{start.year}年{start.month}月"
    if granularity == "quarter":
        return f"{start.year}年{QUARTER_NAMES[quarter_of(start.month)]}"
    return f"{start.year}年"
