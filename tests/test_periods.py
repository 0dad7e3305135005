"""Calendar arithmetic of like-for-like statistics (anquan.core.periods): month ends, leap days, quarters,
the first day of a year, and the labels the bulletins print."""

import datetime as dt

import pytest

from anquan.core import periods
from anquan.core.periods import Span

D = dt.date


@pytest.mark.parametrize(
    ("start", "end", "label"),
    [
        (D(2026, 1, 1), D(2026, 11, 30), "1-11月"),
        (D(2026, 11, 1), D(2026, 11, 30), "11月"),
        (D(2026, 10, 1), D(2026, 12, 31), "10-12月"),
        (D(2026, 1, 1), D(2026, 12, 1), "截至12月1日"),  # a year to date on 1 December
        (D(2026, 10, 1), D(2026, 12, 1), "10月1日至12月1日"),  # the fourth quarter on 1 December
        (D(2026, 12, 1), D(2026, 12, 1), "12月1日"),
        (D(2024, 1, 1), D(2024, 2, 29), "1-2月"),  # February of a leap year ends on the 29th
        (D(2025, 1, 1), D(2025, 2, 28), "1-2月"),
        (D(2024, 1, 1), D(2024, 2, 28), "截至2月28日"),  # not yet the end of a leap February
        (D(2025, 12, 1), D(2026, 1, 3), "2025年12月1日至2026年1月3日"),
    ],
)
def test_labels(start, end, label):
    assert periods.label(start, end) == label


def test_labels_with_the_year():
    assert periods.full_label(D(2026, 1, 1), D(2026, 11, 30)) == "2026年1-11月"
    assert periods.full_label(D(2026, 1, 1), D(2026, 12, 1)) == "截至2026年12月1日"


@pytest.mark.parametrize(
    ("span", "last_year"),
    [
        # a running period: the same elapsed dates, not the whole period
        (Span(D(2026, 10, 1), D(2026, 12, 1)), Span(D(2025, 10, 1), D(2025, 12, 1))),
        (Span(D(2026, 1, 1), D(2026, 11, 30)), Span(D(2025, 1, 1), D(2025, 11, 30))),
        # whole months stay whole months across a leap year, both ways
        (Span(D(2025, 1, 1), D(2025, 2, 28)), Span(D(2024, 1, 1), D(2024, 2, 29))),
        (Span(D(2024, 1, 1), D(2024, 2, 29)), Span(D(2023, 1, 1), D(2023, 2, 28))),
        (Span(D(2024, 2, 29), D(2024, 2, 29)), Span(D(2023, 2, 28), D(2023, 2, 28))),
        # a day that is not a month's end stays that day
        (Span(D(2025, 1, 1), D(2025, 2, 27)), Span(D(2024, 1, 1), D(2024, 2, 27))),
        (Span(D(2026, 1, 1), D(2026, 1, 1)), Span(D(2025, 1, 1), D(2025, 1, 1))),  # the first day of a year
    ],
)
def test_the_same_period_last_year(span, last_year):
    assert span.last_year() == last_year


@pytest.mark.parametrize(
    ("today", "month", "quarter", "year"),
    [
        (D(2026, 12, 1), (2026, 11), (2026, 3), 2025),
        (D(2026, 11, 30), (2026, 10), (2026, 3), 2025),  # the last day of a month: that month runs
        (D(2026, 10, 1), (2026, 9), (2026, 3), 2025),  # the first day of a quarter: the one before ended
        (D(2026, 9, 30), (2026, 8), (2026, 2), 2025),
        (D(2026, 1, 1), (2025, 12), (2025, 4), 2025),  # the first day of a year: all of last year
        (D(2024, 3, 1), (2024, 2), (2023, 4), 2023),
    ],
)
def test_the_last_complete_period(today, month, quarter, year):
    assert periods.last_complete("month", today) == month
    assert periods.last_complete("quarter", today) == quarter
    assert periods.last_complete("year", today) == (year, None)


def test_year_to_date_and_elapsed():
    assert periods.year_to_date(D(2026, 12, 1)) == Span(D(2026, 1, 1), D(2026, 11, 30))
    assert periods.year_to_date(D(2026, 1, 15)) == Span(D(2025, 1, 1), D(2025, 12, 31))
    assert periods.year_to_date(D(2024, 3, 1)) == Span(D(2024, 1, 1), D(2024, 2, 29))
    q4 = periods.calendar_span("quarter", 2026, 4)
    assert q4 == Span(D(2026, 10, 1), D(2026, 12, 31))
    assert periods.elapsed(q4, D(2026, 12, 1)) == Span(D(2026, 10, 1), D(2026, 12, 1))
    assert periods.elapsed(q4, D(2027, 1, 5)) == q4
    assert periods.calendar_span("month", 2024, 2).end == D(2024, 2, 29)
    assert list(Span(D(2025, 11, 15), D(2026, 2, 1)).months()) == [
        (2025, 11),
        (2025, 12),
        (2026, 1),
        (2026, 2),
    ]


@pytest.mark.parametrize(
    ("today", "months", "start"),
    [
        (D(2026, 12, 1), 3, D(2026, 10, 1)),
        (D(2026, 12, 1), 12, D(2026, 1, 1)),  # a desk home's trend: the twelve months to this one
        (D(2026, 1, 5), 12, D(2025, 2, 1)),  # across the new year
        (D(2026, 1, 5), 1, D(2026, 1, 1)),
    ],
)
def test_last_months_start_on_the_first_and_end_today(today, months, start):
    span = periods.last_months(today, months)
    assert (span.start, span.end) == (start, today)
    assert len(list(span.months())) == months
