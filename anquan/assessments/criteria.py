"""The automatic criteria: one named function per system figure (`METRICS`), each reading one domain for every subject
of an assessment at once (a fixed number of queries per assessment, never per subject).

Each function takes the `Context` (the issuing office's region, the period, the subjects) and returns a `Reading` per
subject key: the figure as a number (`value`; None = no data, the criterion scores nothing and says 暂无数据), the
figure as people read it, and where it came from. The data is read as the issuing office sees its whole area
(`Context.reader`, an office account of that region, not the person who presses the button), so the same data gives
the same figures whoever computes.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone

from anquan.accounts.models import User
from anquan.core.periods import Span
from anquan.core.permissions import Role
from anquan.core.scope import within
from anquan.orgs.models import Department
from anquan.regions.choices import RegionLevel
from anquan.regions.models import Region

NO_DATA = "暂无数据"
ONE_DECIMAL = Decimal("0.1")


@dataclass(frozen=True)
class Subject:
    """A region below the issuing office's, or a department of the office's own level (of its region)."""

    key: str  # the region code, or "<region code>:<department id>"
    region: Region
    department: Department | None = None

    @property
    def name(self) -> str:
        return self.department.name if self.department else self.region.name


@dataclass(frozen=True)
class Reading:
    value: Decimal | None  # None: no data
    figure: str  # e.g. "按期整改38项/应整改40项（95.0%）"
    source: str  # e.g. "隐患排查治理台账"


@dataclass
class Context:
    region: Region  # the issuing office's
    start: dt.date
    end: dt.date
    subjects: list[Subject]
    departments: bool = False  # subjects are departments (else regions one level below)
    reader: Any = field(init=False)

    def __post_init__(self) -> None:
        role = {RegionLevel.PROVINCE: Role.PROVINCE_OFFICE, RegionLevel.CITY: Role.CITY_OFFICE}.get(
            self.region.level, Role.COUNTY_OFFICE
        )
        # the issuing office as it sees its whole area: an account held in memory only, never saved
        self.reader = User(username="assessment-reader", role=role, region=self.region, is_active=True)

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)

    @property
    def length(self) -> int:
        """How many leading characters of a region code name the subject (regions only)."""
        return len(self.subjects[0].region.prefix) if self.subjects else len(self.region.prefix)


Metric = Callable[[Context], dict[str, Reading]]


def rate(part: int, whole: int) -> Decimal | None:
    """part ÷ whole in %, one decimal (half up); nothing to count → None."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def _by_subject(
    ctx: Context, qs: QuerySet[Any], region_field: str, department_field: str, **counts: Any
) -> dict:
    """Counts per subject key in one grouped query: by the leading characters of the row's region code, or (for
    department subjects) by the department of rows that lie in the office's own region."""
    qs = qs.order_by()
    if ctx.departments:
        rows = (
            qs.filter(**{region_field: ctx.region.code, f"{department_field}__isnull": False})
            .values(department_field)
            .annotate(**counts)
        )
        return {f"{ctx.region.code}:{r[department_field]}": r for r in rows}
    rows = qs.annotate(k=Substr(region_field, 1, ctx.length)).values("k").annotate(**counts)
    by_prefix = {r["k"]: r for r in rows}
    return {s.key: by_prefix[s.region.prefix] for s in ctx.subjects if s.region.prefix in by_prefix}


def _rates(ctx: Context, grouped: dict, part: str, whole: str, words: tuple[str, str], source: str) -> dict:
    out = {}
    for subject in ctx.subjects:
        row = grouped.get(subject.key, {part: 0, whole: 0})
        value = rate(row[part], row[whole])
        figure = NO_DATA if value is None else f"{words[0]}{row[part]}/{words[1]}{row[whole]}（{value}%）"
        out[subject.key] = Reading(value, figure, source)
    return out


def hazards_on_time(ctx: Context) -> dict[str, Reading]:
    """隐患按期整改率: of the hazards whose rectification deadline falls in the period (not rejected or cancelled),
    those whose rectification was accepted (`accepted_at`, local day) on or before the deadline; regions only."""
    from anquan.hazards.choices import Status
    from anquan.hazards.models import Hazard

    if ctx.departments:
        return {}
    qs = Hazard.objects.filter(
        within(ctx.region.prefix), deadline__gte=ctx.start, deadline__lte=ctx.end
    ).exclude(status__in=(Status.REJECTED, Status.CANCELLED))
    on_time = Q(accepted_at__isnull=False, accepted_at__date__lte=F("deadline"))
    grouped = _by_subject(
        ctx, qs, "region_code", "supervising_department_id", due=Count("id"), done=Count("id", filter=on_time)
    )
    return _rates(
        ctx, grouped, "done", "due", ("按期整改", "应整改"), "隐患排查治理台账（整改期限在考核期内）"
    )


