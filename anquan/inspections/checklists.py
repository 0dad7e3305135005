"""Editing checklist templates (issue #13 item 4): who may read and change them, the templates by industry with
their versions, and a new version made from the current one with every item checked field by field
(`edit`). The version itself is written by templates.new_version (never in place; inspections keep the items of
the version they started with).

Who edits: a template has no region — one version serves every county of the province — so, like the rule data
platform (ADR 0022), a province office or a system administrator changes it. Offices, departments and inspectors
read them (what an inspection will check); grid workers and enterprises do not."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, QuerySet

from anquan.core.errors import Conflict, FieldError, NotPermitted, ValidationFailed
from anquan.core.inputs import integer, text
from anquan.core.permissions import Role
from anquan.hazards.models import JudgementItem

from . import templates
from .models import ChecklistItem, ChecklistTemplate

READERS = frozenset(set(Role) - {Role.GRID_WORKER, Role.ENTERPRISE_MANAGER})
TEXT_MAX = templates.TEXT_MAX
MAX_ITEMS = templates.MAX_ITEMS
BASIS_MAX = ChecklistItem._meta.get_field("basis").max_length or 300
SOURCE_MAX = ChecklistItem._meta.get_field("source").max_length or 200
NOTE_MAX = ChecklistTemplate._meta.get_field("note").max_length or 300
COMMON = "通用检查项"
JUDGEMENT = templates.SOURCE


def may_read(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.is_active and user.role in READERS


def may_edit(user: Any) -> bool:
    return may_read(user) and user.role in templates.EDITORS


def readable(user: Any) -> QuerySet[ChecklistTemplate]:
    """Every version (reference data: the same for every reader), or none for who may not read them."""
    qs = ChecklistTemplate.objects.select_related("industry", "created_by")
    return qs.annotate(item_count=Count("items")) if may_read(user) else qs.none()


@dataclass
class Family:
    """One checklist of an industry (its name) with every version, the newest first."""

    industry: str
    name: str
    versions: list[ChecklistTemplate]

    @property
    def current(self) -> ChecklistTemplate:
        return next((v for v in self.versions if v.active), self.versions[0])


def families(user: Any, industry: str = "") -> list[Family]:
    qs = readable(user).order_by("industry__code", "name", "-version")
    if industry:
        qs = qs.filter(industry__code=industry)
    found: dict[tuple[int, str], Family] = {}
    for t in qs:
        key = (t.industry_id, t.name)
        if key not in found:
            found[key] = Family(t.industry.name, t.name, [])
        found[key].versions.append(t)
    return list(found.values())


def source_of(item: ChecklistItem) -> str:
    """Where an item comes from, as a reader says it: the judgement standard's clause, else its source."""
    if item.judgement_item_id is not None and item.judgement_item is not None:
        return f"重大事故隐患判定标准：{item.judgement_item.citation}"
    return item.source or COMMON


def items_of(template: ChecklistTemplate) -> list[ChecklistItem]:
    return list(template.items.select_related("judgement_item__standard").order_by("order", "id"))


def citation_key(item: JudgementItem) -> str:
    """How a page names a judgement item for choosing it: "安监总管三〔2017〕121号 第5项"."""
    return f"{item.standard.doc_no} {item.clause}"


def judgement_choices() -> list[tuple[str, str]]:
    rows = JudgementItem.objects.filter(standard__active=True).select_related("standard")
    return [(citation_key(r), r.text[:60]) for r in rows.order_by("standard__code", "order")]


def resolve_citation(value: str) -> int | None:
    """The judgement item a page's citation names (doc_no, a space, the clause), or None."""
    doc_no, _, clause = value.strip().partition(" ")
    found = JudgementItem.objects.filter(
        standard__active=True, standard__doc_no=doc_no, clause=clause.strip()
    ).values_list("pk", flat=True)
    return found.first()


# --- a new version ----------------------------------------------------------------------------------------


def _norm(value: str) -> str:
    return "".join(value.split())


