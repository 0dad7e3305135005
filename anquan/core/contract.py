"""The shapes every API operation shares (DESIGN: API contract; issue #9 item 7).

- `PageParams` + `page()`: the one paginator: `?limit=` 1–500 (default 50), `?offset=` 0–1,000,000;
  anything else answers 422 naming the parameter, never 500.
- `Page[T]`: `{"items": [...], "count": N, "count_exact": bool, "next": cursor|null}` typed by its item
  schema (a unique name per item type). The count stops at `settings.LIST_COUNT_CAP` (`count_exact` false beyond it); a
  list whose ordering a cursor can walk (`core.keyset`) answers `next`, which `?cursor=` takes back to read the
  following page without OFFSET (issue #18, ADR 0049).
- `ERRORS` / `errors(...)`: the documented 4xx answers, so the OpenAPI lists what each operation can answer.
- `plausible_date()` / `DATE_MIN`: the window dates must fall in (no deadline in 9999, no year-1 statistics).
"""

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Generic, TypeVar

from django.db.models import QuerySet
from ninja import Field, Schema

from . import keyset
from .errors import FieldError, ValidationFailed
from .paging import capped_count, page_rows

MAX_LIMIT = 500
MAX_OFFSET = 1_000_000
MAX_CURSOR = 1000

T = TypeVar("T")


class PageParams(Schema):
    limit: int = Field(50, ge=1, le=MAX_LIMIT, description="每页条数（1–500）")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="跳过的条数（0–1000000）")
    cursor: str | None = Field(
        None,
        max_length=MAX_CURSOR,
        description="上一页答复中的 next：从该位置往后取一页，深翻页不必用 offset（与 cursor 同用时 offset 应为 0）",
    )


class Page(Schema, Generic[T]):
    items: list[T]
    count: int = Field(
        description="符合条件的条数；多于上限（默认10000，文字搜索 q 为1000）时为上限，见 count_exact"
    )
    count_exact: bool = Field(True, description="count 是否为准确条数；false 表示实际多于 count 条")
    next: str | None = Field(
        None,
        description="下一页的游标（作为 cursor 参数传回）；已是最后一页或该列表的排序不支持游标时为 null",
    )


def page(qs: QuerySet | list, params: PageParams, out: Callable | None = None) -> dict:
    """One page of `qs` as {"items", "count", "count_exact", "next"}; `out` turns a row into its response dict
    or schema. A bad `cursor` answers 422 naming it."""
    if not isinstance(qs, QuerySet):
        rows: Iterable = qs[params.offset : params.offset + params.limit]
        items = [out(r) for r in rows] if out else list(rows)
        return {"items": items, "count": len(qs), "count_exact": True, "next": None}
    order = keyset.keyset_ordering(qs)
    start = qs
    if params.cursor:
        if params.offset:
            raise ValidationFailed([FieldError("offset", "invalid", "按游标翻页时 offset 应为 0")])
        start = keyset.seek(qs, keyset.decode(params.cursor, qs, "cursor"))
    count, exact = capped_count(qs)
    found = page_rows(start, params.offset, params.offset + params.limit + 1)
    more = len(found) > params.limit
    found = found[: params.limit]
    following = keyset.cursor(found[-1], order) if order and more and found else None
    items = [out(r) for r in found] if out else found
    return {"items": items, "count": count, "count_exact": exact, "next": following}


# ---- errors --------------------------------------------------------------------------------------


class FieldErrorOut(Schema):
    field: str = Field(description="出错的字段（空表示整个请求）")
    code: str = Field(description="机器可读的错误代码")
    message: str = Field(description="中文说明")


class ErrorOut(Schema):
    """A refusal with a plain message (401, 404, 413, 415, 429, 500, 503)."""

    detail: str


class FieldErrorsOut(Schema):
    """A refusal naming fields (400, 403, 409, 422)."""

    detail: list[FieldErrorOut]


ERRORS: dict[int, type[Schema]] = {
    400: FieldErrorsOut,
    401: ErrorOut,
    403: FieldErrorsOut,
    404: ErrorOut,
    409: FieldErrorsOut,
    413: ErrorOut,
    415: ErrorOut,
    422: FieldErrorsOut,
    429: ErrorOut,
    503: ErrorOut,
}


def errors(*codes: int) -> dict[int, type[Schema]]:
    """The documented error answers `codes` (401, 422 and 503 come with every operation)."""
    wanted = set(codes) | {401, 422, 503}
    return {code: ERRORS[code] for code in sorted(wanted)}


def responses(ok: dict | type | object, *codes: int) -> dict:
    """`response=` for an operation: its success answer(s) plus the documented errors."""
    body = ok if isinstance(ok, dict) else {200: ok}
    return {**body, **errors(*codes)}


# ---- dates ---------------------------------------------------------------------------------------

DATE_MIN = dt.date(1949, 10, 1)  # nothing in a work-safety ledger predates the People's Republic
FUTURE_YEARS = 10  # deadlines, plans and validity dates reach at most this far ahead


def plausible_date(
    value: dt.date | None, field: str, *, future: bool = True, past: dt.date = DATE_MIN
) -> dt.date | None:
    """`value` if it lies in [past, today (+10 years when `future`)], else ValidationFailed for `field`."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        day = value.date()
    else:
        day = value
    today = dt.date.today()
    latest = today.replace(year=today.year + FUTURE_YEARS) if future else today
    if day < past:
        raise ValidationFailed([FieldError(field, "out_of_range", f"日期不能早于{past.isoformat()}")])
    if day > latest:
        message = f"日期不能晚于{latest.isoformat()}" if future else "日期不能晚于今天"
        raise ValidationFailed([FieldError(field, "out_of_range", message)])
    return value


def parse_date(value: str | dt.date | None, field: str, *, future: bool = True) -> dt.date | None:
    """An ISO date from a query or form value, checked by `plausible_date`; '' → None."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return plausible_date(value, field, future=future)
    try:
        day = dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise ValidationFailed(
            [FieldError(field, "invalid", "日期格式应为“年-月-日”，如 2026-01-31")]
        ) from None
    return plausible_date(day, field, future=future)
