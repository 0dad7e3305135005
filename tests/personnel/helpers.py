"""Building key-post personnel rows for tests (straight to the tables: the services are tested on their own)."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from anquan.personnel import idnumber
from anquan.personnel.choices import CertificateKind, TrainingResult
from anquan.personnel.models import POST_FIELDS, Certificate, Person, Training
from anquan.personnel.validity import RuleBook, schedule

_serial = itertools.count(1)


def make_id(serial: int | None = None, born: str = "19850101") -> str:
    """A valid ID number of a person born in 濂溪区 (360402)."""
    n = next(_serial) if serial is None else serial
    body = f"360402{born}{n % 1000:03d}"
    return body + idnumber.check_digit(body)


def person(enterprise, name, *posts, hired_on=None, left_on=None) -> Person:
    number = make_id()
    row = Person(
        enterprise=enterprise,
        name=name,
        id_number_encrypted=idnumber.encrypt(number),
        id_hash=idnumber.id_hash(number),
        id_masked=idnumber.mask(number),
        hired_on=hired_on,
        left_on=left_on,
        **{POST_FIELDS[p]: True for p in posts},
    )
    row.save()
    return row


def certificate(
    who, issued: str, expires: str, *, job="1.2", kind=CertificateKind.SPECIAL_OPERATION, reviews=()
):
    cert = Certificate(
        person=who,
        kind=kind,
        category_code=job.split(".")[0] if kind == CertificateKind.SPECIAL_OPERATION else "",
        job_code=job if kind == CertificateKind.SPECIAL_OPERATION else "",
        number=f"T{next(_serial):08d}",
        issuing_authority="九江市应急管理局",
        issued_on=dt.date.fromisoformat(issued),
        expires_on=dt.date.fromisoformat(expires),
        reviews=list(reviews),
    )
    schedule(cert, RuleBook())
    cert.save()
    return cert


def training(who, held_on: str, hours, *, kind="yearly", result=TrainingResult.PASS) -> Training:
    return Training.objects.create(
        person=who,
        course="年度安全再培训",
        kind=kind,
        hours=Decimal(str(hours)),
        held_on=dt.date.fromisoformat(held_on),
        result=result,
    )
