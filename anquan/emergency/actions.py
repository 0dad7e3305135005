"""What is done to plans and drills (pages and API call these): write a plan (an enterprise's, or a government
unit's), change it while it is not filed, attach its documents, take a filing step through the engine (workflow.py),
revise a plan (the new revision supersedes the old), record a drill with its photos and report; and the sweep's
step: plans whose check period passed in silence are filed by lapse of time (MEM Order 2 art. 28)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from anquan.core import audit, inputs
from anquan.core.errors import FieldError, NotPermitted, ValidationFailed
from anquan.core.scope import in_scope, region_in_scope
from anquan.core.uploads import store_upload
from anquan.core.workdays import add_working_days
from anquan.enterprises.models import Enterprise
from anquan.orgs.models import Department
from anquan.regions.models import Region
from anquan.rules.services import in_force

from . import rules
from .choices import DrillKind, PlanAction, PlanKind, PlanStatus, RefilingChange, RevisionReason
from .models import WRITERS, Drill, DrillFile, EmergencyPlan, PlanDocument
from .workflow import FLOW, OWNER_ONLY, is_owner

EDITABLE = (PlanStatus.DRAFT, PlanStatus.RETURNED)
MAX = {
    "title": 200,
    "record_number": 50,
    "reasons": 2000,
    "organiser": 100,
    "participants": 2000,
    "scenario": 2000,
    "evaluation": 4000,
    "improvements": 4000,
}
MAX_PARTICIPANTS = 100000


def _department(value: Any, field: str, label: str, errors: list[FieldError]) -> Department | None:
    code = str(value or "").strip()
    if not code:
        return None
    found = Department.objects.filter(code=code).first() or Department.objects.filter(name=code).first()
    if found is None:
        errors.append(FieldError(field, "unknown_department", f"{label}“{code}”不存在"))
    return found


def _plan_fields(raw: dict[str, Any], errors: list[FieldError], *, partial: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if not partial or "title" in raw:
        out["title"] = inputs.text(
            raw.get("title"), "title", "预案名称", errors, max_length=MAX["title"], required=True
        )
    if not partial or "kind" in raw:
        kind = raw.get("kind")
        if kind not in PlanKind.values:
            errors.append(
                FieldError(
                    "kind", "invalid_choice", "请选择预案种类：综合应急预案、专项应急预案或现场处置方案"
                )
            )
        out["kind"] = kind
    if not partial or "published_on" in raw:
        published = inputs.day(raw.get("published_on"), "published_on", "公布日期", errors, future=False)
        if published is None and not any(e.field == "published_on" for e in errors):
            errors.append(FieldError("published_on", "required", "请填写预案公布日期"))
        out["published_on"] = published
    if "last_evaluated_on" in raw:
        out["last_evaluated_on"] = inputs.day(
            raw.get("last_evaluated_on"), "last_evaluated_on", "上次评估日期", errors, future=False
        )
    if "filed_with" in raw and raw.get("filed_with"):
        out["filed_with"] = _department(raw.get("filed_with"), "filed_with", "受理备案的部门", errors)
    return out


def _owner(raw: dict[str, Any], actor: Any, errors: list[FieldError]) -> dict[str, Any]:
    """Whose plan: the actor's own enterprise; an enterprise in the actor's scope (USCC); or a government unit —
    a region in scope and, optionally, one of its departments."""
    if getattr(actor, "role", None) not in WRITERS:
        raise NotPermitted("您无权编制应急预案")
    if actor.enterprise_id:
        enterprise = Enterprise.objects.select_related("region").get(pk=actor.enterprise_id)
        return {"enterprise": enterprise, "region": enterprise.region}
    uscc = str(raw.get("enterprise") or "").strip().upper()
    if uscc:
        found = Enterprise.objects.select_related("region").filter(uscc=uscc).first()
        if found is None or not in_scope(found, actor):
            errors.append(
                FieldError(
                    "enterprise",
                    "unknown_enterprise",
                    f"统一社会信用代码为{uscc}的企业不存在或不在您的管辖范围内",
                )
            )
            return {}
        return {"enterprise": found, "region": found.region}
    code = str(raw.get("region") or "").strip() or actor.region.code
    region = Region.objects.filter(code=code).first()
    if region is None or not region_in_scope(actor, region.code):
        errors.append(FieldError("region", "out_of_scope", "区域不存在或不在您的管辖范围内"))
        return {}
    owner_department = _department(raw.get("owner_department"), "owner_department", "编制预案的部门", errors)
    if actor.department_id:
        owner_department = Department.objects.get(pk=actor.department_id)
    return {"enterprise": None, "region": region, "owner_department": owner_department}


def create_plan(raw: dict[str, Any], *, actor: Any, supersedes: EmergencyPlan | None = None) -> EmergencyPlan:
    errors: list[FieldError] = []
    owner = _owner(raw, actor, errors) if supersedes is None else _same_owner(supersedes)
    fields = _plan_fields(raw, errors, partial=False)
    if supersedes is not None:
        fields |= _revision_fields(raw, errors)
    if errors:
        raise ValidationFailed(errors)
    enterprise = owner.get("enterprise")
    if "filed_with" not in fields or fields["filed_with"] is None:
        fields["filed_with"] = (
            supersedes.filed_with
            if supersedes is not None
            else enterprise.supervising_department
            if enterprise is not None
            else None
        )
    plan = EmergencyPlan(**owner, **fields, created_by=actor if getattr(actor, "pk", None) else None)
    if supersedes is not None:
        plan.supersedes = supersedes
        plan.revision = supersedes.revision + 1
    if getattr(actor, "pk", None) and not in_scope(plan, actor):
        # a department supervisor's plan must be filed with their department to stay in their sight
        plan.filed_with_id = actor.department_id
    with transaction.atomic():
        plan.save()
        audit.record_create(
            plan, actor=actor, comment="编制应急预案" if supersedes is None else "修订应急预案"
        )
    return plan


def _same_owner(plan: EmergencyPlan) -> dict[str, Any]:
    return {"enterprise": plan.enterprise, "region": plan.region, "owner_department": plan.owner_department}


def _revision_fields(raw: dict[str, Any], errors: list[FieldError]) -> dict[str, Any]:
    reasons = [r for r in (raw.get("revision_reasons") or []) if r]
    changes = [c for c in (raw.get("refiling_changes") or []) if c]
    if not reasons:
        errors.append(FieldError("revision_reasons", "required", "请选择修订情形（《办法》第三十六条）"))
    if any(r not in RevisionReason.values for r in reasons):
        errors.append(FieldError("revision_reasons", "invalid_choice", "修订情形不正确"))
    if any(c not in RefilingChange.values for c in changes):
        errors.append(FieldError("refiling_changes", "invalid_choice", "变更内容不正确"))
    return {"revision_reasons": reasons, "refiling_changes": changes}


def update_plan(plan: EmergencyPlan, raw: dict[str, Any], *, actor: Any) -> EmergencyPlan:
    """Change a plan's particulars: its unit while not filed (draft or returned); the evaluation date at any time."""
    if not is_owner(actor, plan):
        raise NotPermitted(OWNER_ONLY)
    errors: list[FieldError] = []
    fields = _plan_fields(raw, errors, partial=True)
    if errors:
        raise ValidationFailed(errors)
    if plan.status not in EDITABLE and set(fields) - {"last_evaluated_on"}:
        raise ValidationFailed(
            [FieldError("status", "not_editable", "预案已提交备案，只能修改评估日期；内容变更请修订预案")]
        )
    with transaction.atomic():
        before = audit.snapshot(plan)
        for name, value in fields.items():
            setattr(plan, name, value)
        plan.updated_at = timezone.now()
        plan.save()
        audit.record_update(plan, before, actor=actor, comment="修改应急预案")
    return plan


