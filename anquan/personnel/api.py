"""/api/v1/personnel, /api/v1/certificates, /api/v1/trainings and /api/v1/stats/certificates (issue #17 item 7):
key-post people, their certificates and training records in scope; writes by the enterprise's own managers
(bearer tokens), 422 with each field's Chinese message, 403 for a role that may not write, 404 out of scope."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from anquan.accounts.http import AuthedRequest
from anquan.core.contract import Page, PageParams, page, responses
from anquan.core.scope import get_in_scope, restrict
from anquan.standards.schemas import Id, RegionCode

from . import filters, services
from .models import Certificate, Person, Training
from .stats import MEASURE_LABELS, Share
from .validity import RuleBook, standing

router = Router(tags=["三项岗位人员"])
stats_router = Router(tags=["三项岗位人员"])

PersonnelPost = Literal["principal", "safety_manager", "special_worker", "team_leader", "other"]
PersonnelCertificateKind = Literal["special_operation", "safety_qualification"]
PersonnelCertificateState = Literal["valid", "review_due", "review_overdue", "expiring", "expired"]
PersonnelTrainingKind = Literal["initial", "yearly", "retraining", "plant", "workshop", "team"]
PersonnelTrainingResult = Literal["pass", "fail"]


class PersonIn(Schema):
    enterprise: str | None = Field(None, max_length=18, description="企业统一社会信用代码；企业用户可省略")
    name: str = Field(max_length=50)
    id_number: str = Field(max_length=20, description="18位公民身份号码（GB 11643-1999校验位）")
    posts: list[PersonnelPost] = Field(min_length=1, max_length=5)
    hired_on: dt.date | None = None
    left_on: dt.date | None = None
    phone: str = Field("", max_length=20)


class PersonPatch(Schema):
    name: str | None = Field(None, max_length=50)
    id_number: str | None = Field(None, max_length=20)
    posts: list[PersonnelPost] | None = Field(None, min_length=1, max_length=5)
    hired_on: dt.date | None = None
    left_on: dt.date | None = None
    phone: str | None = Field(None, max_length=20)


class PersonOut(Schema):
    id: int
    enterprise: str = Field(description="USCC")
    enterprise_name: str
    name: str
    id_number: str = Field(description="本企业和监管部门可见全号，其他用户为掩码")
    posts: list[str]
    hired_on: dt.date | None
    left_on: dt.date | None
    phone: str
    created_at: dt.datetime
    updated_at: dt.datetime


class PersonFilters(Schema):
    enterprise: str | None = Field(None, max_length=200, description="USCC或企业名称")
    region: RegionCode | None = None
    post: PersonnelPost | None = None
    state: PersonnelCertificateState | None = Field(None, description="持有处于该状态的证书")


class CertificateIn(Schema):
    person: Id
    kind: PersonnelCertificateKind
    job_code: str = Field("", max_length=10, description="特种作业目录工种代码，如1.2")
    number: str = Field(max_length=40)
    issuing_authority: str = Field(max_length=100)
    issued_on: dt.date
    expires_on: dt.date
    review_extended: bool = False
    reviews: list[dt.date] = Field(default_factory=list, max_length=10)


class CertificateOut(Schema):
    id: int
    person: int
    person_name: str
    enterprise: str
    kind: str
    kind_label: str
    category_code: str
    job_code: str
    job_name: str
    number: str
    issuing_authority: str
    issued_on: dt.date
    expires_on: dt.date
    reviews: list[dt.date]
    state: str
    state_label: str
    review_due_on: dt.date | None
    basis: str


class CertificateFilters(Schema):
    person: Id | None = None
    state: PersonnelCertificateState | None = None
    expires_before: dt.date | None = None


class TrainingIn(Schema):
    person: Id
    course: str = Field(max_length=200)
    kind: PersonnelTrainingKind
    hours: Decimal = Field(gt=0, le=1000, decimal_places=1)
    held_on: dt.date
    result: PersonnelTrainingResult
    provider: str = Field("", max_length=200)


class TrainingOut(Schema):
    id: int
    person: int
    course: str
    kind: str
    hours: float
    held_on: dt.date
    result: str
    provider: str


class CertificateStatsParams(Schema):
    region: RegionCode | None = Field(None, description="默认调用者所在区域；管辖范围外为404")
    industry: str | None = Field(None, max_length=40, description="行业代码")
    on: dt.date | None = Field(None, description="默认今天")


class CoverageShareOut(Schema):
    measure: str
    label: str
    covered: int
    total: int
    rate: float | None


class CoverageEnterpriseOut(Schema):
    enterprise_id: int
    name: str
    region: str
    shares: list[CoverageShareOut]


class CertificateStatsOut(Schema):
    region: str
    region_name: str
    on: dt.date
    totals: list[CoverageShareOut]
    below: list[CoverageEnterpriseOut] = Field(description="未达100%的企业")


def person_out(p: Person, user: Any) -> dict[str, Any]:
    return {
        "id": p.pk,
        "enterprise": p.enterprise.uscc,
        "enterprise_name": p.enterprise.name,
        "name": p.name,
        "id_number": services.reveal_id(p, user),
        "posts": p.posts,
        "hired_on": p.hired_on,
        "left_on": p.left_on,
        "phone": p.phone,
        "created_at": p.created_at,
        "updated_at": p.updated_at,
    }


def certificate_out(c: Certificate, book: RuleBook | None = None) -> dict[str, Any]:
    now = standing(c, timezone.localdate(), book or RuleBook(), c.person.enterprise.region_code)
    return {
        "id": c.pk,
        "person": c.person_id,
        "person_name": c.person.name,
        "enterprise": c.person.enterprise.uscc,
        **{f: getattr(c, f) for f in ("kind", "category_code", "job_code", "job_name", "number")},
        "kind_label": str(c.get_kind_display()),
        "issuing_authority": c.issuing_authority,
        "issued_on": c.issued_on,
        "expires_on": c.expires_on,
        "reviews": c.review_dates,
        "state": now.state.value,
        "state_label": str(now.state.label),
        "review_due_on": now.review_due_on,
        "basis": now.basis,
    }


def training_out(t: Training) -> dict[str, Any]:
    return {
        "id": t.pk,
        "person": t.person_id,
        "course": t.course,
        "kind": t.kind,
        "hours": float(t.hours),
        "held_on": t.held_on,
        "result": t.result,
        "provider": t.provider,
    }


@router.get("/personnel", response=responses(Page[PersonOut]))
def list_people(
    request: AuthedRequest, filters_: Query[PersonFilters], paging: Query[PageParams]
) -> dict[str, Any]:
    qs = filters.people(
        request.user,
        enterprise=filters_.enterprise or "",
        region=filters_.region or "",
        post=filters_.post or "",
        state=filters_.state or "",
    )
    return page(qs, paging, lambda p: person_out(p, request.user))


@router.post("/personnel", response=responses({201: PersonOut}, 400, 403, 415))
def create_person(request: AuthedRequest, payload: PersonIn) -> Status[dict[str, Any]]:
    enterprise = services.resolve_enterprise(payload.enterprise, request.user)
    data = services.PersonInput(
        enterprise=enterprise,
        name=payload.name,
        id_number=payload.id_number,
        posts=list(payload.posts),
        hired_on=payload.hired_on,
        left_on=payload.left_on,
        phone=payload.phone,
    )
    person = services.save_person(request.user, data)
    return Status(201, person_out(person, request.user))


@router.get("/personnel/{person_id}", response=responses(PersonOut, 404))
def get_person(request: AuthedRequest, person_id: Id) -> dict[str, Any]:
    return person_out(
        get_in_scope(Person.objects.select_related("enterprise"), request.user, pk=person_id), request.user
    )


@router.patch("/personnel/{person_id}", response=responses(PersonOut, 400, 403, 404, 415))
def update_person(request: AuthedRequest, person_id: Id, payload: PersonPatch) -> dict[str, Any]:
    """Change the fields sent; an ID number left out keeps the stored one."""
    person = get_in_scope(Person.objects.select_related("enterprise"), request.user, pk=person_id)
    sent = payload.dict(exclude_unset=True)
    data = services.PersonInput(
        enterprise=person.enterprise,
        name=sent.get("name") or person.name,
        id_number=sent.get("id_number") or "",
        posts=list(sent.get("posts") or person.posts),
        hired_on=sent["hired_on"] if "hired_on" in sent else person.hired_on,
        left_on=sent["left_on"] if "left_on" in sent else person.left_on,
        phone=sent["phone"] if sent.get("phone") is not None else person.phone,
    )
    services.save_person(request.user, data, person)
    return person_out(person, request.user)


@router.get("/certificates", response=responses(Page[CertificateOut]))
def list_certificates(
    request: AuthedRequest, filters_: Query[CertificateFilters], paging: Query[PageParams]
) -> dict[str, Any]:
    qs = restrict(Certificate, request.user).select_related("person__enterprise")
    if filters_.person:
        qs = qs.filter(person_id=filters_.person)
    if filters_.expires_before:
        qs = qs.filter(expires_on__lt=filters_.expires_before)
    if filters_.state:
        qs = qs.filter(pk__in=filters.certificates_in_state(qs, filters_.state))
    book = RuleBook()
    return page(qs, paging, lambda c: certificate_out(c, book))


@router.post("/certificates", response=responses({201: CertificateOut}, 400, 403, 404, 415))
def create_certificate(request: AuthedRequest, payload: CertificateIn) -> Status[dict[str, Any]]:
    person = get_in_scope(Person.objects.select_related("enterprise"), request.user, pk=payload.person)
    data = services.CertificateInput(
        kind=payload.kind,
        number=payload.number,
        issuing_authority=payload.issuing_authority,
        issued_on=payload.issued_on,
        expires_on=payload.expires_on,
        job_code=payload.job_code,
        review_extended=payload.review_extended,
        reviews=list(payload.reviews),
    )
    cert = services.add_certificate(request.user, person, data)
    return Status(201, certificate_out(cert))


@router.get("/certificates/{certificate_id}", response=responses(CertificateOut, 404))
def get_certificate(request: AuthedRequest, certificate_id: Id) -> dict[str, Any]:
    qs = Certificate.objects.select_related("person__enterprise")
    return certificate_out(get_in_scope(qs, request.user, pk=certificate_id))


@router.get("/trainings", response=responses(Page[TrainingOut]))
def list_trainings(
    request: AuthedRequest, paging: Query[PageParams], person: Id | None = None
) -> dict[str, Any]:
    qs = restrict(Training, request.user)
    if person:
        qs = qs.filter(person_id=person)
    return page(qs, paging, training_out)


@router.post("/trainings", response=responses({201: TrainingOut}, 400, 403, 404, 415))
def create_training(request: AuthedRequest, payload: TrainingIn) -> Status[dict[str, Any]]:
    person = get_in_scope(Person.objects.select_related("enterprise"), request.user, pk=payload.person)
    data = services.TrainingInput(
        course=payload.course,
        kind=payload.kind,
        hours=payload.hours,
        held_on=payload.held_on,
        result=payload.result,
        provider=payload.provider,
    )
    return Status(201, training_out(services.add_training(request.user, person, data)))


def _shares(shares: dict[str, Share]) -> list[dict[str, Any]]:
    return [
        {"measure": m, "label": MEASURE_LABELS[m], "covered": s.covered, "total": s.total, "rate": s.rate}
        for m, s in shares.items()
    ]


@stats_router.get("/certificates", response=responses(CertificateStatsOut, 404))
def certificate_stats(request: AuthedRequest, params: Query[CertificateStatsParams]) -> dict[str, Any]:
    """Coverage of the key posts in a region (and industry) on a day, and the enterprises below 100 %."""
    result, place = filters.coverage_for(
        request.user, region=params.region, industry=params.industry, on=params.on
    )
    return {
        "region": place.code,
        "region_name": place.name,
        "on": result.on,
        "totals": _shares(result.totals),
        "below": [
            {"enterprise_id": e.id, "name": e.name, "region": e.region_code, "shares": _shares(e.shares)}
            for e in result.below
        ],
    }
