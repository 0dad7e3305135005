"""Checks of single input values, shared by API services, page forms and Excel imports (issue #9 item 3).

Each checker takes the raw value (a JSON value, a form string or a spreadsheet cell), appends a
field-level Chinese `FieldError` to `errors` when it is bad, and returns the parsed value (None when
blank or bad). The maxima are sane upper bounds for the data a regulator holds; the API schemas
declare the same numbers (`Field(le=…, max_length=…)`) so the OpenAPI states them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import NoReturn

from django.db.models import TextChoices
from django.utils import timezone

from .contract import DATE_MIN, plausible_date
from .errors import FieldError, ValidationFailed

MAX_PERSONS = 10_000  # deaths, injuries, missing persons of one accident
MAX_YUAN = Decimal(10) ** 12  # a loss or fund in yuan (DecimalField(max_digits=14, decimal_places=2))
LONG_TEXT = 20_000  # a free-text field (description, measures, comment …)
REPORT_TEXT = 200_000  # a whole investigation report pasted in
MAX_FUTURE = dt.timedelta(minutes=5)  # clocks of phones drift; a found/occurred time may be this far ahead

_TRUE = {"true", "1", "yes", "on", "是"}
_FALSE = {"false", "0", "no", "off", "否"}


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def text(value, field: str, label: str, errors: list, *, max_length: int, required: bool = False) -> str:
    """Stripped text of at most `max_length` characters ('' when blank)."""
    if _blank(value):
        if required:
            errors.append(FieldError(field, "required", f"{label}不能为空"))
        return ""
    if not isinstance(value, str | int | float | Decimal):
        errors.append(FieldError(field, "invalid", f"{label}应为文本"))
        return ""
    result = str(value).strip()
    if len(result) > max_length:
        errors.append(FieldError(field, "too_long", f"{label}不能超过{max_length}个字符"))
        return ""
    return result


def boolean(value, field: str, label: str, errors: list) -> bool | None:
    """Yes or no: true/false, 1/0, yes/no, on/off, 是/否 (any case) or a JSON boolean; None when blank."""
    if _blank(value):
        return None
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in _TRUE or word in _FALSE:
        return word in _TRUE
    errors.append(FieldError(field, "invalid", f"{label}应为是或否"))
    return None


def integer(value, field: str, label: str, errors: list, *, low: int = 0, high: int) -> int | None:
    """A whole number in [low, high] (None when blank)."""
    if _blank(value):
        return None
    try:
        if isinstance(value, bool):
            raise ValueError
        exact = Decimal(str(value).strip())
        if not exact.is_finite() or exact != exact.to_integral_value():
            raise ValueError
        number = int(exact)
    except (ValueError, InvalidOperation):
        errors.append(FieldError(field, "invalid", f"{label}应为整数"))
        return None
    if not low <= number <= high:
        errors.append(FieldError(field, "out_of_range", f"{label}应在{low}到{high}之间"))
        return None
    return number


def _decimal(value, field: str, label: str, errors: list) -> Decimal | None:
    """A finite decimal from a number or text (None when blank or, with an error added, not a number)."""
    if _blank(value):
        return None
    try:
        if isinstance(value, bool):
            raise InvalidOperation
        number = Decimal(str(value).strip())
        if not number.is_finite():
            raise InvalidOperation
    except InvalidOperation:
        errors.append(FieldError(field, "invalid", f"{label}应为数字"))
        return None
    return number


def amount(
    value, field: str, label: str, errors: list, *, high: Decimal = MAX_YUAN, places: int = 2
) -> Decimal | None:
    """A non-negative amount below `high` with at most `places` decimals (None when blank)."""
    number = _decimal(value, field, label, errors)
    if number is None:
        return None
    if number < 0 or number >= high:
        errors.append(FieldError(field, "out_of_range", f"{label}应不小于0且小于{high:,.0f}"))
        return None
    exponent = number.as_tuple().exponent  # an int: the number is finite
    if isinstance(exponent, int) and exponent < -places:
        errors.append(FieldError(field, "invalid", f"{label}最多{places}位小数"))
        return None
    return number


def coordinate(value, field: str, label: str, errors: list, low: int, high: int) -> Decimal | None:
    """A latitude or longitude in [low, high] (China), six decimals."""
    number = _decimal(value, field, label, errors)
    if number is None:
        return None
    if not low <= number <= high:
        errors.append(FieldError(field, "out_of_range", f"{label}应在{low}到{high}之间（中国境内）"))
        return None
    return number.quantize(Decimal("0.000001"))


def day(value, field: str, label: str, errors: list, *, future: bool = True) -> dt.date | None:
    """A date from 1949-10-01 to today (+10 years when `future`); None when blank or bad."""
    if _blank(value):
        return None
    try:
        if isinstance(value, dt.datetime):
            value = value.date()
        if not isinstance(value, dt.date):
            try:
                value = dt.date.fromisoformat(str(value).strip())
            except ValueError:
                errors.append(FieldError(field, "invalid", f"{label}应为日期，格式“年-月-日”，如 2026-01-31"))
                return None
        return plausible_date(value, field, future=future)
    except ValidationFailed as exc:
        errors.extend(FieldError(e.field, e.code, f"{label}：{e.message}") for e in exc.errors)
        return None


def moment(value, field: str, label: str, errors: list, *, now: dt.datetime) -> dt.datetime | None:
    """A past point in time (ISO 8601; naive = local time) from 1949-10-01 to now (+5 minutes)."""
    if _blank(value):
        return None
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            errors.append(FieldError(field, "invalid", f"{label}格式不正确（如2026-12-01T08:30）"))
            return None
    elif isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time())
    if not isinstance(value, dt.datetime):
        errors.append(FieldError(field, "invalid", f"{label}格式不正确（如2026-12-01T08:30）"))
        return None
    # before any time-zone arithmetic: year 1 overflows when converted to UTC
    if value.date() < DATE_MIN:
        errors.append(FieldError(field, "out_of_range", f"{label}不能早于{DATE_MIN.isoformat()}"))
        return None
    if value.year > now.year + 100:  # (year 9999 with a negative offset overflows too)
        errors.append(FieldError(field, "in_future", f"{label}不能晚于现在"))
        return None
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if value > now + MAX_FUTURE:  # refused; the value is still returned for checks that come first (409)
        errors.append(FieldError(field, "in_future", f"{label}不能晚于现在"))
    return value


# ---- filter values (query strings): refused with a 422 naming the parameter ---------------------


def refuse(field: str, message: str, code: str = "invalid") -> NoReturn:
    raise ValidationFailed([FieldError(field, code, message)])


def flag(value, field: str) -> bool | None:
    """A boolean filter: true/false/1/0 (also yes/no, on/off); None when absent; anything else 422."""
    errors: list[FieldError] = []
    result = boolean(value, field, field, errors)
    if errors:
        refuse(field, "应为 true 或 false")
    return result


def choice(value, field: str, choices: type[TextChoices] | dict | tuple | list) -> str | None:
    """One of `choices` (TextChoices values or a mapping's keys); None when absent; anything else 422."""
    if value is None or value == "":
        return None
    allowed = list(choices.values) if isinstance(choices, type) else list(choices)
    if value not in allowed:
        refuse(field, "取值应为：" + "、".join(str(a) for a in allowed), "invalid_choice")
    return value


def filter_date(value, field: str) -> dt.date | None:
    """A date filter (YYYY-MM-DD, from 1949-10-01 to today + 10 years); anything else 422."""
    errors: list[FieldError] = []
    result = day(value, field, "日期", errors)
    if errors:
        raise ValidationFailed(errors)
    return result
