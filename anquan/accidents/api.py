from decimal import Decimal

from ninja import File, Query, Router, Schema, Status
from ninja.files import UploadedFile

from anquan.accounts.scope import get_in_scope, restrict, within
from anquan.core.errors import FieldError, ValidationFailed
from anquan.core.idempotency import key_from, run_once
from anquan.regions.models import Region

from . import actions, grading, stats
from .choices import Action
from .models import Accident

router = Router(tags=["accidents"])
stats_router = Router(tags=["statistics"])
tools_router = Router(tags=["tools"])


class AccidentIn(Schema):
    """Enterprise by USCC or region by code; category by GB 6441 code of the edition in force on the date
    (GB 6441-1986 "01"–"20" before 2026-07-01, GB 6441-2025 "WSA1xxxx" from then on)."""

    occurred_at: str
    enterprise: str | None = None
    region: str | None = None
    address: str | None = None
    industry: str | None = None
    category: str
    window: str | None = None
    deaths: int = 0
    missing: int = 0
    serious_injuries: int = 0
    minor_injuries: int = 0
    direct_loss_yuan: Decimal = Decimal(0)
    summary: str
    idempotency_key: str | None = None


class TransitionIn(Schema):
    action: str
    to_level: str | None = None
    reported_at: str | None = None
    changed_at: str | None = None
    deaths: int | None = None
    missing: int | None = None
    serious_injuries: int | None = None
    minor_injuries: int | None = None
    direct_loss_yuan: Decimal | None = None
    team: str | None = None
    lead_authority: str | None = None
    days: int | None = None
    reason: str | None = None
    report_text: str | None = None
    causes: str | None = None
    responsibility: str | None = None
    recommended_penalties: str | None = None
    comment: str | None = None


class GradeIn(Schema):
    deaths: int
    serious_injuries: int
    direct_loss_yuan: Decimal
    missing: int | None = None
    count_missing_as_deaths: bool = False


def _scoped(request):
    return restrict(Accident, request.user).select_related(
        "region", "enterprise", "industry", "category", "category__maps_to"
    )


def out(a: Accident, detail: bool = False) -> dict:
    body = {
        "id": a.id,
        "occurred_at": a.occurred_at.isoformat(),
        "region": a.region.code,
        "region_name": a.region.full_name,
        "address": a.address,
        "enterprise": a.enterprise.uscc if a.enterprise_id else None,
        "enterprise_name": a.enterprise.name if a.enterprise_id else None,
        "industry": a.industry.code if a.industry_id else None,
        "category": a.category.code,
        "category_name": a.category.name,
        "category_edition": a.category.edition,
        "category_1986": a.category.kind_1986.name,
        "window": a.window,
        "deaths": a.deaths,
        "missing": a.missing,
        "serious_injuries": a.serious_injuries,
        "minor_injuries": a.minor_injuries,
        "direct_loss_yuan": str(a.direct_loss_yuan),
        "grade": a.grade,
        "grade_label": grading.LABELS[a.grade],
        "summary": a.summary,
        "status": a.status,
        "investigation_due": a.investigation_due.isoformat() if a.investigation_due else None,
        "investigation_overdue": a.investigation_overdue,
    }
    if detail:
        body["reports"] = [
            {
                "from_level": r.from_level,
                "to_level": r.to_level,
                "due_at": r.due_at.isoformat(),
                "reported_at": r.reported_at.isoformat() if r.reported_at else None,
                "on_time": r.on_time,
            }
            for r in a.reports.all()
        ]
        body["photos"] = [
            {"id": p.id, "name": p.name, "content_type": p.content_type} for p in a.photos.all()
        ]
        body.update(
            lead_authority=a.lead_authority,
            team=a.team,
            report_text=a.report_text,
            causes=a.causes,
            responsibility=a.responsibility,
            recommended_penalties=a.recommended_penalties,
        )
    return body


@router.get("", response=dict)
def list_accidents(
    request,
    region: str | None = None,
    grade: str | None = None,
    date_from: str | None = Query(None, alias="from"),
    date_to: str | None = Query(None, alias="to"),
    limit: int = 50,
    offset: int = 0,
):
    qs = _scoped(request)
    if region:
        node = Region.objects.filter(code=region).first()
        qs = qs.filter(within(node.prefix)) if node else qs.none()
    if grade:
        qs = qs.filter(grade=grade)
    if date_from or date_to:
        period = stats.parse_period(date_from, date_to)
        qs = qs.filter(occurred_at__date__gte=period.start, occurred_at__date__lte=period.end)
    count = qs.count()
    offset, limit = max(0, offset), max(1, min(limit, 500))
    return {"items": [out(a) for a in qs[offset : offset + limit]], "count": count}


