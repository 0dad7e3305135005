"""Working days by the statutory calendar (DESIGN rule 4), via the chinese-calendar package.

Periods are counted as the law counts them: the day a period starts is not counted
(《民法典》第二百零一条: 按照日计算期间的，开始的当日不计入，自下一日开始计算), and only
working days of the State Council's holiday arrangement (including make-up working weekends) count.
"""

import datetime as dt

import chinese_calendar


class CalendarUnknown(ValueError):
    """The statutory calendar for that year has not been published in the installed package."""


def is_workday(day: dt.date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError as exc:
        raise CalendarUnknown(f"{day.year}年法定节假日安排未知，请更新 chinese-calendar") from exc


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
    """Working days from after `today` up to and including `deadline` (0 on the deadline, negative past it)."""
    if deadline < today:
        return -sum(
            1 for n in range(1, (today - deadline).days + 1) if is_workday(deadline + dt.timedelta(days=n))
        )
    return sum(1 for n in range(1, (deadline - today).days + 1) if is_workday(today + dt.timedelta(days=n)))
