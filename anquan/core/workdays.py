"""Working days by the statutory calendar (DESIGN rule 4), via the chinese-calendar package.

Periods are counted as the law counts them: the day a period starts is not counted
(《民法典》第二百零一条: 按照日计算期间的，开始的当日不计入，自下一日开始计算), and only
working days of the State Council's holiday arrangement (including make-up working weekends) count.

The arrangement for a year is published around November of the year before. For a year the
installed package does not know yet, Monday–Friday are taken as working days and callers can say
so (`calendar_known`), rather than refusing to set a deadline.
"""

import datetime as dt
from functools import cache

import chinese_calendar


@cache
def calendar_known(year: int) -> bool:
    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def is_workday(day: dt.date) -> bool:
    if not calendar_known(day.year):
        return day.weekday() < 5
    return chinese_calendar.is_workday(day)


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date on which `days` working days after `start` have passed (start day not counted)."""
    if days < 1:
        raise ValueError("days must be at least 1")
    day, counted = start, 0
    while counted < days:
        day += dt.timedelta(days=1)
        if is_workday(day):
            counted += 1
    return day


def working_days_until(today: dt.date, deadline: dt.date) -> int:
    """Working days after `today` up to and including `deadline` (0 when the deadline is today or past)."""
    return sum(1 for n in range(1, (deadline - today).days + 1) if is_workday(today + dt.timedelta(days=n)))


def countdown(deadline: dt.date | None, today: dt.date) -> tuple[str, bool]:
    """The words every page, notice and API answer uses for a deadline seen on `today` ("剩余 3 天", "今天到期",
    "超期 5 天"; "" without a deadline), and whether the item is late (due today counts as pressing, not late)."""
    if deadline is None:
        return "", False
    days = (deadline - today).days
    if days < 0:
        return f"超期 {-days} 天", True
    if days == 0:
        return "今天到期", False
    return f"剩余 {days} 天", False