def major_overdue(ctx: Context) -> dict[str, Reading]:
    """重大隐患逾期未整改: major hazards whose deadline falls in the period (not rejected or cancelled) and whose
    rectification was not accepted by the deadline (accepted later, or not yet); regions only."""
    from anquan.hazards.choices import Level, Status
    from anquan.hazards.models import Hazard

    if ctx.departments:
        return {}
    qs = Hazard.objects.filter(
        within(ctx.region.prefix), level=Level.MAJOR, deadline__gte=ctx.start, deadline__lte=ctx.end
    ).exclude(status__in=(Status.REJECTED, Status.CANCELLED))
    late = ~Q(accepted_at__isnull=False, accepted_at__date__lte=F("deadline"))
    grouped = _by_subject(ctx, qs, "region_code", "supervising_department_id", n=Count("id", filter=late))
    out = {}
    for subject in ctx.subjects:
        n = grouped.get(subject.key, {"n": 0})["n"]
        out[subject.key] = Reading(Decimal(n), f"逾期未整改{n}项", "隐患排查治理台账（重大事故隐患）")
    return out


def _accident_change(ctx: Context, field_now: str, field_then: str, unit: str) -> dict[str, Reading]:
    from anquan.accidents import stats

    if ctx.departments:
        return {}
    data = stats.compute(ctx.reader, ctx.region.code, ctx.start.isoformat(), ctx.end.isoformat(), "region")
    rows = {r["key"]: r for r in data["items"]}
    out = {}
    source = "生产安全事故统计（与上年同期比较）"
    for subject in ctx.subjects:
        row = rows.get(subject.region.code)
        if row is None or row[field_then] is None:
            out[subject.key] = Reading(None, f"{NO_DATA}（上年同期未记录）", source)
            continue
        now, then = row[field_now], row[field_then]
        change = now - then
        words = "持平" if change == 0 else (f"增加{change}{unit}" if change > 0 else f"减少{-change}{unit}")
        out[subject.key] = Reading(
            Decimal(change), f"本期{now}{unit}，上年同期{then}{unit}（{words}）", source
        )
    return out


def accidents_change(ctx: Context) -> dict[str, Reading]:
    """事故起数同比: accidents in the period less those in the same period last year (like-for-like: records where the
    system was in use, else the totals the office entered, `accidents.PriorTotals`); last year unknown → no data."""
    return _accident_change(ctx, "count", "count_last_year", "起")


def deaths_change(ctx: Context) -> dict[str, Reading]:
    """死亡人数同比: deaths in the period less those in the same period last year (like-for-like, as above)."""
    return _accident_change(ctx, "deaths", "deaths_last_year", "人")


def risk_report_coverage(ctx: Context) -> dict[str, Reading]:
    """风险报告覆盖率: of the enterprises that must report (not closed) in the subject's area, those whose yearly risk
    report of the period's final year was submitted or accepted (`riskreports.coverage`); regions only."""
    from anquan.riskreports.coverage import coverage

    if ctx.departments:
        return {}
    data = coverage(ctx.reader, ctx.region, ctx.end.year)
    rows = {r["region"]: r for r in data["items"]}
    grouped = {s.key: rows[s.region.code] for s in ctx.subjects if s.region.code in rows}
    return _rates(
        ctx, grouped, "reported", "enterprises", ("已报告", "应报告"), f"{ctx.end.year}年度安全风险报告"
    )


def enforcement_coverage(ctx: Context) -> dict[str, Reading]:
    """执法计划覆盖率: of the key enterprises in the approved inspection plans of the period's final year, those
    inspected (an inspection completed from 1 January to the period's end; `enforcement.stats`); regions only."""
    from anquan.enforcement.stats import Grouping, figures_by_area

    if ctx.departments:
        return {}
    grouping = Grouping(ctx.region, [s.region for s in ctx.subjects])
    areas, _total = figures_by_area(ctx.reader, grouping, ctx.span)
    grouped = {
        s.key: {"due": areas[s.region.prefix].plan_enterprises, "done": areas[s.region.prefix].plan_covered}
        for s in ctx.subjects
        if s.region.prefix in areas
    }
    return _rates(ctx, grouped, "done", "due", ("已检查", "计划检查企业"), f"{ctx.end.year}年度监督检查计划")


def _leaf_tasks() -> QuerySet[Any]:
    from anquan.campaigns.models import Task

    return Task.objects.annotate(has_subtasks=Exists(Task.objects.filter(parent=OuterRef("pk")))).filter(
        has_subtasks=False
    )


