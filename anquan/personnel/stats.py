"""Coverage of the key posts (issue #17 item 5; 特种作业人员100%持证上岗, 三项岗位人员培训考核) for any set of
enterprises on a day, and the enterprises below 100 %:

- special-operation workers with a certificate in a covered state (valid, review due soon, expiring soon) on the day;
- principal persons and safety managers with a safety qualification certificate in a covered state;
- team leaders with a passed training in the day's calendar year (up to the day);
- people whose passed training hours in the calendar year reach their yearly figure (`personnel.training_hours`,
  high-risk industry figures for high-risk industries); people whose figure is 0 are not counted.

Only people employed on the day (hired by then, not left before it) count. Everything is read in three queries
and computed in memory with the rule versions read once (validity.RuleBook).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet

from anquan.enterprises.models import Enterprise

from .choices import COVERED_STATES, CertificateKind, TrainingResult
from .models import Certificate, Person, Training
from .rules import TRAINING_HOURS, TrainingHours
from .validity import RuleBook, standing

MEASURES = ("special_workers", "managers", "team_leaders", "training_hours")
MEASURE_LABELS = {
    "special_workers": "特种作业人员持证率",
    "managers": "主要负责人和安全管理人员考核合格率",
    "team_leaders": "班组长本年度培训率",
    "training_hours": "年度培训学时达标率",
}


@dataclass
class Share:
    covered: int = 0
    total: int = 0

    @property
    def rate(self) -> float | None:
        return self.covered / self.total if self.total else None

    def add(self, ok: bool) -> None:
        self.total += 1
        self.covered += int(ok)


@dataclass
class EnterpriseCoverage:
    id: int
    name: str
    region_code: str
    shares: dict[str, Share] = field(default_factory=lambda: {m: Share() for m in MEASURES})

    @property
    def complete(self) -> bool:
        return all(s.covered == s.total for s in self.shares.values())

    @property
    def certificate_share(self) -> Share:
        a, b = self.shares["special_workers"], self.shares["managers"]
        return Share(a.covered + b.covered, a.total + b.total)


@dataclass
class Coverage:
    on: dt.date
    totals: dict[str, Share]
    enterprises: list[EnterpriseCoverage]

    @property
    def below(self) -> list[EnterpriseCoverage]:
        return [e for e in self.enterprises if not e.complete]


def employed(people: QuerySet[Person], on: dt.date) -> QuerySet[Person]:
    return people.filter(
        Q(hired_on__isnull=True) | Q(hired_on__lte=on), Q(left_on__isnull=True) | Q(left_on__gte=on)
    )


def coverage(enterprises: QuerySet[Enterprise], on: dt.date) -> Coverage:
    """The coverage of `enterprises` (already scoped and filtered by the caller) on `on`."""
    book = RuleBook()
    rows = {
        e["id"]: EnterpriseCoverage(e["id"], e["name"], e["region_code"])
        for e in enterprises.values("id", "name", "region_code").order_by("region_code", "name")
    }
    high_risk = set(enterprises.filter(industry__high_risk=True).values_list("id", flat=True))
    # subqueries, not lists of ids: a province's enterprises and people pass SQLite's limit of bound parameters
    staff = employed(Person.objects.filter(enterprise__in=enterprises.values("id")), on)
    people = list(staff)
    covered_certs: dict[tuple[int, str], bool] = defaultdict(bool)
    region_of = {p.pk: rows[p.enterprise_id].region_code for p in people}
    for cert in Certificate.objects.filter(person__in=staff.values("id"), issued_on__lte=on):
        state = standing(cert, on, book, region_of[cert.person_id]).state
        covered_certs[(cert.person_id, cert.kind)] |= state in COVERED_STATES
    year_start = on.replace(month=1, day=1)
    hours: dict[int, Decimal] = defaultdict(Decimal)
    trained: set[int] = set()
    for person_id, h in Training.objects.filter(
        person__in=staff.values("id"), result=TrainingResult.PASS, held_on__gte=year_start, held_on__lte=on
    ).values_list("person_id", "hours"):
        hours[person_id] += h
        trained.add(person_id)
    figures: dict[str, TrainingHours | None] = {}
    for person in people:
        row = rows[person.enterprise_id]
        if person.is_special_worker:
            row.shares["special_workers"].add(covered_certs[(person.pk, CertificateKind.SPECIAL_OPERATION)])
        manager = person.is_principal or person.is_safety_manager
        if manager:
            row.shares["managers"].add(covered_certs[(person.pk, CertificateKind.SAFETY_QUALIFICATION)])
        if person.is_team_leader:
            row.shares["team_leaders"].add(person.pk in trained)
        province = row.region_code[:2]
        if province not in figures:
            version = book.at(TRAINING_HOURS, on, row.region_code)
            figures[province] = TrainingHours.model_validate(version.values) if version else None
        rule = figures[province]
        if rule is not None:
            hr = person.enterprise_id in high_risk
            if manager:
                need = rule.manager_yearly_high_risk if hr else rule.manager_yearly
            else:
                need = rule.worker_yearly_high_risk if hr else rule.worker_yearly
            if need > 0:
                row.shares["training_hours"].add(hours[person.pk] >= Decimal(str(need)))
    totals = {m: Share() for m in MEASURES}
    for row in rows.values():
        for m in MEASURES:
            totals[m].covered += row.shares[m].covered
            totals[m].total += row.shares[m].total
    return Coverage(on, totals, list(rows.values()))


def uncovered_enterprises(enterprises: QuerySet[Enterprise], on: dt.date) -> dict[int, float]:
    """Enterprise id → share of its special-operation workers, principal persons and safety managers holding a
    covered certificate on `on`, only for those below 1.0 (for enforcement targeting and the assessment)."""
    result = coverage(enterprises, on)
    out = {}
    for row in result.enterprises:
        share = row.certificate_share
        if share.total and share.covered < share.total:
            out[row.id] = share.covered / share.total
    return out
