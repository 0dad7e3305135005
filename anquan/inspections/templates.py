"""Checklist templates: versioned per industry, never edited in place (`new_version`), and the seed built
from the major-hazard judgement standards the hazards app holds (anquan/hazards/data/major_hazard_criteria.json,
loaded by hazards/standards.py). Each seeded item names its source."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max

from anquan.core import audit, inputs
from anquan.core.errors import FieldError, NotPermitted, ValidationFailed
from anquan.core.models import AuditAction
from anquan.core.permissions import Role
from anquan.enterprises.models import Enterprise

from .models import ChecklistItem, ChecklistTemplate

TEXT_MAX = 2000
# a template serves every county (it has no region), so only the province office and the system administrator make
# a new version, as for the rule data (docs/adr/0022-versioned-rule-data.md)
EDITORS = frozenset({Role.PROVINCE_OFFICE, Role.SYSADMIN})
MAX_ITEMS = 200

# the seed: (industry code, template name, judgement standard code, which clauses to take (prefixes; () = all))
SEED = (
    ("hazardous_chemicals", "危险化学品生产经营单位检查表", "chemical", ()),
    ("machinery", "机械企业检查表", "industry_trade", ("第三条", "第七条", "第十一条")),
    ("building_materials", "建材企业检查表", "industry_trade", ("第三条", "第六条")),
)
SOURCE = "hazards/data/major_hazard_criteria.json（重大事故隐患判定标准）"


def seed(apps: Any) -> None:
    """Version 1 of each seeded template, when its industry and standard are loaded (a data migration)."""
    Template = apps.get_model("inspections", "ChecklistTemplate")
    Item = apps.get_model("inspections", "ChecklistItem")
    Industry = apps.get_model("orgs", "Industry")
    Standard = apps.get_model("hazards", "JudgementStandard")
    JudgementItem = apps.get_model("hazards", "JudgementItem")
    for code, name, standard_code, clauses in SEED:
        industry = Industry.objects.filter(code=code).first()
        standard = Standard.objects.filter(code=standard_code, active=True).order_by("-version").first()
        if (
            industry is None
            or standard is None
            or Template.objects.filter(industry=industry, name=name).exists()
        ):
            continue
        template = Template.objects.create(
            industry=industry, name=name, version=1, note=f"依据{standard.title}（{standard.doc_no}）生成"
        )
        rows = JudgementItem.objects.filter(standard=standard).order_by("order")
        picked = [r for r in rows if not clauses or r.clause.startswith(clauses)]
        Item.objects.bulk_create(
            Item(
                template=template,
                order=n,
                text=row.text,
                basis=f"{standard.doc_no} {row.clause}"[:300],
                judgement_item=row,
                source=SOURCE,
            )
            for n, row in enumerate(picked, start=1)
        )


def active_for(enterprise: Enterprise) -> ChecklistTemplate | None:
    if enterprise.industry_id is None:
        return None
    return (
        ChecklistTemplate.objects.filter(industry_id=enterprise.industry_id, active=True)
        .order_by("name", "-version")
        .first()
    )


def pick(value: Any, enterprise: Enterprise | None, errors: list[FieldError]) -> ChecklistTemplate | None:
    """The template asked for (any version, so a plan can pin one), else the enterprise industry's active one."""
    if value in (None, ""):
        return active_for(enterprise) if enterprise is not None else None
    template_id = inputs.integer(value, "template", "检查表", errors, low=1, high=2**31 - 1)
    template = ChecklistTemplate.objects.filter(pk=template_id).first() if template_id else None
    if template is None and not any(e.field == "template" for e in errors):
        errors.append(FieldError("template", "unknown_template", "检查表不存在"))
    return template


@transaction.atomic
def new_version(
    template: ChecklistTemplate, items: list[dict[str, Any]], *, actor: Any, note: str = ""
) -> ChecklistTemplate:
    """The next version of `template` with `items` (text, basis, judgement_item id, source); the old
    version stays, no longer active, and inspections that used it keep their copies."""
    if getattr(actor, "role", None) not in EDITORS:
        raise NotPermitted("只有省级安委办或系统管理员可以修改检查表")
    errors: list[FieldError] = []
    if not items or len(items) > MAX_ITEMS:
        errors.append(FieldError("items", "count", f"检查表须有1至{MAX_ITEMS}项"))
    cleaned = []
    for n, raw in enumerate(items):
        text = inputs.text(
            raw.get("text"), f"items.{n}.text", "检查内容", errors, max_length=TEXT_MAX, required=True
        )
        basis = inputs.text(raw.get("basis"), f"items.{n}.basis", "检查依据", errors, max_length=300)
        source = inputs.text(raw.get("source"), f"items.{n}.source", "来源", errors, max_length=200)
        cleaned.append((text, basis, raw.get("judgement_item") or None, source))
    if errors:
        raise ValidationFailed(errors)
    latest = ChecklistTemplate.objects.filter(industry=template.industry, name=template.name).aggregate(
        v=Max("version")
    )["v"]
    ChecklistTemplate.objects.filter(industry=template.industry, name=template.name).update(active=False)
    fresh = ChecklistTemplate.objects.create(
        industry=template.industry, name=template.name, version=(latest or 0) + 1, note=note, created_by=actor
    )
    ChecklistItem.objects.bulk_create(
        ChecklistItem(template=fresh, order=n, text=t, basis=b, judgement_item_id=j, source=s)
        for n, (t, b, j, s) in enumerate(cleaned, start=1)
    )
    audit.record(
        AuditAction.CREATE,
        fresh,
        actor=actor,
        after=audit.snapshot(fresh) | {"items": len(cleaned)},
        comment=f"检查表新版本（原第{template.version}版）",
    )
    return fresh
