"""Generating a bulletin: figures → context → .docx (docxtpl) with charts → stored file, row and audit entry.

Figures come only from the statistics services, called as the requesting user, so a bulletin holds
exactly what its author may see (DESIGN rule 1): `anquan.accidents.stats.compute` for the period and
the year to date (and, for quarterly and yearly documents, by category and by month), and
`anquan.hazards.stats.compute` for the hazard section and `anquan.enforcement.stats` for the enforcement
section (enforcement_section.py), venues, grid patrols and tip-offs for the grids and public section
(grids_section.py). Modules that do not exist yet (campaigns) have no section; the hazard and
enforcement sections are left out when the area has nothing to report in them.

The template context is described in README.md next to this file.
"""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage

from anquan.accidents import phrasing
from anquan.accidents import stats as accident_stats
from anquan.core import audit
from anquan.core import docx as core_docx
from anquan.core.errors import FieldError, NotPermitted, ValidationFailed
from anquan.core.periods import chinese_date
from anquan.core.permissions import Perm, has_perm
from anquan.hazards import stats as hazard_stats
from anquan.regions.inputs import region_field
from anquan.regions.models import Region

from . import (
    campaigns_section,
    charts,
    enforcement_section,
    flags_section,
    grids_section,
    monitoring_section,
    periods,
)
from .choices import DOCUMENT_NAMES, GRANULARITY, Kind
from .make_templates import DEFAULT_DIR, FILE_NAMES
from .models import Bulletin

log = logging.getLogger(__name__)

CHART_WIDTH = Mm(150)  # the text block of an A4 page with GB/T 9704 margins is 156 mm wide


def may_generate(user) -> bool:
    """Bulletins are issued by the safety committees' offices (安委办); departments and enterprises read them."""
    return has_perm(user, Perm.BULLETIN_ISSUE)


def template_path(kind: str) -> Path:
    """The province's template from BULLETIN_TEMPLATE_DIR (setting, else environment variable) when it has
    one of that name, else the default."""
    return core_docx.template_path("BULLETIN_TEMPLATE_DIR", FILE_NAMES[kind], DEFAULT_DIR)


# ---------------------------------------------------------------------------------------------- input


def validate(user, raw: dict, today: dt.date) -> tuple[str, Region, periods.CalendarPeriod, str]:
    kind = str(raw.get("kind") or "")
    if kind not in Kind.values:
        raise ValidationFailed(
            [
                FieldError(
                    "kind",
                    "invalid_choice",
                    "公报类型应为 monthly_dispatch、quarterly_bulletin 或 yearly_evaluation",
                )
            ]
        )
    errors: list[FieldError] = []
    region = region_field(raw.get("region"), user, errors, blank="required")
    issue_number = str(raw.get("issue_number") or "").strip()
    if len(issue_number) > 50:
        errors.append(FieldError("issue_number", "too_long", "期号不能超过50个字符"))
    try:
        period = periods.resolve(
            GRANULARITY[kind], raw.get("year"), raw.get("month"), raw.get("quarter"), today=today
        )
    except ValidationFailed as exc:
        errors.extend(exc.errors)
    if errors:
        raise ValidationFailed(errors)
    if not period.complete and not _truthy(raw.get("confirm_incomplete")):
        raise ValidationFailed([incomplete_warning(period)])
    return kind, region, period, issue_number


def _truthy(value) -> bool:
    return value is True or str(value or "").strip().lower() in ("1", "true", "on", "yes")


def incomplete_warning(period: periods.CalendarPeriod) -> FieldError:
    """The warning a running period gets before its bulletin is generated (confirmed by `confirm_incomplete`)."""
    return FieldError(
        "confirm_incomplete",
        "period_not_ended",
        f"{period.name}尚未结束：数据统计{period.as_of_phrase}，与上年同期的相同日期比较，"
        f"标题将注明“{period.as_of_phrase}”。确认后再生成。",
    )


# -------------------------------------------------------------------------------------------- figures


def _accidents(user, region: Region, start: dt.date, end: dt.date, group_by: str = "region") -> dict:
    return accident_stats.compute(user, region.code, start.isoformat(), end.isoformat(), group_by)


UNKNOWN = "—"  # a figure of last year that is not known (the system was not in use, nothing entered)


def _cell(current, base, unit: str) -> str:
    """Year-on-year change as a table cell: "下降24.4%", "持平", "增加3起（上年为零）", "—" (not known)."""
    return phrasing.change(current, base, unit=unit, prefix="", base_name="上年") or UNKNOWN