def _item(raw: Any, n: int, errors: list[FieldError], known: set[int]) -> dict[str, Any]:
    where = f"items.{n}"
    if not isinstance(raw, dict):
        errors.append(FieldError(where, "invalid", f"第{n + 1}项格式不正确"))
        return {}
    body = text(raw.get("text"), f"{where}.text", "检查内容", errors, max_length=TEXT_MAX, required=True)
    basis = text(raw.get("basis"), f"{where}.basis", "检查依据", errors, max_length=BASIS_MAX)
    source = text(raw.get("source"), f"{where}.source", "来源", errors, max_length=SOURCE_MAX)
    judgement = integer(
        raw.get("judgement_item"), f"{where}.judgement_item", "判定标准条目", errors, high=2**31 - 1
    )
    if judgement is not None and judgement not in known:
        errors.append(FieldError(f"{where}.judgement_item", "unknown", "该重大事故隐患判定标准条目不存在"))
    if judgement is not None and not source:
        source = JUDGEMENT
    return {"text": body, "basis": basis, "judgement_item": judgement, "source": source or COMMON}


def check_items(items: Any) -> list[dict[str, Any]]:
    """The items cleaned, or ValidationFailed naming each bad field (items.N.text …): empty or too long text,
    a duplicate of an earlier item, an unknown judgement item, none or too many items."""
    errors: list[FieldError] = []
    if not isinstance(items, list) or not items:
        raise ValidationFailed([FieldError("items", "required", "检查表至少要有一项检查内容")])
    if len(items) > MAX_ITEMS:
        raise ValidationFailed(
            [FieldError("items", "too_many", f"检查表最多{MAX_ITEMS}项，现有{len(items)}项，请删减")]
        )
    wanted = [r.get("judgement_item") for r in items if isinstance(r, dict)]
    ids = [v for v in wanted if isinstance(v, int) and not isinstance(v, bool) and 0 < v < 2**31]
    known = set(JudgementItem.objects.filter(pk__in=ids, standard__active=True).values_list("pk", flat=True))
    cleaned: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for n, raw in enumerate(items):
        row = _item(raw, n, errors, known)
        cleaned.append(row)
        key = _norm(row.get("text", ""))
        if key and key in seen:
            errors.append(
                FieldError(f"items.{n}.text", "duplicate", f"与第{seen[key] + 1}项重复，请删除或修改其中一项")
            )
        elif key:
            seen[key] = n
    if errors:
        raise ValidationFailed(errors)
    return cleaned


def _same(template: ChecklistTemplate, cleaned: list[dict[str, Any]]) -> bool:
    now = [(i.text, i.basis, i.judgement_item_id, i.source) for i in items_of(template)]
    return now == [(r["text"], r["basis"], r["judgement_item"], r["source"]) for r in cleaned]


@transaction.atomic
def edit(template: ChecklistTemplate, items: Any, *, note: Any, actor: Any) -> ChecklistTemplate:
    """The next version of `template`, which must be the version in use (a page or client editing an older one
    is told a newer one exists), with `items` ([{text, basis, judgement_item, source}] in their new order) and a
    note saying what changed and why (修订说明, required)."""
    if not may_edit(actor):
        raise NotPermitted("只有省级安委办或系统管理员可以修改检查表")
    locked = ChecklistTemplate.objects.select_for_update().get(pk=template.pk)
    if not locked.active:
        newest = ChecklistTemplate.objects.filter(
            industry=locked.industry, name=locked.name, active=True
        ).first()
        shown = f"第{newest.version}版" if newest else "新版本"
        raise Conflict("stale", f"该检查表已有{shown}，请在最新版本上修改")
    errors: list[FieldError] = []
    reason = text(note, "note", "修订说明", errors, max_length=NOTE_MAX, required=True)
    try:
        cleaned = check_items(items)
    except ValidationFailed as exc:
        raise ValidationFailed([*errors, *exc.errors]) from None
    if errors:
        raise ValidationFailed(errors)
    if _same(locked, cleaned):
        raise ValidationFailed([FieldError("items", "unchanged", "检查项与当前版本完全相同，无需另存新版本")])
    return templates.new_version(locked, cleaned, actor=actor, note=reason)