def revise(plan: EmergencyPlan, raw: dict[str, Any], *, actor: Any) -> EmergencyPlan:
    """A new revision of `plan` (art. 36), which supersedes it in the same transaction; a revision changing what
    art. 37 lists must be filed again (it starts as a draft like any plan)."""
    FLOW.check(plan, PlanAction.SUPERSEDE, actor)
    with transaction.atomic():
        new = create_plan(raw, actor=actor, supersedes=plan)
        FLOW.apply(plan, PlanAction.SUPERSEDE, actor=actor, comment=f"由第{new.revision}版替代")
    return new


def add_document(plan: EmergencyPlan, upload: Any, *, actor: Any) -> PlanDocument:
    if not is_owner(actor, plan) or not in_scope(plan, actor):
        raise NotPermitted(OWNER_ONLY)
    if plan.status not in EDITABLE:
        raise ValidationFailed(
            [FieldError("file", "not_editable", "预案已提交备案，不能再添加文件；请修订预案")]
        )
    if upload.content_type not in ("application/pdf",) and not upload.name.lower().endswith(
        (".pdf", ".docx", ".doc")
    ):
        raise ValidationFailed([FieldError("file", "bad_type", "预案文件只能是PDF或Word文档")])
    with transaction.atomic():
        document: PlanDocument = store_upload(
            PlanDocument(plan=plan), upload, actor=actor, comment="上传预案文件"
        )
    return document