def _known(value):
    return UNKNOWN if value is None else value


def _wan_yuan(yuan) -> str:
    return f"{Decimal(str(yuan)) / 10000:.2f}"


def _summary(result: dict, label: str) -> dict:
    now, then = result["total"], result["same_period_last_year"] or {"count": None, "deaths": None}
    losses = f"{label}，事故共造成"
    if now["missing"]:
        losses += f"失踪{now['missing']}人、"
    losses += (
        f"重伤{now['serious_injuries']}人（含急性工业中毒）、轻伤{now['minor_injuries']}人，"
        f"直接经济损失{_wan_yuan(now['direct_loss_yuan'])}万元。"
    )
    return {
        "label": label,
        "summary": result["summary"],
        "count": now["count"],
        "deaths": now["deaths"],
        "larger": now["larger"],
        "major_or_above": now["major_or_above"],
        "missing": now["missing"],
        "serious_injuries": now["serious_injuries"],
        "minor_injuries": now["minor_injuries"],
        "direct_loss_wan_yuan": _wan_yuan(now["direct_loss_yuan"]),
        "count_last_year": _known(then["count"]),
        "deaths_last_year": _known(then["deaths"]),
        "count_yoy": _cell(now["count"], then["count"], "起"),
        "deaths_yoy": _cell(now["deaths"], then["deaths"], "人"),
        "comparison_note": result["comparison"]["note"],
        "yoy": result["summary"],
        "losses": losses,
    }


def _area_rows(period_result: dict, ytd_result: dict) -> list[dict]:
    ytd = {r["key"]: r for r in ytd_result["items"]}
    rows = []
    for r in period_result["items"]:
        y = ytd[r["key"]]
        rows.append(
            {
                "key": r["key"],
                "label": r["label"],
                "count": r["count"],
                "deaths": r["deaths"],
                "count_last_year": _known(r["count_last_year"]),
                "deaths_last_year": _known(r["deaths_last_year"]),
                "ytd_count": y["count"],
                "ytd_deaths": y["deaths"],
                "ytd_count_last_year": _known(y["count_last_year"]),
                "ytd_deaths_last_year": _known(y["deaths_last_year"]),
                "ytd_count_yoy": _cell(y["count"], y["count_last_year"], "起"),
                "ytd_deaths_yoy": _cell(y["deaths"], y["deaths_last_year"], "人"),
            }
        )
    return rows


def _total_row(period_result: dict, ytd_result: dict) -> dict:
    p, y = period_result["total"], ytd_result["total"]
    ly = ytd_result["same_period_last_year"] or {"count": None, "deaths": None}
    return {
        "label": "合计",
        "count": p["count"],
        "deaths": p["deaths"],
        "ytd_count": y["count"],
        "ytd_deaths": y["deaths"],
        "ytd_count_last_year": _known(ly["count"]),
        "ytd_deaths_last_year": _known(ly["deaths"]),
        "ytd_count_yoy": _cell(y["count"], ly["count"], "起"),
        "ytd_deaths_yoy": _cell(y["deaths"], ly["deaths"], "人"),
    }


def _rose(row: dict, key: str) -> bool:
    base = row[f"{key}_last_year"]
    return base != UNKNOWN and row[key] > base


def _rising(rows: list[dict], label: str) -> dict:
    count = [r["label"] for r in rows if _rose(r, "ytd_count")]
    deaths = [r["label"] for r in rows if _rose(r, "ytd_deaths")]
    if not rows or all(r["ytd_count_last_year"] == UNKNOWN for r in rows):
        sentence = ""
    elif not count and not deaths:
        sentence = f"{label}，各地事故起数、死亡人数均未出现同比上升。"
    else:
        parts = []
        if count:
            parts.append(f"事故起数同比上升的有{'、'.join(count)}（{len(count)}个）")
        if deaths:
            parts.append(f"死亡人数同比上升的有{'、'.join(deaths)}（{len(deaths)}个）")
        sentence = f"{label}，" + "；".join(parts) + "。"
    return {"count": "、".join(count), "deaths": "、".join(deaths), "sentence": sentence}


def _no_deaths_sentence(rows: list[dict], label: str) -> str:
    names = [r["label"] for r in rows if r["ytd_deaths"] == 0]
    return f"{label}，{'、'.join(names)}未发生生产安全事故死亡。" if names else ""