def tasks_on_time(ctx: Context) -> dict[str, Reading]:
    """攻坚任务按期完成率: of the campaign tasks a unit answers for (sub-tasks, and lines without sub-tasks) whose
    deadline falls in the period, those reported done (`done_on`) on or before the deadline."""
    from anquan.campaigns.choices import TaskStatus

    qs = _leaf_tasks().filter(within(ctx.region.prefix), deadline__gte=ctx.start, deadline__lte=ctx.end)
    done = Q(
        status__in=(TaskStatus.REPORTED_DONE, TaskStatus.VERIFIED_DONE),
        done_on__isnull=False,
        done_on__lte=F("deadline"),
    )
    grouped = _by_subject(
        ctx, qs, "region_code", "department_id", due=Count("id"), done=Count("id", filter=done)
    )
    return _rates(ctx, grouped, "done", "due", ("按期完成", "到期任务"), "攻坚任务清单")


def dispatch_on_time(ctx: Context) -> dict[str, Reading]:
    """调度按时报送率: for each dispatch due in the period (of campaigns in the office's area), the tasks that had to
    report (sub-tasks of its campaign made by the due day and not verified done before it opened) and the tasks
    that did report; on time = a report not marked late. Three queries, counted here."""
    from anquan.campaigns.models import Dispatch, TaskReport

    dispatches = list(
        Dispatch.objects.filter(within(ctx.region.prefix), due_on__gte=ctx.start, due_on__lte=ctx.end)
    )
    tasks = list(
        _leaf_tasks()
        .filter(campaign__in={d.campaign_id for d in dispatches})
        .values("id", "campaign_id", "region_code", "department_id", "created_at", "verified_on")
    )
    reports = {
        (r["dispatch_id"], r["task_id"]): r["late"]
        for r in TaskReport.objects.filter(dispatch__in=dispatches).values("dispatch_id", "task_id", "late")
    }
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # key → [on time, expected]
    keys = _key_of(ctx)
    for dispatch in dispatches:
        for task in tasks:
            if task["campaign_id"] != dispatch.campaign_id:
                continue
            late = reports.get((dispatch.id, task["id"]))
            reported = (dispatch.id, task["id"]) in reports
            made = task["created_at"].date() <= dispatch.due_on
            finished = task["verified_on"] is not None and task["verified_on"] < dispatch.opens_on
            if not reported and (not made or finished):
                continue
            key = keys(task["region_code"], task["department_id"])
            if key is None:
                continue
            counts[key][1] += 1
            counts[key][0] += int(reported and not late)
    grouped = {k: {"done": v[0], "due": v[1]} for k, v in counts.items()}
    return _rates(ctx, grouped, "done", "due", ("按时报送", "应报送"), "调度清单（报送期限在考核期内）")


def _key_of(ctx: Context) -> Callable[[str, int | None], str | None]:
    """The subject key a row of (region code, department id) counts for, or None."""
    if ctx.departments:
        known = {s.key for s in ctx.subjects}

        def by_department(code: str, department: int | None) -> str | None:
            key = f"{ctx.region.code}:{department}"
            return key if code == ctx.region.code and key in known else None

        return by_department
    prefixes = {s.region.prefix: s.key for s in ctx.subjects}

    def by_region(code: str, department: int | None) -> str | None:
        return prefixes.get(code[: ctx.length])

    return by_region


def letters_on_time(ctx: Context) -> dict[str, Reading]:
    """提示函、督办函按期回复率: of the letters issued to the subject whose reply was due in the period (not drafts or
    withdrawn ones), those replied (`replied_on`) on or before the reply day."""
    from anquan.letters.choices import LetterStatus
    from anquan.letters.models import Letter

    qs = Letter.objects.filter(
        within(ctx.region.prefix), reply_due__gte=ctx.start, reply_due__lte=ctx.end
    ).exclude(status__in=(LetterStatus.DRAFT, LetterStatus.WITHDRAWN))
    on_time = Q(replied_on__isnull=False, replied_on__lte=F("reply_due"))
    grouped = _by_subject(
        ctx, qs, "region_code", "recipient_department_id", due=Count("id"), done=Count("id", filter=on_time)
    )
    return _rates(ctx, grouped, "done", "due", ("按期回复", "应回复"), "工作提示函、督办函、约谈")


