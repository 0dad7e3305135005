"""Risk-based targeting (分级分类精准化执法): a score per enterprise from the data Anquan holds, each factor's
points from the rule version in force (`enforcement.targeting`, rules.py), the band and the proposed yearly
inspection frequency, and a sentence explaining the score ("重大风险 + 2 项超期重大隐患 + 去年1起事故").

The whole list of a region is computed with a fixed number of aggregate queries, whatever the number of
enterprises (a county holds thousands): the enterprises, then one GROUP BY enterprise per source (hazards,
missed check tasks, accidents by grade and year, major hazard installations, decided cases, substantiated
tip-offs, sensor alarms) and the monitoring's listing for enforcement (a sensor offline or stuck for long, an online
rate under the line: anquan.monitoring.stats.listed_for, a fixed number of grouped queries) and the key-post
personnel's certificate coverage under 100 % (anquan.personnel.stats.uncovered_enterprises).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.utils import timezone

from anquan.accidents.choices import Grade
from anquan.accidents.models import Accident
from anquan.checks.choices import TaskStatus
from anquan.checks.models import CheckTask
from anquan.enterprises.choices import RiskLevel
from anquan.enterprises.models import Enterprise
from anquan.hazards.choices import OPEN_STATUSES, Level
from anquan.hazards.models import Hazard
from anquan.majorhazards.models import MajorHazardInstallation
from anquan.monitoring.models import Alarm
from anquan.monitoring.stats import Listed, listed_for
from anquan.personnel.stats import uncovered_enterprises
from anquan.regions.models import Region
from anquan.tipoffs.models import TipOff
from anquan.tipoffs.stats import SUBSTANTIATED

from .choices import BAND_COLOURS, Band
from .rules import TargetingFigures

RISK_WORDS: dict[str, str] = {
    RiskLevel.RED: "重大风险",
    RiskLevel.ORANGE: "较大风险",
    RiskLevel.YELLOW: "一般风险",
    RiskLevel.BLUE: "低风险",
}
NO_DATA = "暂无数据"


@dataclass(frozen=True)
class Factor:
    key: str
    label: str  # what is counted, in Chinese
    value: str  # what was found ("重大风险", "2 项", "暂无数据")
    points: int
    available: bool = True


@dataclass
class Target:
    enterprise_id: int
    name: str
    uscc: str
    region_code: str
    township_code: str
    township: str
    industry: str
    risk_level: str
    score: int
    band: str
    frequency: int
    major_installations: int
    factors: list[Factor] = field(default_factory=list)
    explanation: str = ""

    @property
    def band_label(self) -> str:
        return str(Band(self.band).label)

    @property
    def band_colour(self) -> str:
        return BAND_COLOURS[Band(self.band)]

    def as_json(self) -> dict[str, Any]:
        return {
            "enterprise_id": self.enterprise_id,
            "name": self.name,
            "uscc": self.uscc,
            "region": self.region_code,
            "township": self.township,
            "industry": self.industry,
            "risk_level": self.risk_level,
            "score": self.score,
            "band": self.band,
            "band_label": self.band_label,
            "frequency": self.frequency,
            "explanation": self.explanation,
            "factors": [f.__dict__ for f in self.factors],
        }


# --- the data that does not exist yet ---------------------------------------------------------------------


def penalty_counts(enterprises: QuerySet[Enterprise], since: dt.date) -> dict[int, int] | None:
    """Administrative penalty decisions per enterprise id since `since`: enforcement cases decided on or after
    that day (one GROUP BY enterprise). The cases are held here (anquan.cases), so none means none."""
    from django.db.models import Count

    from anquan.cases.models import EnforcementCase

    rows = (
        EnforcementCase.objects.filter(enterprise__in=enterprises, decided_on__gte=since)
        .values("enterprise_id")
        .annotate(n=Count("id"))
    )
    return {row["enterprise_id"]: row["n"] for row in rows}


def alarm_counts(enterprises: QuerySet[Enterprise], since: dt.date) -> dict[int, int] | None:
    """Sensor alarms raised on or after `since` per enterprise (anquan.monitoring; one GROUP BY enterprise)."""
    start = timezone.make_aware(dt.datetime.combine(since, dt.time()))
    rows = (
        Alarm.objects.filter(enterprise__in=enterprises, raised_at__gte=start)
        .values("enterprise_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["enterprise_id"]: row["n"] for row in rows}


def monitoring_factor(listing: Listed | None, f: TargetingFigures, words: list[str]) -> Factor:
    """Listed for enforcement by the monitoring (persistent offline or stuck sensors, a low online rate)."""
    label = "监测预警列入执法关注"
    if listing is None:
        return Factor("monitoring_listed", label, "否", 0)
    reason = "；".join(listing.reasons)
    if f.monitoring_listed:
        words.append(f"{label}（{reason}）")
    return Factor("monitoring_listed", label, reason, f.monitoring_listed)


def certificates_factor(share: float | None, f: TargetingFigures, words: list[str]) -> Factor:
    """Special-operation workers, principal persons and safety managers not all holding a valid certificate
    (特种作业人员100%持证上岗; anquan.personnel.stats.uncovered_enterprises: `share` below 1, else None)."""
    label = "三项岗位人员持证率"
    if share is None:
        return Factor("certificates_uncovered", label, "100%或无此类人员", 0)
    value = f"{int(share * 100)}%"  # floored: 99.6 % is not shown as 100 %
    if f.certificates_uncovered:
        words.append(f"持证率{value}")
    return Factor("certificates_uncovered", label, value, f.certificates_uncovered)


def tip_off_counts(enterprises: QuerySet[Enterprise], since: dt.date) -> dict[int, int] | None:
    """Public tip-offs about each enterprise substantiated on or after `since` (substantiated, its reward
    decided or paid; one GROUP BY enterprise). The tip-offs are held here (anquan.tipoffs), so none means none."""
    start = timezone.make_aware(dt.datetime.combine(since, dt.time()))
    rows = (
        TipOff.objects.filter(enterprise__in=enterprises, status__in=SUBSTANTIATED, concluded_at__gte=start)
        .values("enterprise_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["enterprise_id"]: row["n"] for row in rows}


def months_before(today: dt.date, months: int) -> dt.date:
    """The first day of the window of the last `months` months, this one included (12 on 2 December 2026:
    1 January 2026)."""
    year, month = divmod(today.year * 12 + today.month - months, 12)
    return dt.date(year, month + 1, 1)


# --- computing --------------------------------------------------------------------------------------------


def _by_enterprise(rows: Iterable[dict[str, Any]], key: str = "n") -> dict[int, int]:
    return {row["enterprise_id"]: row[key] for row in rows}


def band_for(score: int, figures: TargetingFigures) -> tuple[str, int]:
    """(band, proposed yearly inspections) of a score."""
    if score >= figures.key_min:
        return Band.KEY, figures.key_frequency
    if score >= figures.watch_min:
        return Band.WATCH, figures.watch_frequency
    if score >= figures.general_min:
        return Band.GENERAL, figures.general_frequency
    return Band.RANDOM, 0


def _when(year: int, this_year: int) -> str:
    return {this_year: "今年", this_year - 1: "去年"}.get(year, f"{year}年")


def compute(
    enterprises: QuerySet[Enterprise], figures: TargetingFigures, today: dt.date | None = None
) -> list[Target]:
    """The targets of `enterprises` (already scoped and filtered), highest score first."""
    today = today or timezone.localdate()
    f = figures
    rows: list[dict[str, Any]] = [
        dict(row)
        for row in enterprises.values(
            "id", "name", "uscc", "region_code", "industry__name", "risk_level"
        ).order_by()
    ]
    ids = enterprises.values("id")
    hazards = {
        row["enterprise_id"]: row
        for row in Hazard.objects.filter(enterprise__in=ids, status__in=OPEN_STATUSES)
        .values("enterprise_id")
        .annotate(
            open_major=Count("id", filter=Q(level=Level.MAJOR, overdue=False)),
            overdue_major=Count("id", filter=Q(level=Level.MAJOR, overdue=True)),
            overdue_general=Count("id", filter=Q(level=Level.GENERAL, overdue=True)),
        )
        .order_by()
    }
    since = timezone.make_aware(
        dt.datetime.combine(today - dt.timedelta(days=f.missed_check_days), dt.time())
    )
    missed = _by_enterprise(
        CheckTask.objects.filter(enterprise__in=ids, status=TaskStatus.MISSED, period_end__gte=since)
        .values("enterprise_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    first_year = today.year - f.accident_years + 1
    accidents: dict[int, list[tuple[str, int, int]]] = defaultdict(list)
    for row in (
        Accident.objects.filter(enterprise__in=ids, occurred_at__year__gte=first_year)
        .annotate(y=ExtractYear("occurred_at"))
        .values("enterprise_id", "grade", "y")
        .annotate(n=Count("id"))
        .order_by("-y")
    ):
        accidents[row["enterprise_id"]].append((row["grade"], row["y"], row["n"]))
    installations = _by_enterprise(
        MajorHazardInstallation.objects.filter(enterprise__in=ids, is_major=True)
        .values("enterprise_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    penalties = penalty_counts(enterprises, dt.date(today.year - f.penalty_years + 1, 1, 1))
    alarms = alarm_counts(enterprises, today - dt.timedelta(days=365))
    tip_offs = tip_off_counts(enterprises, months_before(today, f.tip_off_months))
    watch = listed_for(enterprises, today)
    uncovered = uncovered_enterprises(enterprises, today)
    townships = _township_names(rows)
    targets = [
        _target(
            row,
            f,
            hazards.get(row["id"], {}),
            missed.get(row["id"], 0),
            accidents.get(row["id"], []),
            installations.get(row["id"], 0),
            (penalties, alarms, tip_offs),
            townships,
            today.year,
            watch.get(row["id"]),
            uncovered.get(row["id"]),
        )
        for row in rows
    ]
    targets.sort(key=lambda t: (-t.score, t.name, t.enterprise_id))
    return targets


def _township_names(rows: list[dict[str, Any]]) -> dict[str, str]:
    codes = {row["region_code"][:9] for row in rows if len(row["region_code"]) >= 9}
    return dict(Region.objects.filter(code__in=codes).values_list("code", "name")) if codes else {}


ACCIDENT_POINTS = {
    Grade.ORDINARY: "accident_ordinary",
    Grade.LARGER: "accident_larger",
    Grade.MAJOR: "accident_major",
    Grade.ESPECIALLY_MAJOR: "accident_major",
}
ACCIDENT_WORDS = {
    Grade.ORDINARY: "",
    Grade.LARGER: "较大",
    Grade.MAJOR: "重大",
    Grade.ESPECIALLY_MAJOR: "特别重大",
}


def _target(
    row: dict[str, Any],
    f: TargetingFigures,
    hazards: dict[str, Any],
    missed: int,
    accidents: list[tuple[str, int, int]],
    installations: int,
    pending: tuple[dict[int, int] | None, dict[int, int] | None, dict[int, int] | None],
    townships: dict[str, str],
    this_year: int,
    listing: Listed | None = None,
    covered_share: float | None = None,
) -> Target:
    factors: list[Factor] = []
    words: list[str] = []
    level = row["risk_level"] or ""
    risk_points = getattr(f, f"risk_{level}", 0) if level else 0
    factors.append(Factor("risk_level", "企业风险等级", RISK_WORDS.get(level, "未评估"), risk_points))
    if risk_points:
        words.append(RISK_WORDS[level])
    for key, label, word in (
        ("overdue_major_hazard", "超期未整改重大隐患", "项超期重大隐患"),
        ("open_major_hazard", "未整改重大隐患（未超期）", "项未整改重大隐患"),
        ("overdue_general_hazard", "超期未整改一般隐患", "项超期一般隐患"),
    ):
        n = hazards.get(key.removesuffix("_hazard"), 0)
        factors.append(Factor(key, label, f"{n} 项", n * getattr(f, key)))
        if n and getattr(f, key):
            words.append(f"{n} {word}")
    points = min(missed * f.missed_check, f.missed_check_cap)
    factors.append(
        Factor("missed_check", f"近{f.missed_check_days}天未按时完成的管控检查", f"{missed} 次", points)
    )
    if points:
        words.append(f"近{f.missed_check_days}天漏检{missed}次")
    total_accidents = sum(n for _, _, n in accidents)
    points = sum(n * getattr(f, ACCIDENT_POINTS[Grade(grade)]) for grade, _, n in accidents)
    factors.append(Factor("accidents", f"近{f.accident_years}年事故", f"{total_accidents} 起", points))
    for grade, year, n in accidents:
        words.append(f"{_when(year, this_year)}{n}起{ACCIDENT_WORDS[Grade(grade)]}事故")
    factors.append(
        Factor(
            "major_installation", "重大危险源", f"{installations} 处", installations * f.major_installation
        )
    )
    if installations and f.major_installation:
        words.append(f"{installations} 处重大危险源")
    factors += _data_to_come(row["id"], f, pending, words)
    factors.append(monitoring_factor(listing, f, words))
    factors.append(certificates_factor(covered_share, f, words))
    score = sum(x.points for x in factors)
    band, frequency = band_for(score, f)
    township_code = row["region_code"][:9]
    return Target(
        enterprise_id=row["id"],
        name=row["name"],
        uscc=row["uscc"],
        region_code=row["region_code"],
        township_code=township_code,
        township=townships.get(township_code, ""),
        industry=row["industry__name"],
        risk_level=level,
        score=score,
        band=band,
        frequency=frequency,
        major_installations=installations,
        factors=factors,
        explanation=" + ".join(words),
    )


def _data_to_come(
    enterprise_id: int,
    f: TargetingFigures,
    pending: tuple[dict[int, int] | None, dict[int, int] | None, dict[int, int] | None],
    words: list[str],
) -> list[Factor]:
    """Penalties, alarms and tip-offs: weighed when their counts exist, 暂无数据 until their apps land."""
    factors: list[Factor] = []
    for (key, label, weight, cap, unit, word), counts in zip(
        (
            (
                "penalty",
                f"近{f.penalty_years}年行政处罚",
                f.penalty,
                None,
                "次",
                f"近{f.penalty_years}年行政处罚",
            ),
            ("alarm", "近一年监测报警", f.alarm, f.alarm_cap, "次", "近一年监测报警"),
            (
                "tip_off",
                f"近{f.tip_off_months}个月查实的举报",
                f.tip_off,
                None,
                "件",
                f"近{f.tip_off_months}个月查实举报",
            ),
        ),
        pending,
        strict=True,
    ):
        if counts is None:
            factors.append(Factor(key, label, NO_DATA, 0, available=False))
            continue
        n = counts.get(enterprise_id, 0)
        points = n * weight if cap is None else min(n * weight, cap)
        factors.append(Factor(key, label, f"{n} {unit}", points))
        if points:
            words.append(f"{word}{n}{unit}")
    return factors
