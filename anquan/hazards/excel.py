"""The hazard ledger in Excel: export in the usual ledger columns, and import of an enterprise's
self-check ledger with a per-row error report ("all or nothing" or "valid rows only")."""

from __future__ import annotations

import time

from django.db import connection, transaction
from django.db.models import FloatField
from django.db.models.functions import Cast
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from openpyxl.styles import Font

from anquan.core.errors import NotPermitted, ValidationFailed
from anquan.core.imports import ImportRefused, read_sheet
from anquan.core.xlsx import (
    Column,
    IsoDate,
    LocalMinute,
    append_row,
    minute,
    template_workbook,
    xlsx_response,
)
from anquan.enterprises.excel import ImportMode, ImportResult, RowError, owner

from . import actions
from . import services as reporting
from .choices import Action, Level, Source, Status
from .filters import with_listing
from .models import Hazard

LEDGER_COLUMNS = [
    Column("序号", 6),
    Column("隐患编号", 20),
    Column("单位或场所", 26, wrap=True),
    Column("区域", 22, wrap=True),
    Column("行业", 14, wrap=True),
    Column("隐患描述", 40, wrap=True),
    Column("等级", 9),
    Column("来源", 11),
    Column("发现时间", 17),
    Column("整改措施", 34, wrap=True),
    Column("责任人", 10, wrap=True),
    Column("资金（元）", 11),
    Column("整改期限", 12),
    Column("验收时间", 17),
    Column("验收人", 10),
    Column("状态", 10),
    Column("是否超期", 9),
    Column("是否挂牌督办", 9),
]
LEDGER_TITLE = "隐患排查治理台账"


EXPORT_RELATED = ("enterprise", "region", "industry", "supervising_department", "judgement_item__standard")


LEDGER_FIELDS = (
    "number",
    "enterprise__name",
    "address",
    "region__full_name",
    "industry__name",
    "description",
    "level",
    "source",
    "found_at",
    "measures",
    "responsible_party",
    "funds_yuan",
    "deadline",
    "accepted_at",
    "accepted_by__full_name",
    "accepted_by__username",
    "status",
    "overdue",
    "is_listed",
)


def _as_shown() -> dict:
    """On PostgreSQL the times, the deadline and the amount come as the text and number the sheet shows: the
    server's to_char in C where Python would parse each timestamp's text (Django's time-zone loader), convert it and
    format it again (bench/RESULTS.md session 18: ~1/3 of a row's Python)."""
    return {
        "found_at": LocalMinute("found_at"),
        "funds_yuan": Cast("funds_yuan", FloatField()),
        "deadline": IsoDate("deadline"),
        "accepted_at": LocalMinute("accepted_at"),
    }


def ledger_values(queryset):
    """The ledger export's SELECT (a values_list in LEDGER_FIELDS' order), with `_as_shown`'s columns already
    formatted on PostgreSQL."""
    listing = with_listing(queryset)
    if connection.vendor != "postgresql":
        return listing.values_list(*LEDGER_FIELDS)
    shown = _as_shown()
    listing = listing.annotate(**{f"{field}_shown": expression for field, expression in shown.items()})
    return listing.values_list(*(f"{f}_shown" if f in shown else f for f in LEDGER_FIELDS))


def ledger_rows(queryset):
    """The ledger's rows: one SELECT read as tuples through a server-side cursor where the database has one
    (memory stays flat at a million rows), labels from maps made once, no query per row."""
    levels = {value: str(label) for value, label in Level.choices}
    sources = {value: str(label) for value, label in Source.choices}
    statuses = {value: str(label) for value, label in Status.choices}
    zone = timezone.get_current_timezone()
    if connection.vendor == "postgresql":  # already text (ledger_values)
        local_minute = iso_date = _or_blank
    else:

        def local_minute(value) -> str:
            return minute(value.astimezone(zone)) if value else ""

        def iso_date(value) -> str:
            return value.isoformat() if value else ""

    rows = ledger_values(queryset).iterator(chunk_size=5000)
    for n, (
        number,
        enterprise,
        address,
        region,
        industry,
        description,
        level,
        source,
        found_at,
        measures,
        responsible,
        funds,
        deadline,
        accepted_at,
        accepted_name,
        accepted_username,
        status,
        overdue,
        listed,
    ) in enumerate(rows, start=1):
        yield [
            n,
            number or "",
            enterprise if enterprise is not None else address,
            region,
            industry or "",
            description,
            levels[level],
            sources[source],
            local_minute(found_at),
            measures,
            responsible,
            "" if funds is None else float(funds),
            iso_date(deadline),
            local_minute(accepted_at),
            (accepted_name or accepted_username) if accepted_username is not None else "",
            statuses[status],
            "是" if overdue else "否",
            "是" if listed else "否",
        ]