def _categories(result: dict) -> list[dict]:
    items = sorted(result["items"], key=lambda r: (-r["count"], -r["deaths"], r["label"]))
    return [
        {
            "label": r["label"],
            "count": r["count"],
            "deaths": r["deaths"],
            "count_last_year": _known(r["count_last_year"]),
            "count_yoy": _cell(r["count"], r["count_last_year"], "起"),
        }
        for r in items
    ]


def _category_sentence(categories: list[dict], label: str) -> str:
    top = [c for c in categories if c["count"]][:3]
    if not top:
        return ""
    listed = "、".join(f"{c['label']}（{c['count']}起、死亡{c['deaths']}人）" for c in top)
    return f"从事故类型看，{label}发生起数较多的是{listed}。"


def _monthly_series(user, region: Region, period: periods.CalendarPeriod) -> tuple[list[str], dict]:
    rows = {
        r["key"]: r for r in _accidents(user, region, period.ytd_start, period.data_end, "month")["items"]
    }
    months = range(1, period.data_end.month + 1)

    def pick(key):
        return [rows.get(f"{period.year}-{m:02d}", {}).get(key, 0) for m in months]

    def pick_last_year(key):  # None for a month of last year that is not known (a gap in the line)
        return [rows.get(f"{period.year}-{m:02d}", {}).get(key) for m in months]

    series = {
        "事故起数（起）": (pick("count"), pick_last_year("count_last_year")),
        "死亡人数（人）": (pick("deaths"), pick_last_year("deaths_last_year")),
    }
    return [f"{m}月" for m in months], series


def _rate(value) -> str:
    return "—" if value is None else f"{value}%"


def _hazards(user, region: Region, period: periods.CalendarPeriod, area: str, kind: str) -> dict | None:
    """The hazard section, or None when the area has no hazards this year and none open."""

    def compute(**dates):
        return hazard_stats.compute(user, {"region": region.code, **dates}, "region")

    ytd = compute(found_from=period.ytd_start.isoformat(), found_to=period.data_end.isoformat())
    current = compute()["total"]
    if ytd["total"]["found"] == 0 and current["open"] == 0:
        return None
    y = ytd["total"]
    if kind == Kind.YEARLY_EVALUATION:
        first, cumulative = f"{period.ytd_label}，{area}", ""
    else:
        p = compute(found_from=period.start.isoformat(), found_to=period.data_end.isoformat())["total"]
        first = (
            f"{period.label}，{area}共排查发现隐患{p['found']}项，已整改{p['closed']}项；{period.ytd_label}"
        )
        cumulative = "累计"
    if y["found"]:
        summary = (
            f"{first}{cumulative}排查发现隐患{y['found']}项，已整改{y['closed']}项，"
            f"整改率{_rate(y['rectification_rate'])}。"
        )
    else:
        summary = f"{period.ytd_label}，{area}未排查发现新的隐患。"
    if current["open"]:
        open_sentence = (
            f"截至{chinese_date(period.as_of)}，{area}尚有{current['open']}项隐患未完成整改，"
            f"其中逾期未整改{current['overdue']}项，重大隐患{current['major_open']}项。"
        )
    else:
        open_sentence = f"截至{chinese_date(period.as_of)}，{area}已无未完成整改的隐患。"

    def row(r):
        return {
            "label": r["label"],
            "found": r["found"],
            "closed": r["closed"],
            "rate": _rate(r["rectification_rate"]),
            "open": r["open"],
            "overdue": r["overdue"],
        }

    return {
        "summary": summary,
        "open_sentence": open_sentence,
        "found": y["found"],
        "closed": y["closed"],
        "rate": _rate(y["rectification_rate"]),
        "open": current["open"],
        "overdue": current["overdue"],
        "major_open": current["major_open"],
        "rows": [row(r) for r in ytd["items"]],
        "total": row(y),
    }


# -------------------------------------------------------------------------------------------- context


def titles(kind: str, region: Region, period: periods.CalendarPeriod) -> tuple[str, str]:
    """(title of the bulletin, heading above its body); a period not yet ended says so in both:
    "九江市2026年第四季度（截至12月1日）安全生产形势通报"."""
    area = phrasing.area_word(region)
    name = period.name if period.granularity != "year" else f"{period.year}年度"
    if not period.complete:
        name += f"（{period.as_of_phrase}）"
    if kind == Kind.MONTHLY_DISPATCH:
        return f"{region.name}{name}安全生产月调度", f"{name}{area}安全生产工作情况"
    if kind == Kind.QUARTERLY_BULLETIN:
        return f"{region.name}{name}安全生产形势通报", f"{name}{area}安全生产形势"
    return f"{region.name}{name}安全生产形势评估总结", f"{name}{area}安全生产形势评估"


