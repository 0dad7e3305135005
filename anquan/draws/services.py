"""The draws' writes and reads: a draft, the draw (pools, conflicts, seed, picks), publication, results per pick,
completion, the recomputation anyone may ask for, and declared links. Pages and the API call these; every write
is audited, every status change is a transition of workflow.FLOW."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from anquan.accounts import certificates
from anquan.accounts.models import User
from anquan.core import audit, inputs
from anquan.core.choices import AuditAction
from anquan.core.errors import Conflict, FieldError, NotPermitted, ValidationFailed
from anquan.core.permissions import Perm, Role, has_perm
from anquan.core.scope import CHANGE, in_scope, restrict, within
from anquan.core.workdays import add_working_days
from anquan.enterprises.choices import RiskLevel, Status
from anquan.enterprises.models import Enterprise
from anquan.orgs.models import Department, Industry
from anquan.regions.choices import RegionLevel
from anquan.regions.inputs import region_field
from anquan.regions.models import Region
from anquan.rules.models import RuleVersion
from anquan.rules.services import in_force

from . import drawing, visits
from .choices import Conflict as Why
from .choices import DrawAction, DrawStatus, LinkKind, PickResult
from .models import DeclaredLink, DrawAssignment, DrawPick, RandomDraw
from .rules import KIND
from .workflow import FLOW

MAX_ENTERPRISES = 500
MAX_PER_ENTERPRISE = 10
GOVERNMENT = (RegionLevel.PROVINCE, RegionLevel.CITY, RegionLevel.COUNTY)
WHY_TEXT: dict[str, str] = {
    Why.TOWNSHIP: "本乡镇回避",
    Why.LINK: "利害关系回避",
    Why.REPEAT: "排除期内已检查",
}


# --- rule figures ----------------------------------------------------------------------------------


def figures(on: dt.date, region_code: str) -> RuleVersion:
    """The rule version of the publication deadline and the default repeat period in force on `on`."""
    return in_force(KIND, on=on, region_code=region_code)


# --- a draft ---------------------------------------------------------------------------------------


def _unit(
    actor: User, raw: dict[str, Any], errors: list[FieldError]
) -> tuple[Region | None, Department | None]:
    region = region_field(
        raw.get("region"), actor, errors, message="执法主体所在地区不存在或不在您的管辖范围内"
    )
    if region is not None and region.level not in GOVERNMENT:
        errors.append(FieldError("region", "invalid", "执法主体应为省、市或县级"))
        region = None
    name = str(raw.get("department") or "").strip()
    department: Department | None
    if actor.department_id:
        department = actor.department
        if name and department is not None and name != department.name:
            errors.append(FieldError("department", "invalid", "只能以本部门的名义组织抽查"))
    else:
        department = Department.objects.filter(name=name).first() if name else None
        if department is None:
            errors.append(FieldError("department", "required", "请选择执法部门"))
    return region, department


def create_draft(raw: dict[str, Any], *, actor: User) -> RandomDraw:
    """A draft draw of the actor's unit (or, for an office, of a department in its region)."""
    if not has_perm(actor, Perm.DRAW_MANAGE):
        raise NotPermitted("只有安委办或行业监管部门可以组织双随机抽查")
    errors: list[FieldError] = []
    title = inputs.text(raw.get("title"), "title", "抽查名称", errors, max_length=100, required=True)
    region, department = _unit(actor, raw, errors)
    pool_code = str(raw.get("pool_region") or "").strip()
    pool_region = region
    if pool_code and region is not None:
        pool_region = Region.objects.filter(code=pool_code).first()
        if pool_region is None or not region.contains(pool_code):
            errors.append(FieldError("pool_region", "invalid", "抽查范围应在执法主体所在地区之内"))
    industry = None
    if raw.get("industry"):
        industry = Industry.objects.filter(code=str(raw["industry"]).strip()).first()
        if industry is None:
            errors.append(FieldError("industry", "invalid", "行业不存在"))
    risk_level = str(raw.get("risk_level") or "")
    if risk_level and risk_level not in RiskLevel.values:
        errors.append(
            FieldError("risk_level", "invalid", "风险等级应为：" + "、".join(map(str, RiskLevel.labels)))
        )
    key = inputs.boolean(raw.get("key_supervision"), "key_supervision", "重点监管", errors)
    count = inputs.integer(
        raw.get("enterprise_count"), "enterprise_count", "抽取企业数", errors, low=1, high=MAX_ENTERPRISES
    )
    if count is None and not any(e.field == "enterprise_count" for e in errors):
        errors.append(FieldError("enterprise_count", "required", "请填写抽取企业数"))
    per = inputs.integer(
        raw.get("inspectors_per_enterprise"),
        "inspectors_per_enterprise",
        "每家企业的执法人员数",
        errors,
        low=2,
        high=MAX_PER_ENTERPRISE,
    )
    repeat = inputs.integer(raw.get("repeat_days"), "repeat_days", "重复检查排除期", errors, low=0, high=3650)
    seed = inputs.text(raw.get("seed"), "seed", "随机种子", errors, max_length=64)
    lower = inputs.boolean(
        raw.get("include_lower_regions"), "include_lower_regions", "含下级执法人员", errors
    )
    if errors:
        raise ValidationFailed(errors)
    assert region is not None and department is not None and pool_region is not None and count is not None
    version = figures(timezone.localdate(), region.code)
    draw = RandomDraw(
        region=region,
        department=department,
        title=title,
        pool_region=pool_region,
        industry=industry,
        risk_level=risk_level,
        key_supervision=key,
        enterprise_count=count,
        inspectors_per_enterprise=per or 2,
        repeat_days=version.typed.repeat_days if repeat is None else repeat,
        include_lower_regions=True if lower is None else lower,  # left out: the lower regions' too
        rule_version_id=version.id,
        seed=seed,
        created_by=actor,
    )
    draw.region_code = region.code
    if not in_scope(draw, actor, CHANGE):
        raise NotPermitted("只能以本单位的名义组织抽查")
    with transaction.atomic():
        draw.save()
        FLOW.record_event(draw, DrawAction.CREATE, actor=actor, from_status="")
        audit.record(AuditAction.CREATE, draw, actor=actor, after=audit.snapshot(draw))
    return draw