def _or_blank(value):
    return value or ""


def ledger_workbook(queryset, rows=None, *, user=None, params=None):
    """(write-only workbook, file name) of the ledger `user` asked for under `params` (the filters, for the
    title's region); `rows` (a job's RowProgress) hears each row."""
    from anquan.jobs import exports

    name = owner(user, params)
    return exports.workbook(LEDGER_TITLE, LEDGER_COLUMNS, ledger_rows(queryset), owner=name, progress=rows)


def export_response(queryset, user=None, params=None) -> HttpResponse:
    return xlsx_response(*ledger_workbook(queryset, user=user, params=params))


def run_export(job, progress) -> None:
    """Handler of a queued ledger export (anquan.jobs): the ledger its owner sees under the stored filters."""
    from anquan.core.scope import restrict
    from anquan.jobs import exports

    from . import filters

    qs = filters.apply(
        restrict(Hazard, job.owner).select_related(*EXPORT_RELATED), job.params["filters"], user=job.owner
    )
    rows = exports.RowProgress(progress, qs.count())
    exports.finish(job, *ledger_workbook(qs, rows, user=job.owner, params=job.params["filters"]))


# ---- import of a self-check ledger ----------------------------------------------------------------

IMPORT_COLUMNS = [  # (header, field, required)
    ("统一社会信用代码", "enterprise", False),
    ("隐患描述", "description", True),
    ("发现时间", "found_at", False),
    ("判定依据", "judgement_note", False),
    ("整改措施", "measures", False),
    ("责任人", "responsible_party", False),
    ("资金（元）", "funds_yuan", False),
    ("期限", "deadline", False),
]
FIELD_LABEL = {field: header for header, field, _ in IMPORT_COLUMNS} | {
    "deadline_working_days": "期限",
    "region": "统一社会信用代码",
    "source": "统一社会信用代码",
    "level": "判定依据",
    "judgement_item": "判定依据",
    "reason": "隐患描述",
    "plan": "整改措施",
    "contingency_plan": "整改措施",
}