@router.post("", response={201: dict})
def create_accident(request, payload: AccidentIn):
    def create():
        raw = payload.dict()
        raw.pop("idempotency_key", None)
        accident = actions.report_accident(raw, actor=request.user)
        return 201, out(_scoped(request).get(pk=accident.pk), detail=True)

    status, body = run_once(request, "accidents.create", key_from(request, payload.idempotency_key), create)
    return Status(status, body)


@router.get("/{accident_id}", response=dict)
def get_accident(request, accident_id: int):
    return out(get_in_scope(_scoped(request), request.user, pk=accident_id), detail=True)


@router.get("/{accident_id}/events", response=dict)
def accident_events(request, accident_id: int):
    accident = get_in_scope(_scoped(request), request.user, pk=accident_id)
    items = [
        {
            "action": e.action,
            "from_status": e.from_status,
            "to_status": e.to_status,
            "actor": e.actor_label,
            "at": e.at.isoformat(),
            "comment": e.comment,
            "data": e.data,
        }
        for e in accident.events.all()
    ]
    return {"items": items, "count": len(items)}


@router.post("/{accident_id}/photos", response={201: dict})
def upload_photo(request, accident_id: int, file: File[UploadedFile]):
    """A photo or document of the scene (multipart, checked by content)."""
    accident = get_in_scope(_scoped(request), request.user, pk=accident_id)
    photo = actions.add_photo(accident, file, actor=request.user)
    return Status(
        201, {"id": photo.id, "name": photo.name, "content_type": photo.content_type, "size": photo.size}
    )


@router.post("/{accident_id}/transitions", response=dict)
def move_accident(request, accident_id: int, payload: TransitionIn):
    accident = get_in_scope(_scoped(request), request.user, pk=accident_id)
    fields = payload.dict(exclude_none=True)
    action = fields.pop("action")
    step = actions.TRANSITIONS.get(action)
    if step is None:
        raise ValidationFailed(
            [
                FieldError(
                    "action", "unknown_action", f"未知操作“{action}”，可选：" + "、".join(actions.TRANSITIONS)
                )
            ]
        )
    try:
        step(accident, actor=request.user, **fields)
    except TypeError as exc:  # a field this step does not take
        raise ValidationFailed(
            [FieldError("action", "unexpected_field", f"“{Action(action).label}”不接受该字段：{exc}")]
        ) from None
    return out(_scoped(request).get(pk=accident_id), detail=True)


@stats_router.get("/accidents", response=dict)
def accident_stats(
    request,
    region: str | None = None,
    date_from: str | None = Query(None, alias="from"),
    date_to: str | None = Query(None, alias="to"),
    group_by: str = "region",
):
    """Counts, deaths, injuries and losses in the period, grouped; with the same period last year, the
    year-on-year change and the bulletin sentence ("1-11月，全市共发生…同比分别下降24.4%、7.1%…")."""
    return stats.compute(request.user, region, date_from, date_to, group_by)


@tools_router.post("/accident-grade", response=dict)
def accident_grade(request, payload: GradeIn):
    """Decree 493 art. 3: the highest grade any of deaths, serious injuries or direct loss reaches.
    Missing persons count with deaths only when `count_missing_as_deaths` is true; they are reported separately."""
    errors = [
        FieldError(name, "negative", f"{label}不能为负数")
        for name, label, value in (
            ("deaths", "死亡人数", payload.deaths),
            ("serious_injuries", "重伤人数", payload.serious_injuries),
            ("direct_loss_yuan", "直接经济损失", payload.direct_loss_yuan),
            ("missing", "失踪人数", payload.missing or 0),
        )
        if value < 0
    ]
    if errors:
        raise ValidationFailed(errors)
    result = grading.grade(
        payload.deaths,
        payload.serious_injuries,
        payload.direct_loss_yuan,
        missing=payload.missing or 0,
        count_missing_as_deaths=payload.count_missing_as_deaths,
    )
    body = {"grade": result.grade, "label": result.label, "reasons": result.reasons}
    if payload.missing is not None:
        body["missing"] = payload.missing
    return body