def grid_missed_rate(ctx: Context) -> dict[str, Reading]:
    """网格巡查漏查率: patrol tasks of the subject's grids in the period marked missed, of all of them
    (`grids.stats.missed`, read by township and added up to the county); regions only."""
    from anquan.grids.stats import missed

    if ctx.departments:
        return {}
    counts = missed(ctx.region, ctx.start, ctx.end)
    grouped: dict[str, dict[str, int]] = defaultdict(lambda: {"missed": 0, "total": 0})
    keys = _key_of(ctx)
    for row in counts.townships:
        key = keys(row.key, None)
        if key is not None:
            grouped[key]["missed"] += row.missed
            grouped[key]["total"] += row.total
    return _rates(ctx, grouped, "missed", "total", ("漏查", "巡查任务"), "网格巡查任务")


def alarm_disposal(ctx: Context) -> dict[str, Reading]:
    """监测预警按时处置率: of the sensor alarms raised in the period whose time to acknowledge has run out (or that were
    acknowledged), those acknowledged within it — the minutes by warning level of `monitoring.operation` in force at
    the period's end for the office's region (`acknowledge_minutes`). An alarm still inside its time is not counted
    yet; by department: the enterprise's supervising department."""
    from anquan.monitoring.models import Alarm
    from anquan.monitoring.stats import bounds, operation_rule

    start, end = bounds(ctx.start, ctx.end)
    try:
        limits = operation_rule(ctx.region.code, ctx.end).acknowledge_minutes.model_dump()
    except LookupError:
        return {}
    now = timezone.now()
    in_time = Q()
    due = Q(acknowledged_at__isnull=False)
    for level, minutes in limits.items():
        limit = dt.timedelta(minutes=minutes)
        in_time |= Q(level=level, acknowledged_at__lte=F("raised_at") + limit)
        due |= Q(level=level, raised_at__lte=now - limit)
    qs = Alarm.objects.filter(within(ctx.region.prefix), raised_at__gte=start, raised_at__lt=end).filter(due)
    grouped = _by_subject(
        ctx,
        qs,
        "region_code",
        "supervising_department_id",
        due=Count("id"),
        done=Count("id", filter=Q(acknowledged_at__isnull=False) & in_time),
    )
    return _rates(ctx, grouped, "done", "due", ("按时确认", "应确认"), "监测预警报警（按预警等级的确认时限）")


def certificates_held(ctx: Context) -> dict[str, Reading]:
    """特种作业人员持证率 (特种作业人员100%持证上岗): of the special-operation workers employed on the period's last day
    at the enterprises of the subject (its area, or the enterprises the department supervises in the office's own
    region), those holding a certificate in a covered state that day (`personnel.stats.coverage`: the rule version in
    force when the review falls due)."""
    from anquan.enterprises.models import Enterprise
    from anquan.personnel.stats import coverage

    enterprises = Enterprise.objects.filter(within(ctx.region.prefix))
    if ctx.departments:
        enterprises = enterprises.filter(region_code=ctx.region.code, supervising_department__isnull=False)
    department_of = dict(enterprises.values_list("id", "supervising_department_id"))
    keys = _key_of(ctx)
    grouped: dict[str, dict[str, int]] = defaultdict(lambda: {"held": 0, "workers": 0})
    for row in coverage(enterprises, ctx.end).enterprises:
        key = keys(row.region_code, department_of[row.id])
        if key is not None:
            share = row.shares["special_workers"]
            grouped[key]["held"] += share.covered
            grouped[key]["workers"] += share.total
    return _rates(
        ctx, grouped, "held", "workers", ("持证", "在岗特种作业人员"), "三项岗位人员及证书（考核期末日）"
    )


METRICS: dict[str, tuple[str, Metric]] = {
    "tasks_on_time": ("攻坚任务按期完成率（%）", tasks_on_time),
    "hazards_on_time": ("隐患按期整改率（%）", hazards_on_time),
    "major_overdue": ("重大隐患逾期未整改（项）", major_overdue),
    "accidents_change": ("事故起数比上年同期增减（起）", accidents_change),
    "deaths_change": ("死亡人数比上年同期增减（人）", deaths_change),
    "risk_report_coverage": ("风险报告覆盖率（%）", risk_report_coverage),
    "enforcement_coverage": ("执法计划覆盖率（%）", enforcement_coverage),
    "dispatch_on_time": ("调度按时报送率（%）", dispatch_on_time),
    "letters_on_time": ("提示函督办函按期回复率（%）", letters_on_time),
    "grid_missed_rate": ("网格巡查漏查率（%）", grid_missed_rate),
    "alarm_disposal": ("监测预警按时处置率（%）", alarm_disposal),
    "certificates_held": ("特种作业人员持证率（%）", certificates_held),
}


def read_all(ctx: Context, metrics: set[str]) -> dict[str, dict[str, Reading]]:
    """Every named metric for every subject: metric key → subject key → reading."""
    return {key: METRICS[key][1](ctx) for key in sorted(metrics)}