# --- the pools and the conflicts -----------------------------------------------------------------


def enterprise_pool(draw: RandomDraw) -> QuerySet[Enterprise]:
    """Operating enterprises the unit's department supervises in the pool region, narrowed by the filters."""
    qs = Enterprise.objects.filter(
        within(draw.pool_region.prefix), supervising_department_id=draw.department_id, status=Status.OPERATING
    )
    if draw.industry_id:
        qs = qs.filter(industry_id=draw.industry_id)
    if draw.risk_level:
        qs = qs.filter(risk_level=draw.risk_level)
    if draw.key_supervision is not None:
        qs = qs.filter(key_supervision=draw.key_supervision)
    return qs.order_by("pk")


def inspector_pool(draw: RandomDraw, day: dt.date) -> QuerySet[User]:
    """Active inspectors of the unit's department in its region (and below, when the draw says so) holding an
    enforcement certificate valid on `day`."""
    place = within(draw.region.prefix) if draw.include_lower_regions else Q(region_code=draw.region.code)
    return (
        User.objects.filter(place, role=Role.INSPECTOR, is_active=True, department_id=draw.department_id)
        .filter(Exists(certificates.valid_on(day).filter(user=OuterRef("pk"))))
        .select_related("region")
        .order_by("pk")
    )


def _townships(inspectors: list[User], day: dt.date) -> dict[int, set[str]]:
    """Each inspector's own townships (region prefixes): their certificate's home township, and their own region
    when it is a township or a village."""
    own: dict[int, set[str]] = {i.pk: set() for i in inspectors}
    for i in inspectors:
        if i.region is not None and i.region.level >= RegionLevel.TOWNSHIP:
            own[i.pk].add(i.region.code[:9])
    held = certificates.valid_on(day).filter(user__in=inspectors, home_township__isnull=False)
    for user_id, code in held.values_list("user_id", "home_township__code"):
        own[user_id].add(code[:9])
    return own


