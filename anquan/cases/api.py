"""/api/v1/enforcement-cases (+ /transitions, /referrals, /listings), /api/v1/enforcement-referrals and
/api/v1/credit-listings: typed schemas; refusals are field-level and Chinese (422 fields, 409 the law's checks,
403 the wrong role, 404 out of scope)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from ninja import Field, Query, Router, Schema, Status
from pydantic import Field as PydanticField

from anquan.accounts.http import AuthedRequest
from anquan.core.contract import Page, PageParams, page, responses
from anquan.core.scope import get_in_scope, restrict

from . import actions, filters, presenting, related, services
from .choices import Action, ListingCondition, PoliceAnswer, Source
from .measures import Measure
from .models import CreditListing, EnforcementCase, Referral

router = Router(tags=["enforcement"])
MAX_ID = 2_147_483_647
T = actions.TEXT_MAX
ActionName = Literal[tuple(Action.values)]  # type: ignore[valid-type]
Id = Annotated[int, PydanticField(ge=1, le=MAX_ID)]


class PartyIn(Schema):
    name: str = Field(max_length=50, description="当事人（个人）姓名；单位当事人即企业本身")
    position: str | None = Field(None, max_length=50, description="职务，如 主要负责人")


class CaseIn(Schema):
    enterprise: str | None = Field(
        None, max_length=18, description="企业统一社会信用代码（从检查立案时可省略：取被检查企业）"
    )
    source: Literal[tuple(Source.values)] | None = Field(  # type: ignore[valid-type]
        None, description="案件来源（从检查立案时默认 inspection）"
    )
    inspection: int | None = Field(None, ge=1, le=MAX_ID, description="来源检查（从监督检查立案时）")
    violated: str | None = Field(None, max_length=500, description="涉嫌违反的条款")
    hazard: int | None = Field(None, ge=1, le=MAX_ID, description="来源隐患（来源为隐患时）")
    source_note: str | None = Field(None, max_length=200, description="来源说明（检查记录、举报编号等）")
    facts: str = Field(max_length=T, description="违法事实")
    parties: list[PartyIn] | None = Field(None, max_length=services.MAX_PARTIES)
    investigators: list[str] | None = Field(
        None, max_length=20, description="办案人员用户名（2名以上；默认申请人本人，调查终结前须补足）"
    )
    applied_on: dt.date | None = Field(None, description="立案申请日期（默认今天）")


class CaseFilters(Schema):
    stage: str | None = Field(None, max_length=20, description="办案阶段；open = 未结案")
    department: str | None = Field(None, max_length=100, description="执法部门名称")
    enterprise: str | None = Field(None, max_length=18)
    q: str | None = Field(None, max_length=filters.MAX_Q)
    overdue: bool | None = Field(None, description="已超过办案期限")
    due_soon: bool | None = Field(None, description="办案期限即将届满（本人的案件）")
    mine: bool | None = Field(None, description="本人为办案人员")
    todo: str | None = Field(None, max_length=20, description="待办种类（待办中心的链接），如 refer_decide")


class CaseRulesVersionOut(Schema):
    id: int
    effective_from: dt.date
    source: str
    verified: str
    note: str


class PaymentOut(Schema):
    paid_on: dt.date
    amount_yuan: Decimal
    days_late: int
    surcharge_yuan: Decimal


class ExtensionOut(Schema):
    days: int
    level: str
    reason: str


class ReferralOut(Schema):
    id: int
    status: str
    status_label: str
    suspected_crime: str
    officers: list[str]
    persons: list[str] = Field(description="移送的涉嫌犯罪人员")
    person_count: int = Field(description="移送人数")
    proposed_at: dt.datetime
    decision_due: dt.datetime
    decided_at: dt.datetime | None
    decision_late: bool
    transfer_due: dt.datetime | None
    transferred_at: dt.datetime | None
    transfer_late: bool
    police_unit: str
    police_answer: str | None
    answered_on: dt.date | None
    actions: list[str]


class ListingOut(Schema):
    id: int
    case: int
    enterprise: str
    condition: str
    condition_label: str
    status: str
    listed_on: dt.date
    ends_on: dt.date
    removable_from: dt.date
    removed_on: dt.date | None
    rules_version: CaseRulesVersionOut
    actions: list[str]


class CaseDocumentOut(Schema):
    id: int
    kind: str
    kind_label: str = Field(description="文书种类")
    number: str = Field(description="文书编号")
    status: str
    issued_at: dt.datetime
    docx_url: str = Field(description="下载 .docx（API）")
    pdf_url: str = Field(description="下载 PDF（API）")
    page_docx_url: str = Field(description="下载 .docx（网页）")
    page_pdf_url: str = Field(description="下载 PDF（网页）")


class CaseOut(Schema):
    id: int
    number: str = Field(description="立案编号（按执法部门、年度顺序编号）")
    status: str
    status_label: str
    unit: str = Field(description="执法部门（执法主体）")
    enterprise: str
    enterprise_name: str
    source: str
    hazard: int | None
    inspection: int | None = Field(description="来源检查")
    violated: str = Field(description="涉嫌违反的条款")
    facts: str
    parties: list[dict[str, str]]
    investigators: list[str]
    applied_on: dt.date
    opened_on: dt.date | None
    rules_version: CaseRulesVersionOut | None = Field(description="立案之日施行的程序规则版本")
    time_limit_days: int | None
    extended_days: int
    deadline: dt.date | None
    days_left: int | None = Field(description="距办案期限的天数（负数为超期）")
    countdown: str = Field(description="剩余 N 天 / 超期 N 天")
    notified_on: dt.date | None
    statement_window_ends: dt.date | None
    hearing_right: bool = Field(description="拟处罚适用听证（行政处罚法第六十三条）：告知书应告知听证权")
    hearing_requested: bool
    waived: bool
    legal_review_required: bool
    legal_review_on: dt.date | None
    discussion_on: dt.date | None
    proposed_measures: list[dict[str, Any]]
    decided_on: dt.date | None
    measures: list[dict[str, Any]]
    fine_total_yuan: Decimal
    delivered_on: dt.date | None
    delivery_method: str
    payment_due: dt.date | None
    paid_yuan: Decimal
    payments: list[PaymentOut]
    extensions: list[ExtensionOut]
    daily_penalty_days: int
    daily_penalty_yuan: Decimal
    court_applied_on: dt.date | None
    closed_on: dt.date | None
    referrals: list[ReferralOut]
    listings: list[ListingOut]
    documents: list[CaseDocumentOut] = Field(description="本案（含移送）已签发的执法文书")
    actions: list[str] = Field(description="当前用户现在可以执行的操作")


class CaseRow(Schema):
    id: int
    number: str
    status: str
    status_label: str
    unit: str
    enterprise: str
    enterprise_name: str
    opened_on: dt.date | None
    deadline: dt.date | None
    countdown: str
    fine_total_yuan: Decimal


class CaseTransitionIn(Schema):
    """`action` and the fields that step takes (any other field is refused with 422 unexpected_field)."""

    action: ActionName  # type: ignore[valid-type]
    comment: str | None = Field(None, max_length=T)
    reason: str | None = Field(None, max_length=T)
    opened_on: dt.date | None = Field(None, description="批准立案：立案日期（默认今天）")
    investigators: list[str] | None = Field(None, max_length=20)
    days: int | None = Field(None, ge=1, le=3650)
    level: Literal["head", "above"] | None = None
    report: str | None = Field(None, max_length=T)
    notified_on: dt.date | None = None
    measures: list[Measure] | None = Field(None, max_length=20)
    flag_public_interest: bool | None = None
    flag_complex: bool | None = None
    flag_other_law: bool | None = None
    flag_serious: bool | None = None
    statement_on: dt.date | None = None
    statement: str | None = Field(None, max_length=T)
    hearing_requested: bool | None = None
    waived: bool | None = None
    waiver_note: str | None = Field(None, max_length=300)
    hearing_notice_on: dt.date | None = None
    hearing_held_on: dt.date | None = None
    reviewed_on: dt.date | None = None
    opinion: str | None = Field(None, max_length=T)
    discussed_on: dt.date | None = None
    note: str | None = Field(None, max_length=T)
    decided_on: dt.date | None = None
    delivered_on: dt.date | None = None
    method: Literal["in_person", "left", "post", "electronic", "notice"] | None = None
    paid_on: dt.date | None = None
    amount_yuan: Decimal | None = Field(None, gt=0, le=100_000_000)
    from_date: dt.date | None = None
    applied_on: dt.date | None = None
    closed_on: dt.date | None = None


class ReferralIn(Schema):
    officers: list[str] = Field(max_length=20, description="专案组执法人员用户名（2名以上）")
    persons: list[str] = Field(max_length=50, description="移送的涉嫌犯罪人员姓名（至少1人）")
    suspected_crime: str = Field(max_length=200, description="涉嫌罪名")
    reason: str = Field(max_length=T, description="移送理由")
    proposed_at: dt.datetime | None = Field(None, description="提出移送的时间（默认现在）")


class ReferralTransitionIn(Schema):
    action: Literal["approve", "decline", "transfer", "answer"]
    decided_at: dt.datetime | None = None
    reason: str | None = Field(None, max_length=T)
    transferred_at: dt.datetime | None = None
    police_unit: str | None = Field(None, max_length=100)
    answer: Literal[tuple(PoliceAnswer.values)] | None = None  # type: ignore[valid-type]
    answered_on: dt.date | None = None
    note: str | None = Field(None, max_length=T)


class ListingIn(Schema):
    condition: Literal[tuple(ListingCondition.values)]  # type: ignore[valid-type]
    reason: str = Field(max_length=T)
    listed_on: dt.date | None = None


class ListingTransitionIn(Schema):
    action: Literal["remove", "expire"]
    removed_on: dt.date | None = None
    reason: str | None = Field(None, max_length=T)


def _case(request: AuthedRequest, case_id: int) -> EnforcementCase:
    case: EnforcementCase = get_in_scope(
        EnforcementCase.objects.select_related(*presenting.RELATED), request.user, pk=case_id
    )
    return case


@router.get("/enforcement-cases", response=responses(Page[CaseRow]))
def list_cases(
    request: AuthedRequest, params: Query[CaseFilters], paging: Query[PageParams]
) -> dict[str, Any]:
    qs = filters.cases(request.user, params.dict(exclude_none=True))
    return page(qs, paging, presenting.row)


@router.post("/enforcement-cases", response=responses({201: CaseOut}, 400, 403, 404, 415))
def open_case(request: AuthedRequest, payload: CaseIn) -> Status[dict[str, Any]]:
    raw = payload.dict(exclude_none=True)
    case = services.open_case(raw, actor=request.user)
    return Status(201, presenting.detail(_case(request, case.pk), request.user))


@router.get("/enforcement-cases/{case_id}", response=responses(CaseOut, 404))
def get_case(request: AuthedRequest, case_id: Id) -> dict[str, Any]:
    return presenting.detail(_case(request, case_id), request.user)


@router.post("/enforcement-cases/{case_id}/transitions", response=responses(CaseOut, 400, 403, 404, 409, 415))
def move_case(request: AuthedRequest, payload: CaseTransitionIn, case_id: Id) -> dict[str, Any]:
    case = _case(request, case_id)
    fields = payload.dict(exclude_none=True)
    action = fields.pop("action")
    actions.transition(case, action, actor=request.user, **fields)
    return presenting.detail(_case(request, case_id), request.user)


@router.post(
    "/enforcement-cases/{case_id}/referrals", response=responses({201: ReferralOut}, 400, 403, 404, 409, 415)
)
def propose_referral(request: AuthedRequest, payload: ReferralIn, case_id: Id) -> Status[dict[str, Any]]:
    referral = related.propose_referral(
        _case(request, case_id), payload.dict(exclude_none=True), actor=request.user
    )
    return Status(201, presenting.referral(referral, request.user))


@router.post(
    "/enforcement-referrals/{referral_id}/transitions",
    response=responses(ReferralOut, 400, 403, 404, 409, 415),
)
def move_referral(request: AuthedRequest, payload: ReferralTransitionIn, referral_id: Id) -> dict[str, Any]:
    referral = get_in_scope(Referral, request.user, pk=referral_id)
    fields = payload.dict(exclude_none=True)
    action = fields.pop("action")
    return presenting.referral(
        related.move_referral(referral, action, actor=request.user, **fields), request.user
    )


@router.get("/credit-listings", response=responses(Page[ListingOut]))
def list_listings(request: AuthedRequest, paging: Query[PageParams]) -> dict[str, Any]:
    qs = restrict(CreditListing, request.user).select_related("case__enterprise", "rules_version")
    return page(qs.order_by("-listed_on", "-id"), paging, lambda x: presenting.listing(x, request.user))


@router.post(
    "/enforcement-cases/{case_id}/listings", response=responses({201: ListingOut}, 400, 403, 404, 409, 415)
)
def list_enterprise(request: AuthedRequest, payload: ListingIn, case_id: Id) -> Status[dict[str, Any]]:
    listing = related.list_enterprise(
        _case(request, case_id), payload.dict(exclude_none=True), actor=request.user
    )
    return Status(201, presenting.listing(listing, request.user))


@router.post(
    "/credit-listings/{listing_id}/transitions", response=responses(ListingOut, 400, 403, 404, 409, 415)
)
def move_listing(request: AuthedRequest, payload: ListingTransitionIn, listing_id: Id) -> dict[str, Any]:
    listing = get_in_scope(CreditListing, request.user, pk=listing_id)
    fields = payload.dict(exclude_none=True)
    action = fields.pop("action")
    return presenting.listing(
        related.move_listing(listing, action, actor=request.user, **fields), request.user
    )