def accident_figures(user, region: Region, period: periods.CalendarPeriod) -> dict:
    """The period and the year to date by area, with the same period last year (dashboard and documents)."""
    ytd_result = _accidents(user, region, period.ytd_start, period.data_end)
    period_result = (
        ytd_result
        if period.start == period.ytd_start  # a year, Q1 or January: the period is the year to date
        else _accidents(user, region, period.start, period.data_end)
    )
    mom = ""
    if period.granularity == "month" and "previous_month" in period_result:
        now, before = period_result["total"], period_result["previous_month"]
        pair = phrasing.pair(now["count"], before["count"], now["deaths"], before["deaths"], prefix="环比")
        mom = f"与上月（{before['count']}起、{before['deaths']}人）相比，{pair}。"
    rows = _area_rows(period_result, ytd_result)
    return {
        "accidents": _summary(period_result, period.label),
        "ytd": _summary(ytd_result, period.ytd_label),
        "mom": mom,
        "rows": rows,
        "total": _total_row(period_result, ytd_result),
        "rising": _rising(rows, period.ytd_label),
    }


def _data_note(period: periods.CalendarPeriod, figures: dict) -> str:
    """What the reader must know about the figures: a running period, last year's figures not known or entered."""
    note = ""
    if not period.complete:
        note = f"本期尚未结束，数据统计截至{chinese_date(period.data_end)}，与上年同期的相同日期比较。"
    return note + figures["ytd"]["comparison_note"]


def build_context(user, kind: str, region: Region, period: periods.CalendarPeriod, issue_number: str) -> dict:
    """Everything the template may use except the chart images (see README.md)."""
    area = phrasing.area_word(region)
    title, heading = titles(kind, region, period)
    figures = accident_figures(user, region, period)
    context = {
        "kind": kind,
        "kind_label": DOCUMENT_NAMES[kind],
        "document_name": DOCUMENT_NAMES[kind],
        "title": title,
        "heading": heading,
        "issuer": f"{region.name}安全生产委员会办公室",
        "issuer_short": f"{region.name}安委办",
        "issue_number": issue_number,
        "issue_date": chinese_date(period.as_of),
        "region": {
            "code": region.code,
            "name": region.name,
            "full_name": region.full_name,
            "area_word": area,
        },
        "period": {
            "name": period.name,
            "year": period.year,
            "month": period.month,
            "quarter": period.quarter,
            "quarter_name": periods.QUARTER_NAMES.get(period.quarter, ""),
            "label": period.label,
            "ytd_label": period.ytd_label,
            "start": chinese_date(period.start),
            "end": chinese_date(period.end),
            "data_end": chinese_date(period.data_end),
            "complete": period.complete,
        },
        "data_note": _data_note(period, figures)
        # the audit chain's head in print, where nobody can rewrite it (docs/adr/0006-audit-chain.md)
        + (audit.anchor_line() + "。" if kind == Kind.MONTHLY_DISPATCH else ""),
        **figures,
        "no_deaths_sentence": _no_deaths_sentence(figures["rows"], period.ytd_label),
        "categories": [],
        "category_sentence": "",
        "hazards": _hazards(user, region, period, area, kind),
        "enforcement": enforcement_section.section(user, region, period),
        # the grids and public section: the monthly dispatch and the quarterly bulletin (issue #14 item 5)
        "grids": None
        if kind == Kind.YEARLY_EVALUATION
        else grids_section.section(user, region, period, area),
        # the rolling red and yellow flags held at the period's end (issue #15 item 7, flags_section.py)
        "flags": flags_section.section(user, region, period, area),
        # the campaign-progress section: the monthly dispatch and the quarterly bulletin (issue #15 item 4)
        "campaigns": None
        if kind == Kind.YEARLY_EVALUATION
        else campaigns_section.section(user, region, period),
        # the monitoring section: the monthly dispatch only (issue #16 item 4, monitoring_section.py)
        "monitoring": monitoring_section.section(user, region, period, area)
        if kind == Kind.MONTHLY_DISPATCH
        else None,
        "area_chart": None,
        "trend_chart": None,
    }
    if kind != Kind.MONTHLY_DISPATCH:
        categories = _categories(_accidents(user, region, period.ytd_start, period.data_end, "category"))
        context["categories"] = categories
        context["category_sentence"] = _category_sentence(categories, period.ytd_label)
    context.update(_numbering(context))
    return context


NUMERALS = "一二三四五六七八九十"