def find_conflicts(
    draw: RandomDraw, inspectors: list[User], enterprises: list[tuple[int, str]], day: dt.date
) -> list[tuple[int, int, str]]:
    """Every (inspector, enterprise, reason) pair of the pools that may not meet, sorted."""
    pairs: dict[tuple[int, int], str] = {}
    townships = _townships(inspectors, day)
    for inspector, prefixes in townships.items():
        for enterprise, code in enterprises:
            if prefixes and code[:9] in prefixes:
                pairs.setdefault((inspector, enterprise), Why.TOWNSHIP)
    ids = [e for e, _ in enterprises]
    inspector_ids = [i.pk for i in inspectors]
    links = DeclaredLink.objects.filter(inspector_id__in=inspector_ids, enterprise_id__in=ids)
    for inspector, enterprise in links.values_list("inspector_id", "enterprise_id"):
        pairs.setdefault((inspector, enterprise), Why.LINK)
    if draw.repeat_days:
        since = day - dt.timedelta(days=draw.repeat_days)
        for pair in visits.recent(inspector_ids, ids, since, other_than=draw.pk):
            pairs.setdefault(pair, Why.REPEAT)
    return sorted((i, e, str(why)) for (i, e), why in pairs.items())


# --- the steps -------------------------------------------------------------------------------------


def _short_of_inspectors(exc: drawing.TooFewInspectors) -> Conflict:
    name = (
        Enterprise.objects.filter(pk=exc.enterprise).values_list("name", flat=True).first() or exc.enterprise
    )
    why = "、".join(f"{WHY_TEXT[Why(k)]}{n}名" for k, n in sorted(exc.excluded.items()) if n)
    return Conflict(
        "not_enough_inspectors",
        f"企业“{name}”可派的执法人员不足：需要{exc.wanted}名，无利害冲突的只有{exc.eligible}名"
        + (f"（{why}）" if why else "")
        + "；请调整抽取条件或补充持证执法人员",
    )


def draw_now(draw: RandomDraw, *, actor: User, seed: str = "", now: dt.datetime | None = None) -> RandomDraw:
    """Draw: fix the pools, the conflicts and the seed, compute the picks, store them. When an enterprise drawn
    has too few inspectors without a conflict, nothing is stored and the refusal names the enterprise."""
    FLOW.check(draw, DrawAction.DRAW, actor)
    seed = (seed or draw.seed or "").strip() or secrets.token_hex(16)
    if len(seed) > 64:
        raise ValidationFailed([FieldError("seed", "too_long", "随机种子不能超过64个字符")])
    now = now or timezone.now()
    day = timezone.localdate(now)
    enterprises = list(enterprise_pool(draw).values_list("pk", "region_code"))
    inspectors = list(inspector_pool(draw, day))
    conflicts = find_conflicts(draw, inspectors, enterprises, day)
    try:
        result = drawing.compute(
            [e for e, _ in enterprises],
            [i.pk for i in inspectors],
            conflicts,
            draw.enterprise_count,
            draw.inspectors_per_enterprise,
            seed,
        )
    except drawing.TooFewEnterprises as exc:
        raise Conflict(
            "not_enough_enterprises",
            f"符合条件的企业只有{exc.available}家，少于要抽取的{exc.wanted}家",
        ) from None
    except drawing.TooFewInspectors as exc:
        raise _short_of_inspectors(exc) from None
    names = dict(Enterprise.objects.filter(pk__in=[e for e, _ in result]).values_list("pk", "name"))
    people = {i.pk: i.get_full_name() for i in inspectors}
    with transaction.atomic():
        fresh, _ = FLOW.apply(
            draw,
            DrawAction.DRAW,
            actor=actor,
            now=now,
            changes={
                "seed": seed,
                "draw_date": day,
                "enterprise_pool": [e for e, _ in enterprises],
                "inspector_pool": [i.pk for i in inspectors],
                "conflicts": [list(c) for c in conflicts],
                "result": drawing.as_stored(result),
                "results_pending": len(result),
                "drawn_at": now,
                "drawn_by": actor,
            },
            data={"seed": seed, "enterprises": len(enterprises), "inspectors": len(inspectors)},
        )
        for position, (enterprise, chosen) in enumerate(result, start=1):
            pick = DrawPick.objects.create(
                draw=fresh, position=position, enterprise_id=enterprise, enterprise_name=names[enterprise]
            )
            DrawAssignment.objects.bulk_create(
                DrawAssignment(pick=pick, inspector_id=i, inspector_name=people[i], position=n)
                for n, i in enumerate(chosen, start=1)
            )
        audit.record_many(AuditAction.CREATE, list(fresh.picks.all()), actor=actor, comment="双随机抽取")
    return fresh


