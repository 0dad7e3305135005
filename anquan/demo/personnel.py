"""Demo key-post personnel (issue #17 part 1): a few dozen people in 濂溪区's enterprises — principal persons and
safety managers with their assessment certificates, special-operation workers with certificates in every state
(valid, review due soon, review overdue under the old rule, covered by the 2026-06-01 renewal rule, expired),
team leaders and their yearly training."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from anquan.core import audit
from anquan.core.models import AuditAction
from anquan.enterprises.models import Enterprise
from anquan.personnel import idnumber
from anquan.personnel.choices import CertificateKind, TrainingKind, TrainingResult
from anquan.personnel.models import Certificate, Person, Training
from anquan.personnel.validity import RuleBook, schedule

from .names import GIVEN, SURNAMES

JOBS = ("1.2", "2.1", "3.1", "9.1", "9.16", "1.1")


def _id(rng: random.Random, n: int) -> str:
    born = dt.date(1965, 1, 1) + dt.timedelta(days=rng.randrange(0, 30 * 365))
    body = f"360402{born:%Y%m%d}{n % 1000:03d}"
    return body + idnumber.check_digit(body)


def build_personnel(rng: random.Random | None = None, enterprises: int = 6) -> int:
    """People for the first `enterprises` enterprises of 濂溪区 (the demo enterprise first); returns how many."""
    rng = rng or random.Random(17)
    today = timezone.localdate()
    book = RuleBook()
    firms = list(
        Enterprise.objects.filter(region_code__startswith="360402").order_by("-name")[: enterprises * 3]
    )
    firms = sorted(firms, key=lambda e: e.name != "江西化工集团九江有限公司")[:enterprises]
    people: list[Person] = []
    certs: list[Certificate] = []
    trainings: list[tuple[Person, str, Decimal]] = []
    n = 0

    def add(enterprise, **posts) -> Person:
        nonlocal n
        n += 1
        number = _id(rng, n)
        p = Person(
            enterprise=enterprise,
            name=rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
            id_number_encrypted=idnumber.encrypt(number),
            id_hash=idnumber.id_hash(number),
            id_masked=idnumber.mask(number),
            hired_on=today - dt.timedelta(days=rng.randrange(200, 4000)),
            **posts,
        )
        p.save()
        people.append(p)
        return p

    def cert(p, issued: dt.date, *, kind=CertificateKind.SPECIAL_OPERATION, job="1.2", years=6):
        expires = issued.replace(year=issued.year + years) - dt.timedelta(days=1)
        c = Certificate(
            person=p,
            kind=kind,
            number=f"DEMO{len(certs) + 1:06d}",
            issuing_authority="九江市应急管理局",
            issued_on=issued,
            expires_on=expires,
        )
        if kind == CertificateKind.SPECIAL_OPERATION:
            c.category_code, c.job_code = job.split(".")[0], job
            c.job_name = {j: name for j, (_c, name) in _jobs(book).items()}[job]
        schedule(c, book)
        certs.append(c)

    for i, firm in enumerate(firms):
        principal = add(firm, is_principal=True)
        cert(principal, today - dt.timedelta(days=400), kind=CertificateKind.SAFETY_QUALIFICATION, years=3)
        manager = add(firm, is_safety_manager=True)
        if i % 3 != 2:  # every third enterprise's safety manager holds no certificate
            cert(manager, today - dt.timedelta(days=800), kind=CertificateKind.SAFETY_QUALIFICATION, years=3)
        for p in (principal, manager):
            trainings.append((p, TrainingKind.YEARLY, Decimal(16 if i % 2 == 0 else 8)))
        for k in range(4):
            worker = add(firm, is_special_worker=True)
            job = JOBS[(i + k) % len(JOBS)]
            if k == 0:
                cert(worker, today - dt.timedelta(days=300), job=job)  # valid
            elif k == 1 and i % 2 == 0:
                cert(worker, dt.date(2023, 5, 30), job=job)  # review fell due 2026-05-30: overdue
            elif k == 1:
                cert(
                    worker, dt.date(2023, 6, 2), job=job
                )  # review fell due 2026-06-02: renewal rule, covered
            elif k == 2 and i % 3 == 0:
                cert(worker, today - dt.timedelta(days=6 * 365 - 20), job=job)  # expiring soon
            elif k == 2:
                cert(worker, today - dt.timedelta(days=6 * 365 + 30), job=job)  # expired
            else:
                cert(worker, today - dt.timedelta(days=3 * 365 - 30), job=job)  # review soon or renewal
        leader = add(firm, is_team_leader=True)
        if i % 2 == 0:
            trainings.append((leader, TrainingKind.YEARLY, Decimal(20)))
    Certificate.objects.bulk_create(certs)
    _trainings(trainings, today)
    audit.record_many(AuditAction.CREATE, people, actor="demo", comment="演示数据")
    return len(people)


def _trainings(trainings: list, today: dt.date) -> None:
    Training.objects.bulk_create(
        [
            Training(
                person=p,
                course="年度安全生产再培训",
                kind=kind,
                hours=hours,
                held_on=today.replace(month=1, day=15) if today.month > 1 else today,
                result=TrainingResult.PASS,
                provider="九江市安全生产培训中心",
            )
            for p, kind, hours in trainings
        ]
    )


def _jobs(book: RuleBook) -> dict[str, tuple[str, str]]:
    from anquan.personnel.services import catalogue_jobs

    return catalogue_jobs(book, timezone.localdate())