def _numbering(context: dict) -> dict:
    """Numbers of the sections (一、二、…), tables and figures that are present: a section without content
    (no child areas, no hazards) is left out and the rest close up."""
    monthly = context["kind"] == Kind.MONTHLY_DISPATCH
    hazards = context["hazards"]
    sections = ["overview"]
    sections += ["areas"] if context["rows"] else []
    sections += [] if monthly else ["types"]
    sections += ["hazards"] if hazards else []
    sections += ["enforcement"] if context.get("enforcement") else []
    sections += ["grids"] if context.get("grids") else []
    sections += ["flags"] if context.get("flags") else []
    sections += ["campaigns"] if context.get("campaigns") else []
    sections += ["monitoring"] if context.get("monitoring") else []
    tables = ["areas"] if context["rows"] else []
    tables += ["categories"] if context["categories"] else []
    tables += ["hazards"] if hazards and hazards["rows"] and not monthly else []
    figures = ["areas"] if context["rows"] else []
    figures += [] if monthly else ["trend"]
    return {
        "numbers": {name: NUMERALS[i] for i, name in enumerate(sections)},
        "tables": {name: i + 1 for i, name in enumerate(tables)},
        "figures": {name: i + 1 for i, name in enumerate(figures)},
    }


def _charts(tpl: DocxTemplate, context: dict, user, region: Region, period: periods.CalendarPeriod) -> None:
    this_label = f"{period.year}年{period.ytd_label}"
    last_label = f"{period.year - 1}年{period.ytd_label}"
    if context["rows"]:
        ytd_rows = [
            {
                "label": r["label"],
                "count": r["ytd_count"],
                "deaths": r["ytd_deaths"],
                "count_last_year": r["ytd_count_last_year"],
                "deaths_last_year": r["ytd_deaths_last_year"],
            }
            for r in context["rows"]
        ]
        image = charts.by_area(ytd_rows, this_label, last_label)
        context["area_chart"] = InlineImage(tpl, image, width=CHART_WIDTH)
    if context["kind"] != Kind.MONTHLY_DISPATCH:
        months, series = _monthly_series(user, region, period)
        image = charts.by_month(months, series, (f"{period.year}年", f"{period.year - 1}年"))
        context["trend_chart"] = InlineImage(tpl, image, width=CHART_WIDTH)


def render(
    user, kind: str, region: Region, period: periods.CalendarPeriod, issue_number: str = "", progress=None
) -> tuple[bytes, dict]:
    """The .docx and its context; `progress` (a job's) hears each of the RENDER_STEPS stages."""
    path = template_path(kind)
    tpl = DocxTemplate(path)
    step = progress.step if progress else (lambda done: None)
    context = build_context(user, kind, region, period, issue_number)
    step(1)
    _charts(tpl, context, user, region, period)
    step(2)
    data = core_docx.render(tpl, path.name, context, what="公报")
    step(3)
    return data, context


RENDER_STEPS = 4  # figures, charts, document, stored


# ------------------------------------------------------------------------------------------- generate


def check(user, raw: dict, today: dt.date | None = None):
    """What `generate` checks before any work (role, kind, region in scope, period): at the door of a request
    that queues the work, so a bad request is answered at once."""
    if not may_generate(user):
        raise NotPermitted("只有安委办可以生成通报")
    return validate(user, raw, today or timezone.localdate())


def generate(user, raw: dict, *, today: dt.date | None = None, progress=None, then=None) -> Bulletin:
    """Validate, render and store one bulletin; 403 for a role that does not issue bulletins, 422 for
    bad input (Chinese messages, per field). `progress` hears the stages; `then(bulletin)` runs inside the
    transaction that stores it (a job finishes together with its bulletin)."""
    kind, region, period, issue_number = check(user, raw, today)
    if progress:
        progress.phase("generating", RENDER_STEPS)
    content, context = render(user, kind, region, period, issue_number, progress)
    bulletin = Bulletin(
        kind=kind,
        region=region,
        region_code=region.code,
        period_start=period.start,
        period_end=period.end,
        data_end=period.data_end,
        title=context["title"],
        issue_number=issue_number,
        size=len(content),
        created_by=user,
    )
    bulletin.file.save("bulletin.docx", ContentFile(content), save=False)
    try:
        with transaction.atomic():
            bulletin.save()
            audit.record_create(bulletin, actor=user, comment=f"生成{context['document_name']}")
            if then:
                then(bulletin)
    except BaseException:
        bulletin.file.delete(save=False)
        raise
    return bulletin