def transition(draw: RandomDraw, action: str, *, actor: User, **fields: Any) -> RandomDraw:
    """Take `action` (draw | publish | complete) on `draw`: the one entry of pages and API."""
    FLOW.accept_fields(action, {k: v for k, v in fields.items() if v not in (None, "")})
    if action == DrawAction.DRAW:
        return draw_now(draw, actor=actor, seed=str(fields.get("seed") or ""))
    now = timezone.now()
    changes: dict[str, Any] = {}
    if action == DrawAction.PUBLISH:
        changes = {"published_at": now}
    elif action == DrawAction.COMPLETE:
        changes = {"completed_at": now}
    fresh, _ = FLOW.apply(draw, action, actor=actor, changes=changes, now=now)
    return fresh


def may_enter_result(pick: DrawPick, user: User) -> bool:
    """Managers of the unit, and the inspectors drawn for the pick, enter its result once it is published."""
    if pick.draw.status != DrawStatus.PUBLISHED:
        return False
    if has_perm(user, Perm.DRAW_MANAGE) and in_scope(pick.draw, user, CHANGE):
        return True
    return any(a.inspector_id == user.pk for a in pick.assignments.all())


def enter_result(pick: DrawPick, raw: dict[str, Any], *, actor: User) -> DrawPick:
    """The result of one pick's inspection (while the draw is published; correctable until it is completed)."""
    if not in_scope(pick.draw, actor):
        from django.http import Http404

        raise Http404
    if pick.draw.status != DrawStatus.PUBLISHED:
        raise Conflict("invalid_state", "抽查公示后、完成前才能录入检查结果")
    if not may_enter_result(pick, actor):
        raise NotPermitted("只有执法主体的管理人员或被抽中的执法人员可以录入检查结果")
    errors: list[FieldError] = []
    result = str(raw.get("result") or "")
    if result not in PickResult.values:
        errors.append(
            FieldError("result", "invalid", "请选择检查结果：未发现问题、发现问题已责令整改或已立案")
        )
    text = str(raw.get("result_text") or "").strip()
    if len(text) > 200:
        errors.append(FieldError("result_text", "too_long", "结果说明不能超过200字"))
    if result in (PickResult.ORDERED, PickResult.CASE) and not text:
        errors.append(FieldError("result_text", "required", "发现问题时请简要说明"))
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        before = audit.snapshot(pick)
        values = {"result": result, "result_text": text, "result_at": timezone.now(), "result_by": actor}
        open_pick = DrawPick.objects.filter(pk=pick.pk, draw__status=DrawStatus.PUBLISHED)
        # the first result counts down the pending ones once, also when two arrive at the same time
        if open_pick.filter(result="").update(**values) == 1:
            RandomDraw.objects.filter(pk=pick.draw_id).update(results_pending=F("results_pending") - 1)
        elif open_pick.update(**values) != 1:  # a correction, while the draw is still published
            raise Conflict("stale", "抽查状态已被他人改变，请刷新后重试")
        pick.refresh_from_db()
        audit.record(
            AuditAction.UPDATE,
            pick,
            actor=actor,
            before=before,
            after=audit.snapshot(pick),
            comment="录入检查结果",
        )
        FLOW.record_event(
            pick.draw,
            DrawAction.RESULT,
            actor=actor,
            comment=f"{pick.enterprise_name}：{pick.get_result_display()}",
        )
    return pick


