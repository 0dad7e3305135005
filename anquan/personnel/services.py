"""Writes of the key-post personnel: a person (ID number encrypted), a certificate (checked against the catalogue
in force on its issue date), a training record. Each write checks the actor's right through the scope (ADR 0007),
runs in one transaction and is audited."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from anquan.core import audit
from anquan.core.errors import FieldError, NotPermitted, ValidationFailed
from anquan.core.scope import CHANGE, in_scope
from anquan.enterprises.models import Enterprise

from . import idnumber
from .choices import CertificateKind, Post, TrainingKind, TrainingResult
from .models import POST_FIELDS, Certificate, Person, Training
from .rules import CATALOGUE
from .validity import RuleBook, schedule


@dataclass
class PersonInput:
    enterprise: Enterprise
    name: str
    id_number: str  # on an update, "" keeps the stored number
    posts: list[str] = field(default_factory=list)
    hired_on: dt.date | None = None
    left_on: dt.date | None = None
    phone: str = ""


def resolve_enterprise(uscc: str | None, actor: Any) -> Enterprise:
    """Enterprise by USCC (default: the actor's own); a field error when unknown or out of the actor's scope."""
    uscc = (uscc or "").strip().upper()
    if not uscc and getattr(actor, "enterprise_id", None):
        own: Enterprise = actor.enterprise
        return own
    found = Enterprise.objects.filter(uscc=uscc).first() if uscc else None
    if found is None or not in_scope(found, actor):
        message = (
            f"统一社会信用代码为{uscc}的企业不存在或不在您的管辖范围内"
            if uscc
            else "请填写企业统一社会信用代码"
        )
        raise ValidationFailed([FieldError("enterprise", "unknown_enterprise", message)])
    return found


def person_problems(data: PersonInput, *, person: Person | None = None) -> list[FieldError]:
    problems = []
    if not data.name.strip():
        problems.append(FieldError("name", "required", "请填写姓名"))
    number = idnumber.normalise(data.id_number)
    if number or person is None:
        why = idnumber.problem(number) if number else "请填写身份证号码"
        if why:
            problems.append(FieldError("id_number", "invalid", why))
        else:
            duplicate = Person.objects.filter(enterprise=data.enterprise, id_hash=idnumber.id_hash(number))
            if person is not None:
                duplicate = duplicate.exclude(pk=person.pk)
            if duplicate.exists():
                problems.append(FieldError("id_number", "duplicate", "本企业已登记此身份证号码的人员"))
    unknown = [p for p in data.posts if p not in Post.values]
    if unknown or not data.posts:
        problems.append(FieldError("posts", "invalid", "请选择至少一个岗位"))
    if data.hired_on and data.left_on and data.left_on < data.hired_on:
        problems.append(FieldError("left_on", "invalid", "离岗日期不能早于入职日期"))
    return problems


def _apply(person: Person, data: PersonInput) -> None:
    person.enterprise = data.enterprise
    person.name = data.name.strip()
    number = idnumber.normalise(data.id_number)
    if number:
        person.id_number_encrypted = idnumber.encrypt(number)
        person.id_hash = idnumber.id_hash(number)
        person.id_masked = idnumber.mask(number)
    for post, name in POST_FIELDS.items():
        setattr(person, name, post in data.posts)
    person.hired_on, person.left_on, person.phone = data.hired_on, data.left_on, data.phone.strip()
    person.updated_at = timezone.now()


def save_person(actor: Any, data: PersonInput, person: Person | None = None) -> Person:
    """Create (person None) or update a person; NotPermitted outside the actor's enterprise or scope."""
    target = Person(enterprise=data.enterprise)
    if not in_scope(target, actor, CHANGE) or (person is not None and not in_scope(person, actor, CHANGE)):
        raise NotPermitted("只能管理本企业的人员")
    problems = person_problems(data, person=person)
    if problems:
        raise ValidationFailed(problems)
    with transaction.atomic():
        if person is None:
            person = Person()
            _apply(person, data)
            person.save()
            audit.record_create(person, actor=actor)
        else:
            before = audit.snapshot(person)
            _apply(person, data)
            person.save()
            audit.record_update(person, before, actor=actor)
    return person


def reveal_id(person: Person, user: Any) -> str:
    """The full ID number for the enterprise itself and its supervising department; masked for everyone else."""
    role = getattr(user, "role", "")
    if getattr(user, "enterprise_id", None) == person.enterprise_id or role == "department_supervisor":
        return idnumber.decrypt(person.id_number_encrypted)
    return person.id_masked


@dataclass
class CertificateInput:
    kind: str
    number: str
    issuing_authority: str
    issued_on: dt.date | None
    expires_on: dt.date | None
    category_code: str = ""
    job_code: str = ""
    review_extended: bool = False
    reviews: list[dt.date] = field(default_factory=list)


def catalogue_jobs(book: RuleBook, day: dt.date, region_code: str = "") -> dict[str, tuple[str, str]]:
    """job code → (category code, job name) in the catalogue in force on `day`."""
    version = book.at(CATALOGUE, day, region_code)
    if version is None:
        return {}
    return {
        job["code"]: (category["code"], job["name"])
        for category in version.values["categories"]
        for job in category["jobs"]
    }


def certificate_problems(
    data: CertificateInput,
    book: RuleBook,
    region_code: str = "",
    *,
    numbers_taken: set[tuple[str, str]] | None = None,
) -> list[FieldError]:
    problems = []
    if data.kind not in CertificateKind.values:
        problems.append(FieldError("kind", "invalid", "证书种类无效"))
    if not data.number.strip():
        problems.append(FieldError("number", "required", "请填写证书编号"))
    elif numbers_taken is not None and (data.kind, data.number.strip()) in numbers_taken:
        problems.append(FieldError("number", "duplicate", "证书编号重复"))
    elif (
        numbers_taken is None
        and Certificate.objects.filter(kind=data.kind, number=data.number.strip()).exists()
    ):
        problems.append(FieldError("number", "duplicate", "此证书编号已登记"))
    if not data.issuing_authority.strip():
        problems.append(FieldError("issuing_authority", "required", "请填写发证机关"))
    if data.issued_on is None:
        problems.append(FieldError("issued_on", "required", "请填写发证日期"))
    if data.expires_on is None:
        problems.append(FieldError("expires_on", "required", "请填写有效期至"))
    if data.issued_on and data.expires_on and data.expires_on <= data.issued_on:
        problems.append(FieldError("expires_on", "invalid", "有效期至不能早于发证日期"))
    if data.kind == CertificateKind.SPECIAL_OPERATION and data.issued_on:
        jobs = catalogue_jobs(book, data.issued_on, region_code)
        found = jobs.get(data.job_code.strip())
        if found is None:
            problems.append(FieldError("job_code", "unknown", "特种作业目录中没有此工种"))
        elif data.category_code and data.category_code.strip() != found[0]:
            problems.append(FieldError("category_code", "unknown", "工种不属于此作业类别"))
    return problems


def _fill_certificate(cert: Certificate, data: CertificateInput, book: RuleBook, region_code: str) -> None:
    cert.kind, cert.number = data.kind, data.number.strip()
    cert.issuing_authority = data.issuing_authority.strip()
    cert.issued_on, cert.expires_on = data.issued_on, data.expires_on  # type: ignore[assignment]
    cert.review_extended = data.review_extended
    cert.reviews = sorted(d.isoformat() for d in data.reviews)
    if data.kind == CertificateKind.SPECIAL_OPERATION:
        category, name = catalogue_jobs(book, data.issued_on, region_code)[data.job_code.strip()]  # type: ignore[arg-type]
        cert.category_code, cert.job_code, cert.job_name = category, data.job_code.strip(), name
    else:
        cert.category_code = cert.job_code = cert.job_name = ""
    schedule(cert, book, region_code)


def add_certificate(actor: Any, person: Person, data: CertificateInput) -> Certificate:
    if not in_scope(person, actor, CHANGE):
        raise NotPermitted("只能管理本企业人员的证书")
    book = RuleBook()
    region = person.enterprise.region_code
    problems = certificate_problems(data, book, region)
    if problems:
        raise ValidationFailed(problems)
    cert = Certificate(person=person)
    _fill_certificate(cert, data, book, region)
    with transaction.atomic():
        cert.save()
        audit.record_create(cert, actor=actor)
    return cert


def record_review(actor: Any, cert: Certificate, on: dt.date) -> Certificate:
    """A review done (复审) on a day: the certificate's next due date is recomputed."""
    if not in_scope(cert, actor, CHANGE):
        raise NotPermitted("只能管理本企业人员的证书")
    if on < cert.issued_on:
        raise ValidationFailed([FieldError("reviewed_on", "invalid", "复审日期不能早于发证日期")])
    book = RuleBook()
    with transaction.atomic():
        before = audit.snapshot(cert)
        cert.reviews = sorted({*cert.reviews, on.isoformat()})
        schedule(cert, book, cert.person.enterprise.region_code)
        cert.save()
        audit.record_update(cert, before, actor=actor)
    return cert


@dataclass
class TrainingInput:
    course: str
    kind: str
    hours: Decimal | None
    held_on: dt.date | None
    result: str
    provider: str = ""


def training_problems(data: TrainingInput) -> list[FieldError]:
    problems = []
    if not data.course.strip():
        problems.append(FieldError("course", "required", "请填写培训课程"))
    if data.kind not in TrainingKind.values:
        problems.append(FieldError("kind", "invalid", "培训类型无效"))
    if data.hours is None or not (Decimal("0") < data.hours <= Decimal("1000")):
        problems.append(FieldError("hours", "out_of_range", "学时应大于0且不超过1000"))
    if data.held_on is None:
        problems.append(FieldError("held_on", "required", "请填写培训日期"))
    if data.result not in TrainingResult.values:
        problems.append(FieldError("result", "invalid", "请选择考核结果"))
    return problems


def add_training(actor: Any, person: Person, data: TrainingInput) -> Training:
    if not in_scope(person, actor, CHANGE):
        raise NotPermitted("只能管理本企业人员的培训记录")
    problems = training_problems(data)
    if problems or data.hours is None or data.held_on is None:
        raise ValidationFailed(problems)
    training = Training(
        person=person,
        course=data.course.strip(),
        kind=data.kind,
        hours=data.hours,
        held_on=data.held_on,
        result=data.result,
        provider=data.provider.strip(),
    )
    with transaction.atomic():
        training.save()
        audit.record_create(training, actor=actor)
    return training