def template_response() -> HttpResponse:
    wb = template_workbook()
    ws = wb.active
    ws.title = "隐患自查台账"
    append_row(ws, [h + ("*" if required else "") for h, _, required in IMPORT_COLUMNS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    append_row(
        ws,
        [
            "（企业账号可不填）",
            "二楼配电室门口堆放杂物",
            "2026-11-20 09:30",
            "（一般隐患留空）",
            "清理杂物，设置警示标识",
            "张三",
            "500",
            "2026-11-30",
        ],
    )
    return xlsx_response(wb, "隐患自查台账导入模板.xlsx")


BATCH_ROWS = 20  # rows per transaction: the SQLite write lock is held for one batch at a time
# SQLite hands its write lock to no one in particular: a writer waiting in its busy handler polls now and
# then, while the import would take the lock back within microseconds. A short pause after each batch
# lets the other writers in (not needed on PostgreSQL, which locks rows, not the database).
BATCH_PAUSE_SECONDS = 0.2


def _batches(items: list, size: int = BATCH_ROWS):
    for i in range(0, len(items), size):
        if i and connection.vendor == "sqlite" and not connection.in_atomic_block:
            time.sleep(BATCH_PAUSE_SECONDS)
        yield items[i : i + size]


def _try_row(number: int, raw: dict, actor, result: ImportResult) -> Hazard | None:
    """Import one row in a savepoint; a bad row is rolled back and its errors noted in `result`."""
    try:
        with transaction.atomic():
            return _import_row(dict(raw), actor)
    except ValidationFailed as exc:
        result.errors.extend(
            RowError(number, FIELD_LABEL.get(e.field, e.field), e.message) for e in exc.errors
        )
    except NotPermitted as exc:
        result.errors.append(RowError(number, "统一社会信用代码", exc.message))
    return None


def import_self_check(data: bytes, *, actor, mode: str, progress=None) -> ImportResult:
    """Each row becomes a self-check hazard (`report`), and, when it carries measures, a responsible person
    and a deadline, also an `assign` — through the same functions as the UI and API. Closures are not
    imported: closing needs rectification evidence and an acceptance.

    Never one long transaction: "all or nothing" first runs every row through those functions batch by
    batch, each batch rolled back (a check with exactly the rules of the real thing), and writes only
    when no row failed; the write then commits batch by batch, telling `progress` (the job) which rows
    each batch made, so that an import that does not finish is undone (anquan.jobs.runner.fail)."""
    from anquan.jobs.models import JobPhase

    result = ImportResult(mode=mode)
    if mode not in ImportMode.CHOICES:
        result.file_error = "导入方式无效"
        return result
    try:
        header, rows = read_sheet(data)
    except ImportRefused as exc:
        result.file_error = exc.message
        return result
    known = {h: f for h, f, _ in IMPORT_COLUMNS}
    unknown = [h for h in header if h and h not in known]
    if unknown:
        result.file_error = f"无法识别的列：{'、'.join(unknown)}"
        return result
    if "隐患描述" not in header:
        result.file_error = "缺少必填列：隐患描述"
        return result
    parsed = []
    for number, values in rows:
        raw = {
            known[h]: values[i]
            for i, h in enumerate(header)
            if h and i < len(values) and values[i] is not None and values[i] != ""
        }
        if raw.get("enterprise") and str(raw["enterprise"]).startswith("（"):
            raw.pop("enterprise")
        parsed.append((number, raw))
    result.total_rows = len(parsed)

    if mode == ImportMode.ALL_OR_NOTHING:
        if progress:
            progress.phase(JobPhase.CHECKING, len(parsed))
        done = 0
        for batch in _batches(parsed):
            with transaction.atomic():
                for number, raw in batch:
                    _try_row(number, raw, actor, result)
                transaction.set_rollback(True)
            done += len(batch)
            if progress:
                progress.step(done)
        if result.errors:
            return result

    if progress:
        progress.phase(JobPhase.WRITING, len(parsed))
    try:
        _write(parsed, actor, mode, result, progress)
    except Exception as exc:
        if progress:  # the job undoes what it recorded (anquan.jobs.runner.fail)
            raise
        undo_import(result.created_ids, actor=actor, comment="撤销未完成的导入")
        result.imported, result.created_ids = 0, []
        if not isinstance(exc, ImportInterrupted):
            raise
        result.file_error = str(exc)
    return result


def _write(parsed, actor, mode, result, progress) -> None:
    done = 0
    for batch in _batches(parsed):
        with transaction.atomic():
            made = []
            for number, raw in batch:
                hazard = _try_row(number, raw, actor, result)
                if hazard is not None:
                    made.append(hazard.pk)
                elif mode == ImportMode.ALL_OR_NOTHING:  # a row that passed the check fails now
                    error = result.errors[-1]
                    raise ImportInterrupted(
                        f"第{error.row}行写入时未通过检查（{error.message}），数据在导入期间发生了变化；"
                        "本次导入已全部撤销，请重新导入"
                    )
            done += len(batch)
            result.imported += len(made)
            result.created_ids.extend(made)
            if progress:
                progress.written(made, done)


class ImportInterrupted(Exception):
    """A row that passed the check failed when written (the data changed meanwhile): the job is undone."""


def undo_import(ids: list[int], *, actor, comment: str) -> int:
    """Delete the hazards an unfinished import made (with their events and notifications), audited."""
    from anquan.core import audit
    from anquan.core.models import Notification
    from anquan.riskpoints import levels

    hazards = list(Hazard.objects.filter(pk__in=ids))
    for hazard in hazards:
        audit.record_delete(hazard, actor=actor, comment=comment)
    urls = [reverse("hazards:detail", args=[pk]) for pk in ids]
    Notification.objects.filter(url__in=urls).delete()
    enterprises = {h.enterprise_id for h in hazards}
    Hazard.objects.filter(pk__in=[h.pk for h in hazards]).delete()
    for pk in enterprises:
        levels.refresh(pk)
    return len(hazards)


def _import_row(raw: dict, actor) -> Hazard:
    found_at = raw.get("found_at")
    if hasattr(found_at, "isoformat"):
        raw["found_at"] = timezone.make_aware(found_at) if timezone.is_naive(found_at) else found_at
    note = str(raw.get("judgement_note") or "").strip()
    hazard = reporting.report_hazard(
        {
            "enterprise": raw.get("enterprise"),
            "source": Source.SELF_CHECK,
            "description": raw.get("description"),
            "found_at": raw.get("found_at"),
            "level": Level.MAJOR if note else Level.GENERAL,
            "judgement_note": note,
        },
        actor=actor,
    )
    plan = {k: raw.get(k) for k in ("measures", "responsible_party", "funds_yuan", "deadline") if raw.get(k)}
    if plan:
        deadline = plan.get("deadline")
        if hasattr(deadline, "date"):
            plan["deadline"] = deadline.date().isoformat()
        actions.transition(hazard, Action.ASSIGN, actor=actor, **plan)
    return hazard