def transition(
    plan: EmergencyPlan, action: str, *, actor: Any, now: dt.datetime | None = None, **fields: Any
) -> EmergencyPlan:
    """Take a filing step as `actor`: the one entry of pages and the API (the sweep uses `lapse_due`); `now` is
    the moment it is taken (default: now)."""
    given = {k: v for k, v in fields.items() if v not in (None, "")}
    FLOW.accept_fields(action, given)
    FLOW.check(plan, action, actor)
    now = now or timezone.now()
    today = timezone.localdate(now)
    comment = str(given.pop("comment", "") or "").strip()[:500]
    errors: list[FieldError] = []
    changes: dict[str, Any] = {}
    if action in (PlanAction.SUBMIT, PlanAction.RESUBMIT):
        figures: rules.PlanFigures = in_force(rules.PLANS, today, plan.region_code).typed
        # Order 2 art. 28: the department checks within 5 working days of receipt (the day itself not counted)
        changes = {
            "submitted_on": today,
            "filing_due": add_working_days(today, figures.filing_check_working_days),
            "return_reasons": "",
        }
    elif action == PlanAction.FILE:
        number = inputs.text(
            given.get("record_number"),
            "record_number",
            "备案编号",
            errors,
            max_length=MAX["record_number"],
            required=True,
        )
        filed_on = inputs.day(given.get("filed_on"), "filed_on", "备案日期", errors, future=False) or today
        if plan.submitted_on and filed_on < plan.submitted_on:
            errors.append(FieldError("filed_on", "too_early", "备案日期不能早于提交日期"))
        changes = {"record_number": number, "filed_on": filed_on, "filed_by_lapse": False}
    elif action == PlanAction.RETURN:
        reasons = inputs.text(
            given.get("reasons"), "reasons", "退回理由", errors, max_length=MAX["reasons"], required=True
        )
        changes = {"return_reasons": reasons}
        comment = comment or reasons[:500]
    if errors:
        raise ValidationFailed(errors)
    fresh, _ = FLOW.apply(plan, action, actor=actor, changes=changes, comment=comment, now=now)
    return fresh


def lapse_due(today: dt.date, now: dt.datetime | None = None) -> list[int]:
    """The sweep: submitted plans whose check period ended before `today` with neither filing nor return are filed
    by lapse of time (Order 2 art. 28), each a declared system step with its event and audit entry."""
    done: list[int] = []
    for plan in EmergencyPlan.objects.filter(
        status=PlanStatus.SUBMITTED, filing_due__lt=today
    ).select_related("enterprise", "region", "filed_with", "owner_department"):
        with transaction.atomic():
            FLOW.apply(
                plan,
                PlanAction.LAPSE,
                actor=None,
                changes={"filed_on": plan.filing_due, "filed_by_lapse": True},
                comment=f"受理部门在{plan.filing_due:%Y-%m-%d}前未核对也未说明理由，依《办法》第二十八条视为已备案",
                now=now,
            )
        done.append(plan.pk)
    return done


# ---- drills -------------------------------------------------------------------------------------------------


def record_drill(plan: EmergencyPlan, raw: dict[str, Any], *, actor: Any, files: list[Any] = ()) -> Drill:  # type: ignore[assignment]
    """A drill held on `plan` (Order 2 art. 33–34), with its photos and report, in one transaction."""
    if not is_owner(actor, plan) or not in_scope(plan, actor):
        raise NotPermitted("只有预案编制单位可以登记演练")
    if plan.status == PlanStatus.SUPERSEDED:
        raise ValidationFailed(
            [FieldError("plan", "superseded", "该预案已被修订版本替代，请在新版本下登记演练")]
        )
    errors: list[FieldError] = []
    held_on = inputs.day(raw.get("held_on"), "held_on", "演练日期", errors, future=False)
    if held_on is None and not any(e.field == "held_on" for e in errors):
        errors.append(FieldError("held_on", "required", "请填写演练日期"))
    kind = raw.get("kind")
    if kind not in DrillKind.values:
        errors.append(FieldError("kind", "invalid_choice", "请选择演练形式：桌面推演、功能演练或实战演练"))
    count = inputs.integer(
        raw.get("participant_count"), "participant_count", "参演人数", errors, low=1, high=MAX_PARTICIPANTS
    )
    if count is None and not any(e.field == "participant_count" for e in errors):
        errors.append(FieldError("participant_count", "required", "请填写参演人数"))
    values = {
        name: inputs.text(
            raw.get(name),
            name,
            label,
            errors,
            max_length=MAX[name],
            required=name in ("organiser", "scenario"),
        )
        for name, label in (
            ("organiser", "组织单位"),
            ("participants", "参演人员及单位"),
            ("scenario", "演练情景"),
            ("evaluation", "演练评估"),
            ("improvements", "改进措施"),
        )
    }
    if errors or held_on is None or count is None:
        raise ValidationFailed(errors)
    drill = Drill(plan=plan, held_on=held_on, kind=str(kind), participant_count=count, **values)
    drill.created_by = actor if getattr(actor, "pk", None) else None
    with transaction.atomic():
        drill.save()
        audit.record_create(drill, actor=actor, comment="登记应急演练")
        for upload in files:
            store_upload(DrillFile(drill=drill), upload, actor=actor, comment="上传演练照片或报告")
    return drill


def add_drill_file(drill: Drill, upload: Any, *, actor: Any) -> DrillFile:
    if not is_owner(actor, drill.plan) or not in_scope(drill, actor):
        raise NotPermitted("只有预案编制单位可以上传演练照片或报告")
    with transaction.atomic():
        kept: DrillFile = store_upload(
            DrillFile(drill=drill), upload, actor=actor, comment="上传演练照片或报告"
        )
    return kept
