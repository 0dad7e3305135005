"""Writing enterprises: every create, change and delete goes through here and is audited."""

from __future__ import annotations

from django.db import transaction

from anquan.core import audit
from anquan.core.errors import FieldError, NotPermitted, ValidationFailed
from anquan.core.permissions import Perm, has_perm
from anquan.core.scope import in_scope, within
from anquan.orgs.models import department_for_industry

from . import moves
from .models import Enterprise
from .validation import clean_enterprise


def _apply(enterprise: Enterprise, cleaned: dict) -> None:
    for name, value in cleaned.items():
        setattr(enterprise, name, value)
    if "supervising_department" in cleaned:
        enterprise.department_overridden = cleaned["supervising_department"] is not None
    if enterprise.territorial_region_id is None:
        enterprise.territorial_region = enterprise.region
    if not enterprise.department_overridden:
        # 三管三必须: derived from the industry where the enterprise lies
        enterprise.supervising_department = department_for_industry(
            enterprise.industry, enterprise.region.code
        )


def _check_scope_after_write(enterprise: Enterprise, actor) -> None:
    # STYLE practice 3: a write must not move a row out of the writer's own scope
    if actor is not None and not isinstance(actor, str) and not in_scope(enterprise, actor):
        raise ValidationFailed(
            [FieldError("supervising_department", "out_of_scope", "保存后该企业将不在您的管辖范围内")]
        )


@transaction.atomic
def create_enterprise(raw: dict, *, actor, comment: str = "") -> Enterprise:
    if not has_perm(actor, Perm.ENTERPRISE_ADD):
        raise NotPermitted
    cleaned, errors = clean_enterprise(raw, user=actor)
    if errors:
        raise ValidationFailed(errors)
    enterprise = Enterprise()
    _apply(enterprise, cleaned)
    enterprise.save()
    _check_scope_after_write(enterprise, actor)
    audit.record_create(enterprise, actor=actor, comment=comment)
    return enterprise


@transaction.atomic
def update_enterprise(enterprise: Enterprise, raw: dict, *, actor, comment: str = "") -> Enterprise:
    if not has_perm(actor, Perm.ENTERPRISE_CHANGE):
        raise NotPermitted
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    before = audit.snapshot(enterprise)
    place = moves.Place.of(enterprise)
    cleaned, errors = clean_enterprise(raw, user=actor, instance=enterprise)
    if errors:
        raise ValidationFailed(errors)
    _apply(enterprise, cleaned)
    enterprise.save()
    _check_scope_after_write(enterprise, actor)
    audit.record_update(enterprise, before, actor=actor, comment=comment)
    moves.follow_enterprise(enterprise, place, actor=actor)  # its current records move with it
    return enterprise


@transaction.atomic
def delete_enterprise(enterprise: Enterprise, *, actor) -> None:
    if not has_perm(actor, Perm.ENTERPRISE_DELETE):
        raise NotPermitted
    audit.record_delete(enterprise, actor=actor)
    enterprise.delete()


def follow_rule(region, industry, actor) -> None:
    """A 三管三必须 rule of `industry` changed in `region` (hook `orgs.services.rule_changed`, in its transaction):
    the enterprises of the region's subtree whose department was derived get the department the rules give now,
    audited, and their current records move with them."""
    affected = Enterprise.objects.filter(
        within(region.prefix), industry=industry, department_overridden=False
    ).select_related("region")
    cache = {}
    for enterprise in affected.iterator():
        if enterprise.region_code not in cache:
            cache[enterprise.region_code] = department_for_industry(industry, enterprise.region_code)
        department = cache[enterprise.region_code]
        if enterprise.supervising_department_id != (department.pk if department else None):
            before = audit.snapshot(enterprise)
            place = moves.Place.of(enterprise)
            enterprise.supervising_department = department
            enterprise.save(update_fields=["supervising_department", "updated_at"])
            audit.record_update(enterprise, before, actor=actor, comment="三管三必须职责分工调整")
            moves.follow_enterprise(
                enterprise,
                place,
                actor=actor,
                reason=f"三管三必须职责分工调整：“{enterprise.name}”的当前记录随行业监管部门迁移",
            )