def publication_due(pick: DrawPick) -> dt.date | None:
    """The last day a pick's result should be public: N working days after it was entered (the rule version in
    force then; unverified). A result is public as soon as it is entered, so this is what the page states."""
    if pick.result_at is None:
        return None
    day = timezone.localdate(pick.result_at)
    return add_working_days(day, figures(day, pick.draw.region_code).typed.publication_working_days)


# --- recomputation ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recomputation:
    equal: bool
    stored: drawing.Result
    recomputed: drawing.Result


def recompute(draw: RandomDraw) -> Recomputation:
    """The draw computed again from its stored pools, conflicts and seed, compared with the stored picks."""
    if draw.status == DrawStatus.DRAFT:
        raise Conflict("invalid_state", "草稿尚未抽取，无法复核")
    again = drawing.compute(
        draw.enterprise_pool,
        draw.inspector_pool,
        draw.conflicts,
        draw.enterprise_count,
        draw.inspectors_per_enterprise,
        draw.seed,
    )
    picks = draw.picks.prefetch_related("assignments").order_by("position")
    stored = [(p.enterprise_id, sorted(a.inspector_id for a in p.assignments.all())) for p in picks]
    return Recomputation(again == stored and again == drawing.from_stored(draw.result), stored, again)


# --- declared links --------------------------------------------------------------------------------


def may_declare_for(actor: User, inspector: User) -> bool:
    """An inspector declares their own links; a manager of links records them for inspectors in scope."""
    if not has_perm(actor, Perm.LINK_DECLARE) or inspector.role != Role.INSPECTOR:
        return False
    if actor.role == Role.INSPECTOR:
        return actor.pk == inspector.pk
    return restrict(User, actor).filter(pk=inspector.pk).exists() and (
        not actor.department_id or actor.department_id == inspector.department_id
    )


def declare_link(raw: dict[str, Any], *, actor: User) -> DeclaredLink:
    errors: list[FieldError] = []
    name = str(raw.get("inspector") or (actor.username if actor.role == Role.INSPECTOR else "")).strip()
    inspector = User.objects.filter(username=name, role=Role.INSPECTOR).first() if name else None
    if inspector is None:
        errors.append(FieldError("inspector", "invalid", "执法人员不存在"))
    elif not may_declare_for(actor, inspector):
        raise NotPermitted("只能申报本人的利害关系，或为本部门的执法人员登记")
    uscc = str(raw.get("enterprise") or "").strip().upper()
    enterprise = restrict(Enterprise, actor).filter(uscc=uscc).first() if uscc else None
    if enterprise is None:
        errors.append(
            FieldError("enterprise", "invalid", "企业不存在或不在您的管辖范围内（请填写统一社会信用代码）")
        )
    kind = str(raw.get("kind") or "")
    if kind not in LinkKind.values:
        errors.append(FieldError("kind", "invalid", "请选择利害关系类型：亲属任职、曾任职、持股或其他"))
    note = str(raw.get("note") or "").strip()
    if len(note) > 200:
        errors.append(FieldError("note", "too_long", "说明不能超过200字"))
    if kind == LinkKind.OTHER and not note:
        errors.append(FieldError("note", "required", "类型为“其他”时请说明"))
    if errors:
        raise ValidationFailed(errors)
    assert inspector is not None and enterprise is not None
    if DeclaredLink.objects.filter(inspector=inspector, enterprise=enterprise).exists():
        raise Conflict("duplicate", f"已申报过与“{enterprise.name}”的利害关系")
    with transaction.atomic():
        link = DeclaredLink.objects.create(
            inspector=inspector, enterprise=enterprise, kind=kind, note=note, declared_by=actor
        )
        audit.record(AuditAction.CREATE, link, actor=actor, after=audit.snapshot(link))
    return link
