"""Calendar arithmetic for statistics: spans of dates, their like-for-like span last year, their labels, and
the last complete month, quarter or year.

A period that has not ended is counted up to today and compared with the same dates last year, never with
the whole period last year (1 October–1 December against 1 October–1 December, not against all of the
fourth quarter). Whole months shift as whole months, so January–February of a leap year (29 days in
February) is compared with January–February of the year before (28 days), and the other way round.
Labels are those of the official bulletins: "11月" and "1-11月" for whole months, "截至12月1日" for a year
to date that ends during a month, otherwise the dates ("10月1日至12月1日").
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

QUARTER_NAMES = {1: "第一季度", 2: "第二季度", 3: "第三季度", 4: "第四季度"}
GRANULARITIES = ("month", "quarter", "year")


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def is_month_end(day: dt.date) -> bool:
    return (day + dt.timedelta(days=1)).day == 1


def quarter_of(month: int) -> int:
    return (month - 1) // 3 + 1


def shift_years(day: dt.date, years: int) -> dt.date:
    """The same date `years` later (earlier when negative); 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)


def chinese_date(day: dt.date, *, year: bool = True) -> str:
    """ "2026年12月1日", or "12月1日" without the year."""
    return f"{day.year}年{day.month}月{day.day}日" if year else f"{day.month}月{day.day}日"


@dataclass(frozen=True)
class Span:
    """The days from `start` to `end`, both included."""

    start: dt.date
    end: dt.date

    @property
    def whole_months(self) -> bool:
        return self.start.day == 1 and is_month_end(self.end)

    def shifted_years(self, years: int) -> Span:
        """The same dates `years` away; an end on the last day of a month stays on the last day of that month
        (so 1-2月 of 2024 ends on 29 February and 1-2月 of 2023 on 28 February)."""
        end = shift_years(self.end, years)
        if is_month_end(self.end):
            end = month_end(end.year, end.month)
        return Span(shift_years(self.start, years), end)

    def last_year(self) -> Span:
        """The like-for-like span one year earlier (上年同期)."""
        return self.shifted_years(-1)

    def months(self) -> Iterator[tuple[int, int]]:
        """(year, month) of every calendar month the span touches, in order."""
        year, month = self.start.year, self.start.month
        while (year, month) <= (self.end.year, self.end.month):
            yield year, month
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)

    def covers_month(self, year: int, month: int) -> bool:
        return self.start <= dt.date(year, month, 1) and month_end(year, month) <= self.end

    @property
    def label(self) -> str:
        return label(self.start, self.end)


def label(start: dt.date, end: dt.date) -> str:
    """ "11月", "1-11月" (whole months of one year), "截至12月1日" (a year to date ending during a month),
    "12月1日", "10月1日至12月1日" (other dates of one year), or the full dates across years."""
    if start.year != end.year:
        return f"{chinese_date(start)}至{chinese_date(end)}"
    if Span(start, end).whole_months:
        return f"{end.month}月" if start.month == end.month else f"{start.month}-{end.month}月"
    if (start.month, start.day) == (1, 1):
        return f"截至{chinese_date(end, year=False)}"
    if start == end:
        return chinese_date(end, year=False)
    return f"{chinese_date(start, year=False)}至{chinese_date(end, year=False)}"


def full_label(start: dt.date, end: dt.date) -> str:
    """The label with its year, for a page that does not say the year elsewhere: "2026年1-11月",
    "截至2026年12月1日", "2026年3月5日至4月3日"."""
    if start.year != end.year:
        return label(start, end)
    text = label(start, end)
    if text.startswith("截至"):
        return f"截至{chinese_date(end)}"
    return f"{start.year}年{text}"


def calendar_span(granularity: str, year: int, number: int | None = None) -> Span:
    """The whole calendar month (`number` 1–12), quarter (1–4) or year."""
    if granularity == "month":
        assert number is not None
        return Span(dt.date(year, number, 1), month_end(year, number))
    if granularity == "quarter":
        assert number is not None
        return Span(dt.date(year, 3 * number - 2, 1), month_end(year, 3 * number))
    return Span(dt.date(year, 1, 1), dt.date(year, 12, 31))


def elapsed(span: Span, today: dt.date) -> Span:
    """The part of `span` that has happened by the end of `today` (the whole span once it has ended)."""
    return Span(span.start, min(span.end, today))


def last_complete(granularity: str, today: dt.date) -> tuple[int, int | None]:
    """(year, month or quarter or None) of the latest month, quarter or year that has ended before `today`:
    on 1 December 2026 November (month), the third quarter, and 2025."""
    if granularity == "month":
        last = today.replace(day=1) - dt.timedelta(days=1)
        return last.year, last.month
    if granularity == "quarter":
        quarter = quarter_of(today.month) - 1
        return (today.year, quarter) if quarter else (today.year - 1, 4)
    return today.year - 1, None


def last_months(today: dt.date, months: int) -> Span:
    """The last `months` calendar months up to `today`, this one included (to today): from the first day of the
    month `months - 1` months before today's (3 months on 1 December: 1 October to 1 December)."""
    year, month = divmod(today.year * 12 + today.month - months, 12)
    return Span(dt.date(year, month + 1, 1), today)


def year_to_date(today: dt.date) -> Span:
    """From 1 January to the end of the last complete month ("1-11月" on 1 December); in January, the whole of
    last year (a dashboard's default)."""
    year, month = last_complete("month", today)
    assert month is not None
    return Span(dt.date(year, 1, 1), month_end(year, month))
